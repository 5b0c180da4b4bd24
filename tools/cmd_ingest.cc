// hark ingest: read archives into an index (and the option parser and report hark reindex shares).
#include <cstdio>
#include <fstream>
#include <iostream>

#include "indexer/ingest.h"
#include "tools/command.h"

namespace hark::tools {
namespace {

// --memory: "512M", "2G", "1536MiB", "800000K"; a bare number is in MiB.
bool ParseMemory(const std::string& text, uint64_t* bytes) {
  size_t end = 0;
  unsigned long long n = 0;
  try {
    n = std::stoull(text, &end);
  } catch (const std::exception&) {
    return false;
  }
  if (text[0] == '-' || n == 0) return false;
  std::string unit = text.substr(end);
  if (unit.size() > 1 && (unit.substr(1) == "iB" || unit.substr(1) == "B")) unit.resize(1);
  int shift = 0;
  if (unit.empty() || unit == "M" || unit == "m") shift = 20;
  else if (unit == "K" || unit == "k") shift = 10;
  else if (unit == "G" || unit == "g") shift = 30;
  else return false;
  if (n > (uint64_t{1} << (63 - shift))) return false;
  *bytes = static_cast<uint64_t>(n) << shift;
  return true;
}

}  // namespace

// hark ingest and hark reindex: the same options and report; reindex builds a new
// generation (from the files given or, with --from-manifest, every file the live
// generation was built from, each read as it was then) and swaps it in when complete.
int IngestCommand(const std::vector<std::string>& args, bool reindex) {
  static const char kIngestUsage[] =
      "usage: hark ingest --index DIR [--format auto|jsonl|twcs|stackexchange|mbox|reddit|csv] [--map F=COL,...]\n"
      "                   [--source NAME] [--threads N] [--memory SIZE] [--stats-json FILE] [--max-reject-rate R] FILE...\n\n"
      "Reads each FILE (plain or .zst) into the index, all or nothing: one commit publishes the run, and a\n"
      "crash, kill or input fault leaves the index as it was (run the same command again). Re-running with\n"
      "the same files adds nothing: files unchanged since they were last read are skipped, files that only\n"
      "grew are read from where they ended. Malformed records are quarantined in a rejects file (file, line,\n"
      "offset, reason, raw record).\n"
      "Exit codes: 0 success, 1 failure (an input fault: nothing committed), 2 usage error, 3 reject rate\n"
      "above --max-reject-rate (the run is committed).";
  static const char kReindexUsage[] =
      "usage: hark reindex --index DIR (--from-manifest | FILE...) [--keep N] [ingest options]\n\n"
      "Builds a new generation of the index beside the live one (searches keep using the live one), then\n"
      "makes it live by replacing CURRENT atomically: a reader sees the old generation or the new one, never\n"
      "a mix. --from-manifest rebuilds from every file the live generation was built from, each read with\n"
      "the format, --map, --source and --channel it was first read with. The brand lexicon and identities\n"
      "carry over. Afterwards the --keep newest generations are kept (hark generations lists them and rolls\n"
      "back). An interrupted reindex leaves the live generation untouched; its partial build is removed by\n"
      "the next writer.\n"
      "Exit codes: as hark ingest.";
  const char* command = reindex ? "reindex" : "ingest";
  std::string index, format, map, source, channel, stats_json, rejects, progress, identities, brands, memory;
  int threads = 0;
  double max_reject_rate = -1;
  size_t block_kb = 1024, keep = 2;
  std::vector<std::string> files;
  po::options_description desc("options");
  desc.add_options()
      ("help,h", "show this help")
      ("index", po::value(&index)->default_value(DefaultIndexDir()), "index directory (created if missing)")
      ("format", po::value(&format)->default_value("auto"), "input format: auto, jsonl, twcs, stackexchange, mbox, reddit, csv")
      ("map", po::value(&map), "column mapping for csv/jsonl: id=COL,time=COL,text=COL,... or a mapping file")
      ("source", po::value(&source), "source name for the records (default: per format)")
      ("channel", po::value(&channel), "channel for the records (default: per format)")
      ("threads", po::value(&threads)->default_value(0), "worker threads (0 = all cores); a text index built anew gets as many shards, at most 4")
      ("memory", po::value(&memory)->default_value(std::to_string(kDefaultIngestMemory >> 20) + "M"),
       "what the run holds in memory at its peak: SIZE in K, M or G (a bare number is MiB), at least 128M; "
       "less makes smaller memtables, fewer blocks in flight and smaller text chunks; the store's index and "
       "filter blocks come on top (README \"Memory\")")
      ("stats-json", po::value(&stats_json), "write the run's statistics as JSON to FILE")
      ("rejects", po::value(&rejects), "quarantine file (default INDEX/rejects/ingest-TIME-PID.jsonl)")
      ("max-reject-rate", po::value(&max_reject_rate), "exit 3 when rejected/(read+rejected) is above this fraction")
      ("force", "re-read files even when unchanged since their last ingest")
      ("identities", po::value(&identities), "CSV (person,handle) or JSON file stitching handles into persons")
      ("brands", po::value(&brands), "brand lexicon (JSON, corpora/brands/) to tag mentions with; stored with the index")
      ("progress", po::value(&progress)->default_value("auto"), "progress display: auto, bar, plain, off")
      ("block-kb", po::value(&block_kb)->default_value(1024), "size of the blocks read in parallel (KiB)")
      ("files", po::value(&files), "input files");
  if (reindex) {
    desc.add_options()
        ("from-manifest", "rebuild from every source file of the live generation, each read as it was first read")
        ("keep", po::value(&keep)->default_value(2), "generations kept afterwards, the live one included (>= 1)");
  }
  po::positional_options_description pos;
  pos.add("files", -1);
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(args, desc, pos, reindex ? kReindexUsage : kIngestUsage, &vm, &exit)) return exit;
  const bool from_manifest = vm.count("from-manifest") > 0;
  if (files.empty() == !from_manifest || (from_manifest && !files.empty())) {
    std::cerr << "hark " << command << ": "
              << (reindex ? "give FILE... or --from-manifest, not both or neither" : "no input files given") << "\n"
              << (reindex ? kReindexUsage : kIngestUsage) << "\n";
    return kExitUsage;
  }
  if (threads < 0 || keep < 1 || (vm.count("max-reject-rate") && (max_reject_rate < 0 || max_reject_rate > 1))) {
    std::cerr << "hark " << command << ": --threads must be >= 0, --keep >= 1 and --max-reject-rate in [0, 1]\n";
    return kExitUsage;
  }
  IngestOptions opts;
  if (!ParseMemory(memory, &opts.memory_bytes) || opts.memory_bytes < kMinIngestMemory) {
    std::cerr << "hark " << command << ": --memory '" << memory << "' is not a size of at least "
              << (kMinIngestMemory >> 20) << "M (e.g. 512M or 2G)\n";
    return kExitUsage;
  }
  opts.index_dir = index;
  opts.files = files;
  opts.threads = threads;
  opts.rejects_path = rejects;
  opts.max_reject_rate = max_reject_rate;
  opts.force = vm.count("force") > 0 || reindex;
  opts.identities_path = identities;
  opts.brands_path = brands;
  opts.reader.source = source;
  opts.reader.channel = channel;
  opts.reader.block_bytes = std::max<size_t>(block_kb, 1) * 1024;
  opts.new_generation = reindex;
  opts.keep_generations = keep;
  Result<Format> f = ParseFormat(format);
  if (!f.ok()) return Fail(command, f.status());
  opts.format = *f;
  if (!map.empty()) {
    Result<FieldMap> m = ParseFieldMap(map);
    if (!m.ok()) return Fail(command, m.status());
    opts.reader.map = *m;
  }
  if (opts.format == Format::kCsv && opts.reader.map.empty()) {
    std::cerr << "hark " << command << ": --format csv needs --map (e.g. --map id=tweet_id,time=tweet_created,text=text)\n";
    return kExitUsage;
  }
  if (from_manifest) {
    std::unique_ptr<IndexReader> live = OpenForQuery(index);
    if (!live) return kExitFailure;
    for (const SourceFile& sf : live->state().sources) {
      IngestOptions::FileSettings how;
      how.reader.block_bytes = opts.reader.block_bytes;
      how.reader.source = sf.source_option;
      how.reader.channel = sf.channel_option;
      Result<Format> was = ParseFormat(sf.format.empty() ? "auto" : sf.format);
      if (!was.ok()) return Fail(command, was.status().WithContext("manifest entry " + sf.path));
      how.format = *was;
      if (!sf.map.empty()) {
        Result<FieldMap> m = ParseFieldMap(sf.map);
        if (!m.ok()) return Fail(command, m.status().WithContext("manifest entry " + sf.path));
        how.reader.map = *m;
      }
      opts.files.push_back(sf.path);
      opts.per_file[sf.path] = how;
    }
    if (opts.files.empty()) {
      std::cerr << "hark reindex: the live generation of " << index << " lists no source files\n";
      return kExitFailure;
    }
  }
  if (progress == "bar") opts.progress = Progress::Mode::kTerminal;
  else if (progress == "plain") opts.progress = Progress::Mode::kPlain;
  else if (progress == "off") opts.progress = Progress::Mode::kOff;
  else if (progress != "auto") {
    std::cerr << "hark " << command << ": --progress must be auto, bar, plain or off\n";
    return kExitUsage;
  }

