// PLACEHOLDER: being written.
#include "indexer/readers.h"
namespace hark {
Result<std::unique_ptr<FileReader>> NewTwcsReader(std::unique_ptr<InputStream>, const ReaderOptions&) {
  return Status::InvalidArgument("twcs_reader.cc: reader not built yet");
}
}  // namespace hark
