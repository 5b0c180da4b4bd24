// VerifyIndex: one pass over the records (checking ids, orders and text document by
// document, and recounting counters), then one pass over each other family.
#include "storage/verify.h"

#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "storage/index_files.h"
#include "storage/rocks_store.h"
#include "storage/schema.h"
#include "storage/text_index.h"
#include "storage/time_parse.h"

namespace hark {
namespace {

namespace fs = std::filesystem;
using internal::Cf;
using internal::RocksStore;
using internal::TextChecker;

constexpr size_t kBatch = 1024;  // records checked together (batched look-ups)

// Bytes shown in a message: control bytes as \xNN, cut to 120 bytes.
std::string Printable(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size() && i < 120; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  if (s.size() > 120) out += "...";
  return out;
}

std::string U(uint64_t n) { return std::to_string(n); }

// "(source, id)" of an ids key source \0 id.
std::string ShowIdKey(std::string_view key) {
  size_t nul = key.find('\0');
  if (nul == std::string_view::npos) return "(" + Printable(key) + ")";
  return "(" + Printable(key.substr(0, nul)) + ", " + Printable(key.substr(nul + 1)) + ")";
}

// "thread (source, thread) at TIME, record N" of a threads key, or "author A at TIME,
// record N" of an authors key: both end with time(8) recno(8).
std::string ShowOrderKey(Cf cf, std::string_view key) {
  if (key.size() < 17) return "malformed key '" + Printable(key) + "'";
  std::string_view head = key.substr(0, key.size() - 16);
  std::string when = FormatTime(schema::DecodeTime(key.substr(key.size() - 16, 8)));
  std::string recno = U(schema::RecnoFromOrderKey(key));
  if (cf == Cf::kThreads) {
    if (!head.empty() && head.back() == '\0') head.remove_suffix(1);
    return "thread " + ShowIdKey(head) + " at " + when + ", record " + recno;
  }
  if (!head.empty() && head.back() == '\0') head.remove_suffix(1);
  return "author '" + Printable(head) + "' at " + when + ", record " + recno;
}

std::string DayName(int32_t day) { return FormatDate(static_cast<int64_t>(day) * 86400); }

// "series S, day D" of a counters key series \0 day(4).
std::string ShowCounterKey(std::string_view key) {
  if (key.size() < 5) return "malformed key '" + Printable(key) + "'";
  return "series " + Printable(key.substr(0, key.size() - 5)) + ", day " + DayName(schema::DayFromCounterKey(key));
}

std::string ShowCount(std::string_view value) {
  return value.size() == 8 ? std::to_string(schema::DecodeCount(value)) : "malformed (" + U(value.size()) + " bytes)";
}

std::string ShowRecord(const Record& r) {
  return "record " + U(r.recno) + " (" + Printable(r.source) + ", " + Printable(r.id) + ")";
}

// The pid holding INDEX/LOCK, when a live process does; 0 otherwise. Reads the file the
// writer keeps its pid in; never takes the lock (a writer's own check would then fail).
int LiveWriterPid(const std::string& dir) {
  std::ifstream in(dir + "/LOCK");
  long pid = 0;
  if (!(in >> pid) || pid <= 0) return 0;  // empty: released
  if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM) return static_cast<int>(pid);
  return 0;
}

class Verifier {
 public:
  Verifier(std::string dir, const VerifyOptions& options, VerifyReport* report)
      : dir_(std::move(dir)), options_(options), report_(report) {}

  Status Run();

 private:
  void Problem(const char* kind, std::string detail, uint64_t recno = 0, std::string key = "",
               std::string stored = "", std::string expected = "") {
    ++report_->problem_counts[kind];
    if (report_->problems.size() >= options_.max_problems) return;
    VerifyProblem p;
    p.kind = kind;
    p.detail = std::move(detail);
    p.recno = recno;
    p.key = std::move(key);
    p.stored = std::move(stored);
    p.expected = std::move(expected);
    report_->problems.push_back(std::move(p));
  }
  void Warn(std::string w) { report_->warnings.push_back(std::move(w)); }
  void Progress(const char* step, uint64_t done, uint64_t total) {
    if (options_.progress) options_.progress(step, done, total);
  }

