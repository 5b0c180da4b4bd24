// hark show: one record by id.
#include <iostream>

#include "query/lookup.h"
#include "tools/command.h"

namespace hark::tools {

int RunShow(const std::vector<std::string>& args) {
  static const char kUsage[] = "usage: hark show ID [--source S] [--index DIR] [--format text|json|csv]";
  std::string index, format, id, source;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help");
  AddQueryOptions(&desc, &index, &format);
  desc.add_options()("source", po::value(&source), "the record's source, when the id exists in several")(
      "id", po::value(&id)->required(), "record id");
  po::positional_options_description pos;
  pos.add("id", 1);
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(args, desc, pos, kUsage, &vm, &exit)) return exit;
  RenderOptions render;
  if (!ResolveRender(format, &render)) return kExitUsage;
  std::unique_ptr<IndexReader> reader = OpenForQuery(index);
  if (!reader) return kExitFailure;
  Status s = hark::RunShow(*reader, id, source, render, std::cout);
  return s.ok() ? kExitOk : Fail("show", s);
}

}  // namespace hark::tools
