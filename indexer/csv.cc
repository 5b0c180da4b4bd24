// The CSV layer: one record-scanning state machine shared by the boundary finder and
// the splitter, header sniffing, the CsvBlockReader base and value clean-ups.
#include "indexer/csv.h"

#include <algorithm>
#include <cstring>
#include <exception>

#include "indexer/text_util.h"
#include "storage/time_parse.h"

namespace hark {
namespace {

// How a scan of one record from a given position ended.
struct RecordScan {
  size_t end = 0;           // index of the terminator, or data.size() when none was found
  bool terminated = false;  // the record ended at a terminator
  bool open_quote = false;  // the data ended inside a quoted field
};

// Sink that discards field contents (boundary finding).
struct NullSink {
  void Append(const char*, size_t) {}
  void EndField() {}
};

// The state machine, see csv.h: one call scans one record starting at `pos` (a field
// start) and reports field contents to `sink`.
template <typename Sink>
RecordScan ScanRecord(std::string_view data, size_t pos, const CsvDialect& dialect, Sink& sink) {
  const char* p = data.data();
  const size_t n = data.size();
  const char delim = dialect.delimiter;
  const char term = dialect.terminator;
  for (;;) {
    if (pos < n && p[pos] == '"') {  // quoted field
      ++pos;
      for (;;) {
        const void* q = std::memchr(p + pos, '"', n - pos);
        if (q == nullptr) {
          sink.Append(p + pos, n - pos);
          sink.EndField();
          return {n, false, true};
        }
        size_t qi = static_cast<const char*>(q) - p;
        sink.Append(p + pos, qi - pos);
        pos = qi + 1;
        if (pos < n && p[pos] == '"') {  // doubled quote
          sink.Append(p + pos, 1);
          ++pos;
          continue;
        }
        break;  // closing quote; anything up to the delimiter is appended as text
      }
    }
    size_t start = pos;
    while (pos < n && p[pos] != delim && p[pos] != term) ++pos;
    size_t stop = pos;
    // CRLF: the CR belongs to the terminator (also at the very end of the data).
    if (term == '\n' && stop > start && p[stop - 1] == '\r' && (pos == n || p[pos] == term)) --stop;
    sink.Append(p + start, stop - start);
    sink.EndField();
    if (pos == n) return {n, false, false};
    if (p[pos] == term) return {pos, true, false};
    ++pos;  // delimiter: next field
  }
}

// Sink that collects field contents into a CsvRow's buffers.
struct RowSink {
  std::string* text;
  std::vector<size_t>* ends;
  void Append(const char* s, size_t len) { text->append(s, len); }
  void EndField() { ends->push_back(text->size()); }
};

bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string Quoted(std::string_view s) {
  std::string out = "'";
  out += CsvText(s.substr(0, 80));
  if (s.size() > 80) out += "...";
  out += "'";
  return out;
}

}  // namespace

size_t FindCsvCut(std::string_view buf, bool eof, const CsvDialect& dialect) {
  if (eof) return buf.size();
  NullSink sink;
  size_t pos = 0;
  size_t last = 0;
  while (pos < buf.size()) {
    RecordScan scan = ScanRecord(buf, pos, dialect, sink);
    if (!scan.terminated) break;
    pos = scan.end + 1;
    last = pos;
  }
  if (last == 0 && buf.size() >= kMaxCsvRecordBytes) {
    // The first record has not ended within the limit (an unbalanced quote, or
    // garbage without line ends): give it up at its first line end so that reading
    // resumes there; the splitter sees it as an unterminated quoted field.
    const void* t = std::memchr(buf.data(), dialect.terminator, buf.size());
    return t == nullptr ? buf.size() : static_cast<const char*>(t) - buf.data() + 1;
  }
  return last;
}

bool CsvSplitter::Next(CsvRow* row) {
  if (pos_ >= data_.size()) return false;
  row->text_.clear();
  row->ends_.clear();
  RowSink sink{&row->text_, &row->ends_};
  RecordScan scan = ScanRecord(data_, pos_, dialect_, sink);
  if (scan.open_quote) {
    // No closing quote before the end of the data: the record is given up at its first
    // line end so that the records after it are still read (resynchronisation).
    const void* t = std::memchr(data_.data() + pos_, dialect_.terminator, data_.size() - pos_);
    if (t != nullptr) {
      size_t end = static_cast<const char*>(t) - data_.data();
      row->text_.clear();
      row->ends_.clear();
      scan = ScanRecord(data_.substr(0, end), pos_, dialect_, sink);
      scan.end = end;
      scan.terminated = true;
      scan.open_quote = true;
    }
  }
  std::string_view raw = data_.substr(pos_, scan.end - pos_);
  if (dialect_.terminator == '\n' && !raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
  row->raw_ = raw;
  row->offset_ = pos_;
  row->line_ = line_;
  row->unterminated_quote_ = scan.open_quote;
  row->blank_ = std::all_of(raw.begin(), raw.end(), IsAsciiSpace);
  line_ += std::count(raw.begin(), raw.end(), dialect_.terminator) + (scan.terminated ? 1 : 0);
  pos_ = scan.terminated ? scan.end + 1 : data_.size();
  return true;
}

// --- Sniffing -------------------------------------------------------------------------

namespace {

constexpr size_t kSniffBytes = 64 * 1024;
constexpr size_t kMaxHeaderBytes = 1 << 20;

uint16_t ReadLe16(std::string_view s, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(s[at]) |
                               (static_cast<unsigned char>(s[at + 1]) << 8));
}
uint32_t ReadLe32(std::string_view s, size_t at) {
  return static_cast<uint32_t>(ReadLe16(s, at)) | (static_cast<uint32_t>(ReadLe16(s, at + 2)) << 16);
}

// Names of the entries of a zip archive whose local headers lie within `head`.
std::string ZipEntries(std::string_view head) {
  std::string names;
  size_t at = 0;
  int count = 0;
  while (at + 30 <= head.size() && head.substr(at, 4) == std::string_view("PK\x03\x04", 4) && count < 8) {
    uint16_t flags = ReadLe16(head, at + 6);
    uint32_t compressed = ReadLe32(head, at + 18);
    uint16_t name_len = ReadLe16(head, at + 26);
    uint16_t extra_len = ReadLe16(head, at + 28);
    if (at + 30 + name_len > head.size()) break;
    if (!names.empty()) names += ", ";
    names += CsvText(head.substr(at + 30, name_len));
    ++count;
    if ((flags & 0x08) != 0) break;  // sizes follow the data: cannot walk further
    at += 30 + size_t{name_len} + extra_len + compressed;
  }
  return names;
}

// Where the first record of `head` ends (parity of quotes is enough for a header),
// which line end it uses, and which candidate delimiter it holds most of.
struct HeaderShape {
  bool found_end = false;
  char terminator = '\n';
  char delimiter = ',';
};

HeaderShape ShapeOfHeader(std::string_view head, bool whole_file) {
  HeaderShape shape;
  constexpr char kCandidates[] = {',', ';', '\t', '|'};
  size_t counts[4] = {0, 0, 0, 0};
  bool quoted = false;
  for (size_t i = 0; i < head.size(); ++i) {
    char c = head[i];
    if (c == '"') {
      quoted = !quoted;
      continue;
    }
    if (quoted) continue;
    if (c == '\n' || c == '\r') {
      shape.found_end = true;
      if (c == '\r') {
        if (i + 1 < head.size()) {
          shape.terminator = head[i + 1] == '\n' ? '\n' : '\r';
        } else if (!whole_file) {
          shape.found_end = false;  // cannot tell CR from CRLF yet
        }
      }
      break;
    }
    for (int k = 0; k < 4; ++k) counts[k] += c == kCandidates[k];
  }
  int best = 0;
  for (int k = 1; k < 4; ++k) {
    if (counts[k] > counts[best]) best = k;
  }
  shape.delimiter = kCandidates[best];
  return shape;
}

}  // namespace

Result<CsvHead> SniffCsv(InputStream& in) {
  const std::string& path = in.path();
  Result<std::string> peeked = in.Peek(kSniffBytes);
  if (!peeked.ok()) return peeked.status();
  std::string head = std::move(*peeked);
  bool whole_file = head.size() < kSniffBytes;
  HeaderShape shape = ShapeOfHeader(head, whole_file);
  if (!shape.found_end && !whole_file) {
    peeked = in.Peek(kMaxHeaderBytes);
    if (!peeked.ok()) return peeked.status();
    head = std::move(*peeked);
    whole_file = head.size() < kMaxHeaderBytes;
  }

  std::string_view h = head;
  if (h.empty()) return Status::Format(path + ": file is empty (expected a CSV header line)");
  if (h.substr(0, 4) == std::string_view("PK\x03\x04", 4) || h.substr(0, 4) == std::string_view("PK\x05\x06", 4)) {
    std::string entries = ZipEntries(h);
    return Status::Format(path + ": is a zip archive" + (entries.empty() ? "" : " (entries: " + entries + ")") +
                          ", not a CSV file; extract it first (hark reads plain or .zst files)");
  }
  if (h.size() >= 2 && static_cast<unsigned char>(h[0]) == 0x1f && static_cast<unsigned char>(h[1]) == 0x8b) {
    return Status::Format(path + ": is gzip-compressed, not a CSV file; decompress it first (hark reads plain or .zst files)");
  }
  if (h.size() >= 2 && ((static_cast<unsigned char>(h[0]) == 0xff && static_cast<unsigned char>(h[1]) == 0xfe) ||
                        (static_cast<unsigned char>(h[0]) == 0xfe && static_cast<unsigned char>(h[1]) == 0xff))) {
    return Status::Format(path + ": is UTF-16 text (byte-order mark FF FE / FE FF); convert it to UTF-8 first");
  }
  if (h.find('\0') != std::string_view::npos) {
    return Status::Format(path + ": holds binary data (NUL bytes in the first " + std::to_string(h.size()) +
                          " bytes), not CSV text");
  }

  CsvHead result;
  if (h.substr(0, 3) == "\xEF\xBB\xBF") {
    result.bom_bytes = 3;
    h.remove_prefix(3);
  }
  shape = ShapeOfHeader(h, whole_file);
  if (!shape.found_end && !whole_file) {
    return Status::Format(path + ": no line end outside quotes in the first " + std::to_string(head.size()) +
                          " bytes; not a CSV file (or its header has an unbalanced quote)");
  }
  result.dialect.delimiter = shape.delimiter;
  result.dialect.terminator = shape.terminator;

  CsvSplitter splitter(h, result.dialect);
  CsvRow row;
  if (!splitter.Next(&row) || row.blank()) {
    return Status::Format(path + ": the first line is empty (expected a CSV header line)");
  }
  if (row.unterminated_quote() || (!whole_file && h[splitter.position() - 1] != result.dialect.terminator)) {
    return Status::Format(path + ": the header line does not end within the first " + std::to_string(head.size()) +
                          " bytes (unbalanced quote?); not a CSV file");
  }
  result.header_bytes = result.bom_bytes + splitter.position();
  for (size_t i = 0; i < row.size(); ++i) result.columns.emplace_back(Trim(row[i]));

  // Wrapped lines: one non-empty cell that is itself a comma-separated line.
  if (result.dialect.delimiter != ',') {
    size_t non_empty = 0;
    for (const std::string& c : result.columns) non_empty += !c.empty();
    if (non_empty == 1 && !result.columns[0].empty()) {
      std::string cell(row[0]);
      CsvSplitter inner(cell, CsvDialect{',', '\0'});
      CsvRow inner_row;
      if (inner.Next(&inner_row) && inner_row.size() >= 2) {
        result.wrapped = true;
        result.columns.clear();
        for (size_t i = 0; i < inner_row.size(); ++i) result.columns.emplace_back(Trim(inner_row[i]));
      }
    }
  }
  return result;
}

// --- CsvBlockReader ---------------------------------------------------------------------

CsvBlockReader::CsvBlockReader(std::unique_ptr<InputStream> in, const ReaderOptions& options, CsvHead head,
                               size_t expected_fields, bool skip_header)
    : BlockReader(std::move(in), options),
      head_(std::move(head)),
      expected_fields_(expected_fields),
      skip_bytes_(skip_header ? head_.header_bytes : head_.bom_bytes) {}

size_t CsvBlockReader::FindCut(std::string_view buf, bool eof) {
  if (at_file_start_ && head_.bom_bytes > 0 && buf.size() >= head_.bom_bytes) {
    // The BOM is not part of the first field: scan from behind it, as SniffCsv did.
    size_t cut = FindCsvCut(buf.substr(head_.bom_bytes), eof, head_.dialect);
    return cut == 0 && !eof ? 0 : head_.bom_bytes + cut;
  }
  return FindCsvCut(buf, eof, head_.dialect);
}

Result<bool> CsvBlockReader::NextBlock(Block* block) {
  Result<bool> got = BlockReader::NextBlock(block);
  if (!got.ok() || !*got) return got;
  const char term = head_.dialect.terminator;
  if (term == '\r') {  // BlockReader numbers lines by LF; this file's lines end in CR
    block->first_line = next_cr_line_;
    next_cr_line_ += std::count(block->data.begin(), block->data.end(), '\r');
  }
  if (at_file_start_) {
    at_file_start_ = false;
    size_t skip = std::min(skip_bytes_, block->data.size());
    block->first_line += std::count(block->data.begin(), block->data.begin() + skip, term);
    block->offset += skip;
    block->data.erase(0, skip);
  }
  return true;
}

void CsvBlockReader::AddReject(const CsvPlace& place, std::string reason, ParsedBlock* out) const {
  Reject reject;
  reject.file = path();
  reject.line = place.line;
  reject.offset = place.offset;
  reject.reason = std::move(reason);
  reject.raw = RejectRaw(place.raw);
  out->rejects.push_back(std::move(reject));
}

void CsvBlockReader::Parse(const Block& block, ParsedBlock* out) const {
  CsvSplitter splitter(block.data, head_.dialect);
  CsvRow row;
  CsvRow scratch;
  CsvPlace place;
  for (;;) {
    try {
      if (!splitter.Next(&row)) break;
    } catch (...) {  // out of memory while splitting: the rest of the block is lost, said so
      place.line = block.first_line;
      place.offset = block.offset + splitter.position();
      place.raw = std::string_view(block.data).substr(splitter.position());
      try {
        AddReject(place, "internal error while splitting records: the rest of the block is not read", out);
      } catch (...) {
      }
      return;
    }
    place.line = block.first_line + row.line();
    place.offset = block.offset + row.offset();
    place.raw = row.raw();
    try {
      ParseOne(row, place, &scratch, out);
    } catch (const std::exception& e) {
      try {
        AddReject(place, std::string("internal error while parsing: ") + e.what(), out);
      } catch (...) {
      }
    } catch (...) {
      try {
        AddReject(place, "internal error while parsing", out);
      } catch (...) {
      }
    }
  }
}

void CsvBlockReader::ParseOne(const CsvRow& row, const CsvPlace& place, CsvRow* scratch, ParsedBlock* out) const {
  if (row.blank()) {
    ++out->skipped["blank line"];
    return;
  }
  if (row.unterminated_quote()) {
    AddReject(place,
              "unterminated quoted field in field " + std::to_string(row.size()) +
                  ": no closing quote before the end of the record",
              out);
    return;
  }
  const CsvRow* fields = &row;
  if (head_.wrapped) {
    size_t cells = row.size();
    while (cells > 0 && row[cells - 1].empty()) --cells;
    std::string line;
    for (size_t i = 0; i < cells; ++i) {
      if (i > 0) line += head_.dialect.delimiter;
      line.append(row[i]);
    }
    CsvSplitter inner(line, CsvDialect{',', '\0'});
    if (!inner.Next(scratch) || scratch->all_empty()) {
      ++out->skipped["empty row (every field empty)"];
      return;
    }
    if (scratch->unterminated_quote()) {
      AddReject(place, "wrapped line: unterminated quoted field in the unwrapped line", out);
      return;
    }
    if (inner.Next(scratch)) {
      AddReject(place, "wrapped line: NUL byte inside the unwrapped line", out);
      return;
    }
    fields = scratch;
  }
  if (fields->all_empty()) {
    ++out->skipped["empty row (every field empty)"];
    return;
  }
  if (fields->size() != expected_fields_) {
    bool extras_empty = fields->size() > expected_fields_;
    for (size_t i = expected_fields_; extras_empty && i < fields->size(); ++i) {
      extras_empty = (*fields)[i].empty();
    }
    if (!extras_empty) {
      AddReject(place,
                "expected " + std::to_string(expected_fields_) + " fields, found " + std::to_string(fields->size()),
                out);
      return;
    }
  }
  ParseRow(*fields, place, out);
}

// --- Value clean-ups --------------------------------------------------------------------

bool NormalizeId(std::string_view in, std::string* out, std::string* error) {
  std::string_view s = Trim(in);
  out->clear();
  // Null markers of R (NA), pandas (NaN, nan, None) and databases (NULL).
  if (s == "NA" || s == "NaN" || s == "nan" || s == "NULL" || s == "null" || s == "None") return true;
  if (s.empty() || AllDigits(s)) {
    out->assign(s);
    return true;
  }
  size_t e = s.find_first_of("eE");
  size_t dot = s.find('.');
  if (e == std::string_view::npos) {
    // "3.0" (pandas writes int columns with gaps as floats).
    if (dot != std::string_view::npos && dot > 0 && AllDigits(s.substr(0, dot)) &&
        s.find_first_not_of('0', dot + 1) == std::string_view::npos) {
      out->assign(s.substr(0, dot));
      return true;
    }
    // "10,031,007" / "1,55,157": digits in groups of 2-3 after a 1-3 digit lead.
    if (s.find(',') != std::string_view::npos && s.front() != ',' && s.back() != ',') {
      bool grouped = true;
      size_t start = 0;
      bool first = true;
      while (grouped && start <= s.size()) {
        size_t comma = s.find(',', start);
        std::string_view group = s.substr(start, comma == std::string_view::npos ? s.npos : comma - start);
        grouped = AllDigits(group) && group.size() <= 3 && (first || group.size() >= 2);
        first = false;
        if (comma == std::string_view::npos) break;
        start = comma + 1;
      }
      if (grouped) {
        *error = Quoted(s) + " has digit-group separators: a spreadsheet reformatted it (it may be several ids run together)";
        return false;
      }
    }
    out->assign(s);
    return true;
  }
  // Scientific notation: <int>[.<frac>]E[+|-]<exp>.
  std::string_view mantissa = s.substr(0, e);
  std::string_view exponent = s.substr(e + 1);
  bool negative_exp = !exponent.empty() && exponent[0] == '-';
  if (!exponent.empty() && (exponent[0] == '+' || exponent[0] == '-')) exponent.remove_prefix(1);
  std::string_view int_part = mantissa.substr(0, std::min(dot, mantissa.size()));
  std::string_view frac = dot == std::string_view::npos || dot > e ? std::string_view() : mantissa.substr(dot + 1);
  bool numeric = AllDigits(int_part) && (frac.empty() ? dot == std::string_view::npos || dot > e : AllDigits(frac)) &&
                 AllDigits(exponent) && exponent.size() <= 3;
  if (!numeric) {
    out->assign(s);  // not a number at all ("e-mail-42")
    return true;
  }
  int exp = std::stoi(std::string(exponent));
  size_t frac_digits = frac.size();
  if (negative_exp || frac_digits > static_cast<size_t>(exp)) {
    *error = Quoted(s) + " is in scientific notation and is not a whole number";
    return false;
  }
  if (frac_digits < static_cast<size_t>(exp)) {
    size_t kept = int_part.size() + frac_digits;
    size_t total = int_part.size() + static_cast<size_t>(exp);
    *error = Quoted(s) + " is in scientific notation: a spreadsheet kept " + std::to_string(kept) + " of its " +
             std::to_string(total) + " digits, so the id is lost";
    return false;
  }
  std::string digits = std::string(int_part) + std::string(frac);
  size_t nz = digits.find_first_not_of('0');
  out->assign(nz == std::string::npos ? "0" : digits.substr(nz));
  return true;
}

namespace {

// "M/D/YY[YY][ H:MM[:SS][ AM|PM]]" as spreadsheets write dates (D/M when the first
// number cannot be a month), or "YYYY/MM/DD[ H:MM[:SS]]".
bool ParseSlashDate(std::string_view s, int64_t* out) {
  size_t i = 0;
  auto number = [&](int max_digits, int* value) {
    int digits = 0;
    *value = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && digits < max_digits) {
      *value = *value * 10 + (s[i] - '0');
      ++i;
      ++digits;
    }
    return digits;
  };
  int a, b, year, hour = 0, minute = 0, second = 0;
  int lead_digits = number(4, &a);
  if (lead_digits == 4) {  // 2015/02/24
    year = a;
    if (i >= s.size() || s[i++] != '/' || number(2, &a) == 0) return false;
    if (i >= s.size() || s[i++] != '/' || number(2, &b) == 0) return false;
  } else {
    if (lead_digits == 0 || lead_digits > 2 || i >= s.size() || s[i++] != '/') return false;
    if (number(2, &b) == 0 || i >= s.size() || s[i++] != '/') return false;
    int year_digits = number(4, &year);
    if (year_digits != 2 && year_digits != 4) return false;
    if (year_digits == 2) year += year < 30 ? 2000 : 1900;
    if (a > 12) std::swap(a, b);  // day first: it cannot be a month
  }
  if (i < s.size()) {
    if (s[i] != ' ' && s[i] != 'T') return false;
    ++i;
    if (number(2, &hour) == 0 || i >= s.size() || s[i++] != ':') return false;
    if (number(2, &minute) != 2) return false;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (number(2, &second) != 2) return false;
    }
    while (i < s.size() && s[i] == ' ') ++i;
    if (i < s.size()) {
      std::string_view ampm = s.substr(i);
      bool pm = ampm == "PM" || ampm == "pm";
      if (!pm && ampm != "AM" && ampm != "am") return false;
      if (hour < 1 || hour > 12) return false;
      hour = hour % 12 + (pm ? 12 : 0);
    }
  }
  int month = a, day = b;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDays[month - 1] || (month == 2 && day == 29 && !leap)) return false;
  *out = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 + hour * 3600 +
         minute * 60 + second;
  return true;
}

}  // namespace

