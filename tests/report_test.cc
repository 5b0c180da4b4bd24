// hark report: the pure pieces (escaping, ticks, durations, bucket and range choice), the
// real `hark` binary run on the bundled TWCS sample and on the shared corpora with every
// number of the page checked against the command that owns it (hark trend, mentions,
// care, kb, journeys, run as separate processes), escaping of hostile text, bad options,
// unwritable --out, and the page rendered by headless Chromium (screenshot kept as a
// test artifact).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "query/output.h"
#include "query/report.h"
#include "query/report_svg.h"
#include "test_support.h"

namespace hark {
namespace {

namespace fs = std::filesystem;
using testing::Proc;
using testing::RunHark;
using testing::RunShell;
using testing::ShellQuote;
using testing::TempDir;

const std::string kSample = std::string(HARK_SOURCE_DIR) + "/corpora/twcs-head-5k.csv";
const std::string kTwcsBrands = std::string(HARK_SOURCE_DIR) + "/corpora/brands/twcs-brands.json";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// ---- Reading the page back (its structure is the contract in query/report.h).

std::string Unescape(std::string s) {
  static const std::pair<const char*, const char*> kEntities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
  for (const auto& [entity, c] : kEntities) {
    for (size_t at; (at = s.find(entity)) != std::string::npos;) s.replace(at, std::strlen(entity), c);
  }
  return s;
}

// The text from `open` to the first `close` after it (both included); "" when absent.
std::string Element(const std::string& html, const std::string& open, const std::string& close) {
  const size_t begin = html.find(open);
  if (begin == std::string::npos) return "";
  const size_t end = html.find(close, begin);
  return end == std::string::npos ? "" : html.substr(begin, end + close.size() - begin);
}

// Every piece between `open` and the next `close`.
std::vector<std::string> All(const std::string& html, const std::string& open, const std::string& close) {
  std::vector<std::string> out;
  for (size_t at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
    const size_t end = html.find(close, at + open.size());
    if (end == std::string::npos) break;
    out.push_back(html.substr(at + open.size(), end - at - open.size()));
  }
  return out;
}

size_t Occurrences(const std::string& html, const std::string& what) { return All(html, what, "").size(); }

// The first value of attribute `name` in `html`, unescaped; "" when absent.
std::string Attr(const std::string& html, const std::string& name) {
  const std::string key = " " + name + "=\"";
  const size_t at = html.find(key);
  if (at == std::string::npos) return "";
  const size_t end = html.find('"', at + key.size());
  return Unescape(html.substr(at + key.size(), end - at - key.size()));
}

struct Row {
  std::string key;
  std::vector<std::string> cells;  // each: the <td ...>...</td> inside, attributes first
  std::string Sort(size_t i) const { return i < cells.size() ? Attr(cells[i], "data-v") : "?"; }
};

// The rows of the table with this id, in page order.
std::vector<Row> TableRows(const std::string& html, const std::string& id) {
  std::vector<Row> rows;
  const std::string table = Element(html, "<table class=\"sortable\" id=\"" + id + "\"", "</table>");
  for (const std::string& tr : All(table, "<tr data-key=\"", "</tr>")) {
    Row r;
    r.key = Unescape(tr.substr(0, tr.find('"')));
    r.cells = All(tr, "<td", "</td>");
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string Svg(const std::string& html, const std::string& id) {
  return Element(html, "<svg class=\"chart\" id=\"" + id + "\"", "</svg>");
}

// (label, value) of every bar of a bar chart.
std::vector<std::pair<std::string, std::string>> Bars(const std::string& svg) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& g : All(svg, "<g class=\"bar\"", ">")) out.emplace_back(Attr(g, "data-label"), Attr(g, "data-value"));
  return out;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  return out;
}

std::string Num(const nlohmann::json& v) {
  if (v.is_null()) return "-1";
  return report::Number(v.get<double>(), 6);
}

nlohmann::json HarkJson(const std::vector<std::string>& args) {
  Proc p = RunHark(args);
  EXPECT_EQ(p.code, 0) << p.err;
  return nlohmann::json::parse(p.out, nullptr, false);
}

// What makes a page fetch something: a <link>, a src, a URL in an attribute, url() or
// @import in the style, an external or second script. Empty for a self-contained page.
std::vector<std::string> ExternalReferences(const std::string& html) {
  std::vector<std::string> problems;
  std::string lower = html;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (Occurrences(lower, "<script") != 1 || Occurrences(lower, "<script>") != 1) problems.push_back("script");
  if (Occurrences(lower, "<style") != 1) problems.push_back("style");
  const std::string style = Element(lower, "<style>", "</style>"), script = Element(lower, "<script>", "</script>");
  if (style.find("url(") != std::string::npos || style.find("@import") != std::string::npos) {
    problems.push_back("style: " + style);
  }
  if (script.find("http") != std::string::npos || script.find("fetch") != std::string::npos) problems.push_back(script);
  // Every tag (text from the data is escaped, so each '<' opens one): no <link>, no
  // src, href only to the page's own sections.
  std::string tags_only = lower;
  if (!style.empty()) tags_only.erase(tags_only.find(style), style.size());
  if (!script.empty()) tags_only.erase(tags_only.find(script), script.size());
  for (const std::string& tag : All(tags_only, "<", ">")) {
    std::string names;  // the tag less its quoted attribute values
    bool quoted = false;
    for (char c : tag) {
      if (c == '"') quoted = !quoted;
      else if (!quoted) names += c;
    }
    const bool bad_href = names.find(" href=") != std::string::npos && Attr(tag, "href").substr(0, 1) != "#";
    if (names.substr(0, 4) == "link" || names.find(" src=") != std::string::npos ||
        names.find("xlink:href") != std::string::npos || Attr(tag, "style").find("url(") != std::string::npos ||
        bad_href) {
      problems.push_back("<" + tag + ">");
    }
  }
  return problems;
}

// ---- The pure pieces.

TEST(ReportTest, SelfContainedCheckCatchesReferences) {
  const std::string style = "<style>p {}</style>", script = "<script>1</script>";
  EXPECT_EQ(ExternalReferences("<html>" + style + "<a href=\"#kb\">kb</a><p>see https://example.com</p>" + script),
            std::vector<std::string>{});
  EXPECT_EQ(ExternalReferences(style + "<link rel=\"stylesheet\" href=\"#x\">" + script),
            std::vector<std::string>{"<link rel=\"stylesheet\" href=\"#x\">"});
  EXPECT_EQ(ExternalReferences(style + "<img src=\"x.png\">" + script), std::vector<std::string>{"<img src=\"x.png\">"});
  EXPECT_EQ(ExternalReferences(style + "<a href=\"https://x\">x</a>" + script),
            std::vector<std::string>{"<a href=\"https://x\">"});
  EXPECT_EQ(ExternalReferences("<style>p { background: url(x.png) }</style>" + script),
            std::vector<std::string>{"style: <style>p { background: url(x.png) }</style>"});
  EXPECT_EQ(ExternalReferences(style + "<script src=\"x.js\"></script>" + script).front(), "script");
}

TEST(ReportSvgTest, EscapeKeepsTextAndNeutralisesMarkup) {
  EXPECT_EQ(report::Escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
  // Emoji, Hebrew, Arabic and accents pass unchanged.
  EXPECT_EQ(report::Escape("\xF0\x9F\x98\x80 שלום مرحبا é"), "\xF0\x9F\x98\x80 שלום مرحبا é");
  // Invalid UTF-8 (a stray continuation byte, a truncated sequence, an overlong "/",
  // a surrogate) and control characters become U+FFFD; tab and newline stay.
  EXPECT_EQ(report::Escape("a\x80z"), "a\xEF\xBF\xBDz");
  EXPECT_EQ(report::Escape("a\xE2\x82"), "a\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(report::Escape("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(report::Escape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(report::Escape("a\x01\x7F\xC2\x85z\t\n"), "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz\t\n");
}

TEST(ReportSvgTest, NumbersDurationsAndTicks) {
  EXPECT_EQ(GroupedCount(1234567), "1,234,567");
  EXPECT_EQ(report::Number(12.50, 2), "12.5");
  EXPECT_EQ(report::Number(3.0, 3), "3");
  EXPECT_EQ(report::Number(-0.0001, 2), "0");
  EXPECT_EQ(report::Duration(45), "45s");
  EXPECT_EQ(report::Duration(185), "3m05s");
  EXPECT_EQ(report::Duration(3600), "1h");
  EXPECT_EQ(report::Duration(7800), "2h10m");
  EXPECT_EQ(report::Duration(3 * 86400 + 4 * 3600 + 59), "3d04h");
  EXPECT_EQ(report::NiceTicks(3358, 5), (std::vector<double>{0, 1000, 2000, 3000, 4000}));
  EXPECT_EQ(report::NiceTicks(3, 5), (std::vector<double>{0, 1, 2, 3}));  // no half messages
  EXPECT_EQ(report::NiceTicks(0.4, 4), (std::vector<double>{0, 0.1, 0.2, 0.3, 0.4}));
  EXPECT_EQ(report::NiceTicks(100, 6, false).back(), 100);
  EXPECT_EQ(report::NiceTicks(5000, 5, true), (std::vector<double>{0, 1800, 3600, 5400}));
  EXPECT_EQ(report::NiceTicks(0, 5), (std::vector<double>{0, 1}));
}

TEST(ReportTest, BucketUnitFollowsTheSpan) {
  EXPECT_EQ(AutoBucketUnit(3600), BucketUnit::kHour);
  EXPECT_EQ(AutoBucketUnit(3 * 86400), BucketUnit::kHour);
  EXPECT_EQ(AutoBucketUnit(3 * 86400 + 1), BucketUnit::kDay);
  EXPECT_EQ(AutoBucketUnit(120 * 86400), BucketUnit::kDay);
  EXPECT_EQ(AutoBucketUnit(400 * 86400), BucketUnit::kWeek);
  EXPECT_EQ(AutoBucketUnit(4 * 365 * 86400), BucketUnit::kMonth);
}

TEST(ReportTest, DenseRangeLeavesOutOnlyFarStragglers) {
  const int64_t d = 86400;
  // 1,000 messages on days 100..109, one straggler on day 0: the start is cut at day 100,
  // the end stays the index's own last second.
  std::map<int64_t, uint64_t> days = {{0, 1}};
  for (int64_t day = 100; day < 110; ++day) days[day] = 100;
  int64_t from = 0, to = 0;
  ASSERT_TRUE(DenseRange(days, 0 * d + 5, 109 * d + 77, &from, &to));
  EXPECT_EQ(from, 100 * d);
  EXPECT_EQ(to, 109 * d + 77);
  // A straggler 4 days after the 10 dense days adds less than half their span: kept.
  days = {{114, 1}};
  for (int64_t day = 100; day < 110; ++day) days[day] = 100;
  EXPECT_FALSE(DenseRange(days, 100 * d, 114 * d + 1, &from, &to));
  // 20 days after: cut at the end of day 109 (the last 0.5% are 5 messages: day 109 holds them).
  days = {{130, 1}};
  for (int64_t day = 100; day < 110; ++day) days[day] = 100;
  ASSERT_TRUE(DenseRange(days, 100 * d, 130 * d + 1, &from, &to));
  EXPECT_EQ(from, 100 * d);
  EXPECT_EQ(to, 110 * d - 1);
  // Evenly spread: nothing to cut.
  days.clear();
  for (int64_t day = 0; day < 50; ++day) days[day] = 3;
  EXPECT_FALSE(DenseRange(days, 0, 50 * d - 1, &from, &to));
  EXPECT_FALSE(DenseRange({}, 0, 0, &from, &to));
}

TEST(ReportTest, WriteReportFileIsAtomicAndNamesThePath) {
  TempDir tmp;
  const std::string path = tmp / "r.html";
  ASSERT_TRUE(WriteReportFile(path, "first").ok());
  ASSERT_TRUE(WriteReportFile(path, "second").ok());
  EXPECT_EQ(ReadFile(path), "second");
  Status s = WriteReportFile(tmp / "missing-dir/r.html", "x");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(tmp / "missing-dir/r.html"), std::string::npos) << s.message();
  fs::create_directory(tmp / "dir");
  s = WriteReportFile(tmp / "dir", "x");  // a directory cannot be replaced by the report
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find(tmp / "dir"), std::string::npos) << s.message();
  std::vector<std::string> entries;
  for (const auto& e : fs::directory_iterator(tmp.path())) entries.push_back(e.path().filename());
  std::sort(entries.begin(), entries.end());
  EXPECT_EQ(entries, (std::vector<std::string>{"dir", "r.html"})) << "no temporary file left behind";
  EXPECT_TRUE(fs::is_empty(tmp / "dir"));
}

// ---- The real binary on the bundled TWCS sample (tagged with its brand lexicon).

class ReportCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    index_ = *tmp_ / "index";
    Proc ingest = RunHark({"ingest", "--index", index_, "--brands", kTwcsBrands, kSample});
    ASSERT_EQ(ingest.code, 0) << ingest.err;
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }
  static TempDir* tmp_;
  static std::string index_;
};
TempDir* ReportCliTest::tmp_ = nullptr;
std::string ReportCliTest::index_;

TEST_F(ReportCliTest, EveryNumberMatchesTheCommandThatOwnsIt) {
  const std::string out = *tmp_ / "report.html";
  Proc r = RunHark({"report", "--index", index_, "--out", out});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = ReadFile(out);
  EXPECT_EQ(r.out, "wrote " + out + " (" + std::to_string(html.size()) + " bytes)\n");
  EXPECT_EQ(ExternalReferences(html), std::vector<std::string>{});

  // Header: the index, its generation and records, the range and bucket used.
  const std::string header = Element(html, "<header", "</header>");
  EXPECT_NE(header.find(index_), std::string::npos);
  EXPECT_NE(header.find("<dt>Records</dt><dd>5,000</dd>"), std::string::npos) << header;
  EXPECT_NE(header.find("<dt>Generation</dt><dd>1</dd>"), std::string::npos) << header;
  const std::string from = Attr(header, "data-from"), to = Attr(header, "data-to"), by = Attr(header, "data-by");
  // The sample's 24 messages of 2011..2017-10-07 lie far before the rest: the report
  // covers the dense part (hark trend counts the same messages in it).
  EXPECT_EQ(from, "2017-10-08T00:00:00Z");
  EXPECT_EQ(by, "day");
  nlohmann::json whole = HarkJson({"trend", "--index", index_, "--by", "day", "--format", "json"});
  uint64_t inside = 0, all = 0;
  for (const auto& b : whole["series"][0]["buckets"]) {
    all += b["count"].get<uint64_t>();
    if (b["start"].get<std::string>() >= from.substr(0, 10) && b["start"].get<std::string>() <= to.substr(0, 10)) {
      inside += b["count"].get<uint64_t>();
    }
  }
  EXPECT_EQ(all, 5000u);
  EXPECT_NE(header.find(GroupedCount(inside) + " of 5,000"), std::string::npos) << header;

  // One SVG per chart, each with axes, tick labels and a legend.
  const std::vector<std::string> charts = {"chart-volume", "chart-sov", "chart-sentiment", "chart-mentions-time",
                                           "chart-care"};
  EXPECT_EQ(Occurrences(html, "<svg"), charts.size());
  for (const std::string& id : charts) {
    const std::string svg = Svg(html, id);
    ASSERT_FALSE(svg.empty()) << id;
    EXPECT_NE(svg.find("class=\"axis x-axis\""), std::string::npos) << id;
    EXPECT_NE(svg.find("class=\"axis-title\""), std::string::npos) << id;
    EXPECT_NE(svg.find("class=\"legend-entry\""), std::string::npos) << id;
    EXPECT_GE(Occurrences(svg, "<text"), 8u) << id;
  }

  // Volume: the series is `hark trend --spikes` over the same range and buckets.
  nlohmann::json trend =
      HarkJson({"trend", "--index", index_, "--by", by, "--from", from, "--to", to, "--spikes", "--format", "json"});
  const std::string volume = Svg(html, "chart-volume");
  std::vector<std::string> expected_counts;
  for (const auto& b : trend["series"][0]["buckets"]) expected_counts.push_back(std::to_string(b["count"].get<uint64_t>()));
  EXPECT_EQ(Split(Attr(volume, "data-values"), ','), expected_counts);
  EXPECT_EQ(Attr(volume, "data-total"), std::to_string(trend["series"][0]["total"].get<uint64_t>()));
  EXPECT_EQ(trend["series"][0]["total"].get<uint64_t>(), inside);
  std::vector<std::string> spike_days, spike_rows;
  for (const auto& s : trend["spikes"]) spike_days.push_back(s["start"]);
  for (const Row& row : TableRows(html, "table-spikes")) spike_rows.push_back(row.key);
  EXPECT_EQ(spike_rows, spike_days);
  ASSERT_FALSE(spike_days.empty());
  EXPECT_EQ(Occurrences(volume, "<g class=\"marker\""), spike_days.size());
  // The strongest driver of the 2017-10-31 spike is drawn as the marker's label.
  for (const auto& s : trend["spikes"]) {
    if (!s["terms"].empty()) {
      EXPECT_NE(volume.find(">" + report::Escape(s["terms"][0]["term"].get<std::string>()) + "</text>"),
                std::string::npos);
    }
  }

  // Brands: exactly `hark mentions` (the chart draws the top 15, the table every mentioned brand).
  nlohmann::json mentions = HarkJson({"mentions", "--index", index_, "--from", from, "--to", to, "--format", "json"});
  std::vector<std::pair<std::string, std::string>> expected_brands;
  for (const auto& b : mentions["brands"]) {
    if (b["mentions"].get<uint64_t>() > 0) {
      expected_brands.emplace_back(b["brand"], std::to_string(b["mentions"].get<uint64_t>()));
    }
  }
  ASSERT_GT(expected_brands.size(), 15u);
  std::vector<std::pair<std::string, std::string>> top(expected_brands.begin(), expected_brands.begin() + 15);
  EXPECT_EQ(Bars(Svg(html, "chart-sov")), top);
  std::vector<std::pair<std::string, std::string>> table;
  for (const Row& row : TableRows(html, "table-brands")) table.emplace_back(row.key, row.Sort(2));
  EXPECT_EQ(table, expected_brands);

  // Response times: `hark care --by brand` medians and p90s, brand by brand.
  nlohmann::json care = HarkJson({"care", "--index", index_, "--from", from, "--to", to, "--format", "json"});
  std::vector<std::vector<std::string>> expected_care, care_rows;
  for (const auto& b : care["brands"]) {
    expected_care.push_back({b["brand"], std::to_string(b["conversations"].get<uint64_t>()),
                             Num(b["first_response_median_s"]), Num(b["first_response_p90_s"])});
  }
  for (const Row& row : TableRows(html, "table-care")) care_rows.push_back({row.key, row.Sort(1), row.Sort(3), row.Sort(4)});
  ASSERT_GT(expected_care.size(), 10u);
  EXPECT_EQ(care_rows, expected_care);

  // Knowledge base: the top entry and the top gap of `hark kb`.
  for (const bool gaps : {false, true}) {
    std::vector<std::string> args = {"kb", "--index", index_, "--from", from, "--to", to, "--format", "json"};
    if (gaps) args.push_back("--gaps");
    nlohmann::json kb = HarkJson(args);
    std::vector<Row> rows = TableRows(html, gaps ? "table-gaps" : "table-kb");
    ASSERT_FALSE(kb["entries"].empty());
    ASSERT_EQ(rows.size(), std::min<size_t>(10, kb["entries"].size()));
    const auto& e = kb["entries"][0];
    EXPECT_EQ(rows[0].key, e["question"]["source"].get<std::string>() + ":" + e["question"]["id"].get<std::string>());
    EXPECT_EQ(rows[0].Sort(0), std::to_string(e["support"].get<uint64_t>()));
    if (!gaps) {
      EXPECT_NE(rows[0].cells[2].find(report::Escape(e["answer"]["author"].get<std::string>())), std::string::npos);
    }
  }
  EXPECT_EQ(html.find("id=\"journeys\""), std::string::npos) << "no journeys section without --step";
}

TEST_F(ReportCliTest, OptionsReachTheirSections) {
  const std::string out = *tmp_ / "query.html";
  Proc r = RunHark({"report", "--index", index_, "--out", out, "--query", "refund", "--by", "week", "--from",
                    "2017-10-01", "--to", "2017-11-30", "--step", "worst", "--step", "dm OR message", "--within", "1d"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = ReadFile(out);
  EXPECT_EQ(ExternalReferences(html), std::vector<std::string>{});
  const std::string header = Element(html, "<header", "</header>");
  EXPECT_EQ(Attr(header, "data-from"), "2017-10-01T00:00:00Z");
  EXPECT_EQ(Attr(header, "data-to"), "2017-11-30T23:59:59Z");
  EXPECT_EQ(Attr(header, "data-by"), "week");
  EXPECT_NE(header.find("--query refund --by week"), std::string::npos) << header;

  nlohmann::json trend = HarkJson({"trend", "--index", index_, "refund", "--by", "week", "--from", "2017-10-01", "--to",
                                   "2017-11-30", "--format", "json"});
  std::vector<std::string> counts;
  for (const auto& b : trend["series"][0]["buckets"]) counts.push_back(std::to_string(b["count"].get<uint64_t>()));
  EXPECT_EQ(Split(Attr(Svg(html, "chart-volume"), "data-values"), ','), counts);
  EXPECT_EQ(Attr(Svg(html, "chart-volume"), "data-name"), "refund");

  nlohmann::json mentions = HarkJson({"mentions", "--index", index_, "--query", "refund", "--from", "2017-10-01",
                                      "--to", "2017-11-30", "--format", "json"});
  std::vector<std::pair<std::string, std::string>> expected, table;
  for (const auto& b : mentions["brands"]) {
    if (b["mentions"].get<uint64_t>() > 0) expected.emplace_back(b["brand"], std::to_string(b["mentions"].get<uint64_t>()));
  }
  for (const Row& row : TableRows(html, "table-brands")) table.emplace_back(row.key, row.Sort(2));
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(table, expected);

  // Journeys: the customers and the funnel of `hark journeys` (README's example).
  nlohmann::json journeys = HarkJson({"journeys", "--index", index_, "--step", "worst", "--step", "dm OR message",
                                      "--within", "1d", "--from", "2017-10-01", "--to", "2017-11-30", "--format", "json"});
  std::vector<std::string> customers, rows;
  for (const auto& c : journeys["customers"]) customers.push_back(c["customer"]);
  for (const Row& row : TableRows(html, "table-journeys")) rows.push_back(row.key);
  EXPECT_EQ(rows, customers);
  EXPECT_EQ(rows, (std::vector<std::string>{"116113", "115712"}));
  nlohmann::json first = HarkJson({"journeys", "--index", index_, "--step", "worst", "--from", "2017-10-01", "--to",
                                   "2017-11-30", "--limit", "0", "--format", "json"});
  EXPECT_EQ(Bars(Svg(html, "chart-journeys")),
            (std::vector<std::pair<std::string, std::string>>{
                {"1. worst", std::to_string(first["total"].get<uint64_t>())},
                {"2. dm OR message", std::to_string(journeys["total"].get<uint64_t>())}}));
}

TEST_F(ReportCliTest, BadOptionsExitTwoAndUnwritableOutFails) {
  const std::string out = *tmp_ / "bad.html";
  const std::vector<std::vector<std::string>> bad = {
      {"--out", out, "--by", "fortnight"},
      {"--out", out, "--from", "2017-12-01", "--to", "2017-11-01"},
      {"--out", out, "--from", "yesterday"},
      {"--out", out, "--within", "1d"},
      {"--out", out, "--step", "worst", "--within", "soon"},
      {"--out", out, "--brands", *tmp_ / "no-such-lexicon.json"},
      {"--out", out, "--query", "AND OR ("},
      {"--out", out, "--no-such-option"},
      {"--out", out, "--chart-brands", "0"},
      {},
  };
  for (std::vector<std::string> args : bad) {
    args.insert(args.begin(), {"report", "--index", index_});
    Proc p = RunHark(args);
    EXPECT_EQ(p.code, 2) << ::testing::PrintToString(args) << p.err;
    EXPECT_NE(p.err.find("hark"), std::string::npos);
    EXPECT_FALSE(fs::exists(out));
  }
  EXPECT_NE(RunHark({"report", "--index", index_, "--out", out, "--by", "fortnight"}).err.find("fortnight"),
            std::string::npos);
  EXPECT_NE(RunHark({"report", "--index", index_, "--out", out, "--brands", *tmp_ / "no-such-lexicon.json"})
                .err.find("no-such-lexicon.json"),
            std::string::npos);

  // Unwritable --out: exit 1, the path in the message, nothing left behind.
  TempDir dir;
  std::ofstream(dir / "file") << "x";
  fs::create_directory(dir / "sub");
  for (const std::string& target : {dir / "missing/r.html", dir / "file/r.html", dir / "sub"}) {
    Proc p = RunHark({"report", "--index", index_, "--out", target});
    EXPECT_EQ(p.code, 1) << target;
    EXPECT_NE(p.err.find("cannot write " + target), std::string::npos) << p.err;
  }
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir.path())) left.push_back(e.path().filename());
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"file", "sub"}));
  EXPECT_TRUE(fs::is_empty(dir / "sub"));
  EXPECT_EQ(ReadFile(dir / "file"), "x");
  // A missing index is a failure naming it.
  Proc none = RunHark({"report", "--index", dir / "no-index", "--out", dir / "r.html"});
  EXPECT_EQ(none.code, 1);
  EXPECT_FALSE(fs::exists(dir / "r.html"));
}

