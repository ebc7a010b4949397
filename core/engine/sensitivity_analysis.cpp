#include "engine/sensitivity_analysis.hpp"

#include <algorithm>
#include <stdexcept>

#include "common/diagnostics.hpp"
#include "common/subgroup.hpp"
#include "common/text_safety.hpp"
#include "engine/draw_runner.hpp"
#include "engine/suppression.hpp"
#include "stats/distributions.hpp"
#include "stats/normal.hpp"

namespace pathways {
namespace {

constexpr const char* command_line = "<command line>";

const std::vector<metric> supported_metrics{metric::level, metric::bau_level, metric::effect, metric::percentile_shift,
                                            metric::gap_sd};

std::optional<std::size_t> find_subgroup(const simulation& sim, const std::string& name) {
    std::string error;
    const auto parsed = parse_subgroup(name, error);
    const std::string canonical = parsed ? parsed->name : name;
    for (std::size_t g = 0; g < sim.subgroups().size(); ++g) {
        if (sim.subgroups()[g].group.name == canonical) return g;
    }
    return std::nullopt;
}

std::vector<std::string> subgroup_names(const simulation& sim) {
    std::vector<std::string> names;
    for (const reported_subgroup& group : sim.subgroups()) names.push_back(group.group.name);
    return names;
}

/// Sensitivity prints values of one group: the same suppression rule as every other output decides
/// whether it (and, for a gap, its reference) may be published.
void check_publishable(const simulation& sim, const scenario& spec, const sensitivity_target& target,
                       const std::string& subgroup, diagnostics& found) {
    const std::vector<bool> hidden = suppressed_subgroups(sim, target.year, spec.report.min_n);
    for (const auto g : {std::optional<std::size_t>(target.subgroup), target.reference}) {
        if (!g || !hidden[*g]) continue;
        const reported_subgroup& group = sim.subgroups()[*g];
        found.error(command_line, 0, 0, "",
                    "--subgroup '" + subgroup + "': '" + group.group.name +
                        "' is withheld in this scenario's outputs (" + shortest_number(group.students_in(target.year)) +
                        " students; groups under " + std::to_string(spec.report.min_n) +
                        ", and groups whose numbers would give a withheld one away, are not published); expected a "
                        "published subgroup");
    }
}

std::vector<std::string> outcome_names(const simulation& sim) {
    std::vector<std::string> names;
    for (const reported_outcome& outcome : sim.outcomes()) names.push_back(outcome.id);
    return names;
}

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
    return text;
}

std::optional<metric> find_metric(const std::string& name) {
    for (metric m : supported_metrics) {
        if (to_string(m) == name) return m;
    }
    return std::nullopt;
}

/// What the analysis varies, as the columns of one design: the scalar inputs it studies, then the
/// numbers of each group it studies; and what it holds fixed that a run's draws let vary.
struct studied_quantities {
    std::vector<uncertain_input> all_inputs;  ///< sim.uncertain_inputs()
    std::vector<bool> studied;                ///< per input of all_inputs
    std::vector<uncertain_input> inputs;      ///< the studied ones
    std::vector<uncertain_group> groups;
    std::vector<sdk::prior> columns;
    std::vector<stats::input_group> factors;  ///< each studied input alone, then each group's numbers
    std::vector<held_fixed_quantity> held_fixed;
};

bool after_cut(const uncertain_input& input) {
    return input.applies_to == uncertain_input::target::practices_years_to_half ||
           input.applies_to == uncertain_input::target::gain_persistence;
}

/// On the sustained course the program is never cut: the cut is held fixed, and the after-cut
/// assumptions, which then change nothing, are left out rather than reported as inputs that do nothing.
studied_quantities studied_quantities_of(const simulation& sim, sensitivity_course course) {
    studied_quantities q;
    q.all_inputs = sim.uncertain_inputs();
    const bool sustained = course == sensitivity_course::if_sustained;
    for (const uncertain_input& input : q.all_inputs) {
        const bool studied = !(sustained && after_cut(input));
        q.studied.push_back(studied);
        if (!studied) continue;
        q.factors.push_back({q.columns.size()});
        q.columns.push_back(input.prior);
        q.inputs.push_back(input);
    }
    for (uncertain_group& group : sim.uncertain_groups()) {
        if (sustained && group.applies_to == uncertain_group::target::program_cut) {
            q.held_fixed.push_back({group.name,
                                    "never cut (the course if sustained); the after-cut assumptions then change "
                                    "nothing and are not inputs"});
            continue;
        }
        stats::input_group columns;
        for (const sdk::prior& prior : group.priors) {
            columns.push_back(q.columns.size());
            q.columns.push_back(prior);
        }
        q.factors.push_back(std::move(columns));
        q.groups.push_back(std::move(group));
    }
    return q;
}

/// The draw at one row of the design's columns; inputs not studied stay at their medians (they
/// change nothing on this course).
draw_parameters parameters_at(const simulation& sim, const studied_quantities& q, std::span<const double> row) {
    std::vector<double> values;
    values.reserve(q.all_inputs.size() + row.size());
    std::size_t next = 0;
    for (std::size_t i = 0; i < q.all_inputs.size(); ++i)
        values.push_back(q.studied[i] ? row[next++] : stats::prior_quantile(q.all_inputs[i].prior, 0.5));
    values.insert(values.end(), row.begin() + static_cast<std::ptrdiff_t>(next), row.end());
    return sim.parameters_with(values, q.groups);
}

/// Fills `values` with the design columns of run i.
using row_function = std::function<void(std::size_t i, std::vector<double>& values)>;

/// Evaluates the target at `count` rows, in blocks of draws spread over threads; results land by
/// index, so the outcome does not depend on which thread ran what. Where ranks hold the school
/// blocks, the values are on the first holder only.
std::vector<double> evaluate_all(const simulation& sim, const sensitivity_target& target, const studied_quantities& q,
                                 std::size_t first, std::size_t count, const row_function& row_of,
                                 const sensitivity_options& options, std::size_t done_before, std::size_t total,
                                 bool& cancelled) {
    std::vector<double> values(count);
    draw_run_options run_options{
        options.threads, 8,    simulation::default_tile_cells, false, options.cancel, options.progress,
        done_before,     total};
    const bool completed = run_draws_of(
        sim, count, run_options,
        [&](std::size_t i, draw_parameters& parameters) {
            std::vector<double> row;
            row_of(first + i, row);
            parameters = parameters_at(sim, q, row);
        },
        [&](std::size_t i, const finished_draw& draw) { values[i] = target_value(sim, target, draw.runs); });
    cancelled = !completed;
    return values;
}

/// evaluate_all over every row, or over this process's share of them when the options spread them.
std::vector<double> evaluate_spread(const simulation& sim, const sensitivity_target& target,
                                    const studied_quantities& q, std::size_t count, const row_function& row_of,
                                    const sensitivity_options& options, std::size_t done_before, std::size_t total,
                                    bool& cancelled) {
    if (!options.spread) return evaluate_all(sim, target, q, 0, count, row_of, options, done_before, total, cancelled);
    return options.spread(count, [&](std::size_t first, std::size_t share) {
        return evaluate_all(sim, target, q, first, share, row_of, options, done_before, total, cancelled);
    });
}

/// A model function that records the input vectors it is asked for and answers 0.
stats::model_function recorder(std::vector<std::vector<double>>& points) {
    return [&points](std::span<const double> inputs) {
        points.emplace_back(inputs.begin(), inputs.end());
        return 0.0;
    };
}

/// A model function that answers from `values` in call order.
stats::model_function replayer(const std::vector<double>& values, std::size_t& next) {
    return [&values, &next](std::span<const double>) {
        if (next >= values.size()) throw std::logic_error("sensitivity replay asked for more runs than were recorded");
        return values[next++];
    };
}

std::vector<double> medians_of(std::span<const sdk::prior> priors) {
    std::vector<double> medians;
    for (const sdk::prior& p : priors) medians.push_back(stats::prior_quantile(p, 0.5));
    return medians;
}

/// Where the tornado holds the groups, read from the draw it runs at their medians.
std::string groups_at_medians(const studied_quantities& q, const draw_parameters& central) {
    std::string text;
    for (const uncertain_group& group : q.groups) {
        const bool cut = group.applies_to == uncertain_group::target::program_cut;
        const std::string where = !cut               ? "every school at the average"
                                  : central.cut_year ? "cut in " + std::to_string(*central.cut_year)
                                                     : "never cut";
        text += (text.empty() ? "" : ", ") + where;
    }
    return text;
}

}  // namespace

