#include "engine/projection.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include "engine/costs.hpp"
#include "engine/draw_runner.hpp"
#include "engine/suppression.hpp"
#include "stats/normal.hpp"
#include "stats/summary.hpp"

namespace pathways {
namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

struct gap_pair {
    std::size_t focal = 0;
    std::size_t reference = 0;
};

std::vector<gap_pair> gap_pairs(const simulation& sim, const scenario& spec) {
    std::vector<gap_pair> pairs;
    const auto& groups = sim.subgroups();
    auto index_of = [&](const std::string& name) -> std::optional<std::size_t> {
        for (std::size_t g = 0; g < groups.size(); ++g) {
            if (groups[g].group.name == name) return g;
        }
        return std::nullopt;
    };
    for (const auto& [focal, reference] : spec.report.reference_groups) {
        const auto f = index_of(focal);
        const auto r = index_of(reference);
        if (f && r) pairs.push_back({*f, *r});
    }
    return pairs;
}

double level_at(const run_aggregates& run, const simulation& sim, int year, std::size_t g, std::size_t o) {
    return run.levels[(static_cast<std::size_t>(year) * sim.subgroups().size() + g) * sim.outcomes().size() + o];
}

double proficient_at(const run_aggregates& run, const simulation& sim, int year, std::size_t g, std::size_t p) {
    return run
        .proficient[(static_cast<std::size_t>(year) * sim.subgroups().size() + g) * sim.proficiency_outcomes() + p];
}

/// Reference minus focal group in `level(group, outcome)`; for a derived subgroup-gap outcome, the
/// weighted mean of its components' gaps (never a per-cell value of its own).
template <class Level>
double gap_between(const simulation& sim, std::size_t o, std::size_t reference, std::size_t focal, Level level) {
    const reported_outcome& outcome = sim.outcomes()[o];
    if (!outcome.derived_gap()) return level(reference, o) - level(focal, o);
    double gap = 0.0;
    for (const auto& [component, weight] : outcome.gap_components)
        gap += weight * (level(reference, component) - level(focal, component));
    return gap;
}

/// One draw's runs: the scenario of each course and business as usual.
struct draw_runs {
    const run_aggregates& sustained;
    const run_aggregates& with_cut_risk;
    const run_aggregates& business_as_usual;
};

/// The value of one row in one draw.
double row_value(const metric_row& row, const simulation& sim, const draw_runs& runs,
                 const std::vector<gap_pair>& pairs) {
    const int y = row.year;
    const std::size_t g = row.subgroup;
    const std::size_t o = row.outcome;
    const reported_outcome& outcome = sim.outcomes()[o];
    const run_aggregates& plan = row.course == plan_course::sustained ? runs.sustained : runs.with_cut_risk;
    const run_aggregates& bau = runs.business_as_usual;
    const auto scenario_level = [&](std::size_t group) { return level_at(plan, sim, y, group, o); };
    const auto bau_level = [&](std::size_t group) { return level_at(bau, sim, y, group, o); };
    if (row.metric == metric::level) return scenario_level(g);
    if (row.metric == metric::bau_level) return bau_level(g);
    if (row.metric == metric::effect) return scenario_level(g) - bau_level(g);
    if (row.metric == metric::percentile_shift) {
        const double p0 = stats::normal_cdf(sim.baseline_level(g, o, y));
        return stats::percentile_shift(p0, scenario_level(g) - bau_level(g));
    }
    const std::size_t p = outcome.proficiency_index.value_or(0);
    if (row.metric == metric::proficient) return 100.0 * proficient_at(plan, sim, y, g, p);
    if (row.metric == metric::proficient_bau) return 100.0 * proficient_at(bau, sim, y, g, p);
    if (row.metric == metric::proficient_change) {
        return 100.0 * (proficient_at(plan, sim, y, g, p) - proficient_at(bau, sim, y, g, p));
    }
    const auto pair = std::find_if(pairs.begin(), pairs.end(), [&](const gap_pair& gp) { return gp.focal == g; });
    const std::size_t ref = pair->reference;
    const auto baseline = [&](std::size_t group, std::size_t outcome_index) {
        return sim.baseline_level(group, outcome_index, y);
    };
    const auto in_plan = [&](std::size_t group, std::size_t outcome_index) {
        return level_at(plan, sim, y, group, outcome_index);
    };
    const auto in_bau = [&](std::size_t group, std::size_t outcome_index) {
        return level_at(bau, sim, y, group, outcome_index);
    };
    const double baseline_gap = gap_between(sim, o, ref, g, baseline);
    const double gap = gap_between(sim, o, ref, g, in_plan);
    if (row.metric == metric::gap_sd) return gap;
    if (row.metric == metric::gap_sd_bau) return gap_between(sim, o, ref, g, in_bau);
    if (row.metric == metric::gap_closed_pct)
        return baseline_gap != 0.0 ? 100.0 * (baseline_gap - gap) / baseline_gap : 0.0;
    if (row.metric == metric::gap_pp) {
        return 100.0 * (proficient_at(plan, sim, y, ref, p) - proficient_at(plan, sim, y, g, p));
    }
    if (row.metric == metric::gap_closes) return gap <= 0.0 ? 1.0 : 0.0;
    if (row.metric == metric::gap_narrows) return gap < baseline_gap ? 1.0 : 0.0;
    if (row.metric == metric::gap_years_to_close)
        return years_to_close(baseline_gap, gap, y + 1).value_or(not_a_number);
    throw std::logic_error("unhandled metric");
}

/// Quantile (type 7, as stats::quantile_type7) of values sorted with the undefined ones last, as if
/// they were +infinity: undefined when it falls on an undefined value or between one and a number.
double quantile_with_never(const std::vector<double>& sorted, std::size_t defined, double p) {
    const double h = static_cast<double>(sorted.size() - 1) * p;
    const auto below = static_cast<std::size_t>(std::floor(h));
    const double fraction = h - static_cast<double>(below);
    if (below >= defined) return not_a_number;
    if (fraction == 0.0 || below + 1 >= sorted.size()) return sorted[below];
    if (below + 1 >= defined) return not_a_number;
    return sorted[below] + fraction * (sorted[below + 1] - sorted[below]);
}

stats::summary summarize_years_to_close(std::span<const double> values) {
    std::vector<double> sorted(values.begin(), values.end());
    const auto split = std::partition(sorted.begin(), sorted.end(), [](double v) { return !std::isnan(v); });
    const auto defined = static_cast<std::size_t>(split - sorted.begin());
    std::sort(sorted.begin(), split);
    stats::summary s;
    s.p05 = quantile_with_never(sorted, defined, 0.05);
    s.p50 = quantile_with_never(sorted, defined, 0.50);
    s.p95 = quantile_with_never(sorted, defined, 0.95);
    s.prob_positive = not_a_number;
    if (defined == sorted.size()) {
        const stats::summary all = stats::summarize(values);
        s.mean = all.mean;
        s.sd = all.sd;
    } else {
        s.mean = not_a_number;
        s.sd = not_a_number;
    }
    return s;
}

std::string dimension_name(subgroup_term::dimension dim) {
    switch (dim) {
        case subgroup_term::dimension::race: return "race";
        case subgroup_term::dimension::ell: return "ell";
        case subgroup_term::dimension::frl: return "frl";
        case subgroup_term::dimension::sped: return "sped";
        case subgroup_term::dimension::grade: return "grade";
        case subgroup_term::dimension::pl: return "pl";
    }
    return "race";
}

/// The dimensions (race, ell, ...) a district baseline gives offsets for; empty when it has none.
std::set<subgroup_term::dimension> offset_dimensions(const district_profile& district, const std::string& node) {
    std::set<subgroup_term::dimension> dims;
    for (const outcome_baseline& baseline : district.baselines) {
        if (baseline.node != node) continue;
        for (const auto& [term_text, offset] : baseline.offsets) {
            std::string error;
            if (const auto term = parse_subgroup(term_text, error)) {
                for (const subgroup_term& t : term->terms) dims.insert(t.dim);
            }
        }
    }
    return dims;
}

/// The student attributes (race, ell, ...) a gap between two groups compares; plan reach is none: schools
/// differ by who attends, which no profile could give a baseline for.
std::set<subgroup_term::dimension> gap_dimensions(const std::vector<reported_subgroup>& groups, const gap_pair& pair) {
    std::set<subgroup_term::dimension> wanted;
    for (const std::size_t g : {pair.focal, pair.reference}) {
        for (const subgroup_term& term : groups[g].group.terms) {
            if (term.dim != subgroup_term::dimension::pl) wanted.insert(term.dim);
        }
    }
    return wanted;
}

/// Whether the district's baseline for `outcome` offsets any of the gap's attributes (a gap needs a
/// starting difference to measure). A derived gap outcome is judged through its components.
bool gap_has_baseline(const simulation& sim, const reported_outcome& outcome,
                      const std::set<subgroup_term::dimension>& wanted) {
    if (wanted.empty() || outcome.derived_gap()) return true;
    const auto offered = offset_dimensions(sim.district(), outcome.id);
    return std::any_of(wanted.begin(), wanted.end(), [&](auto dim) { return offered.contains(dim); });
}

/// cut risk of the plan: the same years `simulation::sample_parameters` draws a cut in.
cut_risk plan_cut_risk(const simulation& sim, const scenario& spec) {
    cut_risk risk;
    risk.annual_probability = spec.plan.program_cut.annual_probability;
    risk.first_year_at_risk = spec.start_year + static_cast<int>(std::ceil(sim.schedule().protected_years()));
    const int years_at_risk = std::max(0, spec.start_year + spec.years - risk.first_year_at_risk);
    if (risk.annual_probability > 0.0) risk.by_horizon = 1.0 - std::pow(1.0 - risk.annual_probability, years_at_risk);
    return risk;
}

}  // namespace

