// The CSV layer shared by the TWCS and generic CSV readers: record boundaries for
// BlockReader::FindCut, a record splitter, header/dialect sniffing, a BlockReader base
// for CSV files, and the value clean-ups spreadsheet exports need (ids, times, text).
//
// Why our own parser rather than a library: the CSV files people actually have are
// damaged in ways strict RFC 4180 parsers reject or mis-split, and we must read them
// record by record, streaming, with exact line numbers for every quarantined row:
//   - pandas writes bare CR bytes unquoted inside fields, so a bare CR is text and
//     only LF (or CRLF) ends a record, unless the file's own header ends with a bare CR
//     (classic Mac files, whose records all end in CR);
//   - a stray quote inside an unquoted field, or text after a closing quote, is text
//     (as Python's csv module reads it), never the start of a quoted run that swallows
//     the rest of the file;
//   - an unterminated quote is cut off after 16 MiB so that one bad byte cannot make a
//     reader buffer the whole file;
//   - UTF-8 BOMs, CRLF, trailing blank lines, ';' / tab separators, and whole lines that
//     a spreadsheet wrapped into one cell ("wrapped" files, see CsvHead) are handled.
// Quote semantics: a field is quoted only when its first byte is '"'; inside it `""` is
// a quote; after the closing quote any further bytes up to the delimiter are appended
// as plain text. The boundary finder and the splitter share this state machine, so a
// block always holds exactly the records the splitter will find in it.
#ifndef HARK_INDEXER_CSV_H_
#define HARK_INDEXER_CSV_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/input.h"
#include "indexer/reader.h"
#include "storage/status.h"

namespace hark {

// Separator and record terminator of one CSV file, fixed when it is opened. A plain
// value: thread-compatible.
struct CsvDialect {
  char delimiter = ',';
  // '\n' for LF and CRLF files (the CR before LF is dropped; other CRs are text), or
  // '\r' for classic Mac files (then LF is text).
  char terminator = '\n';
};

// A record longer than this without its closing quote is cut at its first line end and
// reported as an unterminated quote (no real record comes near it).
inline constexpr size_t kMaxCsvRecordBytes = size_t{16} << 20;

// Boundary finder for BlockReader::FindCut: `buf` starts at a record boundary; returns
// the length of the longest prefix made of whole records (each with its terminator),
// 0 when none is complete yet, and buf.size() at `eof`. Pure: thread-safe.
size_t FindCsvCut(std::string_view buf, bool eof, const CsvDialect& dialect);

// One record split into fields. Reused across records to avoid allocations; the views
// it returns stay valid until the next CsvSplitter::Next() into it. Thread-compatible.
class CsvRow {
 public:
  size_t size() const { return ends_.size(); }
  std::string_view field(size_t i) const {
    size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }
  std::string_view operator[](size_t i) const { return field(i); }
  // The record's bytes as in the input, without its terminator.
  std::string_view raw() const { return raw_; }
  // Byte offset and 0-based line (terminators before it) within the split data.
  uint64_t offset() const { return offset_; }
  uint64_t line() const { return line_; }
  // A quoted field has no closing quote before the end of the data; the record was
  // then cut at its first line end (its fields are not meaningful).
  bool unterminated_quote() const { return unterminated_quote_; }
  // An empty line (nothing but an optional CR before the terminator).
  bool blank() const { return blank_; }
  // Every field is empty (e.g. Excel's `,,,,,,` padding rows); true for blank lines.
  bool all_empty() const { return text_.empty(); }

 private:
  friend class CsvSplitter;
  std::string text_;          // field contents, unescaped, back to back
  std::vector<size_t> ends_;  // end of each field in text_
  std::string_view raw_;
  uint64_t offset_ = 0;
  uint64_t line_ = 0;
  bool unterminated_quote_ = false;
  bool blank_ = false;
};

// Splits a run of whole records (a Block's data) into CsvRows, in order. Not
// thread-safe; cheap to create (one per Parse call).
class CsvSplitter {
 public:
  CsvSplitter(std::string_view data, const CsvDialect& dialect) : data_(data), dialect_(dialect) {}
  // Fills *row with the next record; false when the data is used up.
  bool Next(CsvRow* row);
  // Bytes consumed so far (the start of the next record).
  size_t position() const { return pos_; }