  bool OpenStores();
  void CheckManifest();
  void CheckSources();
  void CheckLeftoverDirs();
  Status CheckRecords();
  Status CheckBatch(std::vector<Record>* batch);
  Status CheckReverse(Cf cf, const char* step, const char* extra_kind, uint64_t forward_found, uint64_t* committed);
  Status CheckCounters();
  Status CheckTextExtra();

  std::string dir_, gen_name_, gen_dir_;
  const VerifyOptions& options_;
  VerifyReport* report_;
  std::unique_ptr<RocksStore> store_;
  std::unique_ptr<TextChecker> text_;
  IndexState state_;

  // Forward results of the record pass: entries found under each record's own key.
  uint64_t ids_found_ = 0, threads_found_ = 0, authors_found_ = 0;
  std::map<std::string, int64_t> recount_;  // counter key -> count, ordered as the family
  std::vector<std::string> series_;
};

Status Verifier::Run() {
  report_->dir = dir_;
  Result<std::string> current = internal::ReadCurrent(dir_);
  if (!current.ok()) {
    if (current.status().code() == Status::Code::kNotFound) return current.status();
    Problem("current", current.status().message(), 0, "CURRENT");
    return Status::Ok();
  }
  gen_name_ = *current;
  gen_dir_ = dir_ + "/" + gen_name_;
  std::error_code ec;
  if (!fs::is_directory(gen_dir_, ec)) {
    Problem("current", "CURRENT names " + gen_name_ + ", which does not exist in " + dir_, 0, "CURRENT", gen_name_);
    return Status::Ok();
  }
  report_->generation_dir = gen_dir_;
  report_->writer_pid = LiveWriterPid(dir_);
  if (report_->writer_pid != 0) {
    Warn("a writer (pid " + std::to_string(report_->writer_pid) +
         ") holds the index: what it has not committed yet is seen as uncommitted");
  }
  if (!OpenStores()) return Status::Ok();
  report_->generation = state_.generation;
  report_->records = state_.records;
  if (internal::GenerationName(state_.generation) != gen_name_) {
    Problem("state", "the committed state is of generation " + U(state_.generation) + ", but CURRENT names " + gen_name_,
            0, "generation", U(state_.generation), gen_name_);
  }
  CheckManifest();
  CheckSources();
  CheckLeftoverDirs();
  if (text_ && text_->doc_count() != state_.records) {
    Problem("text_count",
            "the text database holds " + U(text_->doc_count()) + " documents, the committed state " +
                U(state_.records) + " records",
            0, state_.text_dir, U(text_->doc_count()), U(state_.records));
  }

  // Each pass stops at the first read error: what follows would only repeat it.
  Status s = CheckRecords();
  const bool records_done = s.ok();
  if (s.ok()) s = CheckReverse(Cf::kIds, "ids", "id_extra", ids_found_, &report_->ids);
  if (s.ok()) s = CheckReverse(Cf::kThreads, "threads", "thread_extra", threads_found_, &report_->thread_entries);
  if (s.ok()) s = CheckReverse(Cf::kAuthors, "authors", "author_extra", authors_found_, &report_->author_entries);
  if (s.ok()) s = CheckCounters();
  if (!s.ok()) Problem("store", "the record store cannot be read: " + s.message(), 0, gen_name_ + "/store");
  if (text_ && records_done) {
    Status t = CheckTextExtra();
    if (!t.ok()) Problem("text_dir", t.message(), 0, gen_name_ + "/" + state_.text_dir);
  }
  return Status::Ok();
}

// Opens the record store, reads the committed state and opens the text database it
// names. A writer may publish a new text database (and remove the old one) between our
// reading the state and opening it: then the state has moved on, so read it again.
bool Verifier::OpenStores() {
  for (int attempt = 0; attempt < 3; ++attempt) {
    text_.reset();
    store_.reset();
    Result<std::unique_ptr<RocksStore>> store = RocksStore::OpenForRead(gen_dir_ + "/store");
    if (!store.ok()) {
      Problem("store", store.status().message(), 0, gen_name_ + "/store");
      return false;
    }
    store_ = std::move(*store);
    std::string json;
    Status s = store_->Get(Cf::kMeta, schema::kMetaState, &json);
    if (s.ok()) s = internal::StateFromJson(json, &state_);
    if (!s.ok()) {
      Problem("store",
              s.code() == Status::Code::kNotFound ? "the record store holds no committed state"
                                                  : "the committed state cannot be read: " + s.message(),
              0, gen_name_ + "/store");
      return false;
    }
    if (state_.text_dir.empty()) {
      if (state_.records > 0) {
        Problem("text_dir", "the committed state has " + U(state_.records) + " records but names no text database", 0,
                "text_dir");
      }
      return true;
    }
    const std::string text_path = gen_dir_ + "/" + state_.text_dir;
    Result<std::unique_ptr<TextChecker>> text = TextChecker::Open(text_path);
    if (text.ok()) {
      text_ = std::move(*text);
      return true;
    }
    std::error_code ec;
    const bool exists = fs::is_directory(text_path, ec);
    if (exists || attempt == 2) {
      Problem("text_dir",
              exists ? text.status().message()
                     : "the text database " + state_.text_dir + " named in the committed state does not exist in " +
                           gen_dir_,
              0, gen_name_ + "/" + state_.text_dir);
      return true;  // the record store can still be checked
    }
  }
  return true;
}

void Verifier::CheckManifest() {
  const std::string path = gen_dir_ + "/manifest.json";
  // While a writer runs, it rewrites manifest.json just after each commit: a difference
  // may be that moment, so it is a warning then.
  const bool writer = report_->writer_pid != 0;
  auto problem = [&](std::string detail, std::string key, std::string stored, std::string expected) {
    if (writer) Warn(detail + " (a writer is running; it rewrites manifest.json after its commit)");
    else Problem("manifest", std::move(detail), 0, std::move(key), std::move(stored), std::move(expected));
  };
  std::ifstream in(path);
  if (!in) {
    problem(path + " is missing", "manifest.json", "", "");
    return;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  nlohmann::json manifest, expected;
  try {
    manifest = nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    problem(path + " is not valid JSON: " + e.what(), "manifest.json", "", "");
    return;
  }
  expected = nlohmann::json::parse(internal::StateToJson(state_));
  if (!manifest.is_object()) {
    problem(path + " is not a JSON object", "manifest.json", "", "");
    return;
  }
  // Read the way the state is read (fields a later hark added take their defaults when
  // an older one wrote the file), then compared field by field; a manifest the state
  // reader refuses is compared as it stands.
  IndexState parsed;
  if (internal::StateFromJson(text, &parsed).ok()) manifest = nlohmann::json::parse(internal::StateToJson(parsed));
  for (const auto& [field, want] : expected.items()) {
    if (field == "sources") continue;
    auto have = manifest.find(field);
    std::string shown = have == manifest.end() ? "(absent)" : have->dump();
    if (have == manifest.end() || *have != want) {
      problem("manifest.json " + field + " is " + shown + ", the committed state says " + want.dump(), field, shown,
              want.dump());
    }
  }
  const nlohmann::json& want_sources = expected["sources"];
  auto have_sources = manifest.find("sources");
  if (have_sources == manifest.end() || !have_sources->is_array()) {
    problem("manifest.json has no sources list; the committed state lists " + U(want_sources.size()) + " source files",
            "sources", "(absent)", U(want_sources.size()));
    return;
  }
  if (have_sources->size() != want_sources.size()) {
    problem("manifest.json lists " + U(have_sources->size()) + " source files, the committed state " +
                U(want_sources.size()),
            "sources", U(have_sources->size()), U(want_sources.size()));
  }
  for (size_t i = 0; i < std::min(have_sources->size(), want_sources.size()); ++i) {
    const nlohmann::json& have = (*have_sources)[i];
    const nlohmann::json& want = want_sources[i];
    const std::string file = want.value("path", "");
    for (const auto& [field, value] : want.items()) {
      std::string shown = have.is_object() && have.contains(field) ? have[field].dump() : "(absent)";
      if (!have.is_object() || !have.contains(field) || have[field] != value) {
        problem("manifest.json source " + file + ": " + field + " is " + shown + ", the committed state says " +
                    value.dump(),
                file + ": " + field, shown, value.dump());
      }
    }
  }
}

void Verifier::CheckSources() {
  report_->sources = state_.sources.size();
  uint64_t sum = 0;
  for (const SourceFile& f : state_.sources) sum += f.records;
  report_->source_records = sum;
  if (sum > state_.records) {
    Problem("source_records",
            "the source files account for " + U(sum) + " records, but " + U(state_.records) + " are committed",
            0, "sources", U(sum), U(state_.records));
  } else if (sum < state_.records) {
    Warn("the source files account for " + U(sum) + " of the " + U(state_.records) +
         " committed records (records stored without a source file's count: through IndexWriter directly, or a "
         "file named twice in one ingest command)");
  }
}

// Text databases other than the live one, and chunk scratch space: what a writer is
// building, or what a crashed one left (the next writer removes it).
void Verifier::CheckLeftoverDirs() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(gen_dir_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("text-", 0) == 0 && name != state_.text_dir) {
      Warn(gen_name_ + "/" + name + " is not the live text database (" +
           (state_.text_dir.empty() ? std::string("none") : state_.text_dir) +
           "): a writer's work in progress, or a crashed run's leftover (removed by the next writer)");
    }
  }
}

