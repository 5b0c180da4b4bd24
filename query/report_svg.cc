#include "query/report_svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "query/output.h"

namespace hark::report {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD
constexpr char kFont[] = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
constexpr char kAxisColor[] = "#555";
constexpr char kGridColor[] = "#e3e3e3";
constexpr char kMarkerColor[] = "#d62728";

// Length of the valid UTF-8 sequence at text[i] (1-4), or 0 when it is not one
// (stray continuation byte, overlong form, surrogate, beyond U+10FFFF, truncated).
size_t Utf8Length(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) n = 3, lo = 0xA0;
  else if (c >= 0xE1 && c <= 0xEC) n = 3;
  else if (c == 0xED) n = 3, hi = 0x9F;
  else if (c >= 0xEE && c <= 0xEF) n = 3;
  else if (c == 0xF0) n = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else if (c == 0xF4) n = 4, hi = 0x8F;
  else return 0;
  if (i + n > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

std::string Fmt(double v) { return Number(v, 1); }

// "x=".. attributes with one decimal.
std::string Attr(const char* name, double v) { return std::string(" ") + name + "=\"" + Fmt(v) + "\""; }

std::string Text(double x, double y, std::string_view text, const char* anchor, const char* extra = "") {
  return "<text" + Attr("x", x) + Attr("y", y) + " text-anchor=\"" + anchor + "\"" + extra + ">" + Escape(text) +
         "</text>";
}

// Roughly how wide `text` is drawn at 12px (average glyph ~6.6px; a wide glyph counts
// once per UTF-8 sequence).
double TextWidth(std::string_view text) {
  size_t chars = 0;
  for (unsigned char c : text) chars += (c & 0xC0) != 0x80;
  return static_cast<double>(chars) * 6.6;
}

// `text` cut to `max` characters (UTF-8 aware), with an ellipsis when cut.
std::string Clip(std::string_view text, size_t max) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && ++chars > max) {
      return std::string(text.substr(0, i)) + "\xE2\x80\xA6";
    }
  }
  return std::string(text);
}

std::string JoinValues(const std::vector<double>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + Number(values[i], 6);
  return out;
}

std::string SvgOpen(const std::string& id, const std::string& title, int width, double height) {
  // No xmlns: inside HTML the parser puts <svg> in the SVG namespace itself, and the
  // page then holds no URL at all.
  return "<svg class=\"chart\" id=\"" + Escape(id) + "\" role=\"img\" aria-label=\"" +
         Escape(title) + "\" width=\"" + std::to_string(width) + "\" height=\"" + Fmt(height) + "\" viewBox=\"0 0 " +
         std::to_string(width) + " " + Fmt(height) + "\" font-family=\"" + kFont + "\" font-size=\"12\">";
}

// A legend entry: a swatch (a filled square, a line, or a ring) and its text; returns
// the x after it.
enum class Swatch { kBox, kLine, kRing };
double LegendEntry(std::string* svg, double x, double y, Swatch swatch, const std::string& color,
                   const std::string& text) {
  *svg += "<g class=\"legend-entry\">";
  switch (swatch) {
    case Swatch::kBox:
      *svg += "<rect" + Attr("x", x) + Attr("y", y - 9) + " width=\"12\" height=\"12\" rx=\"2\" fill=\"" + color + "\"/>";
      break;
    case Swatch::kLine:
      *svg += "<line" + Attr("x1", x) + Attr("y1", y - 3) + Attr("x2", x + 12) + Attr("y2", y - 3) + " stroke=\"" + color +
              "\" stroke-width=\"2\"/>";
      break;
    case Swatch::kRing:
      *svg += "<circle" + Attr("cx", x + 6) + Attr("cy", y - 3) + " r=\"5\" fill=\"none\" stroke=\"" + color +
              "\" stroke-width=\"2\"/>";
      break;
  }
  *svg += Text(x + 17, y, text, "start") + "</g>";
  return x + 17 + TextWidth(text) + 18;
}

}  // namespace

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const size_t n = Utf8Length(text, i);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (n == 1) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default:
          if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) out += kReplacement;
          else out += static_cast<char>(c);
      }
    } else if (n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      out += kReplacement;  // C1 control characters U+0080..U+009F
    } else {
      out.append(text.data() + i, n);
    }
    i += n;
  }
  return out;
}

