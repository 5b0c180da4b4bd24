// hark trend: exact volume over time, spikes with their drivers, rising terms.
#include <iostream>

#include "query/trend.h"
#include "storage/time_parse.h"
#include "tools/command.h"

namespace hark::tools {
namespace {

// A bound of --from / --to / --vs. A bare date (YYYY-MM-DD) means that local day in the
// zone of --tz: its midnight, or its last second for an upper bound.
bool ParseZonedBound(const std::string& text, bool upper, const TimeZone& tz, std::optional<int64_t>* out,
                     std::ostream& err) {
  if (!ParseTimeBound("trend", text, upper, out, err)) return false;
  if (out->has_value() && text.size() == 10 && !tz.is_utc()) {
    int64_t day_start = upper ? **out - 86399 : **out;  // UTC midnight of that date
    *out = upper ? tz.FromLocal(day_start + 86400) - 1 : tz.FromLocal(day_start);
  }
  return true;
}

}  // namespace

int ParseTrend(const CommandIo& io, const std::vector<std::string>& args, QueryJob* job) {
  static const char kUsage[] =
      "usage: hark trend [QUERY ...] [--by hour|day|week|month] [--from T] [--to T] [--tz ZONE]\n"
      "                  [--brand B] [--channel C] [--mention B] [--sentiment CLASS] [--spikes [--window N] [--min-history N] [--threshold Z] [--min-count N]\n"
      "                  [--max-p P]]\n"
      "                  [--index DIR] [--format text|json|csv]\n"
      "       hark trend --rising --from A --to B --vs C..D [QUERY]\n\n"
      "One series per QUERY (Xapian syntax, as in hark search; none: every message), exact counts per bucket,\n"
      "empty buckets as zero, buckets in UTC unless --tz (an IANA zone such as America/New_York, or +05:30).\n"
      "--spikes: buckets far above the median of a trailing window, with the terms that drove them (log-likelihood\n"
      "against the window), top authors and example messages. --rising: terms and two-word phrases whose share\n"
      "rose most from period C..D to --from..--to, and new terms. Method: README.md, \"Trends\".";
  std::string format, by, from, to, tz_name, vs;
  std::vector<std::string> queries, brands, channels;
  TrendRequest req;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help");
  AddQueryOptions(&desc, &job->index, &format);
  desc.add_options()
      ("query", po::value(&queries), "a query (positional, repeatable)")
      ("by", po::value(&by)->default_value("day"), "bucket: hour, day, week (ISO, from Monday) or month")
      ("from", po::value(&from), "first time counted (a date: that day's start in --tz)")
      ("to", po::value(&to), "last time counted (a date includes its day)")
      ("tz", po::value(&tz_name)->default_value("UTC"), "time zone of the buckets: UTC, an IANA name, or +HH:MM")
      ("brand", po::value(&brands), "only messages of this brand (repeatable: any of them)")
      ("channel", po::value(&channels), "only messages on this channel (repeatable)")
      ("mention", po::value(&req.mentions), "only messages mentioning this brand (repeatable)")
      ("sentiment", po::value(&req.sentiments), "only messages of this sentiment class: positive, neutral, negative (repeatable)")
      ("spikes", po::bool_switch(&req.spikes), "find spikes and what drove them")
      ("window", po::value(&req.spike.window)->default_value(0),
       "trailing buckets of the spike baseline (0: 168 hours, 28 days, 12 weeks, 12 months)")
      ("min-history", po::value(&req.spike.min_history)->default_value(0),
       "baseline buckets a bucket needs before it is judged (0: 24 hours, 7 days, 4 weeks, 3 months, at most --window)")
      ("threshold", po::value(&req.spike.threshold)->default_value(req.spike.threshold),
       "robust z-score a spike needs")
      ("min-count", po::value(&req.spike.min_count)->default_value(req.spike.min_count),
       "messages a spike bucket needs at least")
      ("max-p", po::value(&req.spike.max_p)->default_value(req.spike.max_p),
       "a spike's distinct conversations need P(X >= n) <= this under Poisson(window mean) (1: off)")
      ("rising", po::bool_switch(&req.rising), "terms rising from --vs to --from..--to")
      ("vs", po::value(&vs), "the earlier period of --rising: C..D")
      ("terms", po::value(&req.terms)->default_value(req.terms), "terms per spike / rising list")
      ("sample", po::value(&req.sample)->default_value(req.sample),
       "most messages read for one term set (evenly spaced; counts stay exact)");
  po::positional_options_description pos;
  pos.add("query", -1);
  po::variables_map vm;
  int exit = 0;
  if (ParseArgs(io, args, desc, pos, kUsage, &vm, &exit)) return exit;

  Result<BucketUnit> unit = ParseBucketUnit(by);
  if (!unit.ok()) {
    io.err << "hark trend: " << unit.status().message() << "\n";
    return kExitUsage;
  }
  req.by = *unit;
  Result<TimeZone> tz = TimeZone::Load(tz_name);
  if (!tz.ok()) {
    io.err << "hark trend: " << tz.status().message() << "\n";
    return kExitUsage;
  }
  req.tz = tz_name;
  if (!ParseZonedBound(from, false, *tz, &req.from, io.err) || !ParseZonedBound(to, true, *tz, &req.to, io.err)) return kExitUsage;
  if (req.from && req.to && *req.from > *req.to) {
    io.err << "hark trend: --from " << from << " is after --to " << to << "\n";
    return kExitUsage;
  }
  if (!vs.empty()) {
    size_t dots = vs.find("..");
    if (dots == std::string::npos || !ParseZonedBound(vs.substr(0, dots), false, *tz, &req.vs_from, io.err) ||
        !ParseZonedBound(vs.substr(dots + 2), true, *tz, &req.vs_to, io.err) || !req.vs_from || !req.vs_to) {
      io.err << "hark trend: --vs wants a period C..D, such as 2017-09-01..2017-09-30 (got '" << vs << "')\n";
      return kExitUsage;
    }
  }
  if (req.rising && (!req.from || !req.to || !req.vs_from)) {
    io.err << "hark trend: --rising needs --from, --to and --vs C..D\n";
    return kExitUsage;
  }
  if (!req.rising && !vs.empty()) {
    io.err << "hark trend: --vs goes with --rising\n";
    return kExitUsage;
  }
  if (req.rising && (req.spikes || queries.size() > 1)) {
    io.err << "hark trend: --rising takes at most one QUERY and no --spikes\n";
    return kExitUsage;
  }
  if (req.sample == 0) {
    io.err << "hark trend: --sample must be at least 1\n";
    return kExitUsage;
  }
  req.queries = queries;
  req.brands = brands;
  req.channels = channels;
  RenderOptions render;
  if (!ResolveRender(format, &render, io.err)) return kExitUsage;
  job->run = [=](IndexReader& index, std::ostream& out) { return hark::RunTrend(index, req, render, out); };
  return kExitOk;
}

}  // namespace hark::tools
