// CLI tests: the real `hark` binary run as a subprocess, the way a user runs it, on the
// bundled sample corpus and on small files written here. Asserts exit codes, messages
// and the JSON/CSV contracts.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "test_support.h"

namespace hark {
namespace {

using testing::Proc;
using testing::TempDir;
using testing::HarkCommandLine;
using testing::RunShell;

const std::string kSample = std::string(HARK_SOURCE_DIR) + "/corpora/twcs-head-5k.csv";

class CliTest : public ::testing::Test {
 protected:
  TempDir tmp_;
  std::string index_ = tmp_ / "index";
  Proc H(std::vector<std::string> args) { return testing::RunHark(args); }
};

// The README's command A, step by step: ingest the bundled sample, then real queries.
TEST_F(CliTest, QuickStartIngestSearchThread) {
  Proc ingest = H({"ingest", "--index", index_, "--stats-json", tmp_ / "stats.json", kSample});
  ASSERT_EQ(ingest.code, 0) << ingest.err;
  EXPECT_NE(ingest.out.find("5000 indexed, 0 duplicates, 0 rejected"), std::string::npos) << ingest.out;
  EXPECT_NE(ingest.out.find("docs/s"), std::string::npos);
  std::ifstream stats_file(tmp_ / "stats.json");
  nlohmann::json stats = nlohmann::json::parse(stats_file);
  EXPECT_EQ(stats["read"], 5000);
  EXPECT_EQ(stats["indexed"], 5000);
  EXPECT_EQ(stats["duplicates"], 0);
  EXPECT_EQ(stats["rejected"], 0);
  EXPECT_EQ(stats["exit_code"], 0);
  EXPECT_GT(stats["docs_per_second"].get<double>(), 0);
  EXPECT_EQ(stats["files"][0]["format"], "twcs");

  Proc search = H({"search", "--index", index_, "refund", "--brand", "AmazonHelp", "--facets", "role",
                  "--limit", "3", "--format", "json"});
  ASSERT_EQ(search.code, 0) << search.err;
  nlohmann::json j = nlohmann::json::parse(search.out);
  ASSERT_EQ(j["hits"].size(), 3u);
  for (const auto& hit : j["hits"]) {
    for (const char* key : {"id", "source", "time", "author", "role", "brand", "channel", "thread", "text", "snippet"}) {
      EXPECT_TRUE(hit.contains(key)) << key;
    }
    EXPECT_EQ(hit["brand"], "AmazonHelp");
    EXPECT_NE(hit["snippet"].get<std::string>().find("<b>refund"), std::string::npos) << hit["snippet"];
    EXPECT_EQ(hit["time"].get<std::string>().back(), 'Z');
  }
  uint64_t facet_sum = 0;
  for (const auto& f : j["facets"]["role"]) facet_sum += f["count"].get<uint64_t>();
  EXPECT_EQ(facet_sum, j["total"].get<uint64_t>());
  EXPECT_TRUE(j["exact"].get<bool>());

  Proc thread = H({"thread", "--index", index_, "8", "--format", "json"});
  ASSERT_EQ(thread.code, 0) << thread.err;
  nlohmann::json t = nlohmann::json::parse(thread.out);
  std::vector<std::string> ids;
  for (const auto& m : t["messages"]) ids.push_back(m["id"]);
  EXPECT_EQ(ids, (std::vector<std::string>{"8", "6", "5", "4", "3", "1", "2"}));

  Proc text = H({"thread", "--index", index_, "8"});
  EXPECT_NE(text.out.find("@sprintcare is the worst customer service"), std::string::npos) << text.out;

  // Re-ingest: unchanged, says so, adds nothing.
  Proc again = H({"ingest", "--index", index_, kSample});
  EXPECT_EQ(again.code, 0);
  EXPECT_NE(again.out.find("unchanged since it was last ingested"), std::string::npos) << again.out;
  Proc forced = H({"ingest", "--index", index_, "--force", kSample});
  EXPECT_NE(forced.out.find("0 indexed, 5000 duplicates"), std::string::npos) << forced.out;
  EXPECT_NE(forced.out.find("already ingested"), std::string::npos) << forced.out;
}

TEST_F(CliTest, SearchFiltersSortLimitAndCsv) {
  ASSERT_EQ(H({"ingest", "--index", index_, "--progress", "off", kSample}).code, 0);
  // Filters alone select; newest first by default.
  Proc all = H({"search", "--index", index_, "--brand", "sprintcare", "--limit", "100000", "--format", "json"});
  ASSERT_EQ(all.code, 0) << all.err;
  nlohmann::json j = nlohmann::json::parse(all.out);
  std::vector<std::string> times;
  for (const auto& h : j["hits"]) times.push_back(h["time"]);
  EXPECT_EQ(times.size(), j["total"].get<size_t>());
  EXPECT_TRUE(std::is_sorted(times.rbegin(), times.rend()));
  // Date range in the query syntax and --from/--to agree.
  Proc range = H({"search", "--index", index_, "2017-10-31..2017-10-31", "--exact", "--limit", "0", "--format", "json"});
  Proc flags = H({"search", "--index", index_, "--from", "2017-10-31", "--to", "2017-10-31", "--exact", "--limit", "0",
                 "--format", "json"});
  ASSERT_EQ(range.code, 0) << range.err;
  EXPECT_EQ(nlohmann::json::parse(range.out)["total"], nlohmann::json::parse(flags.out)["total"]);
  EXPECT_GT(nlohmann::json::parse(range.out)["total"].get<int>(), 100);
  // Phrase and field prefix.
  Proc phrase = H({"search", "--index", index_, "\"private message\" author:sprintcare", "--format", "csv"});
  ASSERT_EQ(phrase.code, 0) << phrase.err;
  EXPECT_EQ(phrase.out.rfind("rank,id,source,time,author,role,brand,channel,thread,sentiment,text\r\n", 0), 0u) << phrase.out;
  EXPECT_NE(phrase.out.find(",sprintcare,agent,"), std::string::npos) << phrase.out;
  // Collapse by thread: at most one hit per thread.
  Proc collapsed = H({"search", "--index", index_, "help", "--collapse", "thread", "--limit", "50", "--format", "json"});
  std::set<std::string> threads;
  for (const auto& h : nlohmann::json::parse(collapsed.out)["hits"]) {
    EXPECT_TRUE(threads.insert(h["source"].get<std::string>() + "/" + h["thread"].get<std::string>()).second);
  }
  // Stats.
  Proc stats = H({"stats", "--index", index_, "--format", "json"});
  nlohmann::json s = nlohmann::json::parse(stats.out);
  EXPECT_EQ(s["documents"], 5000);
  EXPECT_EQ(s["by_source"]["twcs"], 5000);
  EXPECT_EQ(s["by_channel"]["twitter"], 5000);
  EXPECT_EQ(s["first_time"].get<std::string>().substr(0, 10), "2011-08-29");  // SOURCE.md: 2011-08-29 .. 2017-12-03
  EXPECT_EQ(s["last_time"].get<std::string>().substr(0, 10), "2017-12-03");
}

TEST_F(CliTest, ExitCodesAndMessages) {
  Proc none = H({});
  EXPECT_EQ(none.code, 2);
  Proc typo = H({"serch"});
  EXPECT_EQ(typo.code, 2);
  EXPECT_NE(typo.err.find("did you mean 'search'?"), std::string::npos) << typo.err;
  for (const char* cmd : {"ingest", "search", "show", "thread", "stats", "journey", "journeys", "care", "trend", "mentions", "kb"}) {
    Proc help = H({cmd, "--help"});
    EXPECT_EQ(help.code, 0) << cmd;
    EXPECT_NE(help.out.find("usage: hark"), std::string::npos) << cmd;
  }
  Proc bad_option = H({"search", "--index", index_, "--bogus"});
  EXPECT_EQ(bad_option.code, 2);
  Proc no_index = H({"search", "--index", tmp_ / "nowhere", "x"});
  EXPECT_EQ(no_index.code, 1);
  EXPECT_NE(no_index.err.find("no hark index at"), std::string::npos) << no_index.err;
  Proc no_files = H({"ingest", "--index", index_});
  EXPECT_EQ(no_files.code, 2);
  Proc wrong_format = H({"ingest", "--index", index_, "--format", "stackexchange", kSample});
  EXPECT_EQ(wrong_format.code, 1);
  EXPECT_NE(wrong_format.err.find("twcs-head-5k.csv"), std::string::npos) << wrong_format.err;
  Proc missing = H({"ingest", "--index", index_, tmp_ / "missing.csv"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("missing.csv"), std::string::npos);

  std::ofstream(tmp_ / "half.jsonl") << R"({"id":"1","time":1,"text":"ok"})" << "\n" << "not json\n";
  Proc rejects = H({"ingest", "--index", index_, "--max-reject-rate", "0.2", tmp_ / "half.jsonl"});
  EXPECT_EQ(rejects.code, 3) << rejects.out << rejects.err;
  EXPECT_NE(rejects.err.find("reject rate"), std::string::npos) << rejects.err;
  Proc show = H({"show", "--index", index_, "1", "--format", "json"});
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_EQ(nlohmann::json::parse(show.out)["records"][0]["text"], "ok");
  Proc absent = H({"show", "--index", index_, "nope"});
  EXPECT_EQ(absent.code, 1);
  EXPECT_NE(absent.err.find("no record with id 'nope'"), std::string::npos) << absent.err;
  Proc bad_query = H({"search", "--index", index_, "date:yesterday"});
  EXPECT_EQ(bad_query.code, 2) << bad_query.err;
  // The readers' block cache size (README "Memory"): a bad value is refused by name, 0
  // (no cache) still answers.
  Proc bad_cache = RunShell("HARK_READ_CACHE_MB=lots " + HarkCommandLine({"show", "--index", index_, "1"}));
  EXPECT_EQ(bad_cache.code, 1);
  EXPECT_NE(bad_cache.err.find("HARK_READ_CACHE_MB='lots' is not a size in MiB"), std::string::npos) << bad_cache.err;
  Proc no_cache = RunShell("HARK_READ_CACHE_MB=0 " + HarkCommandLine({"show", "--index", index_, "1", "--format", "json"}));
  ASSERT_EQ(no_cache.code, 0) << no_cache.err;
  EXPECT_EQ(nlohmann::json::parse(no_cache.out)["records"][0]["text"], "ok");
}


// --memory (README "Memory"): a size with a unit, at least 128M; a small budget builds
// the text index in more, smaller chunks and the index answers exactly as one built with
// the default; the run reports its peak beside the budget.
TEST_F(CliTest, IngestMemoryBudget) {
  for (const char* bad : {"64M", "lots", "0", "-512M", "12T"}) {
    Proc p = H({"ingest", "--index", index_, "--memory", bad, kSample});
    EXPECT_EQ(p.code, 2) << bad;
    EXPECT_NE(p.err.find("--memory '" + std::string(bad) + "' is not a size of at least 128M"), std::string::npos)
        << p.err;
  }
  EXPECT_FALSE(std::filesystem::exists(index_)) << "a refused run created the index";

  const std::string small = tmp_ / "small", usual = tmp_ / "usual";
  Proc a = H({"ingest", "--index", small, "--threads", "2", "--memory", "128M", "--stats-json", tmp_ / "a.json", kSample});
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_NE(a.out.find(" MiB of --memory 128 MiB\n"), std::string::npos) << a.out;
  Proc b = H({"ingest", "--index", usual, "--threads", "2", "--memory", "1G", "--stats-json", tmp_ / "b.json", kSample});
  ASSERT_EQ(b.code, 0) << b.err;
  nlohmann::json sa = nlohmann::json::parse(std::ifstream(tmp_ / "a.json"));
  nlohmann::json sb = nlohmann::json::parse(std::ifstream(tmp_ / "b.json"));
  EXPECT_EQ(sa["memory_bytes"], 128u << 20);
  EXPECT_EQ(sb["memory_bytes"], 1024u << 20);
  EXPECT_GT(sa["peak_rss_bytes"].get<uint64_t>(), 0u);
  // 5,000 records, 2 threads: 128M leaves (128 - 64) / 2 / 2 MiB per chunk, 3,276 records
  // at 5 KiB each: two chunks in each of the two shards; 1G: one chunk per shard.
  EXPECT_EQ(sa["text_chunks"], 4);
  EXPECT_EQ(sb["text_chunks"], 2);
  for (const char* q : {"refund", "cancel AND order", "\"customer service\"", "help*"}) {
    Proc x = H({"search", "--index", small, q, "--exact", "--limit", "20", "--facets", "brand", "--format", "json"});
    Proc y = H({"search", "--index", usual, q, "--exact", "--limit", "20", "--facets", "brand", "--format", "json"});
    ASSERT_EQ(x.code, 0) << x.err;
    nlohmann::json jx = nlohmann::json::parse(x.out), jy = nlohmann::json::parse(y.out);
    EXPECT_GT(jx["total"].get<uint64_t>(), 0u) << q;
    EXPECT_EQ(jx["total"], jy["total"]) << q;
    EXPECT_EQ(jx["facets"], jy["facets"]) << q;
    std::vector<std::string> ix, iy;
    for (const auto& h : jx["hits"]) ix.push_back(h["id"]);
    for (const auto& h : jy["hits"]) iy.push_back(h["id"]);
    EXPECT_EQ(ix, iy) << q;
  }
  Proc verify = H({"verify", "--index", small});
  EXPECT_EQ(verify.code, 0) << verify.out << verify.err;
}

// hark trend as a user runs it: series totals equal the index's counts, counters and
// matches agree, CSV has one row per bucket, text draws the shape, bad input exits 2.
TEST_F(CliTest, TrendOnTheSample) {
  ASSERT_EQ(H({"ingest", "--index", index_, kSample}).code, 0);
  nlohmann::json stats = nlohmann::json::parse(H({"stats", "--index", index_, "--format", "json"}).out);
  const uint64_t apple = stats["by_brand"]["applesupport"].get<uint64_t>();

  Proc all = H({"trend", "--index", index_, "--format", "json"});
  ASSERT_EQ(all.code, 0) << all.err;
  nlohmann::json j = nlohmann::json::parse(all.out);
  EXPECT_EQ(j["series"][0]["source"], "counters");
  EXPECT_EQ(j["series"][0]["total"].get<uint64_t>(), stats["records"].get<uint64_t>());

  // The brand from the counters and from the match set (a query forces it): the same buckets.
  nlohmann::json counters = nlohmann::json::parse(H({"trend", "--index", index_, "--brand", "AppleSupport",
                                                     "--format", "json"}).out);
  nlohmann::json matches = nlohmann::json::parse(H({"trend", "--index", index_, "brand:applesupport",
                                                    "--format", "json"}).out);
  EXPECT_EQ(counters["series"][0]["source"], "counters");
  EXPECT_EQ(matches["series"][0]["source"], "matches");
  EXPECT_EQ(counters["series"][0]["total"].get<uint64_t>(), apple);
  EXPECT_EQ(counters["series"][0]["buckets"], matches["series"][0]["buckets"]);
  // The series spans the brand's own messages: first and last bucket are not empty.
  EXPECT_GT(counters["series"][0]["buckets"].front()["count"].get<uint64_t>(), 0u);
  EXPECT_GT(counters["series"][0]["buckets"].back()["count"].get<uint64_t>(), 0u);

  Proc csv = H({"trend", "--index", index_, "--brand", "AppleSupport", "--format", "csv"});
  ASSERT_EQ(csv.code, 0);
  std::istringstream lines(csv.out);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "query,start,count\r");  // RFC 4180 line ends
  size_t rows = 0;
  uint64_t sum = 0;
  while (std::getline(lines, line)) {
    ASSERT_EQ(line.back(), '\r');
    line.pop_back();
    ++rows;
    sum += std::stoull(line.substr(line.rfind(',') + 1));
  }
  EXPECT_EQ(rows, counters["series"][0]["buckets"].size());
  EXPECT_EQ(sum, apple);

  Proc text = H({"trend", "--index", index_, "--brand", "AppleSupport", "--from", "2017-10-30", "--to", "2017-11-01"});
  ASSERT_EQ(text.code, 0);
  EXPECT_NE(text.out.find("2017-10-31"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("\u2588"), std::string::npos) << text.out;  // a full bar block

  Proc zone = H({"trend", "--index", index_, "--tz", "Mars/Olympus_Mons"});
  EXPECT_EQ(zone.code, 2);
  EXPECT_NE(zone.err.find("unknown time zone 'Mars/Olympus_Mons'"), std::string::npos) << zone.err;
  Proc rising = H({"trend", "--index", index_, "--rising"});
  EXPECT_EQ(rising.code, 2);
  EXPECT_NE(rising.err.find("--vs"), std::string::npos) << rising.err;
  Proc by = H({"trend", "--index", index_, "--by", "fortnight"});
  EXPECT_EQ(by.code, 2);
  EXPECT_NE(by.err.find("fortnight"), std::string::npos) << by.err;
}

// hark mentions as a user runs it, on the bundled sample tagged with the TWCS lexicon.
TEST_F(CliTest, MentionsOnTheSample) {
  const std::string lexicon = std::string(HARK_SOURCE_DIR) + "/corpora/brands/twcs-brands.json";
  Proc plain = H({"ingest", "--index", tmp_ / "plain", kSample});
  ASSERT_EQ(plain.code, 0) << plain.err;
  Proc none = H({"mentions", "--index", tmp_ / "plain"});
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("without a brand lexicon"), std::string::npos) << none.err;

  Proc tag = H({"ingest", "--index", index_, "--brands", lexicon, kSample});
  ASSERT_EQ(tag.code, 0) << tag.err;
  Proc json_out = H({"mentions", "--index", index_, "--format", "json"});
  ASSERT_EQ(json_out.code, 0) << json_out.err;
  nlohmann::json j = nlohmann::json::parse(json_out.out);
  ASSERT_FALSE(j["brands"].empty());
  EXPECT_GT(j["brands"][0]["mentions"].get<uint64_t>(), 0u);
  EXPECT_FALSE(j["lexicon"]["retagged"].get<bool>());
  // The same lexicon given at query time on the untagged index: the same answers.
  nlohmann::json retag = nlohmann::json::parse(H({"mentions", "--index", tmp_ / "plain", "--brands", lexicon,
                                                  "--format", "json"}).out);
  EXPECT_TRUE(retag["lexicon"]["retagged"].get<bool>());
  EXPECT_EQ(retag["brands"], j["brands"]);
  EXPECT_EQ(retag["comentions"], j["comentions"]);
  // Mentions of the top brand: the per-day counters (hark trend --mention) add up.
  const std::string top = j["brands"][0]["brand"];
  nlohmann::json series = nlohmann::json::parse(H({"trend", "--index", index_, "--mention", top, "--format",
                                                   "json"}).out);
  EXPECT_EQ(series["series"][0]["source"], "counters");
  EXPECT_EQ(series["series"][0]["total"], j["brands"][0]["mentions"]);

  Proc csv = H({"mentions", "--index", index_, "--format", "csv", "--by", "day"});
  ASSERT_EQ(csv.code, 0);
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')), "brand,start,mentions\r");
  Proc text = H({"mentions", "--index", index_});
  ASSERT_EQ(text.code, 0);
  EXPECT_NE(text.out.find("co-mentions:"), std::string::npos) << text.out;
  Proc other = H({"ingest", "--index", index_, "--brands", std::string(HARK_SOURCE_DIR) + "/corpora/brands/streaming.json",
                  kSample});
  EXPECT_EQ(other.code, 2) << other.err;
  EXPECT_NE(other.err.find("another brand lexicon"), std::string::npos) << other.err;
  Proc bad = H({"mentions", "--index", index_, "--by", "fortnight"});
  EXPECT_EQ(bad.code, 2);
}

// hark kb as a user runs it on the bundled sample: markdown, JSON and gaps.
TEST_F(CliTest, KbOnTheSample) {
  ASSERT_EQ(H({"ingest", "--index", index_, kSample}).code, 0);
  Proc md = H({"kb", "--index", index_, "--limit", "3", "--format", "md"});
  ASSERT_EQ(md.code, 0) << md.err;
  EXPECT_EQ(md.out.rfind("# Knowledge base draft", 0), 0u) << md.out;
  EXPECT_NE(md.out.find("hark thread"), std::string::npos);
  Proc js = H({"kb", "--index", index_, "--limit", "3", "--format", "json", "--brand", "ChipotleTweets"});
  ASSERT_EQ(js.code, 0) << js.err;
  nlohmann::json j = nlohmann::json::parse(js.out);
  ASSERT_FALSE(j["entries"].empty());
  for (const nlohmann::json& e : j["entries"]) {
    EXPECT_EQ(e["brands"], nlohmann::json::array({"ChipotleTweets"}));
    EXPECT_GE(e["support"].get<int>(), 2);
  }
  Proc gaps = H({"kb", "--index", index_, "--gaps", "--format", "json"});
  ASSERT_EQ(gaps.code, 0) << gaps.err;
  EXPECT_TRUE(nlohmann::json::parse(gaps.out)["gaps"].get<bool>());
  Proc bad = H({"kb", "--index", index_, "--format", "pdf"});
  EXPECT_EQ(bad.code, 2);
}

}  // namespace
}  // namespace hark