bool ParseCsvTime(std::string_view in, int64_t* out, std::string* error) {
  std::string_view s = Trim(in);
  if (s.empty()) {
    *error = "is empty";
    return false;
  }
  std::string ignored;
  if (!ParseTime(s, out, &ignored) && !ParseSlashDate(s, out)) {
    *error = "cannot parse " + Quoted(s) +
             " (expected RFC 3339, epoch seconds, Twitter, RFC 2822 or spreadsheet M/D/YY H:MM)";
    return false;
  }
  if (*out == 0) {
    *error = Quoted(s) + " is the Unix epoch itself (1970-01-01T00:00:00Z), the placeholder a failed date conversion leaves";
    return false;
  }
  return true;
}

bool ParseCsvBool(std::string_view in, bool* out) {
  std::string_view s = Trim(in);
  auto is = [s](std::string_view word) {
    if (s.size() != word.size()) return false;
    for (size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != word[i]) return false;
    }
    return true;
  };
  if (is("true") || is("1") || is("yes") || is("t") || is("y")) {
    *out = true;
    return true;
  }
  if (is("false") || is("0") || is("no") || is("f") || is("n")) {
    *out = false;
    return true;
  }
  return false;
}

namespace {

// Windows-1252 0x80..0x9F; 0 where the code page leaves the byte undefined.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Length of the valid UTF-8 multi-byte sequence at s[i], or 0.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  auto cont = [&](size_t k) { return k < s.size() && (byte(k) & 0xC0) == 0x80; };
  unsigned char c = byte(i);
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(i + 1) || !cont(i + 2)) return 0;
    if (c == 0xE0 && byte(i + 1) < 0xA0) return 0;  // overlong
    if (c == 0xED && byte(i + 1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return 0;
    if (c == 0xF0 && byte(i + 1) < 0x90) return 0;
    if (c == 0xF4 && byte(i + 1) >= 0x90) return 0;
    return 4;
  }
  return 0;
}

}  // namespace

