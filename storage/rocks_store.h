// Internal to storage: the RocksDB document store with hark's column families (see
// schema.h). Opened for writing by the one writer, or as a secondary instance by
// readers (RocksDB's supported way to read while another process writes).
// Thread-safe for concurrent reads, as rocksdb::DB is.
#ifndef HARK_STORAGE_ROCKS_STORE_H_
#define HARK_STORAGE_ROCKS_STORE_H_

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/record.h"
#include "storage/status.h"

namespace hark::internal {

// What the writer's store may hold in memory (IndexWriter derives it from
// WriterOptions::memory_bytes; README "Memory").
struct StoreMemory {
  // Every column family's memtables together (RocksDB's db_write_buffer_size): they are
  // flushed when they reach it, and up to twice it is held while a flush runs.
  size_t memtable_bytes = 128 << 20;
  // One block cache for every column family's data blocks (index and filter blocks are
  // kept by each file's table reader: CfOptions in rocks_store.cc).
  size_t cache_bytes = 32 << 20;
};

enum class Cf { kMeta = 0, kRecords, kIds, kThreads, kAuthors, kCounters, kDangling, kCount };

class RocksStore {
 public:
  ~RocksStore();

  [[nodiscard]] static Result<std::unique_ptr<RocksStore>> OpenForWrite(const std::string& path,
                                                                       const StoreMemory& memory = {});
  [[nodiscard]] static Result<std::unique_ptr<RocksStore>> OpenForRead(const std::string& path);

  rocksdb::DB* db() { return db_; }
  // The block cache of every column family: the writer's own, or the one all readers of
  // this process share (HARK_READ_CACHE_MB bounds them together).
  const rocksdb::Cache& block_cache() const { return *cache_; }
  rocksdb::ColumnFamilyHandle* cf(Cf c) { return handles_[static_cast<size_t>(c)]; }

  // NotFound status when absent.
  [[nodiscard]] Status Get(Cf c, const std::string& key, std::string* value);
  // The value of `key`, or "" when it is absent.
  [[nodiscard]] Result<std::string> GetOrEmpty(Cf c, const std::string& key);
  [[nodiscard]] Result<Record> GetRecord(uint64_t recno);
  // Batched GetRecord; NotFound names the first missing recno.
  [[nodiscard]] Status GetRecords(const std::vector<uint64_t>& recnos, std::vector<Record>* out);
  // Calls fn(key, value) for keys starting with prefix, in order; fn returns false to stop.
  [[nodiscard]] Status ScanPrefix(Cf c, const std::string& prefix,
                                  const std::function<bool(std::string_view, std::string_view)>& fn);
  // ScanPrefix for each of `prefixes` with one iterator: fn(i, key, value) for keys
  // starting with prefixes[i]; fn returns false to stop. Fastest with ascending prefixes
  // (a journey reads dozens of threads; an iterator per thread cost as much again).
  [[nodiscard]] Status ScanPrefixes(Cf c, const std::vector<std::string>& prefixes,
                                    const std::function<bool(size_t, std::string_view, std::string_view)>& fn);
  // Records with recno in [first, last], in order.
  [[nodiscard]] Status ScanRecords(uint64_t first, uint64_t last, const std::function<void(const Record&)>& fn);
  [[nodiscard]] Status Write(rocksdb::WriteBatch* batch, bool sync);
  // Flushes every column family together (appends are written without a WAL).
  [[nodiscard]] Status FlushAll();

  static Status FromRocks(const rocksdb::Status& s, const std::string& what);

 private:
  RocksStore() = default;
  [[nodiscard]] static Result<std::unique_ptr<RocksStore>> OpenImpl(const std::string& path,
                                                                   const StoreMemory* write);

  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::string secondary_dir_;  // scratch dir of a secondary instance, removed on close
  std::shared_ptr<rocksdb::Cache> cache_;
};

}  // namespace hark::internal

#endif  // HARK_STORAGE_ROCKS_STORE_H_
