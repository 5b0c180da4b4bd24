// FileReader: turns one input file into Records, in two halves that the ingest
// pipeline runs on different threads:
//   NextBlock()  serial: reads the stream and cuts it at record boundaries;
//   Parse()      parallel: parses one block into Records and Rejects.
// NextBlock() is called from one thread at a time; Parse() is const and must be
// thread-safe (any per-file state it needs is fixed before the first block, e.g. a
// CSV header).
#ifndef HARK_INDEXER_READER_H_
#define HARK_INDEXER_READER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/input.h"
#include "storage/record.h"
#include "storage/status.h"

namespace hark {

class FileReader;

// A run of whole records, cut from one file.
struct Block {
  const FileReader* reader = nullptr;  // parses this block; outlives it
  std::string data;                    // whole records only
  uint64_t first_line = 1;             // 1-based line number of data[0] in the file
  uint64_t offset = 0;                 // byte offset of data[0] (decompressed stream)
  uint64_t seq = 0;                    // block number within the whole run (set by the pipeline)
};

// A malformed record, quarantined with where it was and why.
struct Reject {
  std::string file;
  uint64_t line = 0;    // 1-based line where the record starts (0 if unknown)
  uint64_t offset = 0;  // byte offset where the record starts
  std::string reason;   // what is wrong, e.g. "time: cannot parse 'yesterday'"
  std::string raw;      // the raw record (truncated to 4 KiB)
};

struct ParsedBlock {
  std::vector<Record> records;
  std::vector<uint64_t> lines;   // lines[i]: line where records[i] starts
  std::vector<Reject> rejects;
  // Well-formed input that is not a message (e.g. a Stack Exchange tag-wiki post),
  // counted by reason so that nothing disappears in silence: {"tag wiki post": 12}.
  std::map<std::string, uint64_t> skipped;
};

// Column mapping for `--map canonical=column,...` (also used by JSONL: key names;
// dotted paths such as user.name reach into objects).
// Canonical field names: id source channel time author role brand parent thread title
// text score accepted tags.
struct FieldMap {
  std::map<std::string, std::string> columns;  // canonical field -> input column/key
  bool empty() const { return columns.empty(); }
};

// Parses "id=tweet_id,time=tweet_created,text=text". Also accepts a file path holding
// the same pairs, one per line or comma-separated ('#' starts a comment).
[[nodiscard]] Result<FieldMap> ParseFieldMap(std::string_view spec);

enum class Format { kAuto, kJsonl, kTwcs, kStackExchange, kMbox, kReddit, kCsv };

std::string_view FormatName(Format format);
[[nodiscard]] Result<Format> ParseFormat(std::string_view name);

struct ReaderOptions {
  std::string source;          // overrides the reader's default source name when non-empty
  std::string channel;         // overrides the reader's default channel when non-empty
  FieldMap map;                // required for kCsv; optional for kJsonl
  size_t block_bytes = 1 << 20;  // target size of a block
};

class FileReader {
 public:
  virtual ~FileReader() = default;

  // Serial. Fills *block with the next run of whole records (block->reader set to
  // this). Returns false at end of input. An error stops this file only.
  [[nodiscard]] virtual Result<bool> NextBlock(Block* block) = 0;

  // Thread-safe. Appends the block's records and rejects to *out. Never throws.
  virtual void Parse(const Block& block, ParsedBlock* out) const = 0;

  virtual const std::string& path() const = 0;
  // Progress: bytes of the file consumed so far, and its size.
  virtual uint64_t file_bytes_read() const = 0;
  virtual uint64_t file_size() const = 0;
  // True for a zstd-compressed file (offsets and sizes above are of compressed bytes).
  virtual bool compressed() const = 0;
  // Content hash of the raw bytes read so far (complete after the last block).
  virtual uint64_t content_hash() const = 0;

  // Serial, before the first NextBlock(). Resumes a file that grew since a run read it
  // to `offset`: consumes the first `offset` bytes and returns true when they hash to
  // `prefix_hash` (content_hash() of that run) and end with a line break; the next block
  // then starts at `offset`, with line numbers counted from the file's start. Returns
  // false when it cannot vouch for the prefix (the file changed, is compressed, or the
  // reader read past `offset` already): the caller must then discard this reader and
  // read the whole file again.
  [[nodiscard]] virtual Result<bool> ResumeAt(uint64_t offset, uint64_t prefix_hash) {
    (void)offset, (void)prefix_hash;
    return false;
  }
};

// Detects the format of `path` from its name and first bytes. Errors name the file
// and say what was seen.
[[nodiscard]] Result<Format> DetectFormat(const std::string& path);

// Opens a reader for `path`. With kAuto the format is detected; with an explicit
// format, content that is clearly something else is a Format error naming the file
// ("x.csv: --format twcs expects the header tweet_id,author_id,...; found ...").
[[nodiscard]] Result<std::unique_ptr<FileReader>> OpenReader(const std::string& path, Format format,
                                                             const ReaderOptions& options);

// Base for readers whose records can be found by scanning bytes: it owns the
// InputStream, buffers it and cuts blocks where FindCut() says. Subclasses implement
// FindCut() (serial) and Parse() (thread-safe).
class BlockReader : public FileReader {
 public:
  Result<bool> NextBlock(Block* block) override;
  const std::string& path() const override { return stream_->path(); }
  uint64_t file_bytes_read() const override { return stream_->file_bytes_read(); }
  uint64_t file_size() const override { return stream_->file_size(); }
  bool compressed() const override { return stream_->compressed(); }
  uint64_t content_hash() const override { return stream_->content_hash(); }
  Result<bool> ResumeAt(uint64_t offset, uint64_t prefix_hash) override;

 protected:
  BlockReader(std::unique_ptr<InputStream> stream, const ReaderOptions& options)
      : stream_(std::move(stream)), options_(options) {}

  // Given buffered bytes `buf` (starting at a record boundary), returns how many leading
  // bytes form whole records; 0 when no whole record is buffered yet. At end of input
  // (`eof`), must consume everything that remains. Should depend only on `buf` and
  // `eof`: when it returns 0 it is called again with a longer buffer from the same start.
  // Cut generously (about the whole buffer): blocks are the unit of parallel work.
  virtual size_t FindCut(std::string_view buf, bool eof) = 0;

  // Reads and consumes the first line (e.g. a CSV header) before blocks are cut.
  // Returns the line without its terminator; lines_consumed and offsets are kept right.
  [[nodiscard]] Result<std::string> ReadFirstLine();

  InputStream& stream() { return *stream_; }
  const ReaderOptions& options() const { return options_; }

 private:
  [[nodiscard]] Status Fill();

  std::unique_ptr<InputStream> stream_;
  ReaderOptions options_;
  std::string buf_;
  bool eof_ = false;
  uint64_t next_line_ = 1;
  uint64_t next_offset_ = 0;
};

// Truncates `raw` for a Reject (4 KiB, cut on a UTF-8 boundary).
std::string RejectRaw(std::string_view raw);

}  // namespace hark

#endif  // HARK_INDEXER_READER_H_
