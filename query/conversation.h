// Conversation metrics shared by `hark journey` and `hark care`. Definitions (also in
// README.md, "Journeys and care"):
//   conversation     a thread (reply links, or the source's own thread id);
//   brand            of the first agent message that has one, else the first brand seen;
//   first response   time of the first agent message at or after the customer's first
//                    message, minus the time of that message; none = unanswered;
//   turns            runs of consecutive messages from the same side (the customer,
//                    agents, anyone else);
//   resolved         a closing signal from the customer (thanks, "that worked") after
//                    someone else has replied, or the conversation ends with an agent's
//                    closing message ("glad we could help") and no customer reply after it.
// Pure functions: thread-safe.
#ifndef HARK_QUERY_CONVERSATION_H_
#define HARK_QUERY_CONVERSATION_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "storage/index.h"

namespace hark {

struct ConversationSummary {
  std::string source, thread;
  std::string brand, channel;
  uint64_t messages = 0;
  uint64_t turns = 0;
  const ThreadEntry* first = nullptr;           // first message
  const ThreadEntry* last = nullptr;            // last message
  const ThreadEntry* first_customer = nullptr;  // nullptr: the customer never wrote
  const ThreadEntry* last_customer = nullptr;
  const ThreadEntry* first_response = nullptr;  // the answering agent message
  std::optional<int64_t> first_response_s;      // nullopt: unanswered
  bool resolved = false;
  std::string resolved_by;  // "customer" or "agent" when resolved
};

// Summarises one conversation (entries in time order; they must outlive the summary).
// `is_customer` says which messages are the customer's.
ConversationSummary Summarize(const std::string& source, const std::string& thread,
                              const std::vector<ThreadEntry>& entries,
                              const std::function<bool(const ThreadEntry&)>& is_customer);

// Median (mean of the two middle values for an even count) and nearest-rank percentile
// of `values` (sorted in place). Both nullopt when empty.
std::optional<double> Median(std::vector<int64_t>* values);
std::optional<int64_t> Percentile(std::vector<int64_t>* values, double p);

}  // namespace hark

#endif  // HARK_QUERY_CONVERSATION_H_
