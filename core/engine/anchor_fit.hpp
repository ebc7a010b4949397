#pragma once
/// \file
/// Weighing a model against every published anchor at once: the design discount, the random-effects
/// synthesis of the anchors that says how uncertain a district's average effect is, and the weighted
/// fit of a model's calibration knob to every anchor.

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pathways {

/// One published point effect as the fit and the synthesis weigh it.
struct anchor_observation {
    std::string id;
    std::string outcome;
    int years = 1;                ///< years the effect is cumulative over
    double effect = 0.0;          ///< SD, cumulative
    double standard_error = 0.0;  ///< as published
    double inflation = 1.0;       ///< the design's factor on the standard error
    [[nodiscard]] double weighed_standard_error() const { return inflation * standard_error; }
};

/// The factor on a study's standard error for its design: quasi-experiments report about twice the
/// effects of randomised trials (Cheung & Slavin 2016, Methodological Features and Effect Sizes), so a
/// quasi-experiment's variance is doubled (its standard error times √2); a randomised trial's is kept.
double design_inflation(std::string_view design_type);

/// A DerSimonian–Laird random-effects synthesis of anchors of one outcome, per year of exposure (an
/// effect over `years` years counts as years × a yearly effect).
struct random_effects_synthesis {
    std::size_t studies = 0;
    double mean_per_year = 0.0;                 ///< the random-effects mean
    double mean_se = 0.0;                       ///< its standard error
    double between_sd = 0.0;                    ///< tau, the spread of true yearly effects between studies
    double predictive_sd = 0.0;                 ///< sqrt(tau² + se²): a new district's average effect about the mean
    double probability_at_or_below_zero = 0.0;  ///< of a new district's average effect, under normality
    /// The predictive SD relative to the mean: the spread of a draw's factor on every school's dose.
    [[nodiscard]] double relative_sd() const { return predictive_sd / mean_per_year; }
};

/// Synthesises `anchors`, all of one outcome (at least two; throws std::invalid_argument otherwise).
random_effects_synthesis synthesise(std::span<const anchor_observation> anchors);

/// z of a model's prediction against an anchor: (predicted − effect) / weighed standard error.
double anchor_z(double predicted, const anchor_observation& anchor);

/// The weight of an anchor in the fit: 1 / (weighed SE² + (years · tau)²), tau the between-study SD of
/// its outcome's synthesis: a fit by these weights to yearly effects that add up reproduces the
/// random-effects mean.
double anchor_weight(const anchor_observation& anchor, double between_sd);

/// What fitting a knob found.
struct anchor_fit {
    double knob = 0.0;
    double objective = 0.0;           ///< the weighted sum of squares at the knob
    std::vector<double> predictions;  ///< per anchor, at the knob
    int evaluations = 0;
};

/// The knob in [lower, upper] that minimises sum_i weight_i · (predict(knob)_i − effect_i)², by Brent's
/// minimisation (Boost.Math). `predict` returns one prediction per anchor, in order; `weights` one weight
/// per anchor.
anchor_fit fit_knob(const std::function<std::vector<double>(double)>& predict,
                    std::span<const anchor_observation> anchors, std::span<const double> weights, double lower,
                    double upper);

}  // namespace pathways
