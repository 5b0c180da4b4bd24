// mbox reader (mboxo and mboxrd): one Record per message.
//
// Blocks are cut before a "From " line that follows a blank line (or starts the file):
// the separator rule shared by both mbox flavours. Each message then has its
// ">From " escaping undone with the mboxrd rule (one '>' removed from every line that
// matches ^>+From ), which is also right for mboxo except for bodies that genuinely
// began with ">From " — an ambiguity mboxo itself cannot resolve.
//
// MIME is GMime's job (header and address parsing, multipart trees, quoted-printable /
// base64). Two things are done here instead: charset conversion to UTF-8 (through
// GMime's iconv cache) so that invalid bytes become U+FFFD instead of vanishing,
// mislabelled 8-bit text ("us-ascii", "iso-8859-1", none) is read as windows-1252 unless
// it is valid UTF-8, and mailer labels iconv lacks ("eucgb2312_cn") are mapped; and
// RFC 2047 subject decoding, because GMime's drops the second of two adjacent
// ISO-2022-JP encoded words (seen in the SpamAssassin corpus).
//
// Mapping:
//   id      Message-ID without <>; missing, empty or not an id (e.g. "PM200011:12:45 AM",
//           several words without <>): "sha-" + the first 32 hex digits of
//           the SHA-256 of the message bytes (after the separator line and unescaping),
//           so the same message always gets the same id;
//   parent  In-Reply-To (first <id>), else the last <id> of References;
//   author  the From address, lowercased. Mailing lists that rewrite From for DMARC
//           ("Name via List" <list@host>) keep the sender only in Reply-To: then the
//           single Reply-To address is the author;
//   title   Subject, RFC 2047 decoded (raw 8-bit subjects in the body's charset, else
//           windows-1252 unless valid UTF-8), whitespace runs collapsed;
//   time    Date header (ParseTime; also the asctime form, and retried with RFC 5322
//           comments removed: "... 03:27:38 (GMT)"); when it is missing, unparsable
//           (bogus zones such as "GMT+1", "+-0500") or before 1970
//           (forged years such as 0102), the date on the "From " line; else a Reject.
//           The placeholder "Thu Jan  1 00:00:00 1970" (public-inbox, converters) is
//           not a date;
//   text    the body: in multipart/alternative the text/plain alternative (else the
//           HTML one through HtmlToText); elsewhere every inline text/plain or text/html
//           part, joined by a blank line. Attachments (Content-Disposition: attachment,
//           non-text parts, attached message/rfc822) are ignored. Quoted lines (">") are
//           kept; a trailing Mailman list footer ("____" rule, "<List> mailing list",
//           address, URL; Mailman 2 and 3) is removed, repeatedly when a top-posted
//           reply left the previous footer right before it. A message with no text part
//           at all (attachments only) has empty text: the source has none;
//   channel "email", source "email" (options override), role unknown, thread empty
//           (derived from parent links at ingest).
#include <gmime/gmime.h>
#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/readers.h"
#include "indexer/text_util.h"
#include "storage/time_parse.h"

