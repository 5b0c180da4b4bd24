// JsonLinesReader and JSON value helpers: the half that hark's newline-delimited JSON
// readers (canonical JSONL in jsonl_reader.cc, Pushshift Reddit in reddit_reader.cc)
// share. Internal to hark_indexer (it includes simdjson, which is linked PRIVATE).
#ifndef HARK_INDEXER_JSON_UTIL_H_
#define HARK_INDEXER_JSON_UTIL_H_

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "indexer/reader.h"

namespace hark {

// A reader of one JSON value per line (NDJSON / JSONL). Blocks are cut after a LF.
// Each line is parsed with simdjson's DOM parser (it validates the whole line, so a
// broken line is always caught) and every object is handed to Convert().
//
// Per line, in order:
//   - a UTF-8 byte order mark at the very start of the file is ignored; a CR before
//     the LF is ignored;
//   - blank (whitespace-only) lines are counted in `skipped` as "blank line";
//   - a line longer than kMaxLineBytes is a Reject (not parsed);
//   - invalid JSON is first repaired where the intent is unambiguous, then re-parsed:
//     invalid UTF-8 bytes become U+FFFD (SanitizeUtf8), lone UTF-16 surrogate escapes
//     (\ud83d without its pair, as written by tools that cut strings) become \ufffd,
//     and raw control characters inside strings (a literal TAB) are escaped. What is
//     still invalid is a Reject "invalid JSON at column N: <simdjson's message>"
//     (N: 1-based byte column of the first syntax error, found by a small scanner
//     because simdjson's DOM API does not report positions);
//   - valid JSON that is not an object is a Reject "not a JSON object (found array)".
// After Convert() succeeds every string field is run through SanitizeUtf8 (drops NUL
// and C0 controls that JSON escapes can carry) and empty source/channel get the
// reader's defaults.
//
// Thread safety: NextBlock()/FindCut() are serial (one thread). Parse() is const and
// thread-safe: it uses a thread_local simdjson parser and reads only members fixed in
// the constructor.
class JsonLinesReader : public BlockReader {
 public:
  // Lines longer than this are rejected unparsed (and cut, so memory stays bounded).
  static constexpr size_t kMaxLineBytes = size_t{128} << 20;

  void Parse(const Block& block, ParsedBlock* out) const final;

 protected:
  // `default_source` / `default_channel` fill records that Convert() leaves without
  // one; callers pass options.source / options.channel when those are non-empty.
  JsonLinesReader(std::unique_ptr<InputStream> in, const ReaderOptions& options, std::string default_source,
                  std::string default_channel);

  enum class Outcome {
    kRecord,  // *record is filled
    kReject,  // *reason says why, e.g. "time: cannot parse time 'x' ..."
    kSkip,    // well-formed but not a message; *reason is the `skipped` key
  };
  // Thread-safe: turns one JSON object into a Record. Must not throw.
  virtual Outcome Convert(const simdjson::dom::object& obj, Record* record, std::string* reason) const = 0;

  size_t FindCut(std::string_view buf, bool eof) final;

 private:
  void ParseLine(std::string_view data, size_t begin, size_t end, uint64_t line_no, uint64_t file_offset,
                 ParsedBlock* out) const;

  std::string default_source_;
  std::string default_channel_;
  size_t scanned_ = 0;  // FindCut: leading bytes of the current buffer known to hold no LF
};

// ---- Value helpers for Convert(). On failure they return false and set *error to what
// was wrong with the value ("expected a string, found array"); the caller prefixes the
// field name.

// "object", "array", "string", "integer", "number", "bool" or "null".
const char* JsonTypeName(const simdjson::dom::element& value);

// Finds `key` in `obj`: the literal key first, else a dotted path through nested
// objects (user.screen_name) and arrays (entities.urls.0.url). False when absent or
// when the value is null (null means "not given" for every hark field).
bool LookupJson(const simdjson::dom::object& obj, std::string_view key, simdjson::dom::element* out);

// A string as is; with `allow_number`, an integer-valued number printed in plain
// decimal (123, 1.0 -> "1", 1e3 -> "1000"; never an exponent or decimals).
bool JsonToString(const simdjson::dom::element& value, bool allow_number, std::string* out,
                  std::string* error);

// An integer, or a number with an integral value within int64. With `allow_string`
// also a string holding such an integer ("12").
bool JsonToInt(const simdjson::dom::element& value, bool allow_string, int64_t* out, std::string* error);

// A time: a string in any form ParseTime() reads (RFC 3339, epoch seconds, ...) or a
// number of epoch seconds (13-digit values are milliseconds, as ParseTime has it).
bool JsonToTime(const simdjson::dom::element& value, int64_t* out, std::string* error);

// ---- Helpers for factories and errors.

// The first line of `head` that is not blank, without its line terminator; a leading
// UTF-8 BOM is skipped. *complete is false when the line runs to the end of `head`
// and `head_is_whole_input` is false (it may continue beyond).
std::string_view FirstNonBlankLine(std::string_view head, bool head_is_whole_input, bool* complete);

// Keys of the top-level object in `line` in file order, comma-separated and capped at
// `max_keys` ("id, time, text, ..."); empty when `line` is not a complete JSON object.
std::string JsonObjectKeys(std::string_view line, size_t max_keys);

// At most `max` bytes of `s` for an error message, control characters shown as '?'.
std::string PrintableSnippet(std::string_view s, size_t max);

// "day1" for /x/day1.jsonl.zst: the file name without directories, without a .zst /
// .zstd suffix and then without one .jsonl / .ndjson / .json / .txt suffix.
std::string FileStem(const std::string& path);

// 0-based offset of the first JSON syntax error in `json` (one value, optionally
// surrounded by whitespace), json.size() when the input ends too early, or npos when
// the scanner finds no error (e.g. simdjson rejected a number as out of range).
size_t FindJsonSyntaxError(std::string_view json);

}  // namespace hark

#endif  // HARK_INDEXER_JSON_UTIL_H_
