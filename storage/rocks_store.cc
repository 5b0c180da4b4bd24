#include "storage/rocks_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/table.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <numeric>

#include "storage/schema.h"

namespace hark::internal {
namespace fs = std::filesystem;

namespace {

const char* CfName(Cf c) {
  switch (c) {
    case Cf::kMeta: return rocksdb::kDefaultColumnFamilyName.c_str();
    case Cf::kRecords: return schema::kCfRecords;
    case Cf::kIds: return schema::kCfIds;
    case Cf::kThreads: return schema::kCfThreads;
    case Cf::kAuthors: return schema::kCfAuthors;
    case Cf::kCounters: return schema::kCfCounters;
    case Cf::kDangling: return "dangling";
    case Cf::kCount: break;
  }
  return "?";
}

// The readers' block cache: $HARK_READ_CACHE_MB (README "Memory"), default 256 MiB.
Status ReaderCacheBytes(size_t* bytes) {
  const char* env = std::getenv("HARK_READ_CACHE_MB");
  long long mb = 256;
  if (env != nullptr) {
    char* end = nullptr;
    mb = std::strtoll(env, &end, 10);
    if (end == env || *end != '\0' || mb < 0 || mb > (1 << 20)) {
      return Status::InvalidArgument("HARK_READ_CACHE_MB='" + std::string(env) +
                                     "' is not a size in MiB (a whole number from 0 to 1048576)");
    }
  }
  *bytes = static_cast<size_t>(mb) << 20;
  return Status::Ok();
}

// Readers in one process share one block cache, so that HARK_READ_CACHE_MB bounds them
// together: `hark serve` holds a reader per query thread, and readers of an older
// generation live on while their queries finish. Blocks are keyed by file, so readers of
// different generations or indexes never read each other's. Freed with the last reader.
std::shared_ptr<rocksdb::Cache> SharedReaderCache(size_t bytes) {
  static std::mutex mu;
  static std::weak_ptr<rocksdb::Cache> shared;
  std::lock_guard<std::mutex> lock(mu);
  std::shared_ptr<rocksdb::Cache> cache = shared.lock();
  if (cache == nullptr || cache->GetCapacity() != bytes) {
    cache = rocksdb::NewLRUCache(bytes);
    shared = cache;
  }
  return cache;
}

// Index and filter blocks stay outside the block cache, in each file's table reader, for
// the writer too: every appended id is looked up, and at 10M messages the filters and
// indexes (68 MB) outgrow a bounded cache; read again for each batch they made the
// pipeline 7x slower (partitioned, they took the peak to 2.6 GB). They are the part of an
// ingest's memory that grows with the store (README "Memory").
rocksdb::ColumnFamilyOptions CfOptions(Cf c, const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions o;
  o.compression = rocksdb::kZSTD;
  o.bottommost_compression = rocksdb::kZSTD;
  rocksdb::BlockBasedTableOptions t;
  // Bloom filters only where keys are looked up that may be absent (ids at every append,
  // dangling replies, counters, meta). Records are read by recno, threads and authors by
  // prefix scans (which whole-key filters do not serve) or as keys known to exist: their
  // filters were 10 bits a key of table-reader memory for nothing (37 MB at 10M messages).
  if (c != Cf::kRecords && c != Cf::kThreads && c != Cf::kAuthors) {
    t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  }
  if (cache) t.block_cache = cache;
  if (c == Cf::kRecords) {
    // Records are read one at a time (show, thread, journey, search hits), each read
    // decompressing its whole block: 4 KiB blocks cost a quarter of 16 KiB ones per cold
    // read. Short texts compress poorly in small blocks, so every file, flushed or
    // compacted, gets a trained zstd dictionary (compression_opts: before, only
    // bottommost_compression_opts had one, and hark's files are flushed, never compacted
    // to the bottom, so no file had it). At 1M generated messages the store went from
    // 113 MB (16 KiB blocks, no dictionary) to 96 MB, journey p50 193 -> 131 us
    // (bench/README.md, "hark-bench-query").
    for (rocksdb::CompressionOptions* opts : {&o.compression_opts, &o.bottommost_compression_opts}) {
      opts->max_dict_bytes = 16 * 1024;
      opts->zstd_max_train_bytes = 1024 * 1024;
      // Samples come from the first 4 MiB of a file: without a limit a flush buffers its
      // whole file (up to the 64 MiB memtable) before writing any of it (1M messages: peak
      // RSS 329 MB without the limit, 289 MB with it).
      opts->max_dict_buffer_bytes = 4 << 20;
    }
    o.bottommost_compression_opts.enabled = true;
    o.write_buffer_size = 64 << 20;
    t.block_size = 4 * 1024;
  }
  if (c == Cf::kIds) {
    // Every appended batch first looks its ids up (duplicates), and nearly all of them are
    // new: a bloom filter over the memtable says "not there" without searching it (1M
    // messages, 2 threads: pipeline 8.2 -> 7.6 s; about 20 bits a key at a flush's fill).
    o.memtable_prefix_bloom_size_ratio = 0.01;
    o.memtable_whole_key_filtering = true;
  }
  if (c == Cf::kAuthors) {
    // Nothing reads the authors order while an ingest appends (the writer reads ids,
    // records and threads; readers see flushed files only), so its memtable is a vector
    // sorted once when flushed instead of a skiplist searched on every insert. Inserting
    // into the skiplist was a quarter of the serial store stage, the stage that bounds the
    // pipeline on 2 cores (300k messages, 2 threads: store stage 2.12 -> 1.57 s, as fast as
    // not writing the order at all; sorting each batch's keys before the skiplist got
    // half of that).
    o.memtable_factory = std::make_shared<rocksdb::VectorRepFactory>();
  }
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  return o;
}

}  // namespace

Status RocksStore::FromRocks(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return Status::Ok();
  if (s.IsNotFound()) return Status::NotFound(what);
  if (s.IsCorruption()) return Status::Corruption(what + ": " + s.ToString());
  if (s.IsBusy() || s.IsTryAgain()) return Status::Busy(what + ": " + s.ToString());
  return Status::IOError(what + ": " + s.ToString());
}

RocksStore::~RocksStore() {
  if (db_ != nullptr) {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    delete db_;
  }
  if (!secondary_dir_.empty()) {
    std::error_code ec;
    fs::remove_all(secondary_dir_, ec);
  }
}

Result<std::unique_ptr<RocksStore>> RocksStore::OpenForWrite(const std::string& path, const StoreMemory& memory) {
  return OpenImpl(path, &memory);
}
Result<std::unique_ptr<RocksStore>> RocksStore::OpenForRead(const std::string& path) {
  return OpenImpl(path, nullptr);
}

Result<std::unique_ptr<RocksStore>> RocksStore::OpenImpl(const std::string& path, const StoreMemory* write) {
  std::unique_ptr<RocksStore> s(new RocksStore());
  rocksdb::DBOptions o;
  o.create_if_missing = write != nullptr;
  o.create_missing_column_families = write != nullptr;
  o.atomic_flush = true;  // appends skip the WAL: column families must flush together
  o.max_background_jobs = 2;
  // Required by the authors' vector memtable (CfOptions); hark writes from one thread.
  o.allow_concurrent_memtable_write = false;
  o.keep_log_file_num = 3;
  // One block cache across column families (RocksDB's default is a separate 32 MiB one per
  // table factory); it fills only as blocks are read.
  std::shared_ptr<rocksdb::Cache> cache;
  if (write != nullptr) {
    // All memtables together (README "Memory"): without a cap each column family fills up
    // to two 64 MiB memtables before a flush, so a writer's memory grew with the corpus
    // (peak RSS 291 MB at 1M messages, 347 MB at 3M).
    o.db_write_buffer_size = write->memtable_bytes;
    cache = rocksdb::NewLRUCache(write->cache_bytes);
  } else {
    size_t bytes = 0;
    HARK_RETURN_IF_ERROR(ReaderCacheBytes(&bytes));
    cache = SharedReaderCache(bytes);
  }
  s->cache_ = cache;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (int i = 0; i < static_cast<int>(Cf::kCount); ++i) {
    cfs.emplace_back(CfName(static_cast<Cf>(i)), CfOptions(static_cast<Cf>(i), cache));
  }
  rocksdb::Status st;
  if (write != nullptr) {
    st = rocksdb::DB::Open(o, path, cfs, &s->handles_, &s->db_);
  } else {
    char tmpl[] = "/tmp/hark-reader-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return Status::IOError("cannot create a scratch directory in /tmp");
    s->secondary_dir_ = tmpl;
    o.max_open_files = -1;  // required by secondary instances
    st = rocksdb::DB::OpenAsSecondary(o, path, s->secondary_dir_, cfs, &s->handles_, &s->db_);
  }
  if (!st.ok()) return FromRocks(st, "cannot open record store " + path);
  return s;
}

Status RocksStore::Get(Cf c, const std::string& key, std::string* value) {
  return FromRocks(db_->Get(rocksdb::ReadOptions(), cf(c), key, value), "key not found");
}

Result<std::string> RocksStore::GetOrEmpty(Cf c, const std::string& key) {
  std::string value;
  Status s = Get(c, key, &value);
  if (s.code() == Status::Code::kNotFound) return std::string();
  if (!s.ok()) return s;
  return value;
}

Result<Record> RocksStore::GetRecord(uint64_t recno) {
  std::string bytes;
  Status s = Get(Cf::kRecords, schema::EncodeRecno(recno), &bytes);
  if (!s.ok()) {
    if (s.code() == Status::Code::kNotFound) return Status::NotFound("record " + std::to_string(recno) + " not found");
    return s;
  }
  Record r;
  if (!schema::DecodeRecord(bytes, &r)) return Status::Corruption("record " + std::to_string(recno) + " cannot be decoded");
  r.recno = recno;
  return r;
}

Status RocksStore::GetRecords(const std::vector<uint64_t>& recnos, std::vector<Record>* out) {
  out->assign(recnos.size(), Record());
  // MultiGet sorts its keys through the comparator unless they come sorted: sorting the
  // recnos as integers is cheaper (3% of a warm 491-message journey's instructions).
  std::vector<size_t> order(recnos.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return recnos[a] < recnos[b]; });
  std::vector<std::string> keys;
  keys.reserve(recnos.size());
  for (size_t i : order) keys.push_back(schema::EncodeRecno(recnos[i]));
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  db_->MultiGet(rocksdb::ReadOptions(), cf(Cf::kRecords), slices.size(), slices.data(), values.data(),
                statuses.data(), /*sorted_input=*/true);
  for (size_t j = 0; j < keys.size(); ++j) {
    const uint64_t recno = recnos[order[j]];
    if (statuses[j].IsNotFound()) return Status::NotFound("record " + std::to_string(recno) + " not found");
    HARK_RETURN_IF_ERROR(FromRocks(statuses[j], "record read failed"));
    Record& r = (*out)[order[j]];
    if (!schema::DecodeRecord(values[j].ToStringView(), &r)) {
      return Status::Corruption("record " + std::to_string(recno) + " cannot be decoded");
    }
    r.recno = recno;
  }
  return Status::Ok();
}

