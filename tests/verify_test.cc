// hark verify (storage/verify.h, tools/cmd_verify.cc): clean indexes of real corpora
// verify ok; indexes corrupted on purpose, one way per fresh copy, fail with the right
// problem kind naming the record, key or file; uncommitted leftovers are warnings. The
// corruptions go through storage's internal RocksStore: tests of storage may use its
// internals, the public API offers no way to damage an index.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "indexer/ingest.h"
#include "storage/index.h"
#include "storage/rocks_store.h"
#include "storage/schema.h"
#include "storage/time_parse.h"
#include "storage/verify.h"
#include "test_support.h"

namespace hark {
namespace {

namespace fs = std::filesystem;
using internal::Cf;
using internal::RocksStore;
using testing::Proc;
using testing::RunHark;
using testing::TempDir;

const std::string kSample = std::string(HARK_SOURCE_DIR) + "/corpora/twcs-head-5k.csv";

IngestReport Ingest(const std::string& index, const std::vector<std::string>& files) {
  IngestOptions o;
  o.index_dir = index;
  o.files = files;
  o.threads = 2;
  o.progress = Progress::Mode::kOff;
  Result<IngestReport> r = RunIngest(o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : IngestReport();
}

VerifyReport Verify(const std::string& index, size_t max_problems = 20) {
  VerifyOptions o;
  o.max_problems = max_problems;
  VerifyReport report;
  Status s = VerifyIndex(index, o, &report);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return report;
}

// Every problem listed, one per line, for failure messages.
std::string Describe(const VerifyReport& r) {
  std::string s;
  for (const VerifyProblem& p : r.problems) s += p.kind + ": " + p.detail + "\n";
  for (const std::string& w : r.warnings) s += "warning: " + w + "\n";
  return s;
}

std::unique_ptr<RocksStore> OpenStore(const std::string& index) {
  Result<std::unique_ptr<RocksStore>> s = RocksStore::OpenForWrite(index + "/gen-000001/store");
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

void Write(RocksStore* store, rocksdb::WriteBatch* batch) {
  Status s = store->Write(batch, true);
  ASSERT_TRUE(s.ok()) << s.ToString();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The bundled sample ingested once; each test damages its own copy.
class VerifyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    clean_ = new TempDir();
    report_ = new IngestReport(Ingest(*clean_ / "index", {kSample}));
  }
  static void TearDownTestSuite() {
    delete report_;
    delete clean_;
  }

  // A fresh copy of the clean index.
  std::string Copy() {
    std::string dst = tmp_ / ("copy-" + std::to_string(++copies_));
    fs::copy(*clean_ / "index", dst, fs::copy_options::recursive);
    return dst;
  }

  // Record `recno` of an index, read through the store.
  Record Get(RocksStore* store, uint64_t recno) {
    Result<Record> r = store->GetRecord(recno);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Record();
  }

  static TempDir* clean_;
  static IngestReport* report_;
  TempDir tmp_;
  int copies_ = 0;
};

TempDir* VerifyTest::clean_ = nullptr;
IngestReport* VerifyTest::report_ = nullptr;

TEST_F(VerifyTest, CleanSampleIsOk) {
  // Independent count: the CSV's data rows (an RFC 4180 reader of the test's own),
  // less what ingest turned away.
  const uint64_t rows = testing::ReadCsvForTest(kSample).size() - 1;
  const uint64_t expected = rows - report_->rejected - report_->duplicates;
  ASSERT_EQ(expected, 5000u);

  VerifyReport r = Verify(*clean_ / "index");
  EXPECT_TRUE(r.ok()) << Describe(r);
  EXPECT_TRUE(r.warnings.empty()) << Describe(r);
  EXPECT_EQ(r.records, expected);
  EXPECT_EQ(r.documents, expected);
  EXPECT_EQ(r.ids, expected);
  EXPECT_EQ(r.thread_entries, expected);  // every TWCS tweet has a thread and an author
  EXPECT_EQ(r.author_entries, expected);
  EXPECT_GT(r.counters, 0u);
  EXPECT_EQ(r.sources, 1u);
  EXPECT_EQ(r.source_records, expected);
  EXPECT_EQ(r.generation, 1u);

  Proc text = RunHark({"verify", "--index", *clean_ / "index"});
  EXPECT_EQ(text.code, 0) << text.out << text.err;
  EXPECT_EQ(text.out.rfind("ok: 5000 records in both stores, " + std::to_string(r.counters) +
                               " counters, 1 source file; generation 1\n",
                           0),
            0u)
      << text.out;

  Proc json = RunHark({"verify", "--index", *clean_ / "index", "--format", "json"});
  ASSERT_EQ(json.code, 0) << json.err;
  nlohmann::json j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["ok"], true);
  EXPECT_EQ(j["records"].get<uint64_t>(), expected);
  EXPECT_EQ(j["generation"], 1);
  EXPECT_EQ(j["checked"]["documents"].get<uint64_t>(), expected);
  EXPECT_EQ(j["checked"]["counters"].get<uint64_t>(), r.counters);
  EXPECT_TRUE(j["problems"].empty());
  EXPECT_TRUE(j["problem_counts"].empty());
  EXPECT_TRUE(j["warnings"].empty());
}

TEST(VerifyCorpus, StackExchangeBeerIsOk) {
  HARK_REQUIRE_CORPUS(posts, "stackexchange-beer/Posts.xml");
  TempDir tmp;
  IngestReport ingest = Ingest(tmp / "index", {posts});
  // Independent count: questions and answers in the dump (other post types are not
  // messages), less what ingest turned away.
  std::string xml = ReadFile(posts);
  uint64_t messages = 0;
  for (const char* type : {"PostTypeId=\"1\"", "PostTypeId=\"2\""}) {
    for (size_t at = xml.find(type); at != std::string::npos; at = xml.find(type, at + 1)) ++messages;
  }
  VerifyReport r = Verify(tmp / "index");
  EXPECT_TRUE(r.ok()) << Describe(r);
  EXPECT_EQ(r.records, messages - ingest.rejected - ingest.duplicates);
  EXPECT_EQ(r.documents, r.records);
  EXPECT_EQ(r.ids, r.records);

  Proc text = RunHark({"verify", "--index", tmp / "index"});
  EXPECT_EQ(text.code, 0) << text.out << text.err;
  EXPECT_EQ(text.out.rfind("ok: " + std::to_string(r.records) + " records in both stores", 0), 0u) << text.out;
}

// (a) A counter's value changed.
TEST_F(VerifyTest, ChangedCounterIsReported) {
  std::string index = Copy();
  std::string key;
  {
    auto store = OpenStore(index);
    ASSERT_TRUE(store);
    key = schema::CounterKey("all", schema::DayOf(Get(store.get(), 17).time));
    std::string value;
    ASSERT_TRUE(store->Get(Cf::kCounters, key, &value).ok());
    rocksdb::WriteBatch b;
    b.Put(store->cf(Cf::kCounters), key, schema::EncodeCount(schema::DecodeCount(value) + 3));
    Write(store.get(), &b);
  }
  VerifyReport r = Verify(index);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.problem_counts, (std::map<std::string, uint64_t>{{"counter_mismatch", 1}})) << Describe(r);
  ASSERT_EQ(r.problems.size(), 1u);
  const VerifyProblem& p = r.problems[0];
  const std::string day = FormatDate(static_cast<int64_t>(schema::DayFromCounterKey(key)) * 86400);
  EXPECT_EQ(p.key, "series all, day " + day);
  EXPECT_EQ(std::stoll(p.stored), std::stoll(p.expected) + 3);
  EXPECT_NE(p.detail.find("counter series all, day " + day + " is " + p.stored + ", the committed records count " +
                          p.expected),
            std::string::npos)
      << p.detail;

