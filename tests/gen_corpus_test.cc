// Tests of hark-gen (tools/gen_corpus.cc), run as a subprocess: determinism, exact
// counts, record validity, thread consistency, the truth file against an independent
// recount of the output, multi-handle customers with their identities file, and the
// brand lexicon (--brands-out) with the truth's mention counts against a regex recount.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include <regex>

#include <nlohmann/json.hpp>

#include "storage/time_parse.h"
#include "tests/test_support.h"

namespace {

using json = nlohmann::json;

const std::string kGen = std::string(HARK_BINARY_DIR) + "/tools/hark-gen";

// Runs hark-gen with `args`; returns its exit status.
int RunGen(const std::string& args) {
  std::string cmd = kGen + " " + args + " 2>/dev/null";
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

// Whole-word, ASCII case-insensitive match where word characters are ASCII letters and
// digits: the rule the truth file states for term_messages. Written independently of
// the generator's.
bool HasWord(const std::string& text, const std::string& term) {
  auto word = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
  for (size_t i = 0; i + term.size() <= text.size(); ++i) {
    bool eq = true;
    for (size_t j = 0; j < term.size() && eq; ++j) eq = lower(text[i + j]) == lower(term[j]);
    if (!eq) continue;
    bool left = i == 0 || !word(text[i - 1]);
    bool right = i + term.size() == text.size() || !word(text[i + term.size()]);
    if (left && right) return true;
  }
  return false;
}

// The lexicon matching rule (corpora/brands/README.md), written with std::regex and
// independently of the generator's tokenizer: text is ASCII case-folded; a token is a
// maximal run of ASCII letters, digits, '_' or non-ASCII bytes; '@' or '#' directly before
// a token, at the start of the text or after a byte that is none of those, makes it a
// handle or hashtag token; every other byte separates tokens. A message mentions a brand
// when the tokens of one of its entries occur as consecutive tokens of its title or text.
class RegexMentions {
 public:
  explicit RegexMentions(const json& lexicon) {
    for (const auto& b : lexicon["brands"]) {
      std::vector<std::string> entries = {b["name"].get<std::string>()};
      for (const char* key : {"aliases", "misspellings", "handles", "hashtags"}) {
        for (const auto& e : b[key]) entries.push_back(e.get<std::string>());
      }
      for (const std::string& e : entries) {
        std::string joined = Joined(e);
        if (joined.size() > 1) entries_.emplace_back(b["name"].get<std::string>(), joined);
      }
    }
  }

  // The names of the brands that `title` or `text` mention.
  std::set<std::string> Mentioned(const std::string& title, const std::string& text) const {
    std::set<std::string> brands;
    for (const std::string* field : {&title, &text}) {
      if (field->empty()) continue;
      const std::string joined = Joined(*field);
      for (const auto& [brand, entry] : entries_) {
        if (joined.find(entry) != std::string::npos) brands.insert(brand);
      }
    }
    return brands;
  }

  // The tokens of `text`, each followed and the first preceded by a space (tokens hold
  // none), so that " a b " occurs in it exactly when the tokens a b are consecutive.
  static std::string Joined(const std::string& text) {
    // Lower-case ASCII; every non-ASCII byte becomes 0x7f, a word byte below, so tokens
    // keep their bounds (and no lexicon entry here holds non-ASCII).
    std::string s = text;
    for (char& c : s) {
      if (static_cast<unsigned char>(c) >= 0x80) c = '\x7f';
      else if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    // Group 2: a handle/hashtag prefix with the non-word byte or start before it (group 1);
    // group 4: a plain token. The iterator resumes after each token, so a '@' glued to the
    // end of a word cannot take the alternative that needs a separator before it.
    static const std::regex kToken(
        "(^|[^a-z0-9_\x7f])([@#])([a-z0-9_\x7f]+)|([a-z0-9_\x7f]+)");
    std::string out = " ";
    for (std::sregex_iterator it(s.begin(), s.end(), kToken), end; it != end; ++it) {
      const std::smatch& m = *it;
      if (m[2].matched) {
        out += m[2].str() + m[3].str();
      } else {
        out += m[4].str();
      }
      out.push_back(' ');
    }
    return out;
  }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;  // brand, joined entry tokens
};

TEST(GenCorpusRegexRule, TokenizesAsTheRuleSays) {
  EXPECT_EQ(RegexMentions::Joined("@united why?"), " @united why ");
  EXPECT_EQ(RegexMentions::Joined("T-Mobile and AT&T"), " t mobile and at t ");
  EXPECT_EQ(RegexMentions::Joined("mail care@flixo.example now"), " mail care flixo example now ");
  EXPECT_EQ(RegexMentions::Joined("a#b ##c #@d x@@e"), " a b #c @d x @e ");
  EXPECT_EQ(RegexMentions::Joined("I'm at #StreamBox!"), " i m at #streambox ");
  EXPECT_EQ(RegexMentions::Joined("caf\xc3\xa9@x \xf0\x9f\x98\xa1@Flixo"),
            " caf\x7f\x7f x \x7f\x7f\x7f\x7f flixo ");
  json lexicon = json::parse(R"({"brands": [{"name": "Pelican Air", "aliases": [], "handles":
      ["@PelicanAirCares"], "hashtags": ["#PelicanAir"], "misspellings": [], "market": "a",
      "competitors": []}]})");
  RegexMentions rm(lexicon);
  EXPECT_EQ(rm.Mentioned("", "pelican  AIR!").size(), 1u);
  EXPECT_EQ(rm.Mentioned("", "pelicanair").size(), 0u);
  EXPECT_EQ(rm.Mentioned("", "x#PelicanAir").size(), 0u);  // "x" "pelicanair"
  EXPECT_EQ(rm.Mentioned("", "(#PelicanAir)").size(), 1u);
  EXPECT_EQ(rm.Mentioned("Pelican", "Air").size(), 0u);  // no match across title and text
}

