// Reader for the Kaggle "Customer Support on Twitter" (TWCS) CSV and the many copies of
// it people have saved through pandas and Excel:
//   tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id
// Columns are found by name in any order; other columns (a pandas index with an empty
// name, an "index" column) are ignored. A headerless copy whose first row is a TWCS row
// (7 fields: numeric id, boolean inbound, parseable time) is read in that column order.
//
// Mapping: id = tweet_id; author = author_id; role = customer when inbound is true
// (True / TRUE / true / 1), agent when false; brand = author_id on agent tweets and, on
// customer tweets, the first non-numeric @handle of the run of mentions that opens
// the text ("@115712 @sprintcare ..." -> "sprintcare"), else empty; parent =
// in_response_to_tweet_id ("3.0" -> "3"); time from created_at; text with HTML
// entities decoded; channel "twitter", source "twcs" unless options override them.
// response_tweet_id is not used: it is the inverse of the parent links (and the
// column Excel mangles most).
#include <string>

#include "indexer/csv.h"
#include "indexer/readers.h"
#include "indexer/text_util.h"

namespace hark {
namespace {

constexpr size_t kNone = std::string::npos;
constexpr const char* kTwcsHeader =
    "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id";

// Column positions of the fields the reader uses.
struct TwcsColumns {
  size_t id = kNone;
  size_t author = kNone;
  size_t inbound = kNone;
  size_t created = kNone;
  size_t text = kNone;
  size_t parent = kNone;  // optional
};

bool IsHandleChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The first non-numeric @handle in the run of @mentions that opens `text` (customer
// ids are anonymised to digits in TWCS, brand handles are not).
std::string LeadingBrandHandle(std::string_view text) {
  size_t i = 0;
  for (;;) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r')) ++i;
    if (i >= text.size() || text[i] != '@') return "";
    size_t start = ++i;
    bool digits = true;
    while (i < text.size() && IsHandleChar(text[i])) {
      digits = digits && text[i] >= '0' && text[i] <= '9';
      ++i;
    }
    if (i == start) return "";
    if (!digits) return std::string(text.substr(start, i - start));
  }
}

// Reads TWCS rows. Thread-safe Parse (all members fixed at construction).
class TwcsReader final : public CsvBlockReader {
 public:
  TwcsReader(std::unique_ptr<InputStream> in, const ReaderOptions& options, CsvHead head, size_t expected_fields,
             bool skip_header, TwcsColumns columns)
      : CsvBlockReader(std::move(in), options, std::move(head), expected_fields, skip_header),
        columns_(columns),
        source_(options.source.empty() ? "twcs" : options.source),
        channel_(options.channel.empty() ? "twitter" : options.channel) {}

 protected:
  void ParseRow(const CsvRow& row, const CsvPlace& place, ParsedBlock* out) const override;

 private:
  const TwcsColumns columns_;
  const std::string source_;
  const std::string channel_;
};

void TwcsReader::ParseRow(const CsvRow& row, const CsvPlace& place, ParsedBlock* out) const {
  Record record;
  record.source = source_;
  record.channel = channel_;
  std::string error;
  if (!NormalizeId(row[columns_.id], &record.id, &error)) {
    AddReject(place, "tweet_id: " + error, out);
    return;
  }
  if (record.id.empty()) {
    AddReject(place, "tweet_id is empty", out);
    return;
  }
  record.author = CsvText(Trim(row[columns_.author]));
  if (record.author.empty()) {
    AddReject(place, "author_id is empty", out);
    return;
  }
  bool inbound = false;
  if (!ParseCsvBool(row[columns_.inbound], &inbound)) {
    AddReject(place, "inbound: expected True or False, found '" + CsvText(row[columns_.inbound].substr(0, 40)) + "'",
              out);
    return;
  }
  if (!ParseCsvTime(row[columns_.created], &record.time, &error)) {
    AddReject(place, "created_at: " + error, out);
    return;
  }
  if (columns_.parent != kNone && !NormalizeId(row[columns_.parent], &record.parent, &error)) {
    AddReject(place, "in_response_to_tweet_id: " + error, out);
    return;
  }
  record.text = CsvText(DecodeHtmlEntities(row[columns_.text]));
  if (Trim(record.text).empty()) {
    AddReject(place, "text is empty", out);
    return;
  }
  if (inbound) {
    record.role = Role::kCustomer;
    record.brand = LeadingBrandHandle(record.text);
  } else {
    record.role = Role::kAgent;
    record.brand = record.author;
  }
  out->records.push_back(std::move(record));
  out->lines.push_back(place.line);
}

// A first record that is a TWCS row rather than a header.
bool LooksLikeTwcsRow(const std::vector<std::string>& fields) {
  if (fields.size() != 7 || fields[0].empty()) return false;
  for (char c : fields[0]) {
    if (c < '0' || c > '9') return false;
  }
  bool inbound;
  int64_t time;
  std::string error;
  return ParseCsvBool(fields[2], &inbound) && ParseCsvTime(fields[3], &time, &error);
}

}  // namespace

Result<std::unique_ptr<FileReader>> NewTwcsReader(std::unique_ptr<InputStream> in, const ReaderOptions& options) {
  Result<CsvHead> head = SniffCsv(*in);
  if (!head.ok()) return head.status();
  const std::vector<std::string>& columns = head->columns;
  TwcsColumns c;
  c.id = FindCsvColumn(columns, "tweet_id");
  c.author = FindCsvColumn(columns, "author_id");
  c.inbound = FindCsvColumn(columns, "inbound");
  c.created = FindCsvColumn(columns, "created_at");
  c.text = FindCsvColumn(columns, "text");
  c.parent = FindCsvColumn(columns, "in_response_to_tweet_id");
  bool skip_header = true;
  size_t expected = columns.size();
  if (c.id == kNone || c.author == kNone || c.inbound == kNone || c.created == kNone || c.text == kNone) {
    if (!LooksLikeTwcsRow(columns)) {
      std::string missing;
      for (const char* name : {"tweet_id", "author_id", "inbound", "created_at", "text"}) {
        if (FindCsvColumn(columns, name) == kNone) missing += std::string(missing.empty() ? "" : ", ") + name;
      }
      return Status::Format(in->path() + ": not a TWCS CSV: expected the header " + kTwcsHeader + "; found " +
                            ListCsvColumns(columns) + " (missing: " + missing + ")");
    }
    // Headerless copy: the first record is data, in the canonical column order.
    c = TwcsColumns{0, 1, 2, 3, 4, 6};
    skip_header = false;
    expected = 7;
  }
  return std::unique_ptr<FileReader>(
      new TwcsReader(std::move(in), options, std::move(*head), expected, skip_header, c));
}

}  // namespace hark
