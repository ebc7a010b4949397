#include "report/monitor_report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/csv.hpp"
#include "common/text_safety.hpp"
#include "report/html_text.hpp"

namespace pathways {
namespace {

std::string number_cell(double value) { return std::isfinite(value) ? shortest_number(value) : std::string(); }

/// "Black, math, 2018": the outcome by the last part of its id, so that labels fit beside the chart.
std::string cell_label(const observed_cell& cell) {
    const std::string outcome = cell.outcome.substr(cell.outcome.rfind('.') + 1);
    return html::subgroup_label(cell.subgroup) + ", " + outcome + ", " + std::to_string(cell.year);
}

// Chart geometry: one band per cell, a label column on the left and a scale shared by every cell.
constexpr double label_width = 360.0;
constexpr double plot_width = 420.0;
constexpr double row_height = 22.0;
constexpr double top = 30.0;

struct scale {
    double low = 0.0;
    double high = 1.0;
    [[nodiscard]] double x(double value) const { return label_width + (value - low) / (high - low) * plot_width; }
};

scale chart_scale(const monitor_table& table) {
    scale s{std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest()};
    for (const monitor_row& row : table.rows) {
        if (row.suppressed) continue;
        s.low = std::min({s.low, row.predictive_p05, row.projected.p05, row.cell.mean});
        s.high = std::max({s.high, row.predictive_p95, row.projected.p95, row.cell.mean});
    }
    if (s.low > s.high) return {-1.0, 1.0};
    const double margin = std::max(0.05, 0.05 * (s.high - s.low));
    return {s.low - margin, s.high + margin};
}

std::string line(double x1, double y1, double x2, double y2, std::string_view colour, double width) {
    return "<line x1=\"" + html::coordinate(x1) + "\" y1=\"" + html::coordinate(y1) + "\" x2=\"" +
           html::coordinate(x2) + "\" y2=\"" + html::coordinate(y2) + "\" stroke=\"" + std::string(colour) +
           "\" stroke-width=\"" + html::coordinate(width) + "\"/>";
}

std::string text(double x, double y, const std::string& content, std::string_view anchor = "start") {
    return "<text x=\"" + html::coordinate(x) + "\" y=\"" + html::coordinate(y) + "\" text-anchor=\"" +
           std::string(anchor) + "\">" + html::escape(content) + "</text>";
}

std::string chart_row(const monitor_row& row, double y, const scale& s) {
    std::string svg = text(label_width - 8, y + 4, cell_label(row.cell), "end");
    if (row.suppressed) return svg + text(label_width, y + 4, "withheld: fewer students than the reporting minimum");
    svg += line(s.x(row.predictive_p05), y, s.x(row.predictive_p95), y, "#cfe8f7", 12);
    svg += line(s.x(row.projected.p05), y, s.x(row.projected.p95), y, html::palette::sky_blue, 6);
    svg += line(s.x(row.projected.mean), y - 7, s.x(row.projected.mean), y + 7, html::palette::blue, 2);
    const std::string_view colour = row.inside ? html::palette::black : html::palette::vermillion;
    svg += "<circle cx=\"" + html::coordinate(s.x(row.cell.mean)) + "\" cy=\"" + html::coordinate(y) +
           "\" r=\"4\" fill=\"" + std::string(colour) + "\"><title>" +
           html::escape(cell_label(row.cell) + ": actual " + html::number(row.cell.mean, 3, true) + ", projected " +
                        html::interval(row.projected.mean, row.projected.p05, row.projected.p95, 3) +
                        ", observed values expected in " + html::number(row.predictive_p05, 3, true) + " to " +
                        html::number(row.predictive_p95, 3, true)) +
           "</title></circle>";
    return svg;
}

std::string chart_svg(const monitor_table& table) {
    const scale s = chart_scale(table);
    const double height = top + row_height * static_cast<double>(table.rows.size()) + 30.0;
    const double width = label_width + plot_width + 20.0;
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"" + html::coordinate(width) +
                      "\" height=\"" + html::coordinate(height) + "\" font-size=\"12\" font-family=\"sans-serif\">" +
                      "<title>Projected 90% interval and actual value of every observed cell</title>";
    const double bottom = height - 22.0;
    for (int i = 0; i <= 4; ++i) {
        const double value = s.low + (s.high - s.low) * i / 4.0;
        svg += line(s.x(value), top - 12, s.x(value), bottom, "#dddddd", 1);
        svg += text(s.x(value), bottom + 14, html::number(value, 2, true), "middle");
    }
    if (s.low < 0.0 && s.high > 0.0) svg += line(s.x(0.0), top - 12, s.x(0.0), bottom, "#888888", 1);
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        svg += chart_row(table.rows[i], top + row_height * static_cast<double>(i), s);
    }
    return svg + "</svg>";
}

std::string table_html(const monitor_table& table) {
    std::string out =
        "<table><thead><tr><th>subgroup</th><th>year</th><th>outcome</th><th>actual (SE)</th>"
        "<th>projected mean [90% interval]</th><th>90% predictive interval</th><th>percentile of actual</th>"
        "<th>inside</th>"
        "<th>standardised residual</th></tr></thead><tbody>";
    for (const monitor_row& row : table.rows) {
        out += "<tr><td>" + html::escape(html::subgroup_label(row.cell.subgroup)) + "</td><td>" +
               std::to_string(row.cell.year) + "</td><td>" + html::escape(row.cell.outcome) + "</td>";
        if (row.suppressed) {
            out += "<td colspan=\"6\">withheld: fewer students than the reporting minimum</td></tr>";
            continue;
        }
        out += "<td>" + html::number(row.cell.mean, 3, true) + " (" + html::number(row.cell.standard_error(), 3) +
               ")</td>";
        out += "<td>" + html::interval(row.projected.mean, row.projected.p05, row.projected.p95, 3) + "</td><td>" +
               html::number(row.predictive_p05, 3, true) + " to " + html::number(row.predictive_p95, 3, true) +
               "</td><td>" + html::number(row.percentile, 0) + "</td><td>" +
               (row.inside ? "yes" : "<strong>no</strong>") + "</td><td>" +
               html::number(row.standardised_residual, 2, true) + "</td></tr>";
    }
    return out + "</tbody></table>";
}

std::string coverage_sentence(const monitor_table& table) {
    if (table.compared == 0) return "No observed cell could be compared: every one is withheld.";
    return std::to_string(table.inside) + " of " + std::to_string(table.compared) +
           " observed cells fall inside their 90% predictive interval (" + html::number(100.0 * table.coverage(), 0) +
           "%; an honest projection covers about 90%). The root mean square standardised residual is " +
           html::number(table.rms_residual, 2) +
           " (about 1 when the projection's uncertainty and the data's standard errors are right; well above 1 "
           "means the projection is overconfident or off).";
}

}  // namespace

