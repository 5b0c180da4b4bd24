// hark trend on real and generated data: exact series against independent counts from
// the raw airline CSV (UTC days, local days with --tz, counters vs matches, weeks,
// hours), the airline cancellation storm found as a spike with sensible drivers, and on
// a generated corpus every planted spike found and none invented.
#include "query/trend.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "indexer/ingest.h"
#include "indexer/reader.h"
#include "storage/time_parse.h"
#include "tests/test_support.h"

namespace hark {
namespace {

using json = nlohmann::json;
using testing::TempDir;

json Trend(IndexReader& index, const TrendRequest& req) {
  std::ostringstream out;
  RenderOptions render;
  render.format = OutputFormat::kJson;
  Status s = RunTrend(index, req, render, out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return s.ok() ? json::parse(out.str()) : json();
}

std::map<std::string, uint64_t> Buckets(const json& series) {
  std::map<std::string, uint64_t> out;
  for (const json& b : series["buckets"]) out[b["start"].get<std::string>()] = b["count"].get<uint64_t>();
  return out;
}

// The airline tweets ingested through --map, and the raw rows (first of each id).
class AirlineTrend : public ::testing::Test {
 protected:
  struct Tweet {
    std::string airline, text, local_date;  // local date as written (-0800)
    int64_t utc = 0;
  };

  static void SetUpTestSuite() {
    std::string dir = testing::SharedCorporaDir();
    if (dir.empty()) return;
    std::string path = dir + "/airline-sentiment-tweets/Tweets.csv";
    auto rows = testing::ReadCsvForTest(path);
    std::set<std::string> ids;
    for (size_t i = 1; i < rows.size(); ++i) {
      if (!ids.insert(rows[i][0]).second) continue;
      Tweet t;
      t.airline = rows[i][5];
      t.text = rows[i][10];
      const std::string& c = rows[i][12];  // "2015-02-24 11:35:52 -0800"
      t.local_date = c.substr(0, 10);
      int64_t local = DaysFromCivil(std::stoi(c.substr(0, 4)), std::stoi(c.substr(5, 2)), std::stoi(c.substr(8, 2))) *
                          86400 +
                      std::stoi(c.substr(11, 2)) * 3600 + std::stoi(c.substr(14, 2)) * 60 + std::stoi(c.substr(17, 2));
      int offset = (std::stoi(c.substr(21, 2)) * 3600 + std::stoi(c.substr(23, 2)) * 60) * (c[20] == '-' ? -1 : 1);
      t.utc = local - offset;
      tweets_.push_back(t);
    }
    tmp_ = new TempDir();
    IngestOptions opts;
    opts.index_dir = *tmp_ / "idx";
    opts.files = {path};
    opts.progress = Progress::Mode::kOff;
    opts.format = Format::kCsv;
    opts.reader.map = ParseFieldMap("id=tweet_id,time=tweet_created,text=text,author=name,brand=airline").value();
    Result<IngestReport> r = RunIngest(opts);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    index_ = IndexReader::Open(*tmp_ / "idx").value().release();
  }
  static void TearDownTestSuite() {
    delete index_;
    delete tmp_;
  }
  void SetUp() override {
    HARK_REQUIRE_CORPUS(p, "airline-sentiment-tweets/Tweets.csv");
    (void)p;
  }

  // Whole-word, case-insensitive occurrence, as Xapian's term generator splits words.
  static bool HasWord(const std::string& text, const std::string& word) {
    std::regex re("(^|[^A-Za-z0-9_])" + word + "($|[^A-Za-z0-9_])", std::regex::icase);
    return std::regex_search(text, re);
  }
  static std::string UtcDate(int64_t t) { return FormatDate(t); }

  static inline std::vector<Tweet> tweets_;
  static inline TempDir* tmp_ = nullptr;
  static inline IndexReader* index_ = nullptr;
};

TEST_F(AirlineTrend, QuerySeriesByUtcDayEqualsRawCount) {
  std::map<std::string, uint64_t> expected;
  int64_t first = INT64_MAX, last = INT64_MIN;
  for (const Tweet& t : tweets_) {
    first = std::min(first, t.utc), last = std::max(last, t.utc);
    if (HasWord(t.text, "cancelled")) ++expected[UtcDate(t.utc)];
  }
  TrendRequest req;
  req.queries = {"Cancelled"};  // capitalised: the unstemmed word, as the raw count sees it
  json j = Trend(*index_, req);
  ASSERT_EQ(j["series"].size(), 1u);
  const json& s = j["series"][0];
  EXPECT_EQ(s["source"], "matches");
  std::map<std::string, uint64_t> got = Buckets(s);
  // Every day from the first to the last message is present, empty ones as zero.
  EXPECT_EQ(got.size(), static_cast<size_t>(last / 86400 - first / 86400 + 1));
  for (auto& [day, n] : got) {
    if (n == 0) continue;
    EXPECT_EQ(n, expected[day]) << day;
  }
  for (auto& [day, n] : expected) EXPECT_EQ(got[day], n) << day;
}

TEST_F(AirlineTrend, LocalDaysWithTzEqualTheDatesAsWritten) {
  // The tweets carry -0800: in America/Los_Angeles (PST in February) the local date is
  // the one written in the CSV.
  std::map<std::string, uint64_t> expected;
  for (const Tweet& t : tweets_) ++expected[t.local_date];
  TrendRequest req;
  req.tz = "America/Los_Angeles";
  json j = Trend(*index_, req);
  std::map<std::string, uint64_t> got = Buckets(j["series"][0]);
  EXPECT_EQ(j["series"][0]["source"], "matches");  // counters are UTC days
  EXPECT_EQ(got, expected);
}

TEST_F(AirlineTrend, BrandSeriesFromCountersEqualRawByDayAndWeek) {
  std::map<std::string, uint64_t> by_day, by_week;
  for (const Tweet& t : tweets_) {
    if (t.airline != "Delta" && t.airline != "United") continue;
    ++by_day[UtcDate(t.utc)];
    // ISO weeks start on Monday; 2015-02-16 was a Monday.
    ++by_week[t.utc < DaysFromCivil(2015, 2, 23) * 86400 ? "2015-02-16" : "2015-02-23"];
  }
  TrendRequest req;
  req.brands = {"delta", "UNITED"};
  json j = Trend(*index_, req);
  EXPECT_EQ(j["series"][0]["source"], "counters");
  std::map<std::string, uint64_t> got = Buckets(j["series"][0]);
  for (auto& [day, n] : by_day) EXPECT_EQ(got[day], n) << day;
  uint64_t total = 0;
  for (auto& [day, n] : got) total += n;
  EXPECT_EQ(total, j["series"][0]["total"].get<uint64_t>());

  req.by = BucketUnit::kWeek;
  json weeks = Trend(*index_, req);
  EXPECT_EQ(Buckets(weeks["series"][0]), by_week);

  // The same series from the match set (a query that matches everything of theirs).
  req.by = BucketUnit::kDay;
  req.channels = {"x"};  // brand and channel together: no counter series answers
  EXPECT_EQ(Trend(*index_, req)["series"][0]["source"], "matches");
  EXPECT_EQ(Trend(*index_, req)["series"][0]["total"], 0);
}

// Sentiment classes: each series from the counters equals the one counted from the
// match set (a pure NOT query forces that path), and the three add up to every message.
TEST_F(AirlineTrend, SentimentSeriesFromCountersEqualMatches) {
  TrendRequest all;
  json every = Trend(*index_, all);
  std::map<std::string, uint64_t> sum;
  for (const char* c : {"positive", "neutral", "negative"}) {
    TrendRequest req;
    req.sentiments = {c};
    json counters = Trend(*index_, req);
    req.queries = {"NOT qqqxqq"};
    json matches = Trend(*index_, req);
    EXPECT_EQ(counters["series"][0]["source"], "counters");
    EXPECT_EQ(matches["series"][0]["source"], "matches");
    EXPECT_EQ(Buckets(counters["series"][0]), Buckets(matches["series"][0])) << c;
    EXPECT_GT(counters["series"][0]["total"].get<uint64_t>(), 1000u) << c;
    for (const auto& [day, n] : Buckets(counters["series"][0])) sum[day] += n;
  }
  EXPECT_EQ(sum, Buckets(every["series"][0]));
  TrendRequest bad;
  bad.sentiments = {"grumpy"};
  std::ostringstream out;
  Status s = RunTrend(*index_, bad, RenderOptions(), out);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("'grumpy'"), std::string::npos);
}

TEST_F(AirlineTrend, HourlySeriesAddUpAndSeveralQueriesShareBuckets) {
  TrendRequest req;
  req.by = BucketUnit::kHour;
  req.queries = {"", "Cancelled", "delayed"};
  json j = Trend(*index_, req);
  ASSERT_EQ(j["series"].size(), 3u);
  EXPECT_EQ(j["series"][0]["total"].get<uint64_t>(), tweets_.size());
  EXPECT_EQ(j["series"][0]["buckets"].size(), j["series"][2]["buckets"].size());
  EXPECT_EQ(j["series"][0]["buckets"][0]["start"].get<std::string>().back(), 'Z');
}

// The storm of 22-23 February 2015 (flights cancelled around Dallas): by day against
// the five days before, 2/22 is a spike driven by cancellations and hours on hold, and
// 2/23 one driven by JetBlue's viral "Our fleet's on fleek" tweet; no other day is.
TEST_F(AirlineTrend, CancellationStormIsASpikeWithSensibleDrivers) {
  TrendRequest req;
  req.spikes = true;
  req.spike.window = 5;
  json j = Trend(*index_, req);
  ASSERT_TRUE(j.contains("spikes"));
  EXPECT_EQ(j["spike_method"]["min_history"], 5);
  std::map<std::string, std::set<std::string>> drivers;
  std::map<std::string, uint64_t> series = Buckets(j["series"][0]);
  for (const json& s : j["spikes"]) {
    std::string day = s["start"];
    EXPECT_EQ(s["count"].get<uint64_t>(), series[day]) << day;
    EXPECT_GT(s["count"].get<double>(), 1.5 * s["baseline"].get<double>());
    double last_llr = 1e300;
    for (const json& t : s["terms"]) {
      drivers[day].insert(t["term"].get<std::string>());
      EXPECT_GT(t["count"].get<uint64_t>(), 0u);
      EXPECT_GE(t["llr"].get<double>(), 10.83);
      EXPECT_LE(t["llr"].get<double>(), last_llr);
      last_llr = t["llr"].get<double>();
    }
    EXPECT_FALSE(s["authors"].empty());
    ASSERT_FALSE(s["examples"].empty());
    // Examples hold the strongest driver.
    std::string top = s["terms"][0]["term"];
    for (const json& e : s["examples"]) {
      std::string text = e["text"];
      for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      EXPECT_NE(text.find(top), std::string::npos) << top << " / " << text;
    }
  }
  std::set<std::string> days;
  for (const auto& [day, terms] : drivers) days.insert(day);
  EXPECT_EQ(days, (std::set<std::string>{"2015-02-22", "2015-02-23"})) << j["spikes"].dump(1).substr(0, 3000);
  EXPECT_TRUE(drivers["2015-02-22"].count("cancelled")) << j["spikes"][0]["terms"].dump();
  EXPECT_TRUE(drivers["2015-02-22"].count("cancelled flightled"));
  EXPECT_TRUE(drivers["2015-02-22"].count("hold"));
  EXPECT_TRUE(drivers["2015-02-23"].count("fleek"));
}

// Hour by hour, the messages saying "cancelled" spike through the storm and at no
// other time.
TEST_F(AirlineTrend, CancelledHourlySpikesFallInTheStorm) {
  TrendRequest req;
  req.by = BucketUnit::kHour;
  req.queries = {"cancelled"};
  req.spikes = true;
  json j = Trend(*index_, req);
  EXPECT_EQ(j["spike_method"]["window"], 168);
  EXPECT_EQ(j["spike_method"]["min_history"], 24);
  size_t in_storm = 0;
  for (const json& s : j["spikes"]) {
    std::string start = s["start"];
    EXPECT_GE(start, "2015-02-21T12:00Z");
    EXPECT_LT(start, "2015-02-24");
    in_storm += start >= "2015-02-22";
    EXPECT_LE(s["p_value"].get<double>(), 1e-6);
  }
  EXPECT_GE(in_storm, 5u) << j["spikes"].dump(1).substr(0, 2000);
  std::printf("airline storm: %zu hourly 'cancelled' spikes, %zu on 22-23 February\n", j["spikes"].size(), in_storm);
}

TEST_F(AirlineTrend, RisingTermsBetweenTwoPeriods) {
  TrendRequest req;
  req.rising = true;
  req.from = DaysFromCivil(2015, 2, 22) * 86400;
  req.to = DaysFromCivil(2015, 2, 23) * 86400 + 86399;
  req.vs_from = DaysFromCivil(2015, 2, 17) * 86400;
  req.vs_to = DaysFromCivil(2015, 2, 20) * 86400 + 86399;
  json j = Trend(*index_, req);
  const json& r = j["rising"];
  uint64_t now = 0, before = 0;
  for (const Tweet& t : tweets_) {
    now += t.utc >= *req.from && t.utc <= *req.to;
    before += t.utc >= *req.vs_from && t.utc <= *req.vs_to;
  }
  EXPECT_EQ(r["period"]["messages"].get<uint64_t>(), now);
  EXPECT_EQ(r["vs"]["messages"].get<uint64_t>(), before);
  ASSERT_FALSE(r["terms"].empty());
  double last_llr = 1e300;
  for (const json& t : r["terms"]) {
    EXPECT_GT(t["share"].get<double>(), t["vs_share"].get<double>()) << t.dump();
    EXPECT_LE(t["llr"].get<double>(), last_llr);
    last_llr = t["llr"].get<double>();
  }
  // A rising word's counts are exact: recount one independently.
  const json& top = r["terms"][0];
  std::string term = top["term"];
  if (term.find(' ') == std::string::npos && term.find('\'') == std::string::npos) {
    uint64_t n = 0;
    for (const Tweet& t : tweets_) n += t.utc >= *req.from && t.utc <= *req.to && HasWord(t.text, term);
    EXPECT_EQ(top["count"].get<uint64_t>(), n) << term;
  }
}

TEST_F(AirlineTrend, BadArguments) {
  TrendRequest req;
  req.tz = "Mars/Olympus_Mons";
  std::ostringstream out;
  RenderOptions render;
  Status s = RunTrend(*index_, req, render, out);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("Mars/Olympus_Mons"), std::string::npos) << s.message();
  req.tz = "UTC";
  req.queries = {"\"unbalanced"};
  req.rising = false;
  s = RunTrend(*index_, req, render, out);
  EXPECT_TRUE(s.ok() || s.code() == Status::Code::kInvalidArgument);
  req.queries = {};
  req.rising = true;  // no periods
  s = RunTrend(*index_, req, render, out);
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
}

// ---------------------------------------------------------------------------------------
// Generated corpus: every planted spike found, none invented.

TEST(GeneratedTrend, PlantedSpikesFoundNoneInvented) {
  TempDir dir;
  std::string gen = std::string(HARK_BINARY_DIR) + "/tools/hark-gen";
  std::string cmd = gen + " --messages 200000 --seed 3 --out " + (dir / "c.jsonl") + " --truth " +
                    (dir / "truth.json") + " 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  json truth = json::parse(std::ifstream(dir / "truth.json"));
  IngestOptions opts;
  opts.index_dir = dir / "idx";
  opts.files = {dir / "c.jsonl"};
  opts.progress = Progress::Mode::kOff;
  ASSERT_TRUE(RunIngest(opts).ok());
  auto index = IndexReader::Open(dir / "idx").value();

  // Planted: brand -> days of its spikes, and each spike's terms.
  std::map<std::string, std::map<std::string, const json*>> planted;
  for (const json& s : truth["spikes"]) {
    for (auto& [day, n] : s["brand_messages_by_day"].items()) planted[s["brand"]][day] = &s;
  }
  size_t spikes_planted = truth["spikes"].size(), spikes_found = 0, days_flagged = 0, days_true = 0;
  std::set<const json*> found;
  for (const json& b : truth["brands"]) {
    std::string brand = b["name"];
    TrendRequest req;
    req.brands = {brand};
    req.spikes = true;
    json j = Trend(*index, req);
    EXPECT_EQ(j["series"][0]["source"], "counters");
    for (const json& s : j["spikes"]) {
      std::string day = s["start"];
      ++days_flagged;
      auto it = planted[brand].find(day);
      if (it == planted[brand].end()) {
        ADD_FAILURE() << "invented spike: " << brand << " " << day << " count " << s["count"] << " baseline "
                      << s["baseline"] << " score " << s["score"] << " conversations " << s["conversations"] << " vs "
                      << s["conversations_baseline"] << " p " << s["p_value"];
        continue;
      }
      ++days_true;
      std::printf("  planted %s %s: count %llu baseline %.1f score %.1f, conversations %llu vs %.1f p %.1e\n",
                  brand.c_str(), day.c_str(), s["count"].get<unsigned long long>(), s["baseline"].get<double>(),
                  s["score"].get<double>(), s["conversations"].get<unsigned long long>(), s["conversations_baseline"].get<double>(),
                  s["p_value"].get<double>());
      // A planted term drives it.
      std::set<std::string> terms;
      for (const json& t : s["terms"]) terms.insert(t["term"].get<std::string>());
      bool driven = false;
      for (const json& t : (*it->second)["terms"]) driven |= terms.count(t.get<std::string>()) > 0;
      EXPECT_TRUE(driven) << brand << " " << day << ": " << s["terms"].dump();
      found.insert(it->second);
    }
  }
  spikes_found = found.size();
  std::printf("generated spikes: planted %zu, found %zu (recall %.3f); flagged days %zu, true %zu (precision %.3f)\n",
              spikes_planted, spikes_found, double(spikes_found) / spikes_planted, days_flagged, days_true,
              days_flagged ? double(days_true) / days_flagged : 1.0);
  EXPECT_EQ(spikes_found, spikes_planted);
  EXPECT_EQ(days_true, days_flagged);
}

}  // namespace
}  // namespace hark
