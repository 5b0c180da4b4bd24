// Brand lexicon and hark mentions: the matching rule, lexicon errors, switching rules;
// on the airline tweets mention counts per handle equal an independent count of the raw
// CSV and a query-time retag equals tagging at ingest; on a generated corpus the planted
// mentions, shares of voice and co-mentions are recovered exactly.
#include "query/mentions.h"

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "indexer/ingest.h"
#include "indexer/reader.h"
#include "tests/test_support.h"

namespace hark {
namespace {

using json = nlohmann::json;
using testing::TempDir;

BrandLexicon Lexicon(const std::string& text) {
  Result<BrandLexicon> lex = BrandLexicon::FromJson(text, "test.json");
  EXPECT_TRUE(lex.ok()) << lex.status().ToString();
  return lex.ok() ? std::move(*lex) : BrandLexicon();
}

std::vector<std::string> Tokens(std::string_view text) {
  std::vector<std::string> t;
  TokenizeForBrands(text, &t);
  return t;
}

std::vector<std::string> Match(const BrandLexicon& lex, std::string_view text) {
  std::vector<std::string> out;
  lex.Match("", text, &out);
  return out;
}

const char kTelecoms[] = R"({"brands": [
  {"name": "Verizon", "handles": ["@VerizonSupport"], "market": "telecoms", "competitors": ["T-Mobile"]},
  {"name": "T-Mobile", "aliases": ["TMobile"], "handles": ["@TMobile"], "hashtags": ["#TMobile"], "market": "telecoms"},
  {"name": "AT&T", "aliases": ["AT and T"], "handles": ["@ATT"], "market": "telecoms"},
  {"name": "Sprint Corporation", "aliases": ["Sprint"], "misspellings": ["Sprnt"], "market": "telecoms"},
  {"name": "Netflix", "market": "streaming"}]})";

TEST(BrandTokens, FollowTheMatchingRule) {
  EXPECT_EQ(Tokens("@united thanks! #UnitedFail"), (std::vector<std::string>{"@united", "thanks", "#unitedfail"}));
  EXPECT_EQ(Tokens("T-Mobile, AT&T"), (std::vector<std::string>{"t", "mobile", "at", "t"}));
  EXPECT_EQ(Tokens("care@flixo.example"), (std::vector<std::string>{"care", "flixo", "example"}));
  // Typographic punctuation, zero-width spaces and emoji separate words; letters do not.
  EXPECT_EQ(Tokens("@united\u2019s \u2026@Delta\u200b caf\u00e9 \xF0\x9F\x98\x8A@JetBlue"),
            (std::vector<std::string>{"@united", "s", "@delta", "caf\u00e9", "@jetblue"}));
  EXPECT_EQ(Tokens("caf\u00e9@x"), (std::vector<std::string>{"caf\u00e9", "x"}));  // '@' inside a word
  EXPECT_TRUE(Tokens("  ... @ # ").empty());
}

TEST(BrandLexiconTest, MatchesWholeTokensCaseInsensitiveWithMultiWordAliases) {
  BrandLexicon lex = Lexicon(kTelecoms);
  EXPECT_EQ(Match(lex, "VERIZON dropped my call, thinking of t-mobile"),
            (std::vector<std::string>{"Verizon", "T-Mobile"}));
  EXPECT_EQ(Match(lex, "at and t or AT&T, same thing"), (std::vector<std::string>{"AT&T"}));
  EXPECT_EQ(Match(lex, "sprnt is down"), (std::vector<std::string>{"Sprint Corporation"}));
  EXPECT_TRUE(Match(lex, "verizonwireless sprinting the mobile at the t").empty());  // whole words only
  EXPECT_EQ(Match(lex, "meet me at t-mobile"), (std::vector<std::string>{"T-Mobile", "AT&T"}));  // "at" "t": documented
  EXPECT_TRUE(Match(lex, "@verizon and #sprint").empty());  // handles / hashtags only as listed
  EXPECT_EQ(Match(lex, "@VerizonSupport #tmobile"), (std::vector<std::string>{"Verizon", "T-Mobile"}));
  // Title and text: each matched, no match across them.
  std::vector<std::string> out;
  lex.Match("Moving to AT", "and T", &out);
  EXPECT_TRUE(out.empty());
  lex.Match("Netflix prices", "up again", &out);
  EXPECT_EQ(out, (std::vector<std::string>{"Netflix"}));
  EXPECT_EQ(lex.Find("at&t"), 2);
  EXPECT_EQ(lex.Find("Hulu"), -1);
}

