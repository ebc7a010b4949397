#include "run/observed_fit.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <tuple>

#include "stats/normal.hpp"

namespace pathways {

std::vector<observed_match> match_observed(const observed_data& data, const labelled_run& run, std::int64_t min_n,
                                           diagnostics& out) {
    std::map<std::tuple<int, std::string, std::string>, std::size_t> level_rows;
    for (std::size_t r = 0; r < run.rows.size(); ++r) {
        const row_key& key = run.rows[r].key;
        if (key.metric == metric::level && key.reference.empty()) level_rows[{key.year, key.subgroup, key.outcome}] = r;
    }
    std::vector<observed_match> matches;
    for (const observed_cell& cell : data.cells) {
        const auto found = level_rows.find({cell.year, cell.subgroup, cell.outcome});
        if (found == level_rows.end()) {
            out.error(cell.where.file, cell.where.line, cell.where.column, "",
                      "the run reports no level of " + cell.outcome + " for " + cell.subgroup + " in " +
                          std::to_string(cell.year) + "; expected observed data for the scenario that was run");
            continue;
        }
        observed_match match{cell, run.rows[found->second].suppressed || cell.n < min_n, {}};
        match.values.reserve(run.draws);
        for (std::size_t d = 0; d < run.draws; ++d)
            match.values.push_back(run.values[d * run.rows.size() + found->second]);
        matches.push_back(std::move(match));
    }
    return matches;
}

namespace {

/// The predictive distribution function at `x`: mean over the draws of Φ((x − value) / se).
double predictive_cdf(std::span<const double> values, double se, double x) {
    double sum = 0.0;
    for (const double v : values) sum += stats::normal_cdf((x - v) / se);
    return sum / static_cast<double>(values.size());
}

}  // namespace

double predictive_quantile(std::span<const double> values, double se, double p) {
    if (values.empty() || !(se > 0.0)) throw std::invalid_argument("predictive_quantile needs draws and se > 0");
    const auto [smallest, largest] = std::minmax_element(values.begin(), values.end());
    double low = *smallest - 10.0 * se;
    double high = *largest + 10.0 * se;
    const double tolerance = 1e-12 * (high - low);
    while (high - low > tolerance) {
        const double middle = 0.5 * (low + high);
        (predictive_cdf(values, se, middle) < p ? low : high) = middle;
    }
    return 0.5 * (low + high);
}

monitor_table compare_observed(const std::vector<observed_match>& matches, std::size_t draws) {
    monitor_table table;
    table.draws = draws;
    double squares = 0.0;
    for (const observed_match& match : matches) {
        monitor_row row;
        row.cell = match.cell;
        row.suppressed = match.suppressed;
        if (!match.suppressed) {
            const double actual = match.cell.mean;
            const double se = match.cell.standard_error();
            row.projected = stats::summarize(match.values);
            row.predictive_p05 = predictive_quantile(match.values, se, 0.05);
            row.predictive_p95 = predictive_quantile(match.values, se, 0.95);
            row.percentile = 100.0 * predictive_cdf(match.values, se, actual);
            row.inside = row.predictive_p05 <= actual && actual <= row.predictive_p95;
            row.standardised_residual =
                (actual - row.projected.mean) / std::sqrt(row.projected.sd * row.projected.sd + se * se);
            ++table.compared;
            table.inside += row.inside ? 1 : 0;
            squares += row.standardised_residual * row.standardised_residual;
        }
        table.rows.push_back(std::move(row));
    }
    if (table.compared) table.rms_residual = std::sqrt(squares / static_cast<double>(table.compared));
    return table;
}

namespace {

/// The cells of the likelihood: every match not suppressed.
std::vector<const observed_match*> compared_matches(const std::vector<observed_match>& matches, std::size_t draws) {
    std::vector<const observed_match*> compared;
    for (const observed_match& match : matches) {
        if (match.values.size() != draws) throw std::invalid_argument("weigh_draws: cells hold different draw counts");
        if (!match.suppressed) compared.push_back(&match);
    }
    return compared;
}

std::vector<observed_error_cell> error_cells(const std::vector<const observed_match*>& compared) {
    std::vector<observed_error_cell> cells;
    for (const observed_match* match : compared) {
        const observed_cell& cell = match->cell;
        cells.push_back({cell.subgroup, cell.year, cell.outcome, cell.n, cell.standard_error()});
    }
    return cells;
}

/// Normalises exp(log_likelihood) in log space (no draw underflows) and adds Kish's effective sample size.
importance_weights normalised(const std::vector<double>& log_likelihood, std::size_t cells) {
    importance_weights result;
    result.cells = cells;
    const double largest = *std::max_element(log_likelihood.begin(), log_likelihood.end());
    result.weights.resize(log_likelihood.size());
    double total = 0.0;
    for (std::size_t d = 0; d < log_likelihood.size(); ++d)
        total += result.weights[d] = std::exp(log_likelihood[d] - largest);
    double squares = 0.0;
    for (double& w : result.weights) {
        w /= total;
        squares += w * w;
    }
    result.effective_sample_size = 1.0 / squares;
    return result;
}

}  // namespace

importance_weights weigh_draws(const std::vector<observed_match>& matches, const observation_error_model& errors) {
    if (matches.empty()) throw std::invalid_argument("weigh_draws needs at least one observed cell");
    const std::size_t draws = matches.front().values.size();
    if (draws == 0) throw std::invalid_argument("weigh_draws needs at least one draw");
    const std::vector<const observed_match*> compared = compared_matches(matches, draws);
    std::vector<double> log_likelihood(draws, 0.0);
    if (!compared.empty()) {
        const observation_likelihood likelihood(error_cells(compared), errors);
        std::vector<double> residuals(compared.size());
        for (std::size_t d = 0; d < draws; ++d) {
            for (std::size_t i = 0; i < compared.size(); ++i) {
                const double value = compared[i]->values[d];
                if (!std::isfinite(value)) throw std::invalid_argument("weigh_draws: a draw's value is not finite");
                residuals[i] = compared[i]->cell.mean - value;
            }
            log_likelihood[d] = likelihood.log_density(residuals);  // constants cancel in the normalisation
        }
    }
    return normalised(log_likelihood, compared.size());
}

bool effective_sample_collapsed(double effective_sample_size, std::size_t draws) {
    return effective_sample_size < 50.0 || effective_sample_size < 0.01 * static_cast<double>(draws);
}

std::vector<input_posterior> posterior_of_inputs(const simulation& sim, std::uint64_t seed,
                                                 std::span<const double> weights) {
    const std::vector<uncertain_input> inputs = sim.uncertain_inputs();
    std::vector<std::vector<double>> values(inputs.size(), std::vector<double>(weights.size()));
    draw_parameters parameters;
    for (std::size_t d = 0; d < weights.size(); ++d) {
        sim.sample_parameters(seed, d, parameters);
        for (std::size_t i = 0; i < inputs.size(); ++i) values[i][d] = input_value(parameters, inputs[i]);
    }
    std::vector<input_posterior> out;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        out.push_back({inputs[i], stats::summarize(values[i]), stats::summarize_weighted(values[i], weights)});
    }
    return out;
}

}  // namespace pathways
