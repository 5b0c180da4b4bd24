#include "storage/brand_lexicon.h"

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "storage/schema.h"

namespace hark {
namespace {

bool AsciiWord(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Non-ASCII code points that separate words like ASCII punctuation does: Latin-1
// punctuation and symbols (NBSP, «, ¿, ×, ÷), general punctuation (U+2000-U+206F: spaces,
// zero-width spaces, ’ “ ” …), currency, arrows, mathematical and technical symbols,
// dingbats, CJK punctuation, variation selectors, the BOM and emoji.
bool SeparatorCodePoint(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
         (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
         (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0xE0000 && cp <= 0xE007F);
}

// Decodes the UTF-8 code point at text[i] into *cp and returns its length; an ASCII
// byte, or a byte that does not start a valid sequence, is one code point of length 1.
size_t DecodeAt(std::string_view text, size_t i, uint32_t* cp) {
  const unsigned char c = static_cast<unsigned char>(text[i]);
  *cp = c;
  const size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (len == 1 || i + len > text.size()) return 1;
  uint32_t v = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < len; ++k) {
    const unsigned char cc = static_cast<unsigned char>(text[i + k]);
    if ((cc & 0xC0) != 0x80) return 1;
    v = (v << 6) | (cc & 0x3F);
  }
  *cp = v;
  return len;
}

// The length of the word character at text[i]: 1 for an ASCII letter, digit or '_', the
// code point's length for a non-ASCII one that is not a separator (a byte that is not
// valid UTF-8 is a word byte), 0 for a separator.
size_t WordCharLength(std::string_view text, size_t i) {
  uint32_t cp = 0;
  const size_t len = DecodeAt(text, i, &cp);
  if (cp < 0x80) return AsciiWord(static_cast<unsigned char>(cp)) ? 1 : 0;
  if (len == 1) return 1;  // invalid UTF-8
  return SeparatorCodePoint(cp) ? 0 : len;
}

// Appends the word starting at text[i] (folded) to `token`; returns the index after it.
size_t TakeWord(std::string_view text, size_t i, std::string* token) {
  for (size_t len; i < text.size() && (len = WordCharLength(text, i)) > 0; i += len) {
    for (size_t k = 0; k < len; ++k) {
      const unsigned char c = static_cast<unsigned char>(text[i + k]);
      token->push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
    }
  }
  return i;
}

// True when a word character ends just before text[i].
bool WordBefore(std::string_view text, size_t i) {
  if (i == 0) return false;
  size_t start = i - 1;  // back to the lead byte of the previous code point
  while (start > 0 && i - start < 4 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  return WordCharLength(text, start) > 0;
}

using schema::Lower;

// Reads an optional list of strings; errors name the brand and field.
Status ReadList(const nlohmann::json& b, const char* field, const std::string& where, std::vector<std::string>* out) {
  if (!b.contains(field)) return Status::Ok();
  const nlohmann::json& v = b[field];
  if (!v.is_array()) return Status::Format(where + ": \"" + field + "\" is not a list of strings");
  for (const nlohmann::json& s : v) {
    if (!s.is_string() || s.get<std::string>().empty()) {
      return Status::Format(where + ": \"" + field + "\" holds something that is not a non-empty string");
    }
    out->push_back(s.get<std::string>());
  }
  return Status::Ok();
}

}  // namespace

void TokenizeForBrands(std::string_view text, std::vector<std::string>* out) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const size_t len = WordCharLength(text, i);
    if (len > 0) {
      std::string token;
      i = TakeWord(text, i, &token);
      out->push_back(std::move(token));
      continue;
    }
    // '@' / '#' before a word, not inside one: a handle or hashtag token.
    const char c = text[i];
    if ((c == '@' || c == '#') && i + 1 < n && WordCharLength(text, i + 1) > 0 && !WordBefore(text, i)) {
      std::string token(1, c);
      i = TakeWord(text, i + 1, &token);
      out->push_back(std::move(token));
      continue;
    }
    uint32_t cp = 0;
    i += DecodeAt(text, i, &cp);
  }
}

Result<BrandLexicon> BrandLexicon::FromFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot open brand lexicon " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return FromJson(text.str(), path);
}

