// hark-bench-queries: runs a bench/make_queries.py file against a hark index in one
// process, the way a notebook or `hark serve` would (the index opened once), and times
// every query: search lines as `hark search --exact --format json` (top 10 with snippets
// and an exact total), journey lines as `hark journey --format json`, trend lines as
// `hark trend QUERY --format json` and trend-brand lines as `hark trend --brand B --format
// json` (by day over the whole index). Output is rendered to memory, not printed.
//
//   hark-bench-queries --index DIR --queries Q.tsv --out TIMES.tsv [--warmup N]
//                      [--estimated] [--no-snippets]
//
// --estimated and --no-snippets take the exact total or the snippets out of every search
// (what each costs).
// The first N search lines (default 100) are run once untimed; then every line is timed.
// TIMES.tsv: line number, kind, milliseconds, total (search: matches; journey: messages;
// trend: messages in the series). Prints to stderr the time to open the index, the sum of
// the timed queries, the process's wall time (which also has the warm-up and the reading
// of totals from the outputs), and per kind the count, p50, p99 and sum. Exit 1 on any
// error.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "query/journey.h"
#include "query/search.h"
#include "query/trend.h"
#include "storage/index.h"
#include "storage/time_parse.h"

namespace hark {
namespace {

struct Line {
  size_t number = 0;
  std::string kind, query, brand, from, to;  // the FTS5 column is not hark's
};

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "hark-bench-queries: %s\n", what.c_str());
  std::exit(1);
}

std::vector<Line> ReadLines(const std::string& path) {
  std::ifstream in(path);
  if (!in) Fail("cannot open " + path);
  std::vector<Line> lines;
  std::string text;
  for (size_t n = 1; std::getline(in, text); ++n) {
    std::vector<std::string> cols;
    std::stringstream ss(text);
    for (std::string col; std::getline(ss, col, '\t');) cols.push_back(col);
    cols.resize(6);
    lines.push_back({n, cols[0], cols[1], cols[3], cols[4], cols[5]});
  }
  return lines;
}

bool IsSearch(const std::string& kind) {
  return kind == "term" || kind == "and" || kind == "phrase" || kind == "filtered";
}

int64_t TimeOf(const Line& line, const std::string& iso) {
  int64_t t = 0;
  std::string error;
  if (!ParseTime(iso, &t, &error)) Fail("line " + std::to_string(line.number) + ": " + error);
  return t;
}

// What a search line asks for beyond the query (hark search's --exact and --no-snippets).
struct SearchMode {
  bool exact = true;
  bool snippets = true;
};

// Runs one line; returns its JSON output.
std::string RunLine(IndexReader& index, const Line& line, const SearchMode& mode) {
  RenderOptions render;
  render.format = OutputFormat::kJson;
  std::ostringstream out;
  Status s;
  if (IsSearch(line.kind)) {
    SearchRequest req;
    req.query = line.query;
    req.exact = mode.exact;
    req.snippets = mode.snippets;
    if (!line.brand.empty()) req.filters["brand"] = {line.brand};
    if (!line.from.empty()) req.from = TimeOf(line, line.from);
    if (!line.to.empty()) req.to = TimeOf(line, line.to);
    s = RunSearch(index, req, render, out);
  } else if (line.kind == "journey") {
    JourneyRequest req;
    req.customer = line.query;
    s = RunJourney(index, req, render, out);
  } else if (line.kind == "trend" || line.kind == "trend-brand") {
    TrendRequest req;
    if (line.kind == "trend") req.queries = {line.query};
    if (line.kind == "trend-brand") req.brands = {line.brand};
    s = RunTrend(index, req, render, out);
  } else {
    Fail("line " + std::to_string(line.number) + ": unknown kind '" + line.kind + "'");
  }
  if (!s.ok()) Fail("line " + std::to_string(line.number) + " (" + line.query + "): " + s.ToString());
  return out.str();
}

// The total of a line's output (see the file comment); read after the timing.
uint64_t TotalOf(const Line& line, const std::string& output) {
  const nlohmann::json j = nlohmann::json::parse(output);
  if (line.kind == "journey") return j["messages"].size();
  if (line.kind == "trend" || line.kind == "trend-brand") return j["series"][0]["total"].get<uint64_t>();
  return j["total"].get<uint64_t>();
}

int Main(int argc, char** argv) {
  std::string index_dir, queries, out_path;
  size_t warmup = 100;
  SearchMode mode;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Fail(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--index") {
      index_dir = value();
    } else if (arg == "--queries") {
      queries = value();
    } else if (arg == "--out") {
      out_path = value();
    } else if (arg == "--warmup") {
      const std::string v = value();
      char* end = nullptr;
      warmup = std::strtoul(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0') Fail("--warmup expects a number of queries, got '" + v + "'");
    } else if (arg == "--estimated") {
      mode.exact = false;
    } else if (arg == "--no-snippets") {
      mode.snippets = false;
    } else if (arg == "--help" || arg == "-h") {
      std::printf("usage: hark-bench-queries --index DIR --queries Q.tsv --out TIMES.tsv [--warmup N]\n"
                  "                          [--estimated] [--no-snippets]\n"
                  "Times every line of a bench/make_queries.py file against a hark index (see bench/README.md).\n");
      return 0;
    } else {
      Fail("unknown argument '" + arg + "' (see --help)");
    }
  }
  if (index_dir.empty() || queries.empty() || out_path.empty()) Fail("--index, --queries and --out are required");
  const auto start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<IndexReader>> index = IndexReader::Open(index_dir);
  if (!index.ok()) Fail(index.status().ToString());
  const double open_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::vector<Line> lines = ReadLines(queries);

  size_t warmed = 0;
  for (const Line& line : lines) {
    if (warmed >= warmup) break;
    if (IsSearch(line.kind)) {
      (void)RunLine(**index, line, mode);
      ++warmed;
    }
  }
  std::ofstream out(out_path);
  std::map<std::string, std::vector<double>> by_kind;
  for (const Line& line : lines) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::string output = RunLine(**index, line, mode);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    out << line.number << '\t' << line.kind << '\t' << ms << '\t' << TotalOf(line, output) << '\n';
    by_kind[line.kind].push_back(ms);
  }
  out.close();
  if (!out) Fail("cannot write " + out_path);
  double timed_s = 0;
  for (const auto& [kind, ms] : by_kind) {
    for (double v : ms) timed_s += v / 1000;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "hark-bench-queries: %zu queries, open %.3f s, timed %.2f s, wall %.2f s\n", lines.size(),
               open_s, timed_s, wall);
  for (auto& [kind, ms] : by_kind) {
    std::sort(ms.begin(), ms.end());
    double sum = 0;
    for (double v : ms) sum += v;
    std::fprintf(stderr, "  %-12s n=%zu p50=%.3f ms p99=%.3f ms sum=%.2f s\n", kind.c_str(), ms.size(),
                 ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)], sum / 1000);
  }
  return 0;
}

}  // namespace
}  // namespace hark

int main(int argc, char** argv) { return hark::Main(argc, argv); }
