#include "indexer/analyzer.h"

#include <cctype>
#include <string>

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

}  // namespace

bool LooksLikeQuestion(std::string_view text) {
  // Lower-case copy without leading @handles (tweets start with them).
  std::string lower;
  lower.reserve(text.size());
  for (char c : text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
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

void Analyze(Record* r) {
  bool question = LooksLikeQuestion(r->text) || (!r->title.empty() && r->parent.empty() && r->channel == "forum");
  if (question) r->flags |= kFlagQuestion;
  else r->flags &= ~static_cast<uint32_t>(kFlagQuestion);
}

}  // namespace hark