  Proc text = RunHark({"verify", "--index", index});
  EXPECT_EQ(text.code, 1);
  EXPECT_EQ(text.out.rfind("FAILED: 1 problem in " + index, 0), 0u) << text.out;
  EXPECT_NE(text.out.find("counter_mismatch: counter series all, day " + day), std::string::npos) << text.out;
  Proc json = RunHark({"verify", "--index", index, "--format", "json"});
  EXPECT_EQ(json.code, 1);
  nlohmann::json j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["problem_counts"]["counter_mismatch"], 1);
  EXPECT_EQ(j["problems"][0]["kind"], "counter_mismatch");
  EXPECT_EQ(j["problems"][0]["stored"], p.stored);
  EXPECT_EQ(j["problems"][0]["expected"], p.expected);
}

// (b) A counter deleted; and one no record counts in.
TEST_F(VerifyTest, MissingAndExtraCountersAreReported) {
  std::string index = Copy();
  {
    auto store = OpenStore(index);
    ASSERT_TRUE(store);
    rocksdb::WriteBatch b;
    b.Delete(store->cf(Cf::kCounters), schema::CounterKey("source:twcs", schema::DayOf(Get(store.get(), 1).time)));
    b.Put(store->cf(Cf::kCounters), schema::CounterKey("brand:nobody", 17000), schema::EncodeCount(2));
    Write(store.get(), &b);
  }
  VerifyReport r = Verify(index);
  EXPECT_EQ(r.problem_counts, (std::map<std::string, uint64_t>{{"counter_missing", 1}, {"counter_extra", 1}}))
      << Describe(r);
  ASSERT_EQ(r.problems.size(), 2u);
  // In key order: "brand:nobody" sorts before "source:twcs".
  EXPECT_EQ(r.problems[0].kind, "counter_extra");
  EXPECT_EQ(r.problems[0].key, "series brand:nobody, day " + FormatDate(17000 * 86400));
  EXPECT_EQ(r.problems[0].stored, "2");
  EXPECT_EQ(r.problems[1].kind, "counter_missing");
  EXPECT_EQ(r.problems[1].key.rfind("series source:twcs, day ", 0), 0u);
  EXPECT_NE(r.problems[1].detail.find("is missing; the committed records count"), std::string::npos);
  EXPECT_EQ(RunHark({"verify", "--index", index}).code, 1);
}

