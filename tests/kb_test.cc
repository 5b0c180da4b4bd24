// hark kb end to end: entries from the real Stack Exchange and TWCS data, their
// accounting (every question in exactly one entry, sources and support agree), the
// accepted answer chosen where the site has one, deflections never best when a
// substantive answer exists, gaps without a good answer, and the three output formats.
#include "query/kb.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "indexer/ingest.h"
#include "tests/test_support.h"

namespace hark {
namespace {

using json = nlohmann::json;
using testing::TempDir;

std::unique_ptr<IndexReader> Ingest(const TempDir& dir, const std::string& file) {
  IngestOptions opts;
  opts.index_dir = dir / "idx";
  opts.files = {file};
  opts.progress = Progress::Mode::kOff;
  Result<IngestReport> r = RunIngest(opts);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return IndexReader::Open(dir / "idx").value();
}

json Kb(IndexReader& index, const KbRequest& req) {
  std::ostringstream out;
  RenderOptions render;
  render.format = OutputFormat::kJson;
  Status s = RunKb(index, req, render, out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return s.ok() ? json::parse(out.str()) : json();
}

// Every entry, single-conversation ones included (or every gap).
KbReport AllEntries(IndexReader& index, bool gaps = false) {
  KbRequest req;
  req.min_support = 1;
  req.limit = SIZE_MAX;
  req.gaps = gaps;
  KbReport r;
  Status s = ComputeKb(index, req, &r);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return r;
}

// Every question lands in exactly one entry (min_support 1, no limit), an entry's
// support is its number of source threads, and the listed similar questions belong to it.
void CheckAccounting(IndexReader& index) {
  KbReport r = AllEntries(index);
  KbReport g = AllEntries(index, /*gaps=*/true);
  EXPECT_EQ(r.clusters, g.clusters);
  size_t threads = 0;
  std::set<std::string> seen;
  for (const KbReport* rep : {&r, &g}) {
    for (const KbEntry& e : rep->entries) {
      EXPECT_EQ(e.support, e.sources.size());
      EXPECT_LE(e.first_seen, e.last_seen);
      EXPECT_LE(e.resolved, e.support);
      threads += e.support;
      for (const std::string& s : e.sources) EXPECT_TRUE(seen.insert(s).second) << s << " in two entries";
    }
  }
  EXPECT_EQ(threads, r.questions);  // entries and gaps together cover every question
  EXPECT_EQ(r.entries.size() + g.entries.size(), r.clusters);
  for (const KbEntry& e : g.entries) {
    EXPECT_TRUE(!e.answer || e.answer->deflection || e.resolved == 0) << e.question_id;
  }
  // One pass for both (what `hark report` asks for) gives what the two passes give.
  KbRequest req;
  req.min_support = 1;
  KbReport both_kb, both_gaps;
  ASSERT_TRUE(ComputeKb(index, req, &both_kb, &both_gaps).ok());
  for (const auto& [one, two] : {std::make_pair(&both_kb, &r), std::make_pair(&both_gaps, &g)}) {
    EXPECT_EQ(one->threads, two->threads);
    EXPECT_EQ(one->questions, two->questions);
    EXPECT_EQ(one->clusters, two->clusters);
    ASSERT_EQ(one->entries.size(), two->entries.size());
    for (size_t i = 0; i < one->entries.size(); ++i) {
      EXPECT_EQ(one->entries[i].question_id, two->entries[i].question_id);
      EXPECT_EQ(one->entries[i].sources, two->entries[i].sources);
      EXPECT_EQ(one->entries[i].answer.has_value(), two->entries[i].answer.has_value());
    }
  }
}

TEST(KbStackExchange, AccountingAndAcceptedAnswers) {
  HARK_REQUIRE_CORPUS(posts, "stackexchange-beer/Posts.xml");
  TempDir dir;
  auto index = Ingest(dir, posts);
  CheckAccounting(*index);
  KbReport r = AllEntries(*index);
  size_t with_answer = 0;
  for (const KbEntry& e : r.entries) with_answer += e.answer.has_value();
  EXPECT_GT(r.questions, 500u);
  EXPECT_GE(with_answer * 10, r.entries.size() * 9);  // nearly every answered cluster is an entry
  std::printf("beer.stackexchange: %llu threads, %llu questions, %llu clusters, %zu entries with an answer\n",
              static_cast<unsigned long long>(r.threads), static_cast<unsigned long long>(r.questions),
              static_cast<unsigned long long>(r.clusters), with_answer);
}

TEST(KbTwcs, DeflectionsAreNeverBestWhenSubstanceExistsAndFormats) {
  TempDir dir;
  auto index = Ingest(dir, std::string(HARK_SOURCE_DIR) + "/corpora/twcs-head-5k.csv");
  CheckAccounting(*index);
  KbReport r = AllEntries(*index);
  size_t checked = 0;
  for (const KbEntry& e : r.entries) {
    if (!e.answer) continue;
    bool substantive = !e.answer->deflection;
    for (const KbAnswer& a : e.runners_up) substantive |= !a.deflection;
    if (substantive) {
      ++checked;
      EXPECT_FALSE(e.answer->deflection) << e.question_id << ": " << e.answer->text;
    }
  }
  EXPECT_GT(checked, 10u);
  std::printf("twcs sample: %llu questions, %zu entries with a substantive answer checked\n",
              static_cast<unsigned long long>(r.questions), checked);

  // JSON contract.
  KbRequest top;
  top.min_support = 1;
  top.limit = 5;
  json j = Kb(*index, top);
  ASSERT_EQ(j["entries"].size(), 5u);
  for (const json& e : j["entries"]) {
    for (const char* key : {"question", "similar", "answer", "runners_up", "why", "support", "first_seen",
                            "last_seen", "brands", "channels", "sources"}) {
      EXPECT_TRUE(e.contains(key)) << key;
    }
    EXPECT_EQ(e["sources"].size(), e["support"].get<size_t>());
  }
  // Ordered by support, descending.
  for (size_t i = 1; i < j["entries"].size(); ++i) {
    EXPECT_GE(j["entries"][i - 1]["support"].get<size_t>(), j["entries"][i]["support"].get<size_t>());
  }
  // Markdown links back to sources; CSV has a header and one row per entry.
  std::ostringstream md, csv;
  RenderOptions render;
  ASSERT_TRUE(RunKb(*index, top, render, md).ok());
  EXPECT_NE(md.str().find("# Knowledge base draft"), std::string::npos);
  EXPECT_NE(md.str().find("hark thread"), std::string::npos);
  render.format = OutputFormat::kCsv;
  ASSERT_TRUE(RunKb(*index, top, render, csv).ok());
  const std::string csv_text = csv.str();
  EXPECT_GE(std::count(csv_text.begin(), csv_text.end(), '\n'), 6);
  EXPECT_EQ(csv_text.rfind("support,resolved,first_seen,last_seen,question_id", 0), 0u);
}

// Words of a question outside @handles and links, for the "reads as a question" check.
size_t ContentWords(const std::string& text) {
  std::istringstream in(text);
  std::string w;
  size_t n = 0;
  while (in >> w) {
    if (w[0] == '@' || w.find("://") != std::string::npos) continue;
    n += std::any_of(w.begin(), w.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
  }
  return n;
}

// A brand's entries read as its FAQ: each entry's question opens its conversation (a
// customer's first message, not a follow-up such as "no, that didn't help"), is
// addressed to the entry's brand and says something; its answer comes from the brand's
// own agents when they answered; the most asked entries are distinct questions.
TEST(KbTwcs, EntriesReadAsTheBrandsFaq) {
  TempDir dir;
  auto index = Ingest(dir, std::string(HARK_SOURCE_DIR) + "/corpora/twcs-head-5k.csv");
  KbReport r = AllEntries(*index);
  ASSERT_GT(r.entries.size(), 100u);
  std::map<std::string, size_t> per_brand;
  size_t agent_answers = 0;
  for (const KbEntry& e : r.entries) {
    std::vector<Record> found;
    ASSERT_TRUE(index->FindById(e.question_id, e.question_source, &found).ok());
    ASSERT_EQ(found.size(), 1u) << e.question_id;
    const Record& q = found[0];
    EXPECT_TRUE(q.parent.empty()) << e.question_id << " is a follow-up: " << q.text;
    EXPECT_EQ(q.role, Role::kCustomer) << e.question_id;
    std::vector<Record> thread;
    ASSERT_TRUE(index->Thread(q.source, q.thread, &thread).ok());
    ASSERT_FALSE(thread.empty());
    EXPECT_EQ(thread.front().id, q.id) << "the question opens its conversation";
    // The entry's brand: the one addressed, else the one whose agent answered.
    std::string brand = q.brand;
    for (const Record& m : thread) {
      if (brand.empty() && m.role == Role::kAgent) brand = m.brand;
    }
    EXPECT_EQ(e.brands, std::vector<std::string>{brand}) << e.question_id;
    ++per_brand[brand];
    if (!e.answer) continue;
    std::vector<Record> answer;
    ASSERT_TRUE(index->FindById(e.answer->id, e.answer->source, &answer).ok());
    ASSERT_EQ(answer.size(), 1u);
    if (answer[0].role == Role::kAgent) {
      ++agent_answers;
      EXPECT_EQ(answer[0].brand, brand) << "answer " << e.answer->id << " by another brand's agent";
    }
  }
  EXPECT_GE(agent_answers * 10, r.entries.size() * 9) << "care questions are answered by the brand's agents";
  // The most asked: distinct wordings, each with content.
  std::set<std::string> seen;
  for (size_t i = 0; i < 15 && i < r.entries.size(); ++i) {
    const KbEntry& e = r.entries[i];
    EXPECT_TRUE(seen.insert(e.question_text).second) << e.question_text;
    EXPECT_GE(ContentWords(e.question_text), 4u) << e.question_text;
    EXPECT_GE(e.support, 3u);
  }
  std::printf("twcs head-5k: %zu entries across %zu brands, %zu answered by the brand's agents\n", r.entries.size(),
              per_brand.size(), agent_answers);
}

// The SpotifyCares extract keeps the customer tweets that replied to the brand: almost
// every thread starts in the middle. Its follow-ups are not questions; only threads that
// open with a customer's own tweet (no in_response_to_tweet_id in the raw CSV) can be.
TEST(KbTwcs, ThreadsWithoutTheirOpeningAskNothing) {
  HARK_REQUIRE_CORPUS(customers, "twcs-spotifycares/spotifycares_customer_tweets.csv");
  HARK_REQUIRE_CORPUS(brand, "twcs-spotifycares/spotifycares_brand_tweets.csv");
  const std::vector<std::vector<std::string>> rows = testing::ReadCsvForTest(customers);
  ASSERT_GT(rows.size(), 1u);
  size_t col = rows[0].size();
  for (size_t c = 0; c < rows[0].size(); ++c) {
    if (rows[0][c] == "in_response_to_tweet_id") col = c;
  }
  ASSERT_LT(col, rows[0].size());
  size_t openings = 0;
  for (size_t i = 1; i < rows.size(); ++i) openings += rows[i].size() > col && rows[i][col].empty();

  TempDir dir;
  IngestOptions opts;
  opts.index_dir = dir / "idx";
  opts.files = {brand, customers};
  opts.progress = Progress::Mode::kOff;
  ASSERT_TRUE(RunIngest(opts).ok());
  auto index = IndexReader::Open(dir / "idx").value();
  KbReport r = AllEntries(*index);
  EXPECT_LE(r.questions, openings);
  EXPECT_GT(r.opening_missing, r.threads / 2);
  std::printf("spotifycares: %llu threads, %llu without their opening, %llu questions (%zu opening tweets in the "
              "CSV)\n",
              static_cast<unsigned long long>(r.threads), static_cast<unsigned long long>(r.opening_missing),
              static_cast<unsigned long long>(r.questions), openings);
}

}  // namespace
}  // namespace hark
