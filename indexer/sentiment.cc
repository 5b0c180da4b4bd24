// SentimentAnalyzer: see sentiment.h for the rules.
#include "indexer/sentiment.h"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <sstream>

namespace hark {

// The VADER lexicon as `token<TAB>valence` lines: generated at configure time from
// corpora/lexicons/vader_lexicon.tsv (indexer/CMakeLists.txt).
extern const char kVaderLexiconTsv[];
extern const size_t kVaderLexiconTsvSize;

namespace {

// Constants of the published rules.
constexpr double kBooster = 0.293;        // intensifier / dampener step
constexpr double kCapsEmphasis = 0.733;   // ALL-CAPS word in mixed-case text
constexpr double kNegation = -0.74;       // negated valence factor
constexpr double kNeverSo = 1.25;         // "never so good"
constexpr double kDecay[3] = {1.0, 0.95, 0.9};  // booster weight at distance 1, 2, 3
constexpr double kButBefore = 0.5;
constexpr double kButAfter = 1.5;
constexpr double kExclamation = 0.292;    // per '!', at most kMaxExclamations
constexpr int kMaxExclamations = 4;
constexpr double kQuestion = 0.18;        // per '?' when there are 2 or 3
constexpr double kManyQuestions = 0.96;   // 4 or more '?'
constexpr double kAlpha = 15.0;           // normalisation constant

// WordInfo::flags.
enum : uint32_t {
  kInLexicon = 1u << 0,
  kLowerSpelled = 1u << 1,  // the lexicon entry was written in lower case
  kNegator = 1u << 2,       // not, never, without, cannot, n't words ...
  kBut = 1u << 3,
  kLeast = 1u << 4,
  kNo = 1u << 5,
  kKindSort = 1u << 6,      // "kind" / "sort", before "of"
  kOf = 1u << 7,
  kNever = 1u << 8,
  kSoThis = 1u << 9,
  kWithout = 1u << 10,
  kDoubt = 1u << 11,
  kAtVery = 1u << 12,       // "at least", "very least"
  kOrNor = 1u << 13,
};

constexpr size_t kMaxTokenBytes = 64;  // longer tokens are never looked up

inline bool IsSpace(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}
// Python's string.punctuation: every printable ASCII character that is not a letter,
// digit or space.
inline bool IsPunct(unsigned char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

// Writes the look-up form of `s` into `out` (ASCII lower case, U+2019 as '); returns
// its length, or 0 when it would exceed `limit` bytes.
size_t FoldKey(std::string_view s, char* out, size_t limit) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        static_cast<unsigned char>(s[i + 2]) == 0x99) {
      c = '\'';
      i += 2;
    } else if (c >= 'A' && c <= 'Z') {
      c = static_cast<unsigned char>(c - 'A' + 'a');
    }
    if (n == limit) return 0;
    out[n++] = static_cast<char>(c);
  }
  return n;
}

inline uint64_t HashKey(std::string_view key) { return std::hash<std::string_view>{}(key); }

// One token of the text being scored.
struct Token {
  double valence;   // lexicon valence (when kInLexicon)
  double booster;   // +-kBooster or 0
  uint32_t flags;
  bool upper;       // Python's str.isupper(): has A-Z and no a-z
};

}  // namespace

SentimentAnalyzer::WordInfo* SentimentAnalyzer::Insert(std::string_view key) {
  if ((used_ + 1) * 2 > slots_.size()) Rehash(slots_.empty() ? 1024 : slots_.size() * 2);
  uint64_t hash = HashKey(key);
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.key_length == 0) {
      slot.hash = hash;
      slot.key_offset = static_cast<uint32_t>(arena_.size());
      slot.key_length = static_cast<uint32_t>(key.size());
      arena_.append(key);
      ++used_;
      if (key.size() > max_key_length_) max_key_length_ = key.size();
      return &slot.info;
    }
    if (slot.hash == hash &&
        std::string_view(arena_).substr(slot.key_offset, slot.key_length) == key) {
      return &slot.info;
    }
  }
}