// One parsed output record, the fields the checks need.
struct Rec {
  std::string id, channel, author, role, brand, parent, thread, title, text;
  int64_t time = 0;
  bool has_score = false;
  int64_t score = 0;
  bool accepted = false;
};

// A corpus generated once for the suite: 200k messages over 120 days with 4 spikes.
class GenCorpusTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kMessages = 200000;

  static void SetUpTestSuite() {
    dir_ = new hark::testing::TempDir();
    std::string out = *dir_ / "corpus.jsonl";
    std::string truth = *dir_ / "truth.json";
    std::string lexicon = *dir_ / "brands.json";
    ASSERT_EQ(RunGen("--messages " + std::to_string(kMessages) +
                     " --seed 42 --days 120 --spikes 4 --start 2017-03-01 --out " + out +
                     " --truth " + truth + " --brands-out " + lexicon),
              0);
    truth_ = new json(json::parse(ReadFile(truth)));
    lexicon_ = new json(json::parse(ReadFile(lexicon)));
    records_ = new std::vector<Rec>();
    parse_errors_ = new std::vector<std::string>();
    std::ifstream in(out);
    std::string line;
    uint64_t n = 0;
    while (std::getline(in, line)) {
      ++n;
      json j;
      try {
        j = json::parse(line);
      } catch (const std::exception& e) {
        parse_errors_->push_back("line " + std::to_string(n) + ": " + e.what());
        continue;
      }
      Rec r;
      std::string why;
      for (const char* key : {"id", "source", "channel", "time", "author", "role", "brand",
                              "thread", "text"}) {
        if (!j.contains(key) || !j[key].is_string()) why += std::string(" missing ") + key;
      }
      if (!why.empty()) {
        parse_errors_->push_back("line " + std::to_string(n) + ":" + why);
        continue;
      }
      if (j["source"] != "gen") parse_errors_->push_back("line " + std::to_string(n) + ": source");
      r.id = j["id"];
      r.channel = j["channel"];
      r.author = j["author"];
      r.role = j["role"];
      r.brand = j["brand"];
      r.thread = j["thread"];
      r.text = j["text"];
      if (j.contains("parent")) r.parent = j["parent"];
      if (j.contains("title")) r.title = j["title"];
      std::string error;
      if (!hark::ParseTime(j["time"].get<std::string>(), &r.time, &error)) {
        parse_errors_->push_back("line " + std::to_string(n) + ": time " + error);
      }
      if (j.contains("score")) {
        if (!j["score"].is_number_integer()) parse_errors_->push_back("score not an integer");
        r.has_score = true;
        r.score = j["score"];
      }
      if (j.contains("accepted")) {
        if (!j["accepted"].is_boolean()) parse_errors_->push_back("accepted not a bool");
        r.accepted = j["accepted"];
      }
      if (j.contains("tags")) {
        bool ok = j["tags"].is_array();
        for (const auto& t : j["tags"]) ok = ok && t.is_string();
        if (!ok) parse_errors_->push_back("line " + std::to_string(n) + ": tags");
      }
      records_->push_back(std::move(r));
    }
    lines_ = n;
  }

  static void TearDownTestSuite() {
    delete records_;
    delete parse_errors_;
    delete truth_;
    delete lexicon_;
    delete dir_;
  }

  static hark::testing::TempDir* dir_;
  static json* truth_;
  static json* lexicon_;
  static std::vector<Rec>* records_;
  static std::vector<std::string>* parse_errors_;
  static uint64_t lines_;
};

hark::testing::TempDir* GenCorpusTest::dir_ = nullptr;
json* GenCorpusTest::truth_ = nullptr;
json* GenCorpusTest::lexicon_ = nullptr;
std::vector<Rec>* GenCorpusTest::records_ = nullptr;
std::vector<std::string>* GenCorpusTest::parse_errors_ = nullptr;
uint64_t GenCorpusTest::lines_ = 0;

TEST_F(GenCorpusTest, EveryLineIsAValidRecord) {
  EXPECT_EQ(lines_, kMessages);
  EXPECT_EQ(records_->size(), kMessages);
  ASSERT_TRUE(parse_errors_->empty()) << parse_errors_->size() << " bad lines, first: "
                                      << parse_errors_->front();
  const std::set<std::string> channels = {"twitter", "forum", "email", "chat"};
  const std::set<std::string> roles = {"customer", "agent", "community"};
  std::set<std::string> ids;
  for (const Rec& r : *records_) {
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate id " << r.id;
    EXPECT_TRUE(channels.count(r.channel)) << r.channel;
    EXPECT_TRUE(roles.count(r.role)) << r.role;
    EXPECT_FALSE(r.text.empty()) << r.id;
    EXPECT_FALSE(r.author.empty()) << r.id;
    EXPECT_FALSE(r.brand.empty()) << r.id;
    if (r.channel == "twitter") {
      EXPECT_LE(r.text.size(), 280u) << r.id;
    }
    if (r.channel == "email" || (r.channel == "forum" && r.parent.empty())) {
      EXPECT_FALSE(r.title.empty()) << r.id;
    }
    if (r.accepted) {
      EXPECT_EQ(r.channel, "forum") << r.id;
    }
  }
}

