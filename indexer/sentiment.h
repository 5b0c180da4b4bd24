// SentimentAnalyzer: a VADER-style lexicon and rule scorer for short social texts
// (Hutto & Gilbert, "VADER: A Parsimonious Rule-based Model for Sentiment Analysis of
// Social Media Text", ICWSM 2014). Score() returns VADER's compound score in [-1, 1];
// the usual reading is >= 0.05 positive, <= -0.05 negative, neutral in between.
//
// The rules, applied to whitespace-separated tokens:
//   - tokens: ASCII punctuation is stripped from both ends of a token ("good!" ->
//     "good", "@united" -> "united") unless that leaves at most 2 characters and the
//     token as written is in the lexicon (emoticons ":)", ":-D", "</3" stay whole);
//     look-ups are ASCII case-insensitive, and U+2019 counts as an apostrophe;
//   - valence: the lexicon's mean valence of the token (-4..4), 0 when absent;
//   - capitals: +-0.733 for an ALL-CAPS sentiment word when the text also has tokens
//     that are not all caps;
//   - boosters / dampeners ("very", "extremely", "barely", "kind of", "sort of" ...)
//     among the 3 tokens before a sentiment word add +-0.293 in the word's direction
//     (+-0.733 more when the booster itself is in caps), scaled by 1, 0.95, 0.9 with
//     distance;
//   - negation: a negator ("not", "never", "without", any "n't" word, "cannot", "nor",
//     "nothing" ...) among the 3 tokens before scales by -0.74 (once per negator);
//     "no" (itself a negative word) negates a sentiment word 1 or 2 tokens later, or 3
//     with "or" / "nor" in between, and scores 0 itself when a sentiment word follows
//     it; "never so / this good" intensifies by 1.25 instead; "without doubt" is not a
//     negation; "least good" negates unless "at least" / "very least";
//   - "but": sentiment before the first "but" is halved, sentiment after it is x1.5;
//   - punctuation: each "!" adds 0.292 (at most 4), 2-3 "?" add 0.18 each and more
//     add 0.96, in the direction of the sum;
//   - compound = sum / sqrt(sum^2 + 15), clamped to [-1, 1]; 0 for a text with no
//     sentiment words (the empty text included).
// Left out: emoji (the reference Python version first replaces emoji by their English
// descriptions; no emoji lexicon ships here), and the handful of fixed idioms ("the
// bomb", "yeah right", "kiss of death").
//
// Immutable after construction: Score() is const and thread-safe; one analyzer may be
// shared by every thread. Score() works on bytes (any encoding; non-ASCII bytes are part
// of words) and allocates nothing once a thread has scored its longest text.
#ifndef HARK_INDEXER_SENTIMENT_H_
#define HARK_INDEXER_SENTIMENT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/status.h"

namespace hark {

class SentimentAnalyzer {
 public:
  // The analyzer over the VADER lexicon compiled into the binary
  // (corpora/lexicons/vader_lexicon.tsv). Built on first use; thread-safe.
  static const SentimentAnalyzer& Default();

  // A lexicon file of `token<TAB>valence` lines (further tab-separated columns are
  // ignored, so VADER's own vader_lexicon.txt loads as well). Keys are folded to ASCII
  // lower case; of entries that fold to the same key, the last one already written in
  // lower case wins (else the last). Empty lines are skipped; a line without a tab or
  // with a valence that is not a number is a Format error naming the line.
  static Result<std::unique_ptr<SentimentAnalyzer>> FromFile(const std::string& tsv);
  // The same from the file's contents; `origin` names it in errors.
  static Result<std::unique_ptr<SentimentAnalyzer>> FromTsv(std::string_view contents,
                                                            std::string_view origin);

  SentimentAnalyzer(const SentimentAnalyzer&) = delete;
  SentimentAnalyzer& operator=(const SentimentAnalyzer&) = delete;

  // VADER's compound score of `text`, in [-1, 1].
  double Score(std::string_view text) const;

  // The lexicon valence of one token (case-insensitive), if it has one.
  std::optional<double> Valence(std::string_view token) const;
  // Distinct lexicon keys.
  size_t lexicon_size() const { return lexicon_size_; }

  // What the word table knows about one key (public only for sentiment.cc's helpers).
  struct WordInfo {
    double valence = 0;    // lexicon mean valence (when kInLexicon)
    double booster = 0;    // +-0.293 for intensifiers / dampeners, else 0
    uint32_t flags = 0;    // the k* bits in sentiment.cc
  };

 private:
  SentimentAnalyzer() = default;

  // Open-addressing hash table (linear probing, power-of-two size) over one key arena:
  // built once, then only read.
  struct Slot {
    uint64_t hash = 0;
    uint32_t key_offset = 0;
    uint32_t key_length = 0;  // 0: empty slot
    WordInfo info;
  };
  WordInfo* Insert(std::string_view key);  // construction only
  void Rehash(size_t capacity);
  const WordInfo* Find(std::string_view lower_key) const;
  void AddRuleWords();

  std::string arena_;
  std::vector<Slot> slots_;
  size_t used_ = 0;
  size_t lexicon_size_ = 0;
  size_t max_key_length_ = 0;
};

}  // namespace hark

#endif  // HARK_INDEXER_SENTIMENT_H_
