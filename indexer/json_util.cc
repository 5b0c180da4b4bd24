// JsonLinesReader and the JSON helpers shared by jsonl_reader.cc and reddit_reader.cc.
#include "indexer/json_util.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <vector>

#include "indexer/text_util.h"
#include "storage/time_parse.h"

namespace hark {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads the 4 hex digits of a \uXXXX escape starting at s[i] ('\'); -1 if malformed.
int EscapeCodeUnit(std::string_view s, size_t i) {
  if (i + 6 > s.size() || s[i] != '\\' || s[i + 1] != 'u') return -1;
  int v = 0;
  for (size_t k = i + 2; k < i + 6; ++k) {
    int h = HexValue(s[k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

// Replaces \uD800-\uDFFF escapes that are not part of a surrogate pair with \ufffd.
// Backslash pairs are skipped as units so that "\\ud800" (an escaped backslash) is
// left alone. Returns whether anything changed.
bool ReplaceLoneSurrogates(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size());
  bool changed = false;
  size_t i = 0;
  while (i < in.size()) {
    if (in[i] != '\\' || i + 1 >= in.size()) {
      out->push_back(in[i++]);
      continue;
    }
    int unit = EscapeCodeUnit(in, i);
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      int low = EscapeCodeUnit(in, i + 6);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        out->append(in.substr(i, 12));
        i += 12;
        continue;
      }
    }
    if (unit >= 0xD800 && unit <= 0xDFFF) {
      out->append("\\ufffd");
      i += 6;
      changed = true;
      continue;
    }
    out->append(in.substr(i, 2));
    i += 2;
  }
  return changed;
}

// Escapes raw control characters (< 0x20) inside JSON strings, which strict JSON
// forbids but some writers emit (a literal TAB). Returns whether anything changed.
bool EscapeControlsInStrings(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size() + 16);
  bool changed = false;
  bool in_string = false;
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (!in_string) {
      if (c == '"') in_string = true;
      out->push_back(c);
      continue;
    }
    if (c == '\\' && i + 1 < in.size()) {
      out->push_back(c);
      out->push_back(in[++i]);
    } else if (c == '"') {
      in_string = false;
      out->push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof(esc), "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out->append(esc);
      changed = true;
    } else {
      out->push_back(c);
    }
  }
  return changed;
}

// Prints an integral double as plain decimal; false when it is not integral or not
// within int64.
bool IntegralDouble(double d, int64_t* out) {
  if (!std::isfinite(d) || d != std::floor(d) || d < -9.2e18 || d > 9.2e18) return false;
  *out = static_cast<int64_t>(d);
  return true;
}

std::string DoubleText(double d) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", d);
  return buf;
}

}  // namespace

// ---------------------------------------------------------------------------------
// JsonLinesReader

JsonLinesReader::JsonLinesReader(std::unique_ptr<InputStream> in, const ReaderOptions& options,
                                 std::string default_source, std::string default_channel)
    : BlockReader(std::move(in), options),
      default_source_(std::move(default_source)),
      default_channel_(std::move(default_channel)) {}

size_t JsonLinesReader::FindCut(std::string_view buf, bool eof) {
  if (eof) {
    scanned_ = 0;
    return buf.size();
  }
  // Cut after the first LF at or past block_bytes, else after the last LF: blocks of
  // about block_bytes. scanned_ remembers how much of this buffer (same start, only
  // growing while we return 0) holds no LF, so a very long line costs linear time.
  const size_t target = std::max<size_t>(options().block_bytes, 1);
  const size_t from = std::min(scanned_, buf.size());
  const size_t start = std::max(from, std::min(target - 1, buf.size()));
  const void* hit = std::memchr(buf.data() + start, '\n', buf.size() - start);
  if (hit == nullptr && start > from) hit = memrchr(buf.data() + from, '\n', start - from);
  if (hit != nullptr) {
    scanned_ = 0;
    return static_cast<size_t>(static_cast<const char*>(hit) - buf.data()) + 1;
  }
  if (buf.size() >= kMaxLineBytes) {
    // A runaway line: hand it over in pieces (Parse rejects them) instead of
    // buffering without bound.
    scanned_ = 0;
    return buf.size();
  }
  scanned_ = buf.size();
  return 0;
}

void JsonLinesReader::Parse(const Block& block, ParsedBlock* out) const {
  std::string_view data = block.data;
  size_t pos = 0;
  uint64_t line_no = block.first_line;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    size_t end = nl == std::string_view::npos ? data.size() : nl;
    try {
      ParseLine(data, pos, end, line_no, block.offset + pos, out);
    } catch (const std::exception& e) {  // e.g. bad_alloc on a pathological line
      out->rejects.push_back(Reject{path(), line_no, block.offset + pos,
                                    std::string("cannot parse line: ") + e.what(),
                                    RejectRaw(data.substr(pos, end - pos))});
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
    ++line_no;
  }
}

