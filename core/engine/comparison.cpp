#include "engine/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>

namespace pathways {
namespace {

/// For every row of run 0 that all runs have: its index in each run.
std::vector<std::vector<std::size_t>> aligned_rows(const std::vector<const labelled_run*>& runs) {
    std::vector<std::map<row_key, std::size_t>> index(runs.size());
    for (std::size_t r = 0; r < runs.size(); ++r) {
        for (std::size_t i = 0; i < runs[r]->rows.size(); ++i) index[r].emplace(runs[r]->rows[i].key, i);
    }
    std::vector<std::vector<std::size_t>> aligned;
    for (std::size_t i = 0; i < runs.front()->rows.size(); ++i) {
        std::vector<std::size_t> positions{i};
        for (std::size_t r = 1; r < runs.size(); ++r) {
            const auto found = index[r].find(runs.front()->rows[i].key);
            if (found == index[r].end()) break;
            positions.push_back(found->second);
        }
        if (positions.size() == runs.size()) aligned.push_back(std::move(positions));
    }
    return aligned;
}

void require_same_draws(const std::vector<const labelled_run*>& runs, const char* what) {
    if (runs.empty()) throw std::invalid_argument(std::string(what) + " needs at least one run");
    for (const labelled_run* run : runs) {
        if (run->draws != runs.front()->draws || run->values.size() != run->draws * run->rows.size()) {
            throw std::invalid_argument(std::string(what) + " needs runs with the same number of draws");
        }
    }
}

std::vector<const labelled_run*> pointers(const std::vector<labelled_run>& runs) {
    std::vector<const labelled_run*> out;
    for (const labelled_run& run : runs) out.push_back(&run);
    return out;
}

std::vector<double> column(const labelled_run& run, std::size_t row) {
    std::vector<double> values(run.draws);
    for (std::size_t d = 0; d < run.draws; ++d) values[d] = run.values[d * run.rows.size() + row];
    return values;
}

bool any_suppressed(const std::vector<const labelled_run*>& runs, const std::vector<std::size_t>& positions) {
    for (std::size_t r = 0; r < runs.size(); ++r) {
        if (runs[r]->rows[positions[r]].suppressed) return true;
    }
    return false;
}

/// The gap rows of the final year, with which run closes each most.
std::vector<gap_race> gap_races(const comparison& result) {
    std::map<row_key, const comparison_row*> by_key;
    for (const comparison_row& row : result.rows) by_key.emplace(row.key, &row);
    std::vector<gap_race> gaps;
    for (const comparison_row& row : result.rows) {
        if (row.key.metric != metric::gap_closed_pct || row.key.year != result.final_year || row.suppressed) continue;
        gap_race gap{row.key.subgroup, row.key.reference, row.key.outcome, row.key.year, {}, {}, 0, {}};
        row_key closes = row.key;
        closes.metric = metric::gap_closes;
        const auto closes_row = by_key.find(closes);
        for (std::size_t r = 0; r < row.runs.size(); ++r) {
            gap.closed_pct.push_back(row.runs[r].mean);
            gap.closes_probability.push_back(closes_row == by_key.end() ? 0.0 : closes_row->second->runs[r].mean);
            if (row.runs[r].mean > row.runs[gap.best].mean) gap.best = r;
        }
        gap.best_versus_first = row.differences[gap.best];
        gaps.push_back(std::move(gap));
    }
    return gaps;
}

/// Every model's draws of one aligned row pooled, each draw of model m weighted weights[m] / draws.
stats::summary mixture_of(const std::vector<labelled_run>& models, const std::vector<std::size_t>& positions,
                          const std::vector<double>& weights) {
    std::vector<double> values;
    std::vector<double> value_weights;
    for (std::size_t m = 0; m < models.size(); ++m) {
        const std::vector<double> draws = column(models[m], positions[m]);
        values.insert(values.end(), draws.begin(), draws.end());
        value_weights.insert(value_weights.end(), draws.size(), weights[m] / static_cast<double>(draws.size()));
    }
    return stats::summarize_weighted(values, value_weights);
}

}  // namespace

labelled_run label_draws(std::string name, const projection_draws& draws, const simulation& sim, int start_year) {
    labelled_run run{std::move(name), {}, draws.values, draws.draws};
    run.rows.reserve(draws.rows.size());
    for (const metric_row& row : draws.rows) {
        const reported_outcome& outcome = sim.outcomes().at(row.outcome);
        run.rows.push_back({{start_year + row.year, sim.subgroups().at(row.subgroup).group.name, outcome.id, row.metric,
                             row.reference},
                            outcome.academic,
                            row.suppressed});
    }
    return run;
}

labelled_run final_year_rows(const labelled_run& run) {
    int last = 0;
    for (std::size_t i = 0; i < run.rows.size(); ++i)
        last = i == 0 ? run.rows[i].key.year : std::max(last, run.rows[i].key.year);
    std::vector<std::size_t> kept;
    for (std::size_t i = 0; i < run.rows.size(); ++i) {
        if (run.rows[i].key.year == last) kept.push_back(i);
    }
    labelled_run out{run.name, {}, {}, run.draws};
    for (const std::size_t i : kept) out.rows.push_back(run.rows[i]);
    out.values.reserve(run.draws * kept.size());
    for (std::size_t d = 0; d < run.draws; ++d) {
        for (const std::size_t i : kept) out.values.push_back(run.values[d * run.rows.size() + i]);
    }
    return out;
}

labelled_run paired_differences(const labelled_run& run, const labelled_run& baseline) {
    const std::vector<const labelled_run*> runs{&baseline, &run};
    require_same_draws(runs, "a paired difference");
    const auto aligned = aligned_rows(runs);
    labelled_run difference{run.name + " - " + baseline.name, {}, {}, baseline.draws};
    for (const auto& positions : aligned) {
        labelled_row row = baseline.rows[positions[0]];
        row.suppressed = any_suppressed(runs, positions);
        difference.rows.push_back(std::move(row));
    }
    difference.values.resize(difference.draws * aligned.size());
    for (std::size_t d = 0; d < difference.draws; ++d) {
        for (std::size_t i = 0; i < aligned.size(); ++i) {
            difference.values[d * aligned.size() + i] =
                stats::difference_or_tie(run.values[d * run.rows.size() + aligned[i][1]],
                                         baseline.values[d * baseline.rows.size() + aligned[i][0]]);
        }
    }
    return difference;
}

comparison compare_runs(const std::vector<labelled_run>& runs) {
    const auto all = pointers(runs);
    require_same_draws(all, "a comparison");
    comparison result;
    for (const labelled_run& run : runs) result.runs.push_back(run.name);
    result.draws = runs.front().draws;
    for (const auto& positions : aligned_rows(all)) {
        const labelled_row& first = runs.front().rows[positions[0]];
        comparison_row row{first.key, first.academic, any_suppressed(all, positions), {}, {}};
        const std::vector<double> baseline = column(runs.front(), positions[0]);
        for (std::size_t r = 0; r < runs.size(); ++r) {
            std::vector<double> values = column(runs[r], positions[r]);
            row.runs.push_back(stats::summarize(values));
            for (std::size_t d = 0; d < values.size(); ++d)
                values[d] = stats::difference_or_tie(values[d], baseline[d]);
            row.differences.push_back(stats::summarize(values));
        }
        result.final_year = result.rows.empty() ? row.key.year : std::max(result.final_year, row.key.year);
        result.rows.push_back(std::move(row));
    }
    result.gaps = gap_races(result);
    return result;
}

std::vector<double> mixture_weights(const std::vector<std::string>& names,
                                    const std::vector<std::pair<std::string, double>>& weights) {
    if (weights.empty()) return std::vector<double>(names.size(), 1.0 / static_cast<double>(names.size()));
    std::vector<std::optional<double>> given(names.size());
    for (const auto& [name, weight] : weights) {
        const auto found = std::find(names.begin(), names.end(), name);
        if (found == names.end())
            throw std::invalid_argument("weight for '" + name + "', which is not a compared model");
        auto& slot = given[static_cast<std::size_t>(found - names.begin())];
        if (slot) throw std::invalid_argument("weight for '" + name + "' is given twice");
        if (!std::isfinite(weight) || weight <= 0.0) {
            throw std::invalid_argument("weight for '" + name + "' must be a positive number");
        }
        slot = weight;
    }
    double total = 0.0;
    for (std::size_t m = 0; m < names.size(); ++m) {
        if (!given[m])
            throw std::invalid_argument("no weight for '" + names[m] + "'; expected one for every compared model");
        total += *given[m];
    }
    std::vector<double> normalised;
    for (const auto& weight : given) normalised.push_back(*weight / total);
    return normalised;
}

model_comparison compare_models(const std::vector<labelled_run>& models, pathways::metric metric,
                                const std::vector<std::pair<std::string, double>>& weights) {
    const comparison compared = compare_runs(models);
    model_comparison result;
    result.models = compared.runs;
    result.weights = mixture_weights(result.models, weights);
    result.equal_weights = weights.empty();
    result.draws = compared.draws;
    result.year = compared.final_year;
    result.metric = metric;
    const auto all = pointers(models);
    const auto aligned = aligned_rows(all);
    for (std::size_t i = 0; i < compared.rows.size(); ++i) {
        const comparison_row& row = compared.rows[i];
        if (row.key.year != compared.final_year || row.key.metric != metric || !row.key.reference.empty()) continue;
        model_row out{row.key.outcome,
                      row.key.subgroup,
                      row.suppressed,
                      row.runs,
                      mixture_of(models, aligned[i], result.weights),
                      0.0};
        const auto [low, high] =
            std::minmax_element(out.models.begin(), out.models.end(),
                                [](const stats::summary& a, const stats::summary& b) { return a.mean < b.mean; });
        out.spread = high->mean - low->mean;
        result.rows.push_back(std::move(out));
    }
    result.by_spread.resize(result.rows.size());
    for (std::size_t i = 0; i < result.rows.size(); ++i) result.by_spread[i] = i;
    std::stable_sort(result.by_spread.begin(), result.by_spread.end(), [&](std::size_t a, std::size_t b) {
        const model_row& left = result.rows[a];
        const model_row& right = result.rows[b];
        if (left.suppressed != right.suppressed) return !left.suppressed;
        return left.spread > right.spread;
    });
    return result;
}

}  // namespace pathways
