// Ingest: the batch job that reads archives into an index.
//
// A oneTBB parallel_pipeline per run:
//   read   (serial in order)  files one after another, cut into blocks of whole records;
//   parse  (parallel)         block -> Records + Rejects, then per-record analysis;
//   store  (serial in order)  dedupe on (source, id), thread linking, append to the store,
//                             rejects to the quarantine file, progress.
// Then thread merges are resolved and IndexWriter::Commit builds the text index in
// parallel chunks and publishes everything atomically. RunIngest is not reentrant for
// one index (the writer's lock enforces it).
#ifndef HARK_INDEXER_INGEST_H_
#define HARK_INDEXER_INGEST_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "indexer/progress.h"
#include "indexer/reader.h"
#include "storage/index.h"
#include "storage/status.h"

namespace hark {

struct IngestOptions {
  std::string index_dir;
  std::vector<std::string> files;
  Format format = Format::kAuto;
  ReaderOptions reader;
  int threads = 0;               // 0 = all cores
  // The most the run holds in memory (hark ingest --memory; storage's IngestMemoryPlan):
  // the pipeline keeps fewer blocks in flight, the store smaller memtables and the text
  // build smaller chunks when it is low.
  uint64_t memory_bytes = kDefaultIngestMemory;
  std::string rejects_path;      // default: INDEX/rejects/<time>-<pid>.jsonl, only if any
  double max_reject_rate = -1;   // < 0: no limit; else exit 3 above this fraction
  bool force = false;            // re-read files that are unchanged since their last ingest
  std::string identities_path;   // CSV or JSON identities stored with the index (may be "")
  // A brand lexicon (BrandLexicon's JSON) to tag mentions with. Stored with the index:
  // later runs without it tag with the stored one; a different one is refused.
  std::string brands_path;
  Progress::Mode progress = Progress::Mode::kAuto;
  // How particular files are read (by path as given), overriding `format` and `reader`:
  // `hark reindex --from-manifest` reads each file as it was first read.
  struct FileSettings {
    Format format = Format::kAuto;
    ReaderOptions reader;
  };
  std::map<std::string, FileSettings> per_file;
  // hark reindex: build a new generation from `files` beside the live one and make it
  // live when the run completes (WriterOptions::new_generation); then keep the
  // `keep_generations` newest generations.
  bool new_generation = false;
  size_t keep_generations = 2;
};

struct FileReport {
  std::string path;
  std::string format;
  std::string error;        // empty when the file was read to its end
  bool unchanged = false;   // skipped: same size and mtime as when last ingested
  uint64_t resumed_at = 0;  // a grown file read from this byte offset (0: from its start)
  uint64_t bytes = 0;
  uint64_t read = 0;        // records parsed (indexed + duplicates)
  uint64_t indexed = 0;
  uint64_t duplicates = 0;
  uint64_t rejected = 0;
  std::map<std::string, uint64_t> skipped;
};

struct IngestReport {
  std::vector<FileReport> files;
  uint64_t read = 0, indexed = 0, duplicates = 0, rejected = 0, skipped = 0, rethreaded = 0;
  uint64_t bytes = 0;
  double seconds = 0;
  uint64_t index_records = 0;  // records in the index after the run
  uint64_t generation = 0;
  std::string rejects_file;
  int threads = 0;
  uint64_t memory_bytes = 0;    // the run's budget (IngestOptions::memory_bytes)
  uint64_t peak_rss_bytes = 0;  // the process's peak resident memory so far (getrusage)
  // Seconds per phase: "pipeline" (read, parse, analyse, store), "threads" (merges),
  // "flush", "text" (parallel Xapian chunks), "merge" (compaction), "publish".
  std::vector<std::pair<std::string, double>> phases;
  int exit_code = 0;           // 0 ok, 1 failure, 3 reject rate above the limit
  std::string error;           // why the run failed as a whole (exit 1)
  bool committed = false;      // the run's records were published (false after a failure)
  // The text index was rebuilt from every record rather than merged: the run changed
  // records indexed before it (their brand, thread or accepted answer), see CommitStats.
  bool text_rebuilt = false;
  uint64_t text_chunks = 0;  // Xapian chunk databases built and merged (every shard's)

  double docs_per_second() const { return seconds > 0 ? indexed / seconds : 0; }
  double mb_per_second() const { return seconds > 0 ? bytes / 1e6 / seconds : 0; }
  double reject_rate() const { return read + rejected > 0 ? static_cast<double>(rejected) / (read + rejected) : 0; }
};

// Runs one ingest; the run is one batch: all of its records are published together by
// one commit, or none is. An input fault (a missing or unreadable file, a truncated or
// corrupt .zst, a file that changed while it was read) stops the run before the commit:
// the report says which file, where and why (files[i].error, error, exit_code 1,
// committed false) and the index is exactly as it was. So is it after a crash or kill
// at any moment (the next writer rolls back what was appended); re-running the same
// command then gives the index an uninterrupted run gives, with the same record numbers.
// Files read before are skipped when unchanged, read from where they ended when they
// only grew (line-based formats, uncompressed), else read again with duplicates
// dropped. An error of the index itself returns a failed Status (same guarantees).
[[nodiscard]] Result<IngestReport> RunIngest(const IngestOptions& options);

// The report as JSON (the --stats-json format, documented in README.md).
std::string IngestReportJson(const IngestReport& report);

}  // namespace hark

#endif  // HARK_INDEXER_INGEST_H_
