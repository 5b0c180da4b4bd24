// libFuzzer target: the generic CSV reader through a --map FieldMap
// (indexer/csv_reader.cc, indexer/csv.cc), with the airline-sentiment tweets' columns.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/fuzz_support.h"

namespace {

hark::ReaderOptions MappedOptions() {
  hark::Result<hark::FieldMap> map = hark::ParseFieldMap(
      "id=tweet_id,time=tweet_created,text=text,author=name,brand=airline,score=retweet_count,"
      "tags=negativereason,channel=user_timezone");
  if (!map.ok()) {
    std::fprintf(stderr, "%s\n", map.status().ToString().c_str());
    std::abort();
  }
  hark::ReaderOptions options;
  options.map = *map;
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const hark::ReaderOptions options = MappedOptions();
  hark::fuzz::FuzzReader(data, size, hark::Format::kCsv, options);
  return 0;
}