TEST(BrandLexiconTest, CanonicalFormIgnoresLayout) {
  BrandLexicon a = Lexicon(R"({"brands": [{"name": "X", "aliases": ["Ex"], "market": "m"}]})");
  BrandLexicon b = Lexicon("{ \"brands\" : [ {\"market\":\"m\",\n \"aliases\":[\"Ex\"], \"name\":\"X\"} ] }");
  BrandLexicon c = Lexicon(R"({"brands": [{"name": "X", "aliases": ["Ex", "Exx"], "market": "m"}]})");
  EXPECT_EQ(a.canonical(), b.canonical());
  EXPECT_NE(a.canonical(), c.canonical());
}

TEST(BrandLexiconTest, ErrorsNameTheFileTheBrandAndTheProblem) {
  struct Case {
    const char* json;
    const char* message;
  } cases[] = {
      {"{", "test.json: not valid JSON"},
      {R"({"brand": []})", "expected {\"brands\": [...]}"},
      {R"({"brands": [{"aliases": ["x"]}]})", "brand 0: needs a \"name\""},
      {R"({"brands": [{"name": "A"}, {"name": "a"}]})", "brand 1 (a): the name is given twice"},
      {R"({"brands": [{"name": "A", "handles": ["A"]}]})", "handle 'A' does not start with '@'"},
      {R"({"brands": [{"name": "A", "hashtags": ["a"]}]})", "hashtag 'a' does not start with '#'"},
      {R"({"brands": [{"name": "A", "aliases": "a"}]})", "\"aliases\" is not a list of strings"},
      {R"({"brands": [{"name": "A", "competitors": ["B"]}]})", "competitor 'B' is not a brand of the file"},
      {R"({"brands": [{"name": "A", "aliases": ["--"]}]})", "'--' has no word in it"},
  };
  for (const Case& c : cases) {
    Result<BrandLexicon> lex = BrandLexicon::FromJson(c.json, "test.json");
    ASSERT_FALSE(lex.ok()) << c.json;
    EXPECT_NE(lex.status().message().find(c.message), std::string::npos) << lex.status().message();
    EXPECT_NE(lex.status().message().find("test.json"), std::string::npos) << lex.status().message();
  }
  Result<BrandLexicon> missing = BrandLexicon::FromFile("/nonexistent/brands.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/brands.json"), std::string::npos);
}

std::vector<std::pair<std::string, std::string>> Flows(const BrandLexicon& lex, std::string_view text) {
  std::vector<std::string> tokens;
  TokenizeMessage("", text, &tokens);
  std::vector<BrandMention> mentions;
  lex.Mentions(tokens, &mentions);
  std::vector<std::pair<int, int>> flows;
  FindSwitching(lex, tokens, mentions, &flows);
  std::vector<std::pair<std::string, std::string>> out;
  for (auto [from, to] : flows) out.emplace_back(from < 0 ? "?" : lex.brands()[from].name, lex.brands()[to].name);
  return out;
}

TEST(Switching, StatementsBecomeFlows) {
  BrandLexicon lex = Lexicon(kTelecoms);
  using F = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(Flows(lex, "I'm switching from Verizon to T-Mobile tomorrow"), (F{{"Verizon", "T-Mobile"}}));
  EXPECT_EQ(Flows(lex, "moved over from my AT&T plan to Sprint"), (F{{"AT&T", "Sprint Corporation"}}));
  EXPECT_EQ(Flows(lex, "moved from AT&T because of the awful plan, then to Sprint"), F{});  // too far apart
  EXPECT_EQ(Flows(lex, "moved over from AT&T to the Sprint network"), (F{{"AT&T", "Sprint Corporation"}}));
  EXPECT_EQ(Flows(lex, "Leaving @VerizonSupport for T-Mobile, bye"), (F{{"Verizon", "T-Mobile"}}));
  EXPECT_EQ(Flows(lex, "Verizon outage again. Switching to Sprint"), (F{{"Verizon", "Sprint Corporation"}}));
  EXPECT_EQ(Flows(lex, "switching to Sprint"), (F{{"?", "Sprint Corporation"}}));
  EXPECT_EQ(Flows(lex, "Verizon, AT&T, whatever: switching to Sprint"), (F{{"?", "Sprint Corporation"}}));
  EXPECT_EQ(Flows(lex, "T-Mobile was awful, going back to Verizon"), (F{{"T-Mobile", "Verizon"}}));
  EXPECT_EQ(Flows(lex, "not switching to Sprint, I won't leave Verizon for T-Mobile"), F{});
  EXPECT_EQ(Flows(lex, "I don't think I'll ever go back to AT&T"), (F{{"?", "AT&T"}}));  // the negation is not at the verb
  EXPECT_EQ(Flows(lex, "I love Verizon and T-Mobile"), F{});
  EXPECT_EQ(Flows(lex, "Thanks for nothing Verizon"), F{});
  EXPECT_EQ(Flows(lex, "going to Netflix tonight, Verizon permitting"), F{});  // a visit
  EXPECT_EQ(Flows(lex, "went from Verizon to Sprint"), (F{{"Verizon", "Sprint Corporation"}}));
  EXPECT_EQ(Flows(lex, "going over to T-Mobile"), (F{{"?", "T-Mobile"}}));
  EXPECT_EQ(Flows(lex, "you invited me back to Netflix"), F{});
}

