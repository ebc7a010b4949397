#include "engine/cost_effectiveness.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "stats/random.hpp"

namespace pathways {
namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double thousand = 1000.0;
constexpr double tenth_sd = 0.1;

/// Kraft's (2020) cost bands per pupil, in US dollars.
constexpr double low_cost_below = 500.0;
constexpr double high_cost_above = 4000.0;

constexpr std::array<double, 9> willingness_grid{0.0,     1000.0,  2500.0,   5000.0,  10000.0,
                                                 25000.0, 50000.0, 100000.0, 250000.0};

double mean_of(std::span<const double> values) {
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

/// SD per $1,000 per student: E[effect] / (E[cost] / students / 1,000); NaN without a cost.
double effect_per_thousand(double expected_cost, double expected_effect, double students) {
    const double per_student = expected_cost / students;
    return per_student > 0.0 ? expected_effect / (per_student / thousand) : not_a_number;
}

/// Cost per student for 0.1 SD from the effect per $1,000 per student: 100 / it, NaN without a gain.
double cost_per_tenth_from(double per_thousand) {
    return per_thousand > 0.0 ? tenth_sd * thousand / per_thousand : not_a_number;
}

/// Bootstrap resamples of the draws' means of cost and effect: [resample] → (mean cost, mean effect).
std::vector<std::pair<double, double>> resampled_means(const plan_draws& plan, std::uint64_t seed,
                                                       std::size_t resamples) {
    const std::size_t n = plan.cost.size();
    std::vector<std::pair<double, double>> out(resamples);
    for (std::size_t b = 0; b < resamples; ++b) {
        // Every plan resamples the same draws (same seed, resample and stream), so the plans stay paired.
        stats::counter_rng rng(seed, b, stats::stream_id("cost-effectiveness:bootstrap"));
        double cost = 0.0, effect = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t d = static_cast<std::size_t>(rng.next_below(n));
            cost += plan.cost[d];
            effect += plan.effect[d];
        }
        out[b] = {cost / static_cast<double>(n), effect / static_cast<double>(n)};
    }
    return out;
}

/// The 5th and 95th percentiles of `values` (type 7), into `estimate`.
void set_interval(std::vector<double> values, ratio_estimate& estimate) {
    std::erase_if(values, [](double v) { return std::isnan(v); });
    if (values.empty()) return;
    std::sort(values.begin(), values.end());
    estimate.low = stats::quantile_type7(values, 0.05);
    estimate.high = stats::quantile_type7(values, 0.95);
}

plan_cost_effectiveness analyse_plan(const plan_draws& plan, std::uint64_t seed, std::size_t resamples) {
    plan_cost_effectiveness out;
    out.name = plan.name;
    out.cost = stats::summarize(plan.cost);
    out.effect = stats::summarize(plan.effect);
    const double expected_cost = mean_of(plan.cost);
    const double expected_effect = mean_of(plan.effect);
    out.cost_per_student = expected_cost / plan.students;
    out.cost_per_student_reached.value =
        plan.students_reached > 0.0 ? expected_cost / plan.students_reached : not_a_number;
    out.cost_band = kraft_cost_band(out.cost_per_student_reached.value);
    out.effect_per_thousand.value = effect_per_thousand(expected_cost, expected_effect, plan.students);
    out.effect_per_hundred.value = out.effect_per_thousand.value / 10.0;
    out.cost_per_tenth_sd.value = cost_per_tenth_from(out.effect_per_thousand.value);
    if (resamples == 0) return out;
    std::vector<double> per_thousand, per_reached;
    for (const auto& [cost, effect] : resampled_means(plan, seed, resamples)) {
        per_thousand.push_back(effect_per_thousand(cost, effect, plan.students));
        per_reached.push_back(plan.students_reached > 0.0 ? cost / plan.students_reached : not_a_number);
    }
    set_interval(per_thousand, out.effect_per_thousand);
    set_interval(per_reached, out.cost_per_student_reached);
    out.effect_per_hundred.low = out.effect_per_thousand.low / 10.0;
    out.effect_per_hundred.high = out.effect_per_thousand.high / 10.0;
    // Cost per 0.1 SD falls as the effect per $1,000 rises: its interval is that one's, inverted.
    out.cost_per_tenth_sd.low = cost_per_tenth_from(out.effect_per_thousand.high);
    out.cost_per_tenth_sd.high = cost_per_tenth_from(out.effect_per_thousand.low);
    return out;
}

/// One option of the incremental analysis: a plan, or business as usual (cost and effect 0).
struct option {
    std::size_t plan = business_as_usual;
    double cost = 0.0;  ///< expected cost per student
    double effect = 0.0;
};

/// Marks dominated plans, then, among the rest in order of cost, extendedly dominated ones, until the
/// incremental ratios along the frontier rise; fills each frontier plan's comparison.
void mark_frontier(std::vector<plan_cost_effectiveness>& plans) {
    std::vector<option> options{{business_as_usual, 0.0, 0.0}};
    for (std::size_t p = 0; p < plans.size(); ++p)
        options.push_back({p, plans[p].cost_per_student, plans[p].effect.mean});
    std::stable_sort(options.begin(), options.end(), [](const option& a, const option& b) {
        return a.cost < b.cost || (a.cost == b.cost && a.effect > b.effect);
    });
    std::vector<option> frontier;
    for (const option& o : options) {
        // Sorted by cost, an option is dominated when a cheaper (or equally cheap, listed earlier) one gains
        // at least as much.
        const bool dominated =
            std::any_of(frontier.begin(), frontier.end(), [&](const option& kept) { return kept.effect >= o.effect; });
        if (dominated) {
            if (o.plan != business_as_usual) plans[o.plan].status = frontier_status::dominated;
            continue;
        }
        frontier.push_back(o);
    }
    const auto ratio = [](const option& from, const option& to) {
        return (to.cost - from.cost) / (to.effect - from.effect);
    };
    for (bool removed = true; removed;) {
        removed = false;
        for (std::size_t i = 1; i + 1 < frontier.size(); ++i) {
            if (ratio(frontier[i - 1], frontier[i]) > ratio(frontier[i], frontier[i + 1])) {
                plans[frontier[i].plan].status = frontier_status::extendedly_dominated;
                frontier.erase(frontier.begin() + static_cast<std::ptrdiff_t>(i));
                removed = true;
                break;
            }
        }
    }
    for (std::size_t i = 1; i < frontier.size(); ++i) {
        plan_cost_effectiveness& plan = plans[frontier[i].plan];
        plan.compared_with = frontier[i - 1].plan;
        plan.incremental_cost_per_tenth_sd = ratio(frontier[i - 1], frontier[i]) * tenth_sd;
    }
}

std::vector<acceptability_point> acceptability(const std::vector<plan_draws>& plans,
                                               std::span<const double> willingness_to_pay) {
    std::vector<acceptability_point> out;
    const std::size_t draws = plans.front().cost.size();
    for (const double wtp : willingness_to_pay) {
        acceptability_point point{wtp, std::vector<double>(plans.size() + 1, 0.0)};
        for (std::size_t d = 0; d < draws; ++d) {
            std::size_t best = plans.size();  // business as usual, net benefit 0
            double best_value = 0.0;
            for (std::size_t p = 0; p < plans.size(); ++p) {
                const double value = net_benefit(wtp, plans[p].effect[d], plans[p].cost[d], plans[p].students);
                if (value > best_value) {
                    best = p;
                    best_value = value;
                }
            }
            point.probability_best[best] += 1.0 / static_cast<double>(draws);
        }
        out.push_back(std::move(point));
    }
    return out;
}

}  // namespace

