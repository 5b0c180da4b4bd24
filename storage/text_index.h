// Internal to storage: the Xapian side of an index. Builds text databases in parallel
// chunks merged by compaction, and runs searches. Only storage/ includes this.
#ifndef HARK_STORAGE_TEXT_INDEX_H_
#define HARK_STORAGE_TEXT_INDEX_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "storage/index.h"
#include "storage/record.h"
#include "storage/search_types.h"
#include "storage/status.h"

namespace hark::internal {

// Calls `fn` for every stored record with recno in [first, last], in recno order.
// Must be callable from several threads at once.
using RecordScanner =
    std::function<Status(uint64_t first, uint64_t last, const std::function<void(const Record&)>& fn)>;

struct TextBuildPlan {
  std::string old_dir;   // live text database ("" when none yet)
  std::string new_dir;   // where the merged database goes (must not exist)
  std::string work_dir;  // scratch space for chunks (removed afterwards)
  uint64_t first = 0;    // new records: recnos first..last (first > last when none)
  uint64_t last = 0;
  int threads = 1;
  uint64_t chunk_records = 50000;  // records per chunk (split among the shards)
  int shards = 0;  // of a new database (no old_dir): 0 = threads, at most kMaxTextShards
};

// The most shards a text database is split into. Each shard is merged on its own thread;
// a search reads every shard, so more would cost queries more than they save the merge.
inline constexpr int kMaxTextShards = 4;

// How many shards the text database at `dir` has: the glass databases its stub file
// XAPIANDB lists, or 1 when it is one glass database.
int TextShards(const std::string& dir);

// Builds plan.new_dir = old_dir + documents for records first..last (docid == recno),
// committed, in text layout schema::kTextLayout (no termlists: old_dir must be of that
// layout too, and documents are never replaced; a caller whose indexed records changed
// rebuilds from recno 1 with no old_dir). Chunks are built in parallel, one Xapian writer
// each, and merged with compaction keeping document ids. With more than one shard (as
// many as old_dir has, else plan.shards), new_dir holds shard-0, shard-1, ... and a
// Xapian stub file XAPIANDB listing them, which Xapian::Database(new_dir) opens as one
// database whose document ids are still the record numbers.
// `stats` (may be null) receives the text and merge times and the chunk count.
[[nodiscard]] Status BuildText(const TextBuildPlan& plan, const RecordScanner& scan,
                               const ProgressFn& progress, CommitStats* stats);

// A read-only Xapian database with hark's query parser set up. Not thread-safe.
class TextSearcher {
 public:
  ~TextSearcher();
  [[nodiscard]] static Result<std::unique_ptr<TextSearcher>> Open(const std::string& dir);

  using RecordFetcher = std::function<Result<Record>(uint64_t recno)>;
  [[nodiscard]] Result<SearchResponse> Search(const SearchRequest& request, const RecordFetcher& fetch);

  // Every match (query and filters only), sorted by recno.
  [[nodiscard]] Status Collect(const SearchRequest& request, std::vector<MatchRow>* out);

  uint64_t doc_count() const;
  uint64_t term_count() const;  // distinct terms (approximate for huge DBs: full scan)
  int64_t first_time() const;
  int64_t last_time() const;

 private:
  TextSearcher();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads a text database document by document, to compare it with the records
// (VerifyIndex). Fastest in docid order. Not thread-safe.
class TextChecker {
 public:
  // How one document compares with the document its record would get.
  struct Document {
    bool exists = false;
    bool same_identity = false;  // its unique id term (Q) is the record's
    std::string identity;        // its unique id term without the prefix ("" when none)
    // One line per difference in the boolean terms and values, e.g. "value brand (slot 2):
    // document 'x', record 'y'". Free-text terms are not compared: generating them is
    // what makes the text build slow.
    std::vector<std::string> differences;
  };

  ~TextChecker();
  [[nodiscard]] static Result<std::unique_ptr<TextChecker>> Open(const std::string& dir);

  uint64_t doc_count() const;
  uint64_t last_docid() const;  // highest document id in use (0 when empty)
  // Compares document `r.recno` with the boolean terms and values MakeDocument gives `r`.
  [[nodiscard]] Status Check(const Record& r, Document* out);
  // Document ids in use in [first, last], at most `limit` of them, in order.
  [[nodiscard]] Status DocidsIn(uint64_t first, uint64_t last, size_t limit, std::vector<uint64_t>* out);

 private:
  TextChecker();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hark::internal

#endif  // HARK_STORAGE_TEXT_INDEX_H_
