// IndexWriter: appends, thread/brand updates and the atomic commit of both stores.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "storage/index.h"
#include "storage/index_files.h"
#include "storage/rocks_store.h"
#include "storage/schema.h"
#include "storage/text_index.h"

namespace hark {
namespace {

namespace fs = std::filesystem;
using internal::Cf;
using internal::RocksStore;

// The fixed part of an ingest's memory (IngestMemoryPlan).
constexpr uint64_t kIngestMemoryReserve = uint64_t{64} << 20;
// What a text chunk holds in memory per record while it is built (Xapian's postings,
// positions and values, and the document being indexed): 3M messages, 2 threads, chunks
// of 10,000 records: 41 MB a thread.
constexpr uint64_t kChunkBytesPerRecord = 5 << 10;

class IndexWriterImpl : public IndexWriter {
 public:
  IndexWriterImpl(std::string dir, const WriterOptions& options) : dir_(std::move(dir)), options_(options) {}

  Status Init();

  const IndexState& state() const override { return state_; }
  uint64_t committed_records() const override { return state_.records; }
  uint64_t appended_records() const override { return next_recno_ - 1; }

  Status FindDuplicates(const std::vector<Record>& records, std::vector<bool>* dup) override;
  Status Append(std::vector<Record>* records) override;
  Result<std::optional<Record>> Find(const std::string& source, const std::string& id) override;
  Result<Record> Get(uint64_t recno) override;
  Status ThreadMembers(const std::string& source, const std::string& thread, std::vector<uint64_t>* recnos) override;
  Status Update(const Record& record) override;
  Status AddIdentities(const IdentityMap& identities) override;
  Result<std::string> StoredBrandLexicon() override { return store_->GetOrEmpty(Cf::kMeta, schema::kMetaBrands); }
  Status SetBrandLexicon(const std::string& canonical) override {
    brands_ = canonical;
    return Status::Ok();
  }
  Status MarkDangling(const std::string& source, const std::string& id) override;
  Result<bool> TakeDangling(const std::string& source, const std::string& id) override;
  Status Commit(const std::vector<SourceFile>& sources, const ProgressFn& progress) override;
  const CommitStats& last_commit() const override { return commit_stats_; }
  Status PublishGeneration(size_t keep) override;

