// Reader for any CSV through a column mapping (--map canonical=column,...), e.g. the
// airline-sentiment tweets: --map id=tweet_id,time=tweet_created,text=text,author=name,brand=airline
//
// id, time and text must be mapped. A file without an id column may map id to the
// pseudo-column "@line" (unless the header has a real column of that name): the id is
// then the 1-based line where the record starts, stable for an unchanged file.
// Values: ids (id, parent, thread) normalised like TWCS ids ("3.0" -> "3"; spreadsheet
// scientific notation that lost digits is rejected); time through ParseCsvTime; text
// and title HTML-entity-decoded; role through ParseRole (empty = unknown); score an
// integer ("10.0" accepted); accepted a boolean (TRUE/true/1...); tags split on , ; |.
// Empty text is accepted only when a mapped title is not empty (title-only posts).
// source: options.source, else a mapped source column, else the file name's stem
// ("Tweets.csv" -> "Tweets"); channel: options.channel, else a mapped column, else "".
#include <charconv>
#include <string>

#include "indexer/csv.h"
#include "indexer/readers.h"
#include "indexer/text_util.h"

namespace hark {
namespace {

constexpr size_t kNone = std::string::npos;
constexpr const char* kLinePseudoColumn = "@line";

// Column position of each canonical field (kNone when unmapped).
struct MappedColumns {
  size_t id = kNone;
  bool id_from_line = false;
  size_t source = kNone;
  size_t channel = kNone;
  size_t time = kNone;
  size_t author = kNone;
  size_t role = kNone;
  size_t brand = kNone;
  size_t parent = kNone;
  size_t thread = kNone;
  size_t title = kNone;
  size_t text = kNone;
  size_t score = kNone;
  size_t accepted = kNone;
  size_t tags = kNone;
};

bool ParseScore(std::string_view s, int64_t* out) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  size_t dot = s.find('.');
  if (dot != std::string_view::npos) {
    if (s.find_first_not_of('0', dot + 1) != std::string_view::npos) return false;
    s = s.substr(0, dot);
  }
  if (s.empty() || s == "-") return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

// Reads mapped CSV rows. Thread-safe Parse (all members fixed at construction).
class CsvReader final : public CsvBlockReader {
 public:
  CsvReader(std::unique_ptr<InputStream> in, const ReaderOptions& options, CsvHead head, MappedColumns columns)
      : CsvBlockReader(std::move(in), options, head, head.columns.size(), /*skip_header=*/true),
        columns_(columns),
        names_(head.columns),
        source_(options.source),
        default_source_(FileStem(path())),
        channel_(options.channel) {}

 protected:
  void ParseRow(const CsvRow& row, const CsvPlace& place, ParsedBlock* out) const override;

 private:
  // "time (tweet_created)": the canonical field and its column, for reject reasons.
  std::string Name(const char* field, size_t column) const {
    return std::string(field) + " (" + names_[column] + ")";
  }