 private:
  std::string_view data_;
  CsvDialect dialect_;
  size_t pos_ = 0;
  uint64_t line_ = 0;
};

// What the first bytes of a CSV file say about it. A plain value.
struct CsvHead {
  CsvDialect dialect;
  size_t bom_bytes = 0;     // 3 when the file starts with a UTF-8 BOM
  // The first record's fields (BOM removed, each trimmed of ASCII spaces): normally
  // the header; a reader for a headerless format may decide it is data.
  std::vector<std::string> columns;
  // Bytes of BOM + first record + its terminator: where data starts after a header.
  size_t header_bytes = 0;
  // "Wrapped" file: a comma CSV opened in a spreadsheet that expected ';' (or tab)
  // and saved back, so every line became one quoted cell, split again at the ';'
  // characters it contained and padded with empty cells
  // (`"created_at,""text""";;;`). Each record is recovered by joining its cells with
  // the delimiter (trailing empty cells dropped) and splitting that line on commas.
  // `columns` are then the inner (comma) columns.
  bool wrapped = false;
};

// Reads the head of `in` (Peek: nothing is consumed) and works out BOM, terminator,
// delimiter and header. Format errors name the file and say what was found: empty
// file, zip / gzip archive, UTF-16, binary data, no line end in the first 1 MiB.
[[nodiscard]] Result<CsvHead> SniffCsv(InputStream& in);

// Where a record was found, for Records' lines and Rejects.
struct CsvPlace {
  uint64_t line = 0;    // 1-based line where the record starts
  uint64_t offset = 0;  // byte offset where it starts
  std::string_view raw; // the raw record, without its terminator
};

// BlockReader base for CSV files: cuts blocks with FindCsvCut, drops the header from
// the first block, keeps line numbers right for CR-terminated files, splits records
// and handles what is common to every CSV format before calling ParseRow():
// blank lines and all-empty rows are counted as skipped, unterminated quotes and rows
// with fewer fields than expected (or more, unless the extra fields are empty) are
// rejected, wrapped lines are unwrapped. NextBlock() is serial; Parse() is const and
// thread-safe (it touches only state fixed at construction).
class CsvBlockReader : public BlockReader {
 public:
  Result<bool> NextBlock(Block* block) override;
  void Parse(const Block& block, ParsedBlock* out) const override;

 protected:
  // `expected_fields`: fields every data row must have. `skip_header`: false for a
  // headerless file (its first record is data).
  CsvBlockReader(std::unique_ptr<InputStream> in, const ReaderOptions& options, CsvHead head,
                 size_t expected_fields, bool skip_header);

  size_t FindCut(std::string_view buf, bool eof) override;

  // Thread-safe. Turns one data row (exactly expected_fields fields, not all empty)
  // into a Record (appended with its line) or a Reject.
  virtual void ParseRow(const CsvRow& row, const CsvPlace& place, ParsedBlock* out) const = 0;

  // Appends a Reject for `place` to *out.
  void AddReject(const CsvPlace& place, std::string reason, ParsedBlock* out) const;

  const CsvHead& head() const { return head_; }

 private:
  void ParseOne(const CsvRow& row, const CsvPlace& place, CsvRow* scratch, ParsedBlock* out) const;

  const CsvHead head_;
  const size_t expected_fields_;
  const size_t skip_bytes_;    // dropped from the first block: BOM and header
  // Serial state of NextBlock()/FindCut(); Parse() never reads it.
  bool at_file_start_ = true;
  uint64_t next_cr_line_ = 1;  // CR-terminated files: BlockReader counts LFs only
};

// --- Value clean-ups for spreadsheet-damaged columns. Pure functions: thread-safe. ---

// Normalises an id as pandas and spreadsheets write it: trims spaces; "3.0" -> "3";
// "1.23E+2" -> "123" (the mantissa still holds every digit). Returns false with
// *error when the digits are gone or mangled: "1.19E+17" (Excel kept 3 of 18
// digits), "1.5E+0", digit-group separators ("10,031,007"). Other strings pass through
// unchanged; "" and null markers (NA, NaN, nan, NULL, null, None) become "".
bool NormalizeId(std::string_view in, std::string* out, std::string* error);

// Parses a time column: everything ParseTime() reads, plus spreadsheet dates
// "2/24/15 11:35" / "2/24/2015 11:35:52 PM" (month first as Excel en-US writes them,
// unless the first number is over 12; 2-digit years 00-29 are 20xx; UTC). Rejects the
// Unix epoch itself (0 = "1970-01-01"): it is what a failed date conversion leaves.
bool ParseCsvTime(std::string_view in, int64_t* out, std::string* error);

// Spreadsheet and pandas booleans: true/false/1/0/yes/no in any case (TRUE, True).
bool ParseCsvBool(std::string_view in, bool* out);

// Valid UTF-8 for a text column: a field with invalid bytes and no valid multi-byte
// sequence is decoded as Windows-1252 (Excel and twitteR exports: 0x92 -> U+2019);
// otherwise invalid sequences become U+FFFD (SanitizeUtf8). Controls other than tab,
// LF and CR are dropped.
std::string CsvText(std::string_view in);

// Index of the column called `name` (exact match first, then ASCII case-insensitive),
// or npos.
size_t FindCsvColumn(const std::vector<std::string>& columns, std::string_view name);

// "a, b, c" (at most 40 names), for error messages that list a header.
std::string ListCsvColumns(const std::vector<std::string>& columns);

// The file name without directories and extensions ("a/Tweets.csv.zst" -> "Tweets").
std::string FileStem(std::string_view path);

}  // namespace hark

#endif  // HARK_INDEXER_CSV_H_
