// hark reindex: rebuild the index as a new generation beside the live one, then swap
// it in atomically. It is hark ingest into a new generation: the option parser and the
// report are IngestCommand's (tools/cmd_ingest.cc).
#include "tools/command.h"

namespace hark::tools {

int RunReindex(const std::vector<std::string>& args) { return IngestCommand(args, /*reindex=*/true); }

}  // namespace hark::tools
