#include "report/projection_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <sstream>

#include "common/csv.hpp"
#include "common/text_format.hpp"
#include "scenario/results_writer.hpp"

namespace pathways {
namespace {

const std::string& subgroup_name(const table_context& context, const metric_row& row) {
    return context.sim->subgroups()[row.subgroup].group.name;
}

const std::string& outcome_name(const table_context& context, const metric_row& row) {
    static const std::string none;
    return row.outcome == no_outcome ? none : context.sim->outcomes()[row.outcome].id;
}

}  // namespace

result_run result_run_of(const projection_result& result, const table_context& context) {
    result_run run;
    run.scenario = context.scenario;
    run.variant = context.variant;
    run.model = context.model;
    run.draws = static_cast<std::int64_t>(result.draws);
    run.suppression = context.suppression;
    run.cut_risk = result_cut_risk{as_written(result.cut.annual_probability), result.cut.first_year_at_risk,
                                   as_written(result.cut.by_horizon), static_cast<std::int64_t>(result.cut.cut_draws)};
    constexpr double undefined = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t i = 0; i < result.rows.size(); ++i) {
        const metric_row& row = result.rows[i];
        const stats::summary& s = result.summaries[i];
        // What the files hold: numbers at the precision written; none for a suppressed row.
        const auto number = [&](double v) { return row.suppressed ? undefined : as_written(v); };
        run.rows.push_back({context.start_year + row.year, subgroup_name(context, row), outcome_name(context, row),
                            std::string(to_string(row.metric)), std::string(to_string(row.course)), row.reference,
                            number(s.mean), number(s.sd), number(s.p05), number(s.p50), number(s.p95),
                            number(s.prob_positive), number(row.students), row.suppressed});
    }
    return run;
}

std::string projection_json(const projection_result& result, const table_context& context) {
    return projection_run_json_text(result_run_of(result, context));
}

std::string projection_csv_rows(const projection_result& result, const table_context& context) {
    return projection_csv_rows_text(result_run_of(result, context));
}

std::string years_to_close_text(double years) {
    if (!std::isfinite(years)) return "not closing at this pace";
    if (years <= 0.0) return "closed from the start";
    // A pace that needs more than a century is, for a board, a gap that does not close; a figure like
    // "19862 years" reads as a forecast.
    constexpr double century = 100.0;
    if (years > century) return "not closing within a century at this pace";
    return fmt::format("closes about {:.0f} years from the start at this pace", years);
}

std::string cut_risk_text(double annual_probability, int first_year_at_risk, double by_horizon, std::size_t cut_draws,
                          std::size_t draws, int last_year, const program_cut_settings& after_cut) {
    if (annual_probability <= 0.0) {
        return "The district never cuts the program in this scenario, so both projections are the same.";
    }
    if (draws <= 1) {
        return fmt::format(
            "The district may cut the program ({:.0f}% a year from {}, so {:.0f}% by {}), but a single "
            "central run samples no cut: both projections show the plan sustained.",
            100.0 * annual_probability, first_year_at_risk, 100.0 * by_horizon, last_year);
    }
    return fmt::format(
        "The district may cut the program: {:.0f}% a year from {}, so {:.0f}% by {} (cut in {} of {} draws). "
        "Where the program is cut, its practices fall back half way in about {:.1f} years and gains already "
        "made keep about {:.0f}% a year, so the effect fades; the sustained projection shows what the plan "
        "does where it lasts.",
        100.0 * annual_probability, first_year_at_risk, 100.0 * by_horizon, last_year, cut_draws, draws,
        after_cut.practices_years_to_half, 100.0 * after_cut.gain_persistence);
}

