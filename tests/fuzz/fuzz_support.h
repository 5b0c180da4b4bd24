// Shared by hark's libFuzzer targets (tests/fuzz/*_fuzz.cc): an in-memory file that
// readers open by path, a driver that reads it to its end exactly as the ingest
// pipeline does, and the checks every reader target makes.
//
// Readers take a path, so each fuzz input is written to one memfd and opened as
// /proc/self/fd/N: no disk I/O, and a name without an extension, so nothing is decided
// by the name. A fuzz target runs one input at a time: nothing here is thread-safe.
#ifndef HARK_TESTS_FUZZ_FUZZ_SUPPORT_H_
#define HARK_TESTS_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/reader.h"
#include "storage/record.h"
#include "storage/status.h"

namespace hark::fuzz {

// The block size of the first of the two reads of every input: small, so that the
// seeds (a few KiB) are cut into many blocks and every FindCut path runs.
inline constexpr size_t kSmallBlockBytes = 256;

// The current fuzz input as a file. Write() replaces its whole content.
class InputFile {
 public:
  // The process's one input file (created on first use; aborts if it cannot be).
  static InputFile& Get();
  void Write(std::string_view bytes);
  const std::string& path() const { return path_; }

 private:
  InputFile();
  int fd_ = -1;
  std::string path_;
};

// Everything one reader produced for one file, as the pipeline would have seen it.
struct ReadOutcome {
  Status status;         // OpenReader's or NextBlock's error; OK when read to its end
  bool opened = false;   // OpenReader succeeded
  uint64_t blocks = 0;
  std::vector<Record> records;
  std::vector<uint64_t> lines;
  std::vector<Reject> rejects;
  std::map<std::string, uint64_t> skipped;
};

// Opens `path` with OpenReader(path, format, options) and runs the NextBlock/Parse loop
// to the end of the file or its first error, checking the FileReader contract on the
// way (every block names its reader; one line per record; after the last block the
// whole file was consumed). Aborts with a message on a violation.
ReadOutcome ReadAll(const std::string& path, Format format, const ReaderOptions& options);

// Reads every byte of every field of the records and rejects (and the status message)
// into a sink, so that the sanitizers check all of the memory a reader handed out.
void Touch(const ReadOutcome& outcome);

// Aborts with a message naming `what` unless the two outcomes agree: the same status
// code and, when both read to the end, the same records with the same lines, the same
// rejects (line, offset, reason, raw) and the same skip counts.
void CheckSame(const ReadOutcome& a, const ReadOutcome& b, const std::string& what);

// Reader options with the --map pairs `spec` (a target's fixed mapping); aborts with
// the parse error if `spec` is not one.
ReaderOptions MappedOptions(const char* spec);

// The body of every reader target. Writes `data` to the input file, reads it with
// `options` twice: cut into kSmallBlockBytes blocks and in one 16 MiB block. Both reads
// must agree (CheckSame): where blocks are cut must never change what a file yields.
// Returns the second read.
ReadOutcome FuzzReader(const uint8_t* data, size_t size, Format format, ReaderOptions options);

}  // namespace hark::fuzz

#endif  // HARK_TESTS_FUZZ_FUZZ_SUPPORT_H_
