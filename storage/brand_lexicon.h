// BrandLexicon: the brands (and competitors) an analyst follows, and the matcher that
// finds them in text, at ingest (`hark ingest --brands`) and at query time (`hark
// mentions --brands` on an index tagged with another lexicon, or none).
//
// File format (corpora/brands/*.json):
//   {"brands": [{"name": "United", "aliases": ["United Airlines"], "handles": ["@united"],
//                "hashtags": ["#UnitedAirlines"], "misspellings": ["Untied"],
//                "market": "airlines", "competitors": ["Delta"]}]}
// Only "name" is required; names are unique (case-insensitive); every competitor names a
// brand of the file; handles start with '@', hashtags with '#'.
//
// Matching rule: text is ASCII case-folded; a token is a maximal run of word characters:
// ASCII letters, digits, '_', and non-ASCII characters other than punctuation, symbols
// and emoji (SeparatorCodePoint in the .cc: ’ … NBSP, zero-width spaces and emoji
// separate words); a '@' or '#' directly before a token, at the start of the text or
// after a character that is not a word character, makes it a handle / hashtag token
// ("@united") instead of a plain word; everything else separates tokens ("T-Mobile" is
// "t" "mobile", "AT&T" is "at" "t", "care@flixo.example" is "care" "flixo" "example").
// The name, aliases, misspellings, handles and hashtags are tokenized the same way; a
// text mentions a brand when the tokens of one of them occur consecutively in it. The
// name matches like an alias, so an ambiguous one ("United", "Delta": common words)
// should be written unambiguously ("United Airlines") with the handles beside it.
// Matching is one pass over the text's tokens through a token trie, whatever the number
// of aliases.
//
// Immutable after construction: Match() is const and thread-safe.
#ifndef HARK_STORAGE_BRAND_LEXICON_H_
#define HARK_STORAGE_BRAND_LEXICON_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "storage/status.h"

namespace hark {

struct Brand {
  std::string name;
  std::vector<std::string> aliases, handles, hashtags, misspellings, competitors;
  std::string market;
};

// One mention found in a text: the brand (an index into brands()) and the tokens it
// covers, [begin, end), in the text's token sequence (TokenizeForBrands).
struct BrandMention {
  size_t brand = 0;
  size_t begin = 0, end = 0;
};

// The tokens of `text` under the matching rule, case-folded; handles and hashtags keep
// their leading '@' / '#'. Appends to `out`.
void TokenizeForBrands(std::string_view text, std::vector<std::string>* out);
// The tokens of a message: its title's, a "\n" token no entry can match (so that no
// mention spans title and text), then its text's. Replaces *out.
void TokenizeMessage(std::string_view title, std::string_view text, std::vector<std::string>* out);

class BrandLexicon {
 public:
  BrandLexicon() = default;
  // Reads and validates a lexicon file; errors name the file and what is wrong.
  [[nodiscard]] static Result<BrandLexicon> FromFile(const std::string& path);
  // `origin` names the text in error messages.
  [[nodiscard]] static Result<BrandLexicon> FromJson(std::string_view json, const std::string& origin);

  bool empty() const { return brands_.empty(); }
  const std::vector<Brand>& brands() const { return brands_; }
  // The brand named `name` (case-insensitive), or -1.
  int Find(std::string_view name) const;
  // The lexicon as compact JSON with fields in a fixed order: equal lexicons give equal
  // text, so an index can tell whether it was tagged with the same lexicon.
  const std::string& canonical() const { return canonical_; }

  // The names of the brands a message's title or text mentions, each once, in lexicon
  // order (replaces *out).
  void Match(std::string_view title, std::string_view text, std::vector<std::string>* out) const;
  // Every mention in `tokens` (from TokenizeForBrands), in token order; overlapping
  // mentions of different brands are all reported (replaces *out).
  void Mentions(const std::vector<std::string>& tokens, std::vector<BrandMention>* out) const;

 private:
  struct Node {
    std::unordered_map<std::string, int> children;
    std::vector<size_t> brands;  // brands whose entry ends here
  };
  [[nodiscard]] Status Build();

  std::vector<Brand> brands_;
  std::string canonical_;
  std::vector<Node> trie_;  // trie_[0] is the root
};

}  // namespace hark

#endif  // HARK_STORAGE_BRAND_LEXICON_H_