Status RocksStore::ScanPrefix(Cf c, const std::string& prefix,
                              const std::function<bool(std::string_view, std::string_view)>& fn) {
  return ScanPrefixes(c, {prefix}, [&](size_t, std::string_view k, std::string_view v) { return fn(k, v); });
}

Status RocksStore::ScanPrefixes(Cf c, const std::vector<std::string>& prefixes,
                                const std::function<bool(size_t, std::string_view, std::string_view)>& fn) {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(c)));
  for (size_t i = 0; i < prefixes.size(); ++i) {
    const rocksdb::Slice prefix(prefixes[i]);
    // A forward Seek within the block the iterator is on skips the index search.
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      if (!fn(i, std::string_view(it->key().data(), it->key().size()),
              std::string_view(it->value().data(), it->value().size()))) {
        return FromRocks(it->status(), "scan failed");
      }
    }
    if (!it->status().ok()) break;
  }
  return FromRocks(it->status(), "scan failed");
}

Status RocksStore::ScanRecords(uint64_t first, uint64_t last, const std::function<void(const Record&)>& fn) {
  rocksdb::ReadOptions ro;
  std::string upper = schema::EncodeRecno(last + 1);
  rocksdb::Slice upper_slice(upper);
  ro.iterate_upper_bound = &upper_slice;
  ro.readahead_size = 2 << 20;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(Cf::kRecords)));
  Record r;
  for (it->Seek(schema::EncodeRecno(first)); it->Valid(); it->Next()) {
    if (!schema::DecodeRecord(std::string_view(it->value().data(), it->value().size()), &r)) {
      return Status::Corruption("record " + std::to_string(schema::DecodeRecno(it->key().ToStringView())) +
                                " cannot be decoded");
    }
    r.recno = schema::DecodeRecno(it->key().ToStringView());
    fn(r);
  }
  return FromRocks(it->status(), "record scan failed");
}

Status RocksStore::Write(rocksdb::WriteBatch* batch, bool sync) {
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  wo.disableWAL = !sync;
  return FromRocks(db_->Write(wo, batch), "write to record store failed");
}

Status RocksStore::FlushAll() {
  rocksdb::FlushOptions fo;
  fo.wait = true;
  return FromRocks(db_->Flush(fo, handles_), "flush of record store failed");
}

}  // namespace hark::internal
