// hark thread: the whole conversation of a message.
#include <iostream>

#include "query/lookup.h"
#include "tools/command.h"

namespace hark::tools {

int RunThread(const std::vector<std::string>& args) {
  static const char kUsage[] =
      "usage: hark thread ID [--source S] [--index DIR] [--format text|json|csv]\n\n"
      "Prints every message of the conversation holding message ID, in time order.";
  std::string index, format, id, source;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help");
  AddQueryOptions(&desc, &index, &format);
  desc.add_options()("source", po::value(&source), "the message's source, when the id exists in several")(
      "id", po::value(&id)->required(), "id of any message of the thread");
  po::positional_options_description pos;
  pos.add("id", 1);
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(args, desc, pos, kUsage, &vm, &exit)) return exit;
  RenderOptions render;
  if (!ResolveRender(format, &render)) return kExitUsage;
  std::unique_ptr<IndexReader> reader = OpenForQuery(index);
  if (!reader) return kExitFailure;
  Status s = hark::RunThread(*reader, id, source, render, std::cout);
  return s.ok() ? kExitOk : Fail("thread", s);
}

}  // namespace hark::tools
