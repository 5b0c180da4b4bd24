// Term statistics behind `hark trend --spikes` and `hark trend --rising`: which words and
// two-word phrases of a set of messages are over-represented against another set
// (Dunning log-likelihood G²), and which buckets of a count series stand far above a
// rolling baseline (robust z-score). Pure algorithms over text and numbers; the index
// is not touched here.
//
// Thread-safety: the free functions are pure and may run concurrently. TermCounts is
// not thread-safe for writes (Add, Merge); its const members may be called from any
// number of threads while no thread writes. For parallel counting give each thread its
// own TermCounts and Merge them.
#ifndef HARK_QUERY_TERM_STATS_H_
#define HARK_QUERY_TERM_STATS_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hark {

// ---------------------------------------------------------------------------------
// Terms of a message.
// ---------------------------------------------------------------------------------

// Replaces *out with the distinct terms of one message, sorted bytewise. These terms
// are for statistics only (no stemming); they are not the search index's terms.
//
// Tokens. The text is cut into chunks at whitespace (ASCII whitespace and the Unicode
// spaces U+00A0, U+2000-U+200A, U+202F, U+205F, U+3000). Inside a chunk a word token is
// a maximal run of word characters: ASCII letters and digits and every non-ASCII code
// point that is not punctuation, a symbol, an emoji or a format character (those
// ranges are listed in term_stats.cc; e.g. "…", "’" on its own, "→", emoji are
// separators, "é", "ß", "ж", "日" are word characters, kept as their UTF-8 bytes).
// Bytes that are not valid UTF-8 are separators, so every term is valid UTF-8.
//  * Case: ASCII letters are folded to lower case; other letters are left as they are.
//  * Apostrophes: an apostrophe (', U+2019, U+02BC, &#39;, &apos;) between two word
//    characters stays in the token as ASCII "'" ("don’t" -> "don't"); a final "'s" is
//    then dropped as a possessive ("amazon's" -> "amazon"; "it's" -> "it"). Other
//    apostrophes (quotes, "customers'") are separators.
//  * Hyphens: a hyphen (-, U+2010, U+2011) between two word characters stays in the
//    token as "-" ("wi-fi", "check-in", "t-mobile"): splitting would lose the compound
//    and usually leave a stopword half ("log-in" -> "log", "in").
//  * @handles: "@" followed by [A-Za-z0-9_] starts a handle, which is dropped up to its
//    last [A-Za-z0-9_] byte ("@AmazonHelp's" drops "AmazonHelp"; "'s" is then noise).
//  * E-mail addresses: a chunk with an "@" that has an ASCII letter or digit on both
//    sides ("me@example.com") is dropped whole.
//  * URLs: from "http://", "https://" or "www." (any case, not preceded by a letter or
//    digit) to the end of the chunk is dropped; what came before in the chunk is kept.
//  * #hashtags: the "#" is a separator, so "#fail" counts as the word "fail": the tag
//    and the plain word name the same topic and should be counted together.
//  * HTML character references (&amp;, &gt;, &#8217;, ...) that the reader left in the
//    text are separators (apostrophe references count as apostrophes).
// A token is then removed when it is a pure number (no letter: no ASCII letter and no
// non-ASCII byte, so "2017", "10-01" and "24" go, "10am", "3rd" and "4g" stay), shorter
// than 2 bytes, longer than 64 bytes (tracking codes, base64), or a stopword (234
// entries: English function words including negations, contractions with and without
// the apostrophe, and the web noise "amp", "rt", "via", "http", "https", "www", "com";
// see IsStopword).
//
// Bigrams (when `bigrams`): each pair of consecutive kept tokens that were adjacent in
// the text, joined by one space ("flight cancelled"). Adjacent means nothing stood
// between them but spaces, tabs and "#": any removed token (stopword, number, handle,
// URL, ...), any other punctuation (". , ! ? ( ) / & quotes ...") and any line break end
// the phrase. So "flight was cancelled" gives no bigram, "flight #cancelled" gives
// "flight cancelled", "flight. cancelled" gives none.
//
// Each distinct term is listed once (document frequency).
void ExtractTerms(std::string_view text, bool bigrams, std::vector<std::string>* out);

