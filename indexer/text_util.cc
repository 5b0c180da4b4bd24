#include "indexer/text_util.h"

#include <cctype>
#include <cstdint>
#include <cstring>

namespace hark {
namespace {

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

struct Entity {
  const char* name;
  uint32_t cp;
};
constexpr Entity kEntities[] = {
    {"amp", '&'},       {"lt", '<'},         {"gt", '>'},        {"quot", '"'},
    {"apos", '\''},     {"nbsp", 0xA0},      {"copy", 0xA9},     {"reg", 0xAE},
    {"trade", 0x2122},  {"hellip", 0x2026},  {"mdash", 0x2014},  {"ndash", 0x2013},
    {"lsquo", 0x2018},  {"rsquo", 0x2019},   {"ldquo", 0x201C},  {"rdquo", 0x201D},
    {"laquo", 0xAB},    {"raquo", 0xBB},     {"euro", 0x20AC},   {"pound", 0xA3},
    {"yen", 0xA5},      {"cent", 0xA2},      {"deg", 0xB0},      {"times", 0xD7},
    {"divide", 0xF7},   {"middot", 0xB7},    {"bull", 0x2022},   {"eacute", 0xE9},
    {"egrave", 0xE8},   {"aacute", 0xE1},    {"agrave", 0xE0},   {"ouml", 0xF6},
    {"uuml", 0xFC},     {"auml", 0xE4},      {"szlig", 0xDF},    {"ccedil", 0xE7},
    {"ntilde", 0xF1},   {"iacute", 0xED},    {"oacute", 0xF3},   {"uacute", 0xFA},
    {"para", 0xB6},     {"sect", 0xA7},      {"shy", 0xAD},      {"zwj", 0x200D},
    {"zwnj", 0x200C},   {"rarr", 0x2192},    {"larr", 0x2190},   {"frac12", 0xBD},
};

// Decodes one reference starting at in[i] == '&'; on success appends it and returns the
// length consumed, else 0.
size_t DecodeOne(std::string_view in, size_t i, std::string* out) {
  size_t end = in.find(';', i + 1);
  if (end == std::string_view::npos || end - i > 12 || end == i + 1) return 0;
  std::string_view ref = in.substr(i + 1, end - i - 1);
  uint32_t cp = 0;
  if (ref[0] == '#') {
    bool hex = ref.size() > 1 && (ref[1] == 'x' || ref[1] == 'X');
    std::string_view digits = ref.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    for (char c : digits) {
      int v;
      if (c >= '0' && c <= '9') v = c - '0';
      else if (hex && c >= 'a' && c <= 'f') v = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F') v = c - 'A' + 10;
      else return 0;
      cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
      if (cp > 0x10FFFF) return 0;
    }
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  } else {
    for (const Entity& e : kEntities) {
      if (ref == e.name) {
        cp = e.cp;
        break;
      }
    }
    if (cp == 0) return 0;
  }
  AppendUtf8(cp, out);
  return end - i + 1;
}

bool IsBlockTag(std::string_view name) {
  static const char* kBlock[] = {"p", "br", "li", "div", "pre", "h1", "h2", "h3", "h4", "h5",
                                 "h6", "blockquote", "tr", "ul", "ol", "hr", "table", "dd", "dt"};
  for (const char* b : kBlock) {
    if (name == b) return true;
  }
  return false;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// Collapses whitespace runs within lines and blank-line runs, trims.
std::string TidyWhitespace(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  int newlines = 0;
  bool space = false;
  for (char c : s) {
    if (c == '\n') {
      ++newlines;
      space = false;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      space = true;
      continue;
    }
    if (!out.empty()) {
      if (newlines > 0) out.append(newlines > 1 ? "\n\n" : "\n");
      else if (space) out.push_back(' ');
    }
    newlines = 0;
    space = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string DecodeHtmlEntities(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  size_t i = 0;
  while (i < in.size()) {
    size_t amp = in.find('&', i);
    if (amp == std::string_view::npos) {
      out.append(in.substr(i));
      break;
    }
    out.append(in.substr(i, amp - i));
    size_t used = DecodeOne(in, amp, &out);
    if (used == 0) {
      out.push_back('&');
      i = amp + 1;
    } else {
      i = amp + used;
    }
  }
  return out;
}

std::string HtmlToText(std::string_view html) {
  std::string text;
  text.reserve(html.size());
  size_t i = 0;
  while (i < html.size()) {
    char c = html[i];
    if (c == '<') {
      if (html.compare(i, 4, "<!--") == 0) {
        size_t end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? html.size() : end + 3;
        continue;
      }
      size_t end = html.find('>', i + 1);
      if (end == std::string_view::npos) {  // a lone '<' in text
        text.push_back(c);
        ++i;
        continue;
      }
      std::string_view tag = html.substr(i + 1, end - i - 1);
      bool closing = !tag.empty() && tag[0] == '/';
      if (closing) tag.remove_prefix(1);
      size_t n = 0;
      while (n < tag.size() && std::isalnum(static_cast<unsigned char>(tag[n]))) ++n;
      std::string name(tag.substr(0, n));
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (n == 0 && !closing && !(tag.size() > 0 && (tag[0] == '!' || tag[0] == '?'))) {
        text.push_back(c);  // "a < b" is text, not a tag
        ++i;
        continue;
      }
      i = end + 1;
      if (!closing && (name == "script" || name == "style")) {
        // Skip to the matching close tag.
        size_t close = i;
        while ((close = html.find("</", close)) != std::string_view::npos) {
          if (IEquals(html.substr(close + 2, name.size()), name)) break;
          close += 2;
        }
        if (close == std::string_view::npos) {
          i = html.size();
        } else {
          size_t gt = html.find('>', close);
          i = gt == std::string_view::npos ? html.size() : gt + 1;
        }
        continue;
      }
      // A new line at every block start; paragraphs-like blocks also end one, so that
      // consecutive paragraphs stay separated by a blank line.
      bool ends_block = name == "p" || name == "div" || name == "pre" || name == "blockquote" ||
                        (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6');
      if ((!closing && IsBlockTag(name)) || (closing && ends_block)) {
        text.push_back('\n');
      } else if (name == "td" || name == "th") {
        text.push_back(' ');
      }
      continue;
    }
    text.push_back(c);
    ++i;
  }
  std::string decoded = DecodeHtmlEntities(text);
  for (size_t k = 0; k + 1 < decoded.size(); ++k) {  // NBSP -> space
    if (static_cast<unsigned char>(decoded[k]) == 0xC2 && static_cast<unsigned char>(decoded[k + 1]) == 0xA0) {
      decoded[k] = ' ';
      decoded.erase(k + 1, 1);
    }
  }
  return TidyWhitespace(decoded);
}

size_t SanitizeUtf8(std::string* text) {
  const std::string& s = *text;
  // Fast path: valid and free of unwanted controls.
  size_t replaced = 0;
  std::string out;
  bool changed = false;
  size_t i = 0;
  auto flush_to = [&](size_t upto) {
    if (!changed) {
      out.reserve(s.size() + 8);
      out.assign(s, 0, upto);
      changed = true;
    }
  };
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        flush_to(i);
        ++i;
        continue;
      }
      if (changed) out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
    bool valid = len > 0 && i + len <= s.size();
    for (size_t k = 1; valid && k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) valid = false;
      else cp = (cp << 6) | (cc & 0x3F);
    }
    if (valid) {
      if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
          (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
        valid = false;
      }
    }
    if (!valid) {
      flush_to(i);
      out.append("\xEF\xBF\xBD");
      ++replaced;
      // Skip the lead byte and any continuation bytes that follow it.
      ++i;
      while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
      continue;
    }
    if (changed) out.append(s, i, len);
    i += len;
  }
  if (changed) text->swap(out);
  return replaced;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace hark