// The records family in key order: every committed recno present and decodable, each
// checked in batches against ids, threads, authors and text; counters recounted.
Status Verifier::CheckRecords() {
  const uint64_t records = state_.records;
  rocksdb::ReadOptions ro;
  ro.readahead_size = 2 << 20;
  ro.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(ro, store_->cf(Cf::kRecords)));
  uint64_t expected = 1;  // next committed recno
  uint64_t uncommitted_first = 0, uncommitted_last = 0;
  std::vector<Record> batch;
  batch.reserve(kBatch);
  auto missing_up_to = [&](uint64_t last) {  // listed while the list has room, all counted
    for (; expected <= last && report_->problems.size() < options_.max_problems; ++expected) {
      Problem("record_missing", "record " + U(expected) + " is missing from the records family", expected,
              "record " + U(expected));
    }
    if (expected <= last) report_->problem_counts["record_missing"] += last - expected + 1;
    expected = std::max(expected, last + 1);
  };
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view key(it->key().data(), it->key().size());
    if (key.size() != 8 || schema::DecodeRecno(key) == 0) {
      Problem("record_corrupt", "the records family holds a key that is no record number: '" + Printable(key) + "'",
              0, Printable(key));
      continue;
    }
    const uint64_t recno = schema::DecodeRecno(key);
    if (recno > records) {
      if (uncommitted_first == 0) uncommitted_first = recno;
      uncommitted_last = recno;
      ++report_->uncommitted;
      continue;
    }
    missing_up_to(recno - 1);
    expected = recno + 1;
    Record r;
    if (!schema::DecodeRecord(std::string_view(it->value().data(), it->value().size()), &r)) {
      Problem("record_corrupt", "record " + U(recno) + " cannot be decoded (" + U(it->value().size()) + " bytes)",
              recno, "record " + U(recno));
      continue;
    }
    r.recno = recno;
    batch.push_back(std::move(r));
    if (batch.size() == kBatch) {
      HARK_RETURN_IF_ERROR(CheckBatch(&batch));
      Progress("records", recno, records);
    }
  }
  HARK_RETURN_IF_ERROR(RocksStore::FromRocks(it->status(), "reading the records family"));
  HARK_RETURN_IF_ERROR(CheckBatch(&batch));
  missing_up_to(records);
  Progress("records", records, records);
  if (report_->uncommitted > 0) {
    Warn("uncommitted records " + U(uncommitted_first) + ".." + U(uncommitted_last) +
         (report_->uncommitted != uncommitted_last - uncommitted_first + 1
              ? " (" + U(report_->uncommitted) + " of them)"
              : std::string()) +
         " (rolled back by the next writer" + (report_->writer_pid != 0 ? ", or committed by the running one)" : ")"));
  }
  return Status::Ok();
}

