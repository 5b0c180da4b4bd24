// SentimentAnalyzer (indexer/sentiment.h): VADER's published examples, the rules one by
// one, lexicon loading errors, and 3-class accuracy / macro-F1 on the two human-labelled
// tweet sets in ../shared/corpora, computed here from the raw CSVs.
#include "indexer/sentiment.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

#include "tests/test_support.h"

namespace hark {
namespace {

using testing::TempDir;

const SentimentAnalyzer& Vader() { return SentimentAnalyzer::Default(); }

// The compound scores the reference implementation prints for the examples in its
// README (vaderSentiment 3.3), to its 4 decimals.
TEST(Sentiment, ReferenceExamples) {
  struct Case {
    const char* text;
    double compound;
  };
  const Case cases[] = {
      {"VADER is smart, handsome, and funny.", 0.8316},
      {"VADER is smart, handsome, and funny!", 0.8439},
      {"VADER is very smart, handsome, and funny.", 0.8545},
      {"VADER is VERY SMART, handsome, and FUNNY.", 0.9227},
      {"VADER is VERY SMART, handsome, and FUNNY!!!", 0.9342},
      {"VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!", 0.9469},
      {"VADER is not smart, handsome, nor funny.", -0.7424},
      {"The book was good.", 0.4404},
      {"At least it isn't a horrible book.", 0.431},
      {"The book was only kind of good.", 0.3832},
      {"The plot was good, but the characters are uncompelling and the dialog is not great.", -0.7042},
      {"Today SUX!", -0.5461},
      {"Today only kinda sux! But I'll get by, lol", 0.5249},
      {"Make sure you :) or :D today!", 0.8633},
      {"", 0.0},
  };
  for (const Case& c : cases) EXPECT_NEAR(Vader().Score(c.text), c.compound, 0.00051) << c.text;
}

TEST(Sentiment, Rules) {
  const SentimentAnalyzer& v = Vader();
  double good = v.Score("the service was good");
  EXPECT_GT(good, 0.05);
  EXPECT_LT(v.Score("the service was not good"), -0.05);       // negation
  EXPECT_LT(v.Score("the service wasn't good"), -0.05);        // any n't
  EXPECT_LT(v.Score("the service wasnt good"), -0.05);         // n't without apostrophe
  EXPECT_GT(v.Score("the service was very good"), good);       // booster
  EXPECT_LT(v.Score("the service was slightly good"), good);   // dampener
  EXPECT_GT(v.Score("the service was GOOD"), good);            // capitals
  EXPECT_DOUBLE_EQ(v.Score("THE SERVICE WAS GOOD"), good);     // all caps: no emphasis
  EXPECT_GT(v.Score("the service was good!!"), good);          // exclamation
  EXPECT_DOUBLE_EQ(v.Score("the service was good!!!!!!"), v.Score("the service was good!!!!"));
  EXPECT_GT(v.Score("the food was awful but the service was great"), 0.05);  // "but"
  EXPECT_GT(v.Score("without doubt a great flight"), 0.05);    // not a negation
  EXPECT_DOUBLE_EQ(v.Score("the flight departed at noon"), 0.0);
  EXPECT_DOUBLE_EQ(v.Score("GOOD"), v.Score("good"));          // case-insensitive
  EXPECT_GT(v.Score("thanks @united :)"), 0.05);               // emoticon kept whole
  EXPECT_LT(v.Score("@united lost my bag :("), -0.05);
  EXPECT_GE(v.Score("great great great great great great great great great great!!!!"), 0.99);
  EXPECT_LE(v.Score("awful horrible terrible worst hate hate hate!!!!"), -0.97);
  ASSERT_TRUE(v.Valence("GOOD").has_value());
  EXPECT_NEAR(*v.Valence("good"), 1.9, 1e-9);
  EXPECT_FALSE(v.Valence("flight").has_value());
  EXPECT_EQ(v.lexicon_size(), 7491u);  // 7,517 lines; 26 differ from another only in case
}

TEST(Sentiment, LexiconFiles) {
  TempDir dir;
  std::ofstream(dir / "ok.tsv") << "nice\t2.5\t0.5\t[2, 3]\n\nbad\t-2\n";
  auto ok = SentimentAnalyzer::FromFile(dir / "ok.tsv");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ((*ok)->lexicon_size(), 2u);
  EXPECT_GT((*ok)->Score("nice"), 0.05);
  EXPECT_LT((*ok)->Score("not nice"), -0.05);

  std::ofstream(dir / "bad.tsv") << "nice\t2.5\nbad\tvery\n";
  auto bad = SentimentAnalyzer::FromFile(dir / "bad.tsv");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("bad.tsv:2: valence is not a number"), std::string::npos)
      << bad.status().message();
  auto missing = SentimentAnalyzer::FromFile(dir / "none.tsv");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("none.tsv"), std::string::npos);
}

