// Indexes written by earlier hark keep working: real `hark` subprocesses on copies of
// tests/fixtures/layout2-index and layout3-index (their README says how they were made:
// the first 300 lines of corpora/twcs-head-5k.csv). Time filters find exactly the
// messages in range, facets count what the hits hold, `hark verify` passes, and the next
// ingest rebuilds the text index in the current layout with the same answers.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/schema.h"
#include "storage/time_parse.h"
#include "tests/test_support.h"

namespace hark {
namespace {

namespace fs = std::filesystem;
using testing::Proc;
using testing::RunHark;
using testing::TempDir;

const std::string kFixtures = std::string(HARK_SOURCE_DIR) + "/tests/fixtures/";
const std::string kSample = std::string(HARK_SOURCE_DIR) + "/corpora/twcs-head-5k.csv";

struct Range {
  std::string from, to;  // --from / --to ("" = open)
};

// An index of an older text layout: tests/fixtures/layout<N>-index.
struct OldLayout {
  int layout;
};

class LayoutUpgrade : public ::testing::TestWithParam<OldLayout> {
 protected:
  void SetUp() override {
    fs::copy(kFixtures + "layout" + std::to_string(GetParam().layout) + "-index", index_,
             fs::copy_options::recursive);
    // The fixture's input: the sample's header and first 300 rows, as when it was made.
    std::ifstream in(kSample);
    std::ofstream out(csv_);
    std::string line;
    for (int i = 0; i < 301 && std::getline(in, line); ++i) out << line << '\n';
  }

  // Messages with a time in `r`, counted from the CSV's created_at column.
  uint64_t Recount(const Range& r) {
    std::vector<std::vector<std::string>> rows = testing::ReadCsvForTest(csv_);
    auto at = [](const std::string& iso) {
      int64_t t = 0;
      std::string error;
      EXPECT_TRUE(ParseTime(iso, &t, &error)) << error;
      return t;
    };
    const std::optional<int64_t> from = r.from.empty() ? std::nullopt : std::optional<int64_t>(at(r.from));
    const std::optional<int64_t> to = r.to.empty() ? std::nullopt : std::optional<int64_t>(at(r.to));
    uint64_t n = 0;
    for (size_t i = 1; i < rows.size(); ++i) {
      int64_t t = 0;
      std::string error;
      EXPECT_TRUE(ParseTime(rows[i].at(4), &t, &error)) << error;
      n += (!from || t >= *from) && (!to || t <= *to);
    }
    return n;
  }

  uint64_t Total(const Range& r, const std::string& query = "") {
    std::vector<std::string> args = {"search", "--index", index_, "--exact", "--limit", "0", "--format", "json"};
    if (!r.from.empty()) args.insert(args.end(), {"--from", r.from});
    if (!r.to.empty()) args.insert(args.end(), {"--to", r.to});
    if (!query.empty()) args.push_back(query);
    Proc p = RunHark(args);
    EXPECT_EQ(p.code, 0) << p.err;
    return p.code == 0 ? nlohmann::json::parse(p.out)["total"].get<uint64_t>() : 0;
  }

  void ExpectExactRanges() {
    const std::vector<Range> ranges = {
        {"2017-10-01T00:00:00Z", "2017-10-31T23:59:59Z"}, {"2017-10-31T00:00:00Z", "2017-11-01T12:00:00Z"},
        {"2017-10-31T22:00:00Z", "2017-10-31T23:00:00Z"}, {"2017-11-01T00:00:00Z", ""},
        {"", "2017-10-30T00:00:00Z"},                     {"2016-01-01T00:00:00Z", "2018-12-31T23:59:59Z"},
    };
    for (const Range& r : ranges) EXPECT_EQ(Total(r), Recount(r)) << r.from << ".." << r.to;
    // The same through date: and a range in the query.
    EXPECT_EQ(Total({}, "date:2017-10"), Recount({"2017-10-01T00:00:00Z", "2017-10-31T23:59:59Z"}));
    EXPECT_EQ(Total({}, "2017-10-31..2017-11-01"), Recount({"2017-10-31T00:00:00Z", "2017-11-01T23:59:59Z"}));
  }

