#include "report/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace fim::report {
namespace {

constexpr double kWidth = 640, kHeight = 400, kLeft = 70, kRight = 160, kTop = 40, kBottom = 50;
// Text boxes are estimated at kCharWidth em per character (an upper estimate for sans-serif), so
// layouts that keep estimated boxes apart keep the rendered labels apart.
constexpr double kFontSize = 12, kCharWidth = 0.6, kLegendRow = 18;
const char* const kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};

std::string esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// Maps data values to pixels along one axis (log axes map log10 of the value).
struct Scale {
  double lo = 0, hi = 1, px_lo = 0, px_hi = 1;
  bool log = false;
  double t(double v) const { return log ? std::log10(v) : v; }
  double operator()(double v) const { return px_lo + (t(v) - lo) / (hi - lo) * (px_hi - px_lo); }
  bool usable(double v) const { return std::isfinite(v) && (!log || v > 0); }
};

Scale fit(std::vector<double> values, bool log, double px_lo, double px_hi) {
  Scale s{0, 1, px_lo, px_hi, log};
  values.erase(std::remove_if(values.begin(), values.end(), [&](double v) { return !s.usable(v); }), values.end());
  if (values.empty()) return s;
  const auto [mn, mx] = std::minmax_element(values.begin(), values.end());
  s.lo = s.t(*mn);
  s.hi = s.t(*mx);
  if (s.hi - s.lo < 1e-12 * (std::fabs(s.hi) + 1)) s.lo -= 0.5, s.hi += 0.5;  // a single value
  const double pad = 0.05 * (s.hi - s.lo);
  s.lo -= pad, s.hi += pad;
  return s;
}

// Tick values: powers of ten on log axes, about five round numbers on linear ones.
std::vector<double> ticks(const Scale& s) {
  std::vector<double> out;
  if (s.log) {
    const int step = std::max(1, static_cast<int>(std::ceil((s.hi - s.lo) / 6)));
    for (int e = static_cast<int>(std::ceil(s.lo)); e <= std::floor(s.hi); e += step) out.push_back(std::pow(10.0, e));
    return out;
  }
  const double raw = (s.hi - s.lo) / 5, mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double step = raw / mag < 2 ? 2 * mag : raw / mag < 5 ? 5 * mag : 10 * mag;
  for (double v = std::ceil(s.lo / step) * step; v <= s.hi; v += step) out.push_back(std::fabs(v) < step * 1e-9 ? 0 : v);
  return out;
}

double text_width(const std::string& s) { return kCharWidth * kFontSize * static_cast<double>(s.size()); }

// The font size, at most `preferred`, at which s fits in `space` pixels.
double fitting(const std::string& s, double preferred, double space) {
  return std::min(preferred, space / (kCharWidth * std::max<double>(1, static_cast<double>(s.size()))));
}

// One legend entry with its swatch's top left at (x, y): the line itself (dashed or not), or a square;
// the label's font shrinks to fit the canvas.
void legend_entry(std::ostringstream& o, double x, double y, const char* color, const char* dash, const Series& s) {
  if (s.line)
    o << "<line x1=\"" << x << "\" x2=\"" << x + 10 << "\" y1=\"" << y + 5 << "\" y2=\"" << y + 5 << "\" stroke=\"" << color
      << "\" stroke-width=\"2.5\"" << dash << "/>";
  else o << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"10\" height=\"10\" fill=\"" << color << "\"/>";
  o << "<text x=\"" << x + 14 << "\" y=\"" << y + 9 << "\" font-size=\"" << fitting(s.label, kFontSize, kWidth - x - 18) << "\">"
    << esc(s.label) << "</text>\n";
}

void header(std::ostringstream& o, const std::string& title, double height) {
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << height
    << "\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
    << "<text x=\"" << kWidth / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"" << fitting(title, 14, kWidth - 20)
    << "\">" << esc(title) << "</text>\n";
}

}  // namespace