  Result<IngestReport> result = hark::RunIngest(opts);
  if (!result.ok()) return Fail(command, result.status());
  const IngestReport& r = *result;

  for (const FileReport& f : r.files) {
    if (f.unchanged) {
      std::printf("%s: unchanged since it was last ingested; skipped (--force re-reads it)\n", f.path.c_str());
    } else if (f.error.empty()) {
      std::printf("%s [%s]: %llu records: %llu indexed, %llu duplicates, %llu rejected", f.path.c_str(),
                  f.format.c_str(), static_cast<unsigned long long>(f.read + f.rejected),
                  static_cast<unsigned long long>(f.indexed), static_cast<unsigned long long>(f.duplicates),
                  static_cast<unsigned long long>(f.rejected));
      for (const auto& [reason, n] : f.skipped) std::printf(", %llu skipped (%s)", static_cast<unsigned long long>(n), reason.c_str());
      if (f.resumed_at > 0) std::printf(" (grown: read from byte %llu)", static_cast<unsigned long long>(f.resumed_at));
      std::printf("%s\n", f.read > 0 && f.indexed == 0 && f.duplicates == f.read ? " (already ingested)" : "");
    } else {
      std::printf("%s: FAILED after %llu records: %s\n", f.path.c_str(), static_cast<unsigned long long>(f.read),
                  f.error.c_str());
    }
  }
  std::printf("read %llu, indexed %llu, duplicates %llu, rejected %llu, skipped %llu, rethreaded %llu in %.2f s "
              "(%.0f docs/s, %.1f MB/s, %d threads)\n",
              static_cast<unsigned long long>(r.read + r.rejected), static_cast<unsigned long long>(r.indexed),
              static_cast<unsigned long long>(r.duplicates), static_cast<unsigned long long>(r.rejected),
              static_cast<unsigned long long>(r.skipped), static_cast<unsigned long long>(r.rethreaded), r.seconds,
              r.docs_per_second(), r.mb_per_second(), r.threads);
  if (r.committed) {
    std::printf("time:");
    for (const auto& [phase, seconds] : r.phases) std::printf(" %s %.2f s", phase.c_str(), seconds);
    if (r.text_rebuilt) std::printf(" (text rebuilt from every record: records indexed before changed, or the index had an older layout)");
    std::printf("\n");
    std::printf("memory: peak %.0f MiB of --memory %.0f MiB\n", r.peak_rss_bytes / 1048576.0, r.memory_bytes / 1048576.0);
  }
  std::printf("index %s: %llu records, generation %llu%s\n", index.c_str(),
              static_cast<unsigned long long>(r.index_records), static_cast<unsigned long long>(r.generation),
              r.committed ? (reindex ? " (now live)" : "") : " (unchanged)");
  if (!r.rejects_file.empty()) std::printf("rejected records: %s\n", r.rejects_file.c_str());
  if (!r.committed) std::fprintf(stderr, "hark %s: %s\n", command, r.error.c_str());
  if (r.exit_code == kExitRejects) {
    std::fprintf(stderr, "hark %s: reject rate %.4f is above --max-reject-rate %.4f\n", command, r.reject_rate(),
                 max_reject_rate);
  }
  if (!stats_json.empty()) {
    std::ofstream out(stats_json);
    out << IngestReportJson(r);
    if (!out) {
      std::cerr << "hark " << command << ": cannot write " << stats_json << "\n";
      return kExitFailure;
    }
  }
  return r.exit_code;
}

int RunIngest(const std::vector<std::string>& args) { return IngestCommand(args, /*reindex=*/false); }

}  // namespace hark::tools
