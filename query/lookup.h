// Look-ups by id: `hark show` (one record) and `hark thread` (a whole conversation in
// time order). Stateless functions; the IndexReader is not thread-safe.
#ifndef HARK_QUERY_LOOKUP_H_
#define HARK_QUERY_LOOKUP_H_

#include <ostream>
#include <string>

#include "query/search.h"
#include "storage/index.h"

namespace hark {

// Prints every record with `id` (in `source` when given). NotFound when none; an id
// found in several sources prints all of them (JSON: {"records": [...]}).
[[nodiscard]] Status RunShow(IndexReader& index, const std::string& id, const std::string& source,
                             const RenderOptions& render, std::ostream& out);

// Prints the conversation holding the message `id` (in `source` when given), in time
// order. JSON: {"thread", "source", "messages": [...]}.
[[nodiscard]] Status RunThread(IndexReader& index, const std::string& id, const std::string& source,
                               const RenderOptions& render, std::ostream& out);

}  // namespace hark

#endif  // HARK_QUERY_LOOKUP_H_
