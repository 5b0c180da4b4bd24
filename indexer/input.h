// InputStream: a streaming byte source over one file, plain or zstd-compressed.
//
// A `.zst` file (or any file starting with the zstd magic number) is decompressed as a
// stream with a window up to 2 GiB (Pushshift archives use --long=31), never loaded
// whole. Not thread-safe: one reader thread at a time.
#ifndef HARK_INDEXER_INPUT_H_
#define HARK_INDEXER_INPUT_H_

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "storage/status.h"

namespace hark {

class InputStream {
 public:
  ~InputStream();
  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  // Opens `path`; detects zstd by magic number. Errors name the file.
  [[nodiscard]] static Result<std::unique_ptr<InputStream>> Open(const std::string& path);

  // Reads up to `n` decompressed bytes; 0 means end of input. A truncated or corrupt
  // zstd frame is an error naming the file and the compressed offset.
  [[nodiscard]] Result<size_t> Read(char* buf, size_t n);

  // Peeks at up to `n` leading decompressed bytes without consuming them (format
  // detection). Only valid before the first Read.
  [[nodiscard]] Result<std::string> Peek(size_t n);

  const std::string& path() const { return path_; }
  bool compressed() const { return zstd_ != nullptr; }
  uint64_t file_size() const { return file_size_; }
  // Bytes of the file itself consumed so far (compressed bytes for .zst): progress.
  uint64_t file_bytes_read() const { return file_bytes_read_; }
  // 64-bit content hash of the raw file bytes read so far (FNV-1a over bytes: the same
  // whatever the sizes of the reads).
  uint64_t content_hash() const { return hash_; }

 private:
  InputStream() = default;
  Result<size_t> ReadRaw(char* buf, size_t n);
  Result<size_t> ReadDecompressed(char* buf, size_t n);

  std::string path_;
  FILE* file_ = nullptr;
  uint64_t file_size_ = 0;
  uint64_t file_bytes_read_ = 0;
  uint64_t hash_ = 1469598103934665603ull;
  struct ZstdState;
  std::unique_ptr<ZstdState> zstd_;
  std::string peeked_;  // bytes returned by Peek, served first by Read
};

}  // namespace hark

#endif  // HARK_INDEXER_INPUT_H_
