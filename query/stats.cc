#include "query/stats.h"

#include <algorithm>
#include <cstdio>

#include "storage/time_parse.h"

namespace hark {
namespace {

std::vector<std::pair<std::string, uint64_t>> ByCount(const std::map<std::string, uint64_t>& m) {
  std::vector<std::pair<std::string, uint64_t>> v(m.begin(), m.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return v;
}

}  // namespace

Status RunStats(IndexReader& index, const RenderOptions& render, std::ostream& out) {
  Result<IndexStats> result = index.Stats();
  if (!result.ok()) return result.status();
  const IndexStats& st = *result;
  const bool empty = st.documents == 0;
  if (render.format == OutputFormat::kJson) {
    nlohmann::json sources = nlohmann::json::array();
    for (const SourceFile& f : st.state.sources) {
      sources.push_back({{"path", f.path}, {"format", f.format}, {"source", f.source}, {"records", f.records},
                         {"size", f.size}, {"ingested_at", f.ingested_at}});
    }
    WriteJson(out, {{"index", st.dir},
                    {"generation", st.state.generation},
                    {"schema_version", st.state.schema_version},
                    {"documents", st.documents},
                    {"records", st.state.records},
                    {"first_time", empty ? nlohmann::json(nullptr) : nlohmann::json(FormatTime(st.first_time))},
                    {"last_time", empty ? nlohmann::json(nullptr) : nlohmann::json(FormatTime(st.last_time))},
                    {"by_source", st.by_source},
                    {"by_channel", st.by_channel},
                    {"by_role", st.by_role},
                    {"by_brand", st.by_brand},
                    {"sizes", {{"store_bytes", st.store_bytes}, {"text_bytes", st.text_bytes}}},
                    {"updated_at", st.state.updated_at},
                    {"sources", sources}});
    return Status::Ok();
  }
  if (render.format == OutputFormat::kCsv) {
    WriteCsvRow(out, {"group", "value", "count"});
    WriteCsvRow(out, {"all", "documents", std::to_string(st.documents)});
    auto rows = [&](const char* group, const std::map<std::string, uint64_t>& m) {
      for (const auto& [k, v] : ByCount(m)) WriteCsvRow(out, {group, k, std::to_string(v)});
    };
    rows("source", st.by_source);
    rows("channel", st.by_channel);
    rows("role", st.by_role);
    rows("brand", st.by_brand);
    return Status::Ok();
  }
  out << "index       " << st.dir << " (generation " << st.state.generation << ", updated " << st.state.updated_at << ")\n";
  out << "documents   " << st.documents << "\n";
  if (!empty) out << "time range  " << FormatTime(st.first_time) << " .. " << FormatTime(st.last_time) << "\n";
  char sizes[128];
  std::snprintf(sizes, sizeof sizes, "size        %.1f MB records, %.1f MB text\n", st.store_bytes / 1e6, st.text_bytes / 1e6);
  out << sizes;
  auto section = [&](const char* title, const std::map<std::string, uint64_t>& m, size_t max) {
    if (m.empty()) return;
    out << title << ":\n";
    size_t shown = 0;
    for (const auto& [k, v] : ByCount(m)) {
      if (++shown > max) {
        out << "  ... " << m.size() - max << " more\n";
        break;
      }
      char line[64];
      std::snprintf(line, sizeof line, "  %9llu  ", static_cast<unsigned long long>(v));
      out << line << k << "\n";
    }
  };
  section("sources", st.by_source, 50);
  section("channels", st.by_channel, 50);
  section("roles", st.by_role, 10);
  section("brands", st.by_brand, 15);
  return Status::Ok();
}

}  // namespace hark