void SentimentAnalyzer::Rehash(size_t capacity) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(capacity, Slot{});
  size_t mask = capacity - 1;
  for (const Slot& slot : old) {
    if (slot.key_length == 0) continue;
    size_t i = slot.hash & mask;
    while (slots_[i].key_length != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

const SentimentAnalyzer::WordInfo* SentimentAnalyzer::Find(std::string_view key) const {
  if (key.empty() || key.size() > max_key_length_) return nullptr;
  uint64_t hash = HashKey(key);
  size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.key_length == 0) return nullptr;
    if (slot.hash == hash && slot.key_length == key.size() &&
        std::string_view(arena_).substr(slot.key_offset, slot.key_length) == key) {
      return &slot.info;
    }
  }
}

// The words the rules look for (VADER's negation and booster lists, and the words of
// the special cases), merged into the same table so that each token costs one look-up.
void SentimentAnalyzer::AddRuleWords() {
  auto add = [this](std::initializer_list<const char*> words, uint32_t flag, double boost) {
    for (const char* w : words) {
      WordInfo* info = Insert(w);
      info->flags |= flag;
      if (boost != 0) info->booster = boost;
    }
  };
  add({"not", "never", "without", "cannot", "nor", "neither", "none", "nope", "nothing",
       "nowhere", "rarely", "seldom", "despite", "uhuh", "uh-uh",
       // "n't" words written without the apostrophe (with it, any "n't" negates)
       "aint", "arent", "cant", "couldnt", "darent", "didnt", "doesnt", "dont", "hadnt",
       "hasnt", "havent", "isnt", "mightnt", "mustnt", "neednt", "oughtnt", "shant",
       "shouldnt", "wasnt", "werent", "wont", "wouldnt"},
      kNegator, 0);
  add({"absolutely", "amazingly", "awfully", "completely", "considerable", "considerably",
       "decidedly", "deeply", "effing", "enormous", "enormously", "entirely", "especially",
       "exceptional", "exceptionally", "extreme", "extremely", "fabulously", "flipping",
       "flippin", "frackin", "fracking", "fricking", "frickin", "frigging", "friggin",
       "fully", "fuckin", "fucking", "fuggin", "fugging", "greatly", "hella", "highly",
       "hugely", "incredible", "incredibly", "intensely", "major", "majorly", "more", "most",
       "particularly", "purely", "quite", "really", "remarkably", "so", "substantially",
       "thoroughly", "total", "totally", "tremendous", "tremendously", "uber",
       "unbelievably", "unusually", "utter", "utterly", "very"},
      0, kBooster);
  add({"almost", "barely", "hardly", "kinda", "kindof", "kind-of", "less", "little",
       "marginal", "marginally", "occasional", "occasionally", "partly", "scarce",
       "scarcely", "slight", "slightly", "somewhat", "sorta", "sortof", "sort-of"},
      0, -kBooster);
  add({"but"}, kBut, 0);
  add({"least"}, kLeast, 0);
  add({"no"}, kNo, 0);
  add({"kind", "sort"}, kKindSort, 0);
  add({"of"}, kOf, 0);
  add({"never"}, kNever, 0);
  add({"so", "this"}, kSoThis, 0);
  add({"without"}, kWithout, 0);
  add({"doubt"}, kDoubt, 0);
  add({"at", "very"}, kAtVery, 0);
  add({"or", "nor"}, kOrNor, 0);
}