std::optional<double> years_to_close(double baseline_gap, double gap, int years_elapsed) {
    if (baseline_gap <= 0.0) return 0.0;
    const double narrowed = baseline_gap - gap;
    if (narrowed <= 0.0) return std::nullopt;
    return baseline_gap * years_elapsed / narrowed;
}

std::string_view to_string(plan_course course) {
    switch (course) {
        case plan_course::none: return "";
        case plan_course::sustained: return "sustained";
        case plan_course::with_cut_risk: return "with_cut_risk";
    }
    return "";
}

bool depends_on_plan(metric m) {
    return m != metric::bau_level && m != metric::proficient_bau && m != metric::gap_sd_bau;
}

std::string_view to_string(metric m) {
    switch (m) {
        case metric::level: return "level";
        case metric::bau_level: return "bau_level";
        case metric::effect: return "effect";
        case metric::percentile_shift: return "percentile_shift";
        case metric::proficient: return "proficient";
        case metric::proficient_bau: return "proficient_bau";
        case metric::proficient_change: return "proficient_change";
        case metric::gap_sd: return "gap_sd";
        case metric::gap_sd_bau: return "gap_sd_bau";
        case metric::gap_closed_pct: return "gap_closed_pct";
        case metric::gap_pp: return "gap_pp";
        case metric::gap_closes: return "gap_closes";
        case metric::gap_narrows: return "gap_narrows";
        case metric::gap_years_to_close: return "gap_years_to_close";
        case metric::cost_total: return "cost_total";
        case metric::cost_per_student: return "cost_per_student";
        case metric::cost_per_tenth_sd: return "cost_per_tenth_sd";
        case metric::effect_per_million: return "effect_per_million";
        case metric::cost_per_gap_pp: return "cost_per_gap_pp";
        case metric::gap_pp_per_million: return "gap_pp_per_million";
    }
    return "level";
}

