// Google Benchmark of the journey family on a real index (at least 1M messages for the
// numbers in bench/README.md): one customer's journey (p50/p99 over many customers)
// beside its peer, the same journey assembled the way a search engine would (the
// customer's messages from the text index's author filter, then each thread read
// whole); a two-step journeys pattern; hark care over the whole index; and hark trend:
// a brand's daily series from the per-day counters beside the same series counted from
// the text index's matches, a query matching about 10% of the messages by day, and the
// same with spikes and their drivers; hark kb beside reading every conversation.
//
//   HARK_BENCH_INDEX=/path/to/index build/bench/hark-bench-query
//
// The index is built beforehand, e.g. hark-gen --messages 1000000 + hark ingest.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <cstdlib>
#include <random>
#include <set>
#include <sstream>

#include <sys/resource.h>

#include "query/care.h"
#include "query/journey.h"
#include "query/journeys.h"
#include "query/kb.h"
#include "query/trend.h"
#include "storage/index.h"
#include "storage/time_parse.h"

namespace hark {
namespace {

IndexReader* Index() {
  static std::unique_ptr<IndexReader> index = [] {
    const char* dir = std::getenv("HARK_BENCH_INDEX");
    if (dir == nullptr) return std::unique_ptr<IndexReader>();
    Result<std::unique_ptr<IndexReader>> r = IndexReader::Open(dir);
    return r.ok() ? std::move(*r) : std::unique_ptr<IndexReader>();
  }();
  return index.get();
}

// A fixed-seed sample of 2,000 distinct customers (authors of customer messages).
const std::vector<std::string>& Customers() {
  static std::vector<std::string> customers = [] {
    std::vector<std::string> out;
    SearchRequest req;
    req.filters["role"] = {"customer"};
    std::vector<MatchRow> rows;
    if (!Index()->CollectMatches(req, &rows).ok()) return out;
    // Distinct customers, each equally likely (not weighted by how much they wrote).
    for (const MatchRow& r : rows) out.push_back(r.author);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    std::mt19937_64 rng(7);
    std::shuffle(out.begin(), out.end(), rng);
    if (out.size() > 2000) out.resize(2000);
    return out;
  }();
  return customers;
}

void BM_Journey(benchmark::State& state) {
  if (Index() == nullptr) {
    state.SkipWithError("set HARK_BENCH_INDEX to an index directory");
    return;
  }
  const auto& customers = Customers();
  RenderOptions render;
  render.format = OutputFormat::kJson;
  std::vector<double> micros;
  size_t i = 0;
  for (auto _ : state) {
    JourneyRequest req;
    req.customer = customers[i++ % customers.size()];
    std::ostringstream out;
    auto t0 = std::chrono::steady_clock::now();
    Status s = RunJourney(*Index(), req, render, out);
    micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  }
  // Each customer is looked up twice: first with nothing of theirs in the block cache, then
  // again. The two halves apart say how much of the tail is reading blocks cold.
  auto p99 = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[std::min(v.size() - 1, v.size() * 99 / 100)];
  };
  const size_t first = std::min(customers.size(), micros.size());
  state.counters["p99_first_us"] = p99(std::vector<double>(micros.begin(), micros.begin() + first));
  state.counters["p99_again_us"] = p99(std::vector<double>(micros.begin() + first, micros.end()));
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = p99(micros);
  state.counters["customers"] = static_cast<double>(first);
}
BENCHMARK(BM_Journey)->Iterations(4000)->Unit(benchmark::kMicrosecond);

// The peer: the customer's messages from Xapian (boolean author filter), their records,
// then every one of their threads read whole and merged in time order, printed as JSON.
// The same messages as hark's journey, without its per-conversation facts and summary
// (so the peer does less work), from the same RocksDB records.
void BM_JourneyViaTextIndex(benchmark::State& state) {
  if (Index() == nullptr) {
    state.SkipWithError("set HARK_BENCH_INDEX to an index directory");
    return;
  }
  const auto& customers = Customers();
  std::vector<double> micros;
  size_t i = 0;
  size_t messages = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    SearchRequest req;
    req.filters["author"] = {customers[i++ % customers.size()]};
    std::vector<MatchRow> rows;
    Status s = Index()->CollectMatches(req, &rows);
    std::vector<uint64_t> recnos;
    for (const MatchRow& r : rows) recnos.push_back(r.recno);
    std::vector<Record> own;
    if (s.ok()) s = Index()->GetMany(recnos, &own);
    std::set<std::pair<std::string, std::string>> threads;
    for (const Record& r : own) threads.emplace(r.source, r.thread);
    std::vector<Record> timeline, one;
    for (const auto& [source, thread] : threads) {
      if (s.ok()) s = Index()->Thread(source, thread, &one);
      std::move(one.begin(), one.end(), std::back_inserter(timeline));
    }
    std::stable_sort(timeline.begin(), timeline.end(),
                     [](const Record& a, const Record& b) { return a.time < b.time; });
    messages += timeline.size();
    // The same timeline JSON as hark journey's `messages`.
    nlohmann::json json = nlohmann::json::array();
    for (const Record& r : timeline) {
      json.push_back({{"id", r.id}, {"source", r.source}, {"time", FormatTime(r.time)}, {"author", r.author},
                      {"role", r.role}, {"channel", r.channel}, {"brand", r.brand}, {"thread", r.thread},
                      {"text", r.text}, {"sentiment", r.sentiment}});
    }
    std::ostringstream out;
    out << json.dump();
    benchmark::DoNotOptimize(out.tellp());
    micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  }
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[std::min(micros.size() - 1, micros.size() * 99 / 100)];
  state.counters["messages_per_journey"] = static_cast<double>(messages) / micros.size();
}
BENCHMARK(BM_JourneyViaTextIndex)->Iterations(4000)->Unit(benchmark::kMicrosecond);