std::string CsvText(std::string_view in) {
  size_t valid_multibyte = 0;
  size_t invalid = 0;
  bool controls = false;
  for (size_t i = 0; i < in.size();) {
    unsigned char u = static_cast<unsigned char>(in[i]);
    if (u < 0x80) {
      controls = controls || (u < 0x20 && u != '\t' && u != '\n' && u != '\r');
      ++i;
      continue;
    }
    size_t len = Utf8SequenceLength(in, i);
    if (len == 0) {
      ++invalid;
      ++i;
    } else {
      ++valid_multibyte;
      i += len;
    }
  }
  std::string out(in);
  if (invalid == 0 && !controls) return out;  // valid UTF-8 already: the common case
  if (invalid > 0 && valid_multibyte == 0) {
    out.clear();
    for (char c : in) {
      unsigned char u = static_cast<unsigned char>(c);
      if (u < 0x80) {
        out.push_back(c);
      } else if (u < 0xA0) {
        char16_t cp = kCp1252High[u - 0x80];
        AppendUtf8(cp == 0 ? 0xFFFD : cp, &out);
      } else {
        AppendUtf8(u, &out);
      }
    }
  }
  SanitizeUtf8(&out);
  return out;
}

size_t FindCsvColumn(const std::vector<std::string>& columns, std::string_view name) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return i;
  }
  auto lower = [](std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
  };
  std::string want = lower(Trim(name));
  for (size_t i = 0; i < columns.size(); ++i) {
    if (lower(columns[i]) == want) return i;
  }
  return std::string::npos;
}

std::string ListCsvColumns(const std::vector<std::string>& columns) {
  std::string out;
  for (size_t i = 0; i < columns.size() && i < 40; ++i) {
    if (i > 0) out += ", ";
    out += columns[i].empty() ? std::string("(unnamed)") : CsvText(std::string_view(columns[i]).substr(0, 80));
  }
  if (columns.size() > 40) out += ", ... (" + std::to_string(columns.size()) + " columns)";
  return out;
}

std::string FileStem(std::string_view path) {
  size_t slash = path.find_last_of('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  for (std::string_view ext : {".zst", ".gz", ".bz2", ".xz"}) {
    if (name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext) {
      name.remove_suffix(ext.size());
      break;
    }
  }
  size_t dot = name.find_last_of('.');
  if (dot != std::string_view::npos && dot > 0) name = name.substr(0, dot);
  return std::string(name);
}

}  // namespace hark
