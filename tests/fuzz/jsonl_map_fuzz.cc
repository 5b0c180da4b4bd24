// libFuzzer target: the JSONL reader through a --map FieldMap (indexer/jsonl_reader.cc,
// LookupJson's dotted paths). The mapping fits Pushshift comments and submissions (the
// seeds) and maps the other fields to keys and paths the fuzzer can add.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const hark::ReaderOptions options = hark::fuzz::MappedOptions(
      "id=id,time=created_utc,text=body,title=title,author=author,brand=subreddit,parent=parent_id,"
      "thread=link_id,score=score,accepted=stickied,tags=tags,role=user.role,channel=meta.channel.0,"
      "source=meta.source");
  hark::fuzz::FuzzReader(data, size, hark::Format::kJsonl, options);
  return 0;
}
