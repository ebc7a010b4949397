#include "report/cost_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "common/text_format.hpp"
#include "report/html_text.hpp"

namespace pathways {
namespace {

constexpr const char* sustained = "sustained";
constexpr const char* with_cut_risk = "with_cut_risk";
constexpr std::size_t max_terminal_gaps = 3;

std::string with_thousands(double amount) {
    std::string digits = fmt::format("{:.0f}", std::abs(amount));
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
    return (amount < 0 ? "-" : "") + digits;
}

/// The final-year row of `metric` for `subgroup`, `outcome`, `course` and `reference`.
const result_row* find_row(const result_run& run, const std::string& subgroup, const std::string& outcome,
                           const std::string& metric, const std::string& course, const std::string& reference = "") {
    const result_row* found = nullptr;
    for (const result_row& row : run.rows) {
        if (row.subgroup != subgroup || row.outcome != outcome || row.metric != metric || row.course != course ||
            row.reference != reference)
            continue;
        if (found == nullptr || row.year > found->year) found = &row;
    }
    return found;
}

std::string money_interval(const result_row* row, const std::string& currency) {
    if (row == nullptr) return "";
    if (row->suppressed) return "withheld (small group)";
    return money_text(row->mean, currency) + " [" + money_text(row->p05, currency) + ", " +
           money_text(row->p95, currency) + "]";
}

std::string per_effect_text(const result_row* row, const std::string& currency) {
    if (row == nullptr) return "";
    if (row->suppressed) return "withheld (small group)";
    const std::string share = fmt::format("gain in {:.0f}% of draws", 100.0 * row->prob_positive);
    if (!std::isfinite(row->p50)) return "no gain in any draw";
    return money_text(row->p50, currency) + " median [" + money_text(row->p05, currency) + ", " +
           money_text(row->p95, currency) + "], " + share;
}

std::string per_million_text(const result_row* row, const std::string& unit) {
    if (row == nullptr) return "";
    if (row->suppressed) return "withheld (small group)";
    return fmt::format("{:+.3g} [{:+.3g}, {:+.3g}] {}", row->mean, row->p05, row->p95, unit);
}

}  // namespace

std::string money_text(double amount, const std::string& currency) {
    if (!std::isfinite(amount)) return "undefined";
    const double size = std::abs(amount);
    if (size >= 1e9) return fmt::format("{} {:.2f} billion", currency, amount / 1e9);
    if (size >= 1e6) return fmt::format("{} {:.2f} million", currency, amount / 1e6);
    return currency + " " + with_thousands(amount);
}

std::vector<cost_figure> cost_figures(const result_run& run, const std::string& headline, const cost_settings& costs) {
    std::vector<cost_figure> figures;
    if (find_row(run, "all", "", "cost_total", with_cut_risk) == nullptr) return figures;
    const std::string& cur = costs.currency;
    const auto both = [&](std::string label, auto text) {
        figures.push_back({std::move(label), text(with_cut_risk), text(sustained)});
    };
    both("Total cost to the horizon",
         [&](const char* course) { return money_interval(find_row(run, "all", "", "cost_total", course), cur); });
    both("Cost per student reached",
         [&](const char* course) { return money_interval(find_row(run, "all", "", "cost_per_student", course), cur); });
    for (const auto& [group, words] : {std::pair<std::string, std::string>{"all", "all students"},
                                       std::pair<std::string, std::string>{"pl:yes", "students in PL schools"}}) {
        if (find_row(run, group, headline, "cost_per_tenth_sd", with_cut_risk) == nullptr) continue;
        both("Cost per 0.1 SD, " + words, [&](const char* course) {
            return per_effect_text(find_row(run, group, headline, "cost_per_tenth_sd", course), cur);
        });
        both("Effect per million, " + words, [&](const char* course) {
            return per_million_text(find_row(run, group, headline, "effect_per_million", course), "SD");
        });
    }
    for (const result_row& row : run.rows) {
        if (row.metric != "cost_per_gap_pp" || row.outcome != headline || row.course != with_cut_risk) continue;
        both("Per pp of gap narrowed, " + row.subgroup + " vs " + row.reference, [&](const char* course) {
            return per_effect_text(find_row(run, row.subgroup, headline, "cost_per_gap_pp", course, row.reference),
                                   cur);
        });
    }
    return figures;
}

std::string costs_text(const result_run& run, const std::string& headline, const cost_settings& costs) {
    const std::vector<cost_figure> figures = cost_figures(run, headline, costs);
    if (figures.empty()) return "";
    std::string out = fmt::format("\nCosts ({}, {} prices; {} for effects): mean or median [90% interval]\n",
                                  costs.currency, costs.price_year, headline);
    std::size_t gaps = 0;
    for (const cost_figure& f : figures) {
        // The terminal stays one screen: the first gaps only (every gap is in the files and the report).
        if (f.label.starts_with("Per pp") && ++gaps > max_terminal_gaps) continue;
        out += "  " + padded(f.label, 48) + " " + f.with_cut_risk + "\n";
        if (f.if_sustained != f.with_cut_risk && !f.if_sustained.empty())
            out += "  " + padded("  if sustained", 48) + " " + f.if_sustained + "\n";
    }
    if (gaps > max_terminal_gaps) out += "  Every gap: projection.csv (metric cost_per_gap_pp) or the report.\n";
    out += "  Cost per effect is over the draws with a gain only; effect per million is over every draw.\n";
    return out;
}

std::string costs_html_section(const result_run& run, const std::string& headline, const cost_settings& costs) {
    const std::vector<cost_figure> figures = cost_figures(run, headline, costs);
    if (figures.empty()) return "";
    std::string out =
        "<h2 id=\"costs\">What it costs</h2>\n<p>In " + html::escape(costs.currency) + " at " +
        std::to_string(costs.price_year) + " prices; effects on " + html::escape(headline) +
        ". Cost per effect is summarised over the draws with a gain (how often there is one is "
        "given); effect per million is defined in every draw. Each cost item's source is in the "
        "district profile.</p>\n<table>\n<tr><th></th><th>with the cut risk</th><th>if sustained</th></tr>\n";
    for (const cost_figure& f : figures) {
        out += "<tr><td>" + html::escape(f.label) + "</td><td>" + html::escape(f.with_cut_risk) + "</td><td>" +
               html::escape(f.if_sustained) + "</td></tr>\n";
    }
    return out + "</table>\n";
}

}  // namespace pathways