std::string Number(double n, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, n);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::string Duration(double seconds) {
  if (!(seconds >= 0)) return "-";
  const unsigned long long s = static_cast<unsigned long long>(std::llround(seconds));
  // The two largest units; the smaller is left out when it is zero ("1h", not "1h00m").
  auto two = [](unsigned long long big, const char* big_unit, unsigned long long small, const char* small_unit) {
    char out[48];
    if (small == 0) std::snprintf(out, sizeof out, "%llu%s", big, big_unit);
    else std::snprintf(out, sizeof out, "%llu%s%02llu%s", big, big_unit, small, small_unit);
    return std::string(out);
  };
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return two(s / 60, "m", s % 60, "s");
  if (s < 86400) return two(s / 3600, "h", (s / 60) % 60, "m");
  return two(s / 86400, "d", (s / 3600) % 24, "h");
}

std::vector<double> NiceTicks(double max, int target, bool seconds) {
  if (!(max > 0)) return {0, 1};
  target = std::max(target, 1);
  const double raw = max / target;
  double step;
  if (seconds) {
    static const double kSteps[] = {1,    2,    5,     10,    15,    30,    60,     120,    300,    600,    900,
                                    1800, 3600, 7200,  10800, 21600, 43200, 86400,  172800, 345600, 604800};
    step = 0;
    for (double s : kSteps) {
      if (s >= raw) {
        step = s;
        break;
      }
    }
    if (step == 0) step = std::ceil(raw / 604800) * 604800;  // whole weeks
  } else {
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double norm = raw / mag;
    step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
    if (max >= 1) step = std::max(step, 1.0);  // counts: no half messages
  }
  // Multiples of a step below 1 are computed as divisions (3 / 10, not 3 * 0.1), so that
  // the labels are the round numbers they should be.
  const double inverse = step < 1 ? std::round(1 / step) : 0;
  std::vector<double> ticks;
  for (int i = 0;; ++i) {
    const double t = inverse > 0 ? i / inverse : step * i;
    ticks.push_back(t);
    if (t >= max - 1e-9 * max) break;
  }
  return ticks;
}

const char* PaletteColor(size_t i) {
  static const char* kColors[] = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2",
                                  "#edc948", "#9c755f", "#ff9da7", "#e15759", "#bab0ac"};
  return kColors[i % (sizeof kColors / sizeof kColors[0])];
}

