#include "report/cost_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>

#include "common/text_format.hpp"
#include "report/html_text.hpp"

namespace pathways {
namespace {

constexpr const char* sustained = "sustained";
constexpr const char* with_cut_risk = "with_cut_risk";

std::string with_thousands(double amount) {
    const std::string digits = fmt::format("{:.0f}", std::abs(amount));
    std::string out = amount < 0 ? "-" : "";
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
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

/// An amount in a narrow column: "48.5M", "1.18B", "2,082".
std::string short_money_text(double amount) {
    if (!std::isfinite(amount)) return "undefined";
    const double size = std::abs(amount);
    if (size >= 1e9) return fmt::format("{:.3g}B", amount / 1e9);
    if (size >= 1e6) return fmt::format("{:.3g}M", amount / 1e6);
    return with_thousands(amount);
}

}  // namespace

std::string with_thousands_text(double amount) { return with_thousands(amount); }

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
    const result_row* total = find_row(run, "all", "", "cost_total", with_cut_risk);
    const result_row* per_student = find_row(run, "all", "", "cost_per_student", with_cut_risk);
    if (total == nullptr || per_student == nullptr) return "";
    const auto interval = [](const result_row* row, const result_row* if_sustained) {
        const std::string sustained_mean = if_sustained ? " (" + short_money_text(if_sustained->mean) + ")" : "";
        return fmt::format("{} [{}, {}]{}", short_money_text(row->mean), short_money_text(row->p05),
                           short_money_text(row->p95), sustained_mean);
    };
    std::string out = fmt::format("\nCosts in {} at {} prices, with the cut risk (if sustained); effects on {}\n",
                                  costs.currency, costs.price_year, headline);
    out += fmt::format("  total {}; per student reached {}\n",
                       interval(total, find_row(run, "all", "", "cost_total", sustained)),
                       interval(per_student, find_row(run, "all", "", "cost_per_student", sustained)));
    for (const auto& [group, label] : {std::pair<const char*, const char*>{"all", "all students"},
                                       std::pair<const char*, const char*>{"pl:yes", "PL schools"}}) {
        const result_row* row = find_row(run, group, headline, "cost_per_tenth_sd", with_cut_risk);
        if (row == nullptr || row->suppressed) continue;
        if (!std::isfinite(row->p50)) {
            out += fmt::format("  per 0.1 SD, {}: no gain in any draw\n", label);
            continue;
        }
        out += fmt::format("  per 0.1 SD, {}: {} median [{}, {}] over the {:.0f}% of draws with a gain\n", label,
                           short_money_text(row->p50), short_money_text(row->p05), short_money_text(row->p95),
                           100.0 * row->prob_positive);
    }
    return out;
}

namespace {

/// "30.2M [25.1M, 36.0M]", or "30.2M" from one draw (an interval of one value says nothing).
std::string short_interval(const result_row& row, std::int64_t draws) {
    if (draws <= 1) return short_money_text(row.mean);
    return fmt::format("{} [{}, {}]", short_money_text(row.mean), short_money_text(row.p05), short_money_text(row.p95));
}

std::string costs_heading(const std::vector<costed_run>& runs, const cost_settings& costs) {
    int first_year = 0;
    for (const result_row& row : runs.front().run->rows)
        first_year = first_year == 0 ? row.year : std::min(first_year, row.year);
    return fmt::format(
        "Costs in {} at {} prices, present value in {} at {:g}% a year; expected with the cut risk "
        "[90%] (if sustained)",
        costs.currency, costs.price_year, first_year, 100.0 * costs.discount_rate.value);
}

}  // namespace

std::string runs_costs_text(const std::vector<costed_run>& runs, const cost_settings& costs) {
    if (runs.empty() || find_row(*runs.front().run, "all", "", "cost_total", with_cut_risk) == nullptr) return "";
    std::string out = "\n" + costs_heading(runs, costs) + "\n";
    for (const costed_run& r : runs) {
        const result_row* total = find_row(*r.run, "all", "", "cost_total", with_cut_risk);
        const result_row* total_sustained = find_row(*r.run, "all", "", "cost_total", sustained);
        const result_row* per_student = find_row(*r.run, "all", "", "cost_per_student", with_cut_risk);
        if (total == nullptr) continue;
        const std::string name = r.variant.kind == variant_kind::assumption ? "if " + r.variant.name : r.variant.name;
        out += "  " + padded(name, 22) + " total " + short_interval(*total, r.run->draws);
        if (total_sustained) out += " (" + short_money_text(total_sustained->mean) + ")";
        if (per_student) out += "; per student reached " + short_money_text(per_student->mean);
        out += "\n";
    }
    return out;
}

std::string runs_costs_html(const std::vector<costed_run>& runs, const cost_settings& costs) {
    if (runs.empty() || find_row(*runs.front().run, "all", "", "cost_total", with_cut_risk) == nullptr) return "";
    std::string out = "<table>\n<caption>" + html::escape(costs_heading(runs, costs)) +
                      "</caption>\n<thead><tr><th scope=\"col\">Plan or assumption</th><th scope=\"col\">What it "
                      "is</th><th scope=\"col\">Total to the horizon</th><th scope=\"col\">If sustained</th><th "
                      "scope=\"col\">Per student reached</th></tr></thead>\n<tbody>\n";
    for (const costed_run& r : runs) {
        const result_row* total = find_row(*r.run, "all", "", "cost_total", with_cut_risk);
        const result_row* total_sustained = find_row(*r.run, "all", "", "cost_total", sustained);
        const result_row* per_student = find_row(*r.run, "all", "", "cost_per_student", with_cut_risk);
        if (total == nullptr) continue;
        out += "<tr><td>" + html::escape(r.variant.name) + " (" + std::string(variant_kind_name(r.variant.kind)) +
               ")</td><td>" + html::escape(r.variant.description) + "</td><td class=\"num\">" +
               html::escape(short_interval(*total, r.run->draws)) + "</td><td class=\"num\">" +
               html::escape(total_sustained ? short_money_text(total_sustained->mean) : std::string()) +
               "</td><td class=\"num\">" +
               html::escape(per_student ? money_text(per_student->mean, costs.currency) : std::string()) +
               "</td></tr>\n";
    }
    return out + "</tbody></table>\n";
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
