#pragma once
/// \file
/// Inline SVG charts for the HTML report. Every chart is `role="img"` with a `<title>` and a
/// `<desc>` named by `aria-labelledby`, uses the Okabe–Ito palette, and needs no script or font.

#include <optional>
#include <string>
#include <vector>

#include "graph/model_graph.hpp"

namespace pathways::html {

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
};

/// A small line chart: shaded p05–p95 band, solid mean line, dashed comparison line.
std::string band_chart_svg(const band_chart& chart);

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