std::string monitor_csv(const monitor_table& table) {
    std::string out =
        "subgroup,year,outcome,actual,n,se,projected_mean,projected_sd,projected_p05,projected_p95,predictive_p05,"
        "predictive_p95,percentile,inside_90,standardised_residual,suppressed\n";
    for (const monitor_row& row : table.rows) {
        const observed_cell& c = row.cell;
        out += csv_field(c.subgroup) + "," + std::to_string(c.year) + "," + csv_field(c.outcome) + ",";
        if (row.suppressed) {  // neither the observed numbers nor the projection's
            out += ",,,,,,,,,,,,1\n";
            continue;
        }
        out += number_cell(c.mean) + "," + std::to_string(c.n) + "," + number_cell(c.standard_error()) + ",";
        out += number_cell(row.projected.mean) + "," + number_cell(row.projected.sd) + "," +
               number_cell(row.projected.p05) + "," + number_cell(row.projected.p95) + "," +
               number_cell(row.predictive_p05) + "," + number_cell(row.predictive_p95) + "," +
               number_cell(row.percentile) + "," + (row.inside ? "1" : "0") + "," +
               number_cell(row.standardised_residual) + ",0\n";
    }
    return out;
}

std::string monitor_html(const monitor_table& table, const monitor_context& context) {
    const std::string title = "Projected and actual: " + context.scenario;
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html::escape(title) +
                      "</title><style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
                      "line-height:1.4}table{border-collapse:collapse}td,th{padding:.2rem .5rem;border-bottom:1px "
                      "solid #ddd;text-align:left}</style></head><body>\n<h1>" +
                      html::escape(title) + "</h1>\n<p>" + html::escape(coverage_sentence(table)) + "</p>\n";
    out +=
        "<p>Each observed cell (subgroup, outcome, year) against the projection of the plan with the district's "
        "program-cut risk, the course the district actually lives through. The blue band is the projection's "
        "90% interval of the true mean over " +
        std::to_string(table.draws) +
        " draws and the blue tick its mean; the pale band around it is the 90% predictive interval, where the "
        "observed value should fall once its measurement error (its standard error) is added; the dot is the "
        "observed value, black inside the predictive interval, vermillion outside.</p>\n";
    out += chart_svg(table) + "\n" + table_html(table) + "\n";
    out += "<p>Scenario " + html::escape(context.scenario) + ", variant " + html::escape(context.variant) +
           ", effect model " + html::escape(context.model) + ", seed " + std::to_string(context.seed) +
           "; observed data " + html::escape(context.observed) + " (SHA-256 " + html::escape(context.observed_sha) +
           "). Groups with fewer than " + std::to_string(context.min_n) +
           " students are withheld.</p>\n</body></html>\n";
    return out;
}

}  // namespace pathways
