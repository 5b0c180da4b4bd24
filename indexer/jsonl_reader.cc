// PLACEHOLDER: being written.
#include "indexer/readers.h"
namespace hark {
Result<std::unique_ptr<FileReader>> NewJsonlReader(std::unique_ptr<InputStream>, const ReaderOptions&) {
  return Status::InvalidArgument("jsonl_reader.cc: reader not built yet");
}
}  // namespace hark