// Hostile text: markup, quotes, ampersands, emoji and right-to-left text in messages,
// brands and authors come out as text, never as markup.
TEST(ReportEscapeTest, PlantedMarkupIsEscaped) {
  TempDir tmp;
  const std::string corpus = tmp / "hostile.jsonl";
  std::ofstream(corpus)
      << R"({"id":"m1","source":"esc","time":"2021-03-01T10:00:00Z","author":"cust\"<1>","role":"customer","brand":"<img src=x onerror=alert(1)>","thread":"t1","text":"<script>alert('x')</script> & \"quoted\" \ud83d\ude00 שלום مرحبا"})"
      << "\n"
      << R"({"id":"m2","source":"esc","time":"2021-03-01T10:05:00Z","author":"agent","role":"agent","brand":"<img src=x onerror=alert(1)>","thread":"t1","parent":"m1","text":"</td></tr> sorry <b>"})"
      << "\n"
      << R"({"id":"m3","source":"esc","time":"2021-03-01T11:00:00Z","author":"cust\"<1>","role":"customer","thread":"t2","text":"leaving now <i>bye</i>"})"
      << "\n";
  const std::string index = tmp / "index";
  Proc ingest = RunHark({"ingest", "--index", index, corpus});
  ASSERT_EQ(ingest.code, 0) << ingest.err;
  const std::string out = tmp / "r.html";
  Proc r = RunHark({"report", "--index", index, "--out", out, "--step", "alert", "--step", "leaving"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = ReadFile(out);
  EXPECT_EQ(ExternalReferences(html), std::vector<std::string>{});
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<i>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_EQ(html.find("</td></tr> sorry"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot; \xF0\x9F\x98\x80 שלום مرحبا"),
            std::string::npos);
  EXPECT_NE(html.find("leaving now &lt;i&gt;bye&lt;/i&gt;"), std::string::npos);
  // The brand in the response-time table and chart, the customer in the journeys table.
  std::vector<std::string> care;
  for (const Row& row : TableRows(html, "table-care")) care.push_back(row.key);
  EXPECT_EQ(care, (std::vector<std::string>{"(none)", "<img src=x onerror=alert(1)>"}));
  EXPECT_NE(Svg(html, "chart-care").find(">&lt;img src=x onerror=alert(1)&gt;</text>"), std::string::npos);
  ASSERT_EQ(TableRows(html, "table-journeys").size(), 1u);
  EXPECT_EQ(TableRows(html, "table-journeys")[0].key, "cust\"<1>");
  // Sections without data say so instead of drawing empty axes.
  EXPECT_NE(html.find("This index was ingested without a brand lexicon"), std::string::npos);
  EXPECT_EQ(Svg(html, "chart-sov"), "");
  EXPECT_NE(html.find("No question was asked in two conversations or more"), std::string::npos);
  EXPECT_NE(html.find("<dt>Buckets</dt><dd>hour (chosen by span)</dd>"), std::string::npos);
  EXPECT_EQ(Attr(Svg(html, "chart-volume"), "data-values"), "2,1");
}

// ---- A year-plus of real data from the shared corpora, retagged with another lexicon.

TEST(ReportSharedCorpusTest, YearsOfTwcsAndAnotherLexicon) {
  HARK_REQUIRE_CORPUS(corpus, "twcs-random-5k/twcs_small.csv");
  TempDir tmp;
  const std::string index = tmp / "index";
  ASSERT_EQ(RunHark({"ingest", "--index", index, corpus}).code, 0);
  const std::string out = tmp / "r.html";
  // Without --from/--to over 2015..2017 (the bulk in Oct-Dec 2017); --by month keeps
  // the whole span in one chart.
  Proc r = RunHark({"report", "--index", index, "--out", out, "--by", "month", "--brands", kTwcsBrands, "--from",
                    "2015-01-01", "--to", "2017-12-31"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = ReadFile(out);
  EXPECT_EQ(ExternalReferences(html), std::vector<std::string>{});
  nlohmann::json trend = HarkJson({"trend", "--index", index, "--by", "month", "--from", "2015-01-01", "--to",
                                   "2017-12-31", "--format", "json"});
  std::vector<std::string> counts;
  for (const auto& b : trend["series"][0]["buckets"]) counts.push_back(std::to_string(b["count"].get<uint64_t>()));
  EXPECT_EQ(counts.size(), 36u);
  EXPECT_EQ(Split(Attr(Svg(html, "chart-volume"), "data-values"), ','), counts);
  EXPECT_EQ(trend["series"][0]["total"], 5000);
  nlohmann::json mentions = HarkJson({"mentions", "--index", index, "--brands", kTwcsBrands, "--from", "2015-01-01",
                                      "--to", "2017-12-31", "--format", "json"});
  EXPECT_TRUE(mentions["lexicon"]["retagged"].get<bool>());
  std::vector<std::pair<std::string, std::string>> expected, table;
  for (const auto& b : mentions["brands"]) {
    if (b["mentions"].get<uint64_t>() > 0) expected.emplace_back(b["brand"], std::to_string(b["mentions"].get<uint64_t>()));
  }
  for (const Row& row : TableRows(html, "table-brands")) table.emplace_back(row.key, row.Sort(2));
  ASSERT_GT(expected.size(), 20u);
  EXPECT_EQ(table, expected);
  EXPECT_NE(html.find("tagged now"), std::string::npos);
  // Weekly mentions over three years would be ~150 buckets: by month there are 36.
  EXPECT_EQ(Split(Attr(Svg(html, "chart-mentions-time"), "data-values"), ',').size(), 36u);
}

// ---- The page in a real browser.

std::string FindChromium() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (fs::exists(p)) return p;
  }
  return "";
}

// Runs headless Chromium on `url` with `what` (--dump-dom, or --screenshot=PNG) and a
// private profile, capturing the page's console (any console message is logged to
// stderr as a CONSOLE line).
Proc Chromium(const std::string& chromium, const std::string& profile, const std::string& what, int height,
              const std::string& url) {
  return RunShell("timeout 120 " + ShellQuote(chromium) +
                  " --headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --mute-audio"
                  " --enable-logging=stderr --v=0 --virtual-time-budget=5000 --user-data-dir=" +
                  ShellQuote(profile) + " --window-size=1280," + std::to_string(height) + " " + what + " " +
                  ShellQuote(url));
}

std::vector<std::string> ConsoleLines(const std::string& err) {
  std::vector<std::string> out;
  for (const std::string& line : Split(err, '\n')) {
    if (line.find("CONSOLE") != std::string::npos) out.push_back(line);
  }
  return out;
}

TEST(ReportBrowserTest, ChromiumDrawsEveryChartWithoutErrors) {
  const std::string chromium = FindChromium();
  if (chromium.empty()) {
    if (testing::UnderCi()) FAIL() << "CI=true but chromium is not installed (tools/setup.sh installs it)";
    GTEST_SKIP() << "chromium not installed (apt-get install chromium, or tools/setup.sh): browser test skipped";
  }
  TempDir tmp;
  const std::string index = tmp / "index";
  ASSERT_EQ(RunHark({"ingest", "--index", index, "--brands", kTwcsBrands, kSample}).code, 0);
  const std::string report = tmp / "report.html";
  Proc r = RunHark({"report", "--index", index, "--out", report, "--step", "worst", "--step", "dm OR message",
                    "--within", "1d"});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string html = ReadFile(report);
  const size_t charts = Occurrences(html, "<svg");
  ASSERT_EQ(charts, 6u);
  const size_t tables = Occurrences(html, "<table class=\"sortable\"");

  // The error capture catches errors: a deliberately broken page shows up.
  const std::string broken = tmp / "broken.html";
  std::ofstream(broken) << "<!DOCTYPE html><p>x</p><script>undefinedFunctionOfTheTest();</script>";
  Proc b = Chromium(chromium, tmp / "profile-broken", "--dump-dom", 800, "file://" + broken);
  ASSERT_EQ(b.code, 0) << b.err;
  ASSERT_EQ(ConsoleLines(b.err).size(), 1u) << b.err;
  EXPECT_NE(ConsoleLines(b.err)[0].find("undefinedFunctionOfTheTest"), std::string::npos);

  // A probe copy of the page: after the page's own script, note where each chart is
  // drawn and how tall the page is, then sort the brands table by mentions.
  const std::string probe = tmp / "probe.html";
  std::string probed = html;
  probed.insert(probed.rfind("</body>"),
                "<script>document.querySelectorAll('svg.chart').forEach(function (s) {"
                "var r = s.getBoundingClientRect(); s.setAttribute('data-rect', [Math.round(r.left + scrollX),"
                " Math.round(r.top + scrollY), Math.round(r.width), Math.round(r.height)].join(','));});"
                "document.documentElement.setAttribute('data-height', document.documentElement.scrollHeight);"
                "document.querySelector('#table-brands thead th:nth-child(3)').click();</script>");
  std::ofstream(probe) << probed;
  Proc dom = Chromium(chromium, tmp / "profile-dom", "--dump-dom", 4000, "file://" + probe);
  ASSERT_EQ(dom.code, 0) << dom.err;
  EXPECT_TRUE(ConsoleLines(dom.err).empty()) << ::testing::PrintToString(ConsoleLines(dom.err));
  // The DOM after the scripts ran: every chart there and placed, every table wired.
  EXPECT_EQ(Occurrences(dom.out, "<svg"), charts);
  EXPECT_EQ(Occurrences(dom.out, "data-sortable=\"ready\""), tables);
  std::vector<std::string> rects;
  for (const std::string& svg : All(dom.out, "<svg class=\"chart\"", ">")) rects.push_back(Attr(svg, "data-rect"));
  ASSERT_EQ(rects.size(), charts);
  const int height = std::stoi(Attr(Element(dom.out, "<html", ">"), "data-height"));
  ASSERT_GT(height, 2000);
  // Sorting: a click on "Mentions" orders the brands ascending, the same rows.
  std::vector<Row> sorted = TableRows(dom.out, "table-brands"), original = TableRows(html, "table-brands");
  ASSERT_EQ(sorted.size(), original.size());
  std::vector<double> mentions;
  for (const Row& row : sorted) mentions.push_back(std::stod(row.Sort(2)));
  EXPECT_TRUE(std::is_sorted(mentions.begin(), mentions.end()));
  EXPECT_GT(mentions.back(), mentions.front());
  EXPECT_NE(Element(dom.out, "<table class=\"sortable\" id=\"table-brands\"", "</thead>").find("aria-sort=\"ascending\""),
            std::string::npos);

  // The screenshot of the whole page, kept as a test artifact.
  const std::string artifacts = std::string(HARK_BINARY_DIR) + "/test-artifacts";
  fs::create_directories(artifacts);
  const std::string png = artifacts + "/report.png";
  fs::remove(png);
  fs::copy_file(report, artifacts + "/report.html", fs::copy_options::overwrite_existing);
  Proc shot = Chromium(chromium, tmp / "profile-shot", "--screenshot=" + png, std::min(height, 16000), "file://" + report);
  ASSERT_EQ(shot.code, 0) << shot.err;
  EXPECT_TRUE(ConsoleLines(shot.err).empty()) << ::testing::PrintToString(ConsoleLines(shot.err));
  ASSERT_TRUE(fs::exists(png)) << shot.err;
  std::cout << "report screenshot: " << png << "\n";

  // Every chart's region of the screenshot is drawn: ink, and colour (bars, lines,
  // markers; not only grey text).
  std::string regions = "python3 " + ShellQuote(std::string(HARK_SOURCE_DIR) + "/tests/png_regions.py") + " " + ShellQuote(png);
  for (const std::string& rect : rects) regions += " " + rect;
  Proc check = RunShell(regions);
  ASSERT_EQ(check.code, 0) << check.err;
  nlohmann::json j = nlohmann::json::parse(check.out);
  EXPECT_EQ(j["width"], 1280);
  EXPECT_EQ(j["height"], std::min(height, 16000));
  for (const auto& region : j["regions"]) {
    const double pixels = region["pixels"].get<double>();
    ASSERT_GT(pixels, 20000) << region;
    EXPECT_GT(region["ink"].get<double>() / pixels, 0.02) << region;
    EXPECT_GT(region["colour"].get<double>(), 400) << region;
  }
  // And the page outside the charts is not all ink: the screenshot is of a page, not noise.
  Proc margin = RunShell("python3 " + ShellQuote(std::string(HARK_SOURCE_DIR) + "/tests/png_regions.py") + " " +
                         ShellQuote(png) + " 0,0,100," + std::to_string(std::min(height, 16000)));
  nlohmann::json m = nlohmann::json::parse(margin.out);
  EXPECT_EQ(m["regions"][0]["ink"], 0) << "the left margin is blank";
}

}  // namespace
}  // namespace hark