std::string TimeSeriesSvg(const TimeChart& c) {
  const size_t n = c.x_labels.size();
  const double left = 70, right = 40, top = 40, bottom = 56;
  const double w = c.width, h = c.height;
  const double plot_w = w - left - right, plot_h = h - top - bottom;
  double max = 0;
  for (const ChartSeries& s : c.series) {
    for (double v : s.values) max = std::max(max, v);
  }
  const std::vector<double> ticks = NiceTicks(max, 5);
  const double y_max = ticks.back();
  auto x_at = [&](size_t i) { return left + (static_cast<double>(i) + 0.5) * plot_w / static_cast<double>(std::max<size_t>(n, 1)); };
  auto y_at = [&](double v) { return top + plot_h - v / y_max * plot_h; };

  std::string svg = SvgOpen(c.id, c.title, c.width, h);
  svg += "<title>" + Escape(c.title) + "</title>";
  // Legend.
  double lx = left;
  for (const ChartSeries& s : c.series) lx = LegendEntry(&svg, lx, 18, Swatch::kLine, s.color, s.name);
  if (!c.markers.empty()) LegendEntry(&svg, lx, 18, Swatch::kRing, kMarkerColor, c.marker_legend);
  // Y grid, ticks and title.
  svg += "<g class=\"axis y-axis\" fill=\"" + std::string(kAxisColor) + "\">";
  for (double t : ticks) {
    const double y = y_at(t);
    svg += "<line" + Attr("x1", left) + Attr("y1", y) + Attr("x2", left + plot_w) + Attr("y2", y) + " stroke=\"" +
           kGridColor + "\"/>";
    svg += Text(left - 8, y + 4, GroupedCount(static_cast<uint64_t>(std::llround(t))), "end");
  }
  svg += "<text class=\"axis-title\" transform=\"translate(16," + Fmt(top + plot_h / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">" + Escape(c.y_title) + "</text></g>";
  // X axis: baseline, up to ~8 labels, title.
  svg += "<g class=\"axis x-axis\" fill=\"" + std::string(kAxisColor) + "\">";
  svg += "<line" + Attr("x1", left) + Attr("y1", top + plot_h) + Attr("x2", left + plot_w) + Attr("y2", top + plot_h) +
         " stroke=\"" + kAxisColor + "\"/>";
  const size_t label_w = n == 0 ? 1 : static_cast<size_t>(TextWidth(c.x_labels[0]) + 24);
  const size_t fit = std::max<size_t>(2, static_cast<size_t>(plot_w) / std::max<size_t>(label_w, 1));
  const size_t step = std::max<size_t>(1, (n + fit - 1) / fit);
  for (size_t i = 0; i < n; i += step) {
    const double x = x_at(i);
    svg += "<line" + Attr("x1", x) + Attr("y1", top + plot_h) + Attr("x2", x) + Attr("y2", top + plot_h + 5) +
           " stroke=\"" + kAxisColor + "\"/>";
    svg += Text(x, top + plot_h + 19, c.x_labels[i], "middle");
  }
  svg += Text(left + plot_w / 2, h - 8, c.x_title, "middle", " class=\"axis-title\"") + "</g>";
  // Series.
  for (const ChartSeries& s : c.series) {
    double total = 0;
    for (double v : s.values) total += v;
    svg += "<g class=\"series\" data-name=\"" + Escape(s.name) + "\" data-total=\"" + Number(total, 6) +
           "\" data-values=\"" + JoinValues(s.values) + "\">";
    std::string line;
    for (size_t i = 0; i < s.values.size() && i < n; ++i) {
      line += (i ? " L" : "M") + Fmt(x_at(i)) + "," + Fmt(y_at(s.values[i]));
    }
    if (!line.empty() && c.series.size() == 1 && n > 1) {
      svg += "<path d=\"" + line + " L" + Fmt(x_at(n - 1)) + "," + Fmt(top + plot_h) + " L" + Fmt(x_at(0)) + "," +
             Fmt(top + plot_h) + " Z\" fill=\"" + s.color + "\" fill-opacity=\"0.15\" stroke=\"none\"/>";
    }
    if (!line.empty()) {
      svg += "<path d=\"" + line + "\" fill=\"none\" stroke=\"" + s.color +
             "\" stroke-width=\"2\" stroke-linejoin=\"round\"/>";
    }
    if (n <= 40) {
      for (size_t i = 0; i < s.values.size() && i < n; ++i) {
        svg += "<circle" + Attr("cx", x_at(i)) + Attr("cy", y_at(s.values[i])) + " r=\"3\" fill=\"" + s.color + "\"/>";
      }
    }
    svg += "</g>";
  }
  // Markers, labels staggered so that neighbours do not overprint.
  size_t k = 0;
  for (const ChartMarker& m : c.markers) {
    if (m.series >= c.series.size() || m.index >= n || m.index >= c.series[m.series].values.size()) continue;
    const double x = x_at(m.index), y = y_at(c.series[m.series].values[m.index]);
    const double ly = std::max(top + 10, y - 12 - 14.0 * static_cast<double>(k++ % 2));
    const double lx = std::clamp(x, left + TextWidth(m.label) / 2, left + plot_w - TextWidth(m.label) / 2);
    svg += "<g class=\"marker\" data-index=\"" + std::to_string(m.index) + "\"><title>" + Escape(m.tooltip) +
           "</title><circle" + Attr("cx", x) + Attr("cy", y) + " r=\"7\" fill=\"none\" stroke=\"" + kMarkerColor +
           "\" stroke-width=\"2.5\"/>" +
           Text(lx, ly, m.label, "middle", " fill=\"#b01c1c\" font-weight=\"600\" font-size=\"11\"") + "</g>";
  }
  // Hover targets: one column per bucket with its label and values.
  if (n <= 1500) {
    svg += "<g class=\"hover\" fill=\"transparent\">";
    const double col = plot_w / static_cast<double>(std::max<size_t>(n, 1));
    for (size_t i = 0; i < n; ++i) {
      std::string tip = c.x_labels[i];
      for (const ChartSeries& s : c.series) {
        if (i < s.values.size()) {
          tip += "\n" + s.name + ": " + GroupedCount(static_cast<uint64_t>(std::llround(s.values[i])));
        }
      }
      svg += "<rect" + Attr("x", left + col * static_cast<double>(i)) + Attr("y", top) + Attr("width", col) +
             Attr("height", plot_h) + "><title>" + Escape(tip) + "</title></rect>";
    }
    svg += "</g>";
  }
  return svg + "</svg>";
}

std::string BarChartSvg(const BarChart& c) {
  const size_t n = c.categories.size();
  const double row = 24, bar = 15, top = 34, bottom = 50;
  double label_w = 0;
  for (const std::string& cat : c.categories) label_w = std::max(label_w, TextWidth(Clip(cat, 28)));
  const double left = std::min(230.0, label_w + 18), right = 150;
  const double w = c.width, plot_w = w - left - right, plot_h = row * static_cast<double>(n);
  const double h = top + plot_h + bottom;

  std::vector<double> totals(n, 0);
  double max = 0;
  for (size_t i = 0; i < n; ++i) {
    for (size_t s = 0; s < c.series.size() && (c.stacked || s == 0); ++s) {
      if (i < c.series[s].values.size()) totals[i] += c.series[s].values[i];
    }
    max = std::max(max, totals[i]);
    if (i < c.whiskers.size() && c.whiskers[i]) max = std::max(max, *c.whiskers[i]);
  }
  if (c.axis_max) max = *c.axis_max;
  std::vector<double> ticks;
  double x_min = 0, x_max = 1;
  const bool log_scale = c.log_scale && c.seconds && !c.stacked;
  if (log_scale) {
    static const double kLogTicks[] = {1, 10, 60, 600, 3600, 21600, 86400, 604800, 2592000, 31536000};
    double min = max;
    for (size_t i = 0; i < n; ++i) {
      if (totals[i] > 0) min = std::min(min, totals[i]);
    }
    x_min = kLogTicks[0];
    for (double t : kLogTicks) {
      if (t <= min) x_min = t;
    }
    x_max = 0;
    for (double t : kLogTicks) {
      if (t > x_min) ticks.push_back(t);
      if (t > x_min && t >= max) {
        x_max = t;
        break;
      }
    }
    if (x_max == 0) x_max = ticks.back();
    ticks.insert(ticks.begin(), x_min);
  } else {
    ticks = NiceTicks(max, 6, c.seconds);
    x_max = c.axis_max ? *c.axis_max : ticks.back();
  }
  auto x_at = [&](double v) {
    if (log_scale) {
      v = std::clamp(v, x_min, x_max);
      return left + std::log(v / x_min) / std::log(x_max / x_min) * plot_w;
    }
    return left + std::min(v, x_max) / x_max * plot_w;
  };
  auto tick_text = [&](double v) {
    if (c.tick_format) return c.tick_format(v);
    return c.seconds ? Duration(v) : Number(v, 2);
  };

  std::string svg = SvgOpen(c.id, c.title, c.width, h);
  svg += "<title>" + Escape(c.title) + "</title>";
  double lx = left;
  for (size_t s = 0; s < c.series.size() && (c.stacked || s == 0); ++s) {
    if (!c.series[s].name.empty()) lx = LegendEntry(&svg, lx, 18, Swatch::kBox, c.series[s].color, c.series[s].name);
  }
  if (!c.whisker_legend.empty()) LegendEntry(&svg, lx, 18, Swatch::kLine, "#333", c.whisker_legend);
  // Value axis.
  svg += "<g class=\"axis x-axis\" fill=\"" + std::string(kAxisColor) + "\">";
  for (double t : ticks) {
    if (t > x_max + 1e-9) break;
    const double x = x_at(t);
    svg += "<line" + Attr("x1", x) + Attr("y1", top - 4) + Attr("x2", x) + Attr("y2", top + plot_h) + " stroke=\"" +
           kGridColor + "\"/>";
    svg += Text(x, top + plot_h + 16, tick_text(t), "middle");
  }
  svg += "<line" + Attr("x1", left) + Attr("y1", top + plot_h) + Attr("x2", left + plot_w) + Attr("y2", top + plot_h) +
         " stroke=\"" + kAxisColor + "\"/>";
  svg += Text(left + plot_w / 2, h - 8, c.value_title, "middle", " class=\"axis-title\"") + "</g>";
  // Rows.
  for (size_t i = 0; i < n; ++i) {
    const double y = top + row * static_cast<double>(i) + (row - bar) / 2;
    const double first = !c.series.empty() && i < c.series[0].values.size() ? c.series[0].values[i] : 0;
    svg += "<g class=\"bar\" data-label=\"" + Escape(c.categories[i]) + "\" data-value=\"" +
           Number(c.stacked ? totals[i] : first, 6) + "\">";
    const std::string label = Clip(c.categories[i], 28);
    svg += "<text" + Attr("x", left - 8) + Attr("y", y + bar - 3) + " text-anchor=\"end\" fill=\"#222\">" +
           (label != c.categories[i] ? "<title>" + Escape(c.categories[i]) + "</title>" : "") + Escape(label) +
           "</text>";
    double x0 = 0;
    for (size_t s = 0; s < c.series.size() && (c.stacked || s == 0); ++s) {
      const double v = i < c.series[s].values.size() ? c.series[s].values[i] : 0;
      if (v <= 0) continue;
      svg += "<rect" + Attr("x", x_at(x0)) + Attr("y", y) + Attr("width", std::max(1.0, x_at(x0 + v) - x_at(x0))) +
             Attr("height", bar) + " fill=\"" + c.series[s].color + "\"><title>" +
             Escape(c.categories[i] + (c.series[s].name.empty() ? "" : " " + c.series[s].name) + ": " + tick_text(v)) +
             "</title></rect>";
      x0 += v;
    }
    double end = x_at(x0);
    if (i < c.whiskers.size() && c.whiskers[i]) {
      const double wx = x_at(*c.whiskers[i]), my = y + bar / 2;
      svg += "<g class=\"whisker\"><title>" + Escape(c.categories[i] + " " + c.whisker_legend + ": " +
                                                     tick_text(*c.whiskers[i])) +
             "</title><line" + Attr("x1", end) + Attr("y1", my) + Attr("x2", wx) + Attr("y2", my) +
             " stroke=\"#333\" stroke-width=\"1.5\"/><line" + Attr("x1", wx) + Attr("y1", y + 2) + Attr("x2", wx) +
             Attr("y2", y + bar - 2) + " stroke=\"#333\" stroke-width=\"1.5\"/></g>";
      end = std::max(end, wx);
    }
    if (i < c.value_labels.size() && !c.value_labels[i].empty()) {
      svg += Text(end + 6, y + bar - 3, c.value_labels[i], "start", " fill=\"#333\"");
    }
    svg += "</g>";
  }
  return svg + "</svg>";
}

}  // namespace hark::report