void BM_JourneysPattern(benchmark::State& state) {
  if (Index() == nullptr) {
    state.SkipWithError("set HARK_BENCH_INDEX to an index directory");
    return;
  }
  RenderOptions render;
  render.format = OutputFormat::kJson;
  uint64_t total = 0;
  for (auto _ : state) {
    JourneysRequest req;
    req.steps = {"cancelled flight", "refund"};
    req.within = 14 * 86400;
    std::ostringstream out;
    Status s = RunJourneys(*Index(), req, render, out);
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
    total = nlohmann::json::parse(out.str())["total"].get<uint64_t>();
  }
  state.counters["customers_matched"] = static_cast<double>(total);
}
BENCHMARK(BM_JourneysPattern)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_Care(benchmark::State& state) {
  if (Index() == nullptr) {
    state.SkipWithError("set HARK_BENCH_INDEX to an index directory");
    return;
  }
  uint64_t conversations = 0;
  for (auto _ : state) {
    std::vector<CareRow> rows;
    CareRequest req;
    req.by = static_cast<CareGroup>(state.range(0));
    Status s = ComputeCare(*Index(), req, &rows);
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
    conversations = rows.back().conversations;
  }
  state.counters["conversations"] = static_cast<double>(conversations);
}
BENCHMARK(BM_Care)->Arg(static_cast<int>(CareGroup::kBrand))->Arg(static_cast<int>(CareGroup::kMonth))
    ->Unit(benchmark::kMillisecond)->Iterations(5);