Result<std::unique_ptr<SentimentAnalyzer>> SentimentAnalyzer::FromTsv(std::string_view contents,
                                                                      std::string_view origin) {
  std::unique_ptr<SentimentAnalyzer> analyzer(new SentimentAnalyzer());
  char key[kMaxTokenBytes];
  size_t line_no = 0;
  size_t pos = 0;
  while (pos < contents.size()) {
    size_t end = contents.find('\n', pos);
    if (end == std::string_view::npos) end = contents.size();
    std::string_view line = contents.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    auto error = [&](const char* why) {
      return Status::Format(std::string(origin) + ":" + std::to_string(line_no) + ": " + why);
    };
    size_t tab = line.find('\t');
    if (tab == std::string_view::npos) return error("expected token<TAB>valence");
    if (tab == 0) return error("empty token");
    std::string_view value = line.substr(tab + 1);
    value = value.substr(0, value.find('\t'));
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    double valence = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), valence);
    if (ec != std::errc() || ptr != value.data() + value.size() || value.empty()) {
      return error("valence is not a number");
    }
    std::string_view spelled = line.substr(0, tab);
    size_t n = FoldKey(spelled, key, sizeof(key));
    if (n == 0) return error("token longer than 64 bytes");
    bool lower = std::string_view(key, n) == spelled;
    WordInfo* info = analyzer->Insert(std::string_view(key, n));
    if ((info->flags & kInLexicon) != 0 && (info->flags & kLowerSpelled) != 0 && !lower) {
      continue;  // a lower-case spelling of this key wins over "O.o", ":D"
    }
    if ((info->flags & kInLexicon) == 0) ++analyzer->lexicon_size_;
    info->valence = valence;
    info->flags = kInLexicon | (lower ? kLowerSpelled : 0u);
  }
  analyzer->AddRuleWords();
  return analyzer;
}

Result<std::unique_ptr<SentimentAnalyzer>> SentimentAnalyzer::FromFile(const std::string& tsv) {
  std::ifstream in(tsv, std::ios::binary);
  if (!in) return Status::IOError("cannot open sentiment lexicon " + tsv);
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return Status::IOError("cannot read sentiment lexicon " + tsv);
  return FromTsv(contents.str(), tsv);
}

const SentimentAnalyzer& SentimentAnalyzer::Default() {
  static const std::unique_ptr<SentimentAnalyzer> analyzer = [] {
    auto made = FromTsv(std::string_view(kVaderLexiconTsv, kVaderLexiconTsvSize),
                        "vader_lexicon.tsv (embedded)");
    if (!made.ok()) {
      std::fprintf(stderr, "hark: %s\n", made.status().ToString().c_str());
      std::abort();
    }
    return std::move(made).value();
  }();
  return *analyzer;
}

std::optional<double> SentimentAnalyzer::Valence(std::string_view token) const {
  char key[kMaxTokenBytes];
  size_t n = FoldKey(token, key, sizeof(key));
  const WordInfo* info = n == 0 ? nullptr : Find(std::string_view(key, n));
  if (info == nullptr || (info->flags & kInLexicon) == 0) return std::nullopt;
  return info->valence;
}