 private:
  Status RollBackUncommitted();
  void AddCounters(const Record& r, int64_t delta);
  int Threads() const {
    return options_.threads > 0 ? options_.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  // Records per text chunk: options_.text_chunk_records, or fewer when one chunk per
  // thread would not fit in the memory plan's share for chunks.
  uint64_t ChunkRecords() const {
    const uint64_t fit = PlanIngestMemory(options_.memory_bytes).chunk_bytes / Threads() / kChunkBytesPerRecord;
    return std::max<uint64_t>(std::min(fit, options_.text_chunk_records), 1);
  }

  Status CopyMetaFrom(const std::string& live_gen_dir);

  std::string dir_;
  std::string gen_name_;
  std::string gen_dir_;
  WriterOptions options_;
  bool building_ = false;  // a new generation, published by PublishGeneration()
  std::unique_ptr<internal::WriterLock> lock_;
  std::unique_ptr<RocksStore> store_;
  IndexState state_;
  uint64_t next_recno_ = 1;
  CommitStats commit_stats_;

  // Changes that wait for Commit(). New records go to RocksDB at once (invisible until
  // the state moves); changes to committed records stay here so that a crash loses them
  // together with the run.
  std::unordered_map<std::string, int64_t> counter_delta_;
  std::map<uint64_t, Record> pending_updates_;
  std::map<std::string, std::set<std::string>> thread_adds_;     // thread prefix -> keys
  std::map<std::string, std::set<std::string>> thread_removes_;  // thread prefix -> keys
  std::unordered_set<std::string> dangling_added_, dangling_taken_;
  std::map<std::string, std::string> identities_;  // lower handle -> person
  std::optional<std::string> brands_;                // lexicon to publish
};

Status IndexWriterImpl::Init() {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return Status::IOError("cannot create index directory " + dir_ + ": " + ec.message());
  Result<std::unique_ptr<internal::WriterLock>> lock = internal::WriterLock::Acquire(dir_);
  if (!lock.ok()) return lock.status();
  lock_ = std::move(*lock);

  Result<std::string> current = internal::ReadCurrent(dir_);
  bool fresh = false;
  std::string& gen_name = gen_name_;
  if (current.ok()) {
    gen_name = *current;
  } else if (current.status().code() == Status::Code::kNotFound) {
    fresh = true;
    gen_name = internal::GenerationName(1);
  } else {
    return current.status();
  }
  // Builds a crashed reindex left behind are removed (we hold the lock: nobody else is
  // building); the newest generation number is remembered for a new build.
  uint64_t newest = internal::GenerationNumber(gen_name);
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    const std::string name = entry.path().filename().string();
    const uint64_t n = internal::GenerationNumber(name);
    if (n == 0 || name == gen_name) continue;
    if (fs::exists(entry.path() / internal::kBuildingMarker)) {
      fs::remove_all(entry.path(), ec);
      if (ec) return Status::IOError("cannot remove the unfinished build " + entry.path().string() + ": " + ec.message());
    } else {
      newest = std::max(newest, n);
    }
  }
  const std::string live_gen_dir = dir_ + "/" + gen_name;
  if (options_.new_generation && !fresh) {
    gen_name = internal::GenerationName(newest + 1);
    building_ = true;
  }
  gen_dir_ = dir_ + "/" + gen_name;
  fs::create_directories(gen_dir_, ec);
  if (ec) return Status::IOError("cannot create " + gen_dir_ + ": " + ec.message());
  if (building_) {
    HARK_RETURN_IF_ERROR(internal::WriteFileAtomic(gen_dir_ + "/" + internal::kBuildingMarker,
                                                   std::to_string(getpid()) + "\n"));
  }
  const IngestMemoryPlan plan = PlanIngestMemory(options_.memory_bytes);
  internal::StoreMemory memory;
  memory.memtable_bytes = plan.memtable_bytes;
  memory.cache_bytes = plan.cache_bytes;
  Result<std::unique_ptr<RocksStore>> store = RocksStore::OpenForWrite(gen_dir_ + "/store", memory);
  if (!store.ok()) return store.status();
  store_ = std::move(*store);