// (c) An ids entry deleted; and one naming a record that is not its own.
TEST_F(VerifyTest, IdsEntriesAreCheckedBothWays) {
  std::string index = Copy();
  Record r17;
  {
    auto store = OpenStore(index);
    ASSERT_TRUE(store);
    r17 = Get(store.get(), 17);
    rocksdb::WriteBatch b;
    b.Delete(store->cf(Cf::kIds), schema::IdKey(r17.source, r17.id));
    b.Put(store->cf(Cf::kIds), schema::IdKey("twcs", "no-such-tweet"), schema::EncodeRecno(42));
    Write(store.get(), &b);
  }
  VerifyReport r = Verify(index);
  EXPECT_EQ(r.problem_counts, (std::map<std::string, uint64_t>{{"id_missing", 1}, {"id_extra", 1}})) << Describe(r);
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].kind, "id_missing");
  EXPECT_EQ(r.problems[0].recno, 17u);
  EXPECT_EQ(r.problems[0].detail, "record 17 (twcs, " + r17.id + "): no ids entry for (twcs, " + r17.id + ")");
  EXPECT_EQ(r.problems[1].kind, "id_extra");
  EXPECT_EQ(r.problems[1].recno, 42u);
  EXPECT_NE(r.problems[1].detail.find("the ids entry (twcs, no-such-tweet) names record 42 (twcs, "),
            std::string::npos)
      << r.problems[1].detail;

  Proc text = RunHark({"verify", "--index", index});
  EXPECT_EQ(text.code, 1);
  EXPECT_NE(text.out.find("id_missing: record 17 (twcs, " + r17.id + ")"), std::string::npos) << text.out;
}

