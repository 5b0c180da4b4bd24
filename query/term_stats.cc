// Term extraction, document frequencies, Dunning G² and robust spike detection. The
// rules are stated in term_stats.h; comments here explain how and why.
#include "query/term_stats.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace hark {
namespace {

// ---------------------------------------------------------------------------------
// Characters.
// ---------------------------------------------------------------------------------

// What the scanner sees at a position. A "unit" is one code point, one invalid byte or
// one HTML character reference.
enum class CharKind {
  kWord,        // letter or digit (ASCII or a non-ASCII word character)
  kSoftSpace,   // space, tab, Unicode spaces: separates tokens, keeps phrases going
  kHardSpace,   // line breaks: separate tokens and end phrases
  kApostrophe,  // ' U+2019 U+02BC &#39; &apos; ...: joins when between word characters
  kHyphen,      // - U+2010 U+2011: joins when between word characters
  kHash,        // '#': a hashtag's word counts as the word; keeps phrases going
  kAt,          // '@': may start a handle
  kOther,       // punctuation, symbols, emoji, invalid bytes, other references
};

struct Unit {
  CharKind kind;
  size_t len;  // bytes, >= 1
};

bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsHandleByte(unsigned char c) { return IsAsciiAlnum(c) || c == '_'; }

// Decodes one UTF-8 sequence at text[pos] (a byte >= 0x80). Returns its length and
// sets *cp, or returns 0 for an invalid sequence (bad lead or continuation byte,
// overlong form, surrogate, above U+10FFFF, truncated).
size_t DecodeUtf8(std::string_view text, size_t pos, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(text[pos]);
  size_t len;
  char32_t value;
  char32_t min;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, value = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, value = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, value = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (pos + len > text.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(text[pos + k]);
    if ((b & 0xC0) != 0x80) return 0;
    value = (value << 6) | (b & 0x3F);
  }
  if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  *cp = value;
  return len;
}

// Non-ASCII code points that separate words: Latin-1 punctuation and symbols, general
// punctuation, arrows, math and technical symbols, box drawing, dingbats, CJK
// punctuation, variation selectors, fullwidth punctuation, specials, private use,
// emoji and pictographs, tag characters. Everything else non-ASCII (letters of any
// script, combining marks, digits) is a word character. Coarse on purpose: exact
// Unicode categories would need tables, and these ranges cover what real messages
// put next to words.
bool IsSeparatorCodePoint(char32_t cp) {
  if (cp < 0xC0) return cp != 0xAA && cp != 0xB5 && cp != 0xBA;  // ª µ º are letters
  if (cp == 0xD7 || cp == 0xF7) return true;                     // × ÷
  if (cp < 0x2000) return false;
  if (cp <= 0x2BFF) return true;
  if (cp >= 0x2E00 && cp <= 0x2E7F) return true;
  if (cp >= 0x3000 && cp <= 0x303F) return true;
  if (cp >= 0xE000 && cp <= 0xF8FF) return true;
  if (cp >= 0xFE00 && cp <= 0xFE0F) return true;
  if (cp >= 0xFE30 && cp <= 0xFE6F) return true;
  if (cp == 0xFEFF) return true;
  if (cp >= 0xFF00 && cp <= 0xFF0F) return true;
  if (cp >= 0xFF1A && cp <= 0xFF20) return true;
  if (cp >= 0xFF3B && cp <= 0xFF40) return true;
  if (cp >= 0xFF5B && cp <= 0xFF65) return true;
  if (cp >= 0xFFF0 && cp <= 0xFFFF) return true;
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return true;
  if (cp >= 0xE0000 && cp <= 0xE007F) return true;
  return false;
}

// An HTML character reference at text[pos] == '&': "&" + 1-10 of [A-Za-z0-9#] + ";".
// Returns its length, or 0 when there is none.
size_t EntityLength(std::string_view text, size_t pos) {
  size_t k = pos + 1;
  while (k < text.size() && k - pos <= 10 &&
         (IsAsciiAlnum(static_cast<unsigned char>(text[k])) || text[k] == '#')) {
    ++k;
  }
  if (k == pos + 1 || k >= text.size() || text[k] != ';') return 0;
  return k + 1 - pos;
}

bool IsApostropheEntity(std::string_view entity) {
  std::string lower(entity);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower == "&#39;" || lower == "&#039;" || lower == "&#x27;" || lower == "&apos;" ||
         lower == "&#8217;" || lower == "&#x2019;" || lower == "&rsquo;";
}

Unit Classify(std::string_view text, size_t pos) {
  const auto c = static_cast<unsigned char>(text[pos]);
  if (c < 0x80) {
    if (IsAsciiAlnum(c)) return {CharKind::kWord, 1};
    switch (c) {
      case ' ':
      case '\t':
        return {CharKind::kSoftSpace, 1};
      case '\n':
      case '\r':
      case '\f':
      case '\v':
        return {CharKind::kHardSpace, 1};
      case '\'':
        return {CharKind::kApostrophe, 1};
      case '-':
        return {CharKind::kHyphen, 1};
      case '#':
        return {CharKind::kHash, 1};
      case '@':
        return {CharKind::kAt, 1};
      case '&': {
        const size_t len = EntityLength(text, pos);
        if (len == 0) return {CharKind::kOther, 1};
        return {
            IsApostropheEntity(text.substr(pos, len)) ? CharKind::kApostrophe : CharKind::kOther,
            len};
      }
      default:
        return {CharKind::kOther, 1};
    }
  }
  char32_t cp = 0;
  const size_t len = DecodeUtf8(text, pos, &cp);
  if (len == 0) return {CharKind::kOther, 1};
  if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
      cp == 0x3000) {
    return {CharKind::kSoftSpace, len};
  }
  if (cp == 0x2028 || cp == 0x2029 || cp == 0x85) return {CharKind::kHardSpace, len};
  if (cp == 0x2019 || cp == 0x02BC) return {CharKind::kApostrophe, len};
  if (cp == 0x2010 || cp == 0x2011) return {CharKind::kHyphen, len};
  return {IsSeparatorCodePoint(cp) ? CharKind::kOther : CharKind::kWord, len};
}

