#include "engine/anchor_fit.hpp"

#include <boost/math/tools/minima.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "stats/normal.hpp"

namespace pathways {

double design_inflation(std::string_view design_type) { return design_type == "randomised" ? 1.0 : std::sqrt(2.0); }

random_effects_synthesis synthesise(std::span<const anchor_observation> anchors) {
    if (anchors.size() < 2) throw std::invalid_argument("a synthesis needs at least two anchors");
    // Yearly effects and their variances, with each anchor's design-weighed standard error.
    std::vector<double> effect;
    std::vector<double> variance;
    for (const anchor_observation& a : anchors) {
        const double years = static_cast<double>(a.years);
        effect.push_back(a.effect / years);
        variance.push_back(std::pow(a.weighed_standard_error() / years, 2.0));
    }
    double total = 0.0;
    double total_squared = 0.0;
    double weighted = 0.0;
    for (std::size_t i = 0; i < effect.size(); ++i) {
        const double w = 1.0 / variance[i];
        total += w;
        total_squared += w * w;
        weighted += w * effect[i];
    }
    const double fixed_mean = weighted / total;
    double q = 0.0;
    for (std::size_t i = 0; i < effect.size(); ++i)
        q += (effect[i] - fixed_mean) * (effect[i] - fixed_mean) / variance[i];
    const double degrees = static_cast<double>(effect.size() - 1);
    const double between_variance = std::max(0.0, (q - degrees) / (total - total_squared / total));
    double random_total = 0.0;
    double random_weighted = 0.0;
    for (std::size_t i = 0; i < effect.size(); ++i) {
        const double w = 1.0 / (variance[i] + between_variance);
        random_total += w;
        random_weighted += w * effect[i];
    }
    random_effects_synthesis out;
    out.studies = anchors.size();
    out.mean_per_year = random_weighted / random_total;
    out.mean_se = std::sqrt(1.0 / random_total);
    out.between_sd = std::sqrt(between_variance);
    out.predictive_sd = std::sqrt(between_variance + out.mean_se * out.mean_se);
    out.probability_at_or_below_zero = stats::normal_cdf(-out.mean_per_year / out.predictive_sd);
    return out;
}

double anchor_z(double predicted, const anchor_observation& anchor) {
    return (predicted - anchor.effect) / anchor.weighed_standard_error();
}

double anchor_weight(const anchor_observation& anchor, double between_sd) {
    const double spread = static_cast<double>(anchor.years) * between_sd;
    return 1.0 / (anchor.weighed_standard_error() * anchor.weighed_standard_error() + spread * spread);
}

anchor_fit fit_knob(const std::function<std::vector<double>(double)>& predict,
                    std::span<const anchor_observation> anchors, std::span<const double> weights, double lower,
                    double upper) {
    anchor_fit fit;
    const auto objective = [&](double knob) {
        ++fit.evaluations;
        const std::vector<double> predictions = predict(knob);
        double sum = 0.0;
        for (std::size_t i = 0; i < anchors.size(); ++i) {
            const double miss = predictions.at(i) - anchors[i].effect;
            sum += weights[i] * miss * miss;
        }
        return sum;
    };
    // 40 bits: the knob to about 1e-12 of its range, far below what the anchors can tell apart.
    constexpr int bits = 40;
    std::uintmax_t iterations = 200;
    const auto [knob, value] = boost::math::tools::brent_find_minima(objective, lower, upper, bits, iterations);
    fit.knob = knob;
    fit.objective = value;
    fit.predictions = predict(knob);
    return fit;
}

}  // namespace pathways
