// libFuzzer target: the zstd stream path of indexer/input.cc under format detection
// (DetectFormat peeks through the decompressor) and whichever reader it picks.
//
// An input that starts with the zstd magic number is the .zst file itself: corrupt,
// truncated, multi-frame and skippable frames reach the decoder as they are. Any other
// input is the decompressed content: it is written as two zstd frames (its halves,
// compressed without a content size, as Pushshift's are), and what the readers make of
// it must be exactly what they make of the same bytes in a plain file.
#include <zstd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tests/fuzz/fuzz_support.h"

namespace {

// Appends `data` to *out as one zstd frame written by the streaming API.
void AppendFrame(ZSTD_CCtx* cctx, std::string_view data, std::string* out) {
  ZSTD_CCtx_reset(cctx, ZSTD_reset_session_only);
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  std::string chunk(ZSTD_CStreamOutSize(), '\0');
  for (;;) {
    ZSTD_outBuffer buf{chunk.data(), chunk.size(), 0};
    size_t left = ZSTD_compressStream2(cctx, &buf, &in, ZSTD_e_end);
    if (ZSTD_isError(left)) {
      std::fprintf(stderr, "zstd compression failed: %s\n", ZSTD_getErrorName(left));
      std::abort();
    }
    out->append(chunk.data(), buf.pos);
    if (left == 0) break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static ZSTD_CCtx* const cctx = [] {
    ZSTD_CCtx* c = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 1);
    ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 0);
    return c;
  }();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (input.substr(0, 4) == "\x28\xB5\x2F\xFD") {
    hark::fuzz::FuzzReader(data, size, hark::Format::kAuto, hark::ReaderOptions());
    return 0;
  }
  std::string file;
  AppendFrame(cctx, input.substr(0, size / 2), &file);
  AppendFrame(cctx, input.substr(size / 2), &file);
  hark::fuzz::ReadOutcome compressed = hark::fuzz::FuzzReader(
      reinterpret_cast<const uint8_t*>(file.data()), file.size(), hark::Format::kAuto, hark::ReaderOptions());
  // The plain read's own block cutting is the other targets' business: one read here.
  hark::fuzz::InputFile::Get().Write(input);
  hark::ReaderOptions whole;
  whole.block_bytes = size_t{16} << 20;
  hark::fuzz::ReadOutcome plain = hark::fuzz::ReadAll(hark::fuzz::InputFile::Get().path(), hark::Format::kAuto, whole);
  hark::fuzz::Touch(plain);
  hark::fuzz::CheckSame(compressed, plain, "reads of the zstd file and of its plain content");
  return 0;
}
