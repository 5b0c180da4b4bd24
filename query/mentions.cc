#include "query/mentions.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

#include "storage/schema.h"
#include "storage/time_parse.h"

namespace hark {
namespace {

// Verbs of "<verb> [over] to Y" and "<verb> [over] from X to Y".
const std::set<std::string>& SwitchVerbs() {
  static const std::set<std::string> v = {
      "switch",  "switching", "switched", "switches", "move",      "moving",     "moved",    "change",
      "changing", "changed",  "port",     "porting",  "ported",    "migrate",    "migrating", "migrated",
      "jump",    "jumping",   "jumped",   "convert",  "converting", "converted"};
  return v;
}

// Motion verbs that say switching only with "from X" or "over" ("went from X to Y",
// "going over to Y"), not alone ("going to Chipotle" is a visit).
const std::set<std::string>& MotionVerbs() {
  static const std::set<std::string> v = {"go", "going", "goes", "went", "gone", "come", "coming", "came"};
  return v;
}

const std::set<std::string>& LeaveVerbs() {
  static const std::set<std::string> v = {"leave",    "leaving",   "left",      "ditch",      "ditching",
                                          "ditched",  "dump",      "dumping",   "dumped",     "drop",
                                          "dropping", "dropped",   "quit",      "quitting",   "cancel",
                                          "cancelling", "canceling", "cancelled", "canceled", "abandon",
                                          "abandoning", "abandoned"};
  return v;
}

bool IsOneOf(const std::vector<std::string>& t, size_t i, const std::set<std::string>& set) {
  return i < t.size() && set.count(t[i]) > 0;
}
bool Is(const std::vector<std::string>& t, size_t i, const char* word) { return i < t.size() && t[i] == word; }

// A negation among the two tokens before token i ("not switching", "won't leave", "never
// going"); "n't" is split by the tokenizer into "won" "t".
bool Negated(const std::vector<std::string>& t, size_t i) {
  static const std::set<std::string> kNt = {"don", "won", "can", "isn", "didn", "doesn", "wasn", "aren", "couldn",
                                            "wouldn", "shouldn", "haven", "hasn", "ain", "weren"};
  for (size_t k = 1; k <= 2 && k <= i; ++k) {
    const std::string& w = t[i - k];
    if (w == "not" || w == "never" || w == "no" || w == "cannot") return true;
    if (w == "t" && i - k > 0 && kNt.count(t[i - k - 1])) return true;
  }
  return false;
}

// Skips a determiner or possessive before a brand: "to the X", "from my X".
size_t SkipDeterminer(const std::vector<std::string>& t, size_t begin) {
  if (begin > 0 && (Is(t, begin - 1, "the") || Is(t, begin - 1, "my") || Is(t, begin - 1, "our"))) return begin - 1;
  return begin;
}

}  // namespace

void FindSwitching(const BrandLexicon& lexicon, const std::vector<std::string>& t,
                   const std::vector<BrandMention>& mentions, std::vector<std::pair<int, int>>* flows) {
  flows->clear();
  std::set<int> named;
  for (const BrandMention& m : mentions) named.insert(static_cast<int>(m.brand));
  auto other_than = [&](int to) {
    int other = -1;
    for (int b : named) {
      if (b == to) continue;
      if (other >= 0) return -1;  // two or more: not said which
      other = b;
    }
    return other;
  };
  auto add = [&](int from, int to) {
    if (from == to) return;
    std::pair<int, int> f(from, to);
    if (std::find(flows->begin(), flows->end(), f) == flows->end()) flows->push_back(f);
  };
  for (const BrandMention& y : mentions) {
    const int to = static_cast<int>(y.brand);
    const size_t at = SkipDeterminer(t, y.begin);  // first token before the brand phrase
    if (at == 0) continue;
    if (Is(t, at - 1, "to")) {
      const size_t k = at - 1;  // "to"
      // "from X ... to Y": a mention right after "from", earlier in the text.
      bool done = false;
      for (const BrandMention& x : mentions) {
        if (x.brand == y.brand || x.end > k) continue;
        const size_t from_at = SkipDeterminer(t, x.begin);
        if (from_at == 0 || !Is(t, from_at - 1, "from") || k - x.end > 3) continue;
        size_t v = from_at - 1;  // "from"
        if (v > 0 && Is(t, v - 1, "over")) --v;
        if (v > 0 && (IsOneOf(t, v - 1, SwitchVerbs()) || IsOneOf(t, v - 1, MotionVerbs())) && !Negated(t, v - 1)) {
          add(static_cast<int>(x.brand), to);
          done = true;
        }
      }
      if (done || k == 0) continue;
      size_t v = k - 1;
      if (Is(t, v, "back")) {  // "go / come / switch back to Y"
        if (v > 0 && (IsOneOf(t, v - 1, MotionVerbs()) || IsOneOf(t, v - 1, SwitchVerbs())) && !Negated(t, v - 1)) {
          add(other_than(to), to);
        }
        continue;
      }
      const bool over = Is(t, v, "over") && v > 0;
      if (over) --v;
      if ((IsOneOf(t, v, SwitchVerbs()) || (over && IsOneOf(t, v, MotionVerbs()))) && !Negated(t, v)) {
        add(other_than(to), to);
      }
    } else if (Is(t, at - 1, "for")) {
      // "<leave verb> X for Y".
      const size_t k = at - 1;
      for (const BrandMention& x : mentions) {
        if (x.brand == y.brand || x.end != k) continue;
        const size_t v = SkipDeterminer(t, x.begin);
        if (v > 0 && IsOneOf(t, v - 1, LeaveVerbs()) && !Negated(t, v - 1)) add(static_cast<int>(x.brand), to);
      }
    }
  }
}

Status ComputeMentions(IndexReader& index, const MentionsRequest& req, MentionsReport* out) {
  *out = MentionsReport();
  Result<std::string> stored = index.StoredBrandLexicon();
  HARK_RETURN_IF_ERROR(stored.status());
  BrandLexicon lexicon;
  if (!req.brands_path.empty()) {
    Result<BrandLexicon> lex = BrandLexicon::FromFile(req.brands_path);
    HARK_RETURN_IF_ERROR(lex.status());
    lexicon = std::move(*lex);
    out->retagged = lexicon.canonical() != *stored;
  } else {
    if (stored->empty()) {
      return Status::InvalidArgument(
          "this index was ingested without a brand lexicon: give one with --brands FILE (examples in "
          "corpora/brands/)");
    }
    Result<BrandLexicon> lex = BrandLexicon::FromJson(*stored, "the brand lexicon stored in the index");
    HARK_RETURN_IF_ERROR(lex.status());
    lexicon = std::move(*lex);
  }
  const std::vector<Brand>& brands = lexicon.brands();
  out->lexicon_brands = brands.size();

  SearchRequest sr;
  sr.query = req.query;
  sr.from = req.from;
  sr.to = req.to;
  if (!out->retagged) {  // the selection's size, exact (a retag reads the whole selection anyway)
    SearchRequest count = sr;
    count.limit = 0;
    count.exact = true;
    count.snippets = false;
    Result<SearchResponse> total = index.Search(count);
    HARK_RETURN_IF_ERROR(total.status());
    out->messages = total->total;
  }
  if (!out->retagged) {
    // The index was tagged with this lexicon: only messages with a mention can count.
    for (const Brand& b : brands) sr.filters["mention"].push_back(b.name);
  }
  std::vector<MatchRow> rows;
  HARK_RETURN_IF_ERROR(index.CollectMatches(sr, &rows));
  if (out->retagged) out->messages = rows.size();

  // Buckets: over --from..--to, else over the messages read.
  std::optional<Bucketer> bucketer;
  if (req.by && !rows.empty()) {
    Result<TimeZone> tz = TimeZone::Load(req.tz);
    HARK_RETURN_IF_ERROR(tz.status());
    bucketer.emplace(*req.by, *tz);
    int64_t lo = rows.front().time, hi = rows.front().time;
    for (const MatchRow& r : rows) lo = std::min(lo, r.time), hi = std::max(hi, r.time);
    Result<std::vector<int64_t>> bounds = bucketer->Bounds(req.from.value_or(lo), req.to.value_or(hi));
    HARK_RETURN_IF_ERROR(bounds.status());
    out->bounds = std::move(*bounds);
  }
  const size_t n_buckets = out->bounds.empty() ? 0 : out->bounds.size() - 1;

  std::vector<BrandStats> stats(brands.size());
  std::vector<double> sentiment_sum(brands.size(), 0);
  std::vector<std::unordered_map<std::string, uint64_t>> authors(brands.size());
  for (size_t b = 0; b < brands.size(); ++b) {
    stats[b].brand = brands[b].name;
    stats[b].market = brands[b].market;
    stats[b].buckets.assign(n_buckets, 0);
  }
  std::map<std::pair<int, int>, uint64_t> comention;
  std::map<std::pair<int, int>, SwitchFlow> flows;

  std::vector<std::string> tokens;
  std::vector<BrandMention> mentions;
  std::vector<std::pair<int, int>> switching;
  std::vector<uint64_t> batch;
  std::vector<Record> records;
  constexpr size_t kBatch = 2048;
  for (size_t start = 0; start < rows.size(); start += kBatch) {
    batch.clear();
    for (size_t i = start; i < rows.size() && i < start + kBatch; ++i) batch.push_back(rows[i].recno);
    HARK_RETURN_IF_ERROR(index.GetMany(batch, &records));
    for (const Record& r : records) {
      TokenizeMessage(r.title, r.text, &tokens);
      lexicon.Mentions(tokens, &mentions);
      if (mentions.empty()) continue;
      ++out->mentioning;
      std::vector<int> named;
      for (const BrandMention& m : mentions) named.push_back(static_cast<int>(m.brand));
      std::sort(named.begin(), named.end());
      named.erase(std::unique(named.begin(), named.end()), named.end());
      int64_t bucket = -1;
      if (n_buckets > 0) {
        auto it = std::upper_bound(out->bounds.begin(), out->bounds.end(), r.time);
        if (it != out->bounds.begin() && it != out->bounds.end()) bucket = (it - out->bounds.begin()) - 1;
      }
      const std::string_view cls = schema::SentimentClass(r.sentiment);
      for (int b : named) {
        BrandStats& s = stats[static_cast<size_t>(b)];
        ++s.mentions;
        sentiment_sum[static_cast<size_t>(b)] += r.sentiment;
        if (cls == "positive") ++s.positive;
        else if (cls == "negative") ++s.negative;
        else ++s.neutral;
        if (!r.author.empty()) ++authors[static_cast<size_t>(b)][r.author];
        if (bucket >= 0) ++s.buckets[static_cast<size_t>(bucket)];
      }
      for (size_t i = 0; i < named.size(); ++i) {
        for (size_t j = i + 1; j < named.size(); ++j) ++comention[{named[i], named[j]}];
      }
      FindSwitching(lexicon, tokens, mentions, &switching);
      for (const auto& [from, to] : switching) {
        SwitchFlow& f = flows[{from, to}];
        f.from = from >= 0 ? brands[static_cast<size_t>(from)].name : "";
        f.to = brands[static_cast<size_t>(to)].name;
        ++f.count;
        if (f.examples.size() < req.examples) f.examples.push_back(r.id);
      }
    }
  }

  std::map<std::string, uint64_t> market_total;
  uint64_t all = 0;
  for (const BrandStats& s : stats) market_total[s.market] += s.mentions, all += s.mentions;
  for (size_t b = 0; b < stats.size(); ++b) {
    BrandStats& s = stats[b];
    const uint64_t m = market_total[s.market];
    s.share = m == 0 ? 0 : static_cast<double>(s.mentions) / static_cast<double>(m);
    s.share_all = all == 0 ? 0 : static_cast<double>(s.mentions) / static_cast<double>(all);
    s.sentiment_mean = s.mentions == 0 ? 0 : sentiment_sum[b] / static_cast<double>(s.mentions);
    s.authors.assign(authors[b].begin(), authors[b].end());
    std::sort(s.authors.begin(), s.authors.end(),
              [](const auto& x, const auto& y) { return x.second != y.second ? x.second > y.second : x.first < y.first; });
    if (s.authors.size() > req.authors) s.authors.resize(req.authors);
  }
  std::stable_sort(stats.begin(), stats.end(),
                   [](const BrandStats& x, const BrandStats& y) { return x.mentions > y.mentions; });
  out->brands = std::move(stats);
  for (const auto& [pair, count] : comention) {
    out->comentions.push_back({{brands[static_cast<size_t>(pair.first)].name, brands[static_cast<size_t>(pair.second)].name}, count});
  }
  std::stable_sort(out->comentions.begin(), out->comentions.end(),
                   [](const auto& x, const auto& y) { return x.second > y.second; });
  for (auto& [key, flow] : flows) out->switching.push_back(std::move(flow));
  std::stable_sort(out->switching.begin(), out->switching.end(),
                   [](const SwitchFlow& x, const SwitchFlow& y) { return x.count > y.count; });
  return Status::Ok();
}

Status RunMentions(IndexReader& index, const MentionsRequest& req, const RenderOptions& render, std::ostream& out) {
  MentionsReport r;
  HARK_RETURN_IF_ERROR(ComputeMentions(index, req, &r));
  auto round = [](double v, double scale) { return std::round(v * scale) / scale; };
  std::optional<Bucketer> bucketer;
  if (req.by) {
    Result<TimeZone> tz = TimeZone::Load(req.tz);
    HARK_RETURN_IF_ERROR(tz.status());
    bucketer.emplace(*req.by, *tz);
  }
  if (render.format == OutputFormat::kJson) {
    nlohmann::json brands = nlohmann::json::array();
    for (const BrandStats& s : r.brands) {
      nlohmann::json authors = nlohmann::json::array();
      for (const auto& [a, n] : s.authors) authors.push_back({{"author", a}, {"count", n}});
      const double m = std::max<double>(1, static_cast<double>(s.mentions));
      brands.push_back({{"brand", s.brand},
                        {"market", s.market},
                        {"mentions", s.mentions},
                        {"share", round(s.share, 1e6)},
                        {"share_all", round(s.share_all, 1e6)},
                        {"sentiment", {{"mean", round(s.sentiment_mean, 1e4)},
                                       {"positive", round(static_cast<double>(s.positive) / m, 1e4)},
                                       {"neutral", round(static_cast<double>(s.neutral) / m, 1e4)},
                                       {"negative", round(static_cast<double>(s.negative) / m, 1e4)}}},
                        {"authors", authors}});
    }
    nlohmann::json j = {{"lexicon", {{"brands", r.lexicon_brands},
                                     {"source", req.brands_path.empty() ? "index" : req.brands_path},
                                     {"retagged", r.retagged}}},
                        {"messages", r.messages},
                        {"mentioning", r.mentioning},
                        {"brands", brands}};
    if (bucketer) {
      nlohmann::json starts = nlohmann::json::array(), per = nlohmann::json::object();
      for (size_t i = 0; i + 1 < r.bounds.size(); ++i) starts.push_back(bucketer->Label(r.bounds[i]));
      for (const BrandStats& s : r.brands) per[s.brand] = s.buckets;
      j["series"] = {{"by", BucketUnitName(*req.by)}, {"tz", req.tz}, {"buckets", starts}, {"brands", per}};
    }
    nlohmann::json co = nlohmann::json::array(), sw = nlohmann::json::array();
    for (const auto& [pair, n] : r.comentions) co.push_back({{"brands", {pair.first, pair.second}}, {"count", n}});
    for (const SwitchFlow& f : r.switching) {
      sw.push_back({{"from", f.from.empty() ? nlohmann::json() : nlohmann::json(f.from)}, {"to", f.to},
                    {"count", f.count}, {"examples", f.examples}});
    }
    j["comentions"] = co;
    j["switching"] = sw;
    WriteJson(out, j);
    return Status::Ok();
  }
  if (render.format == OutputFormat::kCsv && bucketer) {  // one row per brand and bucket
    WriteCsvRow(out, {"brand", "start", "mentions"});
    for (const BrandStats& s : r.brands) {
      for (size_t i = 0; i < s.buckets.size(); ++i) {
        WriteCsvRow(out, {s.brand, bucketer->Label(r.bounds[i]), std::to_string(s.buckets[i])});
      }
    }
    return Status::Ok();
  }
  if (render.format == OutputFormat::kCsv) {
    WriteCsvRow(out, {"brand", "market", "mentions", "share", "share_all", "sentiment_mean", "positive", "neutral",
                      "negative"});
    char buf[64];
    for (const BrandStats& s : r.brands) {
      auto f = [&](double v) { std::snprintf(buf, sizeof buf, "%.6g", v); return std::string(buf); };
      WriteCsvRow(out, {s.brand, s.market, std::to_string(s.mentions), f(s.share), f(s.share_all), f(s.sentiment_mean),
                        std::to_string(s.positive), std::to_string(s.neutral), std::to_string(s.negative)});
    }
    return Status::Ok();
  }
  char line[256];
  std::snprintf(line, sizeof line, "%llu messages, %llu mention a brand of the lexicon (%zu brands%s)\n\n",
                static_cast<unsigned long long>(r.messages), static_cast<unsigned long long>(r.mentioning),
                r.lexicon_brands, r.retagged ? ", tagged now" : ", as tagged at ingest");
  out << line;
  std::snprintf(line, sizeof line, "%-22s %-12s %9s %7s %8s %6s %6s %6s  %s\n", "brand", "market", "mentions", "share",
                "sent.", "pos", "neu", "neg", "top authors");
  out << line;
  for (const BrandStats& s : r.brands) {
    const double m = std::max<double>(1, static_cast<double>(s.mentions));
    std::string top;
    for (size_t i = 0; i < s.authors.size() && i < 3; ++i) top += (i ? ", " : "") + s.authors[i].first;
    std::snprintf(line, sizeof line, "%-22s %-12s %9llu %6.1f%% %+8.3f %5.0f%% %5.0f%% %5.0f%%  %s\n",
                  OneLine(s.brand, 22).c_str(), OneLine(s.market, 12).c_str(),
                  static_cast<unsigned long long>(s.mentions), 100 * s.share, s.sentiment_mean,
                  100 * static_cast<double>(s.positive) / m, 100 * static_cast<double>(s.neutral) / m,
                  100 * static_cast<double>(s.negative) / m, top.c_str());
    out << line;
  }
  out << "\nco-mentions:\n";
  for (size_t i = 0; i < r.comentions.size() && i < 10; ++i) {
    out << "  " << r.comentions[i].first.first << " + " << r.comentions[i].first.second << ": "
        << r.comentions[i].second << "\n";
  }
  if (r.comentions.empty()) out << "  -\n";
  out << "\nswitching:\n";
  for (const SwitchFlow& f : r.switching) {
    out << "  " << (f.from.empty() ? "?" : f.from) << " -> " << f.to << ": " << f.count << "  (e.g.";
    for (const std::string& id : f.examples) out << " " << id;
    out << ")\n";
  }
  if (r.switching.empty()) out << "  -\n";
  if (bucketer && !r.bounds.empty()) {
    out << "\nmentions per " << BucketUnitName(*req.by) << " from " << bucketer->Label(r.bounds.front())
        << " (one cell per " << BucketUnitName(*req.by) << "; --format csv for the numbers):\n";
    static const char* kLevels[] = {" ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"};
    for (const BrandStats& s : r.brands) {
      if (s.mentions == 0) continue;
      const uint64_t max = *std::max_element(s.buckets.begin(), s.buckets.end());
      std::string cells;
      for (size_t i = 0; i < s.buckets.size() && i < 120; ++i) {
        cells += kLevels[max == 0 || s.buckets[i] == 0 ? 0 : (s.buckets[i] * 8 + max - 1) / max];
      }
      out << "  " << OneLine(s.brand, 22) << std::string(s.brand.size() < 22 ? 22 - s.brand.size() : 0, ' ') << " "
          << cells << "\n";
    }
  }
  return Status::Ok();
}

}  // namespace hark
