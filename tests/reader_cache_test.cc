// The readers of one process share one block cache (storage/rocks_store.cc,
// SharedReaderCache): what one reader has read is a cache hit for the next, the
// capacity is HARK_READ_CACHE_MB for all of them together, and the cache goes with
// the last reader. The writer keeps a cache of its own.
#include <gtest/gtest.h>

#include <cstdlib>
#include <numeric>

#include "indexer/ingest.h"
#include "storage/rocks_store.h"
#include "test_support.h"

namespace hark {
namespace {

using internal::RocksStore;
using testing::TempDir;

std::string SampleIndex(const TempDir& dir) {
  IngestOptions o;
  o.index_dir = dir / "idx";
  o.files = {std::string(HARK_SOURCE_DIR) + "/corpora/twcs-head-5k.csv"};
  o.progress = Progress::Mode::kOff;
  Result<IngestReport> r = RunIngest(o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return dir / "idx/gen-000001/store";
}

std::unique_ptr<RocksStore> OpenReader(const std::string& store) {
  Result<std::unique_ptr<RocksStore>> s = RocksStore::OpenForRead(store);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

TEST(ReaderCache, ReadersOfOneProcessShareOneCache) {
  unsetenv("HARK_READ_CACHE_MB");
  TempDir dir;
  const std::string store = SampleIndex(dir);
  std::vector<uint64_t> recnos(2000);
  std::iota(recnos.begin(), recnos.end(), 1);
  std::vector<Record> records;

  std::unique_ptr<RocksStore> a = OpenReader(store);
  std::unique_ptr<RocksStore> b = OpenReader(store);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(&a->block_cache(), &b->block_cache());
  EXPECT_EQ(a->block_cache().GetCapacity(), size_t{256} << 20);
  const size_t empty = a->block_cache().GetUsage();
  ASSERT_TRUE(a->GetRecords(recnos, &records).ok());
  ASSERT_EQ(records.size(), recnos.size());
  const size_t after_a = a->block_cache().GetUsage();
  EXPECT_GT(after_a, empty + 100 * 1024) << "2,000 records fill more than 100 KiB of blocks";
  // The other reader, which has read nothing yet, holds them already; reading the same
  // records through it finds them: nothing more is cached.
  EXPECT_EQ(b->block_cache().GetUsage(), after_a);
  std::vector<Record> again;
  ASSERT_TRUE(b->GetRecords(recnos, &again).ok());
  EXPECT_EQ(b->block_cache().GetUsage(), after_a);
  for (size_t i = 0; i < records.size(); ++i) EXPECT_EQ(again[i].text, records[i].text);

  // A writer's cache is its own.
  a.reset();
  b.reset();
  {
    Result<std::unique_ptr<RocksStore>> w = RocksStore::OpenForWrite(store);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    std::unique_ptr<RocksStore> c = OpenReader(store);
    ASSERT_TRUE(c);
    EXPECT_NE(&(*w)->block_cache(), &c->block_cache());
  }

  // With every reader closed the cache went with them; a new capacity makes a new one.
  setenv("HARK_READ_CACHE_MB", "8", 1);
  std::unique_ptr<RocksStore> d = OpenReader(store);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->block_cache().GetCapacity(), size_t{8} << 20);
  EXPECT_LT(d->block_cache().GetUsage(), after_a);
  unsetenv("HARK_READ_CACHE_MB");
}

}  // namespace
}  // namespace hark
