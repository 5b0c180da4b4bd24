// The public face of storage: an index directory opened for writing (IndexWriter, one
// per index at a time, enforced by a lock) or for reading (IndexReader, any number, never
// blocking the writer). Both hide RocksDB and Xapian entirely.
#ifndef HARK_STORAGE_INDEX_H_
#define HARK_STORAGE_INDEX_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "storage/identities.h"
#include "storage/record.h"
#include "storage/search_types.h"
#include "storage/status.h"

namespace hark {

// One ingested input file, as remembered by the index.
struct SourceFile {
  std::string path;      // absolute
  std::string format;
  std::string source;    // the source name its records were given (last seen)
  uint64_t size = 0;
  int64_t mtime = 0;
  uint64_t hash = 0;     // content hash of the raw bytes
  uint64_t records = 0;  // records indexed from it (all runs)
  uint64_t duplicates = 0;
  uint64_t rejected = 0;
  uint64_t offset = 0;   // bytes of the file consumed
  std::string ingested_at;  // RFC 3339 of the last run that read it
  // How it was read, so that `hark reindex --from-manifest` reads it the same way: the
  // --map pairs ("id=tweet_id,time=created_at"), --source and --channel given ("" none).
  std::string map, source_option, channel_option;
};

// The committed state of a generation: what readers see. Written atomically.
struct IndexState {
  int schema_version = 0;
  uint64_t generation = 0;
  uint64_t records = 0;        // records visible: recnos 1..records
  std::string text_dir;        // live Xapian directory name inside the generation
  int text_layout = 1;         // schema::kTextLayout of text_dir (1 when the manifest has none)
  std::string created_at;      // RFC 3339
  std::string updated_at;      // RFC 3339 of the last commit
  std::string hark_version;
  std::vector<SourceFile> sources;
};

// hark ingest --memory: the most an ingest holds in memory at its peak, by default and
// at least.
inline constexpr uint64_t kDefaultIngestMemory = uint64_t{512} << 20;
inline constexpr uint64_t kMinIngestMemory = uint64_t{128} << 20;

// How an ingest spends its memory budget (README "Memory"). A fixed 64 MiB is the program
// itself (code, libraries, thread stacks, Xapian's and RocksDB's own state) and the
// allocator's slack; the rest, U, is split among the parts that grow with their setting.
// The pipeline's parts (memtables, blocks) are freed before the text build starts. Not in
// the plan: the store's index and filter blocks, which grow with the store and which the
// id look-up of every appended record needs in memory (storage/rocks_store.cc CfOptions).
struct IngestMemoryPlan {
  uint64_t memtable_bytes = 0;  // U/4: the store's memtables, flushed at this size (and up
                                // to twice it held while a flush runs)
  uint64_t cache_bytes = 0;     // U/8: the writer's block cache (data blocks)
  uint64_t pipeline_bytes = 0;  // U/8: the pipeline's blocks in flight, raw and parsed
  uint64_t chunk_bytes = 0;     // U/2: the text chunks being built, one per thread
};
// The plan for `budget` bytes (at least kMinIngestMemory; callers check).
IngestMemoryPlan PlanIngestMemory(uint64_t budget);

struct WriterOptions {
  // Worker threads for building the text index; 0 = all cores.
  int threads = 0;
  // What the writer may hold in memory, in bytes (PlanIngestMemory): at least
  // kMinIngestMemory. The text chunks get fewer records than `text_chunk_records` when
  // one per thread would not fit.
  uint64_t memory_bytes = kDefaultIngestMemory;
  // Records per Xapian chunk built in parallel before the merge. Smaller chunks keep
  // Xapian's in-memory postlist maps small (measured, 1M generated messages, 2 threads:
  // 10,000 -> text 53.9 s + merge 10.1 s, 75.2 s in all; 50,000 -> 69.8 s + 10.2 s, 95.8 s;
  // at 200k: 5,000 and 25,000 are no better than 10,000, 100,000 is worse).
  uint64_t text_chunk_records = 10000;
  // Build a new generation beside the live one (hark reindex): a fresh store and text
  // index in gen-<N+1>, starting with the live generation's brand lexicon and
  // identities; commits stay invisible to readers until PublishGeneration(). A build
  // left unpublished by a crash is removed by the next writer that opens the index.
  bool new_generation = false;
};

// Where the last Commit() spent its time (seconds), for reports and profiles.
struct CommitStats {
  double flush_seconds = 0;    // making appended records durable
  double text_seconds = 0;     // building Xapian chunks in parallel
  double merge_seconds = 0;    // compacting old database + chunks into the new one
  // The text database was rebuilt from every record, not merged: the commit changed
  // records indexed before it (schema::kTextLayout), or the live one had an older layout.
  bool text_rebuilt = false;
  double publish_seconds = 0;  // the atomic state write and clean-up
  uint64_t chunks = 0;
};

// One message of a conversation, as the threads order keeps it: enough for conversation
// metrics without decoding the record.
struct ThreadEntry {
  uint64_t recno = 0;
  int64_t time = 0;
  Role role = Role::kUnknown;
  uint32_t flags = 0;  // RecordFlag bits
  double sentiment = 0;
  std::string channel, brand, author;
};

// One message of an author, as the authors order keeps it.
struct AuthorMessage {
  uint64_t recno = 0;
  int64_t time = 0;
  std::string source, thread;
};

// One match of a query, unranked: what pattern and time-series queries need.
struct MatchRow {
  uint64_t recno = 0;
  int64_t time = 0;
  std::string author;  // lower-cased
  std::string thread;  // the conversation: source \x1f thread id (unique per conversation)
  Role role = Role::kUnknown;
};

// Progress of a long storage step: (step name, done, total).
using ProgressFn = std::function<void(const char* step, uint64_t done, uint64_t total)>;

// IndexWriter: appends records and publishes them atomically with Commit(). Not
// thread-safe: one thread drives it (the pipeline's serial stage). Holds INDEX/LOCK for
// its lifetime; a second writer gets a Busy status naming the holder's pid.
//
// Records appended are invisible to readers until Commit() has built their text index
// and moved the committed state forward in one atomic RocksDB write. After a crash,
// Open() rolls back whatever was appended but not committed, so a re-run of the same
// ingest produces the same index as an uninterrupted one.
class IndexWriter {
 public:
  virtual ~IndexWriter() = default;

