// hark kb: a draft knowledge base (or its gaps) mined from the archive's conversations.
#include <iostream>

#include "query/kb.h"
#include "tools/command.h"

namespace hark::tools {

int ParseKb(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job) {
  static const char kUsage[] =
      "usage: hark kb [QUERY] [--brand B] [--source S] [--from T] [--to T] [--min-support N] [--limit N] [--gaps]\n"
      "               [--index DIR] [--format md|json|csv]\n\n"
      "The questions customers keep asking (similar questions clustered into one entry), each with the best answer\n"
      "already given, up to two runners-up, the evidence for the choice, how many conversations asked it, when, for\n"
      "which brands and channels, and every source conversation. --gaps: questions asked again and again that got\n"
      "no good answer. QUERY (Xapian syntax), --brand and --source keep conversations holding a matching message.\n"
      "Method: README.md, \"Knowledge base\".";
  std::string format, from, to, query;
  KbRequest req;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help");
  AddQueryOptions(&desc, &job->index, &format);
  desc.add_options()
      ("query", po::value(&query), "only conversations with a message matching this query")
      ("brand", po::value(&req.brands), "only conversations with a message of this brand (repeatable)")
      ("source", po::value(&req.sources), "only conversations of this source (repeatable)")
      ("from", po::value(&from), "questions asked at or after this time")
      ("to", po::value(&to), "questions asked at or before this time (a date includes its day)")
      ("min-support", po::value(&req.min_support)->default_value(req.min_support), "conversations an entry needs")
      ("limit", po::value(&req.limit)->default_value(req.limit), "entries printed")
      ("gaps", po::bool_switch(&req.gaps), "questions that keep coming back without a good answer");
  po::positional_options_description pos;
  pos.add("query", 1);
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(io, args, desc, pos, kUsage, &vm, &exit)) return exit;
  req.query = query;
  if (!ParseTimeBound("kb", from, false, &req.from, io.err) || !ParseTimeBound("kb", to, true, &req.to, io.err)) return kExitUsage;
  RenderOptions render;
  if (!ResolveRender(format == "md" ? "text" : format, &render, io.err)) return kExitUsage;
  job->run = [=](IndexReader& index, std::ostream& out) { return hark::RunKb(index, req, render, out); };
  return kExitOk;
}

}  // namespace hark::tools
