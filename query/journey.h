// `hark journey`: one customer's whole story. The journey of a customer is every message
// of every conversation in which the customer (any of their stitched handles) wrote, in
// time order, across every source and channel. Read from the authors and threads orders
// in RocksDB; the text index is not used. Stateless; the IndexReader is not thread-safe.
#ifndef HARK_QUERY_JOURNEY_H_
#define HARK_QUERY_JOURNEY_H_

#include <optional>
#include <ostream>
#include <string>

#include "query/search.h"
#include "storage/identities.h"
#include "storage/index.h"

namespace hark {

struct JourneyRequest {
  std::string customer;              // a handle or a person id
  std::optional<int64_t> from, to;   // keep messages in this time range (inclusive)
  const IdentityMap* identities = nullptr;  // query-time identities, on top of the index's
};

// The resolved customer: person id (empty when not stitched) and their handles.
struct Customer {
  std::string name, person;
  std::vector<std::string> handles;
};

// Resolves `name` through the index's identities and `extra` (may be null).
[[nodiscard]] Status ResolveCustomer(IndexReader& index, const std::string& name, const IdentityMap* extra,
                                     Customer* out);

// Prints the journey. JSON: {"customer", "person", "handles", "messages": [...],
// "conversations": [...], "summary": {...}} (README.md documents every field). NotFound
// when the customer wrote nothing.
[[nodiscard]] Status RunJourney(IndexReader& index, const JourneyRequest& request, const RenderOptions& render,
                                std::ostream& out);

}  // namespace hark

#endif  // HARK_QUERY_JOURNEY_H_