  Proc Verify() { return RunHark({"verify", "--index", index_}); }

  // Facet counts over every message equal the counts of the hits' own fields (read from
  // the records, not the text index), most frequent first.
  void ExpectFacetsCountTheHits() {
    Proc p = RunHark({"search", "--index", index_, "--exact", "--limit", "1000", "--facets",
                      "author,brand,channel,role,source", "--format", "json"});
    ASSERT_EQ(p.code, 0) << p.err;
    const nlohmann::json j = nlohmann::json::parse(p.out);
    ASSERT_EQ(j["hits"].size(), j["total"].get<size_t>());
    ASSERT_EQ(j["total"], 263);
    for (const char* field : {"author", "brand", "channel", "role", "source"}) {
      std::map<std::string, uint64_t> want, got;
      for (const auto& hit : j["hits"]) {
        const std::string v = hit[field];
        if (!v.empty()) ++want[std::string(field) == "source" ? v : schema::Lower(v)];
      }
      uint64_t previous = UINT64_MAX;
      for (const auto& f : j["facets"][field]) {
        got[f["value"]] = f["count"];
        EXPECT_LE(f["count"].get<uint64_t>(), previous) << field;
        previous = f["count"];
      }
      EXPECT_EQ(got, want) << field;
      EXPECT_GT(got.size(), std::string(field) == "author" ? 20u : 0u) << field;
    }
  }

  // Answers built from every match's author and role (KB entries, journeys) as JSON.
  std::string MatchRowAnswers() {
    Proc kb = RunHark({"kb", "--index", index_, "--min-support", "1", "--format", "json"});
    Proc journeys = RunHark({"journeys", "--index", index_, "--step", "help", "--step", "thanks", "--within", "2w",
                             "--format", "json"});
    EXPECT_EQ(kb.code, 0) << kb.err;
    EXPECT_EQ(journeys.code, 0) << journeys.err;
    EXPECT_EQ(nlohmann::json::parse(journeys.out)["total"], 3);
    EXPECT_GT(nlohmann::json::parse(kb.out)["entries"].size(), 10u);
    return kb.out + journeys.out;
  }

  TempDir tmp_;
  std::string index_ = tmp_ / "index";
  std::string csv_ = tmp_ / "twcs-300.csv";
};

TEST_P(LayoutUpgrade, OlderLayoutSearchesVerifiesAndIsRebuiltByTheNextIngest) {
  {
    std::ifstream manifest(index_ + "/gen-000001/manifest.json");
    ASSERT_EQ(nlohmann::json::parse(manifest)["text_layout"], GetParam().layout) << "the fixture is of another layout";
  }
  ASSERT_GT(Recount({"2017-10-01T00:00:00Z", "2017-10-31T23:59:59Z"}), 10u);
  ExpectExactRanges();
  ExpectFacetsCountTheHits();
  const std::string answers = MatchRowAnswers();
  Proc before = Verify();
  EXPECT_EQ(before.code, 0) << before.out << before.err;

  // The next ingest (nothing new in the file) rebuilds the text index in today's layout.
  Proc ingest = RunHark({"ingest", "--index", index_, "--progress", "off", "--stats-json", tmp_ / "s.json", csv_});
  ASSERT_EQ(ingest.code, 0) << ingest.err;
  std::ifstream stats(tmp_ / "s.json");
  EXPECT_TRUE(nlohmann::json::parse(stats)["text_rebuilt"].get<bool>());
  std::ifstream manifest(index_ + "/gen-000001/manifest.json");
  EXPECT_EQ(nlohmann::json::parse(manifest)["text_layout"].get<int>(), schema::kTextLayout);
  ExpectExactRanges();
  ExpectFacetsCountTheHits();
  EXPECT_EQ(MatchRowAnswers(), answers);
  Proc after = Verify();
  EXPECT_EQ(after.code, 0) << after.out << after.err;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, LayoutUpgrade, ::testing::Values(OldLayout{2}, OldLayout{3}),
                         [](const ::testing::TestParamInfo<OldLayout>& info) {
                           return "Layout" + std::to_string(info.param.layout);
                         });

}  // namespace
}  // namespace hark
