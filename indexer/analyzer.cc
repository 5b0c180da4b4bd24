#include "indexer/analyzer.h"

#include <cctype>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "indexer/sentiment.h"
#include "indexer/text_util.h"

namespace hark {
namespace {

constexpr const char* kOpenings[] = {
    "how ", "why ", "what ", "when ", "where ", "which ", "who ", "can i ", "can you ", "could you ",
    "is there ", "is it ", "are there ", "does ", "do i ", "do you ", "should i ", "will ", "would ",
    "any idea", "anyone know", "help me", "please help",
};
constexpr const char* kTroubles[] = {"can't ", "cannot ", "can not ", "doesn't work", "does not work",
                                     "not working", "won't ", "unable to ", "keeps crashing"};

bool StartsWithAny(std::string_view s, const char* const* list, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (s.substr(0, std::char_traits<char>::length(list[i])) == list[i]) return true;
  }
  return false;
}

// Lower-cased copy with runs of non-alphanumeric characters (except the apostrophe)
// folded to one space and a space at both ends, so phrases match on word boundaries.
std::string Normalize(std::string_view text) {
  std::string out = " ";
  out.reserve(text.size() + 2);
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (IsAsciiAlnum(u) || u >= 0x80) {
      out.push_back(LowerAscii(c));
    } else if (c == '\'') {
      out.push_back(c);
    } else if (out.back() != ' ') {
      out.push_back(' ');
    }
  }
  if (out.back() != ' ') out.push_back(' ');
  // Typographic apostrophes (U+2019) to ASCII, so "that’s" matches "that's".
  for (size_t p; (p = out.find("\xE2\x80\x99")) != std::string::npos;) out.replace(p, 3, "'");
  return out;
}

// Kinds of closing phrase (ClosingsIn), as bits of what PhraseSets::FoundIn returns.
enum ClosingKind : unsigned { kNotClosing = 1, kClosing = 2, kAgentCloseKind = 4 };

// Sets of phrases (" word word ", a space at both ends), each with a bit, looked up by
// their first word: one pass over the words of a normalised text answers for every set,
// instead of one std::string::find per phrase (the finds were 12% of a whole ingest's
// instructions, callgrind, 20k generated messages) or one pass per set (three passes
// were 2.1% of a 1-thread ingest, 50k messages). Same answers: a phrase can only start at
// a space followed by its first word. Built once from string literals; const and
// thread-safe afterwards.
class PhraseSets {
 public:
  struct Set {
    unsigned bit;
    std::initializer_list<const char*> phrases;
  };
  PhraseSets(std::initializer_list<Set> sets) {
    for (const Set& set : sets) {
      for (const char* p : set.phrases) {
        std::string_view phrase(p);
        const size_t end = phrase.find(' ', 1);
        by_first_word_[phrase.substr(1, end - 1)].push_back({phrase, set.bit});
        all_ |= set.bit;
      }
    }
  }

  // The bits of the sets with a phrase in `normalized` (Normalize).
  unsigned FoundIn(const std::string& normalized) const {
    const std::string_view t(normalized);
    unsigned found = 0;
    for (size_t i = t.find(' '); i != std::string_view::npos && i + 1 < t.size(); i = t.find(' ', i + 1)) {
      const size_t end = t.find(' ', i + 1);
      if (end == std::string_view::npos) break;
      auto it = by_first_word_.find(t.substr(i + 1, end - i - 1));
      if (it == by_first_word_.end()) continue;
      for (const auto& [phrase, bit] : it->second) {
        if ((found & bit) == 0 && t.substr(i, phrase.size()) == phrase) found |= bit;
      }
      if (found == all_) break;
    }
    return found;
  }

 private:
  std::unordered_map<std::string_view, std::vector<std::pair<std::string_view, unsigned>>> by_first_word_;
  unsigned all_ = 0;
};

