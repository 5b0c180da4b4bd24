// hark's text layout (schema::kTextLayout: no termlists, Z stems only where a word's stem
// differs, synonyms Z<w> -> <w>) must find exactly what stock Xapian finds. Each test
// ingests real messages with hark, writes the same records with stock Xapian
// (BuildStockXapian: STEM_SOME, termlists), and compares every match of each query.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "indexer/ingest.h"
#include "storage/index.h"
#include "storage/text_ceiling.h"
#include "storage/text_index.h"
#include "storage/time_parse.h"
#include "tests/test_support.h"

namespace hark {
namespace {

using testing::TempDir;

const std::string kSample = std::string(HARK_SOURCE_DIR) + "/corpora/twcs-head-5k.csv";

class LayoutPair {
 public:
  // Ingests `files` into DIR/hark and writes the same records with stock Xapian to DIR/stock.
  void Build(const TempDir& dir, const std::vector<std::string>& files) {
    IngestOptions o;
    o.index_dir = dir / "hark";
    o.files = files;
    o.threads = 2;
    o.progress = Progress::Mode::kOff;
    Result<IngestReport> r = RunIngest(o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    Result<std::unique_ptr<IndexReader>> reader = IndexReader::Open(dir / "hark");
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    hark_ = std::move(*reader);
    std::vector<uint64_t> recnos;
    for (uint64_t i = 1; i <= hark_->state().records; ++i) recnos.push_back(i);
    ASSERT_TRUE(hark_->GetMany(recnos, &records_).ok());
    CeilingStats stats;
    ASSERT_TRUE(BuildStockXapian(records_, 2, dir / "stock", &stats).ok());
    Result<std::unique_ptr<internal::TextSearcher>> stock = internal::TextSearcher::Open(dir / "stock");
    ASSERT_TRUE(stock.ok()) << stock.status().ToString();
    stock_ = std::move(*stock);
  }

  // Every word of the records' texts and titles (lower-case ASCII letters), by frequency;
  // not the query operators (a lone "or" is a syntax error).
  std::vector<std::string> Words() const {
    std::map<std::string, int> freq;
    for (const Record& r : records_) {
      std::string word;
      for (const std::string* text : {&r.title, &r.text}) {
        for (char c : *text + " ") {
          if (std::isalpha(static_cast<unsigned char>(c))) {
            word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
          } else if (!word.empty()) {
            ++freq[word];
            word.clear();
          }
        }
      }
    }
    std::vector<std::pair<int, std::string>> by_freq;
    for (const auto& [w, n] : freq) {
      if (w != "and" && w != "or" && w != "not" && w != "xor" && w != "near" && w != "adj") by_freq.emplace_back(-n, w);
    }
    std::sort(by_freq.begin(), by_freq.end());
    std::vector<std::string> out;
    for (const auto& [n, w] : by_freq) out.push_back(w);
    return out;
  }

  // The recnos each side matches for `query` (they must both parse it).
  void Expect(const std::string& query, uint64_t* matched) {
    SearchRequest req;
    req.query = query;
    std::vector<MatchRow> a, b;
    ASSERT_TRUE(hark_->CollectMatches(req, &a).ok()) << query;
    ASSERT_TRUE(stock_->Collect(req, &b).ok()) << query;
    std::vector<uint64_t> ra, rb;
    for (const MatchRow& m : a) ra.push_back(m.recno);
    for (const MatchRow& m : b) rb.push_back(m.recno);
    EXPECT_EQ(ra, rb) << "query '" << query << "': hark " << ra.size() << " matches, stock Xapian " << rb.size();
    *matched += ra.size();
  }

  // Matches of `query` (or `req`) on the hark side; for a request, CollectMatches and an
  // exact Search must agree.
  uint64_t Count(const std::string& query) {
    SearchRequest req;
    req.query = query;
    return Count(req);
  }
  uint64_t Count(const SearchRequest& req) {
    std::vector<MatchRow> rows;
    EXPECT_TRUE(hark_->CollectMatches(req, &rows).ok()) << req.query;
    SearchRequest exact = req;
    exact.exact = true;
    Result<SearchResponse> resp = hark_->Search(exact);
    EXPECT_TRUE(resp.ok()) << resp.status().ToString();
    if (resp.ok()) {
      EXPECT_EQ(resp->total, rows.size()) << req.query;
    }
    return rows.size();
  }

  std::vector<Record> records_;

 private:
  std::unique_ptr<IndexReader> hark_;
  std::unique_ptr<internal::TextSearcher> stock_;
};

// Queries over the words of the messages: each of the 400 most frequent and every 7th of
// the rest, as typed, capitalised (not stemmed by the parser), in title:, two at a time,
// as phrases, with wildcards and filters, and inflections that the parser stems.
void CompareQueries(LayoutPair* pair) {
  const std::vector<std::string> words = pair->Words();
  ASSERT_GT(words.size(), 500u);
  std::vector<std::string> queries = {"cancel",         "cancelled",          "cancels",      "cancelling",
                                      "flights",        "flight",             "refund",       "refunds",
                                      "charged",        "Charges",            "help",         "my account",
                                      "\"customer service\"", "delay*",       "refund NOT flight",
                                      "cancel OR refund", "wait NEAR hours",  "title:beer",   "title:beers",
                                      "brewing",        "brewed",             "brews",        "sour beers",
                                      "role:agent thanks", "date:2017 help",  "2fa",          "100",
                                      "running",        "ran",                "runs"};
  for (size_t i = 0; i < words.size(); ++i) {
    if (i >= 400 && i % 7 != 0) continue;
    const std::string& w = words[i];
    queries.push_back(w);
    if (i % 5 == 0) {
      std::string cap = w;
      cap[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(cap[0])));
      queries.push_back(cap);
      queries.push_back("title:" + w);
    }
    if (i + 1 < words.size() && i % 3 == 0) {
      queries.push_back(w + " " + words[i + 1]);
      queries.push_back("\"" + w + " " + words[i + 1] + "\"");
    }
    if (i % 11 == 0 && w.size() > 3) queries.push_back(w.substr(0, 3) + "*");
    if (i % 13 == 0) queries.push_back(w + "s");
    if (i % 17 == 0) queries.push_back(w + "ing");
  }
  uint64_t matched = 0;
  for (const std::string& q : queries) pair->Expect(q, &matched);
  std::printf("compared %zu queries, %llu matches in all\n", queries.size(), static_cast<unsigned long long>(matched));
  EXPECT_GT(matched, 10000u);
}

TEST(TextLayout, SameMatchesAsStockXapianOnCustomerCareTweets) {
  TempDir tmp;
  LayoutPair pair;
  pair.Build(tmp, {kSample});
  if (HasFatalFailure()) return;
  CompareQueries(&pair);
}

// BuildText merges chunks in groups while others are still being built (groups of
// max(100, sqrt(chunks)), the last one left to the final merge): many small chunks, with
// 2 threads and with 1, must give the database one chunk gives, down to every match and
// the weights of the top hits.
TEST(TextLayout, ChunksMergedInGroupsGiveTheSameDatabase) {
  TempDir tmp;
  LayoutPair pair;
  pair.Build(tmp, {kSample});
  if (HasFatalFailure()) return;
  const std::vector<Record>& records = pair.records_;
  // Builds records first..last (0: the last record) on top of old_dir ("" for none).
  auto build = [&](const std::string& name, uint64_t chunk_records, int threads, int shards, uint64_t first = 1,
                   uint64_t last = 0, const std::string& old_dir = "") {
    internal::TextBuildPlan plan;
    plan.old_dir = old_dir;
    plan.new_dir = tmp / name;
    plan.work_dir = tmp / (name + "-work");
    plan.first = first;
    plan.last = last == 0 ? records.size() : last;
    plan.threads = threads;
    plan.shards = shards;
    plan.chunk_records = chunk_records;
    CommitStats stats;
    Status s = internal::BuildText(
        plan,
        [&](uint64_t lo, uint64_t hi, const std::function<void(const Record&)>& fn) {
          for (uint64_t r = lo; r <= hi; ++r) fn(records[r - 1]);
          return Status::Ok();
        },
        nullptr, &stats);
    EXPECT_TRUE(s.ok()) << s.ToString();
    const uint64_t n = plan.last - first + 1;
    EXPECT_EQ(stats.chunks, (n + chunk_records - 1) / chunk_records * shards) << name;
    EXPECT_EQ(internal::TextShards(plan.new_dir), shards) << name;
    for (int i = 0; i < shards && shards > 1; ++i) {
      EXPECT_TRUE(std::filesystem::exists(plan.new_dir + "/shard-" + std::to_string(i) + "/iamglass")) << name;
    }
    EXPECT_FALSE(std::filesystem::exists(plan.work_dir)) << "chunks and groups are removed";
    Result<std::unique_ptr<internal::TextSearcher>> db = internal::TextSearcher::Open(plan.new_dir);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(*db) : nullptr;
  };
  ASSERT_GT(records.size(), 4000u);
  std::unique_ptr<internal::TextSearcher> one = build("one-chunk", 1000000, 2, 1);
  // 5,000 records in chunks of 23: 218 chunks in 3 groups (2 of 100 merged early).
  std::unique_ptr<internal::TextSearcher> serial = build("grouped-1-thread", 23, 1, 1);
  // Two shards of 218 chunks each (chunks of 23 records, 11 or 12 per shard), 2 groups of
  // 100 merged early; three shards of 50 chunks.
  std::unique_ptr<internal::TextSearcher> two = build("grouped-2-shards", 23, 2, 2);
  std::unique_ptr<internal::TextSearcher> three = build("grouped-3-shards", 100, 2, 3);
  // Two shards built in two runs: the second adds to the first's shards (its shard count,
  // whatever the plan says).
  build("first-run", 50, 2, 2, 1, 2345);
  std::unique_ptr<internal::TextSearcher> appended = build("second-run", 50, 1, 2, 2346, 0, tmp / "first-run");
  ASSERT_TRUE(one && serial && two && three && appended);

  const std::vector<std::string> words = pair.Words();
  std::vector<std::string> queries = {"\"customer service\"", "wait NEAR hours", "refund NOT flight", "delay*",
                                      "role:agent thanks", "date:2017 help"};
  for (size_t i = 0; i + 1 < words.size() && i < 300; ++i) {
    queries.push_back(words[i]);
    if (i % 4 == 0) queries.push_back("\"" + words[i] + " " + words[i + 1] + "\"");
  }
  auto fetch = [&](uint64_t recno) -> Result<Record> { return records[recno - 1]; };
  uint64_t matched = 0;
  for (internal::TextSearcher* other : {serial.get(), two.get(), three.get(), appended.get()}) {
    EXPECT_EQ(other->doc_count(), one->doc_count());
    EXPECT_EQ(other->term_count(), one->term_count());
    for (const std::string& q : queries) {
      SearchRequest req;
      req.query = q;
      std::vector<MatchRow> a, b;
      ASSERT_TRUE(one->Collect(req, &a).ok()) << q;
      ASSERT_TRUE(other->Collect(req, &b).ok()) << q;
      ASSERT_EQ(a.size(), b.size()) << q;
      for (size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a[i].recno, b[i].recno) << q;
        ASSERT_EQ(a[i].time, b[i].time) << q;
        ASSERT_EQ(a[i].author, b[i].author) << q;
        ASSERT_EQ(a[i].thread, b[i].thread) << q;
        ASSERT_EQ(a[i].role, b[i].role) << q;
      }
      matched += a.size();
      req.limit = 10;
      req.exact = true;
      if (q.size() % 5 == 0) req.facets = {"author", "brand", "role"};
      Result<SearchResponse> ra = one->Search(req, fetch), rb = other->Search(req, fetch);
      ASSERT_TRUE(ra.ok() && rb.ok()) << q;
      EXPECT_EQ(ra->total, rb->total) << q;
      EXPECT_EQ(ra->facets, rb->facets) << q;
      ASSERT_EQ(ra->hits.size(), rb->hits.size()) << q;
      // A wildcard's weight uses an estimate of how many documents its expansion matches,
      // which Xapian makes shard by shard: the matches agree (above), the weights do not.
      if (q.find('*') != std::string::npos && other != serial.get()) continue;
      for (size_t i = 0; i < ra->hits.size(); ++i) {
        EXPECT_EQ(ra->hits[i].record.recno, rb->hits[i].record.recno) << q << " hit " << i;
        EXPECT_DOUBLE_EQ(ra->hits[i].weight, rb->hits[i].weight) << q << " hit " << i;
      }
    }
  }
  EXPECT_GT(matched, 20000u);
}

// date: reads the month terms and, for a day, the time value: every UTC day, month and
// year of the messages matches exactly the messages of that day, counted from their times.
TEST(TextLayout, DateFieldCountsEveryDayMonthAndYear) {
  TempDir tmp;
  LayoutPair pair;
  pair.Build(tmp, {kSample});
  if (HasFatalFailure()) return;
  std::map<std::string, uint64_t> expected;
  for (const Record& r : pair.records_) {
    const std::string day = FormatDate(r.time);  // YYYY-MM-DD, UTC
    ++expected[day];
    ++expected[day.substr(0, 7)];
    ++expected[day.substr(0, 4)];
  }
  ASSERT_GT(expected.size(), 20u);
  for (const auto& [date, n] : expected) EXPECT_EQ(pair.Count("date:" + date), n) << date;
  EXPECT_EQ(pair.Count("date:2017-02-30"), 0u);
  EXPECT_EQ(pair.Count("date:2017-13"), 0u);
  EXPECT_EQ(pair.Count("date:1999"), 0u);
}

// Time ranges (--from/--to, and a..b in the query) read whole months from the month
// terms and cut months from the time value (TimeFilter in storage/text_index.cc): over two
// years of generated messages, ranges inside a day, across month and year boundaries,
// over 12 months (the time value alone), whole months and one-sided ranges each match
// exactly the messages whose time is in range, counted from the records.
TEST(TextLayout, TimeRangesMatchExactlyTheMessagesInRange) {
  TempDir tmp;
  const std::string corpus = tmp / "gen.jsonl";
  const std::string gen = std::string(HARK_BINARY_DIR) + "/tools/hark-gen";
  ASSERT_EQ(std::system((gen + " --messages 6000 --seed 3 --out " + corpus + " >/dev/null").c_str()), 0);
  LayoutPair pair;
  pair.Build(tmp, {corpus});
  if (HasFatalFailure()) return;
  const auto [lo, hi] = std::minmax_element(pair.records_.begin(), pair.records_.end(),
                                           [](const Record& a, const Record& b) { return a.time < b.time; });
  const int64_t first = lo->time, last = hi->time;
  ASSERT_GT(last - first, 700 * 86400);  // two years: ranges over 12 months exist
  auto t = [](const char* iso) {
    int64_t v = 0;
    std::string error;
    EXPECT_TRUE(ParseTime(iso, &v, &error)) << error;
    return v;
  };
  std::vector<std::pair<std::optional<int64_t>, std::optional<int64_t>>> ranges = {
      {t("2016-03-01T00:00:00Z"), t("2016-03-31T23:59:59Z")},  // one whole month
      {t("2016-03-01T00:00:00Z"), t("2016-03-31T23:59:58Z")},  // the same less its last second
      {t("2016-02-10T12:00:00Z"), t("2016-02-10T18:30:00Z")},  // inside a day
      {t("2016-04-01T06:00:00Z"), t("2016-06-30T23:59:59Z")},  // a month less its first hours
      {t("2016-11-20T00:00:00Z"), t("2017-02-03T06:00:00Z")},  // across a year
      {t("2016-01-01T00:00:00Z"), t("2016-12-31T23:59:59Z")},  // twelve whole months
      {t("2016-01-15T00:00:00Z"), t("2017-06-15T00:00:00Z")},  // 18 months: the value alone
      {t("2017-07-04T00:00:00Z"), std::nullopt},               // from only
      {std::nullopt, t("2016-05-05T05:05:05Z")},               // to only
      {t("2017-03-01T00:00:00Z"), t("2016-03-01T00:00:00Z")},  // empty
      {last + 1, std::nullopt},                                 // after the last message
  };
  std::mt19937_64 rng(11);
  for (int i = 0; i < 40; ++i) {  // random ends within the corpus, either order of size
    std::uniform_int_distribution<int64_t> at(first - 86400, last + 86400);
    int64_t a = at(rng), b = at(rng);
    if (a > b) std::swap(a, b);
    if (i % 2 == 0) b = std::min(b, a + std::uniform_int_distribution<int64_t>(0, 40 * 86400)(rng));
    ranges.emplace_back(a, b);
  }
  for (const auto& [from, to] : ranges) {
    uint64_t expected = 0;
    for (const Record& r : pair.records_) expected += (!from || r.time >= *from) && (!to || r.time <= *to);
    SearchRequest req;
    req.from = from;
    req.to = to;
    const std::string label = (from ? FormatTime(*from) : "") + ".." + (to ? FormatTime(*to) : "");
    EXPECT_EQ(pair.Count(req), expected) << label;
    if (from && to && *from <= *to) {  // the same range typed into the query
      EXPECT_EQ(pair.Count(FormatTime(*from) + ".." + FormatTime(*to)), expected) << label;
    }
  }
}

TEST(TextLayout, SameMatchesAsStockXapianOnStackExchangePosts) {
  HARK_REQUIRE_CORPUS(posts, "stackexchange-beer/Posts.xml");
  TempDir tmp;
  LayoutPair pair;
  pair.Build(tmp, {posts});
  if (HasFatalFailure()) return;
  CompareQueries(&pair);
}

}  // namespace
}  // namespace hark
