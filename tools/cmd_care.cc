// hark care: customer-care metrics per group.
#include <iostream>

#include "query/care.h"
#include "tools/command.h"

namespace hark::tools {

int ParseCare(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job) {
  static const char kUsage[] =
      "usage: hark care [--by brand|channel|month] [--brand B] [--from T] [--to T] [--index DIR] [--format text|json|csv]\n\n"
      "Per group: conversations with a customer message, share answered by an agent, first-response time\n"
      "(median, p90), turns per conversation, share resolved. Definitions: README.md, \"Journeys and care\".";
  std::string format, by, from, to;
  std::vector<std::string> brands;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help");
  AddQueryOptions(&desc, &job->index, &format);
  desc.add_options()
      ("by", po::value(&by)->default_value("brand"), "group by brand, channel or month")
      ("brand", po::value(&brands), "only conversations with this brand (repeatable)")
      ("from", po::value(&from), "conversations whose first customer message is at or after this time")
      ("to", po::value(&to), "... at or before this time (a date includes its day)");
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(io, args, desc, po::positional_options_description(), kUsage, &vm, &exit)) return exit;
  CareRequest req;
  if (by == "brand") req.by = CareGroup::kBrand;
  else if (by == "channel") req.by = CareGroup::kChannel;
  else if (by == "month") req.by = CareGroup::kMonth;
  else {
    io.err << "hark care: --by must be brand, channel or month\n";
    return kExitUsage;
  }
  req.brands = brands;
  if (!ParseTimeBound("care", from, false, &req.from, io.err) || !ParseTimeBound("care", to, true, &req.to, io.err)) return kExitUsage;
  RenderOptions render;
  if (!ResolveRender(format, &render, io.err)) return kExitUsage;
  job->run = [=](IndexReader& index, std::ostream& out) { return hark::RunCare(index, req, render, out); };
  return kExitOk;
}

}  // namespace hark::tools