void JsonLinesReader::ParseLine(std::string_view data, size_t begin, size_t end, uint64_t line_no,
                                uint64_t file_offset, ParsedBlock* out) const {
  thread_local simdjson::dom::parser parser;
  thread_local std::string padded;  // a copy of the line with simdjson's padding

  std::string_view raw = data.substr(begin, end - begin);
  std::string_view line = raw;
  size_t column_base = 0;  // bytes dropped from the front of `raw`
  if (file_offset == 0 && line.substr(0, kBom.size()) == kBom) {
    line.remove_prefix(kBom.size());
    column_base = kBom.size();
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  auto reject = [&](std::string reason) {
    out->rejects.push_back(Reject{path(), line_no, file_offset, std::move(reason), RejectRaw(raw)});
  };
  if (Trim(line).empty()) {
    ++out->skipped["blank line"];
    return;
  }
  if (line.size() >= kMaxLineBytes) {
    reject("line is longer than " + std::to_string(kMaxLineBytes >> 20) + " MiB; not parsed");
    return;
  }

  // Repairs, each tried at most once, in the order simdjson reports the problems.
  std::string repaired;
  std::string scratch;
  bool fixed_utf8 = false, fixed_surrogates = false, fixed_controls = false;
  std::string_view text = line;
  element root;
  simdjson::error_code err;
  for (;;) {
    bool in_place = text.data() == line.data() && end + simdjson::SIMDJSON_PADDING <= data.size();
    if (in_place) {
      // The rest of the block is readable padding: parse in place, no copy.
      err = parser.parse(text.data(), text.size(), false).get(root);
    } else {
      padded.assign(text);
      padded.resize(text.size() + simdjson::SIMDJSON_PADDING, ' ');
      err = parser.parse(padded.data(), text.size(), false).get(root);
    }
    if (!err) break;
    if (err == simdjson::UTF8_ERROR && !fixed_utf8) {
      fixed_utf8 = true;
      scratch.assign(text);
      SanitizeUtf8(&scratch);
    } else if (err == simdjson::STRING_ERROR && !fixed_surrogates && ReplaceLoneSurrogates(text, &scratch)) {
      fixed_surrogates = true;
    } else if (err == simdjson::UNESCAPED_CHARS && !fixed_controls &&
               EscapeControlsInStrings(text, &scratch)) {
      fixed_controls = true;
    } else {
      break;
    }
    repaired.swap(scratch);
    text = repaired;
  }
  if (err) {
    std::string reason = "invalid JSON";
    // Columns refer to `raw` unless a repair changed the bytes before them.
    size_t at = FindJsonSyntaxError(text);
    if (at != std::string_view::npos) {
      reason += " at column " + std::to_string(column_base + at + 1);
      if (at >= text.size()) reason += " (end of line)";
    }
    reason += ": ";
    reason += simdjson::error_message(err);
    reject(std::move(reason));
    return;
  }
  simdjson::dom::object obj;
  if (root.get_object().get(obj)) {
    reject(std::string("not a JSON object (found ") + JsonTypeName(root) + ")");
    return;
  }

  Record record;
  std::string reason;
  switch (Convert(obj, &record, &reason)) {
    case Outcome::kReject:
      reject(std::move(reason));
      return;
    case Outcome::kSkip:
      ++out->skipped[reason];
      return;
    case Outcome::kRecord:
      break;
  }
  if (record.source.empty()) record.source = default_source_;
  if (record.channel.empty()) record.channel = default_channel_;
  for (std::string* s :
       {&record.source, &record.id, &record.channel, &record.author, &record.brand, &record.parent,
        &record.thread, &record.title, &record.text, &record.accepted_answer}) {
    SanitizeUtf8(s);
  }
  for (std::string& tag : record.tags) SanitizeUtf8(&tag);
  out->records.push_back(std::move(record));
  out->lines.push_back(line_no);
}

// ---------------------------------------------------------------------------------
// Value helpers

const char* JsonTypeName(const element& value) {
  switch (value.type()) {
    case element_type::ARRAY:
      return "array";
    case element_type::OBJECT:
      return "object";
    case element_type::INT64:
    case element_type::UINT64:
      return "integer";
    case element_type::DOUBLE:
      return "number";
    case element_type::STRING:
      return "string";
    case element_type::BOOL:
      return "bool";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "value";
}

bool LookupJson(const simdjson::dom::object& obj, std::string_view key, element* out) {
  element v;
  if (!obj.at_key(key).get(v)) {
    if (v.is_null()) return false;
    *out = v;
    return true;
  }
  if (key.find('.') == std::string_view::npos) return false;
  // Dotted path: walk objects by key and arrays by index.
  size_t dot = key.find('.');
  element cur;
  if (obj.at_key(key.substr(0, dot)).get(cur)) return false;
  while (dot != std::string_view::npos) {
    size_t start = dot + 1;
    dot = key.find('.', start);
    std::string_view seg =
        key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    simdjson::dom::object o;
    simdjson::dom::array a;
    if (!cur.get_object().get(o)) {
      if (o.at_key(seg).get(cur)) return false;
    } else if (!cur.get_array().get(a)) {
      if (seg.empty() || seg.size() > 9) return false;
      size_t index = 0;
      for (char c : seg) {
        if (!IsDigit(c)) return false;
        index = index * 10 + static_cast<size_t>(c - '0');
      }
      if (a.at(index).get(cur)) return false;
    } else {
      return false;
    }
  }
  if (cur.is_null()) return false;
  *out = cur;
  return true;
}

bool JsonToString(const element& value, bool allow_number, std::string* out, std::string* error) {
  std::string_view sv;
  if (!value.get_string().get(sv)) {
    out->assign(sv);
    return true;
  }
  if (allow_number) {
    int64_t i;
    uint64_t u;
    double d;
    if (!value.get_int64().get(i)) {
      *out = std::to_string(i);
      return true;
    }
    if (!value.get_uint64().get(u)) {
      *out = std::to_string(u);
      return true;
    }
    if (!value.get_double().get(d)) {
      if (IntegralDouble(d, &i)) {
        *out = std::to_string(i);
        return true;
      }
      *error = "number " + DoubleText(d) + " is not an integer";
      return false;
    }
  }
  *error =
      std::string(allow_number ? "expected a string or an integer, found " : "expected a string, found ") +
      JsonTypeName(value);
  return false;
}

bool JsonToInt(const element& value, bool allow_string, int64_t* out, std::string* error) {
  double d;
  std::string_view sv;
  if (!value.get_int64().get(*out)) return true;
  if (value.type() == element_type::UINT64) {
    *error = "integer out of range";
    return false;
  }
  if (!value.get_double().get(d)) {
    if (IntegralDouble(d, out)) return true;
    *error = "expected an integer, found " + DoubleText(d);
    return false;
  }
  if (allow_string && !value.get_string().get(sv)) {
    std::string_view t = Trim(sv);
    size_t i = (!t.empty() && (t[0] == '-' || t[0] == '+')) ? 1 : 0;
    bool digits = i < t.size() && t.size() - i <= 18;
    for (size_t k = i; digits && k < t.size(); ++k) digits = IsDigit(t[k]);
    if (digits) {
      *out = std::stoll(std::string(t));
      return true;
    }
    *error = "expected an integer, found '" + PrintableSnippet(sv, 40) + "'";
    return false;
  }
  *error = std::string("expected an integer, found ") + JsonTypeName(value);
  return false;
}

bool JsonToTime(const element& value, int64_t* out, std::string* error) {
  std::string_view sv;
  int64_t i;
  uint64_t u;
  double d;
  std::string text;
  if (!value.get_string().get(sv)) {
    text.assign(sv);
  } else if (!value.get_int64().get(i)) {
    text = std::to_string(i);
  } else if (!value.get_uint64().get(u)) {
    text = std::to_string(u);
  } else if (!value.get_double().get(d)) {
    if (!std::isfinite(d)) {
      *error = "number is not finite";
      return false;
    }
    char buf[64];
    std::snprintf(buf, sizeof(buf), d == std::floor(d) ? "%.0f" : "%.6f", d);
    text = buf;
  } else {
    *error = std::string("expected an RFC 3339 string or epoch seconds, found ") + JsonTypeName(value);
    return false;
  }
  return ParseTime(text, out, error);
}

// ---------------------------------------------------------------------------------
// Factory and error helpers

std::string_view FirstNonBlankLine(std::string_view head, bool head_is_whole_input, bool* complete) {
  if (head.substr(0, kBom.size()) == kBom) head.remove_prefix(kBom.size());
  while (!head.empty()) {
    size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    if (!Trim(line).empty()) {
      *complete = nl != std::string_view::npos || head_is_whole_input;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      return line;
    }
    if (nl == std::string_view::npos) break;
    head.remove_prefix(nl + 1);
  }
  *complete = true;
  return {};
}

std::string JsonObjectKeys(std::string_view line, size_t max_keys) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(line);
  simdjson::dom::object obj;
  if (parser.parse(padded).get_object().get(obj)) return {};
  std::string keys;
  size_t n = 0;
  for (simdjson::dom::key_value_pair kv : obj) {
    if (n++ == max_keys) {
      keys += ", ...";
      break;
    }
    if (!keys.empty()) keys += ", ";
    keys += PrintableSnippet(kv.key, 40);
  }
  return keys;
}

std::string PrintableSnippet(std::string_view s, size_t max) {
  std::string out;
  if (s.size() > max) {
    while (max > 0 && (static_cast<unsigned char>(s[max]) & 0xC0) == 0x80) --max;  // UTF-8 boundary
    s = s.substr(0, max);
  }
  for (char c : s) out += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
  SanitizeUtf8(&out);
  return out;
}

std::string FileStem(const std::string& path) {
  std::string name = path.substr(path.find_last_of('/') + 1);
  auto strip = [&name](std::string_view suffix) {
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      name.resize(name.size() - suffix.size());
      return true;
    }
    return false;
  };
  if (!strip(".zst")) strip(".zstd");
  for (std::string_view ext : {".jsonl", ".ndjson", ".json", ".txt"}) {
    if (strip(ext)) break;
  }
  return name.empty() ? "jsonl" : name;
}

