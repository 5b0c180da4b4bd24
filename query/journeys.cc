#include "query/journeys.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <unordered_map>

#include "storage/time_parse.h"

namespace hark {

bool ParseDuration(const std::string& text, int64_t* seconds) {
  int64_t total = 0;
  size_t i = 0;
  if (text.empty()) return false;
  while (i < text.size()) {
    size_t start = i;
    int64_t n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      n = n * 10 + (text[i] - '0');
      if (n > 100000000) return false;
      ++i;
    }
    if (i == start || i >= text.size()) return false;
    switch (text[i]) {
      case 's': total += n; break;
      case 'm': total += n * 60; break;
      case 'h': total += n * 3600; break;
      case 'd': total += n * 86400; break;
      case 'w': total += n * 7 * 86400; break;
      default: return false;
    }
    ++i;
  }
  *seconds = total;
  return total > 0;
}

bool MatchSequence(const std::vector<std::vector<StepMatch>>& candidates, int64_t within, std::vector<StepMatch>* chain) {
  const size_t steps = candidates.size();
  if (steps == 0) return false;
  auto before = [](const StepMatch& a, const StepMatch& b) { return std::tie(a.time, a.recno) < std::tie(b.time, b.recno); };
  // reach[k][j]: candidates[k][j] ends a valid chain of steps 0..k; pred[k][j] its step k-1 message
  // (the latest valid one before it, so the windows are as tight as possible).
  std::vector<std::vector<int>> pred(steps);
  std::vector<std::vector<bool>> reach(steps);
  reach[0].assign(candidates[0].size(), true);
  pred[0].assign(candidates[0].size(), -1);
  for (size_t k = 1; k < steps; ++k) {
    const auto& prev = candidates[k - 1];
    const auto& cur = candidates[k];
    reach[k].assign(cur.size(), false);
    pred[k].assign(cur.size(), -1);
    int latest = -1;  // latest reachable previous candidate strictly before cur[j]
    size_t p = 0;
    for (size_t j = 0; j < cur.size(); ++j) {
      while (p < prev.size() && before(prev[p], cur[j])) {
        if (reach[k - 1][p]) latest = static_cast<int>(p);
        ++p;
      }
      if (latest >= 0 && (within <= 0 || cur[j].time - prev[latest].time <= within)) {
        reach[k][j] = true;
        pred[k][j] = latest;
      }
    }
  }
  for (size_t j = 0; j < candidates[steps - 1].size(); ++j) {
    if (!reach[steps - 1][j]) continue;
    chain->assign(steps, StepMatch());
    int at = static_cast<int>(j);
    for (size_t k = steps; k-- > 0;) {
      (*chain)[k] = candidates[k][at];
      at = pred[k][at];
    }
    return true;
  }
  return false;
}

Status ComputeJourneys(IndexReader& index, const JourneysRequest& req, JourneysReport* out) {
  *out = JourneysReport();
  if (req.steps.empty()) return Status::InvalidArgument("give at least one --step QUERY");
  // person -> per step candidates.
  std::unordered_map<std::string, std::vector<std::vector<StepMatch>>> by_person;
  std::unordered_map<std::string, std::string> person_of;  // author -> person (cache)
  for (size_t k = 0; k < req.steps.size(); ++k) {
    SearchRequest sr;
    sr.query = req.steps[k];
    sr.from = req.from;
    sr.to = req.to;
    if (!req.brands.empty()) sr.filters["brand"] = req.brands;
    std::vector<MatchRow> rows;
    Status s = index.CollectMatches(sr, &rows);
    if (!s.ok()) return s.WithContext("step " + std::to_string(k + 1));
    for (const MatchRow& row : rows) {
      // A message of their own: agents are not customers.
      if (row.role == Role::kAgent || row.author.empty()) continue;
      auto it = person_of.find(row.author);
      if (it == person_of.end()) {
        std::string person;
        std::vector<std::string> handles;
        const std::string* in_file = req.identities ? req.identities->PersonOf(row.author) : nullptr;
        if (in_file != nullptr) {
          person = *in_file;
        } else {
          HARK_RETURN_IF_ERROR(index.ResolveIdentity(row.author, &person, &handles));
          if (person.empty()) person = row.author;
        }
        it = person_of.emplace(row.author, person).first;
      }
      auto& steps = by_person[it->second];
      steps.resize(req.steps.size());
      steps[k].push_back({row.recno, row.time});
    }
  }
  std::vector<JourneyMatch>& found = out->customers;
  for (auto& [person, steps] : by_person) {
    for (auto& v : steps) {
      std::sort(v.begin(), v.end(), [](const StepMatch& a, const StepMatch& b) {
        return std::tie(a.time, a.recno) < std::tie(b.time, b.recno);
      });
    }
    std::vector<StepMatch> chain;
    if (MatchSequence(steps, req.within, &chain)) found.push_back({person, std::move(chain)});
  }
  std::sort(found.begin(), found.end(), [](const JourneyMatch& a, const JourneyMatch& b) {
    return std::tie(a.chain.back().time, a.person) < std::tie(b.chain.back().time, b.person);
  });
  out->total = found.size();
  if (found.size() > req.limit) found.resize(req.limit);
  return Status::Ok();
}

Status RunJourneys(IndexReader& index, const JourneysRequest& req, const RenderOptions& render, std::ostream& out) {
  JourneysReport report;
  HARK_RETURN_IF_ERROR(ComputeJourneys(index, req, &report));
  const uint64_t total = report.total;
  const std::vector<JourneyMatch>& found = report.customers;

  if (render.format == OutputFormat::kJson) {
    nlohmann::json customers = nlohmann::json::array();
    for (const JourneyMatch& f : found) {
      nlohmann::json matches = nlohmann::json::array();
      for (size_t k = 0; k < f.chain.size(); ++k) {
        Result<Record> r = index.Get(f.chain[k].recno);
        if (!r.ok()) return r.status();
        matches.push_back({{"step", k + 1}, {"id", r->id}, {"source", r->source}, {"author", r->author},
                           {"time", FormatTime(r->time)}, {"channel", r->channel}, {"text", r->text}});
      }
      customers.push_back({{"customer", f.person}, {"matches", matches}});
    }
    WriteJson(out, {{"steps", req.steps}, {"within_s", req.within}, {"total", total}, {"customers", customers}});
    return Status::Ok();
  }
  if (render.format == OutputFormat::kCsv) {
    WriteCsvRow(out, {"customer", "step", "id", "source", "time", "text"});
    for (const JourneyMatch& f : found) {
      for (size_t k = 0; k < f.chain.size(); ++k) {
        Result<Record> r = index.Get(f.chain[k].recno);
        if (!r.ok()) return r.status();
        WriteCsvRow(out, {f.person, std::to_string(k + 1), r->id, r->source, FormatTime(r->time), r->text});
      }
    }
    return Status::Ok();
  }
  out << total << (total == 1 ? " customer matches " : " customers match ") << req.steps.size() << " steps";
  if (req.within > 0) out << " (each within " << req.within << " s of the previous)";
  out << (found.size() < total ? ", showing " + std::to_string(found.size()) : "") << "\n\n";
  for (const JourneyMatch& f : found) {
    out << f.person << "\n";
    for (size_t k = 0; k < f.chain.size(); ++k) {
      Result<Record> r = index.Get(f.chain[k].recno);
      if (!r.ok()) return r.status();
      out << "  " << k + 1 << ". " << FormatTime(r->time) << "  " << r->source << ":" << r->id << "  "
          << OneLine(r->text, 100) << "\n";
    }
  }
  return Status::Ok();
}

}  // namespace hark