TEST_F(GenCorpusTest, ParentsExistPrecedeAndThreadsAreConsistent) {
  std::unordered_map<std::string, size_t> index;
  std::map<std::string, int> accepted_per_thread;
  for (size_t i = 0; i < records_->size(); ++i) {
    const Rec& r = (*records_)[i];
    if (r.parent.empty()) {
      EXPECT_EQ(r.thread, r.id) << "a root names its own thread";
    } else {
      auto it = index.find(r.parent);
      ASSERT_NE(it, index.end()) << r.id << ": parent " << r.parent
                                 << " missing or written after the reply";
      const Rec& p = (*records_)[it->second];
      EXPECT_GT(r.time, p.time) << r.id << " is not after its parent " << p.id;
      EXPECT_EQ(r.thread, p.thread) << r.id;
      EXPECT_EQ(r.channel, p.channel) << r.id;
      EXPECT_EQ(r.brand, p.brand) << r.id;
    }
    if (r.accepted) ++accepted_per_thread[r.thread];
    index.emplace(r.id, i);
  }
  for (const auto& [thread, n] : accepted_per_thread) EXPECT_EQ(n, 1) << thread;
}

TEST_F(GenCorpusTest, TruthCountsEqualARecount) {
  const json& c = (*truth_)["counts"];
  std::map<std::string, uint64_t> by_channel, by_brand, by_role, by_market, threads_by_channel,
      threads_by_brand;
  std::map<std::string, std::string> market_of;
  for (const auto& b : (*truth_)["brands"]) market_of[b["name"]] = b["market"];
  EXPECT_EQ(market_of.size(), 12u);
  std::vector<uint64_t> by_hour(24), by_weekday(7);
  uint64_t threads = 0, with_parent = 0, accepted = 0, forum_questions = 0;
  for (const Rec& r : *records_) {
    ++by_channel[r.channel];
    ++by_brand[r.brand];
    ++by_role[r.role];
    ++by_market[market_of.at(r.brand)];
    int64_t day = r.time / 86400;  // all times are after 1970
    ++by_hour[static_cast<size_t>((r.time % 86400) / 3600)];
    ++by_weekday[static_cast<size_t>((day + 4) % 7)];  // 1970-01-01 was a Thursday
    if (r.parent.empty()) {
      ++threads;
      ++threads_by_channel[r.channel];
      ++threads_by_brand[r.brand];
      if (r.channel == "forum") ++forum_questions;
    } else {
      ++with_parent;
    }
    if (r.accepted) ++accepted;
  }
  EXPECT_EQ(c["messages"].get<uint64_t>(), kMessages);
  EXPECT_EQ(c["threads"].get<uint64_t>(), threads);
  EXPECT_EQ(c["with_parent"].get<uint64_t>(), with_parent);
  EXPECT_EQ(c["accepted"].get<uint64_t>(), accepted);
  EXPECT_EQ(c["forum_questions"].get<uint64_t>(), forum_questions);
  using Counts = std::map<std::string, uint64_t>;
  EXPECT_EQ(c["by_channel"].get<Counts>(), by_channel);
  EXPECT_EQ(c["by_brand"].get<Counts>(), by_brand);
  EXPECT_EQ(c["by_role"].get<Counts>(), by_role);
  EXPECT_EQ(c["by_market"].get<Counts>(), by_market);
  EXPECT_EQ(c["threads_by_channel"].get<Counts>(), threads_by_channel);
  EXPECT_EQ(c["threads_by_brand"].get<Counts>(), threads_by_brand);
  EXPECT_EQ(c["by_hour_utc"].get<std::vector<uint64_t>>(), by_hour);
  EXPECT_EQ(c["by_weekday"].get<std::vector<uint64_t>>(), by_weekday);
  EXPECT_EQ(by_channel.size(), 4u);

  // The planted shapes: a diurnal and a weekly cycle.
  auto [lo, hi] = std::minmax_element(by_hour.begin(), by_hour.end());
  EXPECT_GT(*hi, 3 * *lo);
  double weekday = (by_weekday[1] + by_weekday[2] + by_weekday[3] + by_weekday[4]) / 4.0;
  double weekend = (by_weekday[0] + by_weekday[6]) / 2.0;
  EXPECT_GT(weekday, 1.15 * weekend);
}