// (d) A threads-order entry deleted; an authors entry changed.
TEST_F(VerifyTest, OrderEntriesAreChecked) {
  std::string index = Copy();
  Record r;
  {
    auto store = OpenStore(index);
    ASSERT_TRUE(store);
    r = Get(store.get(), 100);
    ASSERT_FALSE(r.thread.empty());
    rocksdb::WriteBatch b;
    b.Delete(store->cf(Cf::kThreads), schema::ThreadKey(r.source, r.thread, r.time, r.recno));
    Record other = r;
    other.thread = "elsewhere";
    b.Put(store->cf(Cf::kAuthors), schema::AuthorKey(r.author, r.time, r.recno), schema::EncodeAuthorValue(other));
    Write(store.get(), &b);
  }
  VerifyReport v = Verify(index);
  EXPECT_EQ(v.problem_counts, (std::map<std::string, uint64_t>{{"thread_missing", 1}, {"author_mismatch", 1}}))
      << Describe(v);
  ASSERT_EQ(v.problems.size(), 2u);
  EXPECT_EQ(v.problems[0].kind, "thread_missing");
  EXPECT_EQ(v.problems[0].recno, 100u);
  EXPECT_EQ(v.problems[0].detail, "record 100 (twcs, " + r.id + "): no threads entry thread (twcs, " + r.thread +
                                      ") at " + FormatTime(r.time) + ", record 100");
  EXPECT_EQ(v.problems[1].kind, "author_mismatch");
  EXPECT_NE(v.problems[1].detail.find("(conversation (twcs, elsewhere), record (twcs, " + r.thread + "))"),
            std::string::npos)
      << v.problems[1].detail;
  EXPECT_EQ(v.thread_entries, 4999u);
  EXPECT_EQ(RunHark({"verify", "--index", index}).code, 1);
}

// A threads entry of a record that has no such thread.
TEST_F(VerifyTest, ExtraThreadEntryIsReported) {
  std::string index = Copy();
  {
    auto store = OpenStore(index);
    ASSERT_TRUE(store);
    Record r = Get(store.get(), 7);
    rocksdb::WriteBatch b;
    b.Put(store->cf(Cf::kThreads), schema::ThreadKey(r.source, "ghost", r.time, r.recno), schema::EncodeThreadEntry(r));
    Write(store.get(), &b);
  }
  VerifyReport v = Verify(index);
  EXPECT_EQ(v.problem_counts, (std::map<std::string, uint64_t>{{"thread_extra", 1}})) << Describe(v);
  ASSERT_EQ(v.problems.size(), 1u);
  EXPECT_NE(v.problems[0].detail.find("the threads entry thread (twcs, ghost) at "), std::string::npos);
  EXPECT_NE(v.problems[0].detail.find("names record 7 (twcs, "), std::string::npos) << v.problems[0].detail;
}

// A record deleted from the records family: missing there, and everything naming it extra.
TEST_F(VerifyTest, MissingRecordIsReported) {
  std::string index = Copy();
  {
    auto store = OpenStore(index);
    ASSERT_TRUE(store);
    rocksdb::WriteBatch b;
    b.Delete(store->cf(Cf::kRecords), schema::EncodeRecno(2500));
    Write(store.get(), &b);
  }
  VerifyReport v = Verify(index);
  EXPECT_EQ(v.problem_counts["record_missing"], 1u) << Describe(v);
  ASSERT_FALSE(v.problems.empty());
  EXPECT_EQ(v.problems[0].detail, "record 2500 is missing from the records family");
  // Its ids, threads and authors entries name a missing record; its counts are gone from
  // the recount.
  EXPECT_EQ(v.problem_counts["id_extra"], 1u);
  EXPECT_EQ(v.problem_counts["thread_extra"], 1u);
  EXPECT_EQ(v.problem_counts["author_extra"], 1u);
  EXPECT_GT(v.problem_counts["counter_mismatch"] + v.problem_counts["counter_extra"], 0u);
}