std::string plot_svg(const std::string& title, const Axis& xa, const Axis& ya, const std::vector<Series>& series,
                     const std::vector<std::pair<double, std::string>>& hlines) {
  std::vector<double> xs, ys;
  for (const Series& s : series) {
    xs.insert(xs.end(), s.x.begin(), s.x.end());
    ys.insert(ys.end(), s.y.begin(), s.y.end());
  }
  for (const auto& h : hlines) ys.push_back(h.first);
  const Scale x = fit(xs, xa.log, kLeft, kWidth - kRight), y = fit(ys, ya.log, kHeight - kBottom, kTop);
  // The legend sits right of the plot when every label fits there, else below it, one row each.
  double longest = 0;
  for (const Series& s : series) longest = std::max(longest, text_width(s.label));
  const bool below = longest > kRight - 24;
  const double height = below ? kHeight + kLegendRow * static_cast<double>(series.size()) + 8 : kHeight;
  const auto legend_at = [&](std::size_t k) {  // top left of entry k's colour square
    return below ? std::pair<double, double>{kLeft, kHeight + 4 + kLegendRow * static_cast<double>(k)}
                 : std::pair<double, double>{kWidth - kRight + 10, kTop + kLegendRow * static_cast<double>(k)};
  };
  std::ostringstream o;
  header(o, title, height);
  o << "<rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << kWidth - kLeft - kRight << "\" height=\""
    << kHeight - kTop - kBottom << "\" fill=\"none\" stroke=\"#444\"/>\n";
  for (double v : ticks(x))
    o << "<line x1=\"" << x(v) << "\" x2=\"" << x(v) << "\" y1=\"" << kHeight - kBottom << "\" y2=\"" << kHeight - kBottom + 4
      << "\" stroke=\"#444\"/><text x=\"" << x(v) << "\" y=\"" << kHeight - kBottom + 16 << "\" text-anchor=\"middle\">"
      << num(v) << "</text>\n";
  for (double v : ticks(y))
    o << "<line x1=\"" << kLeft - 4 << "\" x2=\"" << kLeft << "\" y1=\"" << y(v) << "\" y2=\"" << y(v)
      << "\" stroke=\"#444\"/><text x=\"" << kLeft - 6 << "\" y=\"" << y(v) + 4 << "\" text-anchor=\"end\">" << num(v) << "</text>\n";
  o << "<text x=\"" << (kLeft + kWidth - kRight) / 2 << "\" y=\"" << kHeight - 12 << "\" text-anchor=\"middle\">"
    << esc(xa.title) << "</text>\n<text transform=\"translate(16," << (kTop + kHeight - kBottom) / 2
    << ") rotate(-90)\" text-anchor=\"middle\" font-size=\"" << fitting(ya.title, kFontSize, kHeight - kTop - kBottom)
    << "\">" << esc(ya.title) << "</text>\n";
  double last_label = -1e9;  // reference-line labels sit inside the plot, above their line, never stacked
  for (const auto& [v, label] : hlines) {
    if (!y.usable(v)) continue;
    const double ly = std::abs(y(v) - 4 - last_label) < kFontSize + 2 ? last_label - kFontSize - 2 : y(v) - 4;
    last_label = ly;
    o << "<line x1=\"" << kLeft << "\" x2=\"" << kWidth - kRight << "\" y1=\"" << y(v) << "\" y2=\"" << y(v)
      << "\" stroke=\"#888\" stroke-dasharray=\"4 3\"/><text x=\"" << kWidth - kRight - 4 << "\" y=\"" << ly
      << "\" text-anchor=\"end\" fill=\"#555\">" << esc(label) << "</text>\n";
  }
  int drawn = 0;
  for (std::size_t k = 0; k < series.size(); ++k) {
    const Series& s = series[k];
    constexpr std::size_t kPalette = sizeof kColors / sizeof *kColors;
    const char* color = kColors[k % kPalette];
    const char* dash = k < kPalette ? "" : " stroke-dasharray=\"6 3\"";  // a second round of colours is dashed
    std::ostringstream pts;
    for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!x.usable(s.x[i]) || !y.usable(s.y[i])) continue;
      ++drawn;
      if (s.line) pts << x(s.x[i]) << "," << y(s.y[i]) << " ";
      else o << "<circle cx=\"" << x(s.x[i]) << "\" cy=\"" << y(s.y[i]) << "\" r=\"2.5\" fill=\"" << color << "\" fill-opacity=\"0.6\"/>\n";
    }
    if (s.line)
      o << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"1.5\"" << dash << " points=\"" << pts.str() << "\"/>\n";
    const auto [lx, ly] = legend_at(k);
    legend_entry(o, lx, ly, color, dash, s);
  }
  if (drawn == 0)
    o << "<text x=\"" << (kLeft + kWidth - kRight) / 2 << "\" y=\"" << kHeight / 2 << "\" text-anchor=\"middle\">no data to plot</text>\n";
  o << "</svg>\n";
  return o.str();
}

