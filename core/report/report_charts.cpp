#include "report/report_charts.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "common/text_format.hpp"
#include "report/html_text.hpp"

namespace pathways::html {
namespace {

using axis = value_range;

/// Round-number ticks (1, 2 or 5 × 10^k) covering [low, high], about four of them.
axis nice_axis(double low, double high) {
    if (!std::isfinite(low) || !std::isfinite(high)) return {};
    if (high - low < 1e-9) {
        const double pad = std::max(std::abs(low) * 0.1, 0.01);
        low -= pad;
        high += pad;
    }
    const double raw = (high - low) / 4.0;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
        step = factor * magnitude;
        if (step >= raw) break;
    }
    return {std::floor(low / step) * step, std::ceil(high / step) * step, step};
}

int decimals_for(double step) {
    if (step >= 1.0) return 0;
    return std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 6);
}

/// ` data-axis-min="…" data-axis-max="…"`: the range a chart's values are drawn on, for readers and tests.
std::string axis_attributes(const axis& a) {
    return " data-axis-min=\"" + fixed(a.low, 6) + "\" data-axis-max=\"" + fixed(a.high, 6) + "\"";
}

std::string svg_open(const std::string& id, double width, double height, const std::string& title,
                     const std::string& description, const std::string& css_class, const std::string& attributes = "") {
    return "<svg class=\"" + css_class + "\" role=\"img\" aria-labelledby=\"" + id + "-title " + id +
           "-desc\" viewBox=\"0 0 " + coordinate(width) + " " + coordinate(height) + "\"" + attributes +
           ">\n"
           "<title id=\"" +
           id + "-title\">" + escape(title) + "</title>\n<desc id=\"" + id + "-desc\">" + escape(description) +
           "</desc>\n";
}

std::string polyline(const std::vector<double>& xs, const std::vector<double>& ys) {
    std::string points;
    for (std::size_t i = 0; i < xs.size(); ++i) points += (i ? " " : "") + coordinate(xs[i]) + "," + coordinate(ys[i]);
    return points;
}

/// Splits a label into at most two lines of about `width` characters, shortening the rest.
std::vector<std::string> wrap_label(const std::string& text, std::size_t width) {
    if (text.size() <= width) return {text};
    std::size_t cut = text.rfind(' ', width);
    if (cut == std::string::npos || cut == 0) cut = width;
    std::string first = text.substr(0, cut);
    std::string rest = text.substr(cut + (text[cut] == ' ' ? 1 : 0));
    if (rest.size() > width) rest = rest.substr(0, width - 1) + "\u2026";
    return {first, rest};
}

/// The horizontal line at 0 of an effect or gap chart.
std::string zero_line(double x1, double x2, double y) {
    return "<line class=\"zero\" x1=\"" + coordinate(x1) + "\" x2=\"" + coordinate(x2) + "\" y1=\"" + coordinate(y) +
           "\" y2=\"" + coordinate(y) + "\"/>\n";
}

}  // namespace

value_range shared_range(const std::vector<double>& values, double min_half_span) {
    double low = -min_half_span;
    double high = min_half_span;
    for (const double v : values) {
        if (!std::isfinite(v)) continue;
        low = std::min(low, v);
        high = std::max(high, v);
    }
    return nice_axis(low, high);
}

