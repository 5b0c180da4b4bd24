// `hark journeys`: customers whose journeys follow a pattern: a message of their own
// matching each step's query, in that order, each within a window of the previous one.
// Steps run as unranked Xapian matches; matches are grouped by person (stitched
// identities) and checked with an exact sequence test. Stateless; the IndexReader is
// not thread-safe.
#ifndef HARK_QUERY_JOURNEYS_H_
#define HARK_QUERY_JOURNEYS_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "query/search.h"
#include "storage/identities.h"
#include "storage/index.h"

namespace hark {

struct JourneysRequest {
  std::vector<std::string> steps;  // Xapian queries, at least one
  int64_t within = 0;              // seconds allowed between consecutive steps; 0 = no limit
  std::vector<std::string> brands; // only messages with these brands
  std::optional<int64_t> from, to;
  uint64_t limit = 20;             // customers printed; `total` counts them all
  const IdentityMap* identities = nullptr;
};

// Parses 30s, 30m, 12h, 1d, 2w (also combined: 1d12h). False on anything else.
bool ParseDuration(const std::string& text, int64_t* seconds);

// One step's chosen message for a customer.
struct StepMatch {
  uint64_t recno = 0;
  int64_t time = 0;
};

// For each step, the candidate messages of one customer, sorted by (time, recno). Returns
// true and fills `chain` with one message per step when the sequence exists: each step
// strictly after the previous one in (time, recno) order and at most `within` seconds
// later (0: any). Picks the chain that completes earliest, with the latest possible
// earlier steps (the tightest windows).
bool MatchSequence(const std::vector<std::vector<StepMatch>>& candidates, int64_t within, std::vector<StepMatch>* chain);

// One customer whose journey follows the pattern: the chosen message of each step.
struct JourneyMatch {
  std::string person;              // the stitched person, else the author's handle
  std::vector<StepMatch> chain;    // one per step, in order
};

struct JourneysReport {
  uint64_t total = 0;                   // every matching customer (exact)
  std::vector<JourneyMatch> customers;  // the first `limit`, by the time their chain completes, then person
};

// Finds the customers whose own messages match every step in order (what `hark
// journeys` prints, as data).
[[nodiscard]] Status ComputeJourneys(IndexReader& index, const JourneysRequest& request, JourneysReport* out);

// JSON: {"steps", "within_s", "total", "customers": [{"customer", "person", "matches":
// [{"step", "id", "source", "time", "text"}]}]}. `total` is exact.
[[nodiscard]] Status RunJourneys(IndexReader& index, const JourneysRequest& request, const RenderOptions& render,
                                 std::ostream& out);

}  // namespace hark

#endif  // HARK_QUERY_JOURNEYS_H_
