// hark show: one record by id.
#include "query/lookup.h"
#include "tools/command.h"

namespace hark::tools {

int RunShow(const std::vector<std::string>& args) {
  static const char kUsage[] = "usage: hark show ID [--source S] [--index DIR] [--format text|json|csv]";
  return RunLookupCommand("show", kUsage, "record id", hark::RunShow, args);
}

}  // namespace hark::tools
