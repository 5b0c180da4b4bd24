// hark stats: what an index holds.
#include <iostream>

#include "query/stats.h"
#include "tools/command.h"

namespace hark::tools {

int RunStats(const std::vector<std::string>& args) {
  static const char kUsage[] = "usage: hark stats [--index DIR] [--format text|json|csv]";
  std::string index, format;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help");
  AddQueryOptions(&desc, &index, &format);
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(args, desc, po::positional_options_description(), kUsage, &vm, &exit)) return exit;
  RenderOptions render;
  if (!ResolveRender(format, &render)) return kExitUsage;
  std::unique_ptr<IndexReader> reader = OpenForQuery(index);
  if (!reader) return kExitFailure;
  Status s = hark::RunStats(*reader, render, std::cout);
  return s.ok() ? kExitOk : Fail("stats", s);
}

}  // namespace hark::tools
