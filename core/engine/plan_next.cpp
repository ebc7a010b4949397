#include "engine/plan_next.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <numeric>

#include "common/subgroup.hpp"
#include "engine/costs.hpp"
#include "engine/projection.hpp"
#include "engine/suppression.hpp"
#include "engine/worker_threads.hpp"
#include "stats/random.hpp"

namespace pathways {
namespace {

constexpr double million = 1e6;

[[noreturn]] void option_error(const std::string& option, const std::string& message) {
    diagnostics found;
    found.error("<command line>", 0, 0, "", option + ": " + message);
    throw input_error(found);
}

/// The plan with `added` as a further wave (none: the plan as it is), reporting only what the objective reads.
scenario evaluation_spec(const scenario& base, const std::optional<wave>& added, const plan_objective& objective,
                         const std::string& outcome) {
    scenario spec = base;
    if (added) spec.plan.waves.push_back(*added);
    spec.report.subgroups = {"all"};
    spec.report.reference_groups.clear();
    if (objective.what == plan_objective::kind::gap) {
        spec.report.subgroups.push_back(objective.reference);
        spec.report.subgroups.push_back(objective.focal);
        spec.report.reference_groups = {{objective.focal, objective.reference}};
    }
    spec.report.outcomes = {outcome};
    spec.report.min_n = 1;
    return spec;
}

/// Per draw: the objective's level (effect for all students, or minus the gap) and the plan's cost.
struct evaluation {
    std::vector<double> level;
    std::vector<double> cost;
    double students = 0.0;  ///< in the district
};

std::optional<std::size_t> find_row(const projection_draws& draws, metric m, const std::string& subgroup,
                                    const simulation& sim) {
    const int last = sim.years() - 1;
    for (std::size_t i = 0; i < draws.rows.size(); ++i) {
        const metric_row& row = draws.rows[i];
        if (row.year != last || row.metric != m || row.course != plan_course::with_cut_risk) continue;
        if (sim.subgroups()[row.subgroup].group.name == subgroup) return i;
    }
    return std::nullopt;
}

evaluation evaluate(const plan_next_inputs& in, const scenario& spec, const plan_next_options& options,
                    std::int64_t draws, unsigned threads) {
    diagnostics found;
    const simulation sim({in.graph, in.district, in.schools, in.cells, spec, in.model}, found);
    if (found.has_errors()) throw input_error(found);
    projection_options run;
    run.draws = draws;
    run.seed = options.seed;
    run.threads = threads;
    run.min_n = 1;
    run.suppress = false;
    projection_draws result = run_draws(sim, spec, run);
    append_cost_rows(result, {sim, spec, in.schools, run});
    const bool gap = options.objective.what == plan_objective::kind::gap;
    const auto level = gap ? find_row(result, metric::gap_sd, options.objective.focal, sim)
                           : find_row(result, metric::effect, "all", sim);
    const auto cost = find_row(result, metric::cost_total, "all", sim);
    evaluation out;
    for (const reported_subgroup& group : sim.subgroups()) {
        if (group.group.name == "all") out.students = group.students;
    }
    const std::size_t width = result.rows.size();
    for (std::size_t d = 0; d < result.draws; ++d) {
        const double* values = result.values.data() + d * width;
        out.level.push_back(level ? (gap ? -values[*level] : values[*level]) : 0.0);
        out.cost.push_back(cost ? values[*cost] : 0.0);
    }
    return out;
}

/// Per draw: how much more the objective reaches with the wave than without it.
std::vector<double> gains(const evaluation& with, const evaluation& without, const plan_objective& objective) {
    std::vector<double> out(with.level.size());
    for (std::size_t d = 0; d < out.size(); ++d) {
        out[d] = with.level[d] - without.level[d];
        if (objective.what == plan_objective::kind::per_dollar) {
            const double added = with.cost[d] - without.cost[d];
            out[d] = added > 0.0 ? out[d] / (added / million) : 0.0;
        }
    }
    return out;
}

/// What the wave adds to the plan's cost per draw on the course its gain is measured on, and the ratios
/// of means a board compares plans by.
void describe_cost(plan_next_result& result, const evaluation& with, const evaluation& without,
                   const std::vector<school>& schools, const plan_objective& objective) {
    std::vector<double> added(with.cost.size());
    double mean_added = 0.0, mean_gain = 0.0;
    for (std::size_t d = 0; d < added.size(); ++d) {
        added[d] = with.cost[d] - without.cost[d];
        mean_added += added[d] / static_cast<double>(added.size());
        mean_gain += (with.level[d] - without.level[d]) / static_cast<double>(added.size());
    }
    result.added_cost_draws = stats::summarize(added);
    for (const std::size_t s : result.chosen) result.students_reached += static_cast<double>(schools[s].enrollment);
    result.students = with.students;
    result.cost_per_student_reached =
        result.students_reached > 0.0 ? mean_added / result.students_reached : std::numeric_limits<double>::quiet_NaN();
    result.cost_per_student_per_tenth_sd =
        objective.what == plan_objective::kind::all && mean_gain > 0.0 && with.students > 0.0
            ? (mean_added / with.students) / (mean_gain / 0.1)
            : std::numeric_limits<double>::quiet_NaN();
}

/// The wave that adds `schools`: the year after the plan's last wave starts (at the latest the
/// horizon's last year), with the last wave's targets.
wave next_wave(const scenario& spec, const std::vector<school>& all, const std::vector<std::size_t>& schools) {
    wave w;
    w.name = "next wave (plan-next)";
    int last_start = spec.start_year - 1;
    for (const wave& existing : spec.plan.waves) last_start = std::max(last_start, existing.start_year);
    w.start_year = std::min(last_start + 1, spec.start_year + spec.years - 1);
    if (!spec.plan.waves.empty()) {
        w.targets = spec.plan.waves.back().targets;
        w.where = spec.plan.waves.back().where;
    } else {
        w.targets = {{"*", 2.0, {}, 0.0}};
    }
    for (const std::size_t s : schools) w.schools.ids.push_back(all[s].id);
    return w;
}

std::vector<std::size_t> unreached_schools(const plan_next_inputs& in) {
    diagnostics found;
    const implementation_schedule schedule(in.graph, in.district, in.schools, in.spec, found);
    if (found.has_errors()) throw input_error(found);
    std::vector<std::size_t> out;
    for (std::size_t s = 0; s < in.schools.size(); ++s) {
        if (schedule.wave_of_school()[s] < 0) out.push_back(s);
    }
    return out;
}

/// Every candidate alone, central run, on the option's threads (each candidate's result in its own slot).
std::vector<candidate_score> screen(const plan_next_inputs& in, const plan_next_options& options,
                                    const std::vector<std::size_t>& candidates, const std::string& outcome,
                                    const evaluation& base) {
    const cost_settings costs = plan_costs(in.district, in.spec);
    std::vector<candidate_score> scores(candidates.size());
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto worker = [&] {
        for (std::size_t i = next++; i < candidates.size() && !stop; i = next++) {
            try {
                const wave added = next_wave(in.spec, in.schools, {candidates[i]});
                const scenario spec = evaluation_spec(in.spec, added, options.objective, outcome);
                const evaluation with = evaluate(in, spec, options, 0, 1);
                const int first_year = added.start_year - in.spec.start_year;
                scores[i] = {candidates[i], gains(with, base, options.objective).front(),
                             added_school_cost(costs, in.schools[candidates[i]], first_year, in.spec.years)};
            } catch (...) {
                const std::lock_guard lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                stop = true;
            }
        }
    };
    run_on_threads(std::max(1u, options.threads), worker, stop);
    if (failure) std::rethrow_exception(failure);
    return scores;
}

/// The best `k` of `ranked` whose costs fit in the budget, in rank order.
std::vector<std::size_t> choose(const std::vector<candidate_score>& ranked, const plan_next_options& options) {
    std::vector<std::size_t> chosen;
    double spent = 0.0;
    for (const candidate_score& c : ranked) {
        if (chosen.size() == options.schools) break;
        if (options.budget && spent + c.cost > *options.budget) continue;
        chosen.push_back(c.school);
        spent += c.cost;
    }
    if (chosen.size() < options.schools) {
        std::vector<double> costs;
        for (const candidate_score& c : ranked) costs.push_back(c.cost);
        std::sort(costs.begin(), costs.end());
        const double cheapest =
            std::accumulate(costs.begin(), costs.begin() + static_cast<std::ptrdiff_t>(options.schools), 0.0);
        option_error("--budget", "a budget of " + std::to_string(static_cast<long long>(*options.budget)) + " buys " +
                                     std::to_string(chosen.size()) + " of the " + std::to_string(options.schools) +
                                     " schools asked for; expected at least " +
                                     std::to_string(static_cast<long long>(std::ceil(cheapest))) + " (the cheapest " +
                                     std::to_string(options.schools) + " schools) or fewer --schools");
    }
    return chosen;
}

std::vector<std::vector<std::size_t>> random_sets(const std::vector<std::size_t>& candidates, std::size_t k,
                                                  std::size_t sets, std::uint64_t seed) {
    static const std::uint64_t stream = stats::stream_id("plan-next:random-set");
    std::vector<std::vector<std::size_t>> out;
    for (std::size_t r = 0; r < sets; ++r) {
        stats::counter_rng rng(seed, r, stream);
        std::vector<std::size_t> pool = candidates;
        for (std::size_t i = 0; i < k; ++i) {
            const std::size_t j = i + static_cast<std::size_t>(rng.next_below(pool.size() - i));
            std::swap(pool[i], pool[j]);
        }
        pool.resize(k);
        out.push_back(std::move(pool));
    }
    return out;
}

void check_options(const plan_next_inputs& in, const plan_next_options& options, std::size_t candidates) {
    if (options.schools == 0) option_error("--schools", "0 schools; expected at least 1");
    if (options.schools > candidates) {
        option_error("--schools", std::to_string(options.schools) + " schools, but the plan leaves only " +
                                      std::to_string(candidates) + " of the district's " +
                                      std::to_string(in.schools.size()) + " schools unreached; expected at most " +
                                      std::to_string(candidates));
    }
    if (options.budget && *options.budget <= 0.0) option_error("--budget", "expected an amount above 0");
    const bool has_costs = !plan_costs(in.district, in.spec).items.empty();
    if (!has_costs && (options.budget || options.objective.what == plan_objective::kind::per_dollar)) {
        option_error(options.budget ? "--budget" : "--objective",
                     "the plan has no costs (district profile '" + in.district.file +
                         "' and the scenario give no cost items); expected costs under /costs in the profile or "
                         "/implementation/costs in the scenario");
    }
    if (options.objective.what == plan_objective::kind::gap) {
        for (const std::string& group : {options.objective.reference, options.objective.focal}) {
            std::string error;
            if (!parse_subgroup(group, error)) option_error("--objective", error);
        }
    }
}

/// plan-next publishes its gain for the objective's groups and names the schools that raise it most,
/// so it optimises only for groups the scenario's outputs may publish: each as the publication audit
/// decides for the scenario reporting the objective's groups (engine/suppression.hpp), at the
/// scenario's threshold, in every year.
void check_publishable(const plan_next_inputs& in, const plan_objective& objective, const std::string& outcome) {
    if (objective.what != plan_objective::kind::gap) return;
    scenario spec = evaluation_spec(in.spec, std::nullopt, objective, outcome);
    spec.report.min_n = in.spec.report.min_n;
    diagnostics found;
    const simulation sim({in.graph, in.district, in.schools, in.cells, spec, in.model}, found);
    if (found.has_errors()) throw input_error(found);
    publication_audit audit;
    audit.add(sim, spec.report.min_n);
    for (const std::vector<bool>& hidden : audit.withheld(0)) {
        for (std::size_t g = 1; g < hidden.size(); ++g) {
            if (!hidden[g]) continue;
            option_error("--objective", "the gap's group '" + sim.subgroups()[g].group.name +
                                            "' is withheld from this scenario's outputs (fewer than " +
                                            std::to_string(spec.report.min_n) +
                                            " students, or given away by the groups published with it); expected "
                                            "an objective whose groups may be published");
        }
    }
}

}  // namespace

std::optional<plan_objective> parse_objective(const std::string& text, std::string& error) {
    if (text == "all") return plan_objective{};
    if (text == "per-dollar") return plan_objective{plan_objective::kind::per_dollar, "", ""};
    const std::string prefix = "gap:";
    const auto dash = text.find('-', prefix.size());
    if (text.rfind(prefix, 0) == 0 && dash != std::string::npos && dash > prefix.size() && dash + 1 < text.size()) {
        return plan_objective{plan_objective::kind::gap, text.substr(prefix.size(), dash - prefix.size()),
                              text.substr(dash + 1)};
    }
    error = "unknown objective '" + text +
            "'; expected all, per-dollar or gap:<reference>-<focal> (e.g. gap:race:white-race:black)";
    return std::nullopt;
}

plan_next_result plan_next(const plan_next_inputs& in, const plan_next_options& options) {
    const std::vector<std::size_t> candidates = unreached_schools(in);
    check_options(in, options, candidates.size());
    plan_next_result result;
    result.outcome = in.graph.headline_outcome(in.graph.reported_outcomes(in.spec.report.outcomes));
    check_publishable(in, options.objective, result.outcome);
    const plan_objective& objective = options.objective;
    result.unit = objective.what == plan_objective::kind::gap          ? "SD narrower"
                  : objective.what == plan_objective::kind::per_dollar ? "SD per million"
                                                                       : "SD";
    // Screening: each candidate alone, central run.
    const scenario base_spec = evaluation_spec(in.spec, std::nullopt, objective, result.outcome);
    const evaluation central_base = evaluate(in, base_spec, options, 0, 1);
    result.ranked = screen(in, options, candidates, result.outcome, central_base);
    std::stable_sort(result.ranked.begin(), result.ranked.end(),
                     [](const candidate_score& a, const candidate_score& b) { return a.gain > b.gain; });
    result.chosen = choose(result.ranked, options);
    result.added = next_wave(in.spec, in.schools, result.chosen);
    for (const std::size_t s : result.chosen) {
        const auto it = std::find_if(result.ranked.begin(), result.ranked.end(),
                                     [&](const candidate_score& c) { return c.school == s; });
        result.added_cost += it->cost;
    }
    // Final evaluation: the chosen set and random sets of K against the plan, on the same draws.
    const evaluation base = evaluate(in, base_spec, options, options.draws, options.threads);
    const scenario chosen_spec = evaluation_spec(in.spec, result.added, objective, result.outcome);
    const evaluation with_chosen = evaluate(in, chosen_spec, options, options.draws, options.threads);
    const std::vector<double> chosen_gain = gains(with_chosen, base, objective);
    result.draws = chosen_gain.size();
    result.gain = stats::summarize(chosen_gain);
    describe_cost(result, with_chosen, base, in.schools, objective);
    std::vector<double> margins;
    std::size_t beaten = 0;
    std::size_t tied = 0;
    std::size_t compared = 0;
    double random_total = 0.0;
    for (const auto& set : random_sets(candidates, options.schools, options.random_sets, options.seed)) {
        const scenario spec = evaluation_spec(in.spec, next_wave(in.spec, in.schools, set), objective, result.outcome);
        const std::vector<double> gain =
            gains(evaluate(in, spec, options, options.draws, options.threads), base, objective);
        for (std::size_t d = 0; d < gain.size(); ++d) {
            margins.push_back(chosen_gain[d] - gain[d]);
            beaten += chosen_gain[d] > gain[d] ? 1 : 0;
            tied += chosen_gain[d] == gain[d] ? 1 : 0;
            random_total += gain[d];
            ++compared;
        }
    }
    if (!margins.empty()) result.margin_over_random = stats::summarize(margins);
    result.random_mean_gain = compared ? random_total / static_cast<double>(compared) : 0.0;
    result.beats_random = compared ? static_cast<double>(beaten) / static_cast<double>(compared) : 0.0;
    result.ties_random = compared ? static_cast<double>(tied) / static_cast<double>(compared) : 0.0;
    return result;
}

}  // namespace pathways