std::string interval_chart_svg(const interval_chart& chart) {
    constexpr double plot_width = 220, right = 22, top = 24, row_h = 20, bottom = 34;
    // Room for the longest label at about 5.8 px a character of the 10 px tick font.
    std::size_t longest = 0;
    for (const interval_row& row : chart.rows) longest = std::max(longest, row.label.size());
    const double left = std::max(118.0, 10.0 + 5.8 * static_cast<double>(longest));
    const double width = left + plot_width + right;
    const double height = top + static_cast<double>(chart.rows.size()) * row_h + bottom;
    const axis& x = chart.range;
    const auto x_of = [&](double v) { return left + (v - x.low) / (x.high - x.low) * (width - left - right); };
    std::string svg =
        svg_open(chart.id, width, height, chart.title, chart.description, "chart interval-chart", axis_attributes(x));
    svg += "<text class=\"chart-title\" x=\"4\" y=\"15\">" + escape(chart.title) + "</text>\n";
    const double axis_y = top + static_cast<double>(chart.rows.size()) * row_h;
    const int decimals = decimals_for(x.step);
    for (double v = x.low; v <= x.high + x.step * 0.5; v += x.step) {
        const std::string px = coordinate(x_of(v));
        svg += "<line class=\"grid\" x1=\"" + px + "\" x2=\"" + px + "\" y1=\"" + coordinate(top) + "\" y2=\"" +
               coordinate(axis_y) + "\"/><text class=\"tick\" x=\"" + px + "\" y=\"" + coordinate(axis_y + 13) +
               "\" text-anchor=\"middle\">" + number(v, decimals, true) + "</text>\n";
    }
    svg += "<text class=\"axis-label\" x=\"" + coordinate((left + width - right) / 2) + "\" y=\"" +
           coordinate(axis_y + 28) + "\" text-anchor=\"middle\">" + escape(chart.x_label) + "</text>\n";
    const std::string zero_x = coordinate(x_of(0.0));
    svg += "<line class=\"zero\" x1=\"" + zero_x + "\" x2=\"" + zero_x + "\" y1=\"" + coordinate(top - 4) + "\" y2=\"" +
           coordinate(axis_y) + "\"/>\n";
    for (std::size_t i = 0; i < chart.rows.size(); ++i) {
        const interval_row& row = chart.rows[i];
        const std::string cy = coordinate(top + (static_cast<double>(i) + 0.5) * row_h);
        const std::string colour(row.highlight ? palette::vermillion : palette::blue);
        svg += "<g><title>" + escape(row.label + ": " + interval(row.mean, row.low, row.high, 3) + " SD") +
               "</title><text class=\"tick" + (row.highlight ? " best" : "") + "\" x=\"" + coordinate(left - 6) +
               "\" y=\"" + cy + "\" text-anchor=\"end\" dominant-baseline=\"middle\">" + escape(row.label) +
               "</text><line class=\"whisker\" x1=\"" + coordinate(x_of(row.low)) + "\" x2=\"" +
               coordinate(x_of(row.high)) + "\" y1=\"" + cy + "\" y2=\"" + cy + "\" stroke=\"" + colour +
               "\"/><circle cx=\"" + coordinate(x_of(row.mean)) + "\" cy=\"" + cy + "\" r=\"4\" fill=\"" + colour +
               "\"/></g>\n";
    }
    return svg + "</svg>\n";
}

