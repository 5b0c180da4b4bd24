// Search: full-text search with filters, facets, collapsing and snippets, rendered as
// text, JSON or CSV. Stateless functions; the IndexReader they use is not thread-safe.
#ifndef HARK_QUERY_SEARCH_H_
#define HARK_QUERY_SEARCH_H_

#include <ostream>

#include "query/output.h"
#include "storage/index.h"

namespace hark {

struct RenderOptions {
  OutputFormat format = OutputFormat::kText;
  bool ansi = false;  // bold matches on a terminal
};

// Runs `request` and prints the response. JSON: {"total", "exact", "total_lower",
// "total_upper", "offset", "limit", "query", "hits": [record fields + "rank", "weight",
// "snippet", "collapsed"], "facets": {field: [{"value", "count"}]}}.
[[nodiscard]] Status RunSearch(IndexReader& index, const SearchRequest& request, const RenderOptions& render,
                               std::ostream& out);

}  // namespace hark

#endif  // HARK_QUERY_SEARCH_H_
