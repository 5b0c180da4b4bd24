// Journeys, journey patterns and care metrics: unit tests of the definitions, and
// integration tests on TWCS head-5k whose expectations are computed here, from the raw
// CSV, independently of hark's readers, threads and queries.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "indexer/ingest.h"
#include "query/care.h"
#include "query/conversation.h"
#include "query/journey.h"
#include "query/journeys.h"
#include "storage/identities.h"
#include "storage/time_parse.h"
#include "test_support.h"

namespace hark {
namespace {

using testing::TempDir;

ThreadEntry E(int64_t time, Role role, const std::string& author, uint32_t flags = 0, const std::string& brand = "") {
  static uint64_t recno = 0;
  ThreadEntry e;
  e.recno = ++recno;
  e.time = time;
  e.role = role;
  e.author = author;
  e.flags = flags;
  e.brand = brand;
  e.channel = "twitter";
  return e;
}

auto IsCustomer = [](const ThreadEntry& e) { return e.role == Role::kCustomer; };

TEST(Conversation, FirstResponseTurnsAndResolution) {
  std::vector<ThreadEntry> c = {E(100, Role::kCustomer, "u"), E(130, Role::kCustomer, "u"),
                                E(400, Role::kAgent, "acme", 0, "Acme"), E(500, Role::kCustomer, "u", kFlagThanks)};
  ConversationSummary s = Summarize("s", "t", c, IsCustomer);
  ASSERT_TRUE(s.first_response_s.has_value());
  EXPECT_EQ(*s.first_response_s, 300);  // from the customer's FIRST message
  EXPECT_EQ(s.turns, 3u);               // customer x2 | agent | customer
  EXPECT_EQ(s.brand, "Acme");
  EXPECT_TRUE(s.resolved);
  EXPECT_EQ(s.resolved_by, "customer");

  std::vector<ThreadEntry> unanswered = {E(100, Role::kCustomer, "u", kFlagThanks)};
  s = Summarize("s", "t", unanswered, IsCustomer);
  EXPECT_FALSE(s.first_response_s.has_value());
  EXPECT_FALSE(s.resolved) << "thanks before anyone replied is not a resolution";

  std::vector<ThreadEntry> agent_close = {E(100, Role::kCustomer, "u"), E(160, Role::kAgent, "a", kFlagAgentClose)};
  s = Summarize("s", "t", agent_close, IsCustomer);
  EXPECT_TRUE(s.resolved);
  EXPECT_EQ(s.resolved_by, "agent");
  agent_close.push_back(E(200, Role::kCustomer, "u"));
  s = Summarize("s", "t", agent_close, IsCustomer);
  EXPECT_FALSE(s.resolved) << "the customer replied after the agent's close";

  // An agent message before the customer's first message does not count as a response.
  std::vector<ThreadEntry> outbound = {E(50, Role::kAgent, "a", 0, "Acme"), E(100, Role::kCustomer, "u")};
  s = Summarize("s", "t", outbound, IsCustomer);
  EXPECT_FALSE(s.first_response_s.has_value());
}

TEST(Conversation, MedianAndPercentile) {
  std::vector<int64_t> v = {5, 1, 3, 2};
  EXPECT_EQ(*Median(&v), 2.5);
  v = {7, 1, 3};
  EXPECT_EQ(*Median(&v), 3.0);
  v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_EQ(*Percentile(&v, 90), 9);
  v = {42};
  EXPECT_EQ(*Percentile(&v, 90), 42);
  v.clear();
  EXPECT_FALSE(Median(&v).has_value());
}

TEST(Journeys, DurationsAndSequences) {
  int64_t s;
  EXPECT_TRUE(ParseDuration("30m", &s));
  EXPECT_EQ(s, 1800);
  EXPECT_TRUE(ParseDuration("2w", &s));
  EXPECT_EQ(s, 14 * 86400);
  EXPECT_TRUE(ParseDuration("1d12h", &s));
  EXPECT_EQ(s, 36 * 3600);
  EXPECT_FALSE(ParseDuration("10", &s));
  EXPECT_FALSE(ParseDuration("1y", &s));
  EXPECT_FALSE(ParseDuration("", &s));

  // Step 1 at 0 and 100, step 2 at 105: within 10 s only the later step 1 works.
  std::vector<std::vector<StepMatch>> c = {{{1, 0}, {2, 100}}, {{3, 105}}};
  std::vector<StepMatch> chain;
  ASSERT_TRUE(MatchSequence(c, 10, &chain));
  EXPECT_EQ(chain[0].recno, 2u);
  EXPECT_EQ(chain[1].recno, 3u);
  EXPECT_FALSE(MatchSequence(c, 4, &chain));
  // Order matters: step 2 before step 1 does not match.
  std::vector<std::vector<StepMatch>> reversed = {{{2, 100}}, {{1, 50}}};
  EXPECT_FALSE(MatchSequence(reversed, 0, &chain));
  // The same message cannot serve two steps.
  std::vector<std::vector<StepMatch>> same = {{{5, 10}}, {{5, 10}}};
  EXPECT_FALSE(MatchSequence(same, 0, &chain));
  // Three steps, no window.
  std::vector<std::vector<StepMatch>> three = {{{1, 1}}, {{2, 5}, {4, 50}}, {{3, 20}}};
  ASSERT_TRUE(MatchSequence(three, 0, &chain));
  EXPECT_EQ(chain[1].recno, 2u);
}

TEST(Identities, CsvAndJsonFiles) {
  TempDir dir;
  std::ofstream(dir / "ids.csv") << "person,handle\n# comment\np1, Kevin@Mail.example\np1,x_kevin\n\np2,y\n";
  Result<IdentityMap> csv = IdentityMap::FromFile(dir / "ids.csv");
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_EQ(csv->persons(), 2u);
  ASSERT_NE(csv->PersonOf("kevin@mail.example"), nullptr);
  EXPECT_EQ(*csv->PersonOf("X_KEVIN"), "p1");
  std::ofstream(dir / "ids.json") << R"({"p1": ["a", "b"], "p2": ["c"]})";
  Result<IdentityMap> json = IdentityMap::FromFile(dir / "ids.json");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(*json->PersonOf("c"), "p2");
  std::ofstream(dir / "bad.csv") << "p1,a\np2,a\n";
  Result<IdentityMap> bad = IdentityMap::FromFile(dir / "bad.csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("bad.csv:2"), std::string::npos) << bad.status().message();
  std::ofstream(dir / "nocomma.csv") << "p1 a\n";
  EXPECT_NE(IdentityMap::FromFile(dir / "nocomma.csv").status().message().find("nocomma.csv:1: expected person,handle"),
            std::string::npos);
}

// ---------------------------------------------------------------------------------------
// TWCS head-5k, with expectations computed from the raw CSV.

struct Tweet {
  size_t row;
  std::string id, author, parent, text;
  bool inbound;
  int64_t time;
};

std::vector<Tweet> ReadTwcs(const std::string& path) {
  std::vector<std::vector<std::string>> rows = testing::ReadCsvForTest(path);
  std::vector<Tweet> tweets;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto& f = rows[r];
    Tweet t;
    t.row = r;
    t.id = f[1];
    t.author = f[2];
    t.inbound = f[3] == "True";
    std::string err;
    EXPECT_TRUE(ParseTime(f[4], &t.time, &err));
    t.text = f[5];
    t.parent = f[7];
    if (t.parent.size() > 2 && t.parent.substr(t.parent.size() - 2) == ".0") t.parent.resize(t.parent.size() - 2);
    tweets.push_back(t);
  }
  return tweets;
}

class TwcsJourneyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string dir = ::hark::testing::SharedCorporaDir();
    if (dir.empty()) return;
    path_ = dir + "/twcs-head-5k/twcs_head_5000.csv";
    tweets_ = ReadTwcs(path_);
    for (const Tweet& t : tweets_) by_id_[t.id] = &t;
    tmp_ = new TempDir();
    IngestOptions opts;
    opts.index_dir = *tmp_ / "idx";
    opts.files = {path_};
    opts.progress = Progress::Mode::kOff;
    Result<IngestReport> r = RunIngest(opts);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    index_ = IndexReader::Open(*tmp_ / "idx").value().release();
  }
  static void TearDownTestSuite() {
    delete index_;
    delete tmp_;
  }
  void SetUp() override {
    HARK_REQUIRE_CORPUS(p, "twcs-head-5k/twcs_head_5000.csv");
    (void)p;
  }