std::string band_chart_svg(const band_chart& chart) {
    constexpr double width = 320, left = 52, right = 12, bottom = 30;
    const double top = chart.subtitle.empty() ? 30 : 44;
    const double height = top + 140 + bottom;
    double low = std::numeric_limits<double>::infinity();
    double high = -low;
    for (const auto* series : {&chart.mean, &chart.low, &chart.high, &chart.comparison}) {
        for (const double v : *series) {
            if (!std::isfinite(v)) continue;
            low = std::min(low, v);
            high = std::max(high, v);
        }
    }
    const axis y = chart.range.value_or(nice_axis(low, high));
    const int first_year = chart.years.empty() ? 0 : chart.years.front();
    const int last_year = chart.years.empty() ? 1 : std::max(chart.years.back(), first_year + 1);
    const auto x_of = [&](double year) {
        return left + (year - first_year) / (last_year - first_year) * (width - left - right);
    };
    const auto y_of = [&](double v) { return top + (y.high - v) / (y.high - y.low) * (height - top - bottom); };

    std::string svg =
        svg_open(chart.id, width, height, chart.title, chart.description, "chart band-chart", axis_attributes(y));
    svg += "<text class=\"chart-title\" x=\"" + coordinate(left) + "\" y=\"16\">" + escape(chart.title) + "</text>\n";
    if (!chart.subtitle.empty()) {
        svg += "<text class=\"chart-subtitle\" x=\"" + coordinate(left) + "\" y=\"31\">" + escape(chart.subtitle) +
               "</text>\n";
    }
    const int decimals = decimals_for(y.step);
    for (double v = y.low; v <= y.high + y.step * 0.5; v += y.step) {
        const std::string py = coordinate(y_of(v));
        svg += "<line class=\"grid\" x1=\"" + coordinate(left) + "\" x2=\"" + coordinate(width - right) + "\" y1=\"" +
               py + "\" y2=\"" + py + "\"/><text class=\"tick\" x=\"" + coordinate(left - 4) + "\" y=\"" + py +
               "\" text-anchor=\"end\" dominant-baseline=\"middle\">" + number(v, decimals) + "</text>\n";
    }
    const int year_step = last_year - first_year > 6 ? 2 : 1;
    for (int year = first_year; year <= last_year; year += year_step) {
        svg += "<text class=\"tick\" x=\"" + coordinate(x_of(year)) + "\" y=\"" + coordinate(height - bottom + 14) +
               "\" text-anchor=\"middle\">" + std::to_string(year) + "</text>\n";
    }
    svg += "<text class=\"axis-label\" transform=\"translate(11 " + coordinate((top + height - bottom) / 2) +
           ") rotate(-90)\" text-anchor=\"middle\">" + escape(chart.y_label) + "</text>\n";

    std::vector<double> xs;
    std::vector<double> mean_y;
    std::vector<double> low_y;
    std::vector<double> high_y;
    std::vector<double> comparison_y;
    for (std::size_t i = 0; i < chart.years.size(); ++i) {
        xs.push_back(x_of(chart.years[i]));
        mean_y.push_back(y_of(chart.mean[i]));
        low_y.push_back(y_of(chart.low[i]));
        high_y.push_back(y_of(chart.high[i]));
        if (i < chart.comparison.size()) comparison_y.push_back(y_of(chart.comparison[i]));
    }
    std::vector<double> band_x = xs;
    std::vector<double> band_y = high_y;
    band_x.insert(band_x.end(), xs.rbegin(), xs.rend());
    band_y.insert(band_y.end(), low_y.rbegin(), low_y.rend());
    if (chart.zero_line && y.low <= 0.0 && y.high >= 0.0) svg += zero_line(left, width - right, y_of(0.0));
    svg += "<polygon class=\"band\" fill=\"" + std::string(palette::sky_blue) + "\" points=\"" +
           polyline(band_x, band_y) + "\"/>\n";
    if (comparison_y.size() == xs.size()) {
        svg += "<polyline class=\"comparison\" stroke=\"" + std::string(palette::orange) + "\" points=\"" +
               polyline(xs, comparison_y) + "\"/>\n";
    }
    svg += "<polyline class=\"mean\" stroke=\"" + std::string(palette::blue) + "\" points=\"" + polyline(xs, mean_y) +
           "\"/>\n";
    return svg + "</svg>\n";
}

