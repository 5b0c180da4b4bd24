// ThreadLinker: rebuilds conversations from reply links across the whole input.
//
// A record's thread is the source's own thread id when it has one; otherwise the id
// of the top-most ancestor reachable through `parent` links, or, when an ancestor is
// missing, the id of that missing message. So a reply that arrives before its parent
// (later in the file, in another file, in a later run) starts a thread named after the
// parent, and when the parent arrives and turns out to have a parent of its own, the
// early replies are moved into the right thread ("merges", resolved in Finish()).
//
// Also fills what only the conversation knows: a customer message's brand is the brand
// of the agent who answers it; an answer named by its question's AcceptedAnswerId is
// marked accepted.
//
// Not thread-safe: driven by the pipeline's serial stage.
#ifndef HARK_INDEXER_THREAD_LINKER_H_
#define HARK_INDEXER_THREAD_LINKER_H_

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/index.h"

namespace hark {

class ThreadLinker {
 public:
  explicit ThreadLinker(IndexWriter* writer) : writer_(writer) {}

  // Gives each record of a batch (new, in input order, not yet appended) its thread,
  // and updates stored parents where the reply tells something new about them.
  [[nodiscard]] Status Assign(std::vector<Record>* batch);

  // After the last Append: moves early replies into their final threads and enriches
  // the threads that saw out-of-order arrivals. *moved = records re-threaded.
  [[nodiscard]] Status Finish(uint64_t* moved);

 private:
  struct ThreadName {
    std::string source, thread;
    bool operator<(const ThreadName& o) const { return std::tie(source, thread) < std::tie(o.source, o.thread); }
  };
  // Applies parent -> child facts (brand, accepted) to a reply and its parent.
  [[nodiscard]] Status LinkToParent(Record* child, Record* parent_in_batch, Record* parent_stored);
  [[nodiscard]] Status Enrich(const ThreadName& thread);
  std::string Resolve(const std::string& source, const std::string& thread);

  IndexWriter* writer_;
  std::map<ThreadName, std::string> merges_;  // thread -> the thread it belongs under
  std::set<ThreadName> to_enrich_;
};

}  // namespace hark

#endif  // HARK_INDEXER_THREAD_LINKER_H_