Status Verifier::CheckBatch(std::vector<Record>* batch) {
  if (batch->empty()) return Status::Ok();
  // The text documents are read on a thread of their own, beside the record store's
  // look-ups (the checker is used by one thread at a time), and reported after them, so
  // that the report's order does not depend on timing.
  std::vector<TextChecker::Document> docs;
  Status text_status;
  std::future<void> text_done;  // declared after what it writes: joined first on return
  if (text_) {
    text_done = std::async(std::launch::async, [this, batch, &docs, &text_status] {
      docs.resize(batch->size());
      for (size_t i = 0; i < batch->size(); ++i) {
        text_status = text_->Check((*batch)[i], &docs[i]);
        if (!text_status.ok()) {
          docs.resize(i);
          break;
        }
      }
    });
  }

  // Counters: the writer's own series and day for each record.
  for (const Record& r : *batch) {
    schema::CounterSeries(r, &series_);
    const int32_t day = schema::DayOf(r.time);
    for (const std::string& s : series_) ++recount_[schema::CounterKey(s, day)];
  }

  // ids, threads and authors: one batched look-up of each record's own key per family.
  struct Lookup {
    Cf cf;
    std::vector<size_t> index;  // into batch
    std::vector<std::string> keys, want;
  };
  Lookup lookups[3] = {{Cf::kIds, {}, {}, {}}, {Cf::kThreads, {}, {}, {}}, {Cf::kAuthors, {}, {}, {}}};
  for (size_t i = 0; i < batch->size(); ++i) {
    const Record& r = (*batch)[i];
    lookups[0].index.push_back(i);
    lookups[0].keys.push_back(schema::IdKey(r.source, r.id));
    lookups[0].want.push_back(schema::EncodeRecno(r.recno));
    if (!r.thread.empty()) {
      lookups[1].index.push_back(i);
      lookups[1].keys.push_back(schema::ThreadKey(r.source, r.thread, r.time, r.recno));
      lookups[1].want.push_back(schema::EncodeThreadEntry(r));
    }
    if (!r.author.empty()) {
      lookups[2].index.push_back(i);
      lookups[2].keys.push_back(schema::AuthorKey(r.author, r.time, r.recno));
      lookups[2].want.push_back(schema::EncodeAuthorValue(r));
    }
  }
  for (Lookup& l : lookups) {
    const size_t n = l.keys.size();
    if (n == 0) continue;
    std::vector<rocksdb::Slice> slices(l.keys.begin(), l.keys.end());
    std::vector<rocksdb::PinnableSlice> values(n);
    std::vector<rocksdb::Status> statuses(n);
    store_->db()->MultiGet(rocksdb::ReadOptions(), store_->cf(l.cf), n, slices.data(), values.data(),
                           statuses.data());
    for (size_t k = 0; k < n; ++k) {
      const Record& r = (*batch)[l.index[k]];
      if (!statuses[k].ok() && !statuses[k].IsNotFound()) {
        return RocksStore::FromRocks(statuses[k], "looking up " + ShowRecord(r));
      }
      const bool found = statuses[k].ok();
      const std::string_view have = found ? values[k].ToStringView() : std::string_view();
      if (l.cf == Cf::kIds) {
        const std::string shown = ShowIdKey(l.keys[k]);
        if (!found) {
          Problem("id_missing", ShowRecord(r) + ": no ids entry for " + shown, r.recno, shown, "", U(r.recno));
        } else if (have != l.want[k]) {
          const std::string names = have.size() == 8 ? "record " + U(schema::DecodeRecno(have))
                                                     : "'" + Printable(have) + "' (no record number)";
          Problem("id_mismatch", ShowRecord(r) + ": the ids entry " + shown + " names " + names, r.recno, shown,
                  have.size() == 8 ? U(schema::DecodeRecno(have)) : Printable(have), U(r.recno));
        } else {
          ++ids_found_;
        }
        continue;
      }
      const bool threads = l.cf == Cf::kThreads;
      const std::string shown = ShowOrderKey(l.cf, l.keys[k]);
      if (!found) {
        Problem(threads ? "thread_missing" : "author_missing",
                ShowRecord(r) + ": no " + (threads ? "threads" : "authors") + " entry " + shown, r.recno, shown);
        continue;
      }
      if (threads) ++threads_found_;
      else ++authors_found_;
      if (have != l.want[k]) {
        std::string detail = ShowRecord(r) + ": the " + (threads ? "threads" : "authors") + " entry " + shown +
                             " does not hold the record's values";
        if (threads) {
          schema::ThreadEntryFields f;
          if (!schema::DecodeThreadEntry(have, &f)) detail += " (it cannot be decoded)";
          else if (f.author != r.author) detail += " (author '" + Printable(f.author) + "', record '" + Printable(r.author) + "')";
          else if (f.brand != r.brand) detail += " (brand '" + Printable(f.brand) + "', record '" + Printable(r.brand) + "')";
          else if (f.channel != r.channel) detail += " (channel '" + Printable(f.channel) + "', record '" + Printable(r.channel) + "')";
          else if (f.role != r.role) detail += " (role '" + std::string(RoleName(f.role)) + "', record '" + std::string(RoleName(r.role)) + "')";
          else if (f.flags != r.flags) detail += " (flags " + U(f.flags) + ", record " + U(r.flags) + ")";
          else detail += " (sentiment " + std::to_string(f.sentiment) + ", record " + std::to_string(r.sentiment) + ")";
        } else {
          detail += " (conversation " + ShowIdKey(have) + ", record " + ShowIdKey(l.want[k]) + ")";
        }
        Problem(threads ? "thread_mismatch" : "author_mismatch", std::move(detail), r.recno, shown);
      }
    }
  }

  // Text: document recno is the record's, with its field terms and values.
  if (text_done.valid()) {
    text_done.get();
    for (size_t i = 0; i < docs.size(); ++i) {
      const Record& r = (*batch)[i];
      const TextChecker::Document& doc = docs[i];
      const std::string doc_name = "document " + U(r.recno);
      if (!doc.exists) {
        Problem("text_missing", ShowRecord(r) + ": the text database has no document " + U(r.recno), r.recno,
                doc_name);
        continue;
      }
      ++report_->documents;
      if (!doc.same_identity) {
        Problem("text_identity",
                ShowRecord(r) + ": document " + U(r.recno) + " is " +
                    (doc.identity.empty() ? "no record's (it has no identity)"
                                          : "(" + Printable(doc.identity) + ")'s"),
                r.recno, doc_name, Printable(doc.identity), Printable(r.source + '\x1f' + r.id));
      } else if (!doc.differences.empty()) {
        std::string what;
        for (size_t d = 0; d < doc.differences.size() && d < 3; ++d) what += (d ? "; " : "") + Printable(doc.differences[d]);
        if (doc.differences.size() > 3) what += "; and " + U(doc.differences.size() - 3) + " more";
        Problem("text_mismatch", ShowRecord(r) + ": document " + U(r.recno) + " differs: " + what, r.recno, doc_name);
      }
    }
    if (!text_status.ok()) {
      Problem("text_dir", text_status.message(), (*batch)[docs.size()].recno, gen_name_ + "/" + state_.text_dir);
      text_.reset();  // a damaged database: checking on would repeat this
    }
  }
  batch->clear();
  return Status::Ok();
}

