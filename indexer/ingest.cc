#include "indexer/ingest.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "indexer/analyzer.h"
#include "indexer/thread_linker.h"
#include "storage/index.h"
#include "storage/time_parse.h"

namespace hark {
namespace {

namespace fs = std::filesystem;

// One block travelling through the pipeline.
struct Work {
  std::shared_ptr<FileReader> reader;  // keeps the reader alive while its blocks are in flight
  size_t file = 0;
  Block block;
  ParsedBlock parsed;
};

std::string DefaultRejectsPath(const std::string& index_dir) {
  std::string stamp = FormatTime(static_cast<int64_t>(std::time(nullptr)));
  std::string compact;
  for (char c : stamp) {
    if (c != '-' && c != ':') compact.push_back(c);
  }
  return index_dir + "/rejects/ingest-" + compact + "-" + std::to_string(getpid()) + ".jsonl";
}

// The quarantine: one JSON object per rejected record. Opened on the first reject.
class RejectSink {
 public:
  explicit RejectSink(std::string path) : path_(std::move(path)) {}
  Status Write(const Reject& r) {
    if (!out_.is_open()) {
      std::error_code ec;
      fs::create_directories(fs::path(path_).parent_path(), ec);
      out_.open(path_, std::ios::app);
      if (!out_) return Status::IOError("cannot write rejects file " + path_);
    }
    nlohmann::json j = {{"file", r.file}, {"line", r.line}, {"offset", r.offset}, {"reason", r.reason}, {"raw", r.raw}};
    out_ << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return out_ ? Status::Ok() : Status::IOError("cannot write rejects file " + path_);
  }
  bool used() const { return out_.is_open(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::ofstream out_;
};

// The first failure of a run, set from the read and store stages (two serial filters
// that may run at the same time). Thread-safe.
class RunFailure {
 public:
  void Set(Status s, bool input) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!status_.ok()) return;
    status_ = std::move(s);
    input_ = input;
    failed_ = true;
  }
  bool failed() const { return failed_.load(std::memory_order_relaxed); }
  Status status() const {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }
  bool input() const {
    std::lock_guard<std::mutex> lock(mu_);
    return input_;
  }

