#include "query/care.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "query/conversation.h"
#include "storage/schema.h"
#include "storage/time_parse.h"

namespace hark {
namespace {

const char* GroupName(CareGroup g) {
  switch (g) {
    case CareGroup::kBrand: return "brand";
    case CareGroup::kChannel: return "channel";
    case CareGroup::kMonth: return "month";
  }
  return "?";
}

struct Accumulator {
  CareRow row;
  std::vector<int64_t> responses;
  void Add(const ConversationSummary& s) {
    ++row.conversations;
    row.messages += s.messages;
    row.turns += s.turns;
    if (s.first_response_s) {
      ++row.answered;
      responses.push_back(*s.first_response_s);
    }
    if (s.resolved) ++row.resolved;
  }
  CareRow Finish() {
    row.first_response_median_s = Median(&responses);
    row.first_response_p90_s = Percentile(&responses, 90);
    return row;
  }
};

double Share(uint64_t n, uint64_t of) { return of == 0 ? 0.0 : static_cast<double>(n) / of; }

nlohmann::json RowJson(const CareRow& r, const char* key) {
  return {{key, r.group},
          {"conversations", r.conversations},
          {"answered", r.answered},
          {"share_answered", Share(r.answered, r.conversations)},
          {"first_response_median_s", r.first_response_median_s ? nlohmann::json(*r.first_response_median_s) : nlohmann::json(nullptr)},
          {"first_response_p90_s", r.first_response_p90_s ? nlohmann::json(*r.first_response_p90_s) : nlohmann::json(nullptr)},
          {"turns_per_conversation", Share(r.turns, r.conversations)},
          {"messages_per_conversation", Share(r.messages, r.conversations)},
          {"resolved", r.resolved},
          {"share_resolved", Share(r.resolved, r.conversations)}};
}

}  // namespace

Status ComputeCare(IndexReader& index, const CareRequest& req, std::vector<CareRow>* rows) {
  std::vector<std::string> brands;
  for (const std::string& b : req.brands) brands.push_back(schema::Lower(b));
  std::map<std::string, Accumulator> groups;
  Accumulator all;
  auto is_customer = [](const ThreadEntry& e) { return e.role == Role::kCustomer; };
  HARK_RETURN_IF_ERROR(index.ForEachThread([&](const std::string& source, const std::string& thread,
                                               const std::vector<ThreadEntry>& entries) {
    ConversationSummary s = Summarize(source, thread, entries, is_customer);
    if (s.first_customer == nullptr) return Status::Ok();  // no customer: not a care conversation
    const int64_t t = s.first_customer->time;
    if ((req.from && t < *req.from) || (req.to && t > *req.to)) return Status::Ok();
    if (!brands.empty() && std::find(brands.begin(), brands.end(), schema::Lower(s.brand)) == brands.end()) {
      return Status::Ok();
    }
    std::string key;
    switch (req.by) {
      case CareGroup::kBrand: key = s.brand.empty() ? "(none)" : s.brand; break;
      case CareGroup::kChannel: key = s.channel.empty() ? "(none)" : s.channel; break;
      case CareGroup::kMonth: key = FormatDate(t).substr(0, 7); break;
    }
    Accumulator& acc = groups[key];
    acc.row.group = key;
    acc.Add(s);
    all.Add(s);
    return Status::Ok();
  }));
  rows->clear();
  for (auto& [key, acc] : groups) rows->push_back(acc.Finish());
  if (req.by != CareGroup::kMonth) {
    std::stable_sort(rows->begin(), rows->end(),
                     [](const CareRow& a, const CareRow& b) { return a.conversations > b.conversations; });
  }
  all.row.group = "(all)";
  rows->push_back(all.Finish());  // the total, last
  return Status::Ok();
}

Status RunCare(IndexReader& index, const CareRequest& req, const RenderOptions& render, std::ostream& out) {
  std::vector<CareRow> rows;
  HARK_RETURN_IF_ERROR(ComputeCare(index, req, &rows));
  const CareRow total = rows.back();
  rows.pop_back();
  const char* key = GroupName(req.by);
  if (render.format == OutputFormat::kJson) {
    nlohmann::json list = nlohmann::json::array();
    for (const CareRow& r : rows) list.push_back(RowJson(r, key));
    WriteJson(out, {{"by", key}, {std::string(key) + "s", list}, {"total", RowJson(total, key)}});
    return Status::Ok();
  }
  auto fmt = [](const std::optional<double>& v) {
    if (!v) return std::string();
    char b[32];
    std::snprintf(b, sizeof b, "%.1f", *v);
    return std::string(b);
  };
  if (render.format == OutputFormat::kCsv) {
    WriteCsvRow(out, {key, "conversations", "share_answered", "first_response_median_s", "first_response_p90_s",
                      "turns_per_conversation", "share_resolved"});
    for (const CareRow& r : rows) {
      char a[32], t[32], res[32];
      std::snprintf(a, sizeof a, "%.4f", Share(r.answered, r.conversations));
      std::snprintf(t, sizeof t, "%.3f", Share(r.turns, r.conversations));
      std::snprintf(res, sizeof res, "%.4f", Share(r.resolved, r.conversations));
      WriteCsvRow(out, {r.group, std::to_string(r.conversations), a, fmt(r.first_response_median_s),
                        r.first_response_p90_s ? std::to_string(*r.first_response_p90_s) : "", t, res});
    }
    return Status::Ok();
  }
  char line[256];
  std::snprintf(line, sizeof line, "%-24s %8s %9s %12s %12s %7s %9s\n", key, "convs", "answered", "1st resp med",
                "1st resp p90", "turns", "resolved");
  out << line;
  auto print = [&](const CareRow& r) {
    auto human = [](std::optional<double> s) {
      if (!s) return std::string("-");
      char b[32];
      if (*s < 3600) std::snprintf(b, sizeof b, "%.0fm%02.0fs", std::floor(*s / 60), std::fmod(*s, 60));
      else std::snprintf(b, sizeof b, "%.0fh%02.0fm", std::floor(*s / 3600), std::fmod(std::floor(*s / 60), 60));
      return std::string(b);
    };
    std::optional<double> p90;
    if (r.first_response_p90_s) p90 = static_cast<double>(*r.first_response_p90_s);
    std::snprintf(line, sizeof line, "%-24s %8llu %8.1f%% %12s %12s %7.2f %8.1f%%\n", r.group.substr(0, 24).c_str(),
                  static_cast<unsigned long long>(r.conversations), 100 * Share(r.answered, r.conversations),
                  human(r.first_response_median_s).c_str(), human(p90).c_str(), Share(r.turns, r.conversations),
                  100 * Share(r.resolved, r.conversations));
    out << line;
  };
  for (const CareRow& r : rows) print(r);
  print(total);
  return Status::Ok();
}

}  // namespace hark
