// Output formatting shared by the query commands: text for people, JSON and CSV for
// programs. Pure functions: thread-safe.
#ifndef HARK_QUERY_OUTPUT_H_
#define HARK_QUERY_OUTPUT_H_

#include <nlohmann/json.hpp>
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

}  // namespace hark

#endif  // HARK_QUERY_OUTPUT_H_
