// The peer hark's text build is measured against (bench/xapian_ceiling.cc): stock Xapian
// writing the same documents as hark's text index, the way a Xapian user would, with
// nothing of hark's around it.
#ifndef HARK_STORAGE_TEXT_CEILING_H_
#define HARK_STORAGE_TEXT_CEILING_H_

#include <string>
#include <vector>

#include "storage/record.h"
#include "storage/status.h"

namespace hark {

struct CeilingStats {
  double build_seconds = 0;  // the shard writers, in parallel, each committed
  double merge_seconds = 0;  // compaction of the shards into one database
};

// Writes `records` (docid == recno, the same terms, positions and values as hark's text
// index) into `shards` databases with stock settings: one Xapian writer per shard on its
// own thread, each adding its contiguous share of the records in order, termlists kept,
// Xapian's own stemmer and flush threshold, synced commits; then compacts the shards
// into `dir` keeping document ids. Nothing else: no parsing, analysis or record store.
[[nodiscard]] Status BuildStockXapian(const std::vector<Record>& records, int shards, const std::string& dir,
                                      CeilingStats* stats);

}  // namespace hark

#endif  // HARK_STORAGE_TEXT_CEILING_H_
