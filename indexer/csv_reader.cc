// PLACEHOLDER: being written.
#include "indexer/readers.h"
namespace hark {
Result<std::unique_ptr<FileReader>> NewCsvReader(std::unique_ptr<InputStream>, const ReaderOptions&) {
  return Status::InvalidArgument("csv_reader.cc: reader not built yet");
}
}  // namespace hark
