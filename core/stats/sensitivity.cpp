#include "stats/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "stats/distributions.hpp"
#include "stats/random.hpp"
#include "stats/summary.hpp"

namespace pathways::stats {

namespace {

using matrix = std::vector<std::vector<double>>;  // rows of input values

// Model outputs of the Saltelli design.
struct design_outputs {
    std::vector<double> a;
    std::vector<double> b;
    std::vector<std::vector<double>> ab;  // ab[i][j] = f(A_B^i) at row j
};

struct index_pair {
    double first_order;
    double total;
};

double evaluate(const model_function& model, std::span<const double> row) {
    const double y = model(row);
    if (!std::isfinite(y))
        throw std::runtime_error("sensitivity model returned a non-finite value: " + std::to_string(y));
    return y;
}

void check_options(std::span<const sdk::prior> inputs, const sobol_options& options) {
    if (inputs.empty()) throw std::invalid_argument("sensitivity analysis needs at least one input");
    if (options.base_samples < 2) throw std::invalid_argument("sensitivity analysis needs base_samples >= 2");
    if (!(options.confidence > 0.0 && options.confidence < 1.0)) {
        throw std::invalid_argument("bootstrap confidence must be in (0, 1); got " +
                                    std::to_string(options.confidence));
    }
    for (const sdk::prior& p : inputs) validate_prior(p);
}

matrix draw_matrix(std::span<const sdk::prior> inputs, std::size_t rows, std::uint64_t seed, std::uint64_t stream) {
    matrix m(rows, std::vector<double>(inputs.size()));
    for (std::size_t j = 0; j < rows; ++j) {
        counter_rng rng(seed, j, stream);
        for (std::size_t i = 0; i < inputs.size(); ++i) m[j][i] = prior_quantile(inputs[i], rng.next_uniform());
    }
    return m;
}

std::vector<double> evaluate_rows(const model_function& model, const matrix& m) {
    std::vector<double> out;
    out.reserve(m.size());
    for (const auto& row : m) out.push_back(evaluate(model, row));
    return out;
}

std::vector<double> evaluate_swapped(const model_function& model, const matrix& a, const matrix& b, std::size_t i) {
    std::vector<double> out;
    out.reserve(a.size());
    std::vector<double> row;
    for (std::size_t j = 0; j < a.size(); ++j) {
        row = a[j];
        row[i] = b[j][i];
        out.push_back(evaluate(model, row));
    }
    return out;
}

design_outputs run_design(std::span<const sdk::prior> inputs, const model_function& model, const sobol_options& o) {
    const matrix a = draw_matrix(inputs, o.base_samples, o.seed, stream_id("sensitivity.a"));
    const matrix b = draw_matrix(inputs, o.base_samples, o.seed, stream_id("sensitivity.b"));
    design_outputs out{evaluate_rows(model, a), evaluate_rows(model, b), {}};
    for (std::size_t i = 0; i < inputs.size(); ++i) out.ab.push_back(evaluate_swapped(model, a, b, i));
    return out;
}

struct output_moments {
    double mean = 0.0;
    double variance = 0.0;
};

// Mean and Var(Y) over f(A) and f(B) at the chosen rows (n in the denominator, as in Saltelli 2010).
output_moments moments_of(const design_outputs& d, std::span<const std::size_t> rows) {
    double sum = 0.0;
    for (const std::size_t j : rows) sum += d.a[j] + d.b[j];
    const double mean = sum / (2.0 * static_cast<double>(rows.size()));
    double squares = 0.0;
    for (const std::size_t j : rows) squares += (d.a[j] - mean) * (d.a[j] - mean) + (d.b[j] - mean) * (d.b[j] - mean);
    return {mean, squares / (2.0 * static_cast<double>(rows.size()))};
}

// Saltelli's first-order and Jansen's total estimator for input i. f(B) is centred on the mean
// output, which leaves the estimate's expectation alone and keeps a large mean from adding noise.
index_pair saltelli_jansen(const design_outputs& d, std::span<const std::size_t> rows, std::size_t i,
                           const output_moments& y) {
    if (y.variance == 0.0) return {0.0, 0.0};
    double first_sum = 0.0;
    double total_sum = 0.0;
    for (const std::size_t j : rows) {
        first_sum += (d.b[j] - y.mean) * (d.ab[i][j] - d.a[j]);
        total_sum += (d.a[j] - d.ab[i][j]) * (d.a[j] - d.ab[i][j]);
    }
    const double n = static_cast<double>(rows.size());
    return {first_sum / n / y.variance, total_sum / (2.0 * n) / y.variance};
}

std::vector<index_pair> all_indices(const design_outputs& d, std::span<const std::size_t> rows) {
    const output_moments y = moments_of(d, rows);
    std::vector<index_pair> out;
    for (std::size_t i = 0; i < d.ab.size(); ++i) out.push_back(saltelli_jansen(d, rows, i, y));
    return out;
}

std::vector<std::size_t> resample_rows(std::size_t n, std::uint64_t seed, std::uint64_t resample) {
    counter_rng rng(seed, resample, stream_id("sensitivity.bootstrap"));
    std::vector<std::size_t> rows(n);
    for (std::size_t& r : rows) r = static_cast<std::size_t>(rng.next_below(n));
    return rows;
}

interval_estimate percentile_interval(double estimate, std::vector<double> replicates, double confidence) {
    if (replicates.empty()) return {estimate, estimate, estimate};
    std::sort(replicates.begin(), replicates.end());
    const double tail = 0.5 * (1.0 - confidence);
    return {estimate, quantile_type7(replicates, tail), quantile_type7(replicates, 1.0 - tail)};
}

std::vector<input_sensitivity> bootstrap(const design_outputs& d, const std::vector<index_pair>& estimates,
                                         const sobol_options& o) {
    const std::size_t k = estimates.size();
    std::vector<std::vector<double>> first(k);
    std::vector<std::vector<double>> total(k);
    for (std::size_t b = 0; b < o.bootstrap_resamples; ++b) {
        const std::vector<index_pair> replicate = all_indices(d, resample_rows(o.base_samples, o.seed, b));
        for (std::size_t i = 0; i < k; ++i) {
            first[i].push_back(replicate[i].first_order);
            total[i].push_back(replicate[i].total);
        }
    }
    std::vector<input_sensitivity> out;
    for (std::size_t i = 0; i < k; ++i) {
        out.push_back({percentile_interval(estimates[i].first_order, std::move(first[i]), o.confidence),
                       percentile_interval(estimates[i].total, std::move(total[i]), o.confidence)});
    }
    return out;
}

std::vector<double> medians(std::span<const sdk::prior> inputs) {
    std::vector<double> out;
    for (const sdk::prior& p : inputs) out.push_back(prior_quantile(p, 0.5));
    return out;
}

double output_with(const model_function& model, std::vector<double> values, std::size_t i, double x) {
    values[i] = x;
    return evaluate(model, values);
}

}  // namespace

sobol_result sobol_indices(std::span<const sdk::prior> inputs, const model_function& model,
                           const sobol_options& options) {
    check_options(inputs, options);
    const design_outputs d = run_design(inputs, model, options);
    std::vector<std::size_t> rows(options.base_samples);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    sobol_result result;
    result.output_variance = moments_of(d, rows).variance;
    result.model_evaluations = options.base_samples * (inputs.size() + 2);
    result.inputs = bootstrap(d, all_indices(d, rows), options);
    return result;
}

std::vector<tornado_bar> tornado(std::span<const sdk::prior> inputs, const model_function& model, double low_p,
                                 double high_p) {
    if (!(low_p > 0.0 && low_p < high_p && high_p < 1.0)) {
        throw std::invalid_argument("tornado needs 0 < low_p < high_p < 1; got " + std::to_string(low_p) + " and " +
                                    std::to_string(high_p));
    }
    const std::vector<double> center = medians(inputs);
    std::vector<tornado_bar> bars;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        tornado_bar bar{i, prior_quantile(inputs[i], low_p), prior_quantile(inputs[i], high_p), 0.0, 0.0, 0.0};
        bar.output_low = output_with(model, center, i, bar.input_low);
        bar.output_high = output_with(model, center, i, bar.input_high);
        bar.swing = std::fabs(bar.output_high - bar.output_low);
        bars.push_back(bar);
    }
    std::stable_sort(bars.begin(), bars.end(),
                     [](const tornado_bar& x, const tornado_bar& y) { return x.swing > y.swing; });
    return bars;
}

}  // namespace pathways::stats