  static std::string RootOf(std::string id) {
    for (int guard = 0; guard < 1000; ++guard) {
      auto it = by_id_.find(id);
      if (it == by_id_.end() || it->second->parent.empty()) return id;
      id = it->second->parent;
    }
    return id;
  }

  static nlohmann::json Json(const std::function<Status(std::ostream&)>& run) {
    std::ostringstream out;
    Status s = run(out);
    EXPECT_TRUE(s.ok()) << s.ToString();
    nlohmann::json parsed = nlohmann::json::parse(out.str());
    // Exactly nlohmann's own print of the document (journey writes it as it goes).
    EXPECT_EQ(out.str(), parsed.dump(2) + "\n");
    return parsed;
  }

  static inline std::string path_;
  static inline std::vector<Tweet> tweets_;
  static inline std::map<std::string, const Tweet*> by_id_;
  static inline TempDir* tmp_ = nullptr;
  static inline IndexReader* index_ = nullptr;
};

TEST_F(TwcsJourneyTest, JourneysOfSeveralCustomersMatchTheRawThreads) {
  // The five most active customers, plus one with a single tweet.
  std::map<std::string, int> activity;
  for (const Tweet& t : tweets_) {
    if (t.inbound) activity[t.author]++;
  }
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto& [a, n] : activity) ranked.emplace_back(n, a);
  std::sort(ranked.rbegin(), ranked.rend());
  std::vector<std::string> customers;
  for (size_t i = 0; i < 5; ++i) customers.push_back(ranked[i].second);
  customers.push_back(ranked.back().second);

  RenderOptions json;
  json.format = OutputFormat::kJson;
  for (const std::string& customer : customers) {
    std::set<std::string> roots;
    for (const Tweet& t : tweets_) {
      if (t.author == customer) roots.insert(RootOf(t.id));
    }
    std::vector<const Tweet*> expected;
    for (const Tweet& t : tweets_) {
      if (roots.count(RootOf(t.id)) > 0) expected.push_back(&t);
    }
    std::sort(expected.begin(), expected.end(), [](const Tweet* a, const Tweet* b) {
      return std::tie(a->time, a->row) < std::tie(b->time, b->row);
    });
    JourneyRequest req;
    req.customer = customer;
    nlohmann::json j = Json([&](std::ostream& out) { return RunJourney(*index_, req, json, out); });
    std::vector<std::string> got, want;
    for (const auto& m : j["messages"]) got.push_back(m["id"]);
    for (const Tweet* t : expected) want.push_back(t->id);
    EXPECT_EQ(got, want) << "journey of " << customer;
    EXPECT_EQ(j["summary"]["conversations"].get<size_t>(), roots.size()) << customer;
  }
}