size_t FindJsonSyntaxError(std::string_view s) {
  constexpr size_t kNone = std::string_view::npos;
  const size_t n = s.size();
  size_t i = 0;
  std::vector<char> stack;  // '{' or '[' per open container: no recursion, any depth
  auto skip_space = [&] {
    while (i < n && IsJsonSpace(s[i])) ++i;
  };
  // Each scanner returns kNone on success (i past the token) or the error offset.
  auto scan_string = [&]() -> size_t {
    const size_t open = i++;
    while (i < n) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if (c == '"') {
        ++i;
        return kNone;
      }
      if (c < 0x20) return i;
      if (c != '\\') {
        ++i;
        continue;
      }
      if (i + 1 >= n) return open;
      char e = s[i + 1];
      if (e == 'u') {
        int unit = EscapeCodeUnit(s, i);
        if (unit < 0) return i;
        if (unit >= 0xD800 && unit <= 0xDBFF) {
          int low = EscapeCodeUnit(s, i + 6);
          if (low < 0xDC00 || low > 0xDFFF) return i;
          i += 12;
        } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
          return i;
        } else {
          i += 6;
        }
      } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' ||
                 e == 't') {
        i += 2;
      } else {
        return i;
      }
    }
    return open;  // never closed
  };
  auto scan_number = [&]() -> size_t {
    if (s[i] == '-') ++i;
    if (i < n && s[i] == '0') {
      ++i;
    } else if (i < n && IsDigit(s[i])) {
      while (i < n && IsDigit(s[i])) ++i;
    } else {
      return i;
    }
    if (i < n && s[i] == '.') {
      ++i;
      if (i >= n || !IsDigit(s[i])) return i;
      while (i < n && IsDigit(s[i])) ++i;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
      if (i >= n || !IsDigit(s[i])) return i;
      while (i < n && IsDigit(s[i])) ++i;
    }
    return kNone;
  };
  auto scan_word = [&](std::string_view word) -> size_t {
    if (s.substr(i, word.size()) != word) return i;
    i += word.size();
    return kNone;
  };

  enum class Expect { kValue, kKey, kAfterValue } expect = Expect::kValue;
  for (;;) {
    skip_space();
    if (expect == Expect::kAfterValue && stack.empty()) return i < n ? i : kNone;
    if (i >= n) return n;
    const char c = s[i];
    size_t err = kNone;
    switch (expect) {
      case Expect::kValue:
        if (c == '{' || c == '[') {
          stack.push_back(c);
          ++i;
          skip_space();
          if (i < n && s[i] == (c == '{' ? '}' : ']')) {
            stack.pop_back();
            ++i;
            expect = Expect::kAfterValue;
          } else {
            expect = c == '{' ? Expect::kKey : Expect::kValue;
          }
          continue;
        }
        if (c == '"')
          err = scan_string();
        else if (c == '-' || IsDigit(c))
          err = scan_number();
        else if (c == 't')
          err = scan_word("true");
        else if (c == 'f')
          err = scan_word("false");
        else if (c == 'n')
          err = scan_word("null");
        else
          err = i;
        if (err != kNone) return err;
        expect = Expect::kAfterValue;
        break;
      case Expect::kKey:
        if (c != '"') return i;
        if ((err = scan_string()) != kNone) return err;
        skip_space();
        if (i >= n) return n;
        if (s[i] != ':') return i;
        ++i;
        expect = Expect::kValue;
        break;
      case Expect::kAfterValue:
        if (c == ',') {
          ++i;
          expect = stack.back() == '{' ? Expect::kKey : Expect::kValue;
        } else if (c == (stack.back() == '{' ? '}' : ']')) {
          stack.pop_back();
          ++i;
        } else {
          return i;
        }
        break;
    }
  }
}

}  // namespace hark