bool IsSpace(CharKind kind) { return kind == CharKind::kSoftSpace || kind == CharKind::kHardSpace; }

// Whether text[pos..] starts with `prefix`, ignoring ASCII case (prefix is lower case).
bool StartsWithFolded(std::string_view text, size_t pos, std::string_view prefix) {
  if (text.size() - pos < prefix.size()) return false;
  for (size_t k = 0; k < prefix.size(); ++k) {
    char c = text[pos + k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[k]) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------
// Stopwords.
// ---------------------------------------------------------------------------------

// English function words (pronouns, articles, auxiliaries, prepositions, conjunctions,
// common adverbs), contractions with and without the apostrophe (tweets drop it), and
// web noise. Negations ("not", "don't") are included: on their own they say nothing
// about a topic. Forms ending in "'s" need no entry: the possessive rule turns "it's"
// into "it", "that's" into "that", "let's" into "let".
// clang-format off
constexpr std::string_view kStopwords[] = {
    // Pronouns and determiners.
    "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "you", "your",
    "yours", "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers",
    "herself", "it", "its", "itself", "they", "them", "their", "theirs", "themselves",
    "what", "which", "who", "whom", "whose", "this", "that", "these", "those", "the", "an",
    "any", "some", "each", "every", "all", "both", "few", "more", "most", "other", "such",
    "own", "same", "another", "either", "neither",
    // Auxiliaries and modals.
    "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having",
    "do", "does", "did", "doing", "done", "can", "could", "will", "would", "shall", "should",
    "may", "might", "must", "cannot",
    // Prepositions, conjunctions, adverbs.
    "and", "but", "if", "or", "nor", "because", "as", "until", "while", "of", "at", "by",
    "for", "with", "about", "against", "between", "into", "through", "during", "before",
    "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over",
    "under", "again", "further", "then", "once", "here", "there", "when", "where", "why",
    "how", "no", "not", "only", "so", "than", "too", "very", "just", "now", "also", "even",
    "still", "yet", "ever", "much", "many", "let", "upon", "within", "without", "onto",
    "per",
    // Contractions with the apostrophe.
    "i'm", "i've", "i'll", "i'd", "you're", "you've", "you'll", "you'd", "he'd", "he'll",
    "she'd", "she'll", "we're", "we've", "we'll", "we'd", "they're", "they've", "they'll",
    "they'd", "it'll", "that'll", "there'll", "isn't", "aren't", "wasn't", "weren't",
    "hasn't", "haven't", "hadn't", "doesn't", "don't", "didn't", "won't", "wouldn't",
    "shan't", "shouldn't", "can't", "couldn't", "mustn't", "mightn't", "needn't", "ain't",
    "could've", "would've", "should've", "might've", "must've", "y'all",
    // The same typed without it (only where the result is not a common word: "ill",
    // "well", "were", "wed", "shed", "hell" stay words or are listed above for another
    // reason).
    "im", "ive", "youre", "youve", "youll", "youd", "theyre", "theyve", "isnt", "arent",
    "wasnt", "werent", "hasnt", "havent", "hadnt", "doesnt", "dont", "didnt", "wouldnt",
    "shouldnt", "cant", "couldnt", "aint", "thats", "whats", "theres", "ur",
    // Web noise.
    "amp", "rt", "via", "http", "https", "www", "com",
};
// clang-format on

const std::unordered_set<std::string_view>& StopwordSet() {
  // Never destroyed (static objects must be trivially destructible).
  static const auto* const kSet =
      new std::unordered_set<std::string_view>(std::begin(kStopwords), std::end(kStopwords));
  return *kSet;
}

// Whether a token has no letter: only ASCII digits, apostrophes and hyphens.
bool IsPureNumber(std::string_view token) {
  for (const char c : token) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z')) return false;
  }
  return true;
}

constexpr size_t kMinTokenBytes = 2;
constexpr size_t kMaxTokenBytes = 64;

}  // namespace

