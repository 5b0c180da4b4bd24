// hark show: one record by id.
#include "query/lookup.h"
#include "tools/command.h"

namespace hark::tools {

int ParseShow(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job) {
  static const char kUsage[] = "usage: hark show ID [--source S] [--index DIR] [--format text|json|csv]";
  return ParseLookupCommand(io, kUsage, "record id", hark::RunShow, args, job);
}

}  // namespace hark::tools
