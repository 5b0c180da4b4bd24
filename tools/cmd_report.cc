// hark report: one self-contained HTML page with charts and tables over an index.
#include <iostream>

#include "query/report.h"
#include "storage/brand_lexicon.h"
#include "tools/command.h"

namespace hark::tools {

int RunReport(const std::vector<std::string>& args) {
  static const char kUsage[] =
      "usage: hark report --out FILE.html [--from T] [--to T] [--by hour|day|week|month] [--brands FILE]\n"
      "                   [--query Q] [--step QUERY --step QUERY ... [--within DURATION]] [--index DIR]\n\n"
      "One self-contained HTML file (inline CSS, SVG charts and a few lines of script to sort tables; nothing is\n"
      "fetched, it opens in any browser offline) with these sections, each computed as its command computes it:\n"
      "  section                                computed as                options it honours\n"
      "  volume over time, spikes and drivers   (hark trend --spikes)      --from --to --by --query\n"
      "  share of voice and sentiment by brand  (hark mentions)            --from --to --by --query --brands\n"
      "  first-response times by brand          (hark care --by brand)     --from --to\n"
      "  knowledge-base entries and gaps        (hark kb, hark kb --gaps)  --from --to --query\n"
      "  journeys pattern, only with --step     (hark journeys)            --from --to --step --within\n"
      "Without --from / --to the report covers the index's time range, or only its dense part when a few stray\n"
      "messages lie far outside it (the header says so and how many are left out).\n"
      "Without --by the buckets follow the span: hours up to 3 days, days up to 120, weeks up to 3 years, then\n"
      "months. The file is written atomically (a temporary file beside it, then renamed).";
  std::string index, out_path, from, to, by, within;
  ReportRequest req;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help")
      ("index", po::value(&index)->default_value(DefaultIndexDir()), "index directory ($HARK_INDEX)")
      ("out,o", po::value(&out_path)->required(), "the HTML file to write")
      ("from", po::value(&from), "first time covered (a date: that day's start, UTC)")
      ("to", po::value(&to), "last time covered (a date includes its day)")
      ("by", po::value(&by), "buckets of the charts over time: hour, day, week or month (default: by span)")
      ("brands", po::value(&req.brands_path), "brand lexicon (JSON); default: the one stored in the index")
      ("query", po::value(&req.query), "only messages matching this query (Xapian syntax) in volume, brands and kb")
      ("step", po::value(&req.steps), "a journeys step query (repeatable, in order): adds the journeys section")
      ("within", po::value(&within), "journeys: most time between two steps (30m, 12h, 1d, 2w)")
      ("kb-entries", po::value(&req.kb_entries)->default_value(req.kb_entries), "knowledge-base entries and gaps listed")
      ("chart-brands", po::value(&req.chart_brands)->default_value(req.chart_brands),
       "brands drawn in a chart (the tables list every one)");
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(args, desc, po::positional_options_description(), kUsage, &vm, &exit)) return exit;
  if (out_path.empty()) {
    std::cerr << "hark report: --out needs a file name\n";
    return kExitUsage;
  }
  if (!by.empty()) {
    Result<BucketUnit> unit = ParseBucketUnit(by);
    if (!unit.ok()) {
      std::cerr << "hark report: " << unit.status().message() << "\n";
      return kExitUsage;
    }
    req.by = *unit;
  }
  if (!ParseTimeBound("report", from, false, &req.from) || !ParseTimeBound("report", to, true, &req.to)) {
    return kExitUsage;
  }
  if (req.from && req.to && *req.from > *req.to) {
    std::cerr << "hark report: --from " << from << " is after --to " << to << "\n";
    return kExitUsage;
  }
  if (!within.empty() && !ParseDuration(within, &req.within)) {
    std::cerr << "hark report: --within wants a duration such as 30m, 12h, 1d or 2w (got '" << within << "')\n";
    return kExitUsage;
  }
  if (!within.empty() && req.steps.empty()) {
    std::cerr << "hark report: --within goes with --step\n";
    return kExitUsage;
  }
  if (req.chart_brands == 0) {
    std::cerr << "hark report: --chart-brands must be at least 1\n";
    return kExitUsage;
  }
  if (!req.brands_path.empty()) {  // a lexicon that cannot be read is a bad option, found before any work
    Result<BrandLexicon> lexicon = BrandLexicon::FromFile(req.brands_path);
    if (!lexicon.ok()) {
      std::cerr << "hark report: --brands: " << lexicon.status().message() << "\n";
      return kExitUsage;
    }
  }
  req.index_dir = index;
  for (const std::string& a : args) {
    const bool plain = !a.empty() && a.find_first_of(" \t\n'\"\\$`;&|<>()*?") == std::string::npos;
    std::string quoted = "'";
    for (char c : a) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    req.command_line += (req.command_line.empty() ? "" : " ") + (plain ? a : quoted + "'");
  }
  std::unique_ptr<IndexReader> reader = OpenForQuery(index);
  if (!reader) return kExitFailure;
  ReportData data;
  Status s = ComputeReport(*reader, req, &data);
  if (!s.ok()) return Fail("report", s);
  const std::string html = RenderReportHtml(data);
  s = WriteReportFile(out_path, html);
  if (!s.ok()) return Fail("report", s);
  std::cout << "wrote " << out_path << " (" << html.size() << " bytes)\n";
  return kExitOk;
}

}  // namespace hark::tools
