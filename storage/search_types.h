// Plain request/response types for full-text search (storage/index.h). Value types:
// thread-compatible.
#ifndef HARK_STORAGE_SEARCH_TYPES_H_
#define HARK_STORAGE_SEARCH_TYPES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/record.h"

namespace hark {

enum class SortOrder { kRelevance, kNewest, kOldest };

struct SearchRequest {
  // Xapian query syntax: AND OR NOT, "phrases", NEAR, field:value prefixes (author, brand,
  // channel, role, thread, source, tag, mention, title), date ranges 2017-10-01..2017-10-31.
  // Empty: every record (filters alone select).
  std::string query;
  // Exact-match filters (case-insensitive), each ANDed; several values of one field are ORed.
  // "sentiment" takes classes: positive (>= 0.05), neutral, negative (<= -0.05).
  std::map<std::string, std::vector<std::string>> filters;  // field -> values
  std::optional<int64_t> from, to;  // time range, inclusive, epoch seconds
  SortOrder sort = SortOrder::kRelevance;
  uint64_t offset = 0;
  uint64_t limit = 10;
  std::vector<std::string> facets;  // brand channel role author source
  bool collapse_thread = false;
  bool exact = false;                // make `total` exact
  bool snippets = true;
  size_t snippet_length = 200;
};

struct SearchHit {
  Record record;
  double weight = 0;
  uint64_t rank = 0;
  uint64_t collapsed = 0;  // other hits of the same thread folded into this one
  std::string snippet;     // HTML-escaped text with matches in <b>...</b>
};

struct SearchResponse {
  uint64_t total = 0;  // exact when `exact`, else Xapian's estimate
  bool exact = false;
  uint64_t total_lower = 0, total_upper = 0;
  std::vector<SearchHit> hits;
  std::map<std::string, std::vector<std::pair<std::string, uint64_t>>> facets;  // by count desc
  std::string parsed_query;  // Xapian's description, for --explain
};

}  // namespace hark

#endif  // HARK_STORAGE_SEARCH_TYPES_H_