 private:
  mutable std::mutex mu_;
  Status status_;
  bool input_ = false;
  std::atomic<bool> failed_{false};
};

// "id=tweet_id,time=created_at": the --map pairs, as SourceFile::map keeps them.
std::string MapSpec(const FieldMap& map) {
  std::string out;
  for (const auto& [field, column] : map.columns) out += (out.empty() ? "" : ",") + field + "=" + column;
  return out;
}

// The pipeline's tokens: four blocks per thread keep both serial stages busy, fewer when
// they would not fit in the memory plan's share for them (a block in flight holds about
// four times its raw bytes with its parsed records), never fewer than one per thread.
size_t BlocksInFlight(const IngestOptions& options, int threads) {
  const uint64_t block_bytes = std::max<uint64_t>(options.reader.block_bytes, 1);
  const uint64_t fit = PlanIngestMemory(options.memory_bytes).pipeline_bytes / (4 * block_bytes);
  const uint64_t n = static_cast<uint64_t>(threads);
  return static_cast<size_t>(std::clamp(fit, n, 4 * n));
}

}  // namespace

Result<IngestReport> RunIngest(const IngestOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  IngestReport report;
  report.threads = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  IdentityMap identities;
  if (!options.identities_path.empty()) {
    Result<IdentityMap> m = IdentityMap::FromFile(options.identities_path);
    if (!m.ok()) return m.status();
    identities = std::move(*m);
  }
  WriterOptions wopts;
  wopts.threads = report.threads;
  wopts.memory_bytes = options.memory_bytes;
  wopts.new_generation = options.new_generation;
  Result<std::unique_ptr<IndexWriter>> opened = IndexWriter::Open(options.index_dir, wopts);
  if (!opened.ok()) return opened.status();
  IndexWriter& writer = **opened;

  // The brand lexicon: the one given, or the one the index was tagged with.
  BrandLexicon brands;
  Result<std::string> stored = writer.StoredBrandLexicon();
  if (!stored.ok()) return stored.status();
  if (!options.brands_path.empty()) {
    Result<BrandLexicon> lex = BrandLexicon::FromFile(options.brands_path);
    if (!lex.ok()) return lex.status();
    brands = std::move(*lex);
    if (!stored->empty() && *stored != brands.canonical()) {
      return Status::InvalidArgument(
          "index " + options.index_dir + " was tagged with another brand lexicon than " + options.brands_path +
          ": count with it without re-ingesting (hark mentions --brands " + options.brands_path +
          "), or ingest into a new index directory");
    }
    if (stored->empty() && writer.state().records > 0) {
      return Status::InvalidArgument("index " + options.index_dir + " already holds " +
                                     std::to_string(writer.state().records) +
                                     " records tagged without a brand lexicon: count with " + options.brands_path +
                                     " without re-ingesting (hark mentions --brands), or ingest into a new index "
                                     "directory");
    }
    HARK_RETURN_IF_ERROR(writer.SetBrandLexicon(brands.canonical()));
  } else if (!stored->empty()) {
    Result<BrandLexicon> lex = BrandLexicon::FromJson(*stored, "the brand lexicon stored in " + options.index_dir);
    if (!lex.ok()) return lex.status();
    brands = std::move(*lex);
  }
  const BrandLexicon* lexicon = brands.empty() ? nullptr : &brands;

  // Which files to read: an unchanged file (same size and mtime as when it was read
  // to its end) is skipped; a file that grew is read from where it ended when its
  // first bytes are still those read (FileReader::ResumeAt); anything else is read
  // again and deduplicated record by record.
  RunFailure failure;
  std::map<std::string, SourceFile> previous;
  for (const SourceFile& s : writer.state().sources) previous[s.path] = s;
  std::vector<size_t> to_read;
  std::vector<SourceFile> sources;
  std::vector<IngestOptions::FileSettings> settings;
  uint64_t total_bytes = 0;
  std::set<std::string> named;
  for (const std::string& f : options.files) {
    FileReport fr;
    std::error_code ec;
    fs::path abs = fs::absolute(f, ec);
    fr.path = abs.lexically_normal().string();
    if (!named.insert(fr.path).second) continue;  // named twice: read once
    IngestOptions::FileSettings how{options.format, options.reader};
    if (auto it = options.per_file.find(f); it != options.per_file.end()) how = it->second;
    auto prev = previous.find(fr.path);
    SourceFile sf = prev != previous.end() ? prev->second : SourceFile();  // records accumulate
    sf.path = fr.path;
    sf.map = MapSpec(how.reader.map);
    sf.source_option = how.reader.source;
    sf.channel_option = how.reader.channel;
    struct stat st {};
    const bool found = stat(fr.path.c_str(), &st) == 0;
    if (!found || !S_ISREG(st.st_mode) || access(fr.path.c_str(), R_OK) != 0) {
      fr.error = fr.path + ": " + (found && !S_ISREG(st.st_mode) ? "not a regular file" : std::strerror(errno));
      failure.Set(Status::IOError(fr.error), /*input=*/true);
    } else {
      sf.size = static_cast<uint64_t>(st.st_size);
      sf.mtime = static_cast<int64_t>(st.st_mtime);
      const bool was_read = !options.force && prev != previous.end() && prev->second.hash != 0 &&
                            prev->second.offset >= prev->second.size && prev->second.offset > 0;
      if (was_read && prev->second.size == sf.size && prev->second.mtime == sf.mtime) {
        fr.unchanged = true;
        fr.format = prev->second.format;
      } else if (was_read && sf.size > prev->second.offset) {
        fr.resumed_at = prev->second.offset;  // tried in the read stage
      }
    }
    if (!fr.unchanged) {
      to_read.push_back(report.files.size());
      total_bytes += sf.size - fr.resumed_at;
    }
    report.files.push_back(fr);
    sources.push_back(sf);
    settings.push_back(std::move(how));
  }

  Progress progress("ingest", total_bytes, options.progress);
  RejectSink rejects(options.rejects_path.empty() ? DefaultRejectsPath(options.index_dir) : options.rejects_path);
  ThreadLinker linker(&writer);
  std::atomic<uint64_t> bytes_done{0};
  uint64_t bytes_before_current = 0;
  size_t next = 0;
  std::shared_ptr<FileReader> current;
  size_t current_file = 0;

  auto finish_file = [&](const std::string& error) {
    FileReport& fr = report.files[current_file];
    SourceFile& sf = sources[current_file];
    std::string why = error;
    if (current) {
      fr.bytes = current->file_bytes_read() - fr.resumed_at;
      sf.hash = current->content_hash();
      sf.offset = current->file_bytes_read();
      bytes_before_current += current->file_size() - fr.resumed_at;
      // The file must be the one that was opened, whole: not grown, cut or rewritten
      // while it was read (its records could be torn at the end, or belong to another
      // version of it).
      struct stat st {};
      if (why.empty() && (stat(fr.path.c_str(), &st) != 0 || static_cast<uint64_t>(st.st_size) != sf.size ||
                          static_cast<int64_t>(st.st_mtime) != sf.mtime ||
                          (!current->compressed() && current->file_bytes_read() != sf.size))) {
        why = fr.path + ": changed while it was read (" + std::to_string(sf.size) + " bytes when opened, " +
              std::to_string(current->file_bytes_read()) + " read, " + std::to_string(st.st_size) +
              " now); run again when it is complete";
      }
    }
    fr.error = why;
    if (!why.empty()) failure.Set(Status::IOError(why), /*input=*/true);
    bytes_done = bytes_before_current;
    current.reset();
  };

  auto read_stage = [&](tbb::flow_control& fc) -> Work* {
    while (!failure.failed()) {
      if (!current) {
        if (next >= to_read.size()) break;
        current_file = to_read[next++];
        FileReport& fr = report.files[current_file];
        const IngestOptions::FileSettings& how = settings[current_file];
        Result<std::unique_ptr<FileReader>> reader = OpenReader(fr.path, how.format, how.reader);
        if (reader.ok() && fr.resumed_at > 0) {
          const SourceFile& prev = previous.at(fr.path);
          Result<bool> resumed = (*reader)->ResumeAt(prev.offset, prev.hash);
          if (!resumed.ok()) {
            reader = resumed.status();
          } else if (!*resumed) {  // changed, not only grown: read it all again
            fr.resumed_at = 0;
            reader = OpenReader(fr.path, how.format, how.reader);
          }
        }
        if (!reader.ok()) {
          finish_file(reader.status().message());
          continue;
        }
        current = std::shared_ptr<FileReader>(std::move(*reader));
        Result<Format> detected = how.format == Format::kAuto ? DetectFormat(fr.path) : Result<Format>(how.format);
        fr.format = detected.ok() ? std::string(FormatName(*detected)) : "";
        sources[current_file].format = fr.format;
      }
      auto work = std::make_unique<Work>();
      Result<bool> got = current->NextBlock(&work->block);
      if (!got.ok()) {
        finish_file(got.status().message());
        continue;
      }
      if (!*got) {
        finish_file("");
        continue;
      }
      bytes_done = bytes_before_current + current->file_bytes_read() - report.files[current_file].resumed_at;
      work->reader = current;
      work->file = current_file;
      return work.release();
    }
    fc.stop();
    return nullptr;
  };

  auto parse_stage = [lexicon](Work* w) -> Work* {
    w->reader->Parse(w->block, &w->parsed);
    for (Record& r : w->parsed.records) Analyze(&r, lexicon);
    std::string().swap(w->block.data);  // the text now lives in the records
    return w;
  };

  auto store_stage = [&](Work* w) {
    std::unique_ptr<Work> owned(w);
    if (failure.failed()) return;
    FileReport& fr = report.files[w->file];
    for (const Reject& r : w->parsed.rejects) {
      ++fr.rejected;
      Status s = rejects.Write(r);
      if (!s.ok()) {
        failure.Set(s, /*input=*/false);
        return;
      }
    }
    for (const auto& [reason, n] : w->parsed.skipped) fr.skipped[reason] += n;
    std::vector<Record>& records = w->parsed.records;
    fr.read += records.size();
    if (!records.empty()) sources[w->file].source = records.front().source;
    std::vector<bool> dup;
    Status s = writer.FindDuplicates(records, &dup);
    std::vector<Record> fresh;
    fresh.reserve(records.size());
    for (size_t i = 0; i < records.size(); ++i) {
      if (dup[i]) ++fr.duplicates;
      else fresh.push_back(std::move(records[i]));
    }
    if (s.ok()) s = linker.Assign(&fresh);
    if (s.ok()) s = writer.Append(&fresh);
    if (!s.ok()) {
      failure.Set(s.WithContext("storing records from " + fr.path), /*input=*/false);
      return;
    }
    fr.indexed += fresh.size();
    report.read += records.size();
    progress.Update(bytes_done.load(), report.read);
  };

  tbb::task_arena arena(report.threads);
  arena.execute([&] {
    tbb::parallel_pipeline(BlocksInFlight(options, report.threads),
                           tbb::make_filter<void, Work*>(tbb::filter_mode::serial_in_order, read_stage) &
                               tbb::make_filter<Work*, Work*>(tbb::filter_mode::parallel, parse_stage) &
                               tbb::make_filter<Work*, void>(tbb::filter_mode::serial_in_order, store_stage));
  });
  if (current) finish_file(failure.failed() ? "stopped: " + failure.status().message() : "");
  // Totals over the files and the index as the run leaves it.
  auto finish_report = [&] {
    for (const FileReport& fr : report.files) {
      report.indexed += fr.indexed;
      report.duplicates += fr.duplicates;
      report.rejected += fr.rejected;
      report.bytes += fr.bytes;
      for (const auto& [reason, n] : fr.skipped) report.skipped += n;
    }
    report.index_records = writer.state().records;
    report.generation = writer.state().generation;
    if (rejects.used()) report.rejects_file = rejects.path();
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    report.memory_bytes = options.memory_bytes;
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) == 0) report.peak_rss_bytes = static_cast<uint64_t>(usage.ru_maxrss) << 10;
  };
  if (failure.failed()) {
    // Nothing is committed: what was appended is invisible and rolled back by the next
    // writer, so the index is exactly as it was before the run.
    if (!failure.input()) return failure.status();
    for (FileReport& fr : report.files) fr.indexed = 0;
    finish_report();
    report.exit_code = 1;
    report.error = failure.status().message() + " (nothing of this run was committed; the index is as it was)";
    return report;
  }
  auto seconds_since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };
  report.phases.emplace_back("pipeline", seconds_since(start));
  const auto link_start = std::chrono::steady_clock::now();
  HARK_RETURN_IF_ERROR(linker.Finish(&report.rethreaded));
  if (!identities.empty()) HARK_RETURN_IF_ERROR(writer.AddIdentities(identities));
  report.phases.emplace_back("threads", seconds_since(link_start));
  const std::string now = FormatTime(static_cast<int64_t>(std::time(nullptr)));
  std::vector<SourceFile> touched;
  for (size_t i : to_read) {
    FileReport& fr = report.files[i];
    SourceFile sf = sources[i];
    sf.records += fr.indexed;
    sf.duplicates = fr.duplicates;
    sf.rejected = fr.rejected;
    sf.ingested_at = now;
    if (sf.format.empty()) sf.format = fr.format;
    touched.push_back(sf);
  }
  HARK_RETURN_IF_ERROR(writer.Commit(touched, [&](const char* step, uint64_t done, uint64_t total) {
    progress.Step(step, done, total);
  }));
  if (options.new_generation) HARK_RETURN_IF_ERROR(writer.PublishGeneration(options.keep_generations));
  report.committed = true;
  progress.Finish();
  const CommitStats& cs = writer.last_commit();
  report.phases.emplace_back("flush", cs.flush_seconds);
  report.phases.emplace_back("text", cs.text_seconds);
  report.phases.emplace_back("merge", cs.merge_seconds);
  report.phases.emplace_back("publish", cs.publish_seconds);
  report.text_rebuilt = cs.text_rebuilt;
  report.text_chunks = cs.chunks;

  finish_report();
  if (report.exit_code == 0 && options.max_reject_rate >= 0 && report.reject_rate() > options.max_reject_rate) {
    report.exit_code = 3;
  }
  return report;
}

