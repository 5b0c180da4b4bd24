// Google Benchmark micro benchmarks of the per-record work past parsing: analysis, the
// record encoding, appending a batch to the RocksDB store, building the text index
// (Xapian) for a batch, and a search. Inputs are synthetic, with a fixed seed.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <cctype>

#include <nlohmann/json.hpp>

#include "indexer/analyzer.h"
#include "storage/brand_lexicon.h"
#include "storage/index.h"
#include "storage/schema.h"

namespace hark {
namespace {

std::vector<Record> MakeRecords(size_t n, uint64_t first_id, uint32_t seed = 42) {
  static const char* kWords[] = {"flight",  "cancelled", "refund", "still",  "waiting", "app",    "crash",
                                 "please",  "help",      "my",     "order",  "never",   "arrived", "account",
                                 "password", "reset",    "thanks", "worked", "delay",   "bag",    "lost",
                                 "hours",   "hold",      "why",    "is",     "the",     "service", "down"};
  std::mt19937_64 rng(seed);
  std::vector<Record> out(n);
  for (size_t i = 0; i < n; ++i) {
    Record& r = out[i];
    r.source = "bench";
    r.id = std::to_string(first_id + i);
    r.thread = r.id;
    r.channel = "twitter";
    r.time = 1500000000 + static_cast<int64_t>(rng() % (86400 * 730));
    r.author = "user" + std::to_string(rng() % 50000);
    r.role = (rng() & 1) ? Role::kCustomer : Role::kAgent;
    r.brand = "brand" + std::to_string(rng() % 12);
    int words = 12 + static_cast<int>(rng() % 14);
    for (int w = 0; w < words; ++w) {
      r.text += kWords[rng() % std::size(kWords)];
      r.text += w + 1 < words ? ' ' : '?';
    }
  }
  return out;
}

std::string TempIndex(const char* name) {
  std::string dir = (std::filesystem::temp_directory_path() / (std::string("hark-bench-") + name)).string();
  std::filesystem::remove_all(dir);
  return dir;
}

void BM_Analyze(benchmark::State& state) {
  std::vector<Record> records = MakeRecords(10000, 1);
  size_t bytes = 0;
  for (const Record& r : records) bytes += r.text.size();
  for (auto _ : state) {
    for (Record& r : records) Analyze(&r);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * records.size());
  state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_Analyze);

// A synthetic lexicon of `n` brands, each with a one- to three-word alias and a handle;
// and records that name some of them.
BrandLexicon SyntheticLexicon(size_t n, std::vector<std::string>* aliases) {
  nlohmann::json brands = nlohmann::json::array();
  std::mt19937_64 rng(7);
  for (size_t i = 0; i < n; ++i) {
    std::string alias = "brand" + std::to_string(i);
    for (int w = static_cast<int>(rng() % 3); w > 0; --w) alias += " word" + std::to_string(rng() % 50);
    aliases->push_back(alias);
    brands.push_back({{"name", "Brand " + std::to_string(i)}, {"aliases", {alias}},
                      {"handles", {"@brand" + std::to_string(i) + "help"}}});
  }
  return BrandLexicon::FromJson(nlohmann::json{{"brands", brands}}.dump(), "synthetic").value();
}

std::vector<Record> RecordsNaming(const std::vector<std::string>& aliases) {
  std::vector<Record> records = MakeRecords(10000, 1);
  std::mt19937_64 rng(9);
  for (Record& r : records) {
    if (rng() % 3 == 0) r.text += " switching to " + aliases[rng() % aliases.size()] + " now";
  }
  return records;
}

// hark's matcher: one pass over the tokens through a token trie. Arg: brands.
void BM_BrandMatch(benchmark::State& state) {
  std::vector<std::string> aliases;
  const BrandLexicon lexicon = SyntheticLexicon(static_cast<size_t>(state.range(0)), &aliases);
  const std::vector<Record> records = RecordsNaming(aliases);
  std::vector<std::string> out;
  size_t found = 0;
  for (auto _ : state) {
    found = 0;
    for (const Record& r : records) {
      lexicon.Match(r.title, r.text, &out);
      found += out.size();
    }
  }
  state.SetItemsProcessed(state.iterations() * records.size());
  state.counters["mentions"] = static_cast<double>(found);
}
BENCHMARK(BM_BrandMatch)->Arg(100)->Arg(1000)->Arg(5000)->Unit(benchmark::kMillisecond);

// The peer a script would write: every alias and handle searched in the lower-cased
// text, whole words checked around each hit. Arg: brands.
void BM_BrandMatchPerAlias(benchmark::State& state) {
  std::vector<std::string> aliases;
  const BrandLexicon lexicon = SyntheticLexicon(static_cast<size_t>(state.range(0)), &aliases);
  const std::vector<Record> records = RecordsNaming(aliases);
  size_t found = 0;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (auto _ : state) {
    found = 0;
    for (const Record& r : records) {
      std::string text = r.text;
      for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (size_t b = 0; b < aliases.size(); ++b) {
        for (const std::string* needle : std::vector<const std::string*>{&aliases[b], &lexicon.brands()[b].handles[0]}) {
          std::string n = *needle;
          for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          bool hit = false;
          for (size_t at = text.find(n); at != std::string::npos && !hit; at = text.find(n, at + 1)) {
            hit = (at == 0 || !word(text[at - 1])) && (at + n.size() == text.size() || !word(text[at + n.size()]));
          }
          if (hit) {
            ++found;
            break;
          }
        }
      }
    }
  }
  state.SetItemsProcessed(state.iterations() * records.size());
  state.counters["mentions"] = static_cast<double>(found);
}
BENCHMARK(BM_BrandMatchPerAlias)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

void BM_EncodeDecodeRecord(benchmark::State& state) {
  std::vector<Record> records = MakeRecords(10000, 1);
  Record back;
  size_t bytes = 0;
  for (auto _ : state) {
    for (const Record& r : records) {
      std::string s = schema::EncodeRecord(r);
      bytes += s.size();
      benchmark::DoNotOptimize(schema::DecodeRecord(s, &back));
    }
  }
  state.SetItemsProcessed(state.iterations() * records.size());
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_EncodeDecodeRecord);

// Dedupe lookup + append of one 5,000-record batch (the pipeline's serial store step).
void BM_AppendBatch(benchmark::State& state) {
  const std::string dir = TempIndex("append");
  auto writer = IndexWriter::Open(dir, WriterOptions()).value();
  uint64_t next_id = 1;
  const size_t batch = 5000;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Record> records = MakeRecords(batch, next_id, static_cast<uint32_t>(next_id));
    next_id += batch;
    std::vector<bool> dup;
    state.ResumeTiming();
    if (!writer->FindDuplicates(records, &dup).ok() || !writer->Append(&records).ok()) state.SkipWithError("append failed");
  }
  state.SetItemsProcessed(state.iterations() * batch);
  writer.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_AppendBatch)->Unit(benchmark::kMillisecond);

// Commit of N appended records: the parallel Xapian chunk build, the merge and the
// atomic publish. Arg: records; threads from the second arg.
void BM_CommitText(benchmark::State& state) {
  const uint64_t n = static_cast<uint64_t>(state.range(0));
  WriterOptions options;
  options.threads = static_cast<int>(state.range(1));
  options.text_chunk_records = 10000;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string dir = TempIndex("commit");
    auto writer = IndexWriter::Open(dir, options).value();
    std::vector<Record> records = MakeRecords(n, 1);
    if (!writer->Append(&records).ok()) state.SkipWithError("append failed");
    state.ResumeTiming();
    if (!writer->Commit({}, nullptr).ok()) state.SkipWithError("commit failed");
    state.PauseTiming();
    writer.reset();
    std::filesystem::remove_all(dir);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_CommitText)->Args({40000, 1})->Args({40000, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

// A two-term AND query with an exact total over 100,000 records, top 10 with snippets.
void BM_Search(benchmark::State& state) {
  static std::string dir;
  if (dir.empty()) {
    dir = TempIndex("search");
    auto writer = IndexWriter::Open(dir, WriterOptions()).value();
    std::vector<Record> records = MakeRecords(100000, 1);
    if (!writer->Append(&records).ok() || !writer->Commit({}, nullptr).ok()) state.SkipWithError("build failed");
  }
  auto reader = IndexReader::Open(dir).value();
  SearchRequest req;
  req.query = "refund waiting";
  req.exact = state.range(0) != 0;
  for (auto _ : state) {
    Result<SearchResponse> r = reader->Search(req);
    benchmark::DoNotOptimize(r.ok());
  }
}
BENCHMARK(BM_Search)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace hark

BENCHMARK_MAIN();
