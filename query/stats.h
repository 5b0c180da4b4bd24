// `hark stats`: what an index holds (documents, per source / channel / role / brand
// counts, time range, generation, sizes). Stateless; the IndexReader is not thread-safe.
#ifndef HARK_QUERY_STATS_H_
#define HARK_QUERY_STATS_H_

#include <ostream>

#include "query/search.h"
#include "storage/index.h"

namespace hark {

// JSON: {"documents", "generation", "first_time", "last_time", "by_source", "by_channel",
// "by_role", "by_brand", "sizes": {"store_bytes", "text_bytes"}, "sources": [...]}.
[[nodiscard]] Status RunStats(IndexReader& index, const RenderOptions& render, std::ostream& out);

}  // namespace hark

#endif  // HARK_QUERY_STATS_H_