std::string IngestReportJson(const IngestReport& r) {
  nlohmann::json files = nlohmann::json::array();
  for (const FileReport& f : r.files) {
    files.push_back({{"path", f.path},
                     {"format", f.format},
                     {"unchanged", f.unchanged},
                     {"resumed_at", f.resumed_at},
                     {"error", f.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.error)},
                     {"bytes", f.bytes},
                     {"read", f.read},
                     {"indexed", f.indexed},
                     {"duplicates", f.duplicates},
                     {"rejected", f.rejected},
                     {"skipped", f.skipped}});
  }
  nlohmann::json j = {{"read", r.read},
                      {"indexed", r.indexed},
                      {"duplicates", r.duplicates},
                      {"rejected", r.rejected},
                      {"skipped", r.skipped},
                      {"rethreaded", r.rethreaded},
                      {"bytes", r.bytes},
                      {"seconds", r.seconds},
                      {"docs_per_second", r.docs_per_second()},
                      {"mb_per_second", r.mb_per_second()},
                      {"reject_rate", r.reject_rate()},
                      {"threads", r.threads},
                      {"memory_bytes", r.memory_bytes},
                      {"peak_rss_bytes", r.peak_rss_bytes},
                      {"index_records", r.index_records},
                      {"generation", r.generation},
                      {"rejects_file", r.rejects_file.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.rejects_file)},
                      {"exit_code", r.exit_code},
                      {"committed", r.committed},
                      {"text_rebuilt", r.text_rebuilt},
                      {"text_chunks", r.text_chunks},
                      {"error", r.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.error)},
                      {"phases", nlohmann::json(std::map<std::string, double>(r.phases.begin(), r.phases.end()))},
                      {"files", files}};
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace hark
