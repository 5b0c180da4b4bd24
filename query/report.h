// `hark report`: one self-contained HTML page (inline CSS, inline SVG charts, a few
// lines of inline JavaScript to sort tables; nothing fetched) that sums up an index for
// people who will not run the commands themselves: volume over time with its spikes and
// their drivers, share of voice and sentiment by brand, first-response times by brand,
// the top knowledge-base entries and gaps, and, when steps are given, a journeys
// pattern.
//
// Every number comes from the query family that owns it, called here as `hark trend
// --spikes`, `hark mentions`, `hark care --by brand`, `hark kb` (and `--gaps`) and `hark
// journeys` would call it; the report computes nothing of its own but the bucket size.
// Which options each section honours is part of the contract (ReportRequest). Stateless
// functions; the IndexReader is not thread-safe.
#ifndef HARK_QUERY_REPORT_H_
#define HARK_QUERY_REPORT_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "query/care.h"
#include "query/journeys.h"
#include "query/kb.h"
#include "query/mentions.h"
#include "query/time_bucket.h"
#include "query/trend.h"
#include "storage/index.h"

namespace hark {

struct ReportRequest {
  std::string index_dir;            // shown in the header
  // Every section: messages (trend, mentions), questions (kb), conversations by their
  // first customer message (care) and steps (journeys) in [from, to].
  std::optional<int64_t> from, to;
  std::optional<BucketUnit> by;     // volume and mentions over time; default: by span (AutoBucketUnit)
  std::string brands_path;          // share of voice and sentiment: a lexicon; "" = the index's own
  std::string query;                // volume, mentions and kb only (care and journeys have no query)
  std::vector<std::string> steps;   // journeys section, only when given
  int64_t within = 0;               // journeys: seconds between steps, 0 = any
  size_t chart_brands = 15;         // brands drawn in a chart (the tables list all)
  size_t kb_entries = 10;           // knowledge-base entries and gaps listed
  size_t journey_customers = 10;    // matching customers listed
  std::string command_line;         // the options as given, shown in the header
};

// The bucket for a span of `seconds`: hours up to 3 days, days up to 120 days, weeks up
// to 3 years, months beyond (about 72 to 160 buckets at most, readable in one chart).
BucketUnit AutoBucketUnit(int64_t seconds);

// Without --from and --to the report covers the index's whole time range, unless a few
// stray messages stretch it far beyond where the messages are (a 2011 tweet in a 2017
// archive would leave every chart a flat line with one spike at its end). Then it covers
// the dense part: the days from the one where the first 0.5% of the messages (by the
// per-day counters) is passed to the one where the last 0.5% begins, each end widened
// to the index's own end when that adds at most half the dense span. The header says
// so, with how many messages fall outside. Returns false (cover everything) when no
// end is left out.
bool DenseRange(const std::map<int64_t, uint64_t>& per_day, int64_t first, int64_t last, int64_t* from, int64_t* to);

// What the page shows, gathered from the query families. A section whose data is absent
// says why in its `*_note`.
struct ReportData {
  std::string index_dir, command_line, generated_at, hark_version;
  uint64_t generation = 0, records = 0;
  int64_t first_time = 0, last_time = 0;  // the index's first and last message
  int64_t from = 0, to = 0;               // the report's range (see DenseRange without --from / --to)
  bool range_dense = false;               // the range is the index's dense part, not all of it
  uint64_t range_messages = 0, all_messages = 0;  // with range_dense: messages inside it, and in all
  BucketUnit by = BucketUnit::kDay;
  bool by_auto = true;
  std::string query, brands_path;
  size_t chart_brands = 15;

  TrendAnalysis volume;                   // one series ("" or the query), with spikes
  std::string volume_note;

  std::optional<MentionsReport> mentions; // with `by` series for the brands over time
  std::string mentions_note;

  std::vector<CareRow> care;              // by brand, conversations descending
  std::optional<CareRow> care_total;
  std::string care_note;

  KbReport kb, gaps;

  bool journeys_requested = false;
  std::vector<std::string> steps;
  int64_t within = 0;
  std::vector<uint64_t> funnel;           // customers matching steps 1..k, for each k
  JourneysReport journeys;                // the whole pattern, first `journey_customers`
  std::vector<std::vector<Record>> journey_messages;  // per listed customer, one per step
};

// Gathers every section. Invalid options (a bad lexicon file, a query the parser
// rejects, --from after --to) are InvalidArgument.
[[nodiscard]] Status ComputeReport(IndexReader& index, const ReportRequest& request, ReportData* out);

// The whole HTML document. Every text from the data is escaped; the page references no
// URL (no http(s) in src, href or url()).
std::string RenderReportHtml(const ReportData& data);

// Writes `content` to `path` atomically: a temporary file beside it, fsync, rename. On
// failure nothing is left behind (no partial file, no temporary) and the status names
// `path`.
[[nodiscard]] Status WriteReportFile(const std::string& path, const std::string& content);

}  // namespace hark

#endif  // HARK_QUERY_REPORT_H_
