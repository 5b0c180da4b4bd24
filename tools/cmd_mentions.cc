// hark mentions: brands and competitors: mentions, share of voice, sentiment, switching.
#include <iostream>

#include "query/mentions.h"
#include "tools/command.h"

namespace hark::tools {

int ParseMentions(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job) {
  static const char kUsage[] =
      "usage: hark mentions [--brands FILE] [--by day|week|month] [--tz ZONE] [--from T] [--to T] [--query Q]\n"
      "                     [--index DIR] [--format text|json|csv]\n\n"
      "Per brand of the lexicon: messages mentioning it (exact), share of voice in its market and overall, sentiment\n"
      "(mean, share positive / neutral / negative), top authors; with --by, mentions over time; co-mentions; and\n"
      "switching statements (\"switching from X to Y\", \"leaving X for Y\", \"moving to Y\", \"going back to X\") as\n"
      "flows X -> Y with example ids. Without --brands, the lexicon the index was tagged with (hark ingest --brands);\n"
      "with another lexicon every message is tagged now, the same answers as re-ingesting. Matching: README.md,\n"
      "\"Brands and mentions\"; example lexicons in corpora/brands/.";
  std::string format, by, from, to;
  MentionsRequest req;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help");
  AddQueryOptions(&desc, &job->index, &format);
  desc.add_options()
      ("brands", po::value(&req.brands_path), "brand lexicon (JSON); default: the one stored in the index")
      ("by", po::value(&by), "mentions over time: day, week or month")
      ("tz", po::value(&req.tz)->default_value("UTC"), "time zone of the buckets")
      ("from", po::value(&from), "first time counted (a date: that day's start)")
      ("to", po::value(&to), "last time counted (a date includes its day)")
      ("query", po::value(&req.query), "only messages matching this query (Xapian syntax, as in hark search)")
      ("authors", po::value(&req.authors)->default_value(req.authors), "top authors per brand");
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(io, args, desc, po::positional_options_description(), kUsage, &vm, &exit)) return exit;
  if (!by.empty()) {
    Result<BucketUnit> unit = ParseBucketUnit(by);
    if (!unit.ok()) {
      io.err << "hark mentions: " << unit.status().message() << "\n";
      return kExitUsage;
    }
    req.by = *unit;
  }
  if (!ParseTimeBound("mentions", from, false, &req.from, io.err) || !ParseTimeBound("mentions", to, true, &req.to, io.err)) {
    return kExitUsage;
  }
  RenderOptions render;
  if (!ResolveRender(format, &render, io.err)) return kExitUsage;
  job->run = [=](IndexReader& index, std::ostream& out) { return hark::RunMentions(index, req, render, out); };
  return kExitOk;
}

}  // namespace hark::tools