std::string model_diagram_svg(const model_graph& graph, const std::string& id) {
    const auto& columns = causal_order;
    static constexpr std::array<std::string_view, 7> headings{"Conditions",
                                                              "Foundational practices",
                                                              "Secondary drivers",
                                                              "Primary drivers",
                                                              "Student outcomes",
                                                              "Academic outcomes",
                                                              "Goals"};
    static constexpr std::array<std::string_view, 7> fills{"#EEEEEE", "#FBE3B0", "#CFE8F7", "#A6D3EE",
                                                           "#C2E8DC", "#F5D0E3", "#FFF6B8"};
    constexpr double box_w = 150, box_h = 34, gap_x = 56, row_h = 44, top = 40, left = 10;
    const auto& def = graph.definition();
    std::vector<std::size_t> column_of(def.nodes.size(), 0);
    std::vector<double> x(def.nodes.size(), 0.0);
    std::vector<double> y(def.nodes.size(), 0.0);
    std::size_t tallest = 0;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        const auto members = graph.nodes_of_kind(columns[c]);
        tallest = std::max(tallest, members.size());
        for (std::size_t r = 0; r < members.size(); ++r) {
            column_of[members[r]] = c;
            x[members[r]] = left + static_cast<double>(c) * (box_w + gap_x);
            y[members[r]] = top + static_cast<double>(r) * row_h;
        }
    }
    const double width = left * 2 + 7 * box_w + 6 * gap_x;
    const double height = top + static_cast<double>(tallest) * row_h + 10;
    std::size_t effects = 0;
    for (const model_edge& e : def.edges) effects += e.role == edge_role::effect ? 1 : 0;
    const std::string description =
        "Theory-of-change diagram of " + def.name + ": " + std::to_string(def.nodes.size()) +
        " elements in columns from " + "conditions on the left to goals on the right, and " +
        std::to_string(def.edges.size()) + " links (" + std::to_string(effects) +
        " effects). Thicker lines are stronger links; dashed lines are conditions and "
        "practices that change how fast drivers are implemented; dotted lines make a primary driver the mean of "
        "its secondary drivers. The full list of links with their weights and sources is in the table 'Model links'.";
    std::string svg = svg_open(id, width, height, "Theory of change: " + def.name, description, "diagram");
    for (std::size_t c = 0; c < columns.size(); ++c) {
        svg += "<text class=\"column-heading\" x=\"" +
               coordinate(left + static_cast<double>(c) * (box_w + gap_x) + box_w / 2) +
               "\" y=\"22\" text-anchor=\"middle\">" + std::string(headings[c]) + "</text>\n";
    }
    svg += "<g class=\"edges\">\n";
    for (const model_edge& e : def.edges) {
        const std::size_t from = *graph.find(e.from);
        const std::size_t to = *graph.find(e.to);
        const double x1 = x[from] + box_w;
        const double y1 = y[from] + box_h / 2;
        double x2 = x[to];
        const double y2 = y[to] + box_h / 2;
        std::string path;
        if (column_of[from] == column_of[to]) {  // within a column: loop out to the right
            x2 = x[to] + box_w;
            path = "M" + coordinate(x1) + "," + coordinate(y1) + " C" + coordinate(x1 + 30) + "," + coordinate(y1) +
                   " " + coordinate(x2 + 30) + "," + coordinate(y2) + " " + coordinate(x2) + "," + coordinate(y2);
        } else {
            const double bend = (x2 - x1) / 2;
            path = "M" + coordinate(x1) + "," + coordinate(y1) + " C" + coordinate(x1 + bend) + "," + coordinate(y1) +
                   " " + coordinate(x2 - bend) + "," + coordinate(y2) + " " + coordinate(x2) + "," + coordinate(y2);
        }
        const double stroke = std::min(0.6 + 8.0 * std::abs(e.weight), 5.0);
        const std::string role = std::string(to_string(e.role));
        const std::string colour = e.role == edge_role::moderator ? "#999999"
                                   : e.weight < 0                 ? std::string(palette::vermillion)
                                                                  : std::string(palette::blue);
        svg += "<path class=\"edge " + role + "\" d=\"" + path + "\" stroke=\"" + colour + "\" stroke-width=\"" +
               coordinate(stroke) + "\"><title>" +
               escape(def.nodes[from].label + " \u2192 " + def.nodes[to].label + " (" + role + ", weight " +
                      number(e.weight, 3) + ")") +
               "</title></path>\n";
    }
    svg += "</g>\n<g class=\"nodes\">\n";
    for (std::size_t n = 0; n < def.nodes.size(); ++n) {
        const auto lines = wrap_label(def.nodes[n].label, 26);
        svg += "<g><title>" + escape(def.nodes[n].label + " (" + def.nodes[n].id + ")") + "</title><rect x=\"" +
               coordinate(x[n]) + "\" y=\"" + coordinate(y[n]) + "\" width=\"" + coordinate(box_w) + "\" height=\"" +
               coordinate(box_h) + "\" rx=\"5\" fill=\"" + std::string(fills[column_of[n]]) + "\"/>";
        const double first_line = y[n] + box_h / 2 - (lines.size() == 2 ? 6 : 0);
        for (std::size_t l = 0; l < lines.size(); ++l) {
            svg += "<text class=\"node-label\" x=\"" + coordinate(x[n] + box_w / 2) + "\" y=\"" +
                   coordinate(first_line + static_cast<double>(l) * 12) +
                   "\" text-anchor=\"middle\" dominant-baseline=\"middle\">" + escape(lines[l]) + "</text>";
        }
        svg += "</g>\n";
    }
    return svg + "</g>\n</svg>\n";
}

