// Factories for the concrete readers, one file each. Used by OpenReader(); tests may
// call them directly. Each takes ownership of an opened stream.
#ifndef HARK_INDEXER_READERS_H_
#define HARK_INDEXER_READERS_H_

#include <memory>

#include "indexer/reader.h"

namespace hark {

// Canonical JSONL (one record object per line), or any JSONL through options.map.
[[nodiscard]] Result<std::unique_ptr<FileReader>> NewJsonlReader(std::unique_ptr<InputStream> in,
                                                                 const ReaderOptions& options);
// Kaggle "Customer Support on Twitter" CSV (tweet_id,author_id,inbound,created_at,...).
[[nodiscard]] Result<std::unique_ptr<FileReader>> NewTwcsReader(std::unique_ptr<InputStream> in,
                                                                const ReaderOptions& options);
// Any CSV through options.map (required).
[[nodiscard]] Result<std::unique_ptr<FileReader>> NewCsvReader(std::unique_ptr<InputStream> in,
                                                               const ReaderOptions& options);
// Stack Exchange data dump Posts.xml.
[[nodiscard]] Result<std::unique_ptr<FileReader>> NewStackExchangeReader(
    std::unique_ptr<InputStream> in, const ReaderOptions& options);
// mbox (mboxo / mboxrd) mail archives.
[[nodiscard]] Result<std::unique_ptr<FileReader>> NewMboxReader(std::unique_ptr<InputStream> in,
                                                                const ReaderOptions& options);
// Pushshift Reddit NDJSON (comments and submissions), usually .zst.
[[nodiscard]] Result<std::unique_ptr<FileReader>> NewRedditReader(std::unique_ptr<InputStream> in,
                                                                  const ReaderOptions& options);

}  // namespace hark

#endif  // HARK_INDEXER_READERS_H_