  std::string json;
  Status s = store_->Get(Cf::kMeta, schema::kMetaState, &json);
  if (s.ok()) {
    HARK_RETURN_IF_ERROR(internal::StateFromJson(json, &state_));
  } else if (s.code() == Status::Code::kNotFound) {
    state_ = IndexState();
    state_.schema_version = schema::kSchemaVersion;
    state_.generation = internal::GenerationNumber(gen_name);
    state_.created_at = state_.updated_at = internal::NowRfc3339();
    state_.hark_version = internal::kHarkVersion;
    rocksdb::WriteBatch batch;
    batch.Put(store_->cf(Cf::kMeta), schema::kMetaState, internal::StateToJson(state_));
    HARK_RETURN_IF_ERROR(store_->Write(&batch, true));
    HARK_RETURN_IF_ERROR(internal::WriteFileAtomic(gen_dir_ + "/manifest.json", internal::ManifestJson(state_)));
  } else {
    return s;
  }
  if (fresh) HARK_RETURN_IF_ERROR(internal::WriteFileAtomic(dir_ + "/CURRENT", gen_name + "\n"));
  if (building_) HARK_RETURN_IF_ERROR(CopyMetaFrom(live_gen_dir));
  next_recno_ = state_.records + 1;
  return RollBackUncommitted();
}

// A new generation starts with what the live one knows besides its records: the brand
// lexicon and the identities (everything in the meta family but the state).
Status IndexWriterImpl::CopyMetaFrom(const std::string& live_gen_dir) {
  Result<std::unique_ptr<RocksStore>> live = RocksStore::OpenForRead(live_gen_dir + "/store");
  if (!live.ok()) return live.status();
  rocksdb::WriteBatch batch;
  HARK_RETURN_IF_ERROR((*live)->ScanPrefix(Cf::kMeta, "", [&](std::string_view k, std::string_view v) {
    if (k != schema::kMetaState) batch.Put(store_->cf(Cf::kMeta), rocksdb::Slice(k.data(), k.size()),
                                           rocksdb::Slice(v.data(), v.size()));
    return true;
  }));
  return store_->Write(&batch, true);
}

Status IndexWriterImpl::PublishGeneration(size_t keep) {
  if (!options_.new_generation) {
    return Status::InvalidArgument("PublishGeneration: the writer was not opened to build a new generation");
  }
  if (building_) {
    HARK_RETURN_IF_ERROR(internal::WriteFileAtomic(dir_ + "/CURRENT", gen_name_ + "\n"));
    std::error_code ec;
    fs::remove(gen_dir_ + "/" + internal::kBuildingMarker, ec);
    building_ = false;
  }
  std::vector<std::string> removed;
  return internal::PruneGenerationsLocked(dir_, keep, &removed);
}

// Removes records appended by a run that never committed (a crash, a kill -9), and any
// text database it left half-built, so that the index is exactly its committed state.
Status IndexWriterImpl::RollBackUncommitted() {
  rocksdb::WriteBatch batch;
  uint64_t removed = 0;
  HARK_RETURN_IF_ERROR(store_->ScanRecords(state_.records + 1, UINT64_MAX - 1, [&](const Record& r) {
    batch.Delete(store_->cf(Cf::kRecords), schema::EncodeRecno(r.recno));
    batch.Delete(store_->cf(Cf::kIds), schema::IdKey(r.source, r.id));
    if (!r.thread.empty()) batch.Delete(store_->cf(Cf::kThreads), schema::ThreadKey(r.source, r.thread, r.time, r.recno));
    if (!r.author.empty()) batch.Delete(store_->cf(Cf::kAuthors), schema::AuthorKey(r.author, r.time, r.recno));
    ++removed;
  }));
  if (removed > 0) HARK_RETURN_IF_ERROR(store_->Write(&batch, true));
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(gen_dir_, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("text-", 0) == 0 && name != state_.text_dir) fs::remove_all(entry.path(), ec);
  }
  return Status::Ok();
}

void IndexWriterImpl::AddCounters(const Record& r, int64_t delta) {
  static thread_local std::vector<std::string> series;
  schema::CounterSeries(r, &series);
  int32_t day = schema::DayOf(r.time);
  for (const std::string& s : series) counter_delta_[schema::CounterKey(s, day)] += delta;
}

Status IndexWriterImpl::FindDuplicates(const std::vector<Record>& records, std::vector<bool>* dup) {
  dup->assign(records.size(), false);
  std::vector<std::string> keys;
  keys.reserve(records.size());
  std::unordered_set<std::string_view> seen;
  for (const Record& r : records) keys.push_back(schema::IdKey(r.source, r.id));
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  store_->db()->MultiGet(rocksdb::ReadOptions(), store_->cf(Cf::kIds), slices.size(), slices.data(), values.data(),
                         statuses.data());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].ok()) {
      (*dup)[i] = true;
    } else if (!statuses[i].IsNotFound()) {
      return RocksStore::FromRocks(statuses[i], "duplicate lookup failed");
    } else if (!seen.insert(keys[i]).second) {
      (*dup)[i] = true;
    }
  }
  return Status::Ok();
}

Status IndexWriterImpl::Append(std::vector<Record>* records) {
  rocksdb::WriteBatch batch;
  for (Record& r : *records) {
    r.recno = next_recno_++;
    std::string recno = schema::EncodeRecno(r.recno);
    batch.Put(store_->cf(Cf::kRecords), recno, schema::EncodeRecord(r));
    batch.Put(store_->cf(Cf::kIds), schema::IdKey(r.source, r.id), recno);
    if (!r.thread.empty()) {
      batch.Put(store_->cf(Cf::kThreads), schema::ThreadKey(r.source, r.thread, r.time, r.recno),
                schema::EncodeThreadEntry(r));
    }
    if (!r.author.empty()) {
      batch.Put(store_->cf(Cf::kAuthors), schema::AuthorKey(r.author, r.time, r.recno), schema::EncodeAuthorValue(r));
    }
    AddCounters(r, +1);
  }
  return store_->Write(&batch, false);
}

Result<Record> IndexWriterImpl::Get(uint64_t recno) {
  auto it = pending_updates_.find(recno);
  if (it != pending_updates_.end()) return it->second;
  return store_->GetRecord(recno);
}

