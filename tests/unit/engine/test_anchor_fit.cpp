// Weighing models against the anchors: the design factor, the random-effects synthesis and the fit, by hand.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "engine/anchor_fit.hpp"
#include "scenario/anchor_reader.hpp"
#include "scenario/model_reader.hpp"

using namespace pathways;

TEST_CASE("a quasi-experiment's standard error is inflated by sqrt(2), a randomised trial's is kept", "[anchors]") {
    CHECK(design_inflation("quasi-experimental") == std::sqrt(2.0));
    CHECK(design_inflation("randomised") == 1.0);
    const anchor_observation a{"a", "math", 2, 0.2, 0.05, std::sqrt(2.0)};
    CHECK(a.weighed_standard_error() == Approx(0.0707107));
    CHECK(anchor_z(0.1, a) == Approx(-0.1 / 0.0707107));
    // weight 1 / ((sqrt(2)·0.05)² + (2·0.03)²) = 1 / (0.005 + 0.0036) = 116.279
    CHECK(anchor_weight(a, 0.03) == Approx(116.279).epsilon(1e-5));
}

TEST_CASE("the synthesis of two randomised anchors, by hand", "[anchors]") {
    // Yearly effects 0.1 and 0, variances 0.0025: fixed mean 0.05, Q = 2·400·0.05² = 2 on 1 degree of freedom,
    // C = 800 − 2·400²/800 = 400, tau² = (2 − 1)/400 = 0.0025; random-effects weights 1/0.005 each, mean 0.05,
    // SE sqrt(1/400) = 0.05, predictive SD sqrt(0.0025 + 0.0025) = 0.0707, P(<= 0) = Phi(-0.7071) = 0.2398.
    const std::vector<anchor_observation> anchors{{"a", "math", 1, 0.1, 0.05, 1.0}, {"b", "math", 1, 0.0, 0.05, 1.0}};
    const random_effects_synthesis s = synthesise(anchors);
    CHECK(s.studies == 2);
    CHECK(s.mean_per_year == Approx(0.05));
    CHECK(s.between_sd == Approx(0.05));
    CHECK(s.mean_se == Approx(0.05));
    CHECK(s.predictive_sd == Approx(0.0707107));
    CHECK(s.probability_at_or_below_zero == Approx(0.2398).margin(1e-4));
    CHECK(s.relative_sd() == Approx(1.4142136));
    // Agreeing anchors leave no between-study spread: a two-year 0.2 is a yearly 0.1, like the other.
    const std::vector<anchor_observation> agree{{"a", "math", 1, 0.1, 0.05, 1.0}, {"b", "math", 2, 0.2, 0.1, 1.0}};
    CHECK(synthesise(agree).between_sd == 0.0);
    CHECK(synthesise(agree).mean_per_year == Approx(0.1));
    CHECK_THROWS_AS(synthesise(std::vector<anchor_observation>{anchors.front()}), std::invalid_argument);
}

TEST_CASE("the shipped math anchors give the model file's spread of the average effect", "[anchors]") {
    diagnostics found;
    const auto anchors = read_embedded_anchors(found);
    REQUIRE(anchors);
    std::vector<anchor_observation> math;
    for (const anchor& a : *anchors) {
        if (a.is_bound() || !a.is_fitted() || a.outcome != "academic.achievement.math") continue;
        math.push_back({a.id, a.outcome, a.years, a.effect, a.standard_error, design_inflation(a.design_type)});
    }
    REQUIRE(math.size() == 4);
    const random_effects_synthesis s = synthesise(math);
    // The figures the README and the model file state.
    CHECK(s.mean_per_year == Approx(0.0801).margin(5e-5));
    CHECK(s.between_sd == Approx(0.0500).margin(5e-5));
    CHECK(s.predictive_sd == Approx(0.0646).margin(5e-5));
    CHECK(s.probability_at_or_below_zero == Approx(0.107).margin(5e-4));
    const auto model = read_embedded_model(found);
    REQUIRE(model);
    REQUIRE(model->average_effect);
    CHECK(model->average_effect->relative_sd == Approx(s.relative_sd()).margin(0.005));
}

TEST_CASE("fit_knob minimises the weighted squares: exact for a linear model, within its range otherwise",
          "[anchors]") {
    const std::vector<anchor_observation> anchors{{"one", "math", 1, 0.1, 0.05, 1.0},
                                                  {"two", "math", 2, 0.3, 0.05, 1.0}};
    // predictions c and 2c, weights 1 and 3: minimise (c − 0.1)² + 3(2c − 0.3)² → c = (0.1 + 3·2·0.3)/(1 + 3·4) = 0.1462
    const std::vector<double> weights{1.0, 3.0};
    const anchor_fit fit = fit_knob(
        [](double c) {
            return std::vector<double>{c, 2.0 * c};
        },
        anchors, weights, 0.0, 1.0);
    CHECK(fit.knob == Approx(1.9 / 13.0).epsilon(1e-8));
    CHECK(fit.predictions == std::vector<double>{fit.knob, 2.0 * fit.knob});
    CHECK(fit.objective == Approx(std::pow(fit.knob - 0.1, 2) + 3.0 * std::pow(2.0 * fit.knob - 0.3, 2)));
    // The minimum outside the range: the fit stops at the nearer end.
    const anchor_fit capped = fit_knob(
        [](double c) {
            return std::vector<double>{c, 2.0 * c};
        },
        anchors, weights, 0.0, 0.05);
    CHECK(capped.knob == Approx(0.05).margin(1e-6));
}
