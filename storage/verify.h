// VerifyIndex: checks that an index's two stores agree with each other and with the
// committed state of its live generation (the one CURRENT names), reading everything
// once. Read-only: it opens the stores as IndexReader does, never takes the writer's
// lock and never blocks a writer. VerifyIndex is thread-compatible: any number may run
// at once, on one index or several, each with its own report.
//
// What holds for a sound index (each failure is a problem of the kind in brackets):
//   files     CURRENT names an existing generation directory [current]; its record store
//             opens and holds a committed state of that generation [store, state]; the
//             text database the state names exists and opens [text_dir]; manifest.json
//             parses and every field equals the state's, sources included [manifest]; the
//             source files account for no more records than are committed
//             [source_records]. They may account for fewer: records stored through
//             IndexWriter without a source file, and (a known ingest quirk) a file named
//             twice on one command line, whose count the second mention overwrites; that
//             is a warning.
//   records   recnos 1..records each hold a decodable record [record_missing,
//             record_corrupt]; records beyond are leftovers of a run that did not commit
//             (a crash, or a writer still running): a warning, never a problem.
//   ids       each record's (source, id) maps to its recno [id_missing, id_mismatch];
//             every entry naming a committed recno is that record's [id_extra].
//   threads   one entry per record with a thread, with the record's values
//   authors   [thread_missing, thread_mismatch, thread_extra]; likewise for authors.
//   text      as many documents as records [text_count]; document recno exists
//             [text_missing], carries the record's identity (value slot uid; a Q term in
//             layout 1) [text_identity] and the boolean terms and values the record gives
//             [text_mismatch]; no document
//             beyond the committed records [text_extra].
//   counters  every per-day counter equals a recount over the committed records with the
//             writer's own schema::CounterSeries and DayOf [counter_missing,
//             counter_extra, counter_mismatch].
// Entries beyond the committed records (ids, threads, authors) belong to uncommitted
// records and are only counted. Memory: a batch of records at a time, plus the counter
// recount (one entry per series and day).
#ifndef HARK_STORAGE_VERIFY_H_
#define HARK_STORAGE_VERIFY_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "storage/index.h"
#include "storage/status.h"

namespace hark {

struct VerifyOptions {
  // Problems kept in full in the report; every problem is counted in problem_counts.
  size_t max_problems = 20;
  // Called as the checks advance: ("records", done, total), then ("ids"|"threads"|
  // "authors"|"counters", done, total) where total is an estimate. May be empty.
  ProgressFn progress;
};

struct VerifyProblem {
  std::string kind;      // one of the kinds above
  std::string detail;    // one line naming the record, key or file and what differs
  uint64_t recno = 0;    // the record concerned; 0 when none
  std::string key;       // the key, file or field concerned, printable; "" when none
  std::string stored;    // what the index holds there ("" when absent or not shown)
  std::string expected;  // what it should hold: the other store's, the state's, a recount
};

struct VerifyReport {
  std::string dir;
  std::string generation_dir;  // "" when CURRENT names none that exists
  uint64_t generation = 0;
  uint64_t records = 0;        // committed records (the state's)

  // What was checked.
  uint64_t documents = 0;       // text documents
  uint64_t ids = 0;             // ids entries of committed records
  uint64_t thread_entries = 0;  // threads-order entries of committed records
  uint64_t author_entries = 0;  // authors-order entries of committed records
  uint64_t counters = 0;        // counter keys stored
  uint64_t sources = 0;         // source files in the state
  uint64_t source_records = 0;  // records the source files account for
  uint64_t uncommitted = 0;     // records beyond the committed ones (warned about)
  int writer_pid = 0;           // a writer holding the index's lock while we ran; 0 when none
  double seconds = 0;

  std::vector<VerifyProblem> problems;             // the first max_problems, in check order
  std::map<std::string, uint64_t> problem_counts;  // kind -> problems found
  std::vector<std::string> warnings;

  bool ok() const { return problem_counts.empty(); }
  uint64_t problem_total() const {
    uint64_t n = 0;
    for (const auto& [kind, count] : problem_counts) n += count;
    return n;
  }
};

// Verifies the index at `dir` into *out. Problems found are the report's, not the
// status's: the status is NotFound when `dir` holds no index (no CURRENT file), else OK.
// A store that cannot be read (RocksDB or Xapian report damage midway) is a problem of
// kind store or text_dir, and ends the checks that need it.
[[nodiscard]] Status VerifyIndex(const std::string& dir, const VerifyOptions& options, VerifyReport* out);

}  // namespace hark

#endif  // HARK_STORAGE_VERIFY_H_
