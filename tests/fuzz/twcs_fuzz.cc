// libFuzzer target: the Kaggle TWCS CSV reader (indexer/twcs_reader.cc, indexer/csv.cc).
// Each input is one file, read to its end twice (small blocks and one block) by
// hark::fuzz::FuzzReader; the two reads must agree.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hark::fuzz::FuzzReader(data, size, hark::Format::kTwcs, hark::ReaderOptions());
  return 0;
}
