// Record: one message of an archived conversation, in hark's canonical form.
//
// This is the in-memory shape of the stable interchange format documented in
// README.md ("The record"): every reader produces Records, every store keeps them.
// A plain value type: thread-compatible.
#ifndef HARK_STORAGE_RECORD_H_
#define HARK_STORAGE_RECORD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hark {

// Who is speaking in a conversation.
enum class Role : uint8_t { kUnknown = 0, kCustomer = 1, kAgent = 2, kCommunity = 3 };

// "customer", "agent", "community" or "" for kUnknown.
std::string_view RoleName(Role role);
// Parses a role name (case-insensitive); false when it is not one of the three.
bool ParseRole(std::string_view name, Role* role);

struct Record {
  // Record number: assigned by the store at ingest, 1-based, dense; also the Xapian
  // document id. 0 until assigned.
  uint64_t recno = 0;

  std::string source;   // data set or system; hark keys on (source, id)
  std::string id;       // unique within source
  std::string channel;  // twitter, forum, email, chat, review, ...
  int64_t time = 0;     // seconds since the Unix epoch, UTC
  std::string author;   // handle or id within the channel
  Role role = Role::kUnknown;
  std::string brand;    // brand/company the conversation is with
  std::string parent;   // id (same source) of the message this replies to
  std::string thread;   // conversation id; empty in reader output unless the source has one
  std::string title;    // subject / question title
  std::string text;     // plain-text body (markup already stripped)
  std::optional<int64_t> score;   // votes / likes
  std::optional<bool> accepted;   // accepted answer (Q&A sites)
  std::vector<std::string> tags;
  // Id (same source) of the answer the asker accepted, on Q&A questions. The ingest
  // thread phase turns it into `accepted = true` on that answer.
  std::string accepted_answer;

  // Analysis results, filled by the indexer before storage.
  double sentiment = 0.0;              // in [-1, 1]
  std::vector<std::string> mentions;   // brands mentioned in the text (lexicon names)
  uint32_t flags = 0;                  // bit set of RecordFlag

  bool operator==(const Record&) const = default;
};

enum RecordFlag : uint32_t {
  kFlagQuestion = 1u << 0,     // the message asks something
  kFlagThanks = 1u << 1,       // a closing signal from a customer: thanks, "that worked", "sorted now"
  kFlagAgentClose = 1u << 2,   // a closing message from an agent: "glad we could help", "have a great day"
};

}  // namespace hark

#endif  // HARK_STORAGE_RECORD_H_
