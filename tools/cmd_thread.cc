// hark thread: the whole conversation of a message.
#include "query/lookup.h"
#include "tools/command.h"

namespace hark::tools {

int RunThread(const std::vector<std::string>& args) {
  static const char kUsage[] =
      "usage: hark thread ID [--source S] [--index DIR] [--format text|json|csv]\n\n"
      "Prints every message of the conversation holding message ID, in time order.";
  return RunLookupCommand("thread", kUsage, "id of any message of the thread", hark::RunThread, args);
}

}  // namespace hark::tools