// Whether `word` (already lower case, apostrophe as ASCII "'") is on the stopword list.
bool IsStopword(std::string_view word);

// ---------------------------------------------------------------------------------
// Document frequencies.
// ---------------------------------------------------------------------------------

// Document frequencies of terms (ExtractTerms) over a set of messages. Not thread-safe
// (see the top of this file); use one per thread and Merge.
class TermCounts {
 public:
  explicit TermCounts(bool bigrams = true);

  // Counts one message: docs() grows by one, df() of each of its distinct terms by one.
  void Add(std::string_view text);
  // Adds other's messages and counts to this one. Both should have been built with the
  // same bigrams setting (the terms are merged as they are either way). `other` may be
  // *this (every count doubles).
  void Merge(const TermCounts& other);

  bool bigrams() const { return bigrams_; }
  // Messages added.
  uint64_t docs() const { return docs_; }
  // Messages containing `term` (0 for a term never seen).
  uint64_t df(std::string_view term) const;
  // Distinct terms seen.
  size_t size() const { return df_.size(); }
  // Calls fn(term, df) once per distinct term, in no particular order. `fn` must not
  // modify this TermCounts.
  void ForEach(const std::function<void(std::string_view term, uint64_t df)>& fn) const;

 private:
  // Heterogeneous lookup, so df(string_view) does not allocate.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  bool bigrams_;
  uint64_t docs_ = 0;
  std::unordered_map<std::string, uint64_t, Hash, std::equal_to<>> df_;
  std::vector<std::string> scratch_;  // Add's term buffer, reused to avoid allocations.
};

// ---------------------------------------------------------------------------------
// Comparing two sets of messages.
// ---------------------------------------------------------------------------------

// Signed Dunning log-likelihood ratio G² of the 2x2 table
//                 set A                set B
//   has term      count_a              count_b
//   lacks term    docs_a - count_a     docs_b - count_b
// G² = 2 Σ O·ln(O/E) over the four cells (E = row total × column total / grand total,
// cells with O = 0 contribute 0), computed in the equivalent entropy form. The sign is
// + when the term's share is higher in A (count_a/docs_a > count_b/docs_b), - when it
// is lower, and the value is 0 when the shares are equal or a set is empty. Under the
// null hypothesis |G²| follows χ² with 1 degree of freedom: 3.84 is p < 0.05, 6.63 is
// p < 0.01, 10.83 is p < 0.001, 15.13 is p < 0.0001. Counts above their docs are
// clamped to docs.
double DunningG2(uint64_t count_a, uint64_t docs_a, uint64_t count_b, uint64_t docs_b);

struct TermShift {
  std::string term;
  uint64_t count_a = 0, count_b = 0;  // messages containing the term in A and in B
  double share_a = 0, share_b = 0;    // count / docs (0 for an empty set)
  // share_a / share_b. When count_b == 0 the term is new and share_b is replaced by
  // 0.5 / max(docs_b, 1) (half a message: the usual 0.5 continuity correction), so the
  // ratio stays finite and still grows with count_a.
  double ratio = 0;
  double llr = 0;       // DunningG2(count_a, docs a, count_b, docs b): > 0 here
  bool is_new = false;  // count_b == 0
};

// Terms over-represented in A against B: those with count_a >= min_count, share_a >
// share_b and llr >= min_llr (default 10.83: p < 0.001 for one degree of freedom),
// most significant first (llr descending, ties by term ascending bytewise), at most
// `limit` of them (limit 0 = none).
//
// Unigrams and bigrams compete in one list. A bigram is kept even when both of its
// words are listed too: the phrase is a fact of its own ("flight cancelled" vs "flight"
// and "cancelled" rising separately). A unigram is dropped when it is fully explained
// by a qualifying bigram, i.e. one of the qualifying bigrams contains it as a word and
// has the same count_a: then every message of A with the word has the phrase, and the
// word would only repeat the phrase's line (the bigram's llr is never lower, since its
// count_b cannot be higher). This happens before `limit` is applied.
//
// With an empty B nothing is significant (G² is 0), so the result is empty.
std::vector<TermShift> CompareTerms(const TermCounts& a, const TermCounts& b, size_t limit,
                                    uint64_t min_count = 3, double min_llr = 10.83);

