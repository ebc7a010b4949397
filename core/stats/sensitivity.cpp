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

// Model outputs of the Saltelli design.
struct design_outputs {
    std::vector<double> a;
    std::vector<double> b;
    std::vector<std::vector<double>> ab;  // ab[g][j] = f(A_B^G) at row j
};

struct index_pair {
    double first_order;
    double total;
};

double checked_output(double y) {
    if (!std::isfinite(y))
        throw std::runtime_error("sensitivity model returned a non-finite value: " + std::to_string(y));
    return y;
}

double evaluate(const model_function& model, std::span<const double> row) { return checked_output(model(row)); }

void check_options(std::span<const sdk::prior> inputs, const sobol_options& options) {
    if (inputs.empty()) throw std::invalid_argument("sensitivity analysis needs at least one input");
    if (options.base_samples < 2) throw std::invalid_argument("sensitivity analysis needs base_samples >= 2");
    if (!(options.confidence > 0.0 && options.confidence < 1.0)) {
        throw std::invalid_argument("bootstrap confidence must be in (0, 1); got " +
                                    std::to_string(options.confidence));
    }
    for (const sdk::prior& p : inputs) validate_prior(p);
}

void check_groups(std::size_t inputs, const std::vector<input_group>& groups) {
    if (groups.empty()) throw std::invalid_argument("sensitivity analysis needs at least one group of inputs");
    for (const input_group& group : groups) {
        if (group.empty()) throw std::invalid_argument("a group of inputs is empty");
        std::vector<bool> seen(inputs, false);
        for (const std::size_t column : group) {
            if (column >= inputs) {
                throw std::invalid_argument("a group names input " + std::to_string(column) + " of " +
                                            std::to_string(inputs));
            }
            if (seen[column]) throw std::invalid_argument("a group names input " + std::to_string(column) + " twice");
            seen[column] = true;
        }
    }
}

std::vector<input_group> singletons(std::size_t inputs) {
    std::vector<input_group> groups;
    for (std::size_t i = 0; i < inputs; ++i) groups.push_back({i});
    return groups;
}

// The outputs in run order, split into f(A), f(B) and f(A_B^G) for each group.
design_outputs split_outputs(const sobol_design& design, std::span<const double> outputs) {
    if (outputs.size() != design.runs()) {
        throw std::invalid_argument("sensitivity analysis needs " + std::to_string(design.runs()) + " outputs, got " +
                                    std::to_string(outputs.size()));
    }
    const std::size_t n = design.options().base_samples;
    const auto block = [&](std::size_t b) {
        std::vector<double> values(outputs.begin() + static_cast<std::ptrdiff_t>(b * n),
                                   outputs.begin() + static_cast<std::ptrdiff_t>((b + 1) * n));
        for (const double y : values) checked_output(y);
        return values;
    };
    design_outputs out{block(0), block(1), {}};
    for (std::size_t g = 0; g < design.groups().size(); ++g) out.ab.push_back(block(g + 2));
    return out;
}

}  // namespace

sobol_design::sobol_design(std::span<const sdk::prior> inputs, std::vector<input_group> groups,
                           const sobol_options& options)
    : inputs_(inputs.begin(), inputs.end()), groups_(std::move(groups)), options_(options) {
    check_options(inputs, options);
    check_groups(inputs.size(), groups_);
}

void sobol_design::base_row(std::size_t row, std::uint64_t stream, std::vector<double>& values) const {
    counter_rng rng(options_.seed, row, stream);
    values.resize(inputs_.size());
    for (std::size_t i = 0; i < inputs_.size(); ++i) values[i] = prior_quantile(inputs_[i], rng.next_uniform());
}

void sobol_design::row(std::size_t run, std::vector<double>& values) const {
    static const std::uint64_t a_stream = stream_id("sensitivity.a");
    static const std::uint64_t b_stream = stream_id("sensitivity.b");
    if (run >= runs())
        throw std::out_of_range("run " + std::to_string(run) + " of a design of " + std::to_string(runs()));
    const std::size_t n = options_.base_samples;
    const std::size_t matrix = run / n;  // 0: A, 1: B, 2 + g: A_B^g
    const std::size_t j = run % n;
    base_row(j, matrix == 1 ? b_stream : a_stream, values);
    if (matrix < 2) return;
    std::vector<double> b;
    base_row(j, b_stream, b);
    for (const std::size_t column : groups_[matrix - 2]) values[column] = b[column];
}

namespace {

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

sobol_result sobol_indices(const sobol_design& design, std::span<const double> outputs) {
    const design_outputs d = split_outputs(design, outputs);
    const sobol_options& options = design.options();
    std::vector<std::size_t> rows(options.base_samples);
    std::iota(rows.begin(), rows.end(), std::size_t{0});
    sobol_result result;
    result.output_variance = moments_of(d, rows).variance;
    result.model_evaluations = design.runs();
    result.inputs = bootstrap(d, all_indices(d, rows), options);
    return result;
}

sobol_result sobol_indices(std::span<const sdk::prior> inputs, std::vector<input_group> groups,
                           const model_function& model, const sobol_options& options) {
    const sobol_design design(inputs, std::move(groups), options);
    std::vector<double> outputs;
    outputs.reserve(design.runs());
    std::vector<double> row;
    for (std::size_t run = 0; run < design.runs(); ++run) {
        design.row(run, row);
        outputs.push_back(evaluate(model, row));
    }
    return sobol_indices(design, outputs);
}

sobol_result sobol_indices(std::span<const sdk::prior> inputs, const model_function& model,
                           const sobol_options& options) {
    return sobol_indices(inputs, singletons(inputs.size()), model, options);
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