// First-response time per conversation: the first agent tweet at or after the first
// customer tweet; the conversation's brand is the author of its first agent tweet.
TEST_F(TwcsJourneyTest, FirstResponseMediansPerBrandToTheSecond) {
  std::map<std::string, std::vector<const Tweet*>> conversations;
  for (const Tweet& t : tweets_) conversations[RootOf(t.id)].push_back(&t);
  std::map<std::string, std::vector<int64_t>> responses;
  std::map<std::string, int> count;
  for (auto& [root, tw] : conversations) {
    std::sort(tw.begin(), tw.end(), [](const Tweet* a, const Tweet* b) { return std::tie(a->time, a->row) < std::tie(b->time, b->row); });
    const Tweet* first_customer = nullptr;
    const Tweet* first_agent_any = nullptr;
    for (const Tweet* t : tw) {
      if (t->inbound && first_customer == nullptr) first_customer = t;
      if (!t->inbound && first_agent_any == nullptr) first_agent_any = t;
    }
    if (first_customer == nullptr || first_agent_any == nullptr) continue;
    const std::string brand = first_agent_any->author;
    count[brand]++;
    for (const Tweet* t : tw) {
      if (!t->inbound && t->time >= first_customer->time) {
        responses[brand].push_back(t->time - first_customer->time);
        break;
      }
    }
  }
  std::vector<CareRow> rows;
  ASSERT_TRUE(ComputeCare(*index_, CareRequest(), &rows).ok());
  std::map<std::string, CareRow> by_brand;
  for (const CareRow& r : rows) by_brand[r.group] = r;
  int checked = 0;
  for (const std::string brand : {"AmazonHelp", "AppleSupport", "sprintcare", "Delta", "SpotifyCares", "Uber_Support",
                                  "ChipotleTweets", "British_Airways"}) {
    std::vector<int64_t> v = responses[brand];
    ASSERT_FALSE(v.empty()) << brand;
    std::sort(v.begin(), v.end());
    double median = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2.0;
    int64_t p90 = v[static_cast<size_t>(std::ceil(0.9 * v.size())) - 1];
    ASSERT_TRUE(by_brand.count(brand)) << brand;
    EXPECT_EQ(by_brand[brand].conversations, static_cast<uint64_t>(count[brand])) << brand;
    EXPECT_EQ(by_brand[brand].answered, v.size()) << brand;
    EXPECT_EQ(*by_brand[brand].first_response_median_s, median) << brand;
    EXPECT_EQ(*by_brand[brand].first_response_p90_s, p90) << brand;
    ++checked;
  }
  EXPECT_EQ(checked, 8);
}