std::vector<metric_row> describe_rows(const simulation& sim, const scenario& spec, const projection_options& options) {
    const std::vector<gap_pair> pairs = gap_pairs(sim, spec);
    const auto& groups = sim.subgroups();
    std::vector<plan_course> courses{plan_course::with_cut_risk};
    if (options.sustained_course) courses.insert(courses.begin(), plan_course::sustained);
    std::optional<publication_audit> alone;
    const std::vector<std::vector<bool>>* verdict = options.withheld;
    if (options.suppress && verdict == nullptr) {
        alone.emplace();
        alone->add(sim, options.min_n);
        verdict = &alone->withheld(0);
    }
    if (!options.suppress) verdict = nullptr;
    std::vector<metric_row> rows;
    for (int y = 0; y < sim.years(); ++y) {
        const std::vector<bool> hidden =
            verdict != nullptr ? verdict->at(static_cast<std::size_t>(y)) : std::vector<bool>(groups.size(), false);
        for (std::size_t g = 0; g < groups.size(); ++g) {
            for (std::size_t o = 0; o < sim.outcomes().size(); ++o) {
                const reported_outcome& outcome = sim.outcomes()[o];
                auto add = [&](metric m, const std::string& reference, bool hide) {
                    if (!depends_on_plan(m)) {
                        rows.push_back({y, g, o, m, reference, groups[g].students_in(y), hide, plan_course::none});
                        return;
                    }
                    for (const plan_course course : courses)
                        rows.push_back({y, g, o, m, reference, groups[g].students_in(y), hide, course});
                };
                // A derived gap outcome has no level of its own: only its gaps are reported.
                if (!outcome.derived_gap()) {
                    for (metric m : {metric::level, metric::bau_level, metric::effect}) add(m, "", hidden[g]);
                    if (outcome.academic) add(metric::percentile_shift, "", hidden[g]);
                    if (outcome.proficiency_index) {
                        for (metric m : {metric::proficient, metric::proficient_bau, metric::proficient_change}) {
                            add(m, "", hidden[g]);
                        }
                    }
                }
                if (!outcome.academic && !outcome.derived_gap()) continue;
                for (const gap_pair& pair : pairs) {
                    if (pair.focal != g) continue;
                    // Outcomes the user did not name (the default of every outcome) without the baseline
                    // offsets a gap needs have no gap rows; named ones are refused by check_gap_baselines.
                    if (!gap_has_baseline(sim, outcome, gap_dimensions(groups, pair))) continue;
                    const bool hide = hidden[g] || hidden[pair.reference];
                    const std::string& reference = groups[pair.reference].group.name;
                    for (metric m : {metric::gap_sd, metric::gap_sd_bau, metric::gap_closed_pct})
                        add(m, reference, hide);
                    if (outcome.proficiency_index) add(metric::gap_pp, reference, hide);
                    if (y + 1 == sim.years()) {
                        for (metric m : {metric::gap_closes, metric::gap_narrows, metric::gap_years_to_close})
                            add(m, reference, hide);
                    }
                }
            }
        }
    }
    return rows;
}

