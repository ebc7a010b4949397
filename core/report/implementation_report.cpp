#include "report/implementation_report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "common/csv.hpp"
#include "common/text_safety.hpp"
#include "report/html_text.hpp"

namespace pathways {
namespace {

std::string number_cell(double value) { return std::isfinite(value) ? shortest_number(value) : std::string(); }

/// A school's year in the chart: the mean over its rated practices and drivers.
struct school_year {
    std::string label;
    double rated = 0.0, expected = 0.0, low = 0.0, high = 0.0;
    std::size_t behind = 0, rows = 0;
};

std::vector<school_year> school_years(const implementation_table& table) {
    std::map<std::pair<std::string, int>, school_year> by_key;
    for (const implementation_row& row : table.rows) {
        school_year& y = by_key[{row.school, row.year}];
        y.label = row.school + ", " + std::to_string(row.year);
        y.rated += row.observed.level;
        y.expected += row.expected_rating;
        y.low += row.predictive_p05;
        y.high += row.predictive_p95;
        y.behind += row.status == implementation_status::behind ? 1 : 0;
        ++y.rows;
    }
    std::vector<school_year> out;
    for (auto& [key, y] : by_key) {
        const double n = static_cast<double>(y.rows);
        y.rated /= n;
        y.expected /= n;
        y.low /= n;
        y.high /= n;
        out.push_back(y);
    }
    return out;
}

// Chart geometry: one band per school and year on the 0..3 level scale.
constexpr double label_width = 200.0;
constexpr double plot_width = 420.0;
constexpr double row_height = 20.0;
constexpr double top = 30.0;

double x_of(double level) { return label_width + std::clamp(level, -0.5, 3.5) / 3.0 * plot_width; }

std::string line(double x1, double y1, double x2, double y2, std::string_view colour, double width) {
    return fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"/>)", html::coordinate(x1),
                       html::coordinate(y1), html::coordinate(x2), html::coordinate(y2), colour,
                       html::coordinate(width));
}

std::string text(double x, double y, const std::string& content, std::string_view anchor = "start") {
    return fmt::format(R"(<text x="{}" y="{}" text-anchor="{}">{}</text>)", html::coordinate(x), html::coordinate(y),
                       anchor, html::escape(content));
}

std::string chart_svg(const implementation_table& table) {
    const std::vector<school_year> years = school_years(table);
    const double height = top + row_height * static_cast<double>(years.size()) + 30.0;
    std::string svg = fmt::format(
        R"(<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{}" height="{}" font-size="12" font-family="sans-serif">)",
        html::coordinate(label_width + plot_width + 40.0), html::coordinate(height));
    svg += "<title>Each school's mean rated level against the plan, by year</title>";
    const double bottom = height - 22.0;
    for (int level = 0; level <= 3; ++level) {
        svg += line(x_of(level), top - 12, x_of(level), bottom, "#dddddd", 1);
        svg += text(x_of(level), bottom + 14, std::to_string(level), "middle");
    }
    for (std::size_t i = 0; i < years.size(); ++i) {
        const school_year& y = years[i];
        const double at = top + row_height * static_cast<double>(i);
        svg += text(label_width - 8, at + 4, y.label, "end");
        svg += line(x_of(y.low), at, x_of(y.high), at, "#cfe8f7", 10);
        svg += line(x_of(y.expected), at - 6, x_of(y.expected), at + 6, html::palette::blue, 2);
        const std::string_view colour = y.behind * 2 > y.rows ? html::palette::vermillion : html::palette::black;
        svg += fmt::format(R"(<circle cx="{}" cy="{}" r="4" fill="{}"><title>{}</title></circle>)",
                           html::coordinate(x_of(y.rated)), html::coordinate(at), colour,
                           html::escape(fmt::format("{}: rated {} on average, plan {} ({} of {} behind)", y.label,
                                                    html::number(y.rated, 2), html::number(y.expected, 2), y.behind,
                                                    y.rows)));
    }
    return svg + "</svg>";
}

std::string tally_table(const std::vector<implementation_tally>& tallies, std::string_view what) {
    std::string out = fmt::format(
        "<table><thead><tr><th>{}</th><th>rated</th><th>behind</th><th>on track</th><th>ahead</th>"
        "<th>mean rated minus plan</th></tr></thead><tbody>",
        what);
    for (const implementation_tally& t : tallies) {
        out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                           html::escape(t.key), t.rows(), t.behind, t.on_track, t.ahead,
                           html::number(t.mean_gap, 2, true));
    }
    return out + "</tbody></table>\n";
}

}  // namespace

std::string implementation_csv(const implementation_table& table) {
    std::string out =
        "school,school_name,wave,year,driver,rated,ratings,self_only,start,planned_mean,planned_p05,planned_p95,"
        "expected_rating,predictive_p05,predictive_p95,status\n";
    for (const implementation_row& row : table.rows) {
        out +=
            fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(row.school),
                        csv_field(row.school_name), csv_field(row.wave), row.year, csv_field(row.node),
                        number_cell(row.observed.level), row.observed.ratings, row.observed.self_only ? 1 : 0,
                        number_cell(row.start), number_cell(row.planned.mean), number_cell(row.planned.p05),
                        number_cell(row.planned.p95), number_cell(row.expected_rating), number_cell(row.predictive_p05),
                        number_cell(row.predictive_p95), csv_field(to_string(row.status)));
    }
    return out;
}

std::string implementation_section_html(const implementation_table& table, const implementation_context& context) {
    std::string out = "<section id=\"implementation\"><h2>Implementation against the plan</h2>\n";
    out += fmt::format(
        "<p>Each school's rated stage on each foundational practice and secondary driver in a year, against the "
        "level the plan's ramp projects for that year over {} draws (with the district's program-cut risk). A "
        "rating is taken to stray from the true level by {} of a level (SD), and a school's rating of itself to "
        "run {} of a level high; both are assumptions of this tool. A rating below the 90% interval where the "
        "plan says it should fall is <strong>behind</strong>, above it <strong>ahead</strong>.</p>\n",
        table.draws, html::number(table.measurement.rater_sd, 2), html::number(table.measurement.self_bias, 2));
    out += "<h3>By wave</h3>\n" + tally_table(table.by_wave, "wave");
    out += "<h3>By practice or driver</h3>\n" + tally_table(table.by_driver, "practice or driver");
    out +=
        "<h3>Schools, year by year</h3>\n<p>The pale band is where a school's mean rating should fall under the "
        "plan and the blue tick the plan's mean; the dot is the mean rating, vermillion when most of the school's "
        "ratings that year are behind.</p>\n" +
        chart_svg(table) + "\n" + tally_table(table.by_school, "school");
    out += fmt::format("<p>Scenario {}, variant {}, seed {}; ratings {} (SHA-256 {}){}.</p>\n</section>\n",
                       html::escape(context.scenario), html::escape(context.variant), context.seed,
                       html::escape(context.ratings), html::escape(context.ratings_sha),
                       table.outside_horizon == 0
                           ? std::string()
                           : fmt::format("; {} rated levels of years outside the projection left out",
                                         table.outside_horizon));
    return out;
}

std::string implementation_html(const implementation_table& table, const implementation_context& context) {
    const std::string title = "Implementation against the plan: " + context.scenario;
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html::escape(title) +
           "</title><style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
           "line-height:1.4}table{border-collapse:collapse}td,th{padding:.2rem .5rem;border-bottom:1px "
           "solid #ddd;text-align:left}</style></head><body>\n<h1>" +
           html::escape(title) + "</h1>\n" + implementation_section_html(table, context) + "</body></html>\n";
}

}  // namespace pathways
