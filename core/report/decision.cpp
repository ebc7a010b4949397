#include "report/decision.hpp"

#include <algorithm>
#include <cmath>

namespace pathways {
namespace {

/// The final-year effect row of `run` for (outcome, subgroup), with-cut-risk course; rows without a
/// course are files written before the two projections, whose plan rows are that course.
const result_row* final_effect(const result_run& run, const std::string& outcome, const std::string& subgroup) {
    const result_row* found = nullptr;
    for (const result_row& row : run.rows) {
        if (row.metric != "effect" || row.outcome != outcome || row.subgroup != subgroup) continue;
        if (row.course != "with_cut_risk" && !row.course.empty()) continue;
        if (found == nullptr || row.year > found->year || (row.year == found->year && !row.course.empty()))
            found = &row;
    }
    return found;
}

/// The values of the final-year effect row in every draw, or empty when `run` does not keep it.
std::vector<double> effect_draws(const labelled_run& run, const std::string& outcome, const std::string& subgroup) {
    int last = 0;
    for (const labelled_row& row : run.rows) last = std::max(last, row.key.year);
    for (std::size_t r = 0; r < run.rows.size(); ++r) {
        const row_key& key = run.rows[r].key;
        if (key.year != last || key.metric != metric::effect || key.outcome != outcome || key.subgroup != subgroup)
            continue;
        std::vector<double> values(run.draws);
        for (std::size_t d = 0; d < run.draws; ++d) values[d] = run.values[d * run.rows.size() + r];
        return values;
    }
    return {};
}

double share(const std::vector<double>& values, bool (*keep)(double)) {
    const auto n = std::count_if(values.begin(), values.end(), keep);
    return static_cast<double>(n) / static_cast<double>(values.size());
}

/// Every run's draws of the row, when each run keeps it with the same number of draws; else empty.
std::vector<std::vector<double>> paired_draws(const std::vector<result_run>& runs,
                                              const std::vector<labelled_run>* draws, const std::string& outcome,
                                              const std::string& subgroup) {
    if (draws == nullptr || draws->size() != runs.size()) return {};
    std::vector<std::vector<double>> values;
    for (const labelled_run& run : *draws) {
        values.push_back(effect_draws(run, outcome, subgroup));
        if (values.back().empty() || values.back().size() != values.front().size()) return {};
    }
    return values;
}

}  // namespace

std::vector<variant_kind> run_kinds(const std::vector<result_run>& runs, const scenario& spec) {
    std::vector<variant_kind> kinds;
    for (const result_run& run : runs) kinds.push_back(spec.variant_of(run.variant).kind);
    return kinds;
}

std::optional<group_decision> decide(const std::vector<result_run>& runs, const std::vector<labelled_run>* draws,
                                     const std::string& outcome, const std::string& subgroup,
                                     std::span<const variant_kind> kinds) {
    group_decision decision;
    decision.outcome = outcome;
    decision.subgroup = subgroup;
    std::vector<const result_row*> rows;
    for (const result_run& run : runs) rows.push_back(final_effect(run, outcome, subgroup));
    if (std::all_of(rows.begin(), rows.end(), [](const result_row* r) { return r == nullptr; })) return std::nullopt;
    // A group hidden in one run is hidden in the comparison, so no number of it leaks through another run.
    decision.suppressed =
        std::any_of(rows.begin(), rows.end(), [](const result_row* r) { return r != nullptr && r->suppressed; });
    if (decision.suppressed) return decision;

    const auto values = paired_draws(runs, draws, outcome, subgroup);
    for (std::size_t r = 0; r < runs.size(); ++r) {
        if (rows[r] == nullptr) continue;
        run_effect effect;
        effect.run = r;
        effect.plan = kinds.empty() || kinds[r] == variant_kind::plan;
        if (!values.empty()) {
            effect.effect = stats::summarize(values[r]);
            effect.p_better = effect.effect.prob_positive;
            effect.p_harm = share(values[r], [](double v) { return v < 0.0; });
        } else {
            const result_row& row = *rows[r];
            effect.effect = {row.mean, row.sd, row.p05, row.p50, row.p95, row.prob_positive};
            effect.p_better = row.prob_positive;
        }
        decision.runs.push_back(effect);
    }
    std::vector<std::size_t> order(decision.runs.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return decision.runs[a].effect.mean > decision.runs[b].effect.mean;
    });
    // Only plans are ranked: an assumption is the base plan in another world, not a choice.
    std::erase_if(order, [&](std::size_t i) { return !decision.runs[i].plan; });
    if (order.empty()) return decision;
    decision.best = order.front();
    if (order.size() < 2) return decision;
    decision.runner_up = order[1];
    const run_effect& best = decision.runs[decision.best];
    const run_effect& next = decision.runs[order[1]];
    decision.margin = best.effect.mean - next.effect.mean;
    if (!values.empty()) {
        const std::vector<double>& a = values[best.run];
        const std::vector<double>& b = values[next.run];
        std::vector<double> difference(a.size());
        for (std::size_t d = 0; d < a.size(); ++d) difference[d] = a[d] - b[d];
        decision.paired_margin = stats::summarize(difference);
        decision.margin = decision.paired_margin->mean;
        decision.p_best_beats_runner_up = decision.paired_margin->prob_positive;
    }
    return decision;
}

}  // namespace pathways