std::optional<sensitivity_target> find_sensitivity_target(const simulation& sim, const scenario& spec,
                                                          const std::string& outcome, const std::string& subgroup,
                                                          std::optional<int> year, const std::string& metric_name,
                                                          diagnostics& out) {
    diagnostics found;
    sensitivity_target target;
    const auto outcomes = outcome_names(sim);
    const auto o = std::find(outcomes.begin(), outcomes.end(), outcome);
    if (o == outcomes.end()) {
        found.error(command_line, 0, 0, "",
                    "--outcome '" + outcome + "' is not reported by the scenario; expected one of " + joined(outcomes) +
                        did_you_mean(outcome, outcomes));
    } else {
        target.outcome = static_cast<std::size_t>(o - outcomes.begin());
    }
    if (const auto g = find_subgroup(sim, subgroup)) {
        target.subgroup = *g;
    } else {
        const auto names = subgroup_names(sim);
        found.error(command_line, 0, 0, "",
                    "--subgroup '" + subgroup + "' is not reported by the scenario; expected one of " + joined(names) +
                        did_you_mean(subgroup, names));
    }
    const int last = spec.start_year + sim.years() - 1;
    const int chosen = year.value_or(last);
    if (chosen < spec.start_year || chosen > last) {
        found.error(command_line, 0, 0, "",
                    "--year " + std::to_string(chosen) + " is outside the horizon; expected " +
                        std::to_string(spec.start_year) + " to " + std::to_string(last));
    }
    target.year = chosen - spec.start_year;
    if (const auto m = find_metric(metric_name)) {
        target.metric = *m;
    } else {
        std::vector<std::string> names;
        for (metric m2 : supported_metrics) names.emplace_back(to_string(m2));
        found.error(command_line, 0, 0, "",
                    "--metric '" + metric_name + "' is not supported; expected one of " + joined(names) +
                        did_you_mean(metric_name, names));
    }
    if (!found.has_errors() && target.metric == metric::percentile_shift && !sim.outcomes()[target.outcome].academic) {
        found.error(command_line, 0, 0, "",
                    "--metric percentile_shift needs an academic outcome; '" + outcome + "' is not one");
    }
    if (!found.has_errors() && target.metric == metric::gap_sd) {
        const std::string& focal = sim.subgroups()[target.subgroup].group.name;
        for (const auto& [f, reference] : spec.report.reference_groups) {
            if (f == focal) target.reference = find_subgroup(sim, reference);
        }
        if (!target.reference) {
            found.error(command_line, 0, 0, "",
                        "--metric gap_sd needs a subgroup with a reference group; '" + focal +
                            "' has none in /report/reference_groups");
        }
    }
    if (!found.has_errors() && sim.subgroups()[target.subgroup].students <= 0.0) {
        found.error(command_line, 0, 0, "", "--subgroup '" + subgroup + "' has no students in this district");
    }
    if (!found.has_errors()) check_publishable(sim, spec, target, subgroup, found);
    const bool failed = found.has_errors();
    out.append(found);
    if (failed) return std::nullopt;
    return target;
}

