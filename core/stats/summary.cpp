#include "stats/summary.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/text_format.hpp"

namespace pathways::stats {

double difference_or_tie(double a, double b) {
    constexpr double relative_rounding = 1e-12;
    const double difference = a - b;
    return std::abs(difference) <= relative_rounding * std::max(std::abs(a), std::abs(b)) ? 0.0 : difference;
}

namespace {

double mean_of(std::span<const double> values) {
    double sum = 0.0;
    for (const double v : values) sum += v;
    return sum / static_cast<double>(values.size());
}

// Two passes (mean, then squared deviations): no cancellation for data far from 0.
double sd_of(std::span<const double> values, double mean) {
    if (values.size() < 2) return 0.0;
    double squares = 0.0;
    for (const double v : values) squares += (v - mean) * (v - mean);
    return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

double share_positive(std::span<const double> values) {
    const auto positive = std::count_if(values.begin(), values.end(), [](double v) { return v > 0.0; });
    return static_cast<double>(positive) / static_cast<double>(values.size());
}

struct weighted_value {
    double value;
    double weight;
};

/// The non-zero-weight values, sorted by value, with weights normalised to sum to 1.
std::vector<weighted_value> sorted_weighted(std::span<const double> values, std::span<const double> weights) {
    if (values.empty() || values.size() != weights.size()) {
        throw std::invalid_argument("weighted summary needs as many weights as values, at least one");
    }
    double total = 0.0;
    std::vector<weighted_value> pairs;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (std::isnan(values[i])) throw std::invalid_argument("summary of values that include nan");
        if (!(weights[i] >= 0.0) || !std::isfinite(weights[i])) {
            throw std::invalid_argument("weights must be finite and not negative");
        }
        total += weights[i];
        if (weights[i] > 0.0) pairs.push_back({values[i], weights[i]});
    }
    if (!(total > 0.0)) throw std::invalid_argument("weights must not all be 0");
    for (weighted_value& pair : pairs) pair.weight /= total;
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const weighted_value& a, const weighted_value& b) { return a.value < b.value; });
    return pairs;
}

/// Where each sorted value sits on [0, 1]: u_i = (W_i − w_i/2 − w_1/2) / (1 − w_1/2 − w_n/2), W_i the
/// cumulative weight up to and including value i. The first sits at 0 and the last at 1, as type 7
/// puts them, and equal weights give (i − 1)/(n − 1), type 7's own positions.
std::vector<double> type7_positions(const std::vector<weighted_value>& sorted) {
    if (sorted.size() == 1) return {0.0};  // one value is every quantile (and the span below is 0)
    const double first_half = sorted.front().weight / 2.0;
    const double span = 1.0 - first_half - sorted.back().weight / 2.0;
    std::vector<double> positions;
    double cumulative = 0.0;
    for (const weighted_value& v : sorted) {
        cumulative += v.weight;
        positions.push_back((cumulative - v.weight / 2.0 - first_half) / span);
    }
    positions.front() = 0.0;  // exactly, whatever the rounding of the sums
    positions.back() = 1.0;
    return positions;
}

double weighted_quantile(const std::vector<weighted_value>& sorted, const std::vector<double>& positions, double p) {
    if (sorted.size() == 1 || p <= 0.0) return sorted.front().value;
    for (std::size_t i = 0; i + 1 < sorted.size(); ++i) {
        if (p > positions[i + 1]) continue;
        const double fraction = (p - positions[i]) / (positions[i + 1] - positions[i]);
        return sorted[i].value + fraction * (sorted[i + 1].value - sorted[i].value);
    }
    return sorted.back().value;
}

}  // namespace

summary summarize_weighted(std::span<const double> values, std::span<const double> weights) {
    const std::vector<weighted_value> sorted = sorted_weighted(values, weights);
    summary s;
    double squared_weights = 0.0;
    for (const weighted_value& v : sorted) {
        s.mean += v.weight * v.value;
        squared_weights += v.weight * v.weight;
        if (v.value > 0.0) s.prob_positive += v.weight;
    }
    double squares = 0.0;
    for (const weighted_value& v : sorted) squares += v.weight * (v.value - s.mean) * (v.value - s.mean);
    s.sd = sorted.size() < 2 ? 0.0 : std::sqrt(squares / (1.0 - squared_weights));
    const std::vector<double> positions = type7_positions(sorted);
    s.p05 = weighted_quantile(sorted, positions, 0.05);
    s.p50 = weighted_quantile(sorted, positions, 0.50);
    s.p95 = weighted_quantile(sorted, positions, 0.95);
    return s;
}

double quantile_type7(std::span<const double> sorted, double p) {
    if (sorted.empty()) throw std::invalid_argument("quantile of an empty set of values");
    if (!(p >= 0.0 && p <= 1.0))
        throw std::domain_error("quantile probability must be in [0, 1]; got " + std::to_string(p));
    const double h = static_cast<double>(sorted.size() - 1) * p;
    const auto below = static_cast<std::size_t>(std::floor(h));
    if (below + 1 >= sorted.size()) return sorted.back();
    const double fraction = h - static_cast<double>(below);
    return sorted[below] + fraction * (sorted[below + 1] - sorted[below]);
}

summary summarize(std::span<const double> values) {
    if (values.empty()) throw std::invalid_argument("summary of an empty set of values");
    if (std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); })) {
        throw std::invalid_argument("summary of values that include nan");
    }
    std::vector<double> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    summary s;
    s.mean = mean_of(values);
    s.sd = sd_of(values, s.mean);
    s.p05 = quantile_type7(sorted, 0.05);
    s.p50 = quantile_type7(sorted, 0.50);
    s.p95 = quantile_type7(sorted, 0.95);
    s.prob_positive = share_positive(values);
    return s;
}

void running_moments::add(double x) {
    ++count_;
    const double delta = x - mean_;
    mean_ += delta / static_cast<double>(count_);
    sum_squares_ += delta * (x - mean_);
}

double running_moments::variance() const { return count_ < 2 ? 0.0 : sum_squares_ / static_cast<double>(count_ - 1); }

double running_moments::sd() const { return std::sqrt(variance()); }

std::string interval_text(const summary& s, int decimals) {
    return signed_fixed(s.mean, decimals) + " [" + signed_fixed(s.p05, decimals) + ", " +
           signed_fixed(s.p95, decimals) + "]";
}

}  // namespace pathways::stats
