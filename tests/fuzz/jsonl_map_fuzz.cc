// libFuzzer target: the JSONL reader through a --map FieldMap (indexer/jsonl_reader.cc,
// LookupJson's dotted paths). The mapping fits Pushshift comments and submissions (the
// seeds) and maps the other fields to keys and paths the fuzzer can add.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tests/fuzz/fuzz_support.h"

namespace {

hark::ReaderOptions MappedOptions() {
  hark::Result<hark::FieldMap> map = hark::ParseFieldMap(
      "id=id,time=created_utc,text=body,title=title,author=author,brand=subreddit,parent=parent_id,"
      "thread=link_id,score=score,accepted=stickied,tags=tags,role=user.role,channel=meta.channel.0,"
      "source=meta.source");
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
  hark::fuzz::FuzzReader(data, size, hark::Format::kJsonl, options);
  return 0;
}