namespace {

using row_lookup = std::map<std::pair<metric, plan_course>, std::size_t>;

std::optional<std::size_t> find_row(const row_lookup& rows, metric m, plan_course course) {
    const auto it = rows.find({m, course});
    if (it == rows.end()) return std::nullopt;
    return it->second;
}

/// The gap columns of one line: change against business as usual and years to close (with cut risk).
std::string gap_text(const projection_result& result, const row_lookup& rows) {
    const auto gap = find_row(rows, metric::gap_sd, plan_course::with_cut_risk);
    const auto bau = find_row(rows, metric::gap_sd_bau, plan_course::none);
    if (!gap || !bau || result.rows[*gap].suppressed) return "";
    std::string text = "gap vs " + result.rows[*gap].reference + " " +
                       signed_fixed(result.summaries[*gap].mean - result.summaries[*bau].mean, 3);
    if (const auto years = find_row(rows, metric::gap_years_to_close, plan_course::with_cut_risk)) {
        text += ", " + years_to_close_text(result.summaries[*years].p50) + " (median)";
    }
    return text;
}

void outcome_lines(std::ostringstream& out, const projection_result& result, const table_context& context,
                   std::size_t subgroup, const row_lookup& rows, bool two_courses) {
    std::string line = "  " + padded(context.sim->subgroups()[subgroup].group.name, 22);
    const auto cut_effect = find_row(rows, metric::effect, plan_course::with_cut_risk);
    if (!cut_effect) return;
    if (result.rows[*cut_effect].suppressed) {
        out << line << "suppressed (fewer than min_n students)\n";
        return;
    }
    if (two_courses) {
        if (const auto sustained = find_row(rows, metric::effect, plan_course::sustained)) {
            line += padded(stats::interval_text(result.summaries[*sustained], 3), 28);
        }
    }
    line += padded(stats::interval_text(result.summaries[*cut_effect], 3), 28);
    if (const auto row = find_row(rows, metric::percentile_shift, plan_course::with_cut_risk)) {
        line += padded(signed_fixed(result.summaries[*row].mean, 1) + " pts", 12);
    }
    if (const auto row = find_row(rows, metric::proficient_change, plan_course::with_cut_risk)) {
        line += padded(signed_fixed(result.summaries[*row].mean, 1) + " pp", 11);
    }
    out << line << gap_text(result, rows) << "\n";
}

/// A derived gap outcome: the gap itself (reference minus focal group; larger is wider) in each projection.
void derived_gap_lines(std::ostringstream& out, const projection_result& result, const table_context& context,
                       std::size_t subgroup, const row_lookup& rows, bool two_courses) {
    const auto cut_gap = find_row(rows, metric::gap_sd, plan_course::with_cut_risk);
    const auto bau = find_row(rows, metric::gap_sd_bau, plan_course::none);
    if (!cut_gap || !bau) return;
    std::string line =
        "  " + padded(context.sim->subgroups()[subgroup].group.name + " vs " + result.rows[*cut_gap].reference, 32);
    if (result.rows[*cut_gap].suppressed) {
        out << line << "suppressed (fewer than min_n students)\n";
        return;
    }
    line += "business as usual " + signed_fixed(result.summaries[*bau].mean, 3) + "  ";
    if (two_courses) {
        if (const auto sustained = find_row(rows, metric::gap_sd, plan_course::sustained)) {
            line += "sustained " + stats::interval_text(result.summaries[*sustained], 3) + "  ";
        }
    }
    line += "with cut risk " + stats::interval_text(result.summaries[*cut_gap], 3);
    if (const auto years = find_row(rows, metric::gap_years_to_close, plan_course::with_cut_risk)) {
        line += "; " + years_to_close_text(result.summaries[*years].p50) + " (median)";
    }
    out << line << "\n";
}

}  // namespace

std::string projection_summary(const projection_result& result, const table_context& context) {
    const int last_year = context.sim->years() - 1;
    std::map<std::pair<std::size_t, std::size_t>, row_lookup> final_rows;
    bool two_courses = false;
    for (std::size_t i = 0; i < result.rows.size(); ++i) {
        const metric_row& row = result.rows[i];
        two_courses = two_courses || row.course == plan_course::sustained;
        if (row.year == last_year && row.outcome != no_outcome)
            final_rows[{row.outcome, row.subgroup}][{row.metric, row.course}] = i;
    }
    // With no cut risk both projections are the same numbers: one column is enough.
    two_courses = two_courses && result.cut.annual_probability > 0.0;
    const int horizon = context.start_year + last_year;
    std::ostringstream out;
    out << context.scenario << " \u2014 variant '" << context.variant << "', effect model '" << context.model << "'\n";
    out << "Year " << horizon << ", effect vs business as usual: mean [90% interval] over " << result.draws
        << (result.draws == 1 ? " run" : " draws") << "\n";
    out << cut_risk_text(result.cut.annual_probability, result.cut.first_year_at_risk, result.cut.by_horizon,
                         result.cut.cut_draws, result.draws, horizon, context.sim->spec().plan.program_cut)
        << "\n";
    if (!context.suppression) out << not_for_release_note << "\n";
    const auto& groups = context.sim->subgroups();
    if (std::any_of(groups.begin(), groups.end(),
                    [](const reported_subgroup& g) { return uses_plan_reach(g.group); })) {
        out << "all = district-wide; pl:yes = students in PL schools (those the plan has reached by that year); "
               "pl:no = students in the other schools\n";
    }
    std::size_t current_outcome = static_cast<std::size_t>(-1);
    for (const auto& [key, rows] : final_rows) {
        const auto [outcome, subgroup] = key;
        const reported_outcome& info = context.sim->outcomes()[outcome];
        // Academic outcomes and derived gaps are shown for every subgroup; the others for the whole
        // district only, so the summary stays readable (every row is in the CSV and JSON).
        if (!info.academic && !info.derived_gap() && context.sim->subgroups()[subgroup].group.name != "all") continue;
        if (outcome != current_outcome) {
            const std::string effect =
                two_courses ? "effect SD if sustained | effect SD with the cut risk" : "effect SD";
            out << "\n" << info.id << "  (";
            if (info.derived_gap()) out << "gap SD, reference minus focal group: larger is wider";
            else if (info.academic) out << effect << " | percentile pts | proficient pp | gap change SD";
            else out << effect;
            out << ")\n";
            current_outcome = outcome;
        }
        if (info.derived_gap()) derived_gap_lines(out, result, context, subgroup, rows, two_courses);
        else outcome_lines(out, result, context, subgroup, rows, two_courses);
    }
    return out.str();
}

}  // namespace pathways
