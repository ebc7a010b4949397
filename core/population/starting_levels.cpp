#include "population/starting_levels.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "stats/normal.hpp"
#include "stats/random.hpp"

namespace pathways {
namespace {

double standard_normal(std::uint64_t seed, std::size_t school, const std::string& stream) {
    stats::counter_rng rng(seed, school, stats::stream_id(stream));
    return stats::normal_quantile(rng.next_uniform());
}

/// Stratified normal scores of `latent`: the k-th smallest gets Phi^-1((k + 0.5) / n).
std::vector<double> stratified_scores(const std::vector<double>& latent) {
    std::vector<std::size_t> order(latent.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return latent[a] < latent[b]; });
    std::vector<double> scores(latent.size());
    const auto n = static_cast<double>(latent.size());
    for (std::size_t rank = 0; rank < order.size(); ++rank) {
        scores[order[rank]] = stats::normal_quantile((static_cast<double>(rank) + 0.5) / n);
    }
    return scores;
}

}  // namespace

std::vector<std::vector<level_rule>> school_starting_levels(const district_profile& district,
                                                            std::size_t school_count) {
    std::vector<std::vector<level_rule>> rules(school_count, district.starting_levels);
    const level_spread_settings& spread = district.level_spread;
    const double shared = std::sqrt(std::clamp(spread.correlation, 0.0, 1.0));
    const double own = std::sqrt(1.0 - shared * shared);
    std::vector<double> common(school_count);
    for (std::size_t s = 0; s < school_count; ++s) common[s] = standard_normal(spread.seed, s, "school-level-common");

    for (std::size_t r = 0; r < district.starting_levels.size(); ++r) {
        const level_rule& rule = district.starting_levels[r];
        if (rule.between_school_sd <= 0.0) continue;
        std::vector<double> latent(school_count);
        for (std::size_t s = 0; s < school_count; ++s) {
            latent[s] = shared * common[s] + own * standard_normal(spread.seed, s, "school-level:" + rule.pattern);
        }
        const std::vector<double> z = stratified_scores(latent);
        for (std::size_t s = 0; s < school_count; ++s) {
            rules[s][r].level = std::clamp(rule.level + rule.between_school_sd * z[s], 0.0, 3.0);
            rules[s][r].between_school_sd = 0.0;
        }
    }
    return rules;
}

}  // namespace pathways
