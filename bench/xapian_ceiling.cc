// hark-bench-ceiling: the stock Xapian write ceiling on the same documents as a hark index.
//
//   hark-bench-ceiling --index DIR --out XAPIAN_DIR [--shards N]
//
// Loads every record of the hark index DIR into memory (not timed), then builds the same
// text documents with stock Xapian settings (storage/text_ceiling.h): N shard writers in
// parallel, then compaction into XAPIAN_DIR. Prints one JSON object: docs, shards,
// load_seconds, build_seconds, merge_seconds, seconds (build + merge). bench/e2e_ingest.sh
// runs it beside hark, scriptindex and FTS5.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "storage/index.h"
#include "storage/text_ceiling.h"

namespace {

int Usage(int code) {
  std::fprintf(code ? stderr : stdout,
               "usage: hark-bench-ceiling --index DIR --out XAPIAN_DIR [--shards N (2)]\n"
               "Builds the text documents of hark index DIR with stock Xapian (N shard writers + compaction)\n"
               "and prints the times as JSON.\n");
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  std::string index, out;
  int shards = 2;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-h" || a == "--help") return Usage(0);
    if (i + 1 >= argc) return Usage(2);
    if (a == "--index") index = argv[++i];
    else if (a == "--out") out = argv[++i];
    else if (a == "--shards") shards = std::atoi(argv[++i]);
    else return Usage(2);
  }
  if (index.empty() || out.empty() || shards < 1) return Usage(2);

  const auto t0 = std::chrono::steady_clock::now();
  hark::Result<std::unique_ptr<hark::IndexReader>> reader = hark::IndexReader::Open(index);
  if (!reader.ok()) {
    std::fprintf(stderr, "hark-bench-ceiling: %s\n", reader.status().ToString().c_str());
    return 1;
  }
  const uint64_t n = (*reader)->state().records;
  std::vector<hark::Record> records;
  records.reserve(n);
  std::vector<uint64_t> recnos;
  for (uint64_t lo = 1; lo <= n; lo += 10000) {
    recnos.clear();
    for (uint64_t r = lo; r <= n && r < lo + 10000; ++r) recnos.push_back(r);
    std::vector<hark::Record> batch;
    hark::Status s = (*reader)->GetMany(recnos, &batch);
    if (!s.ok()) {
      std::fprintf(stderr, "hark-bench-ceiling: %s\n", s.ToString().c_str());
      return 1;
    }
    for (hark::Record& r : batch) records.push_back(std::move(r));
  }
  reader->reset();
  const double load = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  hark::CeilingStats stats;
  hark::Status s = hark::BuildStockXapian(records, shards, out, &stats);
  if (!s.ok()) {
    std::fprintf(stderr, "hark-bench-ceiling: %s\n", s.ToString().c_str());
    return 1;
  }
  std::printf(
      "{\"docs\": %zu, \"shards\": %d, \"load_seconds\": %.3f, \"build_seconds\": %.3f, \"merge_seconds\": %.3f, "
      "\"seconds\": %.3f}\n",
      records.size(), shards, load, stats.build_seconds, stats.merge_seconds,
      stats.build_seconds + stats.merge_seconds);
  return 0;
}