std::string_view frontier_status_name(frontier_status status) {
    switch (status) {
        case frontier_status::dominated: return "dominated";
        case frontier_status::extendedly_dominated: return "extendedly dominated";
        case frontier_status::frontier: break;
    }
    return "frontier";
}

std::string_view kraft_cost_band(double cost_per_pupil) {
    if (!(cost_per_pupil > 0.0)) return "none";
    if (cost_per_pupil < low_cost_below) return "low";
    if (cost_per_pupil <= high_cost_above) return "moderate";
    return "high";
}

std::span<const double> default_willingness_to_pay() { return willingness_grid; }

cost_effectiveness_analysis analyse_cost_effectiveness(const std::vector<plan_draws>& plans, std::uint64_t seed,
                                                       std::span<const double> willingness_to_pay,
                                                       std::size_t resamples) {
    cost_effectiveness_analysis out;
    if (plans.empty()) return out;
    out.draws = plans.front().cost.size();
    for (const plan_draws& plan : plans) {
        if (plan.cost.empty() || plan.cost.size() != out.draws || plan.effect.size() != out.draws)
            throw std::invalid_argument("cost-effectiveness needs every plan's cost and effect in the same draws");
        if (!(plan.students > 0.0)) throw std::invalid_argument("plan '" + plan.name + "' has no students");
    }
    out.resamples = out.draws > 1 ? resamples : 0;
    for (const plan_draws& plan : plans) out.plans.push_back(analyse_plan(plan, seed, out.resamples));
    mark_frontier(out.plans);
    out.acceptability = acceptability(plans, willingness_to_pay);
    return out;
}

}  // namespace pathways