// One pass over ids, threads or authors. Entries naming a committed record must be
// exactly those found under the records' own keys: when there are more, a second pass
// reads the record each names to list the extra ones (only on a damaged index).
Status Verifier::CheckReverse(Cf cf, const char* step, const char* extra_kind, uint64_t forward_found,
                              uint64_t* committed) {
  const uint64_t records = state_.records;
  uint64_t done = 0, uncommitted = 0, malformed = 0;
  *committed = 0;
  auto recno_of = [&](std::string_view key, std::string_view value) -> uint64_t {
    if (cf == Cf::kIds) return value.size() == 8 ? schema::DecodeRecno(value) : 0;
    return key.size() >= 17 ? schema::RecnoFromOrderKey(key) : 0;
  };
  HARK_RETURN_IF_ERROR(store_->ScanPrefix(cf, "", [&](std::string_view k, std::string_view v) {
    const uint64_t recno = recno_of(k, v);
    if (recno == 0) ++malformed;
    else if (recno > records) ++uncommitted;
    else ++*committed;
    if (++done % 65536 == 0) Progress(step, done, records);
    return true;
  }));
  Progress(step, done, records);
  if (uncommitted > 0 && report_->uncommitted == 0) {  // else they are those records' entries, warned about
    Warn(U(uncommitted) + " " + step + " entries name uncommitted records (rolled back by the next writer" +
         (report_->writer_pid != 0 ? ", or committed by the running one)" : ")"));
  }
  if (*committed == forward_found && malformed == 0) return Status::Ok();

  // Name the extra entries: the record each names is not its owner.
  return store_->ScanPrefix(cf, "", [&](std::string_view k, std::string_view v) {
    const uint64_t recno = recno_of(k, v);
    if (recno > records) return true;
    const std::string shown = cf == Cf::kIds ? ShowIdKey(k) : ShowOrderKey(cf, k);
    const std::string entry = std::string("the ") + step + " entry " + shown;
    if (recno == 0) {
      Problem(extra_kind, entry + (cf == Cf::kIds ? " holds no record number ('" + Printable(v) + "')" : " is malformed"),
              0, shown, Printable(v));
      return true;
    }
    Result<Record> r = store_->GetRecord(recno);
    if (!r.ok()) {
      Problem(extra_kind, entry + " names record " + U(recno) + ", which " +
                              (r.status().code() == Status::Code::kNotFound ? "is missing" : "cannot be read"),
              recno, shown);
      return true;
    }
    std::string own = cf == Cf::kIds       ? schema::IdKey(r->source, r->id)
                      : cf == Cf::kThreads ? (r->thread.empty() ? "" : schema::ThreadKey(r->source, r->thread, r->time, recno))
                                           : (r->author.empty() ? "" : schema::AuthorKey(r->author, r->time, recno));
    if (own != k) {
      std::string owner = cf == Cf::kIds        ? ShowIdKey(own)
                          : own.empty()          ? std::string(cf == Cf::kThreads ? "no thread" : "no author")
                                                 : ShowOrderKey(cf, own);
      Problem(extra_kind, entry + " names " + ShowRecord(*r) + ", whose own entry is " + owner, recno, shown);
    }
    return true;
  });
}