// ---------------------------------------------------------------------------------------
// The airline tweets.

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Independent count: "@handle" case-insensitively, not preceded or followed by an ASCII
// letter, digit or '_' (the raw tweets have no non-ASCII letters next to handles).
bool HasHandle(const std::string& lower_text, const std::string& handle) {
  for (size_t at = lower_text.find(handle); at != std::string::npos; at = lower_text.find(handle, at + 1)) {
    auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    if (at > 0 && word(lower_text[at - 1])) continue;
    const size_t end = at + handle.size();
    if (end < lower_text.size() && word(lower_text[end])) continue;
    return true;
  }
  return false;
}

class AirlineMentions : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string dir = testing::SharedCorporaDir();
    if (dir.empty()) return;
    csv_ = dir + "/airline-sentiment-tweets/Tweets.csv";
    auto rows = testing::ReadCsvForTest(csv_);
    std::set<std::string> ids;
    for (size_t i = 1; i < rows.size(); ++i) {
      if (ids.insert(rows[i][0]).second) texts_->push_back(Lower(rows[i][10]));
    }
    dir_ = new TempDir();
    // One brand per handle of the shipped lexicon.
    std::ifstream in(std::string(HARK_SOURCE_DIR) + "/corpora/brands/us-airlines.json");
    json full = json::parse(in);
    json by_handle = {{"brands", json::array()}};
    for (const json& b : full["brands"]) {
      for (const json& h : b["handles"]) by_handle["brands"].push_back({{"name", h}, {"handles", {h}}});
    }
    std::ofstream(*dir_ / "handles.json") << by_handle.dump();
    for (const char* name : {"tagged", "plain"}) {
      IngestOptions opts;
      opts.index_dir = *dir_ / name;
      opts.files = {csv_};
      opts.format = Format::kCsv;
      opts.reader.map = ParseFieldMap("id=tweet_id,time=tweet_created,text=text,author=name,brand=airline").value();
      opts.progress = Progress::Mode::kOff;
      if (std::string(name) == "tagged") opts.brands_path = *dir_ / "handles.json";
      Result<IngestReport> r = RunIngest(opts);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override { HARK_REQUIRE_CORPUS(path, "airline-sentiment-tweets/Tweets.csv"); }

  static json Mentions(const std::string& index, const std::string& brands) {
    auto reader = IndexReader::Open(index).value();
    MentionsRequest req;
    req.brands_path = brands;
    std::ostringstream out;
    RenderOptions render;
    render.format = OutputFormat::kJson;
    Status s = RunMentions(*reader, req, render, out);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return s.ok() ? json::parse(out.str()) : json();
  }

  static inline std::string csv_;
  static inline std::vector<std::string>* texts_ = new std::vector<std::string>();
  static inline TempDir* dir_ = nullptr;
};

TEST_F(AirlineMentions, CountsPerHandleEqualTheRawCsv) {
  json j = Mentions(*dir_ / "tagged", "");
  EXPECT_FALSE(j["lexicon"]["retagged"].get<bool>());
  EXPECT_EQ(j["messages"].get<size_t>(), texts_->size());
  size_t checked = 0;
  for (const json& b : j["brands"]) {
    std::string handle = Lower(b["brand"]);
    uint64_t expected = 0;
    for (const std::string& t : *texts_) expected += HasHandle(t, handle);
    EXPECT_EQ(b["mentions"].get<uint64_t>(), expected) << handle;
    checked += expected > 0;
  }
  EXPECT_GE(checked, 6u);  // the six airlines of the data at least
  // Shares of voice: one market, so share == share_all, summing to 1.
  double sum = 0;
  for (const json& b : j["brands"]) sum += b["share"].get<double>();
  EXPECT_NEAR(sum, 1.0, 1e-5);
}

TEST_F(AirlineMentions, RetagAtQueryTimeEqualsTaggingAtIngest) {
  json ingest = Mentions(*dir_ / "tagged", "");
  json now = Mentions(*dir_ / "plain", *dir_ / "handles.json");
  EXPECT_TRUE(now["lexicon"]["retagged"].get<bool>());
  for (const char* key : {"messages", "mentioning", "brands", "comentions", "switching"}) {
    EXPECT_EQ(ingest[key], now[key]) << key;
  }
  // The stored lexicon given again is not a retag.
  json same = Mentions(*dir_ / "tagged", *dir_ / "handles.json");
  EXPECT_FALSE(same["lexicon"]["retagged"].get<bool>());
  EXPECT_EQ(same["brands"], ingest["brands"]);
}