double target_value(const simulation& sim, const sensitivity_target& target, const draw_result& run) {
    const std::size_t groups = sim.subgroups().size();
    const std::size_t outcomes = sim.outcomes().size();
    const std::size_t year = static_cast<std::size_t>(target.year);
    const auto level = [&](const run_aggregates& r, std::size_t g) {
        return r.levels[(year * groups + g) * outcomes + target.outcome];
    };
    const std::size_t g = target.subgroup;
    switch (target.metric) {
        case metric::level: return level(run.scenario, g);
        case metric::bau_level: return level(run.business_as_usual, g);
        case metric::effect: return level(run.scenario, g) - level(run.business_as_usual, g);
        case metric::percentile_shift: {
            const double p0 = stats::normal_cdf(sim.baseline_level(g, target.outcome));
            return stats::percentile_shift(p0, level(run.scenario, g) - level(run.business_as_usual, g));
        }
        case metric::gap_sd: return level(run.scenario, target.reference.value_or(g)) - level(run.scenario, g);
        default:
            throw std::invalid_argument("sensitivity: unsupported metric '" + std::string(to_string(target.metric)) +
                                        "'");
    }
}

std::string_view to_string(sensitivity_course course) {
    return course == sensitivity_course::if_sustained ? "if_sustained" : "with_cut_risk";
}

