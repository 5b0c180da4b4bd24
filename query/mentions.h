// `hark mentions`: what customers say about each brand of a lexicon and its competitors:
// exact mention counts, share of voice, sentiment by brand, top authors, mentions over
// time, co-mentions and switching statements ("switching from X to Y").
//
// The messages come from the text index (the query, the time range and, when the index
// was tagged with the same lexicon, its mentioned-brand terms); each one's brands are
// then found with BrandLexicon::Mentions over its title and text. With the lexicon the
// index was tagged with, that equals the mentions stored at ingest; with another one
// (`--brands NEW.json` on an index tagged with none or another), every message of the
// selection is read and tagged at query time: the same exact answers as re-ingesting,
// without re-ingesting. Stateless; the IndexReader is not thread-safe.
#ifndef HARK_QUERY_MENTIONS_H_
#define HARK_QUERY_MENTIONS_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "query/output.h"
#include "query/search.h"
#include "query/time_bucket.h"
#include "storage/brand_lexicon.h"
#include "storage/index.h"

namespace hark {

struct MentionsRequest {
  std::string brands_path;        // "" = the lexicon the index was tagged with
  std::optional<BucketUnit> by;   // mentions over time when set
  std::string tz = "UTC";
  std::optional<int64_t> from, to;
  std::string query;              // only messages matching it (Xapian syntax)
  size_t authors = 5;             // top authors per brand
  size_t examples = 3;            // example message ids per switching flow
};

struct BrandStats {
  std::string brand, market;
  uint64_t mentions = 0;      // messages mentioning the brand
  double share = 0;           // of the mentions of its market's brands
  double share_all = 0;       // of the mentions of every brand
  double sentiment_mean = 0;
  uint64_t positive = 0, neutral = 0, negative = 0;  // sentiment classes (±0.05)
  std::vector<std::pair<std::string, uint64_t>> authors;
  std::vector<uint64_t> buckets;  // mentions per bucket (with `by`)
};

struct SwitchFlow {
  std::string from, to;  // from "" = not said
  uint64_t count = 0;
  std::vector<std::string> examples;  // message ids
};

struct MentionsReport {
  bool retagged = false;        // tagged at query time with a lexicon the index lacks
  size_t lexicon_brands = 0;
  uint64_t messages = 0;        // messages selected (query, time range)
  uint64_t mentioning = 0;      // ... mentioning at least one brand
  std::vector<BrandStats> brands;  // by mentions, descending
  std::vector<int64_t> bounds;     // bucket starts + end (with `by`)
  std::vector<std::pair<std::pair<std::string, std::string>, uint64_t>> comentions;  // by count
  std::vector<SwitchFlow> switching;                                                 // by count
};

// The switching statements of one text: (from brand or -1, to brand) pairs, each once.
// Rules (on BrandLexicon tokens; a negation "not", "never", "no" or "n't" just before
// the verb cancels a statement):
//   "<verb> [over] from X [up to 3 words] to Y"  X -> Y  (switch, move, change, port, migrate,
//                                                         jump, convert; go, went, come)
//   "<leave verb> X for Y"                       X -> Y  (leave, left, ditch, dump, drop, quit, cancel)
//   "<switch verb> [over] to Y", "<go> over to Y" ? -> Y  (from: the one other brand named, if any;
//                                                         "going to Y" alone is a visit, not a switch)
//   "<go / come / switch verb> back to Y"        ? -> Y
void FindSwitching(const BrandLexicon& lexicon, const std::vector<std::string>& tokens,
                   const std::vector<BrandMention>& mentions, std::vector<std::pair<int, int>>* flows);

[[nodiscard]] Status ComputeMentions(IndexReader& index, const MentionsRequest& request, MentionsReport* out);

// Prints the report. JSON: {"lexicon": {"brands", "source", "retagged"}, "messages",
// "mentioning", "brands": [{"brand", "market", "mentions", "share", "share_all",
// "sentiment": {"mean", "positive", "neutral", "negative"}, "authors"}], "series" (with
// --by: {"by", "tz", "buckets": [starts], "brands": {brand: [counts]}}), "comentions":
// [{"brands": [a, b], "count"}], "switching": [{"from", "to", "count", "examples"}]}.
// Text: a table per brand, then co-mentions and switching; CSV: one row per brand.
[[nodiscard]] Status RunMentions(IndexReader& index, const MentionsRequest& request, const RenderOptions& render,
                                 std::ostream& out);

}  // namespace hark

#endif  // HARK_QUERY_MENTIONS_H_