Result<BrandLexicon> BrandLexicon::FromJson(std::string_view text, const std::string& origin) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    return Status::Format(origin + ": not valid JSON: " + e.what());
  }
  if (!j.is_object() || !j.contains("brands") || !j["brands"].is_array()) {
    return Status::Format(origin + ": expected {\"brands\": [...]}");
  }
  BrandLexicon lex;
  std::set<std::string> names;
  size_t index = 0;
  for (const nlohmann::json& b : j["brands"]) {
    const std::string where = origin + ": brand " + std::to_string(index++);
    if (!b.is_object() || !b.contains("name") || !b["name"].is_string() || b["name"].get<std::string>().empty()) {
      return Status::Format(where + ": needs a \"name\" (a non-empty string)");
    }
    Brand brand;
    brand.name = b["name"].get<std::string>();
    const std::string at = where + " (" + brand.name + ")";
    if (!names.insert(Lower(brand.name)).second) return Status::Format(at + ": the name is given twice");
    HARK_RETURN_IF_ERROR(ReadList(b, "aliases", at, &brand.aliases));
    HARK_RETURN_IF_ERROR(ReadList(b, "handles", at, &brand.handles));
    HARK_RETURN_IF_ERROR(ReadList(b, "hashtags", at, &brand.hashtags));
    HARK_RETURN_IF_ERROR(ReadList(b, "misspellings", at, &brand.misspellings));
    HARK_RETURN_IF_ERROR(ReadList(b, "competitors", at, &brand.competitors));
    if (b.contains("market")) {
      if (!b["market"].is_string()) return Status::Format(at + ": \"market\" is not a string");
      brand.market = b["market"].get<std::string>();
    }
    for (const std::string& h : brand.handles) {
      if (h.size() < 2 || h[0] != '@') return Status::Format(at + ": handle '" + h + "' does not start with '@'");
    }
    for (const std::string& h : brand.hashtags) {
      if (h.size() < 2 || h[0] != '#') return Status::Format(at + ": hashtag '" + h + "' does not start with '#'");
    }
    lex.brands_.push_back(std::move(brand));
  }
  for (const Brand& b : lex.brands_) {
    for (const std::string& c : b.competitors) {
      if (!names.count(Lower(c))) {
        return Status::Format(origin + ": brand " + b.name + ": competitor '" + c + "' is not a brand of the file");
      }
    }
  }
  HARK_RETURN_IF_ERROR(lex.Build().WithContext(origin));
  return lex;
}

Status BrandLexicon::Build() {
  nlohmann::json all = nlohmann::json::array();
  trie_.assign(1, Node());
  std::vector<std::string> tokens;
  for (size_t bi = 0; bi < brands_.size(); ++bi) {
    const Brand& b = brands_[bi];
    nlohmann::json o = nlohmann::json::object();
    o["name"] = b.name;  // nlohmann's object keeps keys sorted: a fixed order
    o["aliases"] = b.aliases;
    o["handles"] = b.handles;
    o["hashtags"] = b.hashtags;
    o["misspellings"] = b.misspellings;
    o["market"] = b.market;
    o["competitors"] = b.competitors;
    all.push_back(o);
    std::vector<const std::string*> entries = {&b.name};
    for (const auto* list : {&b.aliases, &b.handles, &b.hashtags, &b.misspellings}) {
      for (const std::string& e : *list) entries.push_back(&e);
    }
    for (const std::string* e : entries) {
      tokens.clear();
      TokenizeForBrands(*e, &tokens);
      if (tokens.empty()) return Status::Format("brand " + b.name + ": '" + *e + "' has no word in it");
      int node = 0;
      for (const std::string& t : tokens) {
        auto it = trie_[static_cast<size_t>(node)].children.find(t);
        if (it == trie_[static_cast<size_t>(node)].children.end()) {
          trie_.emplace_back();
          const int child = static_cast<int>(trie_.size() - 1);
          trie_[static_cast<size_t>(node)].children.emplace(t, child);
          node = child;
        } else {
          node = it->second;
        }
      }
      std::vector<size_t>& ends = trie_[static_cast<size_t>(node)].brands;
      if (std::find(ends.begin(), ends.end(), bi) == ends.end()) ends.push_back(bi);
    }
  }
  canonical_ = nlohmann::json{{"brands", all}}.dump();
  return Status::Ok();
}

int BrandLexicon::Find(std::string_view name) const {
  const std::string lower = Lower(name);
  for (size_t i = 0; i < brands_.size(); ++i) {
    if (Lower(brands_[i].name) == lower) return static_cast<int>(i);
  }
  return -1;
}

void BrandLexicon::Mentions(const std::vector<std::string>& tokens, std::vector<BrandMention>* out) const {
  out->clear();
  if (trie_.empty()) return;
  for (size_t i = 0; i < tokens.size(); ++i) {
    size_t node = 0;
    for (size_t j = i; j < tokens.size(); ++j) {
      auto it = trie_[node].children.find(tokens[j]);
      if (it == trie_[node].children.end()) break;
      node = static_cast<size_t>(it->second);
      for (size_t b : trie_[node].brands) out->push_back(BrandMention{b, i, j + 1});
    }
  }
}

void TokenizeMessage(std::string_view title, std::string_view text, std::vector<std::string>* out) {
  out->clear();
  if (!title.empty()) {
    TokenizeForBrands(title, out);
    out->push_back("\n");
  }
  TokenizeForBrands(text, out);
}

void BrandLexicon::Match(std::string_view title, std::string_view text, std::vector<std::string>* out) const {
  out->clear();
  if (trie_.empty()) return;
  std::vector<std::string> tokens;
  TokenizeMessage(title, text, &tokens);
  std::vector<BrandMention> mentions;
  Mentions(tokens, &mentions);
  std::vector<size_t> named;  // cost follows the mentions, not the lexicon's size
  for (const BrandMention& m : mentions) named.push_back(m.brand);
  std::sort(named.begin(), named.end());
  named.erase(std::unique(named.begin(), named.end()), named.end());
  for (size_t b : named) out->push_back(brands_[b].name);
}

}  // namespace hark
