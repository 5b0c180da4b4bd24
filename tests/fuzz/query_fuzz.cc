// libFuzzer target: the query front end. A small real index (the first 600 lines of
// corpora/twcs-head-5k.csv, ingested with the TWCS brand lexicon) is built once; each
// input is then run against it twice through IndexReader::Search and CollectMatches:
//   1. the whole input as the query string (Xapian syntax, hark's field and date-range
//      processors: author:x brand:x date:2017-10 2017-10-01..2017-10-31 ...);
//   2. split into lines: the first line is the query, every other line is key=value:
//      from= / to= (a time, parsed as `hark search --from/--to` does), sort=, offset=,
//      limit=, facet=, collapse=, exact=, snippets=, length=; any other key is a filter
//      (brand=, channel=, sentiment=negative, ... unknown fields included); a line
//      without '=' is more query.
// The second request is also rendered as text, JSON and CSV (query/search.h).
// A query may be refused (InvalidArgument); any other error from a healthy index is a
// bug and aborts, as do exceptions (they would escape the CLI).
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/ingest.h"
#include "query/search.h"
#include "storage/index.h"
#include "storage/time_parse.h"

namespace {

namespace fs = std::filesystem;

constexpr int kCorpusLines = 600;

std::string* g_dir = nullptr;                       // the temporary directory
std::unique_ptr<hark::IndexReader>* g_index = nullptr;
volatile uint64_t g_sink = 0;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "hark fuzz check failed: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

// At exit: removes the index directory. The reader stays open (and reachable, so no
// leak): statics that RocksDB and Xapian made after this handler was registered are
// already destroyed when it runs, and closing the reader would touch them.
void RemoveIndex() {
  if (g_dir != nullptr) {
    std::error_code ec;
    fs::remove_all(*g_dir, ec);
  }
}

void TouchBytes(std::string_view s) {
  uint64_t h = g_sink;
  for (char c : s) h = h * 31 + static_cast<unsigned char>(c);
  g_sink = h;
}

void TouchRecord(const hark::Record& r) {
  for (const std::string* s : {&r.source, &r.id, &r.channel, &r.author, &r.brand, &r.parent, &r.thread,
                               &r.title, &r.text, &r.accepted_answer}) {
    TouchBytes(*s);
  }
  for (const std::string& t : r.tags) TouchBytes(t);
  for (const std::string& m : r.mentions) TouchBytes(m);
  g_sink = g_sink + r.recno + static_cast<uint64_t>(r.time) + r.flags;
}

// A refused query is fine; anything else is not.
void CheckStatus(const hark::Status& s, const char* what) {
  if (!s.ok() && s.code() != hark::Status::Code::kInvalidArgument) Die(std::string(what) + ": " + s.ToString());
  TouchBytes(s.message());
}

void Run(const hark::SearchRequest& req, bool render) {
  hark::IndexReader& index = **g_index;
  hark::Result<hark::SearchResponse> resp = index.Search(req);
  CheckStatus(resp.status(), "Search");
  if (resp.ok()) {
    if (resp->hits.size() > req.limit) Die("Search returned more hits than the limit");
    for (const hark::SearchHit& h : resp->hits) {
      TouchRecord(h.record);
      TouchBytes(h.snippet);
      g_sink = g_sink + h.rank + h.collapsed;
    }
    for (const auto& [field, values] : resp->facets) {
      TouchBytes(field);
      for (const auto& [value, count] : values) {
        TouchBytes(value);
        g_sink = g_sink + count;
      }
    }
    TouchBytes(resp->parsed_query);
  }
  std::vector<hark::MatchRow> rows;
  hark::Status collected = index.CollectMatches(req, &rows);
  CheckStatus(collected, "CollectMatches");
  // CollectMatches ignores facets (storage/index.h): with a bad facet only Search refuses.
  const bool facets_known = std::all_of(req.facets.begin(), req.facets.end(), [](const std::string& f) {
    return f == "author" || f == "brand" || f == "channel" || f == "role" || f == "source";
  });
  if (facets_known && collected.ok() != resp.ok()) {
    Die("Search and CollectMatches disagree on whether the query is valid: " + resp.status().ToString() +
        " vs " + collected.ToString());
  }
  if (collected.ok() && resp.ok() && req.offset == 0 && resp->exact && rows.size() != resp->total &&
      !req.collapse_thread) {
    Die("CollectMatches found " + std::to_string(rows.size()) + " matches, Search exactly " +
        std::to_string(resp->total));
  }
  for (const hark::MatchRow& row : rows) {
    TouchBytes(row.author);
    TouchBytes(row.thread);
    g_sink = g_sink + row.recno + static_cast<uint64_t>(row.time);
  }
  if (!render) return;
  for (hark::OutputFormat format : {hark::OutputFormat::kText, hark::OutputFormat::kJson, hark::OutputFormat::kCsv}) {
    hark::RenderOptions options;
    options.format = format;
    options.ansi = format == hark::OutputFormat::kText;
    std::ostringstream out;
    CheckStatus(hark::RunSearch(index, req, options, out), "RunSearch");
    TouchBytes(out.str());
  }
}

// "123" -> 123; anything else -> fallback.
uint64_t Number(const std::string& s, uint64_t fallback) {
  if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) return fallback;
  return std::stoull(s);
}

