#pragma once
/// \file
/// Inline SVG charts for the HTML report. Every chart is `role="img"` with a `<title>` and a
/// `<desc>` named by `aria-labelledby`, uses the Okabe–Ito palette, and needs no script or font.

#include <optional>
#include <string>
#include <vector>

#include "graph/model_graph.hpp"

namespace pathways::html {

/// The least half-width of an effect axis, in SD: an axis spans at least −0.1 to +0.1 SD, so an effect
/// of +0.004 SD is drawn as the sliver it is rather than zoomed into a cliff. 0.1 SD is about a
/// third of a year of learning at these grades and between "small" (0.05) and "large" (0.20) for an
/// education program, a span a reader can judge effects against.
inline constexpr double min_effect_half_span = 0.1;

/// An axis range, rounded to ticks (1, 2 or 5 × 10^k, about four of them).
struct value_range {
    double low = 0.0;
    double high = 1.0;
    double step = 0.25;
    bool operator==(const value_range&) const = default;
};

/// The one range every chart of a comparison shares: all of `values` and 0, widened to at least
/// ±`min_half_span` around 0, rounded to ticks. Non-finite values are ignored.
value_range shared_range(const std::vector<double>& values, double min_half_span);

/// A quantity over the years: mean with its 90% band, and an optional comparison line.
struct band_chart {
    std::string id;  ///< unique in the page (used for aria ids)
    std::string title;
    std::string subtitle;     ///< a second, smaller title line, or empty
    std::string description;  ///< what the chart shows, in words, for screen readers
    std::string y_label;
    std::vector<int> years;
    std::vector<double> mean;
    std::vector<double> low;         ///< p05
    std::vector<double> high;        ///< p95
    std::vector<double> comparison;  ///< business as usual (mean), same length as `years` or empty
    /// The y range the chart shares with the others it is compared with; without one it fits its own data.
    std::optional<value_range> range;
    bool zero_line = false;  ///< a solid line at 0 (no effect, or a gap closed)
};

/// A small line chart: shaded p05–p95 band, solid mean line, dashed comparison line. The `<svg>`
/// carries its y range as `data-axis-min` and `data-axis-max`.
std::string band_chart_svg(const band_chart& chart);

/// One row of an interval chart: a mean with its 90% interval.
struct interval_row {
    std::string label;
    double mean = 0.0;
    double low = 0.0;
    double high = 0.0;
    bool highlight = false;  ///< drawn in the accent colour (the best run)
};

/// Horizontal dots with 90% interval whiskers, one row each, on a shared x range with a zero line.
struct interval_chart {
    std::string id;
    std::string title;
    std::string description;
    std::string x_label;
    std::vector<interval_row> rows;
    value_range range;
};

/// The chart as SVG; the `<svg>` carries its x range as `data-axis-min` and `data-axis-max`.
std::string interval_chart_svg(const interval_chart& chart);

/// The theory of change in columns, conditions → foundational practices → secondary drivers →
/// primary drivers → student outcomes → academic outcomes → goals; edge stroke width grows
/// with |weight|, moderators dashed, composition dotted, negative weights in vermillion.
std::string model_diagram_svg(const model_graph& graph, const std::string& id);

/// One bar of a tornado chart: the output with one input at its low and at its high value.
struct tornado_row {
    std::string label;
    double low = 0.0;
    double high = 0.0;
};

/// Horizontal bars from `low` to `high`, in the order given, around `base` when there is one.
std::string tornado_svg(const std::vector<tornado_row>& rows, std::optional<double> base, const std::string& id,
                        const std::string& title, const std::string& description, const std::string& x_label);

}  // namespace pathways::html
