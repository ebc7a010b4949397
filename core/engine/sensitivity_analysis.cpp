#include "engine/sensitivity_analysis.hpp"

#include <algorithm>
#include <stdexcept>

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

/// Evaluates the target at every input vector, in blocks of draws spread over threads; results land
/// by index, so the outcome does not depend on which thread ran what. Where ranks hold the school
/// blocks, the values are on the first holder only.
std::vector<double> evaluate_all(const simulation& sim, const sensitivity_target& target,
                                 const std::vector<std::vector<double>>& points, const sensitivity_options& options,
                                 std::size_t done_before, std::size_t total, bool& cancelled) {
    std::vector<double> values(points.size());
    draw_run_options run_options{
        options.threads, 8,    simulation::default_tile_cells, false, options.cancel, options.progress,
        done_before,     total};
    const bool completed = run_draws_of(
        sim, points.size(), run_options,
        [&](std::size_t i, draw_parameters& parameters) { parameters = sim.parameters_with(points[i]); },
        [&](std::size_t i, const finished_draw& draw) { values[i] = target_value(sim, target, draw.runs); });
    cancelled = !completed;
    return values;
}

/// evaluate_all over the points, or over this process's share of them when the options spread them.
std::vector<double> evaluate_spread(const simulation& sim, const sensitivity_target& target,
                                    const std::vector<std::vector<double>>& points, const sensitivity_options& options,
                                    std::size_t done_before, std::size_t total, bool& cancelled) {
    if (!options.spread) return evaluate_all(sim, target, points, options, done_before, total, cancelled);
    return options.spread(points.size(), [&](std::size_t first, std::size_t count) {
        const auto begin = points.begin() + static_cast<std::ptrdiff_t>(first);
        const std::vector<std::vector<double>> share(begin, begin + static_cast<std::ptrdiff_t>(count));
        return evaluate_all(sim, target, share, options, done_before, total, cancelled);
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

std::vector<sdk::prior> priors_of(const std::vector<uncertain_input>& inputs) {
    std::vector<sdk::prior> priors;
    for (const uncertain_input& input : inputs) priors.push_back(input.prior);
    return priors;
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

sensitivity_report analyse_sensitivity(const simulation& sim, const sensitivity_target& target,
                                       const sensitivity_options& options) {
    sensitivity_report report;
    report.inputs = sim.uncertain_inputs();
    if (report.inputs.empty()) throw std::invalid_argument("the scenario has no uncertain input to vary");
    const std::vector<sdk::prior> priors = priors_of(report.inputs);
    const stats::sobol_options sobol{options.base_samples, options.bootstrap_resamples, 0.95, options.seed};
    // The recording passes skip the bootstrap: it only re-reads outputs and asks for no runs.
    const stats::sobol_options recording{options.base_samples, 0, 0.95, options.seed};

    std::vector<std::vector<double>> tornado_points{{}};
    for (const sdk::prior& p : priors) tornado_points.front().push_back(stats::prior_quantile(p, 0.5));
    (void)stats::tornado(priors, recorder(tornado_points));
    std::vector<std::vector<double>> sobol_points;
    (void)stats::sobol_indices(priors, recorder(sobol_points), recording);

    const std::size_t total = tornado_points.size() + sobol_points.size();
    const std::vector<double> tornado_values =
        evaluate_spread(sim, target, tornado_points, options, 0, total, report.cancelled);
    if (report.cancelled) return report;
    const std::vector<double> sobol_values =
        evaluate_spread(sim, target, sobol_points, options, tornado_points.size(), total, report.cancelled);
    if (report.cancelled) return report;

    report.central = tornado_values.front();
    std::size_t next = 1;  // the first value is the central run, not one the tornado asks for
    report.tornado = stats::tornado(priors, replayer(tornado_values, next));
    next = 0;
    report.sobol = stats::sobol_indices(priors, replayer(sobol_values, next), sobol);
    return report;
}

}  // namespace pathways
