// `hark trend`: exact volume over time per query, spikes against a rolling baseline with
// the terms, authors and messages that drove them, and terms rising between two periods.
//
// Series are exact. A series with no query whose filters name one counter series
// (nothing, brands only, or channels only), counted by day, week or month in UTC over
// whole days, is read from the per-day counters in RocksDB without touching the text
// index; any other series is counted from the query's full match set and each match's
// time value. Stateless functions; the IndexReader is not thread-safe.
#ifndef HARK_QUERY_TREND_H_
#define HARK_QUERY_TREND_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "query/search.h"
#include "query/term_stats.h"
#include "query/time_bucket.h"
#include "storage/index.h"

namespace hark {

struct TrendRequest {
  std::vector<std::string> queries;          // one series each; "" = every message
  BucketUnit by = BucketUnit::kDay;
  std::optional<int64_t> from, to;           // inclusive; default: the index's first/last message
  std::string tz = "UTC";                    // bucket boundaries and labels
  // Filters (several values of one field are ORed): brand, channel, mentioned brand,
  // sentiment class (positive, neutral, negative).
  std::vector<std::string> brands, channels, mentions, sentiments;

  bool spikes = false;
  SpikeOptions spike{.window = 0, .min_history = 0};  // 0: the unit's default
  size_t terms = 10;                         // drivers per spike, rising terms
  size_t authors = 5;                        // top authors per spike
  size_t examples = 3;                       // example messages per spike
  size_t sample = 20000;                     // most messages read per term set (evenly spaced)

  // --rising: terms whose share rose from [vs_from, vs_to] to [from, to].
  bool rising = false;
  std::optional<int64_t> vs_from, vs_to;
};

// One bucket of a series.
struct TrendBucket {
  int64_t start = 0;
  uint64_t count = 0;
};

struct TrendSeries {
  std::string query;
  bool from_counters = false;  // read from the per-day counters
  uint64_t total = 0;
  std::vector<TrendBucket> buckets;
};

// A spike found in a series, with what drove it (README.md, "Trends": method and fields).
struct TrendSpike {
  std::string query;                          // the series' query
  Spike spike;                                // bucket index, count, baseline, spread, score
  int64_t start = 0, end = 0;                 // the bucket [start, end)
  int64_t window_start = 0, window_end = 0;   // the baseline window [start, end)
  uint64_t window_messages = 0;               // messages in the window's normal buckets
  size_t window_buckets = 0;                  // normal buckets of the window
  uint64_t conversations = 0;                 // distinct conversations in the bucket
  double conversations_mean = 0;              // per normal bucket of the window
  double p_value = 1;                         // P(X >= conversations), X ~ Poisson(max(mean, 1))
  bool sampled = false;                       // the term sets were sampled (--sample)
  std::vector<TermShift> terms;               // drivers, most significant first
  std::vector<std::pair<std::string, uint64_t>> authors;  // top authors in the bucket
  std::vector<Record> examples;               // messages holding the strongest driver
};

// The series of a request and, when request.spikes, their spikes: what `hark trend`
// prints, as data.
struct TrendAnalysis {
  std::vector<int64_t> bounds;     // bucket starts + the end of the last one (empty: no buckets)
  std::vector<TrendSeries> series;
  std::vector<TrendSpike> spikes;  // broad spikes only, by series then time
  size_t narrow_dropped = 0;       // high buckets left out for too few conversations
  SpikeOptions spike_options;      // the options in force (unit defaults filled in)
};

// The window and history SpikeOptions get when the request leaves them 0: 168 / 24
// hours, 28 / 7 days, 12 / 4 weeks, 12 / 3 months.
SpikeOptions DefaultSpikeOptions(BucketUnit unit);

// Computes every series of the request (all over the same buckets).
[[nodiscard]] Status ComputeTrend(IndexReader& index, const TrendRequest& request, std::vector<TrendSeries>* out);

// Computes the series and, with request.spikes, the spikes with their drivers (the
// --rising fields of the request are ignored).
[[nodiscard]] Status ComputeTrendAnalysis(IndexReader& index, const TrendRequest& request, TrendAnalysis* out);

// Prints the series (and spikes, or the rising terms). JSON: {"by", "tz", "from", "to",
// "series": [{"query", "source", "total", "buckets": [{"start", "count"}]}],
// "spikes": [{"query", "start", "end", "count", "baseline", "score", "terms": [...],
// "authors": [...], "examples": [...]}]} or, with --rising, {"rising": {...}}. README.md
// documents every field. Text draws each series as bars (or sparklines when long); CSV
// is one row per bucket (spikes: one per spike; rising: one per term).
[[nodiscard]] Status RunTrend(IndexReader& index, const TrendRequest& request, const RenderOptions& render,
                              std::ostream& out);

}  // namespace hark

#endif  // HARK_QUERY_TREND_H_