TEST_F(GenCorpusTest, ShareOfVoiceMatchesTheOutputAndTheTarget) {
  std::map<std::string, std::string> market_of;
  for (const auto& b : (*truth_)["brands"]) market_of[b["name"]] = b["market"];
  std::map<std::string, uint64_t> by_brand, by_market;
  for (const Rec& r : *records_) {
    ++by_brand[r.brand];
    ++by_market[market_of.at(r.brand)];
  }
  for (const auto& [market, brands] : (*truth_)["share_of_voice"].items()) {
    double target_sum = 0;
    for (const auto& [brand, v] : brands.items()) {
      EXPECT_EQ(market_of.at(brand), market);
      EXPECT_EQ(v["messages"].get<uint64_t>(), by_brand[brand]) << brand;
      double share = static_cast<double>(by_brand[brand]) / by_market[market];
      EXPECT_NEAR(v["share"].get<double>(), share, 1e-12) << brand;
      // Spikes add volume to single brands, so the written share drifts a little.
      EXPECT_NEAR(share, v["target"].get<double>(), 0.06) << brand;
      target_sum += v["target"].get<double>();
    }
    EXPECT_NEAR(target_sum, 1.0, 1e-9) << market;
  }
}

TEST_F(GenCorpusTest, SpikesAreWhereTheTruthSays) {
  const json& spikes = (*truth_)["spikes"];
  ASSERT_EQ(spikes.size(), 4u);
  // brand -> day number -> messages, by UTC date of the message time.
  std::map<std::string, std::map<int64_t, uint64_t>> per_day;
  for (const Rec& r : *records_) ++per_day[r.brand][r.time / 86400];
  auto day_of = [](const std::string& date) {
    int64_t t = 0;
    std::string error;
    EXPECT_TRUE(hark::ParseTime(date, &t, &error)) << error;
    return t / 86400;
  };
  std::set<std::string> spike_brands;
  for (const json& s : spikes) {
    const std::string brand = s["brand"];
    EXPECT_TRUE(spike_brands.insert(brand).second) << "4 spikes go to 4 brands";
    const int64_t start = day_of(s["start"]);
    const int days = s["days"];
    // Counts per spike day.
    for (int i = 0; i < days; ++i) {
      std::string date = hark::FormatDate((start + i) * 86400);
      EXPECT_EQ(s["brand_messages_by_day"][date].get<uint64_t>(), per_day[brand][start + i])
          << brand << " " << date;
    }
    // The baseline median over the window less the spike days and the day after.
    std::vector<uint64_t> normal;
    for (int64_t d = day_of(s["baseline_first"]); d <= day_of(s["baseline_last"]); ++d) {
      if (d >= start && d <= start + days) continue;
      normal.push_back(per_day[brand][d]);
    }
    std::sort(normal.begin(), normal.end());
    ASSERT_FALSE(normal.empty());
    size_t n = normal.size();
    double median = n % 2 ? normal[n / 2] : (normal[n / 2 - 1] + normal[n / 2]) / 2.0;
    EXPECT_DOUBLE_EQ(s["baseline_daily_median"].get<double>(), median) << brand;
    // The spike stands out: each spike day at least twice the baseline.
    for (int i = 0; i < days; ++i) EXPECT_GT(per_day[brand][start + i], 2 * median) << brand;
    EXPECT_GT(s["observed_multiplier"].get<double>(), 0.6 * s["multiplier"].get<double>());
    // The driving terms: only the spike's messages of this brand hold them, and they
    // fall on the spike days or the few days after (late replies).
    uint64_t with_term = 0;
    for (const Rec& r : *records_) {
      if (r.brand != brand) continue;
      bool has = false;
      for (const auto& term : s["terms"]) has = has || HasWord(r.text, term.get<std::string>());
      if (!has) continue;
      ++with_term;
      int64_t d = r.time / 86400;
      EXPECT_TRUE(d >= start && d < start + days + 10) << r.id << " " << r.text;
    }
    EXPECT_EQ(with_term, s["term_messages"].get<uint64_t>()) << brand;
    EXPECT_GE(s["term_messages"].get<uint64_t>(), s["spike_messages"].get<uint64_t>() / 2);
  }
}

TEST_F(GenCorpusTest, DuplicateClustersPointAtTheirBestAnswer) {
  std::unordered_map<std::string, const Rec*> by_id;
  std::map<std::string, int64_t> top_score;  // per thread, among answers
  for (const Rec& r : *records_) {
    by_id[r.id] = &r;
    if (!r.parent.empty() && r.has_score) {
      top_score[r.thread] = std::max(top_score[r.thread], r.score);
    }
  }
  const json& dups = (*truth_)["duplicates"];
  ASSERT_GE(dups.size(), 30u);  // 12 brands x 4 questions, most planted at this size
  for (const json& c : dups) {
    const auto questions = c["questions"].get<std::vector<std::string>>();
    ASSERT_GE(questions.size(), 1u);
    std::set<std::string> threads;
    for (const std::string& q : questions) {
      auto it = by_id.find(q);
      ASSERT_NE(it, by_id.end()) << q;
      EXPECT_EQ(it->second->channel, "forum");
      EXPECT_TRUE(it->second->parent.empty()) << q << " is a question";
      EXPECT_EQ(it->second->brand, c["brand"].get<std::string>());
      EXPECT_TRUE(threads.insert(it->second->thread).second) << "one question per thread";
    }
    auto best = by_id.find(c["best_answer"].get<std::string>());
    ASSERT_NE(best, by_id.end()) << c["cluster"];
    EXPECT_TRUE(best->second->accepted);
    EXPECT_EQ(best->second->parent, questions.front());
    EXPECT_EQ(best->second->score, top_score[best->second->thread]);
  }
}

