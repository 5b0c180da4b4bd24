// Inline SVG charts and HTML text escaping for `hark report`: pure functions from numbers
// and labels to one self-contained <svg> element each (axes with tick labels, axis
// titles, a legend, <title> tooltips), nothing fetched, every label escaped here. The
// charts carry their exact numbers in data- attributes (data-values, data-value) so
// that a reader or a test can take them back without parsing pixels.
//
// Pure functions of their arguments: thread-safe.
#ifndef HARK_QUERY_REPORT_SVG_H_
#define HARK_QUERY_REPORT_SVG_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hark::report {

// `text` made safe inside HTML/SVG text and double- or single-quoted attributes: & < > "
// ' as entities; bytes that are not valid UTF-8 and control characters other than tab
// and newline become U+FFFD (a browser would otherwise show them unpredictably, and
// XML-based SVG tools reject them). Everything else (emoji, right-to-left text) stays.
std::string Escape(std::string_view text);

// A duration for people: "45s", "3m05s", "2h10m", "3d04h".
std::string Duration(double seconds);
// `n` with up to `decimals` decimals, trailing zeros dropped ("12.5", "3").
std::string Number(double n, int decimals);

// Axis ticks for [0, max]: 0 and evenly spaced round values (1, 2 or 5 times a power of
// ten, or of 60 / 3600 for durations when `seconds`), the last at or above max; about
// `target` of them.
std::vector<double> NiceTicks(double max, int target, bool seconds = false);

// Colours of the series, in order (the Tableau 10 palette; colour-blind friendly).
const char* PaletteColor(size_t i);

struct ChartSeries {
  std::string name;   // legend text
  std::string color;  // CSS colour
  std::vector<double> values;
};

// A point picked out on a time chart (a spike): a red ring on the series' line, a short
// label above it and a tooltip.
struct ChartMarker {
  size_t series = 0;  // which series it sits on
  size_t index = 0;   // which bucket
  std::string label;  // short, drawn (e.g. the strongest driver term)
  std::string tooltip;
};

struct TimeChart {
  std::string id;                     // element id
  std::string title;                  // accessible name (aria-label)
  std::vector<std::string> x_labels;  // one per bucket
  std::vector<ChartSeries> series;    // all of x_labels.size() values
  std::vector<ChartMarker> markers;
  std::string marker_legend;          // legend text of the markers ("spike: ...")
  std::string x_title, y_title;
  int width = 960, height = 320;
};

// Lines over time (with a light area under a single series), y from 0, ~6 y ticks and
// up to ~8 x tick labels taken from x_labels; every bucket has a tooltip with its label
// and values. Each series is a <g class="series" data-name=.. data-total=..
// data-values="v1,v2,..">.
std::string TimeSeriesSvg(const TimeChart& chart);

struct BarChart {
  std::string id, title;
  std::vector<std::string> categories;  // one row each, top to bottom
  // One series: plain bars. Several: stacked in order when `stacked`, else the first is
  // the bar and the others are not drawn.
  std::vector<ChartSeries> series;
  bool stacked = false;
  // An optional second value per category drawn as a whisker from the bar's end to it
  // (e.g. the p90 beside the median); nullopt where absent.
  std::vector<std::optional<double>> whiskers;
  std::string whisker_legend;
  std::vector<std::string> value_labels;  // drawn right of each bar ("" for none)
  std::string value_title;                // the value axis' title
  std::optional<double> axis_max;         // default: the largest bar (or whisker)
  bool seconds = false;                   // values are durations: ticks at round times
  // Durations spread over orders of magnitude (minutes to days): a logarithmic axis from
  // the round duration at or below the smallest value (at least 1 s) to the one at or
  // above the largest, with ticks at 1s, 10s, 1m, 10m, 1h, 6h, 1d, 1w, 30d, 1y. Needs
  // `seconds`; not for stacked bars.
  bool log_scale = false;
  std::function<std::string(double)> tick_format;  // default: Number(v, 2)
  int width = 960;
};

// Horizontal bars, one row per category (label left, value label right), a value axis
// with ticks and title at the bottom, and a legend. Each row is a <g class="bar"
// data-label=.. data-value=..> (the first series' value; a stacked row's data-value is
// its total).
std::string BarChartSvg(const BarChart& chart);

}  // namespace hark::report

#endif  // HARK_QUERY_REPORT_SVG_H_