// ---------------------------------------------------------------------------------
// Spikes in a bucket series.
// ---------------------------------------------------------------------------------

struct SpikeOptions {
  size_t window = 28;       // trailing buckets forming the baseline (the caller picks per
                            // unit: e.g. 28 days, 168 hours, 12 weeks, 12 months)
  size_t min_history = 7;   // buckets with fewer baseline buckets are never judged
  double threshold = 5.0;   // robust z-score needed
  uint64_t min_count = 10;  // a spike has at least this many messages
  double min_ratio = 1.5;   // ... and at least this multiple of the baseline
  // `hark trend` also asks a spike to be broad: its number of distinct conversations
  // must be improbable under a Poisson law with the window's mean number per bucket,
  // P(X >= conversations) <= max_p. Message counts are clustered (one long chat adds
  // twenty messages), conversation starts are close to Poisson.
  double max_p = 1e-6;
};

// P(X >= k) for X ~ Poisson(lambda), accurate in the far tail (summed from k upwards
// in log space); 1 when k <= lambda would make it at least about one half anyway.
double PoissonUpperTail(uint64_t k, double lambda);

struct Spike {
  size_t index = 0;  // bucket
  uint64_t count = 0;
  double baseline = 0;                      // median of the trailing window
  double spread = 0;                        // the robust spread used
  double score = 0;                         // (count - baseline) / spread
  size_t window_begin = 0, window_end = 0;  // baseline buckets [begin, end)
};

// Buckets of `counts` (message counts in time order, one per bucket, empty buckets
// included as 0) that stand far above their trailing baseline, in index order.
//
// Method, for each bucket i:
//  1. Window: the buckets [max(0, i - window), i), i.e. the `window` buckets before i,
//     fewer at the start. Bucket i is not judged when the window has fewer than
//     max(min_history, 1) buckets.
//  2. baseline = median of the window's counts (mean of the two middle values for an
//     even size).
//  3. MAD = median of |count - baseline| over the window; spread = max(1.4826 × MAD,
//     sqrt(max(baseline, 1))). 1.4826 × MAD estimates the standard deviation of normal
//     noise while ignoring outliers. The floor is the Poisson standard deviation at the
//     baseline: message counts are counts, so their noise is at least about
//     sqrt(mean). Without it a quiet series (a window of 0s and 1s, or a constant
//     series) has MAD 0 and any small bump gets an enormous score; with it a bucket
//     needs about `threshold` Poisson standard deviations over the baseline. A window
//     with a baseline below 1 uses 1 so that "a few messages where there were none"
//     is still measured in whole messages.
//  4. score = (count - baseline) / spread.
//  5. Bucket i is a spike when score >= threshold, count >= min_count and count >=
//     min_ratio × baseline.
// Earlier spikes stay in later windows. The median and MAD ignore a minority of
// outliers (breakdown point 50%), so a few spikes in a window barely move them; and a
// lasting rise in volume (a launch, a new channel) should become the new normal after
// about window/2 buckets instead of being flagged for ever, which is what excluding
// flagged buckets from the baseline would do.
//
// False alarms on pure Poisson noise with the defaults (measured, 1000 two-year daily
// series each): none at means 1, 50 and 200 (also with weekends 40% lower); about 0.17
// false spikes per series at mean 3, 0.09 at mean 5, 0.03 at mean 10. Low-volume
// series are the weak spot: the Poisson tail is longer than the normal tail the sqrt
// floor stands for, and the median of a mean-3 window is often 2. min_count = 12
// brings mean 3 down to 0.04 per series; callers with small counts may want it.
//
// Cost: O(n × window) (two nth_element passes over a window-sized buffer per bucket);
// 20,000 hourly buckets with a 168-hour window take about 30 ms.
std::vector<Spike> FindSpikes(const std::vector<uint64_t>& counts, const SpikeOptions& options);

}  // namespace hark

#endif  // HARK_QUERY_TERM_STATS_H_