// --brands-out: the lexicon format of corpora/brands/README.md, one entry per brand of the
// truth, competitors = the other brands of its market, handles and hashtags as written.
TEST_F(GenCorpusTest, BrandsOutIsALexiconOfTheTruthsBrands) {
  const json& lex = *lexicon_;
  ASSERT_TRUE(lex.is_object());
  EXPECT_EQ(lex.size(), 1u);
  ASSERT_TRUE(lex.contains("brands") && lex["brands"].is_array());
  const json& truth_brands = (*truth_)["brands"];
  ASSERT_EQ(lex["brands"].size(), truth_brands.size());
  std::map<std::string, std::set<std::string>> market_brands;
  for (const auto& b : truth_brands) market_brands[b["market"]].insert(b["name"]);
  std::set<std::string> lower_names;
  for (size_t i = 0; i < truth_brands.size(); ++i) {
    const json& b = lex["brands"][i];
    const json& t = truth_brands[i];
    ASSERT_TRUE(b.is_object());
    std::set<std::string> keys;
    for (const auto& [k, v] : b.items()) keys.insert(k);
    EXPECT_EQ(keys, (std::set<std::string>{"name", "aliases", "handles", "hashtags",
                                           "misspellings", "market", "competitors"}));
    for (const char* k : {"aliases", "handles", "hashtags", "misspellings", "competitors"}) {
      ASSERT_TRUE(b[k].is_array()) << k;
      for (const auto& e : b[k]) ASSERT_TRUE(e.is_string() && !e.get<std::string>().empty()) << k;
    }
    ASSERT_TRUE(b["name"].is_string() && b["market"].is_string());
    const std::string name = b["name"];
    EXPECT_EQ(name, t["name"].get<std::string>());
    EXPECT_EQ(b["market"], t["market"]);
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(lower_names.insert(lower).second) << "duplicate name " << name;
    EXPECT_EQ(b["handles"], json::array({"@" + t["handle"].get<std::string>()})) << name;
    EXPECT_EQ(b["hashtags"], json::array({"#" + t["hashtag"].get<std::string>()})) << name;
    for (const auto& h : b["handles"]) EXPECT_EQ(h.get<std::string>()[0], '@');
    for (const auto& h : b["hashtags"]) EXPECT_EQ(h.get<std::string>()[0], '#');
    std::set<std::string> rivals = market_brands[t["market"]];
    rivals.erase(name);
    EXPECT_EQ(b["competitors"].get<std::set<std::string>>(), rivals) << name;
    EXPECT_EQ(b["competitors"].size(), rivals.size()) << name;
  }
}

// The truth's mention counts: consistent with each other, and equal to a recount of the
// written messages by the regex implementation of the rule against the --brands-out file.
TEST_F(GenCorpusTest, MentionTruthIsConsistentAndEqualsARegexRecount) {
  const json& t = *truth_;
  ASSERT_TRUE(t.contains("mentions") && t.contains("mention_share_of_voice") &&
              t.contains("comentions"));
  std::map<std::string, std::string> market_of;
  for (const auto& b : t["brands"]) market_of[b["name"]] = b["market"];
  const auto mentions = t["mentions"].get<std::map<std::string, uint64_t>>();
  EXPECT_EQ(mentions.size(), market_of.size());
  size_t listed = 0;
  for (const auto& [market, brands] : t["mention_share_of_voice"].items()) {
    double share_sum = 0;
    uint64_t total = 0;
    for (const auto& [brand, v] : brands.items()) total += v["mentions"].get<uint64_t>();
    EXPECT_GT(total, 0u) << market;
    for (const auto& [brand, v] : brands.items()) {
      ++listed;
      EXPECT_EQ(market_of.at(brand), market);
      EXPECT_EQ(v["mentions"].get<uint64_t>(), mentions.at(brand)) << brand;
      EXPECT_NEAR(v["share"].get<double>(),
                  static_cast<double>(v["mentions"].get<uint64_t>()) / total, 1e-12) << brand;
      share_sum += v["share"].get<double>();
    }
    EXPECT_NEAR(share_sum, 1.0, 1e-9) << market;
  }
  EXPECT_EQ(listed, market_of.size());
  std::map<std::pair<std::string, std::string>, uint64_t> comentions;
  for (const auto& c : t["comentions"]) {
    ASSERT_EQ(c["brands"].size(), 2u);
    std::string a = c["brands"][0], b = c["brands"][1];
    EXPECT_LT(a, b);
    uint64_t n = c["count"];
    EXPECT_GT(n, 0u);
    EXPECT_LE(n, std::min(mentions.at(a), mentions.at(b)));
    EXPECT_TRUE(comentions.emplace(std::make_pair(a, b), n).second) << a << " " << b;
  }

  RegexMentions rm(*lexicon_);
  std::map<std::string, uint64_t> recount;
  for (const auto& [brand, market] : market_of) recount[brand] = 0;
  std::map<std::pair<std::string, std::string>, uint64_t> co_recount;
  uint64_t own = 0, messages = 0;
  for (const Rec& r : *records_) {
    const std::set<std::string> brands = rm.Mentioned(r.title, r.text);
    for (const std::string& b : brands) ++recount[b];
    for (auto a = brands.begin(); a != brands.end(); ++a) {
      for (auto b = std::next(a); b != brands.end(); ++b) ++co_recount[{*a, *b}];
    }
    own += brands.count(r.brand);
    ++messages;
  }
  EXPECT_EQ(mentions, recount);
  EXPECT_EQ(comentions, co_recount);
  // The generated text names its own brand in a good share of messages, and rivals in
  // switching talk: both kinds of signal are there.
  EXPECT_GT(own, messages / 5);
  EXPECT_GE(comentions.size(), 12u);
}