  // Opens (creating if missing) the index at `dir`.
  [[nodiscard]] static Result<std::unique_ptr<IndexWriter>> Open(const std::string& dir,
                                                                 const WriterOptions& options);

  virtual const IndexState& state() const = 0;

  // Marks duplicates: sets `dup[i] = true` for records whose (source, id) is already stored
  // or appears earlier in `records`.
  [[nodiscard]] virtual Status FindDuplicates(const std::vector<Record>& records, std::vector<bool>* dup) = 0;

  // Stores `records` (none may be a duplicate), assigning each its recno.
  [[nodiscard]] virtual Status Append(std::vector<Record>* records) = 0;

  // The stored record with (source, id), committed or not; nullopt when absent.
  [[nodiscard]] virtual Result<std::optional<Record>> Find(const std::string& source, const std::string& id) = 0;
  [[nodiscard]] virtual Result<Record> Get(uint64_t recno) = 0;
  // Recnos of the thread (source, thread), in time order.
  [[nodiscard]] virtual Status ThreadMembers(const std::string& source, const std::string& thread,
                                             std::vector<uint64_t>* recnos) = 0;

  // Replaces a stored record (same recno, source, id, time) with new thread, brand,
  // accepted or analysis fields; keeps orders and counters right and re-indexes its text.
  [[nodiscard]] virtual Status Update(const Record& record) = 0;

  // Stores identity mappings (published by Commit). A handle given to another person
  // before moves to the new one.
  [[nodiscard]] virtual Status AddIdentities(const IdentityMap& identities) = 0;

  // The canonical brand lexicon the index's mentions were tagged with ("" for none).
  [[nodiscard]] virtual Result<std::string> StoredBrandLexicon() = 0;
  // Records `canonical` as the index's brand lexicon (published by Commit).
  [[nodiscard]] virtual Status SetBrandLexicon(const std::string& canonical) = 0;

  // Remembers an id used as a thread name because its message was not (yet) stored.
  [[nodiscard]] virtual Status MarkDangling(const std::string& source, const std::string& id) = 0;
  // True when (source, id) was marked dangling; clears the mark.
  [[nodiscard]] virtual Result<bool> TakeDangling(const std::string& source, const std::string& id) = 0;

  // Recnos appended since the last commit: (first, last]; first == last when none.
  virtual uint64_t committed_records() const = 0;
  virtual uint64_t appended_records() const = 0;

  // Builds the text index of everything appended (in parallel), merges it with the
  // live one, then publishes records, counters and `sources` in one atomic step.
  [[nodiscard]] virtual Status Commit(const std::vector<SourceFile>& sources, const ProgressFn& progress) = 0;
  virtual const CommitStats& last_commit() const = 0;

