#include "indexer/input.h"

#include <sys/stat.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>

namespace hark {

struct InputStream::ZstdState {
  ZSTD_DCtx* dctx = nullptr;
  std::vector<char> in;
  ZSTD_inBuffer in_buf{nullptr, 0, 0};
  bool input_eof = false;
  size_t last_ret = 0;  // 0 when the last frame was complete
  ~ZstdState() { ZSTD_freeDCtx(dctx); }
};

InputStream::~InputStream() {
  if (file_ != nullptr) fclose(file_);
}

Result<std::unique_ptr<InputStream>> InputStream::Open(const std::string& path) {
  std::unique_ptr<InputStream> s(new InputStream());
  s->path_ = path;
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) return Status::IOError("cannot read " + path + ": is a directory");
  s->file_ = fopen(path.c_str(), "rb");
  if (s->file_ == nullptr) {
    return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  }
  s->file_size_ = static_cast<uint64_t>(st.st_size);
  unsigned char magic[4] = {0, 0, 0, 0};
  size_t got = fread(magic, 1, 4, s->file_);
  rewind(s->file_);
  if (got == 4 && magic[0] == 0x28 && magic[1] == 0xB5 && magic[2] == 0x2F && magic[3] == 0xFD) {
    s->zstd_ = std::make_unique<ZstdState>();
    s->zstd_->dctx = ZSTD_createDCtx();
    // Pushshift dumps are written with --long=31; allow the largest window.
    ZSTD_DCtx_setParameter(s->zstd_->dctx, ZSTD_d_windowLogMax, 31);
    s->zstd_->in.resize(ZSTD_DStreamInSize());
  }
  return s;
}

Result<size_t> InputStream::ReadRaw(char* buf, size_t n) {
  size_t got = fread(buf, 1, n, file_);
  if (got < n && ferror(file_)) {
    return Status::IOError("read error in " + path_ + " at byte " +
                           std::to_string(file_bytes_read_) + ": " + std::strerror(errno));
  }
  // FNV-1a over bytes; cheap enough next to parsing and stable across platforms.
  for (size_t i = 0; i < got; ++i) {
    hash_ ^= static_cast<unsigned char>(buf[i]);
    hash_ *= 1099511628211ull;
  }
  file_bytes_read_ += got;
  return got;
}

Result<size_t> InputStream::ReadDecompressed(char* buf, size_t n) {
  ZstdState& z = *zstd_;
  ZSTD_outBuffer out{buf, n, 0};
  while (out.pos == 0) {
    if (z.in_buf.pos == z.in_buf.size) {
      if (z.input_eof) {
        if (z.last_ret != 0) {
          return Status::Corruption(path_ + ": truncated zstd stream (ends inside a frame at byte " +
                                    std::to_string(file_bytes_read_) + ")");
        }
        return size_t{0};
      }
      Result<size_t> got = ReadRaw(z.in.data(), z.in.size());
      if (!got.ok()) return got.status();
      if (*got == 0) {
        z.input_eof = true;
        continue;
      }
      z.in_buf = ZSTD_inBuffer{z.in.data(), *got, 0};
    }
    size_t ret = ZSTD_decompressStream(z.dctx, &out, &z.in_buf);
    if (ZSTD_isError(ret)) {
      return Status::Corruption(path_ + ": zstd error near compressed byte " +
                                std::to_string(file_bytes_read_) + ": " + ZSTD_getErrorName(ret));
    }
    z.last_ret = ret;
  }
  return out.pos;
}

Result<size_t> InputStream::Read(char* buf, size_t n) {
  if (!peeked_.empty()) {
    size_t take = std::min(n, peeked_.size());
    std::memcpy(buf, peeked_.data(), take);
    peeked_.erase(0, take);
    return take;
  }
  return zstd_ ? ReadDecompressed(buf, n) : ReadRaw(buf, n);
}

Result<std::string> InputStream::Peek(size_t n) {
  while (peeked_.size() < n) {
    std::string chunk(n - peeked_.size(), '\0');
    Result<size_t> got = zstd_ ? ReadDecompressed(chunk.data(), chunk.size())
                               : ReadRaw(chunk.data(), chunk.size());
    if (!got.ok()) return got.status();
    if (*got == 0) break;
    peeked_.append(chunk.data(), *got);
  }
  return peeked_.substr(0, n);
}

}  // namespace hark