// The lexicon depends on nothing but the brands; counting leaves the corpus bytes alone.
TEST(GenCorpus, BrandsOutIsDeterministicAndLeavesTheCorpusAlone) {
  hark::testing::TempDir dir;
  const std::string a = dir / "a.jsonl", b = dir / "b.jsonl", c = dir / "c.csv";
  ASSERT_EQ(RunGen("--messages 3000 --seed 7 --out " + a + " --truth " + a + ".json --brands-out " +
                   a + ".brands.json"),
            0);
  ASSERT_EQ(RunGen("--messages 3000 --seed 7 --out " + b), 0);
  EXPECT_EQ(ReadFile(a), ReadFile(b));
  ASSERT_EQ(RunGen("--messages 3000 --seed 8 --format twcs --out " + c + " --truth " + c +
                   ".json --brands-out " + c + ".brands.json"),
            0);
  const std::string lexicon = ReadFile(a + ".brands.json");
  EXPECT_EQ(lexicon, ReadFile(c + ".brands.json"));
  EXPECT_NO_THROW(json::parse(lexicon));
  // Without --truth, only the lexicon.
  const std::string d = dir / "d.jsonl";
  ASSERT_EQ(RunGen("--messages 100 --seed 7 --out " + d + " --brands-out " + d + ".brands.json"), 0);
  EXPECT_EQ(ReadFile(d + ".brands.json"), lexicon);
  // TWCS tweets hold mentions too (every root tweet is written to a brand).
  json truth = json::parse(ReadFile(c + ".json"));
  uint64_t total = 0;
  for (const auto& [brand, n] : truth["mentions"].items()) total += n.get<uint64_t>();
  EXPECT_GT(total, 500u);
  // A bad path fails.
  EXPECT_NE(RunGen("--messages 10 --out " + dir / "e.jsonl" + " --brands-out " + dir / "no/such/x.json"), 0);
}

TEST(GenCorpus, SameSeedSameBytesOtherSeedOtherBytes) {
  hark::testing::TempDir dir;
  for (const char* ext : {".jsonl", ".jsonl.zst"}) {
    std::string a = dir / (std::string("a") + ext), b = dir / (std::string("b") + ext),
                c = dir / (std::string("c") + ext);
    ASSERT_EQ(RunGen("--messages 30000 --seed 9 --out " + a + " --truth " + a + ".json"), 0);
    ASSERT_EQ(RunGen("--messages 30000 --seed 9 --out " + b + " --truth " + b + ".json"), 0);
    ASSERT_EQ(RunGen("--messages 30000 --seed 10 --out " + c), 0);
    std::string bytes = ReadFile(a);
    EXPECT_GT(bytes.size(), 1000u);
    EXPECT_EQ(bytes, ReadFile(b)) << ext;
    EXPECT_EQ(ReadFile(a + ".json"), ReadFile(b + ".json"));
    EXPECT_NE(bytes, ReadFile(c)) << ext;
  }
  // The compressed file holds the same bytes as the plain one.
  std::string plain = dir / "a.jsonl";
  std::string unpacked = dir / "unpacked.jsonl";
  ASSERT_EQ(std::system(("zstd -q -d -c " + dir / "a.jsonl.zst" + " > " + unpacked).c_str()), 0);
  EXPECT_EQ(ReadFile(unpacked), ReadFile(plain));
}

TEST(GenCorpus, ExactRecordCounts) {
  hark::testing::TempDir dir;
  for (uint64_t n : {1u, 2u, 17u, 999u, 12345u}) {
    std::string out = dir / ("n" + std::to_string(n) + ".jsonl");
    std::string truth = out + ".json";
    ASSERT_EQ(RunGen("--messages " + std::to_string(n) + " --out " + out + " --truth " + truth), 0);
    std::vector<std::string> lines = Lines(ReadFile(out));
    EXPECT_EQ(lines.size(), n);
    for (const std::string& line : lines) EXPECT_NO_THROW(json::parse(line)) << line;
    EXPECT_EQ(json::parse(ReadFile(truth))["counts"]["messages"].get<uint64_t>(), n);
  }
}