std::string spectra_svg(const std::string& title, const std::vector<std::pair<std::string, std::vector<double>>>& rows) {
  std::vector<double> all;
  for (const auto& r : rows) all.insert(all.end(), r.second.begin(), r.second.end());
  const double row_height = 50, height = kTop + row_height * rows.size() + kBottom;
  const Scale x = fit(all, false, kLeft + 60, kWidth - 40);
  std::ostringstream o;
  header(o, title, height);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const double yc = kTop + row_height * (k + 0.5);
    o << "<text x=\"" << kLeft + 50 << "\" y=\"" << yc + 4 << "\" text-anchor=\"end\">" << esc(rows[k].first) << "</text>\n"
      << "<line x1=\"" << kLeft + 60 << "\" x2=\"" << kWidth - 40 << "\" y1=\"" << yc << "\" y2=\"" << yc << "\" stroke=\"#ccc\"/>\n";
    const auto& ev = rows[k].second;
    const double top = ev.empty() ? 0 : *std::max_element(ev.begin(), ev.end());
    for (double v : ev) {
      if (!std::isfinite(v)) continue;
      const bool is_top = v == top;
      o << "<line x1=\"" << x(v) << "\" x2=\"" << x(v) << "\" y1=\"" << yc - (is_top ? 14 : 9) << "\" y2=\"" << yc + (is_top ? 14 : 9)
        << "\" stroke=\"" << (is_top ? "#d62728" : "#1f77b4") << "\" stroke-width=\"" << (is_top ? 2.5 : 1.5) << "\"/>\n";
    }
  }
  for (double v : ticks(x))
    o << "<text x=\"" << x(v) << "\" y=\"" << height - kBottom + 20 << "\" text-anchor=\"middle\">" << num(v) << "</text>\n";
  o << "<text x=\"" << kWidth / 2 << "\" y=\"" << height - 10 << "\" text-anchor=\"middle\" fill=\"#555\">"
    << "eigenvalues (binary64 approximations, for the eye; red: the largest)</text>\n</svg>\n";
  return o.str();
}

std::string bars_svg(const std::string& title, const Axis& axis,
                     const std::vector<std::pair<std::string, double>>& rows, std::size_t max_rows) {
  const std::size_t shown = std::min(rows.size(), max_rows);
  constexpr double kRow = 18, kLabels = 200;
  std::vector<double> values{axis.log ? 1.0 : 0.0};
  for (std::size_t k = 0; k < shown; ++k) values.push_back(rows[k].second);
  if (axis.log) values.erase(values.begin());
  const double height = kTop + kRow * static_cast<double>(shown) + kBottom + (shown < rows.size() ? kRow : 0);
  const Scale x = fit(values, axis.log, kLabels, kWidth - 30);
  std::ostringstream o;
  header(o, title, height);
  const double base = axis.log ? kLabels : x(0.0);
  for (std::size_t k = 0; k < shown; ++k) {
    const double y = kTop + kRow * static_cast<double>(k);
    const std::string& label = rows[k].first;
    o << "<text x=\"" << kLabels - 6 << "\" y=\"" << y + 13 << "\" text-anchor=\"end\" font-size=\""
      << fitting(label, kFontSize, kLabels - 12) << "\">" << esc(label) << "</text>\n";
    const double v = rows[k].second;
    if (!x.usable(v) || (!axis.log && v < 0)) continue;
    o << "<rect x=\"" << base << "\" y=\"" << y + 3 << "\" width=\"" << std::max(1.0, x(v) - base)
      << "\" height=\"" << kRow - 6 << "\" fill=\"" << kColors[0] << "\"/>\n";
  }
  const double axis_y = kTop + kRow * static_cast<double>(shown) + 4;
  for (double v : ticks(x))
    o << "<line x1=\"" << x(v) << "\" x2=\"" << x(v) << "\" y1=\"" << axis_y << "\" y2=\"" << axis_y + 4
      << "\" stroke=\"#444\"/><text x=\"" << x(v) << "\" y=\"" << axis_y + 16 << "\" text-anchor=\"middle\">"
      << num(v) << "</text>\n";
  o << "<text x=\"" << (kLabels + kWidth - 30) / 2 << "\" y=\"" << axis_y + 34 << "\" text-anchor=\"middle\">"
    << esc(axis.title) << "</text>\n";
  if (shown < rows.size())
    o << "<text x=\"" << kLabels << "\" y=\"" << axis_y + 52 << "\">(" << rows.size() - shown
      << " more rows in report.json)</text>\n";
  o << "</svg>\n";
  return o.str();
}

}  // namespace fim::report
