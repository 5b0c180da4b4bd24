// Output formatting shared by the query commands: text for people, JSON and CSV for
// programs. Pure functions: thread-safe.
#ifndef HARK_QUERY_OUTPUT_H_
#define HARK_QUERY_OUTPUT_H_

#include <nlohmann/json.hpp>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "storage/record.h"
#include "storage/status.h"

namespace hark {

enum class OutputFormat { kText, kJson, kCsv };

[[nodiscard]] Result<OutputFormat> ParseOutputFormat(std::string_view name);

// The record as the JSON object every command prints (`time` in RFC 3339 UTC).
nlohmann::json RecordJson(const Record& r);

// Writes JSON with invalid UTF-8 replaced (never throws), pretty when `pretty`.
void WriteJson(std::ostream& out, const nlohmann::json& j, bool pretty = true);

// Writes JSON to a stream as it goes, byte for byte what WriteJson prints for the same
// document (nlohmann's dump, indent 2 or compact, invalid UTF-8 replaced, a newline at
// the end), without first building the document: building nlohmann objects (a std::map
// per object, a copy of every string) and printing them was two thirds of a journey's
// instructions. Output is buffered in chunks of about 64 KiB (a whole document in one
// growing string cost page faults at every size doubling). Contract: the caller writes
// an object's keys in the order nlohmann prints them, byte-wise ascending (checked by
// output_test against dump()), and calls Finish() once the document is complete.
// Numbers, and strings with anything but printable ASCII, go through nlohmann's own
// serializer. Not thread-safe.
class JsonWriter {
 public:
  JsonWriter(std::ostream& out, bool pretty);
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;
  ~JsonWriter();

  // Ends the document with a newline and writes out what is buffered.
  void Finish();
  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  // The next key of the current object; its value follows (w.Key("id").String(id)).
  JsonWriter& Key(std::string_view key);
  void String(std::string_view s);
  void Int(int64_t v);
  void Uint(uint64_t v);
  void Double(double v);
  void Bool(bool v);
  void Null();
  // Any nlohmann value, printed at the current depth.
  void Json(const nlohmann::json& j);

 private:
  void Open(char bracket);
  void Close(char bracket);
  void BeforeValue();  // separates array elements; nothing after a key
  void NewLine();      // pretty only: a line break and the current depth's indent
  void Quote(std::string_view s);  // a JSON string, escaped
  void Flush();

  std::ostream& out_;
  std::string buffer_;
  bool pretty_;
  bool after_key_ = false;
  std::vector<uint64_t> counts_;  // elements written at each open depth
  struct Serializer;
  std::unique_ptr<Serializer> serializer_;
};

// One CSV field, quoted when needed (RFC 4180).
std::string CsvField(std::string_view s);
// A sentiment score as written in CSV and text: 4 decimals ("-0.4767").
std::string SentimentText(double sentiment);
void WriteCsvRow(std::ostream& out, const std::vector<std::string>& fields);

// Xapian snippets are HTML-escaped with <b> around matches. For a terminal: bold via
// ANSI escapes when `ansi`, else *stars*; entities decoded either way.
std::string SnippetForTerminal(std::string_view html, bool ansi);

// One line of text, newlines folded to spaces, cut to `width` characters (UTF-8 aware).
std::string OneLine(std::string_view text, size_t width);
// 1234567 -> "1,234,567".
std::string GroupedCount(uint64_t n);

}  // namespace hark

#endif  // HARK_QUERY_OUTPUT_H_
