#include "query/output.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "storage/time_parse.h"

namespace hark {

Result<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "text") return OutputFormat::kText;
  if (name == "json") return OutputFormat::kJson;
  if (name == "csv") return OutputFormat::kCsv;
  return Status::InvalidArgument("unknown output format '" + std::string(name) + "' (text, json, csv)");
}

nlohmann::json RecordJson(const Record& r) {
  nlohmann::json j = {{"id", r.id},         {"source", r.source},
                      {"time", FormatTime(r.time)}, {"author", r.author},
                      {"role", std::string(RoleName(r.role))}, {"brand", r.brand},
                      {"channel", r.channel}, {"thread", r.thread},
                      {"parent", r.parent}};
  if (!r.title.empty()) j["title"] = r.title;
  j["text"] = r.text;
  if (r.score) j["score"] = *r.score;
  if (r.accepted) j["accepted"] = *r.accepted;
  if (!r.tags.empty()) j["tags"] = r.tags;
  j["question"] = (r.flags & kFlagQuestion) != 0;
  j["sentiment"] = std::round(r.sentiment * 1e4) / 1e4;
  if (!r.mentions.empty()) j["mentions"] = r.mentions;
  return j;
}

void WriteJson(std::ostream& out, const nlohmann::json& j, bool pretty) {
  out << j.dump(pretty ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

// nlohmann's serializer, bound to the writer's string (nlohmann::detail: the one place
// that prints numbers and escapes strings exactly as dump() does).
struct JsonWriter::Serializer {
  explicit Serializer(std::string* out)
      : impl(nlohmann::detail::output_adapter<char, std::string>(*out), ' ',
             nlohmann::json::error_handler_t::replace) {}
  nlohmann::detail::serializer<nlohmann::json> impl;
};

namespace {
constexpr size_t kJsonChunkBytes = 64 << 10;
}  // namespace

JsonWriter::JsonWriter(std::ostream& out, bool pretty)
    : out_(out), pretty_(pretty), serializer_(std::make_unique<Serializer>(&buffer_)) {
  buffer_.reserve(kJsonChunkBytes + 4096);
}

JsonWriter::~JsonWriter() = default;

void JsonWriter::Flush() {
  out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  buffer_.clear();
}

void JsonWriter::Finish() {
  buffer_.push_back('\n');
  Flush();
}

void JsonWriter::NewLine() {
  buffer_.push_back('\n');
  buffer_.append(2 * counts_.size(), ' ');
}

void JsonWriter::BeforeValue() {
  if (buffer_.size() >= kJsonChunkBytes) Flush();
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (counts_.empty()) return;  // the document itself
  if (counts_.back()++ > 0) buffer_.push_back(',');
  if (pretty_) NewLine();
}

void JsonWriter::Open(char bracket) {
  BeforeValue();
  buffer_.push_back(bracket);
  counts_.push_back(0);
}

void JsonWriter::Close(char bracket) {
  const bool empty = counts_.back() == 0;
  counts_.pop_back();
  if (pretty_ && !empty) NewLine();
  buffer_.push_back(bracket);
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  BeforeValue();
  Quote(key);
  buffer_.append(pretty_ ? ": " : ":");
  after_key_ = true;
  return *this;
}

void JsonWriter::String(std::string_view s) {
  BeforeValue();
  Quote(s);
}

void JsonWriter::Quote(std::string_view s) {
  // Printable ASCII without quotes or backslashes is printed as it is; anything else
  // (escapes, UTF-8, invalid bytes to replace) by nlohmann.
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (plain) {
    buffer_.push_back('"');
    buffer_.append(s);
    buffer_.push_back('"');
  } else {
    serializer_->impl.dump(nlohmann::json(std::string(s)), false, false, 0);
  }
}

void JsonWriter::Int(int64_t v) {
  BeforeValue();
  buffer_.append(std::to_string(v));
}

void JsonWriter::Uint(uint64_t v) {
  BeforeValue();
  buffer_.append(std::to_string(v));
}

void JsonWriter::Double(double v) {
  BeforeValue();
  serializer_->impl.dump(nlohmann::json(v), false, false, 0);
}

void JsonWriter::Bool(bool v) {
  BeforeValue();
  buffer_.append(v ? "true" : "false");
}

void JsonWriter::Null() {
  BeforeValue();
  buffer_.append("null");
}

void JsonWriter::Json(const nlohmann::json& j) {
  BeforeValue();
  serializer_->impl.dump(j, pretty_, false, 2, static_cast<unsigned>(2 * counts_.size()));
}

std::string SentimentText(double sentiment) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", sentiment);
  return buf;
}

std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void WriteCsvRow(std::ostream& out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out << ',';
    out << CsvField(fields[i]);
  }
  out << "\r\n";
}

std::string SnippetForTerminal(std::string_view html, bool ansi) {
  std::string out;
  out.reserve(html.size());
  for (size_t i = 0; i < html.size();) {
    if (html.compare(i, 3, "<b>") == 0) {
      out += ansi ? "\x1b[1m" : "*";
      i += 3;
    } else if (html.compare(i, 4, "</b>") == 0) {
      out += ansi ? "\x1b[0m" : "*";
      i += 4;
    } else if (html[i] == '&') {
      static const std::pair<const char*, char> kEntities[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
      bool matched = false;
      for (const auto& [name, ch] : kEntities) {
        size_t n = std::char_traits<char>::length(name);
        if (html.compare(i, n, name) == 0) {
          out += ch;
          i += n;
          matched = true;
          break;
        }
      }
      if (!matched) out += html[i++];
    } else {
      out += html[i++];
    }
  }
  return OneLine(out, 100000);
}

std::string OneLine(std::string_view text, size_t width) {
  std::string out;
  size_t chars = 0;
  bool space = false;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if ((c & 0xC0) != 0x80) {  // a new character starts
      if (space) {
        if (++chars > width) break;
        out += ' ';
        space = false;
      }
      if (++chars > width) {
        out += "\xE2\x80\xA6";
        break;
      }
    }
    out += static_cast<char>(c);
  }
  return out;
}

std::string GroupedCount(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string s;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s.push_back(',');
    s.push_back(digits[i]);
  }
  return s;
}

}  // namespace hark