  // With WriterOptions::new_generation, after the last Commit(): makes the generation
  // built the live one by replacing CURRENT atomically (a reader opens the old one or
  // the new one, never a mix), then removes generations beyond the `keep` newest (never
  // the live one). FailedPrecondition in the other mode.
  [[nodiscard]] virtual Status PublishGeneration(size_t keep) = 0;
};

// One generation directory of an index, as `hark generations` lists it.
struct GenerationInfo {
  uint64_t number = 0;
  std::string name;     // gen-000002
  bool live = false;    // CURRENT names it
  bool building = false;  // a reindex is (or was, before a crash) building it
  uint64_t records = 0;
  std::string created_at, updated_at;
  uint64_t bytes = 0;
  size_t sources = 0;   // source files in its manifest
};

// The generations of the index at `dir`, oldest first. Reads only the manifests: never
// blocks and is never blocked. NotFound when there is no index.
[[nodiscard]] Result<std::vector<GenerationInfo>> ListGenerations(const std::string& dir);

// Makes the newest complete generation older than the live one live (CURRENT replaced
// atomically); takes the writer's lock (Busy while a writer runs). Returns its number.
[[nodiscard]] Result<uint64_t> RollBackGeneration(const std::string& dir);

// A token that changes whenever IndexReader::Open(dir) would see something new: another
// generation made live (reindex, rollback) or a commit to the live one (ingest), whose
// manifest.json is replaced after the commit holds. Cheap (reads CURRENT, stats one file),
// for long-running readers such as hark serve. Thread-safe.
[[nodiscard]] Result<std::string> LiveIndexVersion(const std::string& dir);

// Removes generations beyond the `keep` (>= 1) newest, never the live one nor one being
// built; takes the writer's lock. Names of the removed generations go to *removed.
[[nodiscard]] Status PruneGenerations(const std::string& dir, size_t keep, std::vector<std::string>* removed);

// Counts for `hark stats`.
struct IndexStats {
  IndexState state;
  std::string dir;
  std::string generation_dir;
  uint64_t documents = 0;        // Xapian document count (== state.records)
  uint64_t terms = 0;            // distinct terms
  int64_t first_time = 0, last_time = 0;
  std::map<std::string, uint64_t> by_source, by_channel, by_role, by_brand;
  uint64_t store_bytes = 0, text_bytes = 0;
};

// IndexReader: a read-only view of the live generation as committed when opened.
// Never takes the writer's lock. Not thread-safe (Xapian objects are per thread): open
// one per thread.
class IndexReader {
 public:
  virtual ~IndexReader() = default;

  // Opens the live generation of `dir`. NotFound when there is no index there.
  [[nodiscard]] static Result<std::unique_ptr<IndexReader>> Open(const std::string& dir);

  virtual const IndexState& state() const = 0;
  [[nodiscard]] virtual Result<Record> Get(uint64_t recno) = 0;
  // The records with these recnos, in the same order (one batched read).
  [[nodiscard]] virtual Status GetMany(const std::vector<uint64_t>& recnos, std::vector<Record>* out) = 0;
  // The canonical brand lexicon the index's mentions were tagged with ("" for none).
  [[nodiscard]] virtual Result<std::string> StoredBrandLexicon() = 0;
  // Records with this id in any source (or only `source` when non-empty).
  [[nodiscard]] virtual Status FindById(const std::string& id, const std::string& source,
                                        std::vector<Record>* out) = 0;
  // The whole thread (source, thread), in time order.
  [[nodiscard]] virtual Status Thread(const std::string& source, const std::string& thread,
                                      std::vector<Record>* out) = 0;
  [[nodiscard]] virtual Result<SearchResponse> Search(const SearchRequest& request) = 0;
  [[nodiscard]] virtual Result<IndexStats> Stats() = 0;

  // The person `name` is (a person id or one of their handles, from the identities
  // stored at ingest) and all their handles, lower-cased; when `name` is nobody's,
  // person is empty and handles is {lower(name)}.
  [[nodiscard]] virtual Status ResolveIdentity(const std::string& name, std::string* person,
                                               std::vector<std::string>* handles) = 0;
  // Appends the messages written by `author` (case-insensitive), in time order.
  [[nodiscard]] virtual Status AuthorMessages(const std::string& author, std::vector<AuthorMessage>* out) = 0;
  // The messages of each of `threads` ((source, thread) pairs, fastest in ascending
  // order) in time order, out[i] for threads[i] (no record decoding).
  [[nodiscard]] virtual Status ThreadEntries(const std::vector<std::pair<std::string, std::string>>& threads,
                                             std::vector<std::vector<ThreadEntry>>* out) = 0;
  // Calls fn for every thread with its messages in time order; a non-OK status stops.
  using ThreadFn = std::function<Status(const std::string& source, const std::string& thread,
                                        const std::vector<ThreadEntry>& entries)>;
  [[nodiscard]] virtual Status ForEachThread(const ThreadFn& fn) = 0;
  // Every match of `request` (query and filters; sort, limit and facets ignored), in
  // record order, without ranking.
  [[nodiscard]] virtual Status CollectMatches(const SearchRequest& request, std::vector<MatchRow>* out) = 0;
  // The per-day counts of one counter series ("all", "brand:<b>", ...: schema.h; values
  // lower-cased as in the index) for UTC days [first_day, last_day] (days since the
  // epoch), added into `out` by day; days without messages are absent. Reads only the
  // counters family: cost grows with the days in the series, not with the messages.
  // The times of the first and last message (0, 0 for an empty index). Cheap: read from
  // the text index's value bounds.
  virtual std::pair<int64_t, int64_t> TimeBounds() = 0;
  [[nodiscard]] virtual Status DailyCounts(const std::string& series, int64_t first_day, int64_t last_day,
                                           std::map<int64_t, uint64_t>* out) = 0;
};

}  // namespace hark

#endif  // HARK_STORAGE_INDEX_H_
