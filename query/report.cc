#include "query/report.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "query/output.h"
#include "query/report_svg.h"
#include "storage/time_parse.h"

namespace hark {
namespace {

using report::Duration;
using report::Escape;
using report::Number;

constexpr int64_t kDay = 86400;
constexpr char kPositive[] = "#59a14f", kNeutral[] = "#c9c4bd", kNegative[] = "#e15759";

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

double Share(uint64_t n, uint64_t of) { return of == 0 ? 0.0 : static_cast<double>(n) / static_cast<double>(of); }

std::string Percent(double share, int decimals = 1) { return Number(100 * share, decimals) + "%"; }

std::string Signed(double v) { return (v > 0 ? "+" : "") + Number(v, 3); }

// ---- Gathering.

Status GatherJourneys(IndexReader& index, const ReportRequest& req, std::optional<int64_t> from,
                      std::optional<int64_t> to, ReportData* out) {
  out->journeys_requested = true;
  out->steps = req.steps;
  out->within = req.within;
  for (size_t k = 1; k <= req.steps.size(); ++k) {
    JourneysRequest jr;
    jr.steps.assign(req.steps.begin(), req.steps.begin() + static_cast<std::ptrdiff_t>(k));
    jr.within = req.within;
    jr.from = from;
    jr.to = to;
    jr.limit = k == req.steps.size() ? req.journey_customers : 0;
    JourneysReport r;
    HARK_RETURN_IF_ERROR(ComputeJourneys(index, jr, &r));
    out->funnel.push_back(r.total);
    if (k == req.steps.size()) out->journeys = std::move(r);
  }
  for (const JourneyMatch& m : out->journeys.customers) {
    std::vector<uint64_t> recnos;
    for (const StepMatch& s : m.chain) recnos.push_back(s.recno);
    out->journey_messages.emplace_back();
    HARK_RETURN_IF_ERROR(index.GetMany(recnos, &out->journey_messages.back()));
  }
  return Status::Ok();
}

// ---- Rendering.

// A sortable table: header cells, then rows of cells. A cell's `sort` value (a number
// as text) orders it when given; else its text does.
struct Cell {
  std::string html;  // already escaped
  std::string sort;  // "" = by text
  bool text = false;  // free text from the data: may be right-to-left
  bool long_text = false;  // a message or an answer: wraps anywhere
};

Cell Num(uint64_t n) { return {GroupedCount(n), std::to_string(n)}; }
Cell NumD(double v, const std::string& shown) { return {Escape(shown), Number(v, 6)}; }
Cell Txt(const std::string& s) { return {Escape(s), "", true}; }
Cell LongTxt(const std::string& html) { return {html, "", true, true}; }

std::string Table(const std::string& id, const std::vector<std::string>& headers, const std::vector<bool>& numeric,
                  const std::vector<std::pair<std::string, std::vector<Cell>>>& rows) {
  std::string h = "<div class=\"table-wrap\"><table class=\"sortable\" id=\"" + Escape(id) + "\"><thead><tr>";
  for (size_t i = 0; i < headers.size(); ++i) {
    h += std::string("<th scope=\"col\"") + (numeric[i] ? " class=\"num\"" : "") + " title=\"Click to sort\">" +
         Escape(headers[i]) + "</th>";
  }
  h += "</tr></thead><tbody>";
  for (const auto& [key, cells] : rows) {
    h += "<tr data-key=\"" + Escape(key) + "\">";
    for (size_t i = 0; i < cells.size(); ++i) {
      h += "<td";
      if (i < numeric.size() && numeric[i]) h += " class=\"num\"";
      if (cells[i].long_text) h += " class=\"long\"";
      if (cells[i].text) h += " dir=\"auto\"";
      if (!cells[i].sort.empty()) h += " data-v=\"" + cells[i].sort + "\"";
      h += ">" + cells[i].html + "</td>";
    }
    h += "</tr>";
  }
  return h + "</tbody></table></div>";
}

std::string Note(const std::string& text) { return "<p class=\"note\">" + Escape(text) + "</p>"; }

std::string Lead(const std::string& html) { return "<p class=\"lead\">" + html + "</p>"; }

std::string Range(int64_t from, int64_t to) {
  return from / kDay == to / kDay ? FormatTime(from) + " .. " + FormatTime(to) : FormatDate(from) + " .. " + FormatDate(to);
}

const char* UnitNoun(BucketUnit u) {
  switch (u) {
    case BucketUnit::kHour: return "hour";
    case BucketUnit::kDay: return "day";
    case BucketUnit::kWeek: return "week (from Monday)";
    case BucketUnit::kMonth: return "month";
  }
  return "";
}

std::string Header(const ReportData& d) {
  // The range and bucket as data, for programs reading the page back.
  std::string h = "<header data-from=\"" + FormatTime(d.from) + "\" data-to=\"" + FormatTime(d.to) + "\" data-by=\"" +
                  BucketUnitName(d.by) + "\"><h1>hark report</h1><dl class=\"meta\">";
  auto item = [&](const std::string& k, const std::string& v, bool wide = false) {
    h += std::string(wide ? "<div class=\"wide\">" : "<div>") + "<dt>" + Escape(k) + "</dt><dd>" + Escape(v) +
         "</dd></div>";
  };
  item("Index", d.index_dir, true);
  item("Generation", std::to_string(d.generation));
  item("Records", GroupedCount(d.records));
  item("Messages from", d.records == 0 ? std::string("-") : Range(d.first_time, d.last_time) + " (UTC)");
  item("Buckets", std::string(UnitNoun(d.by)) + (d.by_auto ? " (chosen by span)" : " (--by)"));
  std::string range = d.records == 0 && d.from == 0 ? std::string("-") : Range(d.from, d.to) + " (UTC)";
  if (d.range_dense) {
    range += ": where the messages are, " + GroupedCount(d.range_messages) + " of " + GroupedCount(d.all_messages) +
             " (--from / --to for another range)";
  }
  item("Report range", range, d.range_dense);
  item("Query", d.query.empty() ? "(none: every message)" : d.query);
  item("Brand lexicon", d.brands_path.empty() ? "the index's own" : d.brands_path);
  item("Options", d.command_line.empty() ? "(none)" : d.command_line, true);
  item("Generated", d.generated_at + " by hark " + d.hark_version);
  h += "</dl><nav><a href=\"#volume\">Volume</a><a href=\"#brands\">Brands</a><a href=\"#care\">Response times</a>"
       "<a href=\"#kb\">Knowledge base</a>";
  if (d.journeys_requested) h += "<a href=\"#journeys\">Journeys</a>";
  return h + "</nav></header>";
}

std::string VolumeSection(const ReportData& d) {
  std::string h = "<section id=\"volume\"><h2>Volume over time</h2>";
  const TrendAnalysis& v = d.volume;
  if (!d.volume_note.empty()) return h + Note(d.volume_note) + "</section>";
  const TrendSeries& s = v.series.front();
  const Bucketer bucketer(d.by, TimeZone::Utc());
  uint64_t peak = 0;
  size_t peak_at = 0;
  for (size_t i = 0; i < s.buckets.size(); ++i) {
    if (s.buckets[i].count > peak) peak = s.buckets[i].count, peak_at = i;
  }
  h += Lead(GroupedCount(s.total) + " messages" + (d.query.empty() ? "" : " matching <q>" + Escape(d.query) + "</q>") +
            " in " + GroupedCount(s.buckets.size()) + " " + BucketUnitName(d.by) + (s.buckets.size() == 1 ? "" : "s") +
            " (UTC), peak " + Escape(bucketer.Label(s.buckets[peak_at].start)) + " with " + GroupedCount(peak) + "; " +
            GroupedCount(v.spikes.size()) + (v.spikes.size() == 1 ? " spike" : " spikes") + ".");
  report::TimeChart chart;
  chart.id = "chart-volume";
  chart.title = "Messages per " + std::string(BucketUnitName(d.by)) + ", spikes marked";
  chart.x_title = std::string(BucketUnitName(d.by) == std::string("week") ? "week starting" : BucketUnitName(d.by)) +
                  " (UTC)";
  chart.y_title = "messages";
  chart.marker_legend = "spike (label: strongest driver)";
  report::ChartSeries series{d.query.empty() ? "all messages" : d.query, report::PaletteColor(0), {}};
  for (const TrendBucket& b : s.buckets) {
    chart.x_labels.push_back(bucketer.Label(b.start));
    series.values.push_back(static_cast<double>(b.count));
  }
  chart.series.push_back(std::move(series));
  for (const TrendSpike& sp : v.spikes) {
    std::string terms;
    for (size_t i = 0; i < sp.terms.size() && i < 6; ++i) terms += (i ? ", " : "") + sp.terms[i].term;
    report::ChartMarker m;
    m.index = sp.spike.index;
    m.label = sp.terms.empty() ? GroupedCount(sp.spike.count) : OneLine(sp.terms.front().term, 24);
    m.tooltip = bucketer.Label(sp.start) + ": " + GroupedCount(sp.spike.count) + " messages (baseline " +
                Number(sp.spike.baseline, 1) + ", score " + Number(sp.spike.score, 1) + ")" +
                (terms.empty() ? "" : "\ndrivers: " + terms);
    chart.markers.push_back(std::move(m));
  }
  h += "<figure>" + report::TimeSeriesSvg(chart) + "</figure>";
  const SpikeOptions& o = v.spike_options;
  h += "<h3>Spikes and their drivers</h3>";
  h += "<p class=\"method\">A spike stands at least " + Number(o.threshold, 1) + " robust standard deviations above the "
       "median of the " + std::to_string(o.window) + " " + BucketUnitName(d.by) + "s before it, with at least " +
       GroupedCount(o.min_count) + " messages and " + Number(o.min_ratio, 1) + "&times; the baseline, from many "
       "conversations (P &le; " + Escape(Number(o.max_p * 1e6, 3)) + "&times;10<sup>-6</sup>); drivers are the words "
       "and phrases over-represented against the window (log-likelihood G&sup2;), as <code>hark trend --spikes</code>.";
  if (v.narrow_dropped > 0) {
    h += " " + GroupedCount(v.narrow_dropped) + " high " + BucketUnitName(d.by) + (v.narrow_dropped == 1 ? "" : "s") +
         " from too few conversations left out.";
  }
  h += "</p>";
  if (v.spikes.empty()) {
    h += Note(s.buckets.size() <= o.min_history
                  ? "No spikes: " + std::to_string(s.buckets.size()) + " " + BucketUnitName(d.by) +
                        "s are too few to judge (a bucket needs " + std::to_string(o.min_history) +
                        " before it); a finer --by gives more."
                  : "No spikes in this range.");
    return h + "</section>";
  }
  std::vector<std::pair<std::string, std::vector<Cell>>> rows;
  for (const TrendSpike& sp : v.spikes) {
    std::string drivers, authors, example;
    for (size_t i = 0; i < sp.terms.size() && i < 8; ++i) {
      drivers += std::string(i ? ", " : "") + "<span class=\"term\" title=\"" +
                 Escape(GroupedCount(sp.terms[i].count_a) + " in the spike vs " + GroupedCount(sp.terms[i].count_b) +
                        " in the window, LLR " + Number(sp.terms[i].llr, 1)) +
                 "\">" + Escape(sp.terms[i].term) + "</span>";
    }
    for (size_t i = 0; i < sp.authors.size() && i < 3; ++i) {
      authors += (i ? ", " : "") + sp.authors[i].first + " (" + GroupedCount(sp.authors[i].second) + ")";
    }
    if (!sp.examples.empty()) example = OneLine(sp.examples.front().text, 160);
    rows.push_back({bucketer.Label(sp.start),
                    {Cell{"<span class=\"nowrap\">" + Escape(bucketer.Label(sp.start)) + "</span>", std::to_string(sp.start)}, Num(sp.spike.count),
                     NumD(sp.spike.baseline, Number(sp.spike.baseline, 1)), NumD(sp.spike.score, Number(sp.spike.score, 1)),
                     Num(sp.conversations), LongTxt(drivers.empty() ? "-" : drivers), Txt(authors),
                     LongTxt(Escape(example))}});
  }
  h += Table("table-spikes", {"Bucket", "Messages", "Baseline", "Score", "Conversations", "Drivers", "Top authors",
                              "Example"},
             {false, true, true, true, true, false, false, false}, rows);
  return h + "</section>";
}

std::string BrandsSection(const ReportData& d, size_t chart_brands) {
  std::string h = "<section id=\"brands\"><h2>Share of voice and sentiment by brand</h2>";
  if (!d.mentions_note.empty()) return h + Note(d.mentions_note) + "</section>";
  const MentionsReport& m = *d.mentions;
  std::vector<const BrandStats*> mentioned;
  for (const BrandStats& b : m.brands) {
    if (b.mentions > 0) mentioned.push_back(&b);
  }
  h += Lead(GroupedCount(m.messages) + " messages selected, " + GroupedCount(m.mentioning) +
            " mention a brand of the lexicon (" + GroupedCount(m.lexicon_brands) + " brands" + (m.retagged ? ", tagged now" : "") + "); " +
            GroupedCount(mentioned.size()) + " brands are mentioned" +
            (mentioned.size() > chart_brands ? ", the top " + GroupedCount(chart_brands) + " drawn" : "") + ".");
  const size_t n = std::min(chart_brands, mentioned.size());
  report::BarChart sov;
  sov.id = "chart-sov";
  sov.title = "Share of voice: messages mentioning each brand";
  sov.value_title = "messages mentioning the brand (share of all brand mentions)";
  sov.tick_format = [](double v) { return GroupedCount(static_cast<uint64_t>(std::llround(v))); };
  report::ChartSeries mentions{"mentions", report::PaletteColor(0), {}};
  report::BarChart sentiment;
  sentiment.id = "chart-sentiment";
  sentiment.title = "Sentiment of the messages mentioning each brand";
  sentiment.value_title = "share of the brand's mentions (value: mean sentiment score in [-1, 1])";
  sentiment.stacked = true;
  sentiment.axis_max = 100;
  sentiment.tick_format = [](double v) { return Number(v, 0) + "%"; };
  report::ChartSeries pos{"positive", kPositive, {}}, neu{"neutral", kNeutral, {}}, neg{"negative", kNegative, {}};
  for (size_t i = 0; i < n; ++i) {
    const BrandStats& b = *mentioned[i];
    sov.categories.push_back(b.brand);
    mentions.values.push_back(static_cast<double>(b.mentions));
    sov.value_labels.push_back(GroupedCount(b.mentions) + " (" + Percent(b.share_all) + ")");
    sentiment.categories.push_back(b.brand);
    const double all = static_cast<double>(std::max<uint64_t>(b.mentions, 1));
    pos.values.push_back(100.0 * static_cast<double>(b.positive) / all);
    neu.values.push_back(100.0 * static_cast<double>(b.neutral) / all);
    neg.values.push_back(100.0 * static_cast<double>(b.negative) / all);
    sentiment.value_labels.push_back("mean " + Signed(b.sentiment_mean));
  }
  sov.series.push_back(std::move(mentions));
  sentiment.series = {std::move(pos), std::move(neu), std::move(neg)};
  h += "<figure>" + report::BarChartSvg(sov) + "</figure>";
  h += "<h3>Sentiment by brand</h3><figure>" + report::BarChartSvg(sentiment) + "</figure>";

  // Mentions over time for the most mentioned brands, when there is more than one bucket.
  if (m.bounds.size() > 2 && !mentioned.empty()) {
    const Bucketer bucketer(d.by, TimeZone::Utc());
    report::TimeChart chart;
    chart.id = "chart-mentions-time";
    chart.title = "Mentions per " + std::string(BucketUnitName(d.by)) + " of the most mentioned brands";
    chart.x_title = std::string(BucketUnitName(d.by)) + " (UTC)";
    chart.y_title = "messages mentioning the brand";
    chart.height = 300;
    for (size_t i = 0; i + 1 < m.bounds.size(); ++i) chart.x_labels.push_back(bucketer.Label(m.bounds[i]));
    for (size_t i = 0; i < mentioned.size() && i < 6; ++i) {
      report::ChartSeries s{mentioned[i]->brand, report::PaletteColor(i), {}};
      for (uint64_t c : mentioned[i]->buckets) s.values.push_back(static_cast<double>(c));
      chart.series.push_back(std::move(s));
    }
    h += "<h3>Mentions over time</h3><figure>" + report::TimeSeriesSvg(chart) + "</figure>";
  }

  std::vector<std::pair<std::string, std::vector<Cell>>> rows;
  for (const BrandStats* b : mentioned) {
    const double all = static_cast<double>(std::max<uint64_t>(b->mentions, 1));
    std::string authors;
    for (size_t i = 0; i < b->authors.size() && i < 3; ++i) authors += (i ? ", " : "") + b->authors[i].first;
    rows.push_back({b->brand,
                    {Txt(b->brand), Txt(b->market), Num(b->mentions), NumD(b->share, Percent(b->share)),
                     NumD(b->share_all, Percent(b->share_all)), NumD(b->sentiment_mean, Signed(b->sentiment_mean)),
                     NumD(static_cast<double>(b->positive) / all, Percent(static_cast<double>(b->positive) / all, 0)),
                     NumD(static_cast<double>(b->neutral) / all, Percent(static_cast<double>(b->neutral) / all, 0)),
                     NumD(static_cast<double>(b->negative) / all, Percent(static_cast<double>(b->negative) / all, 0)),
                     Txt(authors)}});
  }
  h += "<h3>All brands mentioned</h3>";
  h += Table("table-brands", {"Brand", "Market", "Mentions", "Share (market)", "Share (all)", "Mean sentiment",
                              "Positive", "Neutral", "Negative", "Top authors"},
             {false, false, true, true, true, true, true, true, true, false}, rows);
  if (!m.switching.empty()) {
    std::vector<std::pair<std::string, std::vector<Cell>>> flows;
    for (size_t i = 0; i < m.switching.size() && i < 10; ++i) {
      const SwitchFlow& f = m.switching[i];
      std::string examples;
      for (size_t k = 0; k < f.examples.size(); ++k) examples += (k ? ", " : "") + f.examples[k];
      flows.push_back({f.from + ">" + f.to,
                       {Txt(f.from.empty() ? "(not said)" : f.from), Txt(f.to), Num(f.count), Txt(examples)}});
    }
    h += "<h3>Switching statements</h3>";
    h += Table("table-switching", {"From", "To", "Messages", "Example ids"}, {false, false, true, false}, flows);
  }
  return h + "</section>";
}

std::string CareSection(const ReportData& d, size_t chart_brands) {
  std::string h = "<section id=\"care\"><h2>First-response times by brand</h2>";
  if (!d.care_note.empty()) return h + Note(d.care_note) + "</section>";
  const CareRow& t = *d.care_total;
  h += Lead(GroupedCount(t.conversations) + " conversations with a customer message, " +
            Percent(Share(t.answered, t.conversations)) + " answered by an agent; overall first response: median " +
            (t.first_response_median_s ? Duration(*t.first_response_median_s) : std::string("-")) + ", p90 " +
            (t.first_response_p90_s ? Duration(static_cast<double>(*t.first_response_p90_s)) : std::string("-")) + ".");
  report::BarChart chart;
  chart.id = "chart-care";
  chart.title = "First-response time by brand: median, with the 90th percentile";
  chart.value_title = "time from the customer's first message to the first agent reply (logarithmic scale)";
  chart.seconds = true;
  chart.log_scale = true;
  chart.whisker_legend = "p90";
  report::ChartSeries median{"median", report::PaletteColor(0), {}};
  for (const CareRow& r : d.care) {
    if (chart.categories.size() >= chart_brands) break;
    if (!r.first_response_median_s) continue;
    chart.categories.push_back(r.group);
    median.values.push_back(*r.first_response_median_s);
    std::optional<double> p90;
    if (r.first_response_p90_s) p90 = static_cast<double>(*r.first_response_p90_s);
    chart.whiskers.push_back(p90);
    chart.value_labels.push_back(Duration(*r.first_response_median_s) + " / p90 " + (p90 ? Duration(*p90) : "-"));
  }
  chart.series.push_back(std::move(median));
  if (chart.categories.empty()) {
    h += Note("No conversation was answered by an agent in this range, so there is no first-response time to draw.");
  } else {
    h += "<figure>" + report::BarChartSvg(chart) + "</figure>";
    h += "<p class=\"method\">" +
         Escape("The " + GroupedCount(chart.categories.size()) +
                " brands with the most conversations that have an answer; the table lists every brand. A conversation's "
                "first-response time runs from the customer's first message to the first agent message after it.") +
         "</p>";
  }
  std::vector<std::pair<std::string, std::vector<Cell>>> rows;
  for (const CareRow& r : d.care) {
    auto dur = [](const std::optional<double>& v) { return v ? NumD(*v, Duration(*v)) : Cell{"-", "-1"}; };
    std::optional<double> p90;
    if (r.first_response_p90_s) p90 = static_cast<double>(*r.first_response_p90_s);
    rows.push_back({r.group,
                    {Txt(r.group), Num(r.conversations), NumD(Share(r.answered, r.conversations),
                                                              Percent(Share(r.answered, r.conversations))),
                     dur(r.first_response_median_s), dur(p90),
                     NumD(Share(r.turns, r.conversations), Number(Share(r.turns, r.conversations), 2)),
                     NumD(Share(r.resolved, r.conversations), Percent(Share(r.resolved, r.conversations)))}});
  }
  h += Table("table-care", {"Brand", "Conversations", "Answered", "Median first response", "p90 first response",
                            "Turns", "Resolved"},
             {false, true, true, true, true, true, true}, rows);
  return h + "</section>";
}

std::string KbTable(const std::string& id, const std::vector<KbEntry>& entries, bool gaps) {
  std::vector<std::pair<std::string, std::vector<Cell>>> rows;
  for (const KbEntry& e : entries) {
    std::string brands;
    for (size_t i = 0; i < e.brands.size() && i < 3; ++i) brands += (i ? ", " : "") + e.brands[i];
    const std::string question = OneLine(e.question_title.empty() ? e.question_text : e.question_title, 220);
    std::vector<Cell> cells = {Num(e.support), LongTxt(Escape(question))};
    if (!gaps) {
      cells.push_back(e.answer ? LongTxt(Escape(OneLine(e.answer->text, 300)) + "<div class=\"why\">" +
                                         Escape(e.answer->author + (e.why.empty() ? "" : " · " + e.why.front())) +
                                         "</div>")
                               : Txt("-"));
      cells.push_back(Num(e.resolved));
    }
    cells.push_back(Txt(brands));
    cells.push_back(Cell{FormatDate(e.last_seen), std::to_string(e.last_seen)});
    rows.push_back({e.question_source + ":" + e.question_id, std::move(cells)});
  }
  if (gaps) {
    return Table(id, {"Threads", "Question", "Brands", "Last seen"}, {true, false, false, true}, rows);
  }
  return Table(id, {"Threads", "Question", "Best answer", "Resolved", "Brands", "Last seen"},
               {true, false, false, true, false, true}, rows);
}

std::string KbSection(const ReportData& d) {
  std::string h = "<section id=\"kb\"><h2>Knowledge base: top entries and gaps</h2>";
  h += Lead(GroupedCount(d.kb.threads) + " conversations read, " + GroupedCount(d.kb.questions) + " with a question, " +
            GroupedCount(d.kb.clusters) + " clusters of similar questions; an entry needs 2 conversations or more.");
  h += "<h3>Top entries (the best answer already given)</h3>";
  h += d.kb.entries.empty() ? Note("No question was asked in two conversations or more with an answer to show.")
                            : KbTable("table-kb", d.kb.entries, false);
  h += "<h3>Gaps (asked again and again, no good answer)</h3>";
  h += d.gaps.entries.empty() ? Note("No gaps: every recurring question has a good answer.")
                              : KbTable("table-gaps", d.gaps.entries, true);
  return h + "</section>";
}

std::string JourneysSection(const ReportData& d) {
  std::string h = "<section id=\"journeys\"><h2>Journeys pattern</h2>";
  std::string steps;
  for (size_t i = 0; i < d.steps.size(); ++i) steps += (i ? " &rarr; " : "") + ("<q>" + Escape(d.steps[i]) + "</q>");
  h += Lead(GroupedCount(d.journeys.total) + " customers wrote " + steps +
            (d.within > 0 ? ", each step within " + Escape(Duration(static_cast<double>(d.within))) + " of the previous"
                          : "") +
            " (their own messages, in that order).");
  report::BarChart funnel;
  funnel.id = "chart-journeys";
  funnel.title = "Customers reaching each step of the pattern";
  funnel.value_title = "customers";
  funnel.tick_format = [](double v) { return GroupedCount(static_cast<uint64_t>(std::llround(v))); };
  report::ChartSeries s{"customers", report::PaletteColor(3), {}};
  for (size_t k = 0; k < d.funnel.size(); ++k) {
    funnel.categories.push_back(std::to_string(k + 1) + ". " + d.steps[k]);
    s.values.push_back(static_cast<double>(d.funnel[k]));
    funnel.value_labels.push_back(GroupedCount(d.funnel[k]) +
                                  (k > 0 && d.funnel[0] > 0 ? " (" + Percent(Share(d.funnel[k], d.funnel[0])) + ")" : ""));
  }
  funnel.series.push_back(std::move(s));
  h += "<figure>" + report::BarChartSvg(funnel) + "</figure>";
  if (d.journeys.customers.empty()) return h + Note("No customer follows the whole pattern.") + "</section>";
  std::vector<std::pair<std::string, std::vector<Cell>>> rows;
  for (size_t i = 0; i < d.journeys.customers.size(); ++i) {
    const JourneyMatch& m = d.journeys.customers[i];
    const std::vector<Record>& msgs = d.journey_messages[i];
    std::string html = "<ol class=\"steps\">";
    for (const Record& r : msgs) {
      html += "<li><span class=\"when\">" + Escape(FormatTime(r.time)) + "</span> <bdi>" + Escape(OneLine(r.text, 160)) +
              "</bdi></li>";
    }
    html += "</ol>";
    const int64_t span = m.chain.back().time - m.chain.front().time;
    rows.push_back({m.person,
                    {Txt(m.person), Cell{Escape(FormatTime(m.chain.back().time)), std::to_string(m.chain.back().time)},
                     NumD(static_cast<double>(span), Duration(static_cast<double>(span))), LongTxt(html)}});
  }
  h += Table("table-journeys", {"Customer", "Completed", "First to last step", "Messages"}, {false, true, true, false},
             rows);
  if (d.journeys.total > d.journeys.customers.size()) {
    h += Note("The first " + GroupedCount(d.journeys.customers.size()) + " of " + GroupedCount(d.journeys.total) +
              " customers by completion time; hark journeys lists them all.");
  }
  return h + "</section>";
}

// The page's style: readable on screen and on paper, no web fonts.
constexpr char kStyle[] = R"CSS(
:root { --ink: #1f2328; --muted: #5b636b; --line: #d8dde3; --accent: #4e79a7; --bg-alt: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1040px; padding: 24px 28px 48px; color: var(--ink); background: #fff;
       font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
h1 { font-size: 26px; margin: 0 0 12px; }
h2 { font-size: 20px; margin: 0 0 8px; padding-top: 8px; }
h3 { font-size: 15px; margin: 22px 0 6px; color: var(--ink); }
section { border-top: 2px solid var(--line); margin-top: 28px; padding-top: 12px; }
dl.meta { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 4px 24px; margin: 0; }
dl.meta div.wide { grid-column: 1 / -1; }
dl.meta div { display: flex; gap: 8px; min-width: 0; }
dl.meta dt { color: var(--muted); min-width: 110px; }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
nav { margin-top: 14px; display: flex; gap: 16px; flex-wrap: wrap; }
nav a { color: var(--accent); text-decoration: none; font-weight: 600; }
.lead { font-size: 15px; margin: 4px 0 10px; }
.note { color: var(--muted); font-style: italic; background: var(--bg-alt); padding: 10px 14px; border-radius: 6px; }
.method { color: var(--muted); font-size: 12.5px; }
figure { margin: 8px 0 4px; overflow-x: auto; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg .axis-title { fill: var(--muted); font-size: 12px; }
.table-wrap { overflow: auto; max-height: 560px; border-bottom: 1px solid var(--line); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 4px; font-size: 13px; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
td.long { overflow-wrap: anywhere; min-width: 150px; }
.nowrap { white-space: nowrap; }
th { background: var(--bg-alt); cursor: pointer; user-select: none; position: sticky; top: 0; }
th:hover { background: #e9eef3; }
th[aria-sort="ascending"]::after { content: " \25B2"; font-size: 10px; }
th[aria-sort="descending"]::after { content: " \25BC"; font-size: 10px; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tbody tr:nth-child(even) { background: #fbfcfd; }
.why { color: var(--muted); font-size: 12px; margin-top: 2px; }
.term { background: #fdecea; border-radius: 3px; padding: 0 3px; white-space: nowrap; }
ol.steps { margin: 0; padding-left: 18px; }
.when { color: var(--muted); font-variant-numeric: tabular-nums; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
@media print { th { position: static; } section { break-inside: avoid-page; } }
)CSS";

// Click (or Enter on) a header to sort its table; again to reverse. Cells with data-v
// sort by that number, others by their text. Marks each table data-sortable="ready"
// once wired, which is how one sees that the script ran.
constexpr char kScript[] = R"JS(
(function () {
  'use strict';
  function key(cell) {
    var v = cell.getAttribute('data-v');
    if (v === null) return cell.textContent.trim().toLowerCase();
    var n = parseFloat(v);
    return isNaN(n) ? -Infinity : n;
  }
  function compare(a, b) {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return String(a).localeCompare(String(b));
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, col) {
      th.tabIndex = 0;
      function sort() {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var c = compare(key(r1.cells[col]), key(r2.cells[col]));
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sort(); });
    });
    table.setAttribute('data-sortable', 'ready');
  });
})();
)JS";

}  // namespace

bool DenseRange(const std::map<int64_t, uint64_t>& per_day, int64_t first, int64_t last, int64_t* from, int64_t* to) {
  uint64_t total = 0;
  for (const auto& [day, n] : per_day) total += n;
  if (total == 0 || last <= first) return false;
  const uint64_t tail = total / 200;  // 0.5% at each end
  int64_t lo = per_day.begin()->first, hi = per_day.rbegin()->first;
  uint64_t seen = 0;
  for (const auto& [day, n] : per_day) {
    seen += n;
    if (seen > tail) {
      lo = day;
      break;
    }
  }
  seen = 0;
  for (auto it = per_day.rbegin(); it != per_day.rend(); ++it) {
    seen += it->second;
    if (seen > tail) {
      hi = it->first;
      break;
    }
  }
  const int64_t first_day = FloorDiv(first, kDay), last_day = FloorDiv(last, kDay);
  const int64_t span = hi - lo + 1;  // days
  const bool cut_start = (lo - first_day) * 2 > span, cut_end = (last_day - hi) * 2 > span;
  if (!cut_start && !cut_end) return false;
  *from = cut_start ? lo * kDay : first;
  *to = cut_end ? (hi + 1) * kDay - 1 : last;
  return true;
}

BucketUnit AutoBucketUnit(int64_t seconds) {
  if (seconds <= 3 * kDay) return BucketUnit::kHour;
  if (seconds <= 120 * kDay) return BucketUnit::kDay;
  if (seconds <= 3 * 366 * kDay) return BucketUnit::kWeek;
  return BucketUnit::kMonth;
}

Status ComputeReport(IndexReader& index, const ReportRequest& req, ReportData* out) {
  *out = ReportData();
  if (req.from && req.to && *req.from > *req.to) return Status::InvalidArgument("--from is after --to");
  const IndexState& state = index.state();
  out->index_dir = req.index_dir;
  out->command_line = req.command_line;
  out->generated_at = FormatTime(static_cast<int64_t>(std::time(nullptr)));
  out->hark_version = state.hark_version.empty() ? "?" : state.hark_version;
  out->generation = state.generation;
  out->records = state.records;
  std::tie(out->first_time, out->last_time) = index.TimeBounds();
  // The range every section uses: --from / --to, else the index's (dense) range.
  std::optional<int64_t> from = req.from, to = req.to;
  if (!from && !to && state.records > 0) {
    std::map<int64_t, uint64_t> per_day;
    const int64_t first_day = FloorDiv(out->first_time, kDay), last_day = FloorDiv(out->last_time, kDay);
    HARK_RETURN_IF_ERROR(index.DailyCounts("all", first_day, last_day, &per_day));
    int64_t lo = 0, hi = 0;
    if (DenseRange(per_day, out->first_time, out->last_time, &lo, &hi)) {
      from = lo;
      to = hi;
      out->range_dense = true;
      for (const auto& [day, n] : per_day) {
        out->all_messages += n;
        if (day >= FloorDiv(lo, kDay) && day <= FloorDiv(hi, kDay)) out->range_messages += n;
      }
    }
  }
  out->from = from.value_or(out->first_time);
  out->to = to.value_or(out->last_time);
  out->by_auto = !req.by.has_value();
  out->by = req.by ? *req.by : AutoBucketUnit(std::max<int64_t>(0, out->to - out->from));
  out->query = req.query;
  out->brands_path = req.brands_path;
  out->chart_brands = std::max<size_t>(req.chart_brands, 1);

  // Volume: `hark trend [QUERY] --spikes --by B --from --to`.
  TrendRequest trend;
  trend.queries = {req.query};
  trend.by = out->by;
  trend.from = from;
  trend.to = to;
  trend.spikes = true;
  HARK_RETURN_IF_ERROR(ComputeTrendAnalysis(index, trend, &out->volume).WithContext("volume"));
  if (state.records == 0) {
    out->volume_note = "The index holds no messages.";
  } else if (out->volume.series.empty() || out->volume.series.front().total == 0 ||
             out->volume.series.front().buckets.empty()) {
    out->volume_note = "No message " + std::string(req.query.empty() ? "" : "matching the query ") + "in this range.";
  }

  // Brands: `hark mentions [--brands FILE] --by B --query Q --from --to`.
  Result<std::string> stored = index.StoredBrandLexicon();
  HARK_RETURN_IF_ERROR(stored.status());
  if (req.brands_path.empty() && stored->empty()) {
    out->mentions_note = "This index was ingested without a brand lexicon, so no message is tagged with the brands it "
                         "mentions: give one with --brands FILE (examples in corpora/brands/), or ingest with "
                         "--brands.";
  } else {
    MentionsRequest mr;
    mr.brands_path = req.brands_path;
    mr.by = out->by;
    mr.from = from;
    mr.to = to;
    mr.query = req.query;
    MentionsReport m;
    HARK_RETURN_IF_ERROR(ComputeMentions(index, mr, &m).WithContext("brands"));
    if (m.mentioning == 0) {
      out->mentions_note = "None of the " + GroupedCount(m.messages) +
                           " messages selected mentions a brand of the lexicon (" + GroupedCount(m.lexicon_brands) +
                           " brands).";
    }
    out->mentions = std::move(m);
  }

  // Response times: `hark care --by brand --from --to`.
  CareRequest care;
  care.by = CareGroup::kBrand;
  care.from = from;
  care.to = to;
  HARK_RETURN_IF_ERROR(ComputeCare(index, care, &out->care).WithContext("response times"));
  if (!out->care.empty()) {
    out->care_total = out->care.back();  // ComputeCare puts the total last
    out->care.pop_back();
  }
  if (!out->care_total || out->care_total->conversations == 0) {
    out->care_note = "No conversation with a customer message in this range (first-response times need messages with "
                     "the role customer, and agents' replies).";
  }

  // Knowledge base: `hark kb [QUERY] --from --to`, and `--gaps`.
  KbRequest kb;
  kb.query = req.query;
  kb.from = from;
  kb.to = to;
  kb.limit = req.kb_entries;
  HARK_RETURN_IF_ERROR(ComputeKb(index, kb, &out->kb, &out->gaps).WithContext("knowledge base"));
  if (out->kb.entries.size() > req.kb_entries) out->kb.entries.resize(req.kb_entries);
  if (out->gaps.entries.size() > req.kb_entries) out->gaps.entries.resize(req.kb_entries);

  // Journeys: `hark journeys --step ... --within --from --to`, only when steps are given.
  if (!req.steps.empty()) HARK_RETURN_IF_ERROR(GatherJourneys(index, req, from, to, out).WithContext("journeys"));
  return Status::Ok();
}

std::string RenderReportHtml(const ReportData& d) {
  std::string h;
  h.reserve(1 << 16);
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
       "<meta name=\"generator\" content=\"hark report\">";
  h += "<title>hark report: " + Escape(d.index_dir) + "</title>\n<style>" + kStyle + "</style></head>\n<body>\n";
  h += Header(d) + "\n";
  h += VolumeSection(d) + "\n";
  h += BrandsSection(d, d.chart_brands) + "\n";
  h += CareSection(d, d.chart_brands) + "\n";
  h += KbSection(d) + "\n";
  if (d.journeys_requested) h += JourneysSection(d) + "\n";
  h += "<footer>Made by <code>hark report</code> from generation " + std::to_string(d.generation) +
       " of the index. Every count is exact for that generation; the definitions (spikes, share of voice, sentiment "
       "classes at &plusmn;0.05, first-response time, knowledge-base entries) are in hark's README.md.</footer>\n";
  h += "<script>" + std::string(kScript) + "</script>\n</body></html>\n";
  return h;
}

Status WriteReportFile(const std::string& path, const std::string& content) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  std::string tmp = (fs::path(dir) / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return Status::IOError("cannot write " + path + ": " + std::strerror(errno));
  auto fail = [&](const char* what, int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return Status::IOError(std::string("cannot ") + what + " " + path + ": " + std::strerror(err));
  };
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write", errno);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  // mkstemp makes the file private; a report is as readable as any file the user creates.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd, 0666 & ~mask) != 0) return fail("write", errno);
  if (::fsync(fd) != 0) return fail("write", errno);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return Status::IOError("cannot write " + path + ": " + std::strerror(err));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return Status::IOError("cannot write " + path + ": " + std::strerror(err));
  }
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

}  // namespace hark
