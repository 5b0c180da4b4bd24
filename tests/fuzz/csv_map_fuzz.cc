// libFuzzer target: the generic CSV reader through a --map FieldMap
// (indexer/csv_reader.cc, indexer/csv.cc), with the airline-sentiment tweets' columns.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const hark::ReaderOptions options = hark::fuzz::MappedOptions(
      "id=tweet_id,time=tweet_created,text=text,author=name,brand=airline,score=retweet_count,"
      "tags=negativereason,channel=user_timezone");
  hark::fuzz::FuzzReader(data, size, hark::Format::kCsv, options);
  return 0;
}