void check_gap_baselines(const simulation& sim, const scenario& spec, diagnostics& found) {
    const auto& groups = sim.subgroups();
    // With the default outcomes (none named), a gap is measured on the academic outcomes that have
    // baselines for it, and refused only when none has; outcomes the user names must each have them.
    const bool outcomes_named = !spec.report.outcomes.empty();
    for (const gap_pair& pair : gap_pairs(sim, spec)) {
        const std::set<subgroup_term::dimension> wanted = gap_dimensions(groups, pair);
        if (wanted.empty()) continue;
        std::string dims;
        for (const auto dim : wanted) dims += (dims.empty() ? "" : " or ") + dimension_name(dim);
        std::string missing;
        bool any_measured = false;
        for (const reported_outcome& outcome : sim.outcomes()) {
            if (!outcome.academic || outcome.derived_gap()) continue;
            if (gap_has_baseline(sim, outcome, wanted)) {
                any_measured = true;
            } else {
                missing += (missing.empty() ? "" : ", ") + outcome.id;
            }
        }
        if (missing.empty() || (!outcomes_named && any_measured)) continue;
        const std::string& focal = groups[pair.focal].group.name;
        const std::string& reference = groups[pair.reference].group.name;
        spec.where.error(found, "/report/reference_groups/" + focal,
                         "the " + focal + " vs " + reference + " gap needs baseline offsets for " + dims +
                             " in district profile '" + sim.district().file +
                             "', which has none under baseline/<outcome>/offsets for " + missing +
                             "; expected offsets such as \"" + focal +
                             "\": -0.5 for those outcomes, or no reference group for " + focal);
    }
}

