// Text clean-up shared by the readers and the analysis: HTML to plain text, entities,
// UTF-8 repair, ASCII character classes.
// Pure functions: thread-safe.
#ifndef HARK_INDEXER_TEXT_UTIL_H_
#define HARK_INDEXER_TEXT_UTIL_H_

#include <string>
#include <string_view>

namespace hark {

// Decodes HTML character references: named (&amp; &lt; &gt; &quot; &apos; &nbsp; and
// the common Latin-1 / typographic names), decimal (&#39;) and hex (&#x27;). Unknown or
// malformed references are left as they are.
std::string DecodeHtmlEntities(std::string_view in);

// Turns an HTML fragment into plain text: drops tags, comments, <script>/<style>
// content; block elements (p, br, li, div, pre, h1-h6, blockquote, tr) become line
// breaks; entities decoded; runs of blank lines collapsed; trimmed.
std::string HtmlToText(std::string_view html);

// Replaces every invalid UTF-8 sequence (overlong forms, surrogates, stray
// continuation bytes, truncation) with U+FFFD and drops NUL and C0 controls other
// than tab, LF and CR. Returns how many invalid sequences were replaced.
size_t SanitizeUtf8(std::string* text);

// Trims ASCII whitespace at both ends.
std::string_view Trim(std::string_view s);

// ASCII letters and digits, and ASCII case folding: what std::isalnum and std::tolower
// answer in the "C" locale hark runs in (it never calls setlocale), without a library
// call per character (about a tenth of the analysis' instructions, callgrind). Bytes
// from 0x80 up are neither letters nor folded.
inline bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace hark

#endif  // HARK_INDEXER_TEXT_UTIL_H_