TEST(GenCorpus, StdoutAndTwcsFormat) {
  hark::testing::TempDir dir;
  std::string file = dir / "x.jsonl";
  std::string piped = dir / "piped.jsonl";
  ASSERT_EQ(RunGen("--messages 500 --seed 3 --out " + file), 0);
  ASSERT_EQ(RunGen("--messages 500 --seed 3 > " + piped), 0);
  EXPECT_EQ(ReadFile(file), ReadFile(piped));

  std::string csv = dir / "x.csv";
  ASSERT_EQ(RunGen("--messages 2000 --seed 3 --format twcs --out " + csv + " --truth " + csv + ".json"), 0);
  std::vector<std::string> lines = Lines(ReadFile(csv));
  ASSERT_EQ(lines.size(), 2001u);  // tweets hold no newlines
  EXPECT_EQ(lines[0],
            "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id");
  // First record: id 1, a customer, Twitter time format.
  EXPECT_EQ(lines[1].rfind("1,", 0), 0u) << lines[1];
  EXPECT_NE(lines[1].find(",True,"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find(" +0000 20"), std::string::npos) << lines[1];
  json truth = json::parse(ReadFile(csv + ".json"));
  EXPECT_EQ(truth["counts"]["by_channel"]["twitter"].get<uint64_t>(), 2000u);
  EXPECT_EQ(truth["format"], "twcs");
}

TEST(GenCorpus, BadArgumentsFail) {
  EXPECT_EQ(RunGen(""), 2);  // --messages is required
  EXPECT_EQ(RunGen("--messages 10 --days 0"), 2);
  EXPECT_EQ(RunGen("--messages 10 --start yesterday"), 2);
  EXPECT_EQ(RunGen("--messages 10 --format xml"), 2);
  EXPECT_EQ(RunGen("--messages 10 --out /nonexistent-dir/x.jsonl"), 1);
  EXPECT_EQ(RunGen("--messages 10 --multi-handle-share 1.5"), 2);
  EXPECT_EQ(RunGen("--messages 10 --multi-handle-share -0.1"), 2);
  EXPECT_EQ(RunGen("--messages 10 --multi-handle-share 0.3 --format twcs"), 2);
  hark::testing::TempDir dir;
  EXPECT_EQ(RunGen("--messages 10 --multi-handle-share 0.3 --out " + dir / "x.jsonl" +
                   " --identities /nonexistent-dir/i.csv"),
            1);
}

std::vector<json> ReadJsonl(const std::string& path) {
  std::vector<json> records;
  for (const std::string& line : Lines(ReadFile(path))) records.push_back(json::parse(line));
  return records;
}

std::string LowerAscii(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return s;
}

// person -> handles from an identities file, CSV (header person,handle) or JSON, in
// file order. Records a failure for anything malformed.
std::vector<std::pair<std::string, std::vector<std::string>>> ReadIdentities(const std::string& path) {
  std::vector<std::pair<std::string, std::vector<std::string>>> persons;
  if (path.size() > 5 && path.substr(path.size() - 5) == ".json") {
    // ordered_json keeps the file's order of persons.
    const nlohmann::ordered_json j = nlohmann::ordered_json::parse(ReadFile(path));
    for (const auto& [person, handles] : j.items()) {
      persons.emplace_back(person, handles.get<std::vector<std::string>>());
    }
    return persons;
  }
  std::vector<std::vector<std::string>> rows = hark::testing::ReadCsvForTest(path);
  EXPECT_FALSE(rows.empty());
  if (rows.empty()) return persons;
  EXPECT_EQ(rows[0], (std::vector<std::string>{"person", "handle"}));
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].size(), 2u) << "row " << i;
    if (rows[i].size() != 2) continue;
    if (persons.empty() || persons.back().first != rows[i][0]) persons.emplace_back(rows[i][0], std::vector<std::string>{});
    persons.back().second.push_back(rows[i][1]);
  }
  return persons;
}

// With --multi-handle-share the same options still give the same bytes; the share only
// renames authors (no other field of any record moves, so the choice of customers does
// not draw from the main random stream), and an explicit 0 is the default output.
TEST(GenCorpus, MultiHandleIsDeterministicAndOnlyRenamesAuthors) {
  hark::testing::TempDir dir;
  const std::string base = "--messages 12000 --seed 5 --days 200";
  for (const char* name : {"a", "b"}) {
    std::string n(name);
    ASSERT_EQ(RunGen(base + " --multi-handle-share 0.3 --out " + dir / (n + ".jsonl") + " --truth " +
                     dir / (n + ".json") + " --identities " + dir / (n + ".csv")),
              0);
  }
  EXPECT_EQ(ReadFile(dir / "a.jsonl"), ReadFile(dir / "b.jsonl"));
  EXPECT_EQ(ReadFile(dir / "a.json"), ReadFile(dir / "b.json"));
  EXPECT_EQ(ReadFile(dir / "a.csv"), ReadFile(dir / "b.csv"));

  ASSERT_EQ(RunGen(base + " --out " + dir / "default.jsonl" + " --truth " + dir / "default.json"), 0);
  ASSERT_EQ(RunGen(base + " --multi-handle-share 0 --out " + dir / "zero.jsonl" + " --truth " +
                   dir / "zero.json" + " --identities " + dir / "zero.csv"),
            0);
  EXPECT_EQ(ReadFile(dir / "default.jsonl"), ReadFile(dir / "zero.jsonl"));
  EXPECT_EQ(ReadFile(dir / "default.json"), ReadFile(dir / "zero.json"));
  EXPECT_FALSE(json::parse(ReadFile(dir / "default.json")).contains("journeys"));
  EXPECT_EQ(ReadFile(dir / "zero.csv"), "person,handle\n");

  std::set<std::string> stitched;
  for (const auto& [person, handles] : ReadIdentities(dir / "a.csv")) stitched.insert(handles.begin(), handles.end());
  std::vector<json> plain = ReadJsonl(dir / "default.jsonl");
  std::vector<json> multi = ReadJsonl(dir / "a.jsonl");
  ASSERT_EQ(plain.size(), multi.size());
  size_t renamed = 0;
  for (size_t i = 0; i < plain.size(); ++i) {
    json p = plain[i], m = multi[i];
    const std::string author = m["author"];
    if (p["author"] != m["author"]) {
      ++renamed;
      EXPECT_TRUE(stitched.count(author)) << "line " << i + 1 << ": " << author << " renamed but not in the identities";
      EXPECT_NE(m["channel"], "twitter") << "line " << i + 1 << ": the twitter handle stays";
    }
    p.erase("author");
    m.erase("author");
    EXPECT_EQ(p, m) << "line " << i + 1;
  }
  EXPECT_GT(renamed, plain.size() / 20);
}

