#include "query/search.h"

#include <cstdio>

#include "storage/time_parse.h"

namespace hark {

Status RunSearch(IndexReader& index, const SearchRequest& request, const RenderOptions& render, std::ostream& out) {
  Result<SearchResponse> result = index.Search(request);
  if (!result.ok()) return result.status();
  const SearchResponse& resp = *result;

  if (render.format == OutputFormat::kJson) {
    nlohmann::json hits = nlohmann::json::array();
    for (const SearchHit& h : resp.hits) {
      nlohmann::json j = RecordJson(h.record);
      j["rank"] = h.rank;
      j["weight"] = h.weight;
      if (request.snippets) j["snippet"] = h.snippet;
      if (request.collapse_thread) j["collapsed"] = h.collapsed;
      hits.push_back(std::move(j));
    }
    nlohmann::json facets = nlohmann::json::object();
    for (const auto& [field, values] : resp.facets) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& [value, count] : values) list.push_back({{"value", value}, {"count", count}});
      facets[field] = list;
    }
    WriteJson(out, {{"query", request.query},
                    {"total", resp.total},
                    {"exact", resp.exact},
                    {"total_lower", resp.total_lower},
                    {"total_upper", resp.total_upper},
                    {"offset", request.offset},
                    {"limit", request.limit},
                    {"generation", index.state().generation},
                    {"hits", hits},
                    {"facets", facets}});
    return Status::Ok();
  }

  if (render.format == OutputFormat::kCsv) {
    WriteCsvRow(out, {"rank", "id", "source", "time", "author", "role", "brand", "channel", "thread", "sentiment",
                      "text"});
    for (const SearchHit& h : resp.hits) {
      const Record& r = h.record;
      WriteCsvRow(out, {std::to_string(h.rank), r.id, r.source, FormatTime(r.time), r.author,
                        std::string(RoleName(r.role)), r.brand, r.channel, r.thread, SentimentText(r.sentiment),
                        r.text});
    }
    return Status::Ok();
  }

  out << (resp.exact ? "" : "about ") << resp.total << (resp.total == 1 ? " match" : " matches");
  if (!resp.hits.empty()) {
    out << ", showing " << resp.hits.front().rank << "-" << resp.hits.back().rank;
  }
  out << "\n\n";
  for (const SearchHit& h : resp.hits) {
    const Record& r = h.record;
    out << h.rank << ". " << FormatTime(r.time) << "  " << r.source << ":" << r.id;
    if (!r.author.empty()) out << "  @" << r.author;
    if (r.role != Role::kUnknown) out << " (" << RoleName(r.role) << ")";
    if (!r.brand.empty()) out << "  brand " << r.brand;
    if (!r.channel.empty()) out << "  " << r.channel;
    if (h.collapsed > 0) out << "  +" << h.collapsed << " more in thread";
    out << "\n";
    if (!r.title.empty()) out << "   " << OneLine(r.title, 100) << "\n";
    std::string body = request.snippets ? SnippetForTerminal(h.snippet, render.ansi) : OneLine(r.text, 200);
    out << "   " << body << "\n";
    out << "   thread " << r.thread << "\n\n";
  }
  for (const auto& [field, values] : resp.facets) {
    out << field << ":\n";
    size_t shown = 0;
    for (const auto& [value, count] : values) {
      if (++shown > 20) {
        out << "  ... " << values.size() - 20 << " more\n";
        break;
      }
      char line[64];
      std::snprintf(line, sizeof line, "  %8llu  ", static_cast<unsigned long long>(count));
      out << line << value << "\n";
    }
  }
  return Status::Ok();
}

}  // namespace hark