namespace hark {
namespace {

void InitGMimeOnce() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

// Owns one GObject reference.
struct GObjectUnref {
  void operator()(void* p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

// True when a "From " at buf[pos] starts a message: at the start of the buffer, or
// after a blank line.
bool IsSeparatorAt(std::string_view buf, size_t pos) {
  if (buf.substr(pos, 5) != "From ") return false;
  if (pos == 0) return true;
  if (buf[pos - 1] != '\n') return false;
  if (pos == 1 || buf[pos - 2] == '\n') return true;
  return buf[pos - 2] == '\r' && (pos == 2 || buf[pos - 3] == '\n');
}

// Position of the next separator at or after `from`, or npos.
size_t NextSeparator(std::string_view buf, size_t from) {
  if (from == 0 && IsSeparatorAt(buf, 0)) return 0;
  size_t pos = from == 0 ? 0 : from - 1;
  for (;;) {
    pos = buf.find("\nFrom ", pos);
    if (pos == std::string_view::npos) return pos;
    if (pos + 1 >= from && IsSeparatorAt(buf, pos + 1)) return pos + 1;
    ++pos;
  }
}

// Undoes mboxrd quoting: removes one '>' from lines matching ^>+From .
std::string UnescapeFromLines(std::string_view msg) {
  std::string out;
  out.reserve(msg.size());
  size_t pos = 0;
  while (pos < msg.size()) {
    size_t nl = msg.find('\n', pos);
    size_t end = nl == std::string_view::npos ? msg.size() : nl + 1;
    std::string_view line = msg.substr(pos, end - pos);
    size_t quotes = 0;
    while (quotes < line.size() && line[quotes] == '>') ++quotes;
    if (quotes > 0 && line.substr(quotes, 5) == "From ") line.remove_prefix(1);
    out.append(line);
    pos = end;
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (g_ascii_tolower(a[i]) != g_ascii_tolower(b[i])) return false;
  }
  return true;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = g_ascii_tolower(c);
  return out;
}

bool IsValidUtf8(std::string_view s) { return g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr); }

void AppendCodePoint(uint32_t cp, std::string* out) {
  char buf[8];
  int n = g_unichar_to_utf8(cp, buf);
  out->append(buf, static_cast<size_t>(n));
}

// windows-1252 to UTF-8 (a superset of ISO-8859-1 for text: 0x80-0x9F are the
// typographic characters mailers really meant). Unassigned bytes become U+FFFD.
std::string Cp1252ToUtf8(std::string_view in) {
  static constexpr uint16_t k80[32] = {
      0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
  std::string out;
  out.reserve(in.size() + in.size() / 4);
  for (char ch : in) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) out.push_back(ch);
    else if (c < 0xA0) AppendCodePoint(k80[c - 0x80], &out);
    else AppendCodePoint(c, &out);
  }
  return out;
}

// Charset labels that real mailers write but iconv and GMime do not know, mapped to the
// charset they mean (Outlook's "eucgb2312_cn" is GB2312, and so on).
struct CharsetAlias {
  std::string_view label;
  std::string_view charset;
};
constexpr CharsetAlias kCharsetAliases[] = {
    {"eucgb2312_cn", "gb2312"},      {"x-gbk", "gbk"},           {"x-euc-cn", "gb2312"},
    {"x-sjis", "shift_jis"},         {"x-euc-jp", "euc-jp"},     {"iso-8859-8-i", "iso-8859-8"},
    {"unicode-1-1-utf-7", "utf-7"},  {"x-user-defined", "windows-1252"},
    {"_iso-2022-jp$esc", "iso-2022-jp"}, {"ansi_x3.4-1968", "us-ascii"},
};

std::string_view CanonicalCharset(std::string_view label) {
  for (const CharsetAlias& a : kCharsetAliases) {
    if (EqualsIgnoreCase(label, a.label)) return a.charset;
  }
  return label;
}

// Converts decoded part bytes in `charset` (may be null) to UTF-8. Never fails: bytes
// that do not convert become U+FFFD (and SanitizeUtf8 runs later on the result).
std::string ToUtf8(std::string_view bytes, const char* charset) {
  std::string_view cs = charset == nullptr ? std::string_view() : CanonicalCharset(Trim(charset));
  if (cs.empty() || EqualsIgnoreCase(cs, "us-ascii") || EqualsIgnoreCase(cs, "ascii") ||
      EqualsIgnoreCase(cs, "iso-8859-1") || EqualsIgnoreCase(cs, "latin1") ||
      EqualsIgnoreCase(cs, "windows-1252") || EqualsIgnoreCase(cs, "cp1252")) {
    // 8-bit text under an ASCII or Latin-1 label is windows-1252 in practice; UTF-8
    // under no label is common too and is recognised by validating it.
    if (IsValidUtf8(bytes) && (cs.empty() || EqualsIgnoreCase(cs, "us-ascii") ||
                               EqualsIgnoreCase(cs, "ascii"))) {
      return std::string(bytes);
    }
    return Cp1252ToUtf8(bytes);
  }
  if (EqualsIgnoreCase(cs, "utf-8") || EqualsIgnoreCase(cs, "utf8")) return std::string(bytes);
  std::string name(cs);
  iconv_t cd = g_mime_iconv_open("UTF-8", name.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {  // unknown charset label
    return IsValidUtf8(bytes) ? std::string(bytes) : Cp1252ToUtf8(bytes);
  }
  std::string out;
  out.reserve(bytes.size() * 2);
  char buf[4096];
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  while (in_left > 0) {
    char* o = buf;
    size_t o_left = sizeof(buf);
    size_t rc = iconv(cd, &in, &in_left, &o, &o_left);
    int err = errno;
    out.append(buf, static_cast<size_t>(o - buf));
    if (rc != static_cast<size_t>(-1)) break;
    if (err == E2BIG) continue;
    AppendCodePoint(0xFFFD, &out);  // EILSEQ or EINVAL (truncated sequence)
    if (err == EILSEQ) {
      ++in;
      --in_left;
    } else {
      break;
    }
  }
  char* o = buf;
  size_t o_left = sizeof(buf);
  iconv(cd, nullptr, nullptr, &o, &o_left);
  out.append(buf, static_cast<size_t>(o - buf));
  g_mime_iconv_close(cd);
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Lenient base64: skips characters outside the alphabet, tolerates missing padding.
std::string DecodeBase64(std::string_view in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else continue;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

// The "Q" encoding of RFC 2047: '_' is a space, =XX a byte.
std::string DecodeQ(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '_') {
      out.push_back(' ');
    } else if (in[i] == '=' && i + 2 < in.size() && HexValue(in[i + 1]) >= 0 && HexValue(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2])));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

// Parses an RFC 2047 encoded word at s[pos] ("=?charset?B|Q?text?="). On success sets
// *charset (language suffix dropped), *bytes (decoded, still in that charset) and *end.
bool ParseEncodedWord(std::string_view s, size_t pos, std::string* charset, std::string* bytes, size_t* end) {
  if (s.substr(pos, 2) != "=?") return false;
  size_t q1 = s.find('?', pos + 2);
  if (q1 == std::string_view::npos || q1 + 2 >= s.size() || s[q1 + 2] != '?') return false;
  char enc = static_cast<char>(g_ascii_toupper(s[q1 + 1]));
  if (enc != 'B' && enc != 'Q') return false;
  size_t close = s.find("?=", q1 + 3);
  if (close == std::string_view::npos) return false;
  std::string_view text = s.substr(q1 + 3, close - q1 - 3);
  if (text.find_first_of(" \t") != std::string_view::npos) return false;
  std::string_view cs = s.substr(pos + 2, q1 - pos - 2);
  cs = cs.substr(0, cs.find('*'));  // RFC 2231 language: =?utf-8*en?Q?...?=
  if (cs.empty()) return false;
  *charset = std::string(cs);
  *bytes = enc == 'B' ? DecodeBase64(text) : DecodeQ(text);
  *end = close + 2;
  return true;
}

// Decodes an unstructured header such as Subject to UTF-8: RFC 2047 encoded words
// (adjacent words of one charset are joined before conversion, so a multibyte character
// or an ISO-2022-JP escape run split across words survives; the whitespace between
// them is dropped), and raw 8-bit text in `fallback_charset` (the body's charset: spam
// sends raw Big5 or EUC-KR subjects) unless it is valid UTF-8. GMime's own decoder
// loses the second of two ISO-2022-JP words, hence this one.
std::string DecodeHeaderText(std::string_view raw, const char* fallback_charset) {
  std::string out;
  std::string word_charset, word_bytes, gap;
  bool after_word = false;
  auto flush_word = [&] {
    if (!word_charset.empty()) out += ToUtf8(word_bytes, word_charset.c_str());
    word_charset.clear();
    word_bytes.clear();
  };
  size_t i = 0;
  while (i < raw.size()) {
    std::string charset, bytes;
    size_t end = 0;
    if (ParseEncodedWord(raw, i, &charset, &bytes, &end)) {
      if (after_word && EqualsIgnoreCase(charset, word_charset)) {
        word_bytes += bytes;
      } else {
        flush_word();
        word_charset = charset;
        word_bytes = std::move(bytes);
      }
      gap.clear();  // whitespace between encoded words is not text
      after_word = true;
      i = end;
      continue;
    }
    if (after_word && (raw[i] == ' ' || raw[i] == '\t')) {
      gap.push_back(raw[i++]);
      continue;
    }
    flush_word();
    out += gap;
    gap.clear();
    after_word = false;
    size_t next = raw.find("=?", i + 1);
    if (next == std::string_view::npos) next = raw.size();
    std::string_view plain = raw.substr(i, next - i);
    if (IsValidUtf8(plain)) {
      out.append(plain);
    } else {
      out += ToUtf8(plain, fallback_charset != nullptr ? fallback_charset : "windows-1252");
    }
    i = next;
  }
  flush_word();
  out += gap;
  return out;
}

// Runs of whitespace (folding leftovers, tabs) as one space; trimmed.
std::string CollapseSpaces(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  bool space = false;
  for (char c : in) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// A header's raw value, unfolded and trimmed; empty when absent.
std::string RawHeader(GMimeObject* obj, const char* name) {
  GMimeHeaderList* list = g_mime_object_get_header_list(obj);
  if (list == nullptr) return std::string();
  GMimeHeader* header = g_mime_header_list_get_header(list, name);
  if (header == nullptr) return std::string();
  const char* raw = g_mime_header_get_raw_value(header);
  if (raw == nullptr) raw = g_mime_header_get_value(header);
  if (raw == nullptr) return std::string();
  std::string out;
  for (const char* p = raw; *p != '\0'; ++p) {
    if (*p != '\r' && *p != '\n') out.push_back(*p);
  }
  return std::string(Trim(out));
}

// Every <...> token of a header value, whitespace inside removed.
std::vector<std::string> AngleIds(std::string_view value) {
  std::vector<std::string> ids;
  size_t pos = 0;
  for (;;) {
    size_t open = value.find('<', pos);
    if (open == std::string_view::npos) break;
    size_t close = value.find('>', open + 1);
    if (close == std::string_view::npos) break;
    std::string id;
    for (char c : value.substr(open + 1, close - open - 1)) {
      if (c != ' ' && c != '\t') id.push_back(c);
    }
    if (!id.empty()) ids.push_back(std::move(id));
    pos = close + 1;
  }
  return ids;
}

// A message id from a header: the first <id>, else the bare value when it is one token.
std::string FirstId(std::string_view value) {
  std::vector<std::string> ids = AngleIds(value);
  if (!ids.empty()) return ids.front();
  value = Trim(value);
  if (value.find_first_of(" \t<>") != std::string_view::npos) return std::string();
  return std::string(value);
}

// A header value with its RFC 5322 (comments) removed.
std::string WithoutComments(std::string_view value) {
  std::string out;
  int depth = 0;
  for (char c : value) {
    if (c == '(') ++depth;
    else if (c == ')' && depth > 0) --depth;
    else if (depth == 0) out.push_back(c);
  }
  return std::string(Trim(out));
}

// ParseTime, plus the asctime form "Thu Aug 22 12:36:23 2002" of mbox separator lines
// (and of some Date headers), read as UTC.
bool ParseMailTime(std::string_view date, int64_t* out) {
  std::string error;
  int64_t t = 0;
  bool ok = ParseTime(date, &t, &error);
  if (!ok) {
    // asctime form "Thu Aug 22 12:36:23 2002" (no zone: UTC), rewritten as the Twitter
    // form that ParseTime knows.
    std::vector<std::string_view> tok;
    size_t pos = 0;
    while (pos < date.size()) {
      size_t b = date.find_first_not_of(" \t", pos);
      if (b == std::string_view::npos) break;
      size_t e = date.find_first_of(" \t", b);
      if (e == std::string_view::npos) e = date.size();
      tok.push_back(date.substr(b, e - b));
      pos = e;
    }
    if (tok.size() == 5) {
      std::string twitter = std::string(tok[0]) + " " + std::string(tok[1]) + " " + std::string(tok[2]) +
                            " " + std::string(tok[3]) + " +0000 " + std::string(tok[4]);
      ok = ParseTime(twitter, &t, &error);
    } else if (tok.size() == 6 && (tok[5][0] == '+' || tok[5][0] == '-')) {  // ... 2002 +0200
      std::string twitter = std::string(tok[0]) + " " + std::string(tok[1]) + " " + std::string(tok[2]) +
                            " " + std::string(tok[3]) + " " + std::string(tok[5]) + " " + std::string(tok[4]);
      ok = ParseTime(twitter, &t, &error);
    }
  }
  if (!ok) return false;
  *out = t;
  return true;
}

// The date on an mbox "From sender date" line; false when there is none (or it is the
// 1970 placeholder).
bool EnvelopeTime(std::string_view from_line, int64_t* out) {
  std::string_view rest = Trim(from_line.substr(5));
  size_t sp = rest.find_first_of(" \t");
  if (sp == std::string_view::npos) return false;
  std::string_view date = Trim(rest.substr(sp));
  if (date.empty()) return false;
  int64_t t = 0;
  if (!ParseMailTime(date, &t) || t <= 0) return false;
  *out = t;
  return true;
}

// One piece of body text, and whether it came from HTML.
struct TextPiece {
  std::string text;
  bool html = false;
};

std::string PartBytes(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return std::string();
  GPtr<GMimeStream> mem(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, mem.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
  if (bytes == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

// Collects the readable text of `obj` (see the file comment for the rules).
void CollectText(GMimeObject* obj, std::vector<TextPiece>* out, int depth) {
  if (obj == nullptr || depth > 32) return;
  if (GMIME_IS_MULTIPART(obj)) {
    GMimeMultipart* multi = GMIME_MULTIPART(obj);
    int n = g_mime_multipart_get_count(multi);
    GMimeContentType* type = g_mime_object_get_content_type(obj);
    const char* subtype = type == nullptr ? nullptr : g_mime_content_type_get_media_subtype(type);
    if (subtype != nullptr && EqualsIgnoreCase(subtype, "alternative")) {
      std::vector<TextPiece> best;
      for (int i = 0; i < n; ++i) {
        std::vector<TextPiece> alt;
        CollectText(g_mime_multipart_get_part(multi, i), &alt, depth + 1);
        if (alt.empty()) continue;
        bool plain = std::any_of(alt.begin(), alt.end(), [](const TextPiece& p) { return !p.html; });
        if (plain) {
          best = std::move(alt);
          break;
        }
        if (best.empty()) best = std::move(alt);
      }
      for (TextPiece& p : best) out->push_back(std::move(p));
    } else {
      for (int i = 0; i < n; ++i) CollectText(g_mime_multipart_get_part(multi, i), out, depth + 1);
    }
    return;
  }
  if (!GMIME_IS_PART(obj)) return;  // message/rfc822 attachments and the like
  GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(obj);
  if (disposition != nullptr && g_mime_content_disposition_is_attachment(disposition)) return;
  GMimeContentType* type = g_mime_object_get_content_type(obj);
  if (type == nullptr) return;
  const bool plain = g_mime_content_type_is_type(type, "text", "plain");
  const bool html = g_mime_content_type_is_type(type, "text", "html");
  if (!plain && !html) return;
  std::string bytes = PartBytes(GMIME_PART(obj));
  std::string text = ToUtf8(bytes, g_mime_content_type_get_parameter(type, "charset"));
  if (html) text = HtmlToText(text);
  out->push_back(TextPiece{std::move(text), html});
}

// The charset of the message's first leaf part, a hint for raw 8-bit headers; null
// when none is declared.
const char* BodyCharset(GMimeMessage* message) {
  GMimeObject* obj = g_mime_message_get_mime_part(message);
  for (int depth = 0; obj != nullptr && GMIME_IS_MULTIPART(obj) && depth < 32; ++depth) {
    GMimeMultipart* multi = GMIME_MULTIPART(obj);
    obj = g_mime_multipart_get_count(multi) > 0 ? g_mime_multipart_get_part(multi, 0) : nullptr;
  }
  if (obj == nullptr) return nullptr;
  GMimeContentType* type = g_mime_object_get_content_type(obj);
  return type == nullptr ? nullptr : g_mime_content_type_get_parameter(type, "charset");
}

// Removes a trailing Mailman footer: a rule of underscores followed by at most six short
// lines, the first of which mentions a "mailing list" (Mailman 2: "List mailing list";
// Mailman 3: "List mailing list -- list@host").
// Returns whether it removed one.
bool StripListFooter(std::string* text) {
  size_t search_end = text->size();
  while (search_end > 0) {
    size_t rule_start = text->rfind("\n___", search_end - 1);
    size_t line_start = rule_start == std::string::npos ? 0 : rule_start + 1;
    if (rule_start == std::string::npos && text->compare(0, 3, "___") != 0) return false;
    size_t rule_end = text->find('\n', line_start);
    if (rule_end == std::string::npos) return false;
    std::string_view rule = Trim(std::string_view(*text).substr(line_start, rule_end - line_start));
    bool is_rule = rule.size() >= 20 && rule.find_first_not_of('_') == std::string_view::npos;
    if (is_rule) {
      std::string_view tail = std::string_view(*text).substr(rule_end + 1);
      std::vector<std::string_view> lines;
      size_t pos = 0;
      bool too_long = false;
      while (pos < tail.size()) {
        size_t nl = tail.find('\n', pos);
        if (nl == std::string_view::npos) nl = tail.size();
        std::string_view l = Trim(tail.substr(pos, nl - pos));
        if (!l.empty()) lines.push_back(l);
        if (l.size() > 200) too_long = true;
        pos = nl + 1;
      }
      static constexpr std::string_view kMarker = "mailing list";
      if (!too_long && !lines.empty() && lines.size() <= 6 &&
          Lower(lines[0]).find(kMarker) != std::string::npos) {
        text->resize(line_start);
        while (!text->empty() && std::strchr(" \t\r\n", text->back()) != nullptr) text->pop_back();
        return true;
      }
      return false;  // only the last rule can start a footer
    }
    if (rule_start == std::string::npos) return false;
    search_end = rule_start;
  }
  return false;
}

std::string NormalizeNewlines(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < in.size() && in[i + 1] == '\n') ++i;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

// The first mailbox of an address list: its lowercased address and display name.
bool FirstMailbox(InternetAddressList* list, std::string* addr, std::string* name, int* count) {
  *count = 0;
  if (list == nullptr) return false;
  bool found = false;
  int n = internet_address_list_length(list);
  for (int i = 0; i < n; ++i) {
    InternetAddress* a = internet_address_list_get_address(list, i);
    if (!INTERNET_ADDRESS_IS_MAILBOX(a)) continue;
    ++*count;
    if (found) continue;
    const char* email = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
    if (email == nullptr || *email == '\0') continue;
    *addr = Lower(Trim(email));
    const char* display = internet_address_get_name(a);
    *name = display == nullptr ? std::string() : std::string(display);
    found = true;
  }
  return found;
}

std::string Sha256Id(std::string_view bytes) {
  gchar* hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256, reinterpret_cast<const guchar*>(bytes.data()),
                                           bytes.size());
  std::string id = "sha-" + std::string(hex, 32);
  g_free(hex);
  return id;
}

// Reads an mbox archive. NextBlock() is serial; Parse() is const and thread-safe: every
// GMime object it uses is created and released inside the call (GMime objects are not
// shared across threads; g_mime_init() runs once, before the first reader exists).
class MboxReader : public BlockReader {
 public:
  MboxReader(std::unique_ptr<InputStream> in, const ReaderOptions& options)
      : BlockReader(std::move(in), options),
        source_(options.source.empty() ? "email" : options.source),
        channel_(options.channel.empty() ? "email" : options.channel) {}

  void Parse(const Block& block, ParsedBlock* out) const override;

 protected:
  size_t FindCut(std::string_view buf, bool eof) override {
    if (eof) return buf.size();
    size_t pos = buf.size();
    while (pos > 1) {
      size_t nl = buf.rfind("\nFrom ", pos - 1);
      if (nl == std::string_view::npos) return 0;
      if (nl + 1 > 0 && IsSeparatorAt(buf, nl + 1)) return nl + 1;
      pos = nl;
    }
    return 0;
  }

 private:
  void ParseMessage(std::string_view chunk, uint64_t line_no, uint64_t offset, GMimeParserOptions* options,
                    ParsedBlock* out) const;
  void AddReject(std::string_view chunk, uint64_t line_no, uint64_t offset, std::string reason,
                 ParsedBlock* out) const {
    out->rejects.push_back(Reject{path(), line_no, offset, std::move(reason), RejectRaw(chunk)});
  }

  const std::string source_;
  const std::string channel_;
};

void MboxReader::Parse(const Block& block, ParsedBlock* out) const {
  InitGMimeOnce();
  std::unique_ptr<GMimeParserOptions, void (*)(GMimeParserOptions*)> options(g_mime_parser_options_new(),
                                                                             g_mime_parser_options_free);
  static const char* kFallbackCharsets[] = {"utf-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(options.get(), kFallbackCharsets);
  g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);

  std::string_view data = block.data;
  size_t start = NextSeparator(data, 0);
  uint64_t line_no = block.first_line;
  if (start == std::string_view::npos) start = data.size();
  if (start > 0) {
    std::string_view junk = data.substr(0, start);
    if (!Trim(junk).empty()) {
      AddReject(junk, line_no, block.offset, "text before the first 'From ' separator line", out);
    }
    line_no += std::count(junk.begin(), junk.end(), '\n');
  }
  while (start < data.size()) {
    size_t next = NextSeparator(data, start + 1);
    if (next == std::string_view::npos) next = data.size();
    std::string_view chunk = data.substr(start, next - start);
    ParseMessage(chunk, line_no, block.offset + start, options.get(), out);
    line_no += std::count(chunk.begin(), chunk.end(), '\n');
    start = next;
  }
}

void MboxReader::ParseMessage(std::string_view chunk, uint64_t line_no, uint64_t offset,
                              GMimeParserOptions* options, ParsedBlock* out) const {
  size_t nl = chunk.find('\n');
  std::string_view from_line = chunk.substr(0, nl == std::string_view::npos ? chunk.size() : nl);
  if (!from_line.empty() && from_line.back() == '\r') from_line.remove_suffix(1);
  std::string_view body = nl == std::string_view::npos ? std::string_view() : chunk.substr(nl + 1);
  // The blank line that separates messages belongs to the mbox, not to the message.
  if (body.size() >= 2 && body.substr(body.size() - 2) == "\n\n") {
    body.remove_suffix(1);
  } else if (body.size() >= 4 && body.substr(body.size() - 4) == "\r\n\r\n") {
    body.remove_suffix(2);
  }
  if (Trim(body).empty()) {
    return AddReject(chunk, line_no, offset, "empty message (a 'From ' line with nothing after it)", out);
  }
  std::string message = UnescapeFromLines(body);

  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(message.data(), message.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  GPtr<GMimeMessage> mime(g_mime_parser_construct_message(parser.get(), options));
  if (mime == nullptr) return AddReject(chunk, line_no, offset, "MIME: GMime cannot parse the message", out);
  GMimeObject* obj = GMIME_OBJECT(mime.get());

  Record rec;
  rec.source = source_;
  rec.channel = channel_;

  // time
  std::string date = RawHeader(obj, "Date");
  std::string time_error;
  bool have_time = false;
  if (!date.empty()) {
    have_time = ParseMailTime(date, &rec.time);
    if (!have_time) {  // "Mon, 16 Sep 2002 03:27:38 (GMT)": the zone only as a comment
      std::string bare = WithoutComments(date);
      have_time = bare != date && ParseMailTime(bare, &rec.time);
    }
    if (have_time && rec.time < 0) {
      have_time = false;
      time_error = "Date '" + date + "' is before 1970";
    } else if (!have_time) {
      time_error = "cannot parse Date '" + date + "'";
    }
  } else {
    time_error = "no Date header";
  }
  if (!have_time && !EnvelopeTime(from_line, &rec.time)) {
    std::string shown(from_line);
    SanitizeUtf8(&time_error);
    SanitizeUtf8(&shown);
    return AddReject(chunk, line_no, offset,
                     "time: " + time_error + " and no date on the separator line '" + shown + "'", out);
  }

  // id, parent
  rec.id = FirstId(RawHeader(obj, "Message-ID"));
  if (rec.id.empty()) rec.id = Sha256Id(message);
  rec.parent = FirstId(RawHeader(obj, "In-Reply-To"));
  if (rec.parent.empty()) {
    std::vector<std::string> refs = AngleIds(RawHeader(obj, "References"));
    if (!refs.empty()) rec.parent = refs.back();
  }
  if (rec.parent == rec.id) rec.parent.clear();

  // author
  std::string addr, name;
  int count = 0;
  if (FirstMailbox(g_mime_message_get_from(mime.get()), &addr, &name, &count)) {
    rec.author = addr;
    std::string reply_addr, reply_name;
    int reply_count = 0;
    if (Lower(name).find(" via ") != std::string::npos &&
        FirstMailbox(g_mime_message_get_reply_to(mime.get()), &reply_addr, &reply_name, &reply_count) &&
        reply_count == 1) {
      rec.author = reply_addr;  // DMARC From rewriting by the list
    }
  } else {
    rec.author = Lower(RawHeader(obj, "From"));
  }

  // title
  rec.title = CollapseSpaces(DecodeHeaderText(RawHeader(obj, "Subject"), BodyCharset(mime.get())));

  // text
  std::vector<TextPiece> pieces;
  CollectText(g_mime_message_get_mime_part(mime.get()), &pieces, 0);
  std::string text;
  for (const TextPiece& p : pieces) {
    std::string_view t = Trim(p.text);
    if (t.empty()) continue;
    if (!text.empty()) text += "\n\n";
    text.append(t);
  }
  text = NormalizeNewlines(text);
  // Repeated: a top-posted reply (Outlook style, no ">") ends with the previous
  // message's footer right before the list's own.
  while (StripListFooter(&text)) {
  }
  rec.text = std::string(Trim(text));

  SanitizeUtf8(&rec.id);
  SanitizeUtf8(&rec.parent);
  SanitizeUtf8(&rec.author);
  SanitizeUtf8(&rec.title);
  SanitizeUtf8(&rec.text);
  out->records.push_back(std::move(rec));
  out->lines.push_back(line_no);
}

}  // namespace

Result<std::unique_ptr<FileReader>> NewMboxReader(std::unique_ptr<InputStream> in, const ReaderOptions& options) {
  const std::string path = in->path();
  Result<std::string> head = in->Peek(64 * 1024);
  if (!head.ok()) return head.status();
  std::string_view h = *head;
  while (!h.empty() && (h.front() == '\n' || h.front() == '\r')) h.remove_prefix(1);
  // An empty mailbox is a valid mbox with no messages.
  if (!h.empty() && h.substr(0, 5) != "From ") {
    std::string first(h.substr(0, std::min<size_t>(h.find('\n'), 60)));
    if (!first.empty() && first.back() == '\r') first.pop_back();
    for (char& c : first) {
      if (static_cast<unsigned char>(c) < 0x20) c = '?';
    }
    SanitizeUtf8(&first);
    return Status::Format(path + ": not an mbox archive (first line '" + first +
                          "', expected a 'From ' separator line)");
  }
  InitGMimeOnce();
  return std::unique_ptr<FileReader>(std::make_unique<MboxReader>(std::move(in), options));
}

}  // namespace hark