hark::SearchRequest SplitRequest(std::string_view input) {
  hark::SearchRequest req;
  req.limit = 5;
  size_t pos = 0;
  bool first = true;
  while (pos <= input.size()) {
    size_t nl = input.find('\n', pos);
    if (nl == std::string_view::npos) nl = input.size();
    std::string line(input.substr(pos, nl - pos));
    pos = nl + 1;
    size_t eq = line.find('=');
    if (first || eq == std::string::npos) {
      req.query += (req.query.empty() ? "" : " ") + line;
      first = false;
      continue;
    }
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "from" || key == "to") {
      int64_t t = 0;
      std::string error;
      if (!hark::ParseTime(value, &t, &error)) {
        TouchBytes(error);
        continue;
      }
      if (key == "to" && value.size() == 10) t += 86399;  // a date includes its whole day
      (key == "from" ? req.from : req.to) = t;
    } else if (key == "sort") {
      req.sort = value == "newest" ? hark::SortOrder::kNewest
                 : value == "oldest" ? hark::SortOrder::kOldest
                                     : hark::SortOrder::kRelevance;
    } else if (key == "offset") {
      req.offset = Number(value, 0);
    } else if (key == "limit") {
      req.limit = std::min<uint64_t>(Number(value, 5), 50);
    } else if (key == "facet") {
      req.facets.push_back(value);
    } else if (key == "collapse") {
      req.collapse_thread = true;
    } else if (key == "exact") {
      req.exact = true;
    } else if (key == "snippets") {
      req.snippets = value != "0";
    } else if (key == "length") {
      req.snippet_length = std::min<uint64_t>(Number(value, 200), 1000);
    } else {
      req.filters[key].push_back(value);
    }
  }
  return req;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  std::string tmpl = (fs::temp_directory_path() / "hark-fuzz-query-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) Die("mkdtemp failed");
  g_dir = new std::string(tmpl);
  g_index = new std::unique_ptr<hark::IndexReader>();
  std::atexit(RemoveIndex);

  const std::string corpus = std::string(HARK_SOURCE_DIR) + "/corpora/twcs-head-5k.csv";
  std::ifstream in(corpus, std::ios::binary);
  if (!in) Die("cannot read " + corpus);
  const std::string head_path = *g_dir + "/twcs-head.csv";
  std::ofstream head(head_path, std::ios::binary);
  std::string line;
  for (int i = 0; i < kCorpusLines && std::getline(in, line); ++i) head << line << '\n';
  head.close();

  hark::IngestOptions options;
  options.index_dir = *g_dir + "/index";
  options.files = {head_path};
  options.format = hark::Format::kTwcs;
  options.threads = 1;
  options.brands_path = std::string(HARK_SOURCE_DIR) + "/corpora/brands/twcs-brands.json";
  options.rejects_path = *g_dir + "/rejects.jsonl";
  options.progress = hark::Progress::Mode::kOff;
  hark::Result<hark::IngestReport> report = hark::RunIngest(options);
  if (!report.ok()) Die("ingest failed: " + report.status().ToString());
  if (report->exit_code != 0 || report->indexed == 0) Die("ingest failed: " + report->error);
  hark::Result<std::unique_ptr<hark::IndexReader>> reader = hark::IndexReader::Open(options.index_dir);
  if (!reader.ok()) Die("cannot open the index: " + reader.status().ToString());
  *g_index = std::move(*reader);
  std::fprintf(stderr, "hark query fuzz: index of %llu records in %s\n",
               static_cast<unsigned long long>(report->indexed), options.index_dir.c_str());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  hark::SearchRequest whole;
  whole.query = std::string(input);
  whole.limit = 5;
  whole.exact = true;
  whole.facets = {"brand", "author", "role"};
  Run(whole, /*render=*/false);
  Run(SplitRequest(input), /*render=*/true);
  return 0;
}