std::string tornado_svg(const std::vector<tornado_row>& rows, std::optional<double> base, const std::string& id,
                        const std::string& title, const std::string& description, const std::string& x_label) {
    constexpr double width = 760, left = 260, right = 20, top = 20, bar_h = 18, row_h = 26, bottom = 44;
    const double height = top + static_cast<double>(rows.size()) * row_h + bottom;
    double low = base.value_or(std::numeric_limits<double>::infinity());
    double high = base.value_or(-std::numeric_limits<double>::infinity());
    for (const tornado_row& r : rows) {
        low = std::min({low, r.low, r.high});
        high = std::max({high, r.low, r.high});
    }
    const axis x = nice_axis(low, high);
    const auto x_of = [&](double v) { return left + (v - x.low) / (x.high - x.low) * (width - left - right); };
    std::string svg = svg_open(id, width, height, title, description, "chart tornado");
    const int decimals = decimals_for(x.step);
    const double axis_y = top + static_cast<double>(rows.size()) * row_h;
    for (double v = x.low; v <= x.high + x.step * 0.5; v += x.step) {
        const std::string px = coordinate(x_of(v));
        svg += "<line class=\"grid\" x1=\"" + px + "\" x2=\"" + px + "\" y1=\"" + coordinate(top) + "\" y2=\"" +
               coordinate(axis_y) + "\"/><text class=\"tick\" x=\"" + px + "\" y=\"" + coordinate(axis_y + 14) +
               "\" text-anchor=\"middle\">" + number(v, decimals) + "</text>\n";
    }
    svg += "<text class=\"axis-label\" x=\"" + coordinate((left + width - right) / 2) + "\" y=\"" +
           coordinate(axis_y + 34) + "\" text-anchor=\"middle\">" + escape(x_label) + "</text>\n";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const double row_y = top + static_cast<double>(i) * row_h;
        const double a = x_of(std::min(rows[i].low, rows[i].high));
        const double b = x_of(std::max(rows[i].low, rows[i].high));
        svg += "<text class=\"tick\" x=\"" + coordinate(left - 6) + "\" y=\"" + coordinate(row_y + bar_h / 2) +
               "\" text-anchor=\"end\" dominant-baseline=\"middle\">" + escape(rows[i].label) + "</text>";
        svg +=
            "<rect x=\"" + coordinate(a) + "\" y=\"" + coordinate(row_y) + "\" width=\"" +
            coordinate(std::max(b - a, 1.0)) + "\" height=\"" + coordinate(bar_h) + "\" fill=\"" +
            std::string(palette::blue) + "\"><title>" +
            escape(rows[i].label + ": " + number(rows[i].low, 4) + " (low) to " + number(rows[i].high, 4) + " (high)") +
            "</title></rect>\n";
    }
    if (base) {
        const std::string px = coordinate(x_of(*base));
        svg += "<line class=\"base\" x1=\"" + px + "\" x2=\"" + px + "\" y1=\"" + coordinate(top - 6) + "\" y2=\"" +
               coordinate(axis_y) + "\" stroke=\"" + std::string(palette::black) + "\"/>\n";
    }
    return svg + "</svg>\n";
}

}  // namespace pathways::html