Result<std::optional<Record>> IndexWriterImpl::Find(const std::string& source, const std::string& id) {
  std::string value;
  Status s = store_->Get(Cf::kIds, schema::IdKey(source, id), &value);
  if (s.code() == Status::Code::kNotFound) return std::optional<Record>();
  if (!s.ok()) return s;
  Result<Record> r = Get(schema::DecodeRecno(value));
  if (!r.ok()) return r.status();
  return std::optional<Record>(std::move(*r));
}

Status IndexWriterImpl::ThreadMembers(const std::string& source, const std::string& thread,
                                      std::vector<uint64_t>* recnos) {
  const std::string prefix = schema::ThreadPrefix(source, thread);
  std::set<std::string> keys;
  HARK_RETURN_IF_ERROR(store_->ScanPrefix(Cf::kThreads, prefix, [&](std::string_view k, std::string_view) {
    keys.emplace(k);
    return true;
  }));
  if (auto rm = thread_removes_.find(prefix); rm != thread_removes_.end()) {
    for (const std::string& k : rm->second) keys.erase(k);
  }
  if (auto add = thread_adds_.find(prefix); add != thread_adds_.end()) keys.insert(add->second.begin(), add->second.end());
  recnos->clear();
  for (const std::string& k : keys) recnos->push_back(schema::RecnoFromOrderKey(k));
  return Status::Ok();
}

Status IndexWriterImpl::Update(const Record& record) {
  Result<Record> old = Get(record.recno);
  if (!old.ok()) return old.status();
  if (old->source != record.source || old->id != record.id || old->time != record.time ||
      old->author != record.author) {
    return Status::InvalidArgument("Update may not change a record's source, id, time or author (record " +
                                   std::to_string(record.recno) + ")");
  }
  AddCounters(*old, -1);
  AddCounters(record, +1);
  const std::string old_key = schema::ThreadKey(old->source, old->thread, old->time, old->recno);
  const std::string new_key = schema::ThreadKey(record.source, record.thread, record.time, record.recno);
  if (record.recno > state_.records) {  // appended this run: rewrite in place
    rocksdb::WriteBatch batch;
    batch.Put(store_->cf(Cf::kRecords), schema::EncodeRecno(record.recno), schema::EncodeRecord(record));
    if (old_key != new_key && !old->thread.empty()) batch.Delete(store_->cf(Cf::kThreads), old_key);
    if (!record.thread.empty()) batch.Put(store_->cf(Cf::kThreads), new_key, schema::EncodeThreadEntry(record));
    if (!record.author.empty() && old->thread != record.thread) {
      batch.Put(store_->cf(Cf::kAuthors), schema::AuthorKey(record.author, record.time, record.recno),
                schema::EncodeAuthorValue(record));
    }
    return store_->Write(&batch, false);
  }
  if (old_key != new_key) {
    const std::string old_prefix = schema::ThreadPrefix(old->source, old->thread);
    const std::string new_prefix = schema::ThreadPrefix(record.source, record.thread);
    if (!old->thread.empty() && thread_adds_[old_prefix].erase(old_key) == 0) thread_removes_[old_prefix].insert(old_key);
    if (!record.thread.empty() && thread_removes_[new_prefix].erase(new_key) == 0) thread_adds_[new_prefix].insert(new_key);
  }
  pending_updates_[record.recno] = record;
  return Status::Ok();
}

Status IndexWriterImpl::AddIdentities(const IdentityMap& identities) {
  for (const auto& [person, handles] : identities.by_person()) {
    for (const std::string& h : handles) identities_[h] = person;
  }
  return Status::Ok();
}

Status IndexWriterImpl::MarkDangling(const std::string& source, const std::string& id) {
  std::string key = schema::IdKey(source, id);
  dangling_taken_.erase(key);
  dangling_added_.insert(std::move(key));
  return Status::Ok();
}

Result<bool> IndexWriterImpl::TakeDangling(const std::string& source, const std::string& id) {
  std::string key = schema::IdKey(source, id);
  if (dangling_added_.erase(key) > 0) return true;
  if (dangling_taken_.count(key) > 0) return false;
  std::string value;
  Status s = store_->Get(Cf::kDangling, key, &value);
  if (s.code() == Status::Code::kNotFound) return false;
  if (!s.ok()) return s;
  dangling_taken_.insert(std::move(key));
  return true;
}