// (e) The text database replaced by an older one with fewer documents: ingest part of
// the sample, keep its text database, ingest the whole, put the old one in its place.
TEST_F(VerifyTest, OlderTextDatabaseIsReported) {
  const std::string index = tmp_ / "index";
  {
    std::ifstream in(kSample);
    std::ofstream half(tmp_ / "half.csv");
    std::string line;
    for (int i = 0; i < 2001 && std::getline(in, line); ++i) half << line << "\n";
  }
  IngestReport first = Ingest(index, {tmp_ / "half.csv"});
  const uint64_t old_records = first.index_records;
  ASSERT_GT(old_records, 1000u);
  ASSERT_LT(old_records, 5000u);
  const std::string gen = index + "/gen-000001";
  fs::copy(gen + "/text-000001", tmp_ / "old-text", fs::copy_options::recursive);
  IngestReport second = Ingest(index, {kSample});
  ASSERT_EQ(second.index_records, 5000u);
  ASSERT_TRUE(fs::is_directory(gen + "/text-000002"));
  ASSERT_FALSE(fs::exists(gen + "/text-000001"));
  fs::remove_all(gen + "/text-000002");
  fs::copy(tmp_ / "old-text", gen + "/text-000002", fs::copy_options::recursive);

  VerifyReport v = Verify(index, 5);
  EXPECT_EQ(v.problem_counts,
            (std::map<std::string, uint64_t>{{"text_count", 1}, {"text_missing", 5000 - old_records}}))
      << Describe(v);
  EXPECT_EQ(v.documents, old_records);
  ASSERT_EQ(v.problems.size(), 5u);
  EXPECT_EQ(v.problems[0].kind, "text_count");
  EXPECT_EQ(v.problems[0].stored, std::to_string(old_records));
  EXPECT_EQ(v.problems[0].expected, "5000");
  EXPECT_EQ(v.problems[1].kind, "text_missing");
  EXPECT_EQ(v.problems[1].recno, old_records + 1);
  EXPECT_NE(v.problems[1].detail.find("the text database has no document " + std::to_string(old_records + 1)),
            std::string::npos)
      << v.problems[1].detail;

  Proc text = RunHark({"verify", "--index", index, "--max-problems", "3"});
  EXPECT_EQ(text.code, 1);
  EXPECT_NE(text.out.find("text_count: the text database holds " + std::to_string(old_records) +
                          " documents, the committed state 5000 records"),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("first 3:"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("text_missing       " + std::to_string(5000 - old_records)), std::string::npos) << text.out;
}

// The text database of an index of the same tweets ingested in another order: its
// documents are other records'.
TEST_F(VerifyTest, TextDocumentsOfOtherRecordsAreReported) {
  std::string index = Copy();
  TempDir other;
  {
    // The same sample cut in two files, read in the other order.
    std::ifstream in(kSample);
    std::ofstream a(other / "a.csv"), b(other / "b.csv");
    std::string line;
    std::getline(in, line);
    a << line << "\n";
    b << line << "\n";
    for (int i = 0; i < 2000 && std::getline(in, line); ++i) a << line << "\n";
    while (std::getline(in, line)) b << line << "\n";
  }
  Ingest(other / "index", {other / "b.csv", other / "a.csv"});
  const std::string text = index + "/gen-000001/text-000001";
  fs::remove_all(text);
  fs::copy(other / "index/gen-000001/text-000001", text, fs::copy_options::recursive);
  VerifyReport v = Verify(index, 3);
  EXPECT_FALSE(v.ok());
  EXPECT_GT(v.problem_counts["text_identity"], 1000u) << Describe(v);
  ASSERT_FALSE(v.problems.empty());
  EXPECT_EQ(v.problems[0].kind, "text_identity");
  EXPECT_EQ(v.problems[0].recno, 1u);
  EXPECT_NE(v.problems[0].detail.find(": document 1 is (twcs\\x1f"), std::string::npos)
      << v.problems[0].detail;
}

// A record rewritten with another brand: its document, its thread entry and the brand's
// counters no longer agree with it.
TEST_F(VerifyTest, RecordDifferingFromItsDocumentIsReported) {
  std::string index = Copy();
  Record before;
  {
    auto store = OpenStore(index);
    ASSERT_TRUE(store);
    before = Get(store.get(), 321);
    ASSERT_FALSE(before.brand.empty());
    Record after = before;
    after.brand = "Elsewhere";
    rocksdb::WriteBatch b;
    b.Put(store->cf(Cf::kRecords), schema::EncodeRecno(321), schema::EncodeRecord(after));
    Write(store.get(), &b);
  }
  VerifyReport v = Verify(index);
  EXPECT_EQ(v.problem_counts["text_mismatch"], 1u) << Describe(v);
  EXPECT_EQ(v.problem_counts["thread_mismatch"], 1u);
  EXPECT_EQ(v.problem_counts["counter_missing"], 1u);  // brand:elsewhere on that day
  EXPECT_EQ(v.problem_counts["counter_mismatch"] + v.problem_counts["counter_extra"], 1u);  // the old brand's
  bool found = false;
  for (const VerifyProblem& p : v.problems) {
    if (p.kind != "text_mismatch") continue;
    found = true;
    EXPECT_EQ(p.recno, 321u);
    const std::string brand = schema::Lower(before.brand);
    EXPECT_NE(p.detail.find("record 321 (twcs, " + before.id + "): document 321 differs: "), std::string::npos)
        << p.detail;
    EXPECT_NE(p.detail.find("term 'B" + brand + "' not the record's"), std::string::npos) << p.detail;
    EXPECT_NE(p.detail.find("term 'Belsewhere' missing"), std::string::npos) << p.detail;
    EXPECT_NE(p.detail.find("value brand: document '" + brand + "', record 'elsewhere'"), std::string::npos)
        << p.detail;
  }
  EXPECT_TRUE(found) << Describe(v);
}

// (f) manifest.json edited.
TEST_F(VerifyTest, EditedManifestIsReported) {
  std::string index = Copy();
  const std::string path = index + "/gen-000001/manifest.json";
  nlohmann::json m = nlohmann::json::parse(ReadFile(path));
  m["records"] = 4990;
  m["sources"][0]["hash"] = 12345;
  std::ofstream(path) << m.dump(2);
  VerifyReport v = Verify(index);
  EXPECT_EQ(v.problem_counts, (std::map<std::string, uint64_t>{{"manifest", 2}})) << Describe(v);
  ASSERT_EQ(v.problems.size(), 2u);
  EXPECT_EQ(v.problems[0].detail, "manifest.json records is 4990, the committed state says 5000");
  EXPECT_EQ(v.problems[0].key, "records");
  EXPECT_EQ(v.problems[0].stored, "4990");
  EXPECT_EQ(v.problems[0].expected, "5000");
  EXPECT_EQ(v.problems[1].detail.rfind("manifest.json source " + fs::absolute(kSample).lexically_normal().string() + ": hash is 12345", 0),
            0u)
      << v.problems[1].detail;

  std::ofstream(path) << "{not json";
  v = Verify(index);
  EXPECT_EQ(v.problem_counts, (std::map<std::string, uint64_t>{{"manifest", 1}})) << Describe(v);
  EXPECT_NE(v.problems[0].detail.find("manifest.json is not valid JSON"), std::string::npos);
  Proc text = RunHark({"verify", "--index", index});
  EXPECT_EQ(text.code, 1);
  EXPECT_NE(text.out.find("manifest: " + path + " is not valid JSON"), std::string::npos) << text.out;
}

// A manifest written before hark kept how each file was read (no map, source_option,
// channel_option) agrees with a state that has them empty.
TEST_F(VerifyTest, ManifestOfAnOlderHarkIsOk) {
  std::string index = Copy();
  const std::string path = index + "/gen-000001/manifest.json";
  nlohmann::json m = nlohmann::json::parse(ReadFile(path));
  for (nlohmann::json& src : m["sources"]) {
    for (const char* key : {"map", "source_option", "channel_option"}) src.erase(key);
  }
  std::ofstream(path) << m.dump(2);
  VerifyReport v = Verify(index);
  EXPECT_TRUE(v.problems.empty()) << Describe(v);
}

// (g) CURRENT naming a generation that does not exist; and no index at all.
TEST_F(VerifyTest, CurrentNamingNoGenerationIsReported) {
  std::string index = Copy();
  std::ofstream(index + "/CURRENT") << "gen-000009\n";
  VerifyReport v = Verify(index);
  EXPECT_EQ(v.problem_counts, (std::map<std::string, uint64_t>{{"current", 1}})) << Describe(v);
  EXPECT_EQ(v.problems[0].detail, "CURRENT names gen-000009, which does not exist in " + index);
  Proc text = RunHark({"verify", "--index", index});
  EXPECT_EQ(text.code, 1);
  EXPECT_NE(text.out.find("current: CURRENT names gen-000009, which does not exist"), std::string::npos) << text.out;
  Proc json = RunHark({"verify", "--index", index, "--format", "json"});
  EXPECT_EQ(json.code, 1);
  EXPECT_EQ(nlohmann::json::parse(json.out)["problems"][0]["kind"], "current");

  Proc none = RunHark({"verify", "--index", tmp_ / "nothing-here"});
  EXPECT_EQ(none.code, 1);
  EXPECT_TRUE(none.out.empty());
  EXPECT_NE(none.err.find("hark verify: no hark index at " + (tmp_ / "nothing-here")), std::string::npos) << none.err;
  VerifyReport report;
  EXPECT_EQ(VerifyIndex(tmp_ / "nothing-here", VerifyOptions(), &report).code(), Status::Code::kNotFound);
}

TEST_F(VerifyTest, UsageErrors) {
  EXPECT_EQ(RunHark({"verify", "--index", *clean_ / "index", "--format", "csv"}).code, 2);
  EXPECT_EQ(RunHark({"verify", "--index", *clean_ / "index", "--max-problems", "-1"}).code, 2);
  EXPECT_EQ(RunHark({"verify", "--index", *clean_ / "index", "--no-such-option"}).code, 2);
  Proc help = RunHark({"verify", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("usage: hark verify"), std::string::npos);
}

// --max-problems bounds the list, never the counts.
TEST_F(VerifyTest, MaxProblemsBoundsTheListOnly) {
  std::string index = Copy();
  {
    auto store = OpenStore(index);
    ASSERT_TRUE(store);
    rocksdb::WriteBatch b;
    for (uint64_t recno = 1; recno <= 30; ++recno) {
      Record r = Get(store.get(), recno);
      b.Delete(store->cf(Cf::kIds), schema::IdKey(r.source, r.id));
    }
    Write(store.get(), &b);
  }
  VerifyReport v = Verify(index, 4);
  EXPECT_EQ(v.problem_counts["id_missing"], 30u);
  EXPECT_EQ(v.problems.size(), 4u);
  EXPECT_EQ(v.problems[3].recno, 4u);
  nlohmann::json j = nlohmann::json::parse(RunHark({"verify", "--index", index, "--format", "json"}).out);
  EXPECT_EQ(j["problems"].size(), 20u);
  EXPECT_EQ(j["problem_counts"]["id_missing"], 30);
  EXPECT_EQ(j["problems_total"], 30);
}

// Records appended and never committed (the writer destroyed without Commit, as in a
// crash) are a warning, not a problem; the next writer rolls them back. A verify while a
// writer holds the index neither waits for it nor stops it from committing.
TEST_F(VerifyTest, UncommittedRecordsAreAWarning) {
  std::string index = Copy();
  auto records = [] {
    std::vector<Record> rs;
    for (int i = 0; i < 3; ++i) {
      Record r;
      r.source = "twcs";
      r.id = "uncommitted-" + std::to_string(i);
      r.time = 1509487847 + i;
      r.author = "someone";
      r.thread = r.id;
      r.text = "never committed";
      rs.push_back(r);
    }
    return rs;
  };
  {
    Result<std::unique_ptr<IndexWriter>> w = IndexWriter::Open(index, WriterOptions());
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    std::vector<Record> rs = records();
    ASSERT_TRUE((*w)->Append(&rs).ok());
    // A verify while the writer holds the lock: it runs, and names the writer.
    VerifyReport during = Verify(index);
    EXPECT_TRUE(during.ok()) << Describe(during);
    EXPECT_EQ(during.writer_pid, static_cast<int>(getpid()));
  }  // destroyed without Commit: RocksDB flushes the appended records on close
  VerifyReport v = Verify(index);
  EXPECT_TRUE(v.ok()) << Describe(v);
  EXPECT_EQ(v.records, 5000u);
  EXPECT_EQ(v.uncommitted, 3u);
  EXPECT_EQ(v.writer_pid, 0);
  ASSERT_FALSE(v.warnings.empty());
  EXPECT_EQ(v.warnings[0], "uncommitted records 5001..5003 (rolled back by the next writer)") << Describe(v);
  Proc text = RunHark({"verify", "--index", index});
  EXPECT_EQ(text.code, 0) << text.out;
  EXPECT_EQ(text.out.rfind("ok: 5000 records in both stores", 0), 0u) << text.out;
  EXPECT_NE(text.out.find("warning: uncommitted records 5001..5003 (rolled back by the next writer)"),
            std::string::npos)
      << text.out;

  // The next writer rolls them back; then it commits new records while verify runs.
  Result<std::unique_ptr<IndexWriter>> w = IndexWriter::Open(index, WriterOptions());
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  v = Verify(index);
  EXPECT_TRUE(v.ok()) << Describe(v);
  EXPECT_EQ(v.uncommitted, 0u);
  std::vector<Record> rs = records();
  ASSERT_TRUE((*w)->Append(&rs).ok());
  ASSERT_TRUE((*w)->Commit({}, nullptr).ok());
  w->reset();
  v = Verify(index);
  EXPECT_TRUE(v.ok()) << Describe(v);
  EXPECT_EQ(v.records, 5003u);
  EXPECT_EQ(v.uncommitted, 0u);
  // Committed through the API without a source file: the sources account for fewer.
  ASSERT_EQ(v.warnings.size(), 1u) << Describe(v);
  EXPECT_NE(v.warnings[0].find("the source files account for 5000 of the 5003 committed records"), std::string::npos);
}

// The writer counts a record under its sentiment class as stored (kept to 1e-4), as
// the recount and the text index's value see it: 0.04996 is stored as 0.0500, positive.
TEST(VerifySentiment, CountersClassifyTheStoredSentiment) {
  TempDir tmp;
  const std::string index = tmp / "index";
  {
    Result<std::unique_ptr<IndexWriter>> w = IndexWriter::Open(index, WriterOptions());
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    std::vector<Record> rs;
    for (double s : {0.04996, -0.04996, 0.04994, 0.5}) {
      Record r;
      r.source = "t";
      r.id = std::to_string(rs.size() + 1);
      r.time = 1509487847;
      r.text = "borderline";
      r.sentiment = s;
      rs.push_back(r);
    }
    ASSERT_TRUE((*w)->Append(&rs).ok());
    ASSERT_TRUE((*w)->Commit({}, nullptr).ok());
  }
  VerifyReport v = Verify(index);
  EXPECT_TRUE(v.ok()) << Describe(v);
  Result<std::unique_ptr<IndexReader>> reader = IndexReader::Open(index);
  ASSERT_TRUE(reader.ok());
  const int64_t day = 1509487847 / 86400;
  for (const auto& [series, n] : std::map<std::string, uint64_t>{
           {"sentiment:positive", 2}, {"sentiment:negative", 1}, {"sentiment:neutral", 1}}) {
    std::map<int64_t, uint64_t> counts;
    ASSERT_TRUE((*reader)->DailyCounts(series, day, day, &counts).ok());
    EXPECT_EQ(counts[day], n) << series;
  }
}

}  // namespace
}  // namespace hark