double SentimentAnalyzer::Score(std::string_view text) const {
  thread_local std::vector<Token> tokens;
  tokens.clear();
  int exclamations = 0;
  int questions = 0;
  size_t upper_tokens = 0;
  size_t first_but = SIZE_MAX;
  char key[kMaxTokenBytes];
  const size_t key_limit = std::min(max_key_length_, kMaxTokenBytes);

  // Tokens: whitespace-separated, edge punctuation stripped except from emoticons.
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    while (p < end && IsSpace(static_cast<unsigned char>(*p))) ++p;
    if (p == end) break;
    const char* b = p;
    bool has_upper = false;
    bool has_lower = false;
    for (; p < end && !IsSpace(static_cast<unsigned char>(*p)); ++p) {
      char c = *p;
      has_upper |= c >= 'A' && c <= 'Z';
      has_lower |= c >= 'a' && c <= 'z';
      exclamations += c == '!';
      questions += c == '?';
    }
    const char* sb = b;
    const char* se = p;
    while (sb < se && IsPunct(static_cast<unsigned char>(*sb))) ++sb;
    while (se > sb && IsPunct(static_cast<unsigned char>(se[-1]))) --se;

    const WordInfo* info = nullptr;
    bool negator = false;
    auto look_up = [&](const char* from, const char* to) {
      size_t n = FoldKey(std::string_view(from, to - from), key, sizeof(key));
      if (n == 0) return;  // longer than any key
      std::string_view folded(key, n);
      negator = folded.find("n't") != std::string_view::npos;
      if (n <= key_limit) info = Find(folded);
    };
    if ((sb != b || se != p) && se - sb <= 2) look_up(b, p);  // an emoticon?
    if (info == nullptr && se > sb) look_up(sb, se);

    Token token{0.0, 0.0, 0, has_upper && !has_lower};
    if (info != nullptr) {
      token.valence = info->valence;
      token.booster = info->booster;
      token.flags = info->flags;
    }
    if (negator) token.flags |= kNegator;
    if ((token.flags & kBut) != 0 && first_but == SIZE_MAX) first_but = tokens.size();
    upper_tokens += token.upper;
    tokens.push_back(token);
  }

  const size_t n = tokens.size();
  const bool caps_differ = upper_tokens > 0 && upper_tokens < n;
  const Token* t = tokens.data();
  double sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const Token& word = t[i];
    // Modifiers are not scored themselves: boosters, and "kind" in "kind of".
    if ((word.flags & kInLexicon) == 0 || word.booster != 0) continue;
    if ((word.flags & kKindSort) != 0 && i + 1 < n && (t[i + 1].flags & kOf) != 0) continue;

    double v = word.valence;
    // "no" before a sentiment word negates it rather than counting as negative itself.
    if ((word.flags & kNo) != 0 && i + 1 < n && (t[i + 1].flags & kInLexicon) != 0) v = 0;
    if ((i >= 1 && (t[i - 1].flags & kNo) != 0) || (i >= 2 && (t[i - 2].flags & kNo) != 0) ||
        (i >= 3 && (t[i - 3].flags & kNo) != 0 && (t[i - 1].flags & kOrNor) != 0)) {
      v = word.valence * kNegation;
    }
    if (word.upper && caps_differ) {
      if (v > 0) v += kCapsEmphasis;
      else if (v < 0) v -= kCapsEmphasis;
    }

    // Boosters and negations among the 3 tokens before (sentiment words among them
    // modify nothing).
    for (size_t k = 0; k < 3 && k < i; ++k) {
      const Token& mod = t[i - 1 - k];
      if ((mod.flags & kInLexicon) != 0) continue;
      double scalar = mod.booster;
      if (scalar == 0 && (mod.flags & kOf) != 0 && i - 1 - k >= 1 &&
          (t[i - 2 - k].flags & kKindSort) != 0) {
        scalar = -kBooster;  // "kind of", "sort of"
      }
      if (scalar != 0) {
        if (v < 0) scalar = -scalar;
        if (mod.upper && caps_differ) scalar += v > 0 ? kCapsEmphasis : -kCapsEmphasis;
        v += scalar * kDecay[k];
      }
      if ((mod.flags & kNegator) == 0) continue;
      // "never so good", "never this happy": more, not less.
      if ((mod.flags & kNever) != 0 && k >= 1 &&
          (((t[i - 1].flags & kSoThis) != 0) || (k == 2 && (t[i - 2].flags & kSoThis) != 0))) {
        v *= kNeverSo;
      } else if ((mod.flags & kWithout) != 0 && k >= 1 &&
                 (((t[i - 1].flags & kDoubt) != 0) || (k == 2 && (t[i - 2].flags & kDoubt) != 0))) {
        // "without (a) doubt": not a negation
      } else {
        v *= kNegation;
      }
    }
    // "least good" (but not "at least", "very least").
    if (i >= 1 && (t[i - 1].flags & kLeast) != 0 && (t[i - 1].flags & kInLexicon) == 0 &&
        !(i >= 2 && (t[i - 2].flags & kAtVery) != 0)) {
      v *= kNegation;
    }
    if (first_but != SIZE_MAX) v *= i < first_but ? kButBefore : i > first_but ? kButAfter : 1.0;
    sum += v;
  }
  if (sum == 0) return 0.0;

  double emphasis = std::min(exclamations, kMaxExclamations) * kExclamation;
  if (questions > 3) emphasis += kManyQuestions;
  else if (questions > 1) emphasis += questions * kQuestion;
  sum += sum > 0 ? emphasis : -emphasis;
  double compound = sum / std::sqrt(sum * sum + kAlpha);
  return std::clamp(compound, -1.0, 1.0);
}

}  // namespace hark
