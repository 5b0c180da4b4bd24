// SentimentAnalyzer: a VADER-style lexicon and rule scorer for short social texts
// (Hutto & Gilbert, "VADER: A Parsimonious Rule-based Model for Sentiment Analysis of
// Social Media Text", ICWSM 2014), extended for customer-care messages. Score() returns
// VADER's compound score in [-1, 1]; the usual reading is >= 0.05 positive, <= -0.05
// negative, neutral in between.
//
// VADER's published rules, applied to whitespace-separated tokens:
//   - tokens: HTML character references ("&gt;", "&quot;", "&#39;") separate words
//     ("&gt;" is not VADER's "gt" 1.1); ASCII punctuation is stripped from both ends of a token ("good!" ->
//     "good") unless that leaves at most 2 characters and the token as written is in
//     the lexicon (emoticons ":)", ":-D", "</3" stay whole); look-ups are ASCII
//     case-insensitive, and U+2019 counts as an apostrophe;
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
//   - emoji: the reference replaces each emoji by its English description and scores
//     those words. No emoji lexicon ships here, so sentiment.cc has a table (kEmoji) of
//     about 100 common emoji (faces, hearts, hands, celebration) with one valence each,
//     taken from the VADER valence of the emoticon that means the same (U+1F60A as
//     ":)" 2.0, U+1F62D as ":'(" -2.2), else from the VADER valences of the words of
//     its Unicode name (U+1F602 "face with tears of joy": -0.9 + 2.8), else by meaning
//     (thumbs up 2.0, as "approval" 2.1); each entry names its source. Emoji split
//     words ("great😊" is "great" and U+1F60A); other pictographs, skin tones, ZWJ,
//     variation selectors, U+2013/2014 dashes, U+201C/201D quotes and U+2026 only
//     separate words;
//   - VADER's idioms as phrases: "the shit" 3, "the bomb" 3, "bad ass" 1.5, "bus stop"
//     0, "yeah right" -2, "kiss of death" -1.5, "to die for" 3, "beating heart" 3.1,
//     "broken heart" -2.9;
//   - compound = sum / sqrt(sum^2 + 15), clamped to [-1, 1]; 0 for a text with no
//     sentiment words (the empty text included).
//
// Customer-care extensions (the negative is often in the facts, and the positive words
// are often courtesy). Valences are on the lexicon's scale and chosen by meaning next to
// lexicon words of the same strength; the missing vocabulary was found from aggregate
// statistics (frequent words of misclassified labelled tweets), never from individual
// labelled messages (sentiment.cc, AddCareRules):
//   - handles: a token with '@' right before its first ASCII letter or digit
//     ("@united", ".@delta") names an account and is never a sentiment word (VADER
//     scores "@united" as "united" 1.8);
//   - care words: service failures "cancelled" / "canceled" -1.5, "delayed" -1.5,
//     "delays" -1.3, "stuck" -1.5, "stranded" -2, "overbooked" / "oversold" -1.5,
//     "diverted" -1, "late" -1, "cancellation(s)" -1, "issue(s)" -1, "unhelpful" -1.8,
//     "nightmare" -2.5, "hassle" -1.5, "yikes" -1, device and app complaints VADER lacks
//     ("crashed" / "crashes" / "crashing" -1.7 as "crash", "buggy" -1.5, "glitch(y)" /
//     "laggy" / "clunky" -1.3, "froze" / "frozen" / "freezes" -1, "unusable" -2, "outage"
//     -1.5, "died" / "dies" -2, "drain" -1, "drains" -1.5, "overpriced" -1.5, "pricey" -1,
//     "ripoff" -2, "flawed" -1.5, "headache(s)" -1.5, "fades" -0.8), "wait" / "waiting" /
//     "waited" -0.8 ("can't wait" stays positive through negation), "why" -0.8 (asked of a brand it
//     asks for an explanation of a failure); the offer words "free", "win",
//     "giveaway", "contest", "sweepstakes", "prize" have no valence (a price or a
//     promotion, not a feeling), nor have the event and loyalty-programme words "party",
//     "parties", "festival", "join", "rewards" ("Google party tonight", "join us"), nor
//     the tech-usage words "nfc" (near-field communication, not VADER's "no f***ing
//     comment" -2.7) and "geek(s)" (the audience's name for itself, VADER -0.8 / -0.4);
//   - care phrases (keyed on their first word; the first token takes the valence, the
//     others become neutral fillers): "on hold" -1.5, "still waiting" -2, "hung up" /
//     "hangs up" -2, "hang up" -1.5, "lost luggage" / "lost bag(s)" / "lost my" -2,
//     "missed my" / "missed connection(s)" -2, "for hours" / "for days" -1.5, "a joke"
//     -1.5, "thanks for nothing" -2, "yet again" -1.5, "third time" / "3rd time" /
//     "fourth time" / "4th time" / "multiple times" / "several times" -1, "unable to"
//     -1, "do better" / "expect(ed) better" / "deserve better" -1.5, "customer care" 0
//     (a department, not "care" 2.2), "no one" / "no one's" (a negator, as "nobody" /
//     "noone"); announcement formulas score 0: "stop by" (a visit, not "stop" -1.2),
//     "giving away" / "give(s) away" (a promotion), "don't forget" (a reminder, not a
//     negated "forget"), "disaster relief" / "earthquake relief" / "relief effort(s)"
//     (aid, not "disaster" -3.1 + "relief" 2.1), "the block" / "a block" (a city block,
//     not "block" -1.9);
//   - failed services: words for a service the customer expects ("arrive", "respond",
//     "answer", "reply", "work", "load", "refund", "get", "call", "update", "help" ...)
//     score nothing alone and -1.5 when negated ("didn't arrive", "no response",
//     "never called back", "nobody answered", "can't get through", "won't load");
//   - durations: a time unit after a number ("3 hours", "2hrs", "an hour", "45 mins")
//     with a wait word ("wait", "hold", "delayed", "stuck", "sitting", "been", "still",
//     "line", "tarmac" ...) among the 6 tokens before the number or the 3 after the unit
//     scores -1.5 for hours / days / weeks and -0.8 for minutes;
//   - "again" within 3 tokens after a negative word scores -1 ("delayed again");
//   - requests: "please" / "pls" / "plz" have no valence; "help" scores only as a noun
//     after a determiner ("thanks for your help"), not as a request ("please help",
//     "help me"); "like" scores only as a verb after a subject or adverb ("I like",
//     "really like", "don't like"), not in "looks like", "like 3 hours", "would like";
//   - questions: positive words in a sentence that ends with '?' score 0 (a question to
//     a brand asks for something: "can you help?", "any better seats?");
//   - thanks in a complaint: "thanks" / "thank" / "thx" / "ty" count only when the rest
//     of the text is not negative (courtesy or sarcasm closing a complaint is not
//     praise);
//   - weak evidence: a text whose only sentiment is one lexicon word (or emoji) used
//     plainly (no negation, booster, dampener or capitals) with |valence| < 1.5, no '!'
//     and no care rule behind it scores 0 ("cool keynote", "interesting panel", "no
//     line at the store"): a single low-confidence lexicon hit is noise in
//     announcement-style text, while the care words are themselves the complaint.
// The announcement formulas, the event / tech-usage words, the device complaints and
// the weak-evidence rule were found from aggregate statistics of the SXSW brand-emotion
// tweets (confusion matrices, frequent lexicon words of misclassified tweets, word
// frequency ratios between negative and neutral tweets), never from single tweets, and
// were kept only where they read as general rules for social and customer-care text
// that cost the airline tweets (macro-F1) nothing.
//
// Immutable after construction: Score() is const and thread-safe; one analyzer may be
// shared by every thread. Score() works on bytes (any encoding; non-ASCII bytes are part
// of words, except well-formed UTF-8 emoji and the typographic punctuation above, which
// separate words), makes one pass to tokenize and one to score (phrases are looked up
// through their first word's table entry), and allocates nothing once a thread has
// scored its longest text.
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
  // with a valence that is not a number is a Format error naming the line. The rule
  // words and the customer-care words and phrases are added to any lexicon (care
  // valences override the file's).
  static Result<std::unique_ptr<SentimentAnalyzer>> FromFile(const std::string& tsv);
  // The same from the file's contents; `origin` names it in errors.
  static Result<std::unique_ptr<SentimentAnalyzer>> FromTsv(std::string_view contents,
                                                            std::string_view origin);

  SentimentAnalyzer(const SentimentAnalyzer&) = delete;
  SentimentAnalyzer& operator=(const SentimentAnalyzer&) = delete;

  // VADER's compound score of `text`, in [-1, 1].
  double Score(std::string_view text) const;

  // The valence of one token (case-insensitive) in the lexicon as extended by the care
  // words ("canceled" -1.5; "free" none), if it has one.
  std::optional<double> Valence(std::string_view token) const;
  // Distinct keys of the lexicon file (the care words not counted).
  size_t lexicon_size() const { return lexicon_size_; }

  // What the word table knows about one key (public only for sentiment.cc's helpers).
  struct WordInfo {
    double valence = 0;         // lexicon mean valence (when kInLexicon)
    double booster = 0;         // +-0.293 for intensifiers / dampeners, else 0
    uint32_t flags = 0;         // the k* bits in sentiment.cc
    uint32_t care = 0;          // the kC* bits (customer-care word classes) in sentiment.cc
    uint32_t phrase_begin = 0;  // phrases_[phrase_begin, phrase_end) start with this key,
    uint32_t phrase_end = 0;    // longest first
  };
  // A multi-word expression of the care lexicon or of VADER's idioms: its words, in
  // order, and what the first token becomes when all of them follow one another.
  static constexpr size_t kMaxPhraseWords = 4;
  struct Phrase {
    const WordInfo* words[kMaxPhraseWords] = {};
    uint32_t length = 0;
    double valence = 0;
    uint32_t flags = 0;  // k* bits the first token gets (besides kInLexicon when valence != 0)
    uint32_t care = 0;   // kC* bits the first token gets
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
  void AddCareRules();  // after AddRuleWords: the customer-care lexicon and phrases

  std::string arena_;
  std::vector<Slot> slots_;
  std::vector<Phrase> phrases_;  // grouped by first word, longest first within a group
  size_t used_ = 0;
  size_t lexicon_size_ = 0;
  size_t max_key_length_ = 0;
};

}  // namespace hark

#endif  // HARK_INDEXER_SENTIMENT_H_