// The closing phrases a normalised text holds (bits of ClosingKind), for HasClosingSignal
// and HasAgentClose, and for Analyze, which normalises each text once for both.
unsigned ClosingsIn(const std::string& normalized) {
  static const PhraseSets kPhrases = {
      // Sarcasm and refusals: these are not closings.
      {kNotClosing,
       {" no thanks ", " thanks for nothing ", " no thank you ", " thanks but no ", " thanks anyway ", " still not ",
        " still doesn't ", " still don't ", " still isn't ", " still no ", " doesn't work ", " didn't work ",
        " not working ", " not fixed ", " not resolved ", " not sorted ", " thanks a lot for ruining ",
        " thanks for wasting "}},
      {kClosing,
       {" thanks ", " thank you ", " thankyou ", " thx ", " ty ", " tysm ", " cheers ", " much appreciated ",
        " appreciate it ", " appreciate your help ", " appreciate the help ", " that worked ", " it worked ",
        " this worked ", " worked a treat ", " works now ", " working now ", " working again ", " all sorted ",
        " sorted now ", " it's sorted ", " all good now ", " problem solved ", " issue resolved ", " that fixed it ",
        " fixed it ", " did the trick ", " that did it ", " resolved now ", " all fixed "}},
      {kAgentCloseKind,
       {" glad we could help ", " glad i could help ", " glad to help ", " happy to help ", " happy we could help ",
        " you're welcome ", " you are welcome ", " anytime ", " have a great day ", " have a good day ",
        " have a nice day ", " have a great one ", " have a great weekend ", " have a lovely day ",
        " have a great evening ", " have a good one ", " enjoy your ", " take care ", " glad to hear ",
        " great to hear ", " happy to hear ", " glad that's sorted ", " glad it's sorted ", " glad it's working ",
        " glad everything ", " if you need anything else ", " if there's anything else ",
        " if you need further assistance ", " don't hesitate to reach out "}},
  };
  return kPhrases.FoundIn(normalized);
}

// A customer's closing: a closing phrase and no sarcasm or refusal.
bool IsClosing(unsigned found) { return (found & kClosing) != 0 && (found & kNotClosing) == 0; }

}  // namespace

bool HasClosingSignal(std::string_view text) { return IsClosing(ClosingsIn(Normalize(text))); }

bool HasAgentClose(std::string_view text) { return (ClosingsIn(Normalize(text)) & kAgentCloseKind) != 0; }

bool LooksLikeQuestion(std::string_view text) {
  // Lower-case copy without leading @handles (tweets start with them).
  std::string lower;
  lower.reserve(text.size());
  for (char c : text) lower.push_back(LowerAscii(c));
  size_t i = 0;
  while (i < lower.size()) {
    while (i < lower.size() && std::isspace(static_cast<unsigned char>(lower[i]))) ++i;
    if (i < lower.size() && lower[i] == '@') {
      while (i < lower.size() && !std::isspace(static_cast<unsigned char>(lower[i]))) ++i;
    } else {
      break;
    }
  }
  std::string_view body = std::string_view(lower).substr(i);
  // A '?' that is not inside a URL's query string.
  for (size_t q = body.find('?'); q != std::string_view::npos; q = body.find('?', q + 1)) {
    size_t word = body.rfind(' ', q);
    std::string_view token = body.substr(word == std::string_view::npos ? 0 : word + 1, q);
    if (token.find("://") == std::string_view::npos && token.find("www.") == std::string_view::npos) return true;
  }
  // Interrogative openings at the start of a sentence or clause ("... and how do you ...").
  if (StartsWithAny(body, kOpenings, std::size(kOpenings))) return true;
  const std::string padded = " " + std::string(body);
  const std::string_view pv = padded;
  for (const char* lead : {". ", "! ", "\n", " and ", " so ", " but ", " then "}) {
    const size_t n = std::char_traits<char>::length(lead);
    for (size_t p = pv.find(lead); p != std::string_view::npos; p = pv.find(lead, p + 1)) {
      size_t start = p + n;
      while (start < pv.size() && pv[start] == ' ') ++start;
      if (StartsWithAny(pv.substr(start), kOpenings, std::size(kOpenings))) return true;
    }
  }
  for (const char* t : kTroubles) {
    if (body.find(t) != std::string_view::npos) return true;
  }
  return false;
}

void Analyze(Record* r, const BrandLexicon* brands) {
  bool question = LooksLikeQuestion(r->text) || (!r->title.empty() && r->parent.empty() && r->channel == "forum");
  uint32_t flags = r->flags & ~static_cast<uint32_t>(kFlagQuestion | kFlagThanks | kFlagAgentClose);
  if (question) flags |= kFlagQuestion;
  const unsigned closings = ClosingsIn(Normalize(r->text));
  if (IsClosing(closings)) flags |= kFlagThanks;
  if (closings & kAgentCloseKind) flags |= kFlagAgentClose;
  r->flags = flags;
  r->sentiment = SentimentAnalyzer::Default().Score(r->text);
  if (brands != nullptr) brands->Match(r->title, r->text, &r->mentions);
}

}  // namespace hark
