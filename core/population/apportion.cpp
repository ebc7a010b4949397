#include "population/apportion.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace pathways {

std::vector<std::int64_t> apportion_largest_remainder(std::span<const double> weights, std::int64_t total) {
    if (total < 0 || total > max_apportion_total) {
        throw std::invalid_argument("apportion: total must be in 0..2^53");
    }
    double sum = 0.0;
    for (const double w : weights) {
        if (!std::isfinite(w) || w < 0.0) throw std::invalid_argument("apportion: weights must be finite and >= 0");
        sum += w;
    }
    std::vector<std::int64_t> counts(weights.size(), 0);
    if (total == 0) return counts;
    if (!(sum > 0.0) || !std::isfinite(sum)) {
        throw std::invalid_argument("apportion: weights must have a positive finite sum");
    }

    const auto units = static_cast<double>(total);
    std::vector<double> remainder(weights.size(), 0.0);
    std::vector<std::size_t> candidates;
    std::int64_t assigned = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        // quota <= total * (1 + rounding), so the integer part fits an int64 comfortably.
        const double quota = std::min(units * (weights[i] / sum), units);
        const double whole = std::floor(quota);
        counts[i] = static_cast<std::int64_t>(whole);
        remainder[i] = quota - whole;
        assigned += counts[i];
        if (weights[i] > 0.0) candidates.push_back(i);
    }

    const std::int64_t left = total - assigned;
    if (left < 0 || static_cast<std::size_t>(left) > candidates.size()) {
        throw std::logic_error("apportion: integer parts do not leave between 0 and n units");
    }
    // A strict total order (remainder descending, then index ascending), so the result does not
    // depend on the sort algorithm.
    std::sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
        return remainder[a] != remainder[b] ? remainder[a] > remainder[b] : a < b;
    });
    for (std::size_t k = 0; k < static_cast<std::size_t>(left); ++k) ++counts[candidates[k]];
    return counts;
}

}  // namespace pathways
