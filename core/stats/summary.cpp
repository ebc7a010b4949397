#include "stats/summary.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace pathways::stats {

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

}  // namespace

double quantile_type7(std::span<const double> sorted, double p) {
    if (sorted.empty()) throw std::invalid_argument("quantile of an empty set of values");
    if (!(p >= 0.0 && p <= 1.0)) throw std::domain_error("quantile probability must be in [0, 1]; got " + std::to_string(p));
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

double running_moments::variance() const {
    return count_ < 2 ? 0.0 : sum_squares_ / static_cast<double>(count_ - 1);
}

double running_moments::sd() const { return std::sqrt(variance()); }

}  // namespace pathways::stats
