// Small self-contained SVG plots for the Markdown reports (no external tools): scatter and line
// plots on linear or log axes, and "spectra before/after" strips. Plots illustrate; verdicts never
// come from them.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace fim::report {

/// One data series: points (x_k, y_k); drawn as markers, or as a polyline when `line`.
struct Series {
  std::string label;
  std::vector<double> x, y;
  bool line = false;
};

/// Axis options: a title, whether the axis is logarithmic (non-positive values are then dropped).
struct Axis {
  std::string title;
  bool log = false;
};

/// A scatter or line plot of the series, with axes, ticks, a legend and optional horizontal
/// reference lines (value, label). Non-finite points are skipped; an empty plot says so.
std::string plot_svg(const std::string& title, const Axis& x, const Axis& y, const std::vector<Series>& series,
                     const std::vector<std::pair<double, std::string>>& hlines = {});

/// Eigenvalue strips: one row of ticks per (name, eigenvalues), rows stacked top to bottom on a
/// shared linear axis, with the top eigenvalue of each row marked.
std::string spectra_svg(const std::string& title, const std::vector<std::pair<std::string, std::vector<double>>>& rows);

/// Horizontal bars, one row per (label, value), top to bottom in the order given, on a shared
/// axis (logarithmic when `log`: rows whose value is not positive get no bar). Rows beyond
/// `max_rows` are left out and the plot says how many.
std::string bars_svg(const std::string& title, const Axis& axis,
                     const std::vector<std::pair<std::string, double>>& rows, std::size_t max_rows = 40);

}  // namespace fim::report