  const MappedColumns columns_;
  const std::vector<std::string> names_;
  const std::string source_;          // options.source: overrides everything
  const std::string default_source_;  // the file's stem
  const std::string channel_;         // options.channel: overrides the column
};

void CsvReader::ParseRow(const CsvRow& row, const CsvPlace& place, ParsedBlock* out) const {
  const MappedColumns& c = columns_;
  Record record;
  std::string error;
  if (c.id_from_line) {
    record.id = std::to_string(place.line);
  } else {
    if (!NormalizeId(row[c.id], &record.id, &error)) return AddReject(place, Name("id", c.id) + ": " + error, out);
    if (record.id.empty()) return AddReject(place, Name("id", c.id) + " is empty", out);
  }
  if (!ParseCsvTime(row[c.time], &record.time, &error)) {
    return AddReject(place, Name("time", c.time) + ": " + error, out);
  }
  record.text = CsvText(DecodeHtmlEntities(row[c.text]));
  if (c.title != kNone) record.title = CsvText(DecodeHtmlEntities(Trim(row[c.title])));
  if (Trim(record.text).empty() && record.title.empty()) {
    return AddReject(place, Name("text", c.text) + " is empty", out);
  }
  if (!source_.empty()) {
    record.source = source_;
  } else if (c.source != kNone && !Trim(row[c.source]).empty()) {
    record.source = CsvText(Trim(row[c.source]));
  } else {
    record.source = default_source_;
  }
  if (!channel_.empty()) {
    record.channel = channel_;
  } else if (c.channel != kNone) {
    record.channel = CsvText(Trim(row[c.channel]));
  }
  if (c.author != kNone) record.author = CsvText(Trim(row[c.author]));
  if (c.brand != kNone) record.brand = CsvText(Trim(row[c.brand]));
  if (c.role != kNone) {
    std::string_view value = Trim(row[c.role]);
    if (!value.empty() && !ParseRole(value, &record.role)) {
      return AddReject(place,
                       Name("role", c.role) + ": '" + CsvText(value.substr(0, 40)) +
                           "' is not customer, agent or community",
                       out);
    }
  }
  if (c.parent != kNone && !NormalizeId(row[c.parent], &record.parent, &error)) {
    return AddReject(place, Name("parent", c.parent) + ": " + error, out);
  }
  if (c.thread != kNone && !NormalizeId(row[c.thread], &record.thread, &error)) {
    return AddReject(place, Name("thread", c.thread) + ": " + error, out);
  }
  record.parent = CsvText(record.parent);
  record.thread = CsvText(record.thread);
  record.id = CsvText(record.id);
  if (c.score != kNone) {
    std::string_view value = Trim(row[c.score]);
    int64_t score = 0;
    if (!value.empty()) {
      if (!ParseScore(value, &score)) {
        return AddReject(place, Name("score", c.score) + ": '" + CsvText(value.substr(0, 40)) + "' is not an integer",
                         out);
      }
      record.score = score;
    }
  }
  if (c.accepted != kNone) {
    std::string_view value = Trim(row[c.accepted]);
    bool accepted = false;
    if (!value.empty()) {
      if (!ParseCsvBool(value, &accepted)) {
        return AddReject(place,
                         Name("accepted", c.accepted) + ": '" + CsvText(value.substr(0, 40)) +
                             "' is not a boolean (true/false, 1/0, yes/no)",
                         out);
      }
      record.accepted = accepted;
    }
  }
  if (c.tags != kNone) {
    std::string_view value = row[c.tags];
    size_t start = 0;
    while (start <= value.size()) {
      size_t end = value.find_first_of(",;|", start);
      std::string_view tag = Trim(value.substr(start, end == std::string_view::npos ? value.npos : end - start));
      if (!tag.empty()) record.tags.push_back(CsvText(tag));
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
  }
  out->records.push_back(std::move(record));
  out->lines.push_back(place.line);
}

}  // namespace

Result<std::unique_ptr<FileReader>> NewCsvReader(std::unique_ptr<InputStream> in, const ReaderOptions& options) {
  const std::string path = in->path();
  const std::map<std::string, std::string>& map = options.map.columns;
  if (map.empty()) {
    return Status::InvalidArgument(path +
                                   ": --format csv needs a column mapping, e.g. --map id=tweet_id,time=created,text=text");
  }
  std::string unmapped;
  for (const char* field : {"id", "time", "text"}) {
    if (map.find(field) == map.end()) unmapped += std::string(unmapped.empty() ? "" : ", ") + field;
  }
  Result<CsvHead> head = SniffCsv(*in);
  if (!head.ok()) return head.status();
  const std::vector<std::string>& columns = head->columns;
  if (!unmapped.empty()) {
    return Status::InvalidArgument(path + ": --map must name the id, time and text columns; missing: " + unmapped +
                                   " (header columns: " + ListCsvColumns(columns) + ")");
  }
  MappedColumns c;
  std::string missing;
  auto resolve = [&](const char* field, size_t* slot) {
    auto it = map.find(field);
    if (it == map.end()) return;
    *slot = FindCsvColumn(columns, it->second);
    if (*slot == kNone && std::string(field) == "id" && it->second == kLinePseudoColumn) {
      c.id_from_line = true;
      return;
    }
    if (*slot == kNone) {
      missing += std::string(missing.empty() ? "" : ", ") + "'" + it->second + "' (for " + field + ")";
    }
  };
  resolve("id", &c.id);
  resolve("source", &c.source);
  resolve("channel", &c.channel);
  resolve("time", &c.time);
  resolve("author", &c.author);
  resolve("role", &c.role);
  resolve("brand", &c.brand);
  resolve("parent", &c.parent);
  resolve("thread", &c.thread);
  resolve("title", &c.title);
  resolve("text", &c.text);
  resolve("score", &c.score);
  resolve("accepted", &c.accepted);
  resolve("tags", &c.tags);
  if (!missing.empty()) {
    return Status::Format(path + ": the header lacks the mapped column(s) " + missing +
                          "; header columns: " + ListCsvColumns(columns));
  }
  return std::unique_ptr<FileReader>(new CsvReader(std::move(in), options, std::move(*head), c));
}

}  // namespace hark
