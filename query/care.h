// `hark care`: customer-care metrics per brand, channel or month, from every
// conversation with a customer message (definitions in query/conversation.h). One
// sequential pass over the threads order in RocksDB; no record is decoded. Stateless;
// the IndexReader is not thread-safe.
#ifndef HARK_QUERY_CARE_H_
#define HARK_QUERY_CARE_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "query/search.h"
#include "storage/index.h"

namespace hark {

enum class CareGroup { kBrand, kChannel, kMonth };

struct CareRequest {
  CareGroup by = CareGroup::kBrand;
  std::vector<std::string> brands;  // only conversations with these brands (case-insensitive)
  std::optional<int64_t> from, to;  // by the time of the conversation's first customer message
};

struct CareRow {
  std::string group;
  uint64_t conversations = 0;
  uint64_t answered = 0;
  uint64_t resolved = 0;
  uint64_t messages = 0;
  uint64_t turns = 0;
  std::optional<double> first_response_median_s;
  std::optional<int64_t> first_response_p90_s;
};

// Computes the rows (sorted by conversations, descending; months ascending).
[[nodiscard]] Status ComputeCare(IndexReader& index, const CareRequest& request, std::vector<CareRow>* rows);

// JSON: {"by", "<group>s": [{"<group>", "conversations", "answered", "share_answered",
// "first_response_median_s", "first_response_p90_s", "turns_per_conversation",
// "messages_per_conversation", "resolved", "share_resolved"}], "total": {...}}.
[[nodiscard]] Status RunCare(IndexReader& index, const CareRequest& request, const RenderOptions& render,
                             std::ostream& out);

}  // namespace hark

#endif  // HARK_QUERY_CARE_H_
