// hark thread: the whole conversation of a message.
#include "query/lookup.h"
#include "tools/command.h"

namespace hark::tools {

int ParseThread(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job) {
  static const char kUsage[] =
      "usage: hark thread ID [--source S] [--index DIR] [--format text|json|csv]\n\n"
      "Prints every message of the conversation holding message ID, in time order.";
  return ParseLookupCommand(io, kUsage, "id of any message of the thread", hark::RunThread, args, job);
}

}  // namespace hark::tools
