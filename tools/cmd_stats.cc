// hark stats: what an index holds.
#include <iostream>

#include "query/stats.h"
#include "tools/command.h"

namespace hark::tools {

int ParseStats(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job) {
  static const char kUsage[] = "usage: hark stats [--index DIR] [--format text|json|csv]";
  std::string format;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help");
  AddQueryOptions(&desc, &job->index, &format);
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(io, args, desc, po::positional_options_description(), kUsage, &vm, &exit)) return exit;
  RenderOptions render;
  if (!ResolveRender(format, &render, io.err)) return kExitUsage;
  job->run = [=](IndexReader& index, std::ostream& out) { return hark::RunStats(index, render, out); };
  return kExitOk;
}

}  // namespace hark::tools