// The identities file: the same mapping in CSV and JSON, one person per multi-handle
// customer with every handle an author of the output, no handle (case-insensitively) in
// two persons, one handle per channel; and the truth's counts and journeys against an
// independent recount of the output.
TEST(GenCorpus, IdentitiesFileAndJourneyTruth) {
  hark::testing::TempDir dir;
  const std::string out = dir / "c.jsonl";
  ASSERT_EQ(RunGen("--messages 20000 --seed 11 --multi-handle-share 0.25 --out " + out + " --truth " +
                   dir / "truth.json" + " --identities " + dir / "ids.csv"),
            0);
  ASSERT_EQ(RunGen("--messages 20000 --seed 11 --multi-handle-share 0.25 --out " + dir / "c2.jsonl" +
                   " --identities " + dir / "ids.json"),
            0);
  const auto persons = ReadIdentities(dir / "ids.csv");
  EXPECT_EQ(persons, ReadIdentities(dir / "ids.json"));
  ASSERT_GT(persons.size(), 100u);

  std::vector<json> records = ReadJsonl(out);
  std::map<std::string, std::set<std::string>> channels_of_author;  // lower-cased author
  for (const json& r : records) channels_of_author[LowerAscii(r["author"])].insert(r["channel"].get<std::string>());

  std::map<std::string, std::string> person_of;  // lower-cased handle -> person
  std::set<std::string> person_ids;
  uint64_t handle_count = 0;
  for (const auto& [person, handles] : persons) {
    EXPECT_TRUE(person_ids.insert(person).second) << person << " listed twice";
    EXPECT_EQ(person.size(), 7u) << person;
    EXPECT_EQ(person[0], 'p') << person;
    EXPECT_FALSE(handles.empty()) << person;
    std::set<std::string> channels;
    for (const std::string& h : handles) {
      ++handle_count;
      auto [it, inserted] = person_of.emplace(LowerAscii(h), person);
      EXPECT_TRUE(inserted) << h << " in " << person << " and " << it->second;
      auto written = channels_of_author.find(LowerAscii(h));
      ASSERT_NE(written, channels_of_author.end()) << h << " of " << person << " wrote nothing";
      EXPECT_EQ(written->second.size(), 1u) << h << " writes on one channel";
      EXPECT_TRUE(channels.insert(*written->second.begin()).second) << person << ": two handles on one channel";
    }
  }
  const json truth = json::parse(ReadFile(dir / "truth.json"));
  EXPECT_EQ(truth["identities"]["persons"].get<uint64_t>(), persons.size());
  EXPECT_EQ(truth["identities"]["handles"].get<uint64_t>(), handle_count);

  // Journeys: every message of every conversation in which one of the person's handles
  // wrote, by time, equal times in output order.
  const json& journeys = truth["journeys"];
  ASSERT_GE(journeys.size(), 10u);
  ASSERT_LE(journeys.size(), 20u);
  for (const json& j : journeys) {
    const std::string person = j["person"];
    std::set<std::string> handles;
    for (const auto& h : j["handles"]) {
      handles.insert(LowerAscii(h));
      EXPECT_EQ(person_of[LowerAscii(h)], person) << h;
    }
    EXPECT_GE(j["channels"].size(), 2u) << person;
    std::set<std::string> threads;
    for (const json& r : records) {
      if (handles.count(LowerAscii(r["author"]))) threads.insert(r["thread"].get<std::string>());
    }
    std::vector<std::pair<int64_t, size_t>> order;
    for (size_t i = 0; i < records.size(); ++i) {
      if (!threads.count(records[i]["thread"].get<std::string>())) continue;
      int64_t t = 0;
      std::string error;
      ASSERT_TRUE(hark::ParseTime(records[i]["time"].get<std::string>(), &t, &error)) << error;
      order.emplace_back(t, i);
    }
    std::sort(order.begin(), order.end());
    std::vector<std::string> expected;
    for (const auto& [t, i] : order) expected.push_back(records[i]["id"]);
    EXPECT_EQ(j["messages"].get<std::vector<std::string>>(), expected) << person;
    EXPECT_EQ(j["conversations"].get<size_t>(), threads.size()) << person;
  }
}

}  // namespace