projection_draws run_draws(const simulation& sim, const scenario& spec, const projection_options& options) {
    projection_draws result;
    result.rows = describe_rows(sim, spec, options);
    result.cut = plan_cut_risk(sim, spec);
    const std::vector<gap_pair> pairs = gap_pairs(sim, spec);
    const bool central = options.draws <= 0;
    result.draws = central ? 1 : static_cast<std::size_t>(options.draws);
    const std::size_t first_draw = std::min(options.first_draw, result.draws);
    const std::size_t range = std::min(options.draw_count.value_or(result.draws), result.draws - first_draw);
    diagnostics found;
    check_gap_baselines(sim, spec, found);
    // Exact quantiles need every draw's row values (never per-cell trajectories); refuse runs whose
    // aggregates alone would not fit comfortably in memory rather than swap or crash.
    const double bytes = static_cast<double>(result.draws) * static_cast<double>(result.rows.size()) * sizeof(double);
    if (bytes > max_aggregate_bytes) {
        spec.where.error(found, "/uncertainty/draws",
                         std::to_string(result.draws) + " draws of " + std::to_string(result.rows.size()) +
                             " rows need " + std::to_string(static_cast<long long>(bytes / (1 << 20))) +
                             " MiB of per-draw results; expected at most " +
                             std::to_string(static_cast<long long>(max_aggregate_bytes / (1 << 20))) +
                             " MiB: use fewer draws or report fewer subgroups and outcomes");
    }
    if (found.has_errors()) throw input_error(found);
    result.draws = range;
    result.values.assign(result.draws * result.rows.size(), not_a_number);
    result.cut_years.assign(result.draws, std::nullopt);

    draw_run_options run_options{options.threads,          options.block_draws, options.tile_cells,
                                 options.sustained_course, options.cancel,      options.progress};
    std::atomic<std::size_t> cut_draws{0};
    const bool completed = run_draws_of(
        sim, result.draws, run_options,
        [&](std::size_t i, draw_parameters& parameters) {
            if (central) parameters = sim.central_parameters();
            else sim.sample_parameters(options.seed, first_draw + i, parameters);
        },
        [&](std::size_t i, const finished_draw& draw) {
            if (draw.parameters.cut_year) ++cut_draws;
            result.cut_years[i] = draw.parameters.cut_year;
            const draw_runs runs{draw.sustained != nullptr ? *draw.sustained : draw.runs.scenario, draw.runs.scenario,
                                 draw.runs.business_as_usual};
            double* out = result.values.data() + i * result.rows.size();
            for (std::size_t r = 0; r < result.rows.size(); ++r) out[r] = row_value(result.rows[r], sim, runs, pairs);
        });
    result.cancelled = !completed;
    result.cut.cut_draws = cut_draws.load();
    return result;
}

projection_result summarize_draws(const projection_draws& draws) {
    projection_result result;
    result.rows = draws.rows;
    result.draws = draws.draws;
    result.cut = draws.cut;
    std::vector<double> column(draws.draws);
    for (std::size_t i = 0; i < draws.rows.size(); ++i) {
        for (std::size_t d = 0; d < draws.draws; ++d) column[d] = draws.values[d * draws.rows.size() + i];
        const metric m = draws.rows[i].metric;
        if (m == metric::gap_years_to_close) result.summaries.push_back(summarize_years_to_close(column));
        else if (is_cost_per_effect(m)) result.summaries.push_back(summarize_cost_per_effect(column));
        else result.summaries.push_back(stats::summarize(column));
    }
    return result;
}

projection_draws rows_where(const projection_draws& draws, const std::function<bool(const metric_row&)>& keep) {
    std::vector<std::size_t> kept;
    for (std::size_t i = 0; i < draws.rows.size(); ++i) {
        if (keep(draws.rows[i])) kept.push_back(i);
    }
    projection_draws out;
    out.draws = draws.draws;
    out.cancelled = draws.cancelled;
    out.cut = draws.cut;
    for (const std::size_t i : kept) out.rows.push_back(draws.rows[i]);
    out.values.reserve(draws.draws * kept.size());
    for (std::size_t d = 0; d < draws.draws; ++d) {
        for (const std::size_t i : kept) out.values.push_back(draws.values[d * draws.rows.size() + i]);
    }
    return out;
}

projection_draws comparable_rows(const projection_draws& draws) {
    return rows_where(draws, [](const metric_row& row) {
        return row.course != plan_course::sustained && row.metric != metric::gap_years_to_close &&
               !is_cost_metric(row.metric);
    });
}

projection_draws paired_difference(const projection_draws& a, const projection_draws& b) {
    if (a.rows.size() != b.rows.size() || a.draws != b.draws) {
        throw std::invalid_argument("paired difference needs runs with the same rows and draws");
    }
    projection_draws difference = a;
    for (std::size_t i = 0; i < a.values.size(); ++i) {
        difference.values[i] = stats::difference_or_tie(a.values[i], b.values[i]);
    }
    return difference;
}

}  // namespace pathways
