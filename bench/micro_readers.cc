// hark-bench-micro: Google Benchmark micro benchmarks of the reader API
// (indexer/readers.h): cutting a file into blocks (the serial half, NextBlock) and
// parsing blocks (the parallel half, Parse) for canonical JSONL and TWCS CSV.
//
// Inputs are generated once per run with hark-gen and fixed seeds (100k messages each;
// HARK_BENCH_MESSAGES overrides), in a temporary directory removed at exit. The real
// TWCS sample from the shared corpora is benchmarked too when present. Throughput is
// reported as bytes/s (of decompressed input) and items/s (records).
//
//   hark-bench-micro [--benchmark_filter=Jsonl] [--benchmark_min_time=2]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "indexer/input.h"
#include "indexer/reader.h"
#include "indexer/readers.h"

namespace {

namespace fs = std::filesystem;

using Factory = hark::Result<std::unique_ptr<hark::FileReader>> (*)(
    std::unique_ptr<hark::InputStream>, const hark::ReaderOptions&);

// Generated inputs, made on first use; the directory goes away at exit.
class Inputs {
 public:
  static Inputs& Get() {
    static Inputs inputs;
    return inputs;
  }
  ~Inputs() {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  // `kind`: "jsonl", "jsonl.zst" or "twcs". Throws when hark-gen fails.
  const std::string& Path(const std::string& kind) {
    auto it = paths_.find(kind);
    if (it != paths_.end()) return it->second;
    if (dir_.empty()) {
      std::string tmpl = (fs::temp_directory_path() / "hark-bench-XXXXXX").string();
      if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
      dir_ = tmpl;
    }
    const char* env = std::getenv("HARK_BENCH_MESSAGES");
    std::string messages = env != nullptr ? env : "100000";
    std::string path = dir_ + "/corpus." + (kind == "twcs" ? std::string("csv") : kind);
    std::string cmd = std::string(HARK_GEN_PATH) + " --messages " + messages + " --seed 7 --out " +
                      path + (kind == "twcs" ? " --format twcs" : "") + " 2>/dev/null";
    if (std::system(cmd.c_str()) != 0) throw std::runtime_error("hark-gen failed: " + cmd);
    return paths_[kind] = path;
  }

 private:
  std::string dir_;
  std::map<std::string, std::string> paths_;
};

std::string RealTwcsSample() {
  const char* env = std::getenv("HARK_SHARED");
  fs::path base = env != nullptr ? fs::path(env) : fs::path(HARK_SOURCE_DIR) / ".." / "shared";
  fs::path file = base / "corpora" / "twcs-head-5k" / "twcs_head_5000.csv";
  return fs::exists(file) ? file.string() : std::string();
}

std::unique_ptr<hark::FileReader> Open(const std::string& path, Factory factory,
                                       size_t block_bytes, benchmark::State& state) {
  auto in = hark::InputStream::Open(path);
  if (!in.ok()) {
    state.SkipWithError(in.status().ToString().c_str());
    return nullptr;
  }
  hark::ReaderOptions options;
  options.block_bytes = block_bytes;
  auto reader = factory(std::move(in.value()), options);
  if (!reader.ok()) {
    state.SkipWithError(reader.status().ToString().c_str());
    return nullptr;
  }
  return std::move(reader.value());
}

// Cuts the whole file into blocks (outside the timed loop of the parse benchmarks).
bool ReadBlocks(hark::FileReader* reader, std::vector<hark::Block>* blocks,
                benchmark::State& state) {
  for (;;) {
    hark::Block block;
    auto more = reader->NextBlock(&block);
    if (!more.ok()) {
      state.SkipWithError(more.status().ToString().c_str());
      return false;
    }
    if (!*more) return true;
    blocks->push_back(std::move(block));
  }
}

// The serial half: InputStream reads (and zstd decompression) plus record cutting.
void CutBlocks(benchmark::State& state, const std::string& path, Factory factory) {
  uint64_t bytes = 0;
  uint64_t blocks = 0;
  for (auto _ : state) {
    auto reader = Open(path, factory, static_cast<size_t>(state.range(0)), state);
    if (reader == nullptr) return;
    for (;;) {
      hark::Block block;
      auto more = reader->NextBlock(&block);
      if (!more.ok()) {
        state.SkipWithError(more.status().ToString().c_str());
        return;
      }
      if (!*more) break;
      bytes += block.data.size();
      ++blocks;
      benchmark::DoNotOptimize(block.data.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["blocks"] = benchmark::Counter(static_cast<double>(blocks),
                                                benchmark::Counter::kAvgIterations);
}

// The parallel half: Parse() of every block. With ->Threads(n), thread i parses blocks
// i, i+n, ... of one shared set (Parse is const and thread-safe).
void ParseBlocks(benchmark::State& state, const std::string& path, Factory factory) {
  static std::map<std::string, std::pair<std::unique_ptr<hark::FileReader>, std::vector<hark::Block>>> cache;
  static std::mutex mu;
  const std::string key = path + "#" + std::to_string(state.range(0));
  hark::FileReader* reader = nullptr;
  const std::vector<hark::Block>* blocks = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(key);
    if (it == cache.end()) {
      cache.clear();  // one input at a time: earlier blocks must not skew this one's heap
      auto r = Open(path, factory, static_cast<size_t>(state.range(0)), state);
      if (r == nullptr) return;
      std::vector<hark::Block> b;
      if (!ReadBlocks(r.get(), &b, state)) return;
      it = cache.emplace(key, std::make_pair(std::move(r), std::move(b))).first;
    }
    reader = it->second.first.get();
    blocks = &it->second.second;
  }
  uint64_t bytes = 0;
  uint64_t records = 0;
  uint64_t rejects = 0;
  const size_t stride = static_cast<size_t>(state.threads());
  for (auto _ : state) {
    for (size_t i = static_cast<size_t>(state.thread_index()); i < blocks->size(); i += stride) {
      const hark::Block& block = (*blocks)[i];
      hark::ParsedBlock out;
      reader->Parse(block, &out);
      bytes += block.data.size();
      records += out.records.size();
      rejects += out.rejects.size();
      benchmark::DoNotOptimize(out.records.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(records));
  if (rejects > 0) {
    state.counters["rejects"] = benchmark::Counter(static_cast<double>(rejects),
                                                   benchmark::Counter::kAvgIterations);
  }
}

void BM_JsonlCut(benchmark::State& state) {
  CutBlocks(state, Inputs::Get().Path("jsonl"), hark::NewJsonlReader);
}
void BM_JsonlZstCut(benchmark::State& state) {
  CutBlocks(state, Inputs::Get().Path("jsonl.zst"), hark::NewJsonlReader);
}
void BM_JsonlParse(benchmark::State& state) {
  ParseBlocks(state, Inputs::Get().Path("jsonl"), hark::NewJsonlReader);
}
void BM_TwcsCut(benchmark::State& state) {
  CutBlocks(state, Inputs::Get().Path("twcs"), hark::NewTwcsReader);
}
void BM_TwcsParse(benchmark::State& state) {
  ParseBlocks(state, Inputs::Get().Path("twcs"), hark::NewTwcsReader);
}
void BM_TwcsRealSampleParse(benchmark::State& state) {
  std::string path = RealTwcsSample();
  if (path.empty()) {
    state.SkipWithError("shared corpus twcs-head-5k not found");
    for (auto _ : state) {
    }
    return;
  }
  ParseBlocks(state, path, hark::NewTwcsReader);
}

constexpr int64_t kKiB = 1024;
BENCHMARK(BM_JsonlCut)->Arg(1024 * kKiB)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JsonlZstCut)->Arg(1024 * kKiB)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JsonlParse)->Arg(64 * kKiB)->Arg(1024 * kKiB)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_JsonlParse)->Arg(1024 * kKiB)->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TwcsCut)->Arg(1024 * kKiB)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TwcsParse)->Arg(64 * kKiB)->Arg(1024 * kKiB)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TwcsParse)->Arg(1024 * kKiB)->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TwcsRealSampleParse)->Arg(64 * kKiB)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