// Customers who wrote "worst" and later, within a day, wrote about a DM / message.
TEST_F(TwcsJourneyTest, PatternWithAKnownAnswer) {
  auto words = [](const std::string& text) {
    std::set<std::string> out;
    std::string w;
    for (char c : text + " ") {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      } else {
        if (!w.empty()) out.insert(w);
        w.clear();
      }
    }
    return out;
  };
  auto step1 = [&](const Tweet& t) { return words(t.text).count("worst") > 0; };
  auto step2 = [&](const Tweet& t) {
    auto w = words(t.text);
    return w.count("dm") || w.count("dms") || w.count("message") || w.count("messages") || w.count("messaged") ||
           w.count("messaging");
  };
  const int64_t within = 86400;
  std::map<std::string, std::vector<const Tweet*>> by_customer;
  for (const Tweet& t : tweets_) {
    if (t.inbound) by_customer[t.author].push_back(&t);
  }
  std::set<std::string> expected;
  for (auto& [author, tw] : by_customer) {
    for (const Tweet* a : tw) {
      for (const Tweet* b : tw) {
        if (a != b && step1(*a) && step2(*b) && std::tie(a->time, a->row) < std::tie(b->time, b->row) &&
            b->time - a->time <= within) {
          expected.insert(author);
        }
      }
    }
  }
  ASSERT_FALSE(expected.empty());
  JourneysRequest req;
  req.steps = {"worst", "dm OR message"};
  req.within = within;
  req.limit = 1000;
  RenderOptions json;
  json.format = OutputFormat::kJson;
  nlohmann::json j = Json([&](std::ostream& out) { return RunJourneys(*index_, req, json, out); });
  std::set<std::string> got;
  for (const auto& c : j["customers"]) got.insert(c["customer"]);
  EXPECT_EQ(got, expected);
  EXPECT_EQ(j["total"].get<size_t>(), expected.size());
}

}  // namespace
}  // namespace hark
