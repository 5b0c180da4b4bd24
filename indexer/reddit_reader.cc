// PLACEHOLDER: being written.
#include "indexer/readers.h"
namespace hark {
Result<std::unique_ptr<FileReader>> NewRedditReader(std::unique_ptr<InputStream>, const ReaderOptions&) {
  return Status::InvalidArgument("reddit_reader.cc: reader not built yet");
}
}  // namespace hark