// 3-class confusion counts with VADER's usual thresholds (>= 0.05 positive, <= -0.05
// negative).
struct Confusion {
  std::array<std::array<size_t, 3>, 3> n{};  // [truth][predicted]: 0 neg, 1 neu, 2 pos
  void Add(int truth, double score) { ++n[truth][score >= 0.05 ? 2 : score <= -0.05 ? 0 : 1]; }
  size_t Total() const {
    size_t t = 0;
    for (const auto& row : n) for (size_t c : row) t += c;
    return t;
  }
  double Accuracy() const { return double(n[0][0] + n[1][1] + n[2][2]) / Total(); }
  double MacroF1() const {
    double sum = 0;
    for (int k = 0; k < 3; ++k) {
      double tp = n[k][k], predicted = n[0][k] + n[1][k] + n[2][k], actual = n[k][0] + n[k][1] + n[k][2];
      double p = predicted == 0 ? 0 : tp / predicted, r = actual == 0 ? 0 : tp / actual;
      sum += p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
    return sum / 3;
  }
};

// The reference VADER scores macro-F1 0.508 on the airline tweets and 0.459 on SXSW
// (issue 5). hark's VADER matches it on SXSW; on the airline tweets it scores 0.460,
// because it has no emoji descriptions yet (489 of the airline tweets carry emoji, 189
// of them labelled positive). These floors guard against regressions; issue 5's emoji and
// customer-care rules raise them to its goals.
TEST(Sentiment, AirlineTweetsLabelled) {
  HARK_REQUIRE_CORPUS(path, "airline-sentiment-tweets/Tweets.csv");
  auto rows = testing::ReadCsvForTest(path);
  ASSERT_EQ(rows.size(), 14641u);  // header + 14,640
  Confusion c;
  for (size_t i = 1; i < rows.size(); ++i) {
    const std::string& label = rows[i][1];
    int truth = label == "negative" ? 0 : label == "neutral" ? 1 : label == "positive" ? 2 : -1;
    ASSERT_GE(truth, 0) << "row " << i << ": " << label;
    c.Add(truth, Vader().Score(rows[i][10]));
  }
  EXPECT_EQ(c.n[0][0] + c.n[0][1] + c.n[0][2], 9178u);
  std::printf("airline tweets: %zu, accuracy %.3f, macro-F1 %.3f (reference VADER 0.508)\n", c.Total(),
              c.Accuracy(), c.MacroF1());
  EXPECT_GE(c.MacroF1(), 0.455);
}

TEST(Sentiment, SxswLabelled) {
  HARK_REQUIRE_CORPUS(path, "sxsw-brand-emotion-tweets/judge-1377884607_tweet_product_company.csv");
  auto rows = testing::ReadCsvForTest(path);
  ASSERT_EQ(rows.size(), 9094u);  // header + 9,093
  Confusion c;
  size_t cannot_tell = 0;
  for (size_t i = 1; i < rows.size(); ++i) {
    const std::string& label = rows[i][2];
    if (label == "I can't tell") {
      ++cannot_tell;
      continue;
    }
    int truth = label == "Negative emotion" ? 0
                : label == "No emotion toward brand or product" ? 1
                : label == "Positive emotion" ? 2 : -1;
    ASSERT_GE(truth, 0) << "row " << i << ": " << label;
    c.Add(truth, Vader().Score(rows[i][0]));
  }
  EXPECT_EQ(cannot_tell, 156u);
  EXPECT_EQ(c.Total(), 9093u - 156u);
  std::printf("SXSW tweets: %zu, accuracy %.3f, macro-F1 %.3f (reference VADER 0.459)\n", c.Total(),
              c.Accuracy(), c.MacroF1());
  EXPECT_GE(c.MacroF1(), 0.455);
}

}  // namespace
}  // namespace hark