bool IsStopword(std::string_view word) { return StopwordSet().count(word) != 0; }

// ---------------------------------------------------------------------------------
// ExtractTerms.
// ---------------------------------------------------------------------------------

void ExtractTerms(std::string_view text, bool bigrams, std::vector<std::string>* out) {
  out->clear();
  std::string token;
  std::string previous;   // last kept token
  bool adjacent = false;  // nothing but soft spaces and '#' since `previous`

  // Ends the current phrase: the next kept token pairs with nothing.
  auto break_phrase = [&adjacent] { adjacent = false; };

  auto emit = [&](const std::string& word) {
    if (word.size() < kMinTokenBytes || word.size() > kMaxTokenBytes || IsPureNumber(word) ||
        IsStopword(word)) {
      break_phrase();
      return;
    }
    out->push_back(word);
    if (bigrams && adjacent) {
      std::string pair;
      pair.reserve(previous.size() + 1 + word.size());
      pair.append(previous).push_back(' ');
      pair.append(word);
      out->push_back(std::move(pair));
    }
    previous = word;
    adjacent = true;
  };

  size_t pos = 0;
  while (pos < text.size()) {
    // Whitespace between chunks.
    Unit unit = Classify(text, pos);
    if (IsSpace(unit.kind)) {
      if (unit.kind == CharKind::kHardSpace) break_phrase();
      pos += unit.len;
      continue;
    }
    // The chunk [pos, chunk_end): up to the next whitespace.
    size_t chunk_end = pos;
    bool email = false;
    size_t url = std::string_view::npos;
    while (chunk_end < text.size()) {
      const Unit u = Classify(text, chunk_end);
      if (IsSpace(u.kind)) break;
      const auto c = static_cast<unsigned char>(text[chunk_end]);
      const bool after_alnum =
          chunk_end > pos && IsAsciiAlnum(static_cast<unsigned char>(text[chunk_end - 1]));
      if (c == '@' && after_alnum && chunk_end + 1 < text.size() &&
          IsAsciiAlnum(static_cast<unsigned char>(text[chunk_end + 1]))) {
        email = true;
      }
      if (url == std::string_view::npos && !after_alnum &&
          (StartsWithFolded(text, chunk_end, "http://") ||
           StartsWithFolded(text, chunk_end, "https://") ||
           StartsWithFolded(text, chunk_end, "www."))) {
        url = chunk_end;
      }
      chunk_end += u.len;
    }
    if (email) {
      break_phrase();
      pos = chunk_end;
      continue;
    }
    const size_t scan_end = std::min(chunk_end, url);

    // Tokens of the chunk.
    while (pos < scan_end) {
      unit = Classify(text, pos);
      if (unit.kind == CharKind::kWord) {
        token.clear();
        while (true) {
          while (pos < scan_end && (unit = Classify(text, pos)).kind == CharKind::kWord) {
            if (unit.len == 1 && text[pos] >= 'A' && text[pos] <= 'Z') {
              token.push_back(static_cast<char>(text[pos] - 'A' + 'a'));
            } else {
              token.append(text.substr(pos, unit.len));
            }
            pos += unit.len;
          }
          // A joiner continues the token only with a word character right after it.
          if (pos >= scan_end) break;
          const Unit joiner = Classify(text, pos);
          if (joiner.kind != CharKind::kApostrophe && joiner.kind != CharKind::kHyphen) break;
          const size_t next = pos + joiner.len;
          if (next >= scan_end || Classify(text, next).kind != CharKind::kWord) break;
          token.push_back(joiner.kind == CharKind::kApostrophe ? '\'' : '-');
          pos = next;
        }
        if (token.size() >= 2 && token.compare(token.size() - 2, 2, "'s") == 0) {
          token.resize(token.size() - 2);  // possessive
        }
        emit(token);
        continue;
      }
      if (unit.kind == CharKind::kAt && pos + 1 < scan_end &&
          IsHandleByte(static_cast<unsigned char>(text[pos + 1]))) {
        ++pos;
        while (pos < scan_end && IsHandleByte(static_cast<unsigned char>(text[pos]))) ++pos;
        break_phrase();
        continue;
      }
      if (unit.kind != CharKind::kHash) break_phrase();
      pos += unit.len;
    }
    if (url != std::string_view::npos) break_phrase();
    pos = chunk_end;
  }

  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

// ---------------------------------------------------------------------------------
// TermCounts.
// ---------------------------------------------------------------------------------

TermCounts::TermCounts(bool bigrams) : bigrams_(bigrams) {}

void TermCounts::Add(std::string_view text) {
  ExtractTerms(text, bigrams_, &scratch_);
  ++docs_;
  for (std::string& term : scratch_) {
    const auto it = df_.find(std::string_view(term));
    if (it != df_.end()) {
      ++it->second;
    } else {
      df_.emplace(std::move(term), 1);
    }
  }
}

void TermCounts::Merge(const TermCounts& other) {
  if (&other == this) {
    for (auto& [term, count] : df_) count *= 2;
    docs_ *= 2;
    return;
  }
  docs_ += other.docs_;
  for (const auto& [term, count] : other.df_) {
    const auto it = df_.find(std::string_view(term));
    if (it != df_.end()) {
      it->second += count;
    } else {
      df_.emplace(term, count);
    }
  }
}

uint64_t TermCounts::df(std::string_view term) const {
  const auto it = df_.find(term);
  return it == df_.end() ? 0 : it->second;
}

void TermCounts::ForEach(const std::function<void(std::string_view term, uint64_t df)>& fn) const {
  for (const auto& [term, count] : df_) fn(term, count);
}

// ---------------------------------------------------------------------------------
// Dunning G² and CompareTerms.
// ---------------------------------------------------------------------------------

namespace {

double XLogX(uint64_t x) {
  if (x == 0) return 0;
  const double d = static_cast<double>(x);
  return d * std::log(d);
}

// Compares count_a/docs_a with count_b/docs_b exactly (no rounding, no overflow).
int CompareShares(uint64_t count_a, uint64_t docs_a, uint64_t count_b, uint64_t docs_b) {
  const unsigned __int128 left = static_cast<unsigned __int128>(count_a) * docs_b;
  const unsigned __int128 right = static_cast<unsigned __int128>(count_b) * docs_a;
  return left > right ? 1 : (left < right ? -1 : 0);
}

}  // namespace

double DunningG2(uint64_t count_a, uint64_t docs_a, uint64_t count_b, uint64_t docs_b) {
  count_a = std::min(count_a, docs_a);
  count_b = std::min(count_b, docs_b);
  if (docs_a == 0 || docs_b == 0) return 0;
  const int direction = CompareShares(count_a, docs_a, count_b, docs_b);
  if (direction == 0) return 0;
  // Σ O ln(O/E) with E = R·C/N equals Σ O ln O - Σ R ln R - Σ C ln C + N ln N: no
  // divisions, and zero cells drop out through XLogX(0) = 0.
  const uint64_t total = docs_a + docs_b;
  const uint64_t with_term = count_a + count_b;
  const double cells =
      XLogX(count_a) + XLogX(docs_a - count_a) + XLogX(count_b) + XLogX(docs_b - count_b);
  const double margins =
      XLogX(docs_a) + XLogX(docs_b) + XLogX(with_term) + XLogX(total - with_term);
  const double g2 = std::max(0.0, 2.0 * (cells - margins + XLogX(total)));
  return direction > 0 ? g2 : -g2;
}

std::vector<TermShift> CompareTerms(const TermCounts& a, const TermCounts& b, size_t limit,
                                    uint64_t min_count, double min_llr) {
  std::vector<TermShift> shifts;
  if (limit == 0) return shifts;
  const uint64_t docs_a = a.docs();
  const uint64_t docs_b = b.docs();
  a.ForEach([&](std::string_view term, uint64_t count_a) {
    if (count_a < min_count) return;
    const uint64_t count_b = b.df(term);
    if (CompareShares(count_a, docs_a, count_b, docs_b) <= 0) return;
    const double llr = DunningG2(count_a, docs_a, count_b, docs_b);
    if (!(llr >= min_llr)) return;
    TermShift shift;
    shift.term = std::string(term);
    shift.count_a = count_a;
    shift.count_b = count_b;
    shift.share_a = static_cast<double>(count_a) / static_cast<double>(docs_a);
    shift.share_b = docs_b == 0 ? 0.0 : static_cast<double>(count_b) / static_cast<double>(docs_b);
    shift.is_new = count_b == 0;
    const double denominator =
        shift.is_new ? 0.5 / static_cast<double>(std::max<uint64_t>(docs_b, 1)) : shift.share_b;
    shift.ratio = shift.share_a / denominator;
    shift.llr = llr;
    shifts.push_back(std::move(shift));
  });

  // Unigrams fully explained by a qualifying bigram: for each word, the largest count_a
  // of a qualifying bigram containing it. A bigram's df never exceeds its words' df,
  // so "largest >= the word's count_a" means "equal".
  std::unordered_map<std::string_view, uint64_t> phrase_count;
  for (const TermShift& shift : shifts) {
    const size_t space = shift.term.find(' ');
    if (space == std::string::npos) continue;
    const std::string_view term(shift.term);
    for (const std::string_view word : {term.substr(0, space), term.substr(space + 1)}) {
      uint64_t& best = phrase_count[word];
      best = std::max(best, shift.count_a);
    }
  }
  if (!phrase_count.empty()) {
    // Decide every drop before moving anything: phrase_count's keys view the terms.
    std::vector<bool> drop(shifts.size(), false);
    for (size_t k = 0; k < shifts.size(); ++k) {
      const std::string& term = shifts[k].term;
      if (term.find(' ') != std::string::npos) continue;
      const auto it = phrase_count.find(std::string_view(term));
      drop[k] = it != phrase_count.end() && it->second >= shifts[k].count_a;
    }
    phrase_count.clear();
    size_t kept = 0;
    for (size_t k = 0; k < shifts.size(); ++k) {
      if (drop[k]) continue;
      if (kept != k) shifts[kept] = std::move(shifts[k]);
      ++kept;
    }
    shifts.resize(kept);
  }

  auto more_significant = [](const TermShift& x, const TermShift& y) {
    if (x.llr != y.llr) return x.llr > y.llr;
    return x.term < y.term;
  };
  if (shifts.size() > limit) {
    std::partial_sort(shifts.begin(), shifts.begin() + static_cast<std::ptrdiff_t>(limit),
                      shifts.end(), more_significant);
    shifts.resize(limit);
  } else {
    std::sort(shifts.begin(), shifts.end(), more_significant);
  }
  return shifts;
}

// ---------------------------------------------------------------------------------
// FindSpikes.
// ---------------------------------------------------------------------------------

namespace {

// Median of values (reordered in place; not empty): the middle value, or the mean of
// the two middle values for an even size.
double MedianInPlace(std::vector<double>& values) {
  const size_t mid = values.size() / 2;
  const auto mid_it = values.begin() + static_cast<std::ptrdiff_t>(mid);
  std::nth_element(values.begin(), mid_it, values.end());
  const double upper = *mid_it;
  if (values.size() % 2 == 1) return upper;
  // After nth_element every element before mid is <= upper; the largest of them is
  // the lower middle value.
  const double lower = *std::max_element(values.begin(), mid_it);
  return (lower + upper) / 2;
}

// 1 / Φ⁻¹(3/4): scales a MAD to a standard deviation for normal noise.
constexpr double kMadToSigma = 1.4826;

struct RobustScore {
  double baseline = 0, spread = 0, score = 0;
};

// baseline = median of history, spread = max(1.4826 × MAD, sqrt(max(baseline, 1))),
// score = (value - baseline) / spread. Reorders and overwrites `history`.
RobustScore ScoreInPlace(std::vector<double>& history, double value) {
  RobustScore r;
  if (history.empty()) return r;
  r.baseline = MedianInPlace(history);
  for (double& x : history) x = std::fabs(x - r.baseline);
  r.spread = std::max(kMadToSigma * MedianInPlace(history), std::sqrt(std::max(r.baseline, 1.0)));
  r.score = (value - r.baseline) / r.spread;
  return r;
}

}  // namespace

double PoissonUpperTail(uint64_t k, double lambda) {
  if (lambda <= 0) return k == 0 ? 1.0 : 0.0;
  const double kd = static_cast<double>(k);
  if (kd <= lambda) return 1.0;
  // Terms pmf(i) = exp(i ln(lambda) - lambda - lgamma(i + 1)) fall from i = k on.
  double term = std::exp(kd * std::log(lambda) - lambda - std::lgamma(kd + 1));
  double sum = 0;
  for (double i = kd; term > sum * 1e-17 && term > 0; ++i) {
    sum += term;
    term *= lambda / (i + 1);
  }
  return std::min(1.0, sum);
}

std::vector<Spike> FindSpikes(const std::vector<uint64_t>& counts, const SpikeOptions& options) {
  std::vector<Spike> spikes;
  const size_t needed = std::max<size_t>(options.min_history, 1);
  if (options.window < needed) return spikes;  // no window is ever long enough
  std::vector<double> buffer;
  buffer.reserve(options.window);
  for (size_t i = needed; i < counts.size(); ++i) {
    const uint64_t count = counts[i];
    // Cheap rejections first: most buckets cannot be spikes whatever the baseline.
    if (count < options.min_count) continue;
    const size_t begin = i > options.window ? i - options.window : 0;
    buffer.assign(counts.begin() + static_cast<std::ptrdiff_t>(begin),
                  counts.begin() + static_cast<std::ptrdiff_t>(i));
    const RobustScore r = ScoreInPlace(buffer, static_cast<double>(count));
    if (static_cast<double>(count) < options.min_ratio * r.baseline || r.score < options.threshold) continue;
    Spike spike;
    spike.index = i;
    spike.count = count;
    spike.baseline = r.baseline;
    spike.spread = r.spread;
    spike.score = r.score;
    spike.window_begin = begin;
    spike.window_end = i;
    spikes.push_back(spike);
  }
  return spikes;
}

}  // namespace hark
