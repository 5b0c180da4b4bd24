#include "query/trend.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "storage/schema.h"
#include "storage/time_parse.h"

namespace hark {
namespace {

constexpr int64_t kDay = 86400;

// The bucket holding `t`, or -1 outside [bounds.front(), bounds.back()).
int64_t BucketOf(const std::vector<int64_t>& bounds, int64_t t) {
  auto it = std::upper_bound(bounds.begin(), bounds.end(), t);
  if (it == bounds.begin() || it == bounds.end()) return -1;
  return static_cast<int64_t>(it - bounds.begin()) - 1;
}

SearchRequest MatchRequest(const TrendRequest& req, const std::string& query, int64_t from, int64_t to) {
  SearchRequest s;
  s.query = query;
  if (!req.brands.empty()) s.filters["brand"] = req.brands;
  if (!req.channels.empty()) s.filters["channel"] = req.channels;
  if (!req.mentions.empty()) s.filters["mention"] = req.mentions;
  if (!req.sentiments.empty()) s.filters["sentiment"] = req.sentiments;
  s.from = from;
  s.to = to;
  return s;
}

// The counter series that answer `query` over [from, to], or none when the match set
// must be counted: counters are per UTC day and per single dimension.
std::vector<std::string> CounterSeriesFor(const TrendRequest& req, const std::string& query, const TimeZone& tz) {
  bool whole_days = (!req.from || *req.from % kDay == 0) && (!req.to || (*req.to + 1) % kDay == 0);
  if (!query.empty() || !tz.is_utc() || req.by == BucketUnit::kHour || !whole_days) return {};
  const int dimensions = !req.brands.empty() + !req.channels.empty() + !req.mentions.empty() + !req.sentiments.empty();
  if (dimensions > 1) return {};  // counters are per single dimension
  std::set<std::string> series;  // a value given twice is counted once
  for (const std::string& b : req.brands) series.insert("brand:" + schema::TermValue(b));
  for (const std::string& c : req.channels) series.insert("channel:" + schema::TermValue(c));
  for (const std::string& m : req.mentions) series.insert("mention:" + schema::TermValue(m));
  for (const std::string& c : req.sentiments) series.insert("sentiment:" + schema::TermValue(c));
  if (series.empty()) series.insert("all");
  return {series.begin(), series.end()};
}

int64_t FloorDay(int64_t t) { return t >= 0 ? t / kDay : (t - kDay + 1) / kDay; }

// Up to `limit` rows, evenly spaced, in order.
std::vector<uint64_t> SampleRecnos(const std::vector<MatchRow>& rows, size_t limit) {
  std::vector<uint64_t> out;
  if (rows.empty() || limit == 0) return out;
  size_t n = std::min(rows.size(), limit);
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) out.push_back(rows[i * rows.size() / n].recno);
  return out;
}

// The text a message contributes to term statistics.
std::string TermText(const Record& r) { return r.title.empty() ? r.text : r.title + "\n" + r.text; }

Status LoadTerms(IndexReader& index, const std::vector<MatchRow>& rows, size_t sample, TermCounts* counts,
                 std::vector<Record>* records) {
  std::vector<Record> local;
  std::vector<Record>* out = records != nullptr ? records : &local;
  HARK_RETURN_IF_ERROR(index.GetMany(SampleRecnos(rows, sample), out));
  for (const Record& r : *out) counts->Add(TermText(r));
  return Status::Ok();
}

// `other` names the period compared against ("baseline", "vs").
nlohmann::json ShiftJson(const TermShift& t, const char* other) {
  auto share = [](double v) { return std::round(v * 1e6) / 1e6; };
  nlohmann::json j = {{"term", t.term},
                      {"count", t.count_a},
                      {std::string(other) + "_count", t.count_b},
                      {"share", share(t.share_a)},
                      {std::string(other) + "_share", share(t.share_b)},
                      {"ratio", std::round(t.ratio * 100) / 100},
                      {"llr", std::round(t.llr * 100) / 100}};
  if (t.is_new) j["new"] = true;
  return j;
}

// Fills `out` for a spike found in the series. The baseline is the spike's window less
// the other high buckets (`high`: every bucket FindSpikes flagged), so that the third day
// of an incident is compared with normal days, not with the incident's first two. Leaves
// out->terms empty and returns early when the spike is narrow (too few conversations:
// p_value above max_p): the caller drops it.
Status ExplainSpike(IndexReader& index, const TrendRequest& req, const std::string& query,
                    const std::vector<int64_t>& bounds, const Spike& spike, const std::vector<bool>& high,
                    TrendSpike* out) {
  out->query = query;
  out->spike = spike;
  out->start = bounds[spike.index];
  out->end = bounds[spike.index + 1];
  out->window_start = bounds[spike.window_begin];
  out->window_end = bounds[spike.window_end];
  std::vector<MatchRow> rows, all_window, window;
  HARK_RETURN_IF_ERROR(index.CollectMatches(MatchRequest(req, query, out->start, out->end - 1), &rows));
  HARK_RETURN_IF_ERROR(index.CollectMatches(MatchRequest(req, query, out->window_start, out->window_end - 1), &all_window));

  // Breadth: distinct conversations per normal bucket of the window, so that a few long
  // conversations on a quiet day do not make a spike.
  std::vector<std::set<std::string>> threads(spike.window_end - spike.window_begin);
  size_t normal = 0;
  for (size_t b = spike.window_begin; b < spike.window_end; ++b) normal += !high[b];
  for (MatchRow& r : all_window) {
    const int64_t b = BucketOf(bounds, r.time);
    if (b < static_cast<int64_t>(spike.window_begin) || static_cast<size_t>(b) >= spike.window_end) continue;
    if (normal > 0 && high[static_cast<size_t>(b)]) continue;
    threads[static_cast<size_t>(b) - spike.window_begin].insert(r.thread);
    window.push_back(std::move(r));
  }
  out->window_messages = window.size();
  out->window_buckets = normal > 0 ? normal : threads.size();
  std::set<std::string> in_bucket;
  for (const MatchRow& r : rows) in_bucket.insert(r.thread);
  double sum = 0;
  for (const auto& t : threads) sum += static_cast<double>(t.size());
  out->conversations = in_bucket.size();
  out->conversations_mean = out->window_buckets == 0 ? 0 : sum / static_cast<double>(out->window_buckets);
  out->p_value = PoissonUpperTail(out->conversations, std::max(out->conversations_mean, 1.0));
  if (out->p_value > req.spike.max_p) return Status::Ok();  // narrow: not explained further

  out->sampled = rows.size() > req.sample || window.size() > req.sample;

  std::map<std::string, uint64_t> authors;
  for (const MatchRow& r : rows) ++authors[r.author];
  out->authors.assign(authors.begin(), authors.end());
  std::stable_sort(out->authors.begin(), out->authors.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (out->authors.size() > req.authors) out->authors.resize(req.authors);

  TermCounts in_spike, in_window;
  std::vector<Record> records;
  HARK_RETURN_IF_ERROR(LoadTerms(index, rows, req.sample, &in_spike, &records));
  HARK_RETURN_IF_ERROR(LoadTerms(index, window, req.sample, &in_window, nullptr));
  out->terms = CompareTerms(in_spike, in_window, req.terms);

  // Examples: messages holding the strongest driver, from different authors.
  std::set<std::string> seen;
  std::vector<std::string> terms;
  for (const Record& r : records) {
    if (out->examples.size() >= req.examples) break;
    if (!out->terms.empty()) {
      ExtractTerms(TermText(r), true, &terms);
      if (std::find(terms.begin(), terms.end(), out->terms.front().term) == terms.end()) continue;
    }
    if (!seen.insert(schema::Lower(r.author)).second) continue;
    out->examples.push_back(r);
  }
  return Status::Ok();
}

// --rising: the two periods' term sets.
struct RisingReport {
  std::string query;
  int64_t from = 0, to = 0, vs_from = 0, vs_to = 0;
  uint64_t messages = 0, vs_messages = 0;
  bool sampled = false;
  std::vector<TermShift> rising, fresh;
};

Status ComputeRising(IndexReader& index, const TrendRequest& req, RisingReport* out) {
  if (!req.from || !req.to || !req.vs_from || !req.vs_to) {
    return Status::InvalidArgument("--rising needs both periods: --from A --to B --vs C..D");
  }
  out->query = req.queries.empty() ? "" : req.queries.front();
  out->from = *req.from;
  out->to = *req.to;
  out->vs_from = *req.vs_from;
  out->vs_to = *req.vs_to;
  std::vector<MatchRow> now, before;
  HARK_RETURN_IF_ERROR(index.CollectMatches(MatchRequest(req, out->query, out->from, out->to), &now));
  HARK_RETURN_IF_ERROR(index.CollectMatches(MatchRequest(req, out->query, out->vs_from, out->vs_to), &before));
  out->messages = now.size();
  out->vs_messages = before.size();
  out->sampled = now.size() > req.sample || before.size() > req.sample;
  TermCounts a, b;
  HARK_RETURN_IF_ERROR(LoadTerms(index, now, req.sample, &a, nullptr));
  HARK_RETURN_IF_ERROR(LoadTerms(index, before, req.sample, &b, nullptr));
  // Every significant riser, then split: terms seen before, and new ones.
  for (TermShift& t : CompareTerms(a, b, SIZE_MAX)) {
    std::vector<TermShift>& list = t.is_new ? out->fresh : out->rising;
    if (list.size() < req.terms) list.push_back(std::move(t));
  }
  return Status::Ok();
}

// ---- Rendering.

// A horizontal bar of `value / max` of `width` cells, with eighth-cell precision.
std::string Bar(uint64_t value, uint64_t max, size_t width) {
  static const char* kEighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
  if (max == 0) return "";
  uint64_t eighths = (value * width * 8 + max / 2) / max;
  if (value > 0 && eighths == 0) eighths = 1;
  std::string out;
  for (uint64_t i = 0; i < eighths / 8; ++i) out += "█";
  out += kEighths[eighths % 8];
  return out;
}

std::string Sparkline(const std::vector<TrendBucket>& b, size_t begin, size_t end, uint64_t max) {
  static const char* kLevels[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    size_t level = max == 0 ? 0 : static_cast<size_t>((b[i].count * 8 + max - 1) / max);
    out += kLevels[std::min<size_t>(level, 8)];
  }
  return out;
}

void PrintSeriesText(const std::vector<TrendSeries>& series, const Bucketer& bucketer, const TrendRequest& req,
                     std::ostream& out) {
  for (const TrendSeries& s : series) {
    uint64_t max = 0;
    size_t peak = 0;
    for (size_t i = 0; i < s.buckets.size(); ++i) {
      if (s.buckets[i].count > max) max = s.buckets[i].count, peak = i;
    }
    out << (s.query.empty() ? "(all messages)" : s.query) << ": " << GroupedCount(s.total) << " messages in "
        << s.buckets.size() << " " << BucketUnitName(req.by) << (s.buckets.size() == 1 ? "" : "s") << " ("
        << req.tz << ", " << (s.from_counters ? "counters" : "matches") << ")";
    if (max > 0) out << ", peak " << bucketer.Label(s.buckets[peak].start) << " with " << GroupedCount(max);
    out << "\n";
    if (s.buckets.size() <= 100) {
      size_t label_width = 0;
      for (const TrendBucket& b : s.buckets) label_width = std::max(label_width, bucketer.Label(b.start).size());
      for (const TrendBucket& b : s.buckets) {
        char line[96];
        std::string label = bucketer.Label(b.start);
        std::snprintf(line, sizeof line, "  %-*s %9s ", static_cast<int>(label_width), label.c_str(),
                      GroupedCount(b.count).c_str());
        out << line << Bar(b.count, max, 50) << "\n";
      }
    } else {
      constexpr size_t kPerLine = 64;
      for (size_t i = 0; i < s.buckets.size(); i += kPerLine) {
        size_t end = std::min(s.buckets.size(), i + kPerLine);
        out << "  " << bucketer.Label(s.buckets[i].start) << " " << Sparkline(s.buckets, i, end, max) << "\n";
      }
      out << "  (one cell per " << BucketUnitName(req.by) << "; full height = " << GroupedCount(max) << ")\n";
    }
    out << "\n";
  }
}

nlohmann::json SpikeJson(const TrendSpike& r, const Bucketer& bucketer) {
  nlohmann::json terms = nlohmann::json::array(), authors = nlohmann::json::array(),
                 examples = nlohmann::json::array();
  for (const TermShift& t : r.terms) terms.push_back(ShiftJson(t, "baseline"));
  for (const auto& [a, n] : r.authors) authors.push_back({{"author", a}, {"count", n}});
  for (const Record& e : r.examples) {
    examples.push_back({{"id", e.id}, {"source", e.source}, {"time", FormatTime(e.time)}, {"author", e.author},
                        {"text", e.text}});
  }
  return {{"query", r.query},
          {"start", bucketer.Label(r.start)},
          {"end", bucketer.Label(r.end)},
          {"count", r.spike.count},
          {"baseline", r.spike.baseline},
          {"spread", std::round(r.spike.spread * 100) / 100},
          {"score", std::round(r.spike.score * 100) / 100},
          {"conversations", r.conversations},
          {"conversations_baseline", std::round(r.conversations_mean * 100) / 100},
          {"p_value", r.p_value},
          {"window", {{"start", bucketer.Label(r.window_start)}, {"end", bucketer.Label(r.window_end)},
                      {"normal_buckets", r.window_buckets}, {"messages", r.window_messages}}},
          {"sampled", r.sampled},
          {"terms", terms},
          {"authors", authors},
          {"examples", examples}};
}

std::string TermsLine(const std::vector<TermShift>& terms, size_t n) {
  std::string line;
  char buf[160];
  for (size_t i = 0; i < terms.size() && i < n; ++i) {
    std::snprintf(buf, sizeof buf, "%s%s (%llu vs %llu, x%.1f, LLR %.0f)", i ? ", " : "", terms[i].term.c_str(),
                  static_cast<unsigned long long>(terms[i].count_a), static_cast<unsigned long long>(terms[i].count_b),
                  terms[i].ratio, terms[i].llr);
    line += buf;
  }
  return line.empty() ? "-" : line;
}

void PrintSpikesText(const std::vector<TrendSpike>& spikes, size_t narrow, const Bucketer& bucketer,
                     const SpikeOptions& opt, std::ostream& out) {
  char line[384];
  std::snprintf(line, sizeof line,
                "%zu spike%s: robust z >= %.1f against the median of the %zu trailing %ss (at least %zu), "
                "count >= %llu and >= %.1fx the baseline, conversations P <= %.0e",
                spikes.size(), spikes.size() == 1 ? "" : "s", opt.threshold, opt.window,
                BucketUnitName(bucketer.unit()), opt.min_history, static_cast<unsigned long long>(opt.min_count),
                opt.min_ratio, opt.max_p);
  out << line;
  if (narrow > 0) out << " (" << narrow << " high bucket" << (narrow == 1 ? "" : "s") << " from too few conversations left out)";
  out << "\n";
  for (const TrendSpike& r : spikes) {
    std::snprintf(line, sizeof line, "\n%s  %s  count %s  baseline %.1f  score %.1f  conversations %llu (baseline %.1f)\n",
                  bucketer.Label(r.start).c_str(), r.query.empty() ? "(all)" : r.query.c_str(),
                  GroupedCount(r.spike.count).c_str(), r.spike.baseline, r.spike.score,
                  static_cast<unsigned long long>(r.conversations), r.conversations_mean);
    out << line;
    out << "  terms:   " << TermsLine(r.terms, 8) << "\n";
    out << "  authors: ";
    for (size_t i = 0; i < r.authors.size(); ++i) {
      out << (i ? ", " : "") << r.authors[i].first << " (" << r.authors[i].second << ")";
    }
    out << "\n";
    for (const Record& e : r.examples) out << "  e.g. " << e.source << ":" << e.id << "  " << OneLine(e.text, 100) << "\n";
  }
}

}  // namespace

SpikeOptions DefaultSpikeOptions(BucketUnit unit) {
  SpikeOptions o;
  switch (unit) {
    case BucketUnit::kHour: o.window = 168; o.min_history = 24; break;
    case BucketUnit::kDay: o.window = 28; o.min_history = 7; break;
    case BucketUnit::kWeek: o.window = 12; o.min_history = 4; break;
    case BucketUnit::kMonth: o.window = 12; o.min_history = 3; break;
  }
  return o;
}

namespace {

struct Frame {
  TimeZone tz;
  std::optional<Bucketer> bucketer;
  std::vector<int64_t> bounds;  // bucket starts + the end of the last one
};

Status MakeFrame(IndexReader& index, const TrendRequest& req, Frame* f) {
  for (const std::string& c : req.sentiments) {
    const std::string v = schema::TermValue(c);
    if (v != "positive" && v != "neutral" && v != "negative") {
      return Status::InvalidArgument("unknown sentiment class '" + c + "' (expected positive, neutral or negative)");
    }
  }
  Result<TimeZone> tz = TimeZone::Load(req.tz);
  HARK_RETURN_IF_ERROR(tz.status());
  f->tz = *tz;
  f->bucketer.emplace(req.by, f->tz);
  auto [first, last] = index.TimeBounds();
  int64_t from = req.from.value_or(first), to = req.to.value_or(last);
  if (index.state().records == 0 && (!req.from || !req.to)) return Status::Ok();  // nothing to bucket
  if (from > to) return Status::InvalidArgument("--from is after --to");
  Result<std::vector<int64_t>> bounds = f->bucketer->Bounds(from, to);
  HARK_RETURN_IF_ERROR(bounds.status());
  f->bounds = std::move(*bounds);
  return Status::Ok();
}

// Counts every series over the frame's buckets. Without --from (--to) the frame starts
// (ends) at the index's first (last) message; the buckets before the first (after the
// last) message of any series are then dropped, so that a brand or a query spans its own
// messages, not the archive's.
Status ComputeSeries(IndexReader& index, const TrendRequest& req, Frame& f, std::vector<TrendSeries>* out) {
  out->clear();
  std::vector<std::string> queries = req.queries.empty() ? std::vector<std::string>{""} : req.queries;
  if (f.bounds.size() < 2) {
    for (const std::string& q : queries) out->push_back(TrendSeries{q, false, 0, {}});
    return Status::Ok();
  }
  const size_t n = f.bounds.size() - 1;
  const int64_t from = req.from.value_or(f.bounds.front()), to = req.to.value_or(f.bounds.back() - 1);
  for (const std::string& q : queries) {
    TrendSeries s;
    s.query = q;
    s.buckets.resize(n);
    for (size_t i = 0; i < n; ++i) s.buckets[i].start = f.bounds[i];
    std::vector<std::string> counters = CounterSeriesFor(req, q, f.tz);
    if (!counters.empty()) {
      s.from_counters = true;
      std::map<int64_t, uint64_t> days;
      for (const std::string& c : counters) {
        HARK_RETURN_IF_ERROR(index.DailyCounts(c, FloorDay(from), FloorDay(to), &days));
      }
      for (const auto& [day, count] : days) {
        int64_t b = BucketOf(f.bounds, day * kDay);
        if (b >= 0) s.buckets[static_cast<size_t>(b)].count += count, s.total += count;
      }
    } else {
      std::vector<MatchRow> rows;
      HARK_RETURN_IF_ERROR(index.CollectMatches(MatchRequest(req, q, from, to), &rows));
      for (const MatchRow& r : rows) {
        int64_t b = BucketOf(f.bounds, r.time);
        if (b >= 0) ++s.buckets[static_cast<size_t>(b)].count, ++s.total;
      }
    }
    out->push_back(std::move(s));
  }
  size_t first = n, last = 0;  // buckets holding a message of any series
  for (const TrendSeries& s : *out) {
    for (size_t i = 0; i < n; ++i) {
      if (s.buckets[i].count == 0) continue;
      first = std::min(first, i);
      last = std::max(last, i);
    }
  }
  if (first == n) return Status::Ok();  // nothing anywhere: keep the frame
  const size_t begin = req.from ? 0 : first, end = req.to ? n : last + 1;
  if (begin == 0 && end == n) return Status::Ok();
  for (TrendSeries& s : *out) {
    s.buckets = std::vector<TrendBucket>(s.buckets.begin() + static_cast<std::ptrdiff_t>(begin),
                                         s.buckets.begin() + static_cast<std::ptrdiff_t>(end));
  }
  f.bounds = std::vector<int64_t>(f.bounds.begin() + static_cast<std::ptrdiff_t>(begin),
                                  f.bounds.begin() + static_cast<std::ptrdiff_t>(end) + 1);
  return Status::Ok();
}

SpikeOptions EffectiveSpikeOptions(const TrendRequest& req) {
  SpikeOptions o = req.spike;
  SpikeOptions d = DefaultSpikeOptions(req.by);
  if (o.window == 0) o.window = d.window;
  if (o.min_history == 0) o.min_history = std::min(d.min_history, o.window);
  return o;
}

// The series over the frame and, with req.spikes, the broad spikes of each with their
// drivers.
Status Analyse(IndexReader& index, const TrendRequest& req, Frame& f, TrendAnalysis* out) {
  *out = TrendAnalysis();
  HARK_RETURN_IF_ERROR(ComputeSeries(index, req, f, &out->series));
  out->bounds = f.bounds;
  out->spike_options = EffectiveSpikeOptions(req);
  if (!req.spikes) return Status::Ok();
  for (const TrendSeries& s : out->series) {
    std::vector<uint64_t> counts;
    for (const TrendBucket& b : s.buckets) counts.push_back(b.count);
    const std::vector<Spike> found = FindSpikes(counts, out->spike_options);
    std::vector<bool> high(counts.size(), false);
    for (const Spike& spike : found) high[spike.index] = true;
    for (const Spike& spike : found) {
      TrendSpike r;
      HARK_RETURN_IF_ERROR(ExplainSpike(index, req, s.query, f.bounds, spike, high, &r));
      if (r.p_value > out->spike_options.max_p) {
        ++out->narrow_dropped;
        continue;
      }
      out->spikes.push_back(std::move(r));
    }
  }
  return Status::Ok();
}

}  // namespace

Status ComputeTrend(IndexReader& index, const TrendRequest& req, std::vector<TrendSeries>* out) {
  Frame f;
  HARK_RETURN_IF_ERROR(MakeFrame(index, req, &f));
  return ComputeSeries(index, req, f, out);
}

Status ComputeTrendAnalysis(IndexReader& index, const TrendRequest& req, TrendAnalysis* out) {
  Frame f;
  HARK_RETURN_IF_ERROR(MakeFrame(index, req, &f));
  return Analyse(index, req, f, out);
}

Status RunTrend(IndexReader& index, const TrendRequest& req, const RenderOptions& render, std::ostream& out) {
  Frame f;
  HARK_RETURN_IF_ERROR(MakeFrame(index, req, &f));
  const Bucketer& bucketer = *f.bucketer;

  if (req.rising) {
    RisingReport r;
    HARK_RETURN_IF_ERROR(ComputeRising(index, req, &r));
    if (render.format == OutputFormat::kJson) {
      nlohmann::json rising = nlohmann::json::array(), fresh = nlohmann::json::array();
      for (const TermShift& t : r.rising) rising.push_back(ShiftJson(t, "vs"));
      for (const TermShift& t : r.fresh) fresh.push_back(ShiftJson(t, "vs"));
      WriteJson(out, {{"rising",
                       {{"query", r.query},
                        {"period", {{"from", FormatTime(r.from)}, {"to", FormatTime(r.to)}, {"messages", r.messages}}},
                        {"vs", {{"from", FormatTime(r.vs_from)}, {"to", FormatTime(r.vs_to)}, {"messages", r.vs_messages}}},
                        {"sampled", r.sampled},
                        {"terms", rising},
                        {"new_terms", fresh}}}});
      return Status::Ok();
    }
    if (render.format == OutputFormat::kCsv) {
      WriteCsvRow(out, {"term", "new", "count", "vs_count", "share", "vs_share", "ratio", "llr"});
      for (const auto* list : {&r.rising, &r.fresh}) {
        for (const TermShift& t : *list) {
          char share[32], vs_share[32], ratio[32], llr[32];
          std::snprintf(share, sizeof share, "%.6f", t.share_a);
          std::snprintf(vs_share, sizeof vs_share, "%.6f", t.share_b);
          std::snprintf(ratio, sizeof ratio, "%.2f", t.ratio);
          std::snprintf(llr, sizeof llr, "%.2f", t.llr);
          WriteCsvRow(out, {t.term, t.is_new ? "1" : "0", std::to_string(t.count_a), std::to_string(t.count_b), share,
                            vs_share, ratio, llr});
        }
      }
      return Status::Ok();
    }
    out << "rising terms" << (r.query.empty() ? "" : " in '" + r.query + "'") << ": " << FormatTime(r.from) << " .. "
        << FormatTime(r.to) << " (" << GroupedCount(r.messages) << " messages) vs " << FormatTime(r.vs_from) << " .. "
        << FormatTime(r.vs_to) << " (" << GroupedCount(r.vs_messages) << " messages)" << (r.sampled ? ", sampled" : "")
        << "\n\n";
    char line[256];
    std::snprintf(line, sizeof line, "  %-32s %8s %8s %8s %9s\n", "term", "count", "before", "ratio", "LLR");
    out << line;
    for (const TermShift& t : r.rising) {
      std::snprintf(line, sizeof line, "  %-32s %8llu %8llu %8.1f %9.1f\n", t.term.c_str(),
                    static_cast<unsigned long long>(t.count_a), static_cast<unsigned long long>(t.count_b), t.ratio,
                    t.llr);
      out << line;
    }
    out << "\nnew terms (absent before):\n";
    for (const TermShift& t : r.fresh) {
      std::snprintf(line, sizeof line, "  %-32s %8llu %8s %8s %9.1f\n", t.term.c_str(),
                    static_cast<unsigned long long>(t.count_a), "0", "new", t.llr);
      out << line;
    }
    if (r.fresh.empty()) out << "  -\n";
    return Status::Ok();
  }

  TrendAnalysis analysis;
  HARK_RETURN_IF_ERROR(Analyse(index, req, f, &analysis));
  const std::vector<TrendSeries>& series = analysis.series;
  const std::vector<TrendSpike>& spikes = analysis.spikes;
  const size_t narrow = analysis.narrow_dropped;
  const SpikeOptions& options = analysis.spike_options;

  if (render.format == OutputFormat::kJson) {
    nlohmann::json list = nlohmann::json::array();
    for (const TrendSeries& s : series) {
      nlohmann::json buckets = nlohmann::json::array();
      for (const TrendBucket& b : s.buckets) buckets.push_back({{"start", bucketer.Label(b.start)}, {"count", b.count}});
      list.push_back({{"query", s.query}, {"source", s.from_counters ? "counters" : "matches"}, {"total", s.total},
                      {"buckets", buckets}});
    }
    nlohmann::json j = {{"by", BucketUnitName(req.by)}, {"tz", req.tz}};
    j["from"] = f.bounds.empty() ? nlohmann::json() : nlohmann::json(bucketer.Label(f.bounds.front()));
    j["to"] = f.bounds.empty() ? nlohmann::json() : nlohmann::json(bucketer.Label(f.bounds.back()));
    j["series"] = list;
    if (req.spikes) {
      nlohmann::json s = nlohmann::json::array();
      for (const TrendSpike& r : spikes) s.push_back(SpikeJson(r, bucketer));
      j["spikes"] = s;
      j["spike_method"] = {{"window", options.window}, {"min_history", options.min_history},
                           {"threshold", options.threshold}, {"min_count", options.min_count},
                           {"min_ratio", options.min_ratio}, {"max_p", options.max_p},
                           {"narrow_dropped", narrow}};
    }
    WriteJson(out, j);
    return Status::Ok();
  }
  if (render.format == OutputFormat::kCsv) {
    if (req.spikes) {
      WriteCsvRow(out, {"query", "start", "count", "baseline", "score", "terms", "authors", "examples"});
      for (const TrendSpike& r : spikes) {
        std::string terms, authors, examples;
        for (const TermShift& t : r.terms) terms += (terms.empty() ? "" : ";") + t.term;
        for (const auto& [a, n] : r.authors) authors += (authors.empty() ? "" : ";") + a;
        for (const Record& e : r.examples) examples += (examples.empty() ? "" : ";") + e.source + ":" + e.id;
        char baseline[32], score[32];
        std::snprintf(baseline, sizeof baseline, "%.1f", r.spike.baseline);
        std::snprintf(score, sizeof score, "%.2f", r.spike.score);
        WriteCsvRow(out, {r.query, bucketer.Label(r.start), std::to_string(r.spike.count), baseline, score, terms,
                          authors, examples});
      }
      return Status::Ok();
    }
    WriteCsvRow(out, {"query", "start", "count"});
    for (const TrendSeries& s : series) {
      for (const TrendBucket& b : s.buckets) WriteCsvRow(out, {s.query, bucketer.Label(b.start), std::to_string(b.count)});
    }
    return Status::Ok();
  }
  PrintSeriesText(series, bucketer, req, out);
  if (req.spikes) PrintSpikesText(spikes, narrow, bucketer, options, out);
  return Status::Ok();
}

}  // namespace hark
