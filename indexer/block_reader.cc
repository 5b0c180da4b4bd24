// BlockReader: buffering and cutting shared by the byte-scanning readers.
#include <algorithm>
#include <cstring>

#include "indexer/reader.h"

namespace hark {
namespace {
// Reads grow with what is buffered, from kMinReadChunk to kReadChunk: a small file costs
// no 1 MiB buffer, and a record that spans many reads is rescanned by FindCut() only a
// logarithmic number of times before reads reach their full size.
constexpr size_t kMinReadChunk = 64 << 10;
constexpr size_t kReadChunk = 1 << 20;
}  // namespace

Status BlockReader::Fill() {
  const size_t old = buf_.size();
  const size_t chunk = std::clamp(old, kMinReadChunk, kReadChunk);
  buf_.resize(old + chunk);
  Result<size_t> got = stream_->Read(buf_.data() + old, chunk);
  if (!got.ok()) {
    buf_.resize(old);
    return got.status();
  }
  buf_.resize(old + *got);
  if (*got == 0) eof_ = true;
  return Status::Ok();
}

Result<std::string> BlockReader::ReadFirstLine() {
  size_t nl;
  while ((nl = buf_.find('\n')) == std::string::npos && !eof_) HARK_RETURN_IF_ERROR(Fill());
  size_t len = nl == std::string::npos ? buf_.size() : nl;
  size_t consumed = nl == std::string::npos ? buf_.size() : nl + 1;
  std::string line = buf_.substr(0, len);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  buf_.erase(0, consumed);
  next_offset_ += consumed;
  if (nl != std::string::npos) ++next_line_;
  return line;
}

Result<bool> BlockReader::NextBlock(Block* block) {
  const size_t target = std::max<size_t>(options_.block_bytes, 1);
  size_t cut = 0;
  for (;;) {
    if (buf_.size() >= target || eof_) {
      // Blocks of about `target` bytes: they are the unit of parallel work.
      std::string_view view(buf_);
      if (view.size() > target) {
        cut = FindCut(view.substr(0, target), false);
        if (cut > 0) break;
      }
      cut = FindCut(view, eof_);
      if (cut > 0 || eof_) break;
    }
    HARK_RETURN_IF_ERROR(Fill());
  }
  if (cut == 0) return false;  // eof and nothing left
  block->reader = this;
  block->first_line = next_line_;
  block->offset = next_offset_;
  if (cut == buf_.size()) {
    block->data.swap(buf_);
    buf_.clear();
  } else {
    block->data.assign(buf_, 0, cut);
    buf_.erase(0, cut);
  }
  next_line_ += std::count(block->data.begin(), block->data.end(), '\n');
  next_offset_ += cut;
  return true;
}

Result<bool> BlockReader::ResumeAt(uint64_t offset, uint64_t prefix_hash) {
  if (stream_->compressed()) return false;  // offsets are not seekable positions there
  // Bytes handed out by the stream so far (a header and its read-ahead included).
  uint64_t pos = next_offset_ + buf_.size();
  if (pos > offset) return false;  // read ahead past `offset`: its hash is gone
  char last = buf_.empty() ? '\n' : buf_.back();
  next_line_ += static_cast<uint64_t>(std::count(buf_.begin(), buf_.end(), '\n'));
  next_offset_ = pos;
  buf_.clear();
  std::string chunk(kReadChunk, '\0');
  while (pos < offset) {
    Result<size_t> got = stream_->Read(chunk.data(), static_cast<size_t>(std::min<uint64_t>(chunk.size(), offset - pos)));
    if (!got.ok()) return got.status();
    if (*got == 0) return false;  // shorter than before
    next_line_ += static_cast<uint64_t>(std::count(chunk.begin(), chunk.begin() + static_cast<ptrdiff_t>(*got), '\n'));
    pos += *got;
    last = chunk[*got - 1];
  }
  next_offset_ = pos;
  return stream_->file_bytes_read() == offset && stream_->content_hash() == prefix_hash && last == '\n';
}

std::string RejectRaw(std::string_view raw) {
  constexpr size_t kMax = 4096;
  if (raw.size() <= kMax) return std::string(raw);
  size_t n = kMax;
  while (n > 0 && (static_cast<unsigned char>(raw[n]) & 0xC0) == 0x80) --n;
  return std::string(raw.substr(0, n));
}

}  // namespace hark