std::optional<sensitivity_course> parse_sensitivity_course(std::string_view name) {
    for (const sensitivity_course course : {sensitivity_course::with_cut_risk, sensitivity_course::if_sustained}) {
        if (to_string(course) == name) return course;
    }
    return std::nullopt;
}

std::string not_a_course_text(std::string_view name) {
    const std::vector<std::string> courses{std::string(to_string(sensitivity_course::with_cut_risk)),
                                           std::string(to_string(sensitivity_course::if_sustained))};
    return "'" + std::string(name) +
           "' is not a course; expected with_cut_risk (the headline's, the default) or if_sustained (the program "
           "never cut)" +
           did_you_mean(name, courses);
}

sensitivity_report analyse_sensitivity(const simulation& sim, const sensitivity_target& target,
                                       const sensitivity_options& options) {
    const studied_quantities q = studied_quantities_of(sim, options.course);
    if (q.columns.empty()) throw std::invalid_argument("the scenario has no uncertain input to vary");
    sensitivity_report report{options.course, q.inputs, q.groups, q.held_fixed, {}, 0.0, {}, {}, false};
    const std::vector<sdk::prior> scalar_priors(q.columns.begin(),
                                                q.columns.begin() + static_cast<std::ptrdiff_t>(q.inputs.size()));
    const std::vector<double> group_medians =
        medians_of(std::span(q.columns).subspan(q.inputs.size()));  // where the tornado holds the groups

    // The tornado's runs: the central one first, then those it asks for.
    std::vector<std::vector<double>> tornado_points{medians_of(scalar_priors)};
    (void)stats::tornado(scalar_priors, recorder(tornado_points));
    const row_function tornado_row = [&](std::size_t i, std::vector<double>& row) {
        row = tornado_points[i];
        row.insert(row.end(), group_medians.begin(), group_medians.end());
    };
    const stats::sobol_design design(q.columns, q.factors,
                                     {options.base_samples, options.bootstrap_resamples, 0.95, options.seed});
    const row_function sobol_row = [&](std::size_t i, std::vector<double>& row) { design.row(i, row); };

    const std::size_t total = tornado_points.size() + design.runs();
    const std::vector<double> tornado_values =
        evaluate_spread(sim, target, q, tornado_points.size(), tornado_row, options, 0, total, report.cancelled);
    if (report.cancelled) return report;
    const std::vector<double> sobol_values = evaluate_spread(sim, target, q, design.runs(), sobol_row, options,
                                                             tornado_points.size(), total, report.cancelled);
    if (report.cancelled) return report;

    report.central = tornado_values.front();
    std::vector<double> central_row;
    tornado_row(0, central_row);
    report.groups_in_tornado = groups_at_medians(q, parameters_at(sim, q, central_row));
    std::size_t next = 1;  // the first value is the central run, not one the tornado asks for
    report.tornado = stats::tornado(scalar_priors, replayer(tornado_values, next));
    report.sobol = stats::sobol_indices(design, sobol_values);
    return report;
}

}  // namespace pathways