// The counters family merged with the recount (both in key order).
Status Verifier::CheckCounters() {
  auto want = recount_.begin();
  uint64_t done = 0;
  auto missing_before = [&](std::string_view key) {
    for (; want != recount_.end() && (key.empty() || want->first < key); ++want) {
      const std::string shown = ShowCounterKey(want->first);
      Problem("counter_missing",
              "counter " + shown + " is missing; the committed records count " + std::to_string(want->second), 0,
              shown, "", std::to_string(want->second));
    }
  };
  HARK_RETURN_IF_ERROR(store_->ScanPrefix(Cf::kCounters, "", [&](std::string_view k, std::string_view v) {
    ++report_->counters;
    if (++done % 65536 == 0) Progress("counters", done, recount_.size());
    missing_before(k);
    const std::string shown = ShowCounterKey(k);
    const std::string stored = ShowCount(v);
    if (want == recount_.end() || want->first != k) {
      Problem("counter_extra", "counter " + shown + " is " + stored + ", but no committed record counts in it", 0, shown,
              stored, "0");
      return true;
    }
    if (v.size() != 8 || schema::DecodeCount(v) != want->second) {
      Problem("counter_mismatch",
              "counter " + shown + " is " + stored + ", the committed records count " + std::to_string(want->second), 0,
              shown, stored, std::to_string(want->second));
    }
    ++want;
    return true;
  }));
  missing_before("");
  Progress("counters", done, done);
  return Status::Ok();
}

// Documents beyond the committed records (the record pass saw 1..records): listed up to
// max_problems, all counted.
Status Verifier::CheckTextExtra() {
  const uint64_t count = text_->doc_count();
  if (text_->last_docid() <= state_.records) return Status::Ok();
  std::vector<uint64_t> extra;
  HARK_RETURN_IF_ERROR(text_->DocidsIn(state_.records + 1, UINT64_MAX, options_.max_problems, &extra));
  for (uint64_t docid : extra) {
    Problem("text_extra", "document " + U(docid) + " is beyond the committed records (1.." + U(state_.records) + ")",
            docid, "document " + U(docid));
  }
  // The rest are counted: every document not among those the record pass found.
  const uint64_t beyond = count - std::min(count, report_->documents);
  if (beyond > extra.size()) report_->problem_counts["text_extra"] += beyond - extra.size();
  return Status::Ok();
}

}  // namespace

Status VerifyIndex(const std::string& dir, const VerifyOptions& options, VerifyReport* out) {
  *out = VerifyReport();
  const auto start = std::chrono::steady_clock::now();
  Verifier v(dir, options, out);
  Status s = v.Run();
  out->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return s;
}

}  // namespace hark