TEST_F(AirlineMentions, ShippedLexiconFindsTheLabelledAirline) {
  json j = Mentions(*dir_ / "plain", std::string(HARK_SOURCE_DIR) + "/corpora/brands/us-airlines.json");
  std::map<std::string, uint64_t> m;
  for (const json& b : j["brands"]) m[b["brand"]] = b["mentions"];
  // Each labelled airline's handle is in nearly all of its rows (README of corpora/brands).
  EXPECT_GT(m["United Airlines"], 3700u);
  EXPECT_GT(m["US Airways"], 2800u);
  EXPECT_GT(m["American Airlines"], 2700u);
  EXPECT_GT(m["JetBlue"], 2100u);  // the rows labelled "Delta" are addressed to @JetBlue
  EXPECT_FALSE(j["comentions"].empty());
  std::printf("airline mentions:");
  for (const json& b : j["brands"]) std::printf(" %s %llu;", b["brand"].get<std::string>().c_str(),
                                                b["mentions"].get<unsigned long long>());
  std::printf(" switching flows %zu\n", j["switching"].size());
}

TEST_F(AirlineMentions, IngestRefusesAnotherLexiconOnATaggedOrUntaggedIndex) {
  std::ofstream(*dir_ / "other.json") << R"({"brands": [{"name": "Nobody"}]})";
  for (const char* name : {"tagged", "plain"}) {
    IngestOptions opts;
    opts.index_dir = *dir_ / name;
    opts.files = {std::string(HARK_SOURCE_DIR) + "/corpora/twcs-head-5k.csv"};
    opts.progress = Progress::Mode::kOff;
    opts.brands_path = *dir_ / "other.json";
    Result<IngestReport> r = RunIngest(opts);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find("hark mentions --brands"), std::string::npos) << r.status().message();
  }
  // Nothing was added.
  EXPECT_EQ(IndexReader::Open(*dir_ / "tagged").value()->state().records, texts_->size());
}

// ---------------------------------------------------------------------------------------
// Generated corpus: planted mentions, shares of voice and co-mentions, exactly.

TEST(GeneratedMentions, PlantedSharesOfVoiceRecoveredExactly) {
  TempDir dir;
  std::string gen = std::string(HARK_BINARY_DIR) + "/tools/hark-gen";
  std::string cmd = gen + " --messages 100000 --seed 3 --out " + (dir / "c.jsonl") + " --truth " +
                    (dir / "truth.json") + " --brands-out " + (dir / "brands.json") + " 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  json truth = json::parse(std::ifstream(dir / "truth.json"));
  IngestOptions opts;
  opts.index_dir = dir / "idx";
  opts.files = {dir / "c.jsonl"};
  opts.brands_path = dir / "brands.json";
  opts.progress = Progress::Mode::kOff;
  ASSERT_TRUE(RunIngest(opts).ok());
  auto index = IndexReader::Open(dir / "idx").value();
  MentionsReport r;
  ASSERT_TRUE(ComputeMentions(*index, MentionsRequest(), &r).ok());
  ASSERT_EQ(r.brands.size(), truth["mentions"].size());
  for (const BrandStats& b : r.brands) {
    EXPECT_EQ(b.mentions, truth["mentions"][b.brand].get<uint64_t>()) << b.brand;
    const json& sov = truth["mention_share_of_voice"][b.market][b.brand];
    EXPECT_NEAR(b.share, sov["share"].get<double>(), 1e-12) << b.brand;
  }
  std::map<std::pair<std::string, std::string>, uint64_t> want, got;
  for (const json& c : truth["comentions"]) want[{c["brands"][0], c["brands"][1]}] = c["count"];
  for (const auto& [pair, n] : r.comentions) {
    got[pair.first < pair.second ? pair : std::make_pair(pair.second, pair.first)] = n;
  }
  EXPECT_EQ(got, want);
  // The per-day mention counters add up to the mentions.
  for (const BrandStats& b : r.brands) {
    std::map<int64_t, uint64_t> days;
    ASSERT_TRUE(index->DailyCounts("mention:" + Lower(b.brand), INT32_MIN, INT32_MAX, &days).ok());
    uint64_t sum = 0;
    for (const auto& [day, n] : days) sum += n;
    EXPECT_EQ(sum, b.mentions) << b.brand;
  }
}

}  // namespace
}  // namespace hark
