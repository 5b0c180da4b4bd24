// `hark kb`: a draft knowledge base from the archive: the questions customers keep
// asking (similar questions clustered into one entry), the best answer already given
// with the evidence for it, runners-up, and every conversation it came from; and
// `--gaps`: questions that keep coming back without a good answer.
//
// Pipeline: the threads in scope (a query, brands, sources or a time range select
// threads holding a matching message) are read one by one; MineThread
// (query/kb_mining.h) finds each one's question and ranks its answers;
// ClusterQuestions (query/kb_cluster.h) groups the questions of each brand (the same
// words addressed to two brands are two questions); an entry is a cluster with at least
// `min_support` threads. Stateless; the IndexReader is not thread-safe.
#ifndef HARK_QUERY_KB_H_
#define HARK_QUERY_KB_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "query/kb_mining.h"
#include "query/search.h"
#include "storage/index.h"

namespace hark {

struct KbRequest {
  std::string query;                          // threads with a message matching it
  std::vector<std::string> brands, sources;   // threads with a message of these
  std::optional<int64_t> from, to;            // threads whose question falls in the range
  size_t min_support = 2;                     // threads an entry needs
  size_t limit = 50;                          // entries printed
  bool gaps = false;                          // clusters without a good answer instead
  size_t similar = 10;                        // similar questions listed per entry
};

struct KbAnswer {
  std::string id, source, author, text;
  double score = 0;
  bool deflection = false;
  std::vector<std::string> why;
};

struct KbEntry {
  std::string question_id, question_source, question_title, question_text;
  std::vector<std::pair<std::string, std::string>> similar;  // (id, text) of other questions
  std::optional<KbAnswer> answer;                             // the best answer
  std::vector<KbAnswer> runners_up;                           // up to two
  std::vector<std::string> why;                               // the entry's evidence
  size_t support = 0;                                         // threads
  size_t resolved = 0;                                        // threads the asker confirmed
  int64_t first_seen = 0, last_seen = 0;
  std::vector<std::string> brands, channels;
  std::vector<std::string> sources;                           // every thread: "source:thread"
};

struct KbReport {
  uint64_t threads = 0;      // threads read
  uint64_t opening_missing = 0;  // care threads whose opening message is not archived
  uint64_t questions = 0;    // threads with a question
  uint64_t clusters = 0;
  std::vector<KbEntry> entries;  // by support, then last_seen, descending
};

// With `gaps` given, one pass fills both: the entries with a good answer in `out` and
// the gaps in `gaps` (request.gaps is then ignored); the counts are the same in both.
[[nodiscard]] Status ComputeKb(IndexReader& index, const KbRequest& request, KbReport* out,
                               KbReport* gaps = nullptr);

// Prints the report. Markdown (format "md", the default text): a readable KB draft, each
// entry with its question, answer, evidence and `hark thread` links to every source.
// JSON: {"gaps", "threads", "opening_missing", "questions", "clusters", "entries": [{"question": {"id", "source",
// "title", "text"}, "similar": [{"id", "text"}], "answer": {"id", "source", "author",
// "text", "score", "why"}, "runners_up": [...], "why", "support", "resolved",
// "first_seen", "last_seen", "brands", "channels", "sources"}]}. CSV: one row per entry.
[[nodiscard]] Status RunKb(IndexReader& index, const KbRequest& request, const RenderOptions& render,
                           std::ostream& out);

}  // namespace hark

#endif  // HARK_QUERY_KB_H_