// The busiest brand's daily series over the whole index. Arg 0: from the per-day
// counters (what hark trend --brand B does); arg 1: the peer, the same series counted
// from the text index's match set (a boolean brand: query forces that path).
void BM_TrendBrandByDay(benchmark::State& state) {
  if (Index() == nullptr) {
    state.SkipWithError("set HARK_BENCH_INDEX to an index directory");
    return;
  }
  static const std::string brand = [] {
    SearchRequest req;
    req.limit = 0;
    req.facets = {"brand"};
    Result<SearchResponse> r = Index()->Search(req);
    if (!r.ok() || r->facets["brand"].empty()) return std::string();
    return r->facets["brand"].front().first;
  }();
  TrendRequest req;
  if (state.range(0) == 0) {
    req.brands = {brand};
  } else {
    req.queries = {"brand:\"" + brand + "\""};
  }
  std::vector<TrendSeries> series;
  for (auto _ : state) {
    Status s = ComputeTrend(*Index(), req, &series);
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  }
  state.SetLabel(brand + (series.at(0).from_counters ? " (counters)" : " (matches)"));
  state.counters["days"] = static_cast<double>(series.at(0).buckets.size());
  state.counters["messages"] = static_cast<double>(series.at(0).total);
}
BENCHMARK(BM_TrendBrandByDay)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(20);

// A query matching about 10% of the messages ($HARK_BENCH_TREND_QUERY, default
// "account": 11.3% of hark-gen's messages), by day; arg 1 adds spikes with their drivers.
void BM_TrendQueryByDay(benchmark::State& state) {
  if (Index() == nullptr) {
    state.SkipWithError("set HARK_BENCH_INDEX to an index directory");
    return;
  }
  const char* q = std::getenv("HARK_BENCH_TREND_QUERY");
  TrendRequest req;
  req.queries = {q != nullptr ? q : "account"};
  req.spikes = state.range(0) == 1;
  RenderOptions render;
  render.format = OutputFormat::kJson;
  nlohmann::json j;
  for (auto _ : state) {
    std::ostringstream out;
    Status s = RunTrend(*Index(), req, render, out);
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
    j = nlohmann::json::parse(out.str());
  }
  const double total = j["series"][0]["total"].get<double>();
  state.counters["matches"] = total;
  state.counters["share"] = total / static_cast<double>(Index()->state().records);
  if (req.spikes) state.counters["spikes"] = static_cast<double>(j["spikes"].size());
}
BENCHMARK(BM_TrendQueryByDay)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(5);

// hark kb over the whole index (arg 0), beside its floor (arg 1): every conversation
// read from the store, nothing mined or clustered. Peak RSS of the process is reported
// (ru_maxrss: the largest so far, so run this benchmark alone for kb's own peak).
void BM_Kb(benchmark::State& state) {
  if (Index() == nullptr) {
    state.SkipWithError("set HARK_BENCH_INDEX to an index directory");
    return;
  }
  KbReport report;
  uint64_t threads = 0, records = 0;
  std::vector<uint64_t> recnos;
  std::vector<Record> batch;
  for (auto _ : state) {
    if (state.range(0) == 0) {
      Status s = ComputeKb(*Index(), KbRequest(), &report);
      if (!s.ok()) state.SkipWithError(s.ToString().c_str());
      continue;
    }
    threads = records = 0;
    Status s = Index()->ForEachThread(
        [&](const std::string&, const std::string&, const std::vector<ThreadEntry>& entries) -> Status {
          recnos.clear();
          for (const ThreadEntry& e : entries) recnos.push_back(e.recno);
          HARK_RETURN_IF_ERROR(Index()->GetMany(recnos, &batch));
          ++threads, records += batch.size();
          return Status::Ok();
        });
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  }
  if (state.range(0) == 0) {
    state.SetLabel("hark kb");
    state.counters["threads"] = static_cast<double>(report.threads);
    state.counters["questions"] = static_cast<double>(report.questions);
    state.counters["clusters"] = static_cast<double>(report.clusters);
  } else {
    state.SetLabel("read every thread (floor)");
    state.counters["threads"] = static_cast<double>(threads);
  }
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_rss_mb"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}
BENCHMARK(BM_Kb)->Arg(0)->Arg(1)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace hark

BENCHMARK_MAIN();
