#include "report/cost_effectiveness_report.hpp"

#include <fmt/format.h>

#include <cmath>

#include "common/csv.hpp"
#include "common/text_format.hpp"
#include "engine/costs.hpp"
#include "report/cost_summary.hpp"
#include "report/html_text.hpp"

namespace pathways {
namespace {

/// The final-year values of (all students, `outcome`, effect) in every draw of `run`; empty when absent.
std::vector<double> final_effects(const labelled_run& run, const std::string& outcome) {
    int last = 0;
    for (const labelled_row& row : run.rows) last = std::max(last, row.key.year);
    for (std::size_t r = 0; r < run.rows.size(); ++r) {
        const row_key& key = run.rows[r].key;
        if (key.year != last || key.metric != metric::effect || key.outcome != outcome || key.subgroup != "all")
            continue;
        std::vector<double> values(run.draws);
        for (std::size_t d = 0; d < run.draws; ++d) values[d] = run.values[d * run.rows.size() + r];
        return values;
    }
    return {};
}

double students_of(const finished_run& run) {
    for (const reported_subgroup& group : run.sim->subgroups()) {
        if (group.group.name == "all") return group.students;
    }
    return 0.0;
}

/// "1.2e-05" is no way to show a board a ratio: SD per $1,000 with 3 significant digits.
std::string sd_text(double value) {
    if (!std::isfinite(value)) return "n/a";
    return fmt::format("{:.3g}", value);
}

std::string interval_of(const ratio_estimate& r, const std::string& currency, bool money) {
    const auto one = [&](double v) {
        if (!std::isfinite(v)) return std::string("no gain");
        return money ? money_text(v, currency) : sd_text(v);
    };
    if (std::isnan(r.low) && std::isnan(r.high)) return "";
    return " [" + one(r.low) + ", " + one(r.high) + "]";
}

/// "dominated", or "+USD 2,100 per student for 0.1 SD more than pilot_only".
std::string standing_text(const cost_effectiveness_analysis& analysis, const plan_cost_effectiveness& plan,
                          const std::string& currency) {
    if (plan.status != frontier_status::frontier) return std::string(frontier_status_name(plan.status));
    const std::string against = plan.compared_with == business_as_usual ? std::string("business as usual")
                                                                        : analysis.plans[plan.compared_with].name;
    return money_text(plan.incremental_cost_per_tenth_sd, currency) + " a student per 0.1 SD more than " + against;
}

std::string csv_number(double value) { return std::isfinite(value) ? format_value(value) : ""; }

}  // namespace

plans_for_analysis plans_of(const run_results& results, const std::string& headline) {
    plans_for_analysis out;
    for (const finished_run& run : results.runs) {
        const variant_info info = run.loaded->spec.variant_of(run.loaded->spec.variant);
        if (info.kind != variant_kind::plan || run.cost_draws.empty() || !run.draws) continue;
        std::vector<double> effects = final_effects(*run.draws, headline);
        if (effects.size() != run.cost_draws.size()) continue;
        plan_draws plan{run.name, run.cost_draws, std::move(effects), students_of(run), run.students_reached};
        if (!(plan.students > 0.0)) continue;
        out.plans.push_back(std::move(plan));
        out.variants.push_back(info);
        out.variants.back().name = run.name;
    }
    return out;
}

report_costs costs_for_report(const run_results& results, const std::string& headline, std::uint64_t seed) {
    report_costs out;
    if (results.runs.empty()) return out;
    const loaded_scenario& first = *results.runs.front().loaded;
    out.currency = plan_costs(first.district, first.spec).currency;
    for (const finished_run& run : results.runs) {
        const loaded_scenario& loaded = *run.loaded;
        diagnostics found;
        variant_info info = loaded.spec.variant_of(loaded.spec.variant);
        info.name = run.name;
        out.ingredients.push_back(
            {info, cost_table(*loaded.graph, loaded.district, loaded.schools, loaded.spec, found)});
        if (found.has_errors()) throw input_error(found);
    }
    out.plans = plans_of(results, headline);
    if (!out.plans.plans.empty())
        out.analysis = analyse_cost_effectiveness(out.plans.plans, seed, default_willingness_to_pay());
    return out;
}

namespace {

/// "30.2M", "2,100": amounts in a narrow column.
std::string narrow_money(double amount) {
    if (!std::isfinite(amount)) return "n/a";
    const double size = std::abs(amount);
    if (size >= 1e9) return fmt::format("{:.3g}B", amount / 1e9);
    if (size >= 1e6) return fmt::format("{:.3g}M", amount / 1e6);
    return with_thousands_text(amount);
}

const result_row* final_row(const result_run& run, const std::string& metric, const std::string& course) {
    const result_row* found = nullptr;
    for (const result_row& row : run.rows) {
        if (row.subgroup != "all" || !row.outcome.empty() || row.metric != metric || row.course != course) continue;
        if (found == nullptr || row.year > found->year) found = &row;
    }
    return found;
}

std::string short_standing(frontier_status status) {
    switch (status) {
        case frontier_status::dominated: return "dominated";
        case frontier_status::extendedly_dominated: return "ext. dominated";
        case frontier_status::frontier: break;
    }
    return "frontier";
}

}  // namespace

std::string costs_and_effectiveness_text(const std::vector<costed_run>& runs,
                                         const cost_effectiveness_analysis& analysis,
                                         const std::vector<variant_info>& analysed, const cost_settings& costs,
                                         const std::string& headline) {
    if (runs.empty() || final_row(*runs.front().run, "cost_total", "with_cut_risk") == nullptr) return "";
    int first_year = 0;
    for (const result_row& row : runs.front().run->rows)
        first_year = first_year == 0 ? row.year : std::min(first_year, row.year);
    std::string out = fmt::format(
        "\nCosts in {} ({} prices, present value in {} at {:g}%); per student reached and per SD: expected\n"
        "cost over expected effect on {} (all students, every draw, cut risk included)\n",
        costs.currency, costs.price_year, first_year, 100.0 * costs.discount_rate.value, headline);
    out += "  " + cell("run", 19) + cell("total [90%] (if sustained)", 28) + cell("per reached", 16) +
           cell("SD/$1k", 6) + cell("per 0.1 SD", 10) + "standing\n";
    for (const costed_run& r : runs) {
        const result_row* total = final_row(*r.run, "cost_total", "with_cut_risk");
        if (total == nullptr) continue;
        const result_row* total_sustained = final_row(*r.run, "cost_total", "sustained");
        std::string total_text = narrow_money(total->mean);
        if (r.run->draws > 1) total_text += " [" + narrow_money(total->p05) + ", " + narrow_money(total->p95) + "]";
        if (total_sustained) total_text += " (" + narrow_money(total_sustained->mean) + ")";
        const std::string name = (r.variant.kind == variant_kind::assumption ? "if " : "") + r.variant.name;
        std::string line = "  " + cell(name, 19) + cell(total_text, 28);
        const auto plan = std::find_if(analysed.begin(), analysed.end(),
                                       [&](const variant_info& v) { return v.name == r.variant.name; });
        if (plan != analysed.end()) {
            const plan_cost_effectiveness& ce = analysis.plans[static_cast<std::size_t>(plan - analysed.begin())];
            line += cell(narrow_money(ce.cost_per_student_reached.value) + " (" + std::string(ce.cost_band) + ")", 16) +
                    cell(sd_text(ce.effect_per_thousand.value), 6) +
                    cell(std::isfinite(ce.cost_per_tenth_sd.value) ? narrow_money(ce.cost_per_tenth_sd.value)
                                                                   : std::string("no gain"),
                         10) +
                    short_standing(ce.status);
        } else {
            line += "not a plan: not compared";
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line + "\n";
    }
    return out;
}

std::string cost_effectiveness_text(const cost_effectiveness_analysis& analysis,
                                    const std::vector<variant_info>& variants, const std::string& currency,
                                    const std::string& headline) {
    if (analysis.plans.empty()) return "";
    std::string out = fmt::format(
        "\nPlans against what they cost: expected cost over expected effect on {} for all students, every draw\n"
        "with the cut risk counted (ratio of means; [90%] over {} resamples of the {} draws)\n",
        headline, analysis.resamples, analysis.draws);
    for (std::size_t p = 0; p < analysis.plans.size(); ++p) {
        const plan_cost_effectiveness& plan = analysis.plans[p];
        out += fmt::format(
            "  {}: {} per student reached ({} cost, Kraft 2020); {} SD per $1,000 per student{} "
            "({} per $100)\n",
            variants[p].name, money_text(plan.cost_per_student_reached.value, currency), plan.cost_band,
            sd_text(plan.effect_per_thousand.value), interval_of(plan.effect_per_thousand, currency, false),
            sd_text(plan.effect_per_hundred.value));
        out +=
            fmt::format("     per student for 0.1 SD: {}{}; {}\n",
                        std::isfinite(plan.cost_per_tenth_sd.value) ? money_text(plan.cost_per_tenth_sd.value, currency)
                                                                    : std::string("no expected gain"),
                        interval_of(plan.cost_per_tenth_sd, currency, true), standing_text(analysis, plan, currency));
    }
    out += "  Most often best (largest net benefit) at a willingness to pay per SD per student of:";
    for (const acceptability_point& point : analysis.acceptability) {
        std::size_t best = 0;
        for (std::size_t i = 1; i < point.probability_best.size(); ++i) {
            if (point.probability_best[i] > point.probability_best[best]) best = i;
        }
        const std::string name = best < variants.size() ? variants[best].name : std::string("business as usual");
        out += fmt::format("\n    {:>9}: {} ({:.0f}% of draws)", with_thousands_text(point.willingness_to_pay), name,
                           100.0 * point.probability_best[best]);
    }
    return out + "\n";
}

std::string cost_effectiveness_csv(const cost_effectiveness_analysis& analysis,
                                   const std::vector<variant_info>& variants, const std::string& currency,
                                   const std::string& headline) {
    std::string out =
        "variant,kind,description,outcome,subgroup,draws,currency,expected_cost,cost_p05,cost_p95,expected_effect,"
        "effect_p05,effect_p95,cost_per_student,cost_per_student_reached,cost_per_student_reached_p05,"
        "cost_per_student_reached_p95,kraft_cost_band,effect_per_1000_per_student,effect_per_1000_p05,"
        "effect_per_1000_p95,effect_per_100_per_student,cost_per_student_per_tenth_sd,"
        "cost_per_student_per_tenth_sd_p05,cost_per_student_per_tenth_sd_p95,standing,compared_with,"
        "incremental_cost_per_student_per_tenth_sd\n";
    for (std::size_t p = 0; p < analysis.plans.size(); ++p) {
        const plan_cost_effectiveness& plan = analysis.plans[p];
        const std::string against = plan.status != frontier_status::frontier  ? std::string()
                                    : plan.compared_with == business_as_usual ? std::string("business_as_usual")
                                                                              : analysis.plans[plan.compared_with].name;
        const std::vector<std::string> fields{variants[p].name,
                                              std::string(variant_kind_name(variants[p].kind)),
                                              variants[p].description,
                                              headline,
                                              "all",
                                              std::to_string(analysis.draws),
                                              currency,
                                              csv_number(plan.cost.mean),
                                              csv_number(plan.cost.p05),
                                              csv_number(plan.cost.p95),
                                              csv_number(plan.effect.mean),
                                              csv_number(plan.effect.p05),
                                              csv_number(plan.effect.p95),
                                              csv_number(plan.cost_per_student),
                                              csv_number(plan.cost_per_student_reached.value),
                                              csv_number(plan.cost_per_student_reached.low),
                                              csv_number(plan.cost_per_student_reached.high),
                                              std::string(plan.cost_band),
                                              csv_number(plan.effect_per_thousand.value),
                                              csv_number(plan.effect_per_thousand.low),
                                              csv_number(plan.effect_per_thousand.high),
                                              csv_number(plan.effect_per_hundred.value),
                                              csv_number(plan.cost_per_tenth_sd.value),
                                              csv_number(plan.cost_per_tenth_sd.low),
                                              csv_number(plan.cost_per_tenth_sd.high),
                                              std::string(frontier_status_name(plan.status)),
                                              against,
                                              csv_number(plan.incremental_cost_per_tenth_sd)};
        // The first three columns and the band, standing and comparison are text; the rest are numbers,
        // written as they are (a spreadsheet guard on a minus sign would make them text).
        for (std::size_t i = 0; i < fields.size(); ++i) {
            const bool text = i < 5 || i == 6 || i == 17 || i == 25 || i == 26;
            out += (i ? "," : "") + (text ? csv_field(fields[i]) : fields[i]);
        }
        out += "\n";
    }
    return out;
}

std::string acceptability_csv(const cost_effectiveness_analysis& analysis, const std::vector<variant_info>& variants) {
    std::string out = "willingness_to_pay_per_sd_per_student,option,probability_best\n";
    for (const acceptability_point& point : analysis.acceptability) {
        for (std::size_t i = 0; i < point.probability_best.size(); ++i) {
            const std::string name = i < variants.size() ? variants[i].name : std::string("business_as_usual");
            out += format_value(point.willingness_to_pay) + "," + csv_field(name) + "," +
                   format_value(point.probability_best[i]) + "\n";
        }
    }
    return out;
}

std::string cost_effectiveness_html(const cost_effectiveness_analysis& analysis,
                                    const std::vector<variant_info>& variants, const std::string& currency,
                                    const std::string& headline) {
    if (analysis.plans.empty()) return "";
    std::string out =
        "<h3>Plans against what they cost</h3>\n<p>Expected cost over expected effect on " + html::escape(headline) +
        " for all students, over every simulated future, those in which the district cuts the program "
        "included (a ratio of means, as cost-effectiveness studies in education compute it; never an average of "
        "per-future ratios). Cost bands per student reached are Kraft\u2019s (2020): low under $500, moderate "
        "$500 to $4,000, high over $4,000. J-PAL compares programs as SD gained per $100 per student.</p>\n"
        "<table>\n<caption>Cost-effectiveness of each plan";
    if (analysis.resamples > 0)
        out += fmt::format(" (90% ranges over {} resamples of the {} futures)", analysis.resamples, analysis.draws);
    out +=
        "</caption>\n<thead><tr><th scope=\"col\">Plan</th><th scope=\"col\">Cost per student reached</th>"
        "<th scope=\"col\">SD per $1,000 per student</th><th scope=\"col\">SD per $100</th>"
        "<th scope=\"col\">Cost per student for 0.1 SD</th><th scope=\"col\">Standing</th></tr></thead>\n<tbody>\n";
    for (std::size_t p = 0; p < analysis.plans.size(); ++p) {
        const plan_cost_effectiveness& plan = analysis.plans[p];
        out += "<tr><td>" + html::escape(variants[p].name) + "</td><td class=\"num\">" +
               html::escape(money_text(plan.cost_per_student_reached.value, currency) + " (" +
                            std::string(plan.cost_band) + ")") +
               "</td><td class=\"num\">" +
               html::escape(sd_text(plan.effect_per_thousand.value) +
                            interval_of(plan.effect_per_thousand, currency, false)) +
               "</td><td class=\"num\">" + html::escape(sd_text(plan.effect_per_hundred.value)) +
               "</td><td class=\"num\">" +
               html::escape((std::isfinite(plan.cost_per_tenth_sd.value)
                                 ? money_text(plan.cost_per_tenth_sd.value, currency)
                                 : std::string("no expected gain")) +
                            interval_of(plan.cost_per_tenth_sd, currency, true)) +
               "</td><td>" + html::escape(standing_text(analysis, plan, currency)) + "</td></tr>\n";
    }
    out +=
        "</tbody></table>\n<table>\n<caption>How often each option has the largest net benefit (willingness "
        "to pay \u00d7 effect \u2212 cost per student), by willingness to pay per SD per student</caption>\n"
        "<thead><tr><th scope=\"col\">Willingness to pay</th>";
    for (const variant_info& v : variants) out += "<th scope=\"col\">" + html::escape(v.name) + "</th>";
    out += "<th scope=\"col\">business as usual</th></tr></thead>\n<tbody>\n";
    for (const acceptability_point& point : analysis.acceptability) {
        out += "<tr><td class=\"num\">" + html::escape(money_text(point.willingness_to_pay, currency)) + "</td>";
        for (const double p : point.probability_best) out += fmt::format("<td class=\"num\">{:.0f}%</td>", 100.0 * p);
        out += "</tr>\n";
    }
    return out + "</tbody></table>\n";
}

}  // namespace pathways
