#include "tests/fuzz/fuzz_support.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <utility>

namespace hark::fuzz {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "hark fuzz check failed: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

// Folds bytes into a value the optimiser cannot drop.
volatile uint64_t g_sink = 0;

void TouchBytes(std::string_view s) {
  uint64_t h = g_sink;
  for (char c : s) h = h * 31 + static_cast<unsigned char>(c);
  g_sink = h;
}

void TouchRecord(const Record& r) {
  TouchBytes(r.source);
  TouchBytes(r.id);
  TouchBytes(r.channel);
  TouchBytes(r.author);
  TouchBytes(RoleName(r.role));
  TouchBytes(r.brand);
  TouchBytes(r.parent);
  TouchBytes(r.thread);
  TouchBytes(r.title);
  TouchBytes(r.text);
  for (const std::string& t : r.tags) TouchBytes(t);
  TouchBytes(r.accepted_answer);
  for (const std::string& m : r.mentions) TouchBytes(m);
  g_sink = g_sink + static_cast<uint64_t>(r.time) + r.recno + r.flags + (r.score ? static_cast<uint64_t>(*r.score) : 0) +
           (r.accepted ? *r.accepted + 1 : 0) + static_cast<uint64_t>(r.sentiment * 1000);
}

std::string Describe(const Reject& r) {
  return "line " + std::to_string(r.line) + " offset " + std::to_string(r.offset) + " '" + r.reason + "'";
}

std::string DescribeRecord(const Record& r) {
  return "id '" + r.id + "' thread '" + r.thread + "' parent '" + r.parent + "' author '" + r.author +
         "' time " + std::to_string(r.time) + " text '" + r.text.substr(0, 80) + "'";
}

}  // namespace

void CheckSame(const ReadOutcome& a, const ReadOutcome& b, const std::string& what) {
  const std::string tag = what + " differ: ";
  if (a.status.code() != b.status.code()) {
    Die(tag + "status '" + a.status.ToString() + "' vs '" + b.status.ToString() + "'");
  }
  if (!a.status.ok()) return;  // the reads stopped at the same error, after different blocks
  if (a.records.size() != b.records.size()) {
    Die(tag + std::to_string(a.records.size()) + " vs " + std::to_string(b.records.size()) + " records");
  }
  for (size_t i = 0; i < a.records.size(); ++i) {
    if (!(a.records[i] == b.records[i])) {
      Die(tag + "record " + std::to_string(i) + ": " + DescribeRecord(a.records[i]) + " vs " +
          DescribeRecord(b.records[i]));
    }
    if (a.lines[i] != b.lines[i]) {
      Die(tag + "record " + std::to_string(i) + " line " + std::to_string(a.lines[i]) + " vs " +
          std::to_string(b.lines[i]));
    }
  }
  if (a.rejects.size() != b.rejects.size()) {
    Die(tag + std::to_string(a.rejects.size()) + " vs " + std::to_string(b.rejects.size()) + " rejects" +
        (a.rejects.empty() ? "" : ", first " + Describe(a.rejects[0])) +
        (b.rejects.empty() ? "" : ", first " + Describe(b.rejects[0])));
  }
  for (size_t i = 0; i < a.rejects.size(); ++i) {
    const Reject& x = a.rejects[i];
    const Reject& y = b.rejects[i];
    if (x.line != y.line || x.offset != y.offset || x.reason != y.reason || x.raw != y.raw) {
      Die(tag + "reject " + std::to_string(i) + ": " + Describe(x) + " vs " + Describe(y));
    }
  }
  if (a.skipped != b.skipped) Die(tag + "skipped counts");
}

InputFile::InputFile() {
  fd_ = memfd_create("hark-fuzz-input", MFD_CLOEXEC);
  if (fd_ < 0) Die("memfd_create failed");
  path_ = "/proc/self/fd/" + std::to_string(fd_);
}

InputFile& InputFile::Get() {
  static InputFile* file = new InputFile();  // lives as long as the process
  return *file;
}

void InputFile::Write(std::string_view bytes) {
  if (ftruncate(fd_, 0) != 0) Die("ftruncate of the input file failed");
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (n <= 0) Die("write of the input file failed");
    done += static_cast<size_t>(n);
  }
}

ReadOutcome ReadAll(const std::string& path, Format format, const ReaderOptions& options) {
  ReadOutcome o;
  Result<std::unique_ptr<FileReader>> opened = OpenReader(path, format, options);
  if (!opened.ok()) {
    o.status = opened.status();
    return o;
  }
  o.opened = true;
  FileReader& reader = **opened;
  Block block;
  for (;;) {
    Result<bool> more = reader.NextBlock(&block);
    if (!more.ok()) {
      o.status = more.status();
      break;
    }
    if (!*more) break;
    ++o.blocks;
    if (block.reader != &reader) Die("NextBlock did not set block->reader");
    ParsedBlock parsed;
    reader.Parse(block, &parsed);
    if (parsed.records.size() != parsed.lines.size()) {
      Die("Parse gave " + std::to_string(parsed.records.size()) + " records but " +
          std::to_string(parsed.lines.size()) + " lines");
    }
    for (Record& r : parsed.records) o.records.push_back(std::move(r));
    o.lines.insert(o.lines.end(), parsed.lines.begin(), parsed.lines.end());
    for (Reject& r : parsed.rejects) o.rejects.push_back(std::move(r));
    for (const auto& [reason, count] : parsed.skipped) o.skipped[reason] += count;
  }
  if (o.status.ok() && reader.file_bytes_read() != reader.file_size()) {
    Die("read to the end, but file_bytes_read " + std::to_string(reader.file_bytes_read()) + " != file_size " +
        std::to_string(reader.file_size()));
  }
  g_sink = g_sink + reader.content_hash();
  TouchBytes(reader.path());
  return o;
}

void Touch(const ReadOutcome& o) {
  TouchBytes(o.status.message());
  for (const Record& r : o.records) TouchRecord(r);
  for (uint64_t line : o.lines) g_sink = g_sink + line;
  for (const Reject& r : o.rejects) {
    TouchBytes(r.file);
    TouchBytes(r.reason);
    TouchBytes(r.raw);
    g_sink = g_sink + r.line + r.offset;
  }
  for (const auto& [reason, count] : o.skipped) {
    TouchBytes(reason);
    g_sink = g_sink + count;
  }
}

ReadOutcome FuzzReader(const uint8_t* data, size_t size, Format format, ReaderOptions options) {
  InputFile& file = InputFile::Get();
  file.Write(std::string_view(reinterpret_cast<const char*>(data), size));
  options.block_bytes = kSmallBlockBytes;
  ReadOutcome small = ReadAll(file.path(), format, options);
  Touch(small);
  options.block_bytes = size_t{16} << 20;
  ReadOutcome whole = ReadAll(file.path(), format, options);
  Touch(whole);
  CheckSame(small, whole, "reads with block_bytes " + std::to_string(kSmallBlockBytes) + " and 16 MiB");
  return whole;
}

ReaderOptions MappedOptions(const char* spec) {
  Result<FieldMap> map = ParseFieldMap(spec);
  if (!map.ok()) {
    std::fprintf(stderr, "%s\n", map.status().ToString().c_str());
    std::abort();
  }
  ReaderOptions options;
  options.map = *map;
  return options;
}

}  // namespace hark::fuzz