Status IndexWriterImpl::Commit(const std::vector<SourceFile>& sources, const ProgressFn& progress) {
  const uint64_t first = state_.records + 1;
  const uint64_t last = next_recno_ - 1;
  commit_stats_ = CommitStats();
  using Clock = std::chrono::steady_clock;
  auto since = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  Clock::time_point t0 = Clock::now();
  // Nothing is published before step 3: a failure before it leaves the index as it was.
  const std::string not_committed = "; nothing of this run was committed; the index is as it was";
  // 1. Make the appended records durable (they were written without a WAL).
  HARK_RETURN_IF_ERROR(store_->FlushAll().Append(not_committed));
  commit_stats_.flush_seconds = since(t0);

  // 2. Build the new text database beside the live one.
  //    Documents are never replaced in place (schema::kTextLayout): when records indexed
  //    before changed, or the live database has an older layout, every record is indexed
  //    again, the changed ones as they are now (pending_updates_: the store still holds
  //    their committed versions until step 3).
  std::string text_dir = state_.text_dir;
  const bool rebuild =
      !state_.text_dir.empty() && (!pending_updates_.empty() || state_.text_layout != schema::kTextLayout);
  if (last >= first || rebuild || text_dir.empty()) {
    uint64_t seq = 0;
    if (!state_.text_dir.empty()) seq = std::stoull(state_.text_dir.substr(5));
    text_dir = "text-" + std::to_string(1000000 + seq + 1).substr(1);
    internal::TextBuildPlan plan;
    plan.old_dir = state_.text_dir.empty() || rebuild ? "" : gen_dir_ + "/" + state_.text_dir;
    plan.new_dir = gen_dir_ + "/" + text_dir;
    plan.work_dir = gen_dir_ + "/text-build";
    plan.first = rebuild ? 1 : first;
    plan.last = last;
    plan.threads = Threads();
    plan.chunk_records = ChunkRecords();
    std::error_code ec;
    fs::remove_all(plan.new_dir, ec);
    RocksStore* store = store_.get();
    const std::map<uint64_t, Record>& updates = pending_updates_;
    HARK_RETURN_IF_ERROR(internal::BuildText(
        plan,
        [store, &updates](uint64_t lo, uint64_t hi, const std::function<void(const Record&)>& fn) {
          if (updates.empty()) return store->ScanRecords(lo, hi, fn);
          return store->ScanRecords(lo, hi, [&](const Record& r) {
            auto it = updates.find(r.recno);
            fn(it == updates.end() ? r : it->second);
          });
        },
        progress, &commit_stats_).Append(not_committed));
    commit_stats_.text_rebuilt = rebuild;
  }
  Clock::time_point t_publish = Clock::now();

  // 3. One synced write publishes everything: records become visible with their
  //    counters, the new text database and the sources.
  rocksdb::WriteBatch batch;
  for (const auto& [prefix, keys] : thread_removes_) {
    for (const std::string& k : keys) batch.Delete(store_->cf(Cf::kThreads), k);
  }
  for (const auto& [recno, r] : pending_updates_) {
    batch.Put(store_->cf(Cf::kRecords), schema::EncodeRecno(recno), schema::EncodeRecord(r));
    if (!r.thread.empty()) {
      batch.Put(store_->cf(Cf::kThreads), schema::ThreadKey(r.source, r.thread, r.time, r.recno),
                schema::EncodeThreadEntry(r));
    }
    if (!r.author.empty()) {
      batch.Put(store_->cf(Cf::kAuthors), schema::AuthorKey(r.author, r.time, r.recno), schema::EncodeAuthorValue(r));
    }
  }
  for (const auto& [key, delta] : counter_delta_) {
    if (delta == 0) continue;
    std::string value;
    int64_t n = 0;
    Status s = store_->Get(Cf::kCounters, key, &value);
    if (s.ok()) n = schema::DecodeCount(value);
    else if (s.code() != Status::Code::kNotFound) return s;
    n += delta;
    if (n == 0) batch.Delete(store_->cf(Cf::kCounters), key);
    else batch.Put(store_->cf(Cf::kCounters), key, schema::EncodeCount(n));
  }
  if (!identities_.empty()) {
    // person -> handles lists, read once, changed, written once.
    std::map<std::string, std::set<std::string>> lists;
    auto list_of = [&](const std::string& person) -> std::set<std::string>& {
      auto it = lists.find(person);
      if (it != lists.end()) return it->second;
      std::set<std::string>& l = lists[person];
      std::string value;
      if (store_->Get(Cf::kMeta, schema::kMetaIdentityPerson + person, &value).ok()) {
        size_t start = 0;
        for (size_t nl; (nl = value.find('\n', start)) != std::string::npos; start = nl + 1) l.insert(value.substr(start, nl - start));
        if (start < value.size()) l.insert(value.substr(start));
      }
      return l;
    };
    for (const auto& [handle, person] : identities_) {
      std::string old;
      if (store_->Get(Cf::kMeta, schema::kMetaIdentityHandle + handle, &old).ok() && old != person) {
        list_of(old).erase(handle);
      }
      list_of(person).insert(handle);
      batch.Put(store_->cf(Cf::kMeta), schema::kMetaIdentityHandle + handle, person);
    }
    for (const auto& [person, handles] : lists) {
      std::string value;
      for (const std::string& h : handles) value += (value.empty() ? "" : "\n") + h;
      batch.Put(store_->cf(Cf::kMeta), schema::kMetaIdentityPerson + person, value);
    }
  }
  if (brands_) batch.Put(store_->cf(Cf::kMeta), schema::kMetaBrands, *brands_);
  for (const std::string& k : dangling_added_) batch.Put(store_->cf(Cf::kDangling), k, "");
  for (const std::string& k : dangling_taken_) batch.Delete(store_->cf(Cf::kDangling), k);

  IndexState next = state_;
  next.records = last;
  next.text_dir = text_dir;
  next.text_layout = schema::kTextLayout;
  next.updated_at = internal::NowRfc3339();
  next.hark_version = internal::kHarkVersion;
  for (const SourceFile& f : sources) {
    auto it = std::find_if(next.sources.begin(), next.sources.end(), [&](const SourceFile& s) { return s.path == f.path; });
    if (it == next.sources.end()) next.sources.push_back(f);
    else *it = f;
  }
  batch.Put(store_->cf(Cf::kMeta), schema::kMetaState, internal::StateToJson(next));
  HARK_RETURN_IF_ERROR(store_->Write(&batch, true));
  // Readers open the store as secondary instances, which may miss what is only in the
  // log while this process closes the store (measured: a reader opening a generation
  // just published saw its empty initial state). Flushed, the commit is in the store's
  // manifest, which every reader reads.
  HARK_RETURN_IF_ERROR(store_->FlushAll());

  const std::string old_text = state_.text_dir;
  state_ = std::move(next);
  counter_delta_.clear();
  pending_updates_.clear();
  thread_adds_.clear();
  thread_removes_.clear();
  dangling_added_.clear();
  dangling_taken_.clear();
  identities_.clear();
  brands_.reset();

  // 4. Mirrors and clean-up; the commit above already holds, so failures here only warn.
  Status manifest = internal::WriteFileAtomic(gen_dir_ + "/manifest.json", internal::ManifestJson(state_));
  if (!old_text.empty() && old_text != state_.text_dir) {
    std::error_code ec;
    fs::remove_all(gen_dir_ + "/" + old_text, ec);
  }
  commit_stats_.publish_seconds = since(t_publish);
  return manifest.WithContext("committed, but manifest.json could not be written");
}

}  // namespace

IngestMemoryPlan PlanIngestMemory(uint64_t budget) {
  const uint64_t rest = budget > kIngestMemoryReserve ? budget - kIngestMemoryReserve : 0;
  IngestMemoryPlan plan;
  plan.memtable_bytes = rest / 4;
  plan.cache_bytes = rest / 8;
  plan.pipeline_bytes = rest / 8;
  plan.chunk_bytes = rest / 2;
  return plan;
}

Result<std::unique_ptr<IndexWriter>> IndexWriter::Open(const std::string& dir, const WriterOptions& options) {
  if (options.memory_bytes < kMinIngestMemory) {
    return Status::InvalidArgument("a memory budget of " + std::to_string(options.memory_bytes >> 20) +
                                   " MiB is below the least an ingest needs, " +
                                   std::to_string(kMinIngestMemory >> 20) + " MiB");
  }
  auto w = std::make_unique<IndexWriterImpl>(dir, options);
  HARK_RETURN_IF_ERROR(w->Init());
  return std::unique_ptr<IndexWriter>(std::move(w));
}

}  // namespace hark
