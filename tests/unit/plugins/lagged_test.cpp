#include <catch2/catch.hpp>

#include <cmath>

#include "plugin_harness.hpp"

using namespace pathways;

namespace {

// Engagement (w 0.5) feeds the node in two cells: cell 0's school runs PL, cell 1's does not and
// its engagement stays at baseline (business as usual).
test::node_case engagement_case(const sdk::effect_model_info& model) {
    test::node_case c(2);
    c.parents = {{"engagement.behavioral", sdk::node_kind::student_outcome, 0.5, {0.2, 0.0}, {0.2, 0.0}, {0.0, 0.0}}};
    c.initial = {-0.5, 0.4};
    c.previous = c.initial;
    c.parameters = test::default_parameters(model);
    return c;
}

}  // namespace

TEST_CASE("lagged: a non-academic node phases in with years of exposure") {
    const sdk::effect_model_info& model = test::load_model("lagged");
    test::node_case c = engagement_case(model);
    c.initial = {0.3, 0.4};
    c.previous = {0.9, 0.4};  // last year's value plays no part outside achievement
    c.years_of_exposure = {2.0, 0.0};
    const std::vector<double> out = c.run(model);
    // dose 0.5*0.2 = 0.1; phase-in 1 - exp(-2/1.5) = 0.7364029: 0.3 + 0.0736403 = 0.3736403
    CHECK(out[0] == Approx(0.3736403));
    CHECK(out[1] == Approx(0.4));
}

TEST_CASE("lagged: achievement accumulates during exposure and fades with persistence after it stops") {
    const sdk::effect_model_info& model = test::load_model("lagged");
    test::node_case c = engagement_case(model);
    c.node_id = "academic.achievement.math";
    c.kind = sdk::node_kind::academic_outcome;

    // year 1: phase-in 1 - exp(-1/1.5) = 0.4865829; -0.5 + 1*(-0.5+0.5) + 1*0.4865829*0.1 = -0.4513417
    c.years_of_exposure = {1.0, 0.0};
    std::vector<double> out = c.run(model);
    CHECK(out[0] == Approx(-0.4513417));
    CHECK(out[1] == Approx(0.4));

    // year 2: phase-in 0.7364029; gains kept: -0.4513417 + 0.0736403 = -0.3777014
    c.previous = out;
    c.years_of_exposure = {2.0, 0.0};
    out = c.run(model);
    CHECK(out[0] == Approx(-0.3777014));

    // year 3: PL stopped (exposure 0) though engagement is still up: no new gain, and the
    // gain fades: -0.5 + 0.6*(-0.3777014 + 0.5) = -0.5 + 0.6*0.1222986 = -0.4266208
    c.previous = out;
    c.years_of_exposure = {0.0, 0.0};
    out = c.run(model);
    CHECK(out[0] == Approx(-0.4266208));

    // year 4: -0.5 + 0.6*0.0733792 = -0.4559725
    c.previous = out;
    out = c.run(model);
    CHECK(out[0] == Approx(-0.4559725));
    CHECK(out[1] == Approx(0.4));
}

TEST_CASE("lagged: annual_rate and phase_in_years shape the yearly gain") {
    const sdk::effect_model_info& model = test::load_model("lagged");
    test::node_case c = engagement_case(model);
    c.node_id = "academic.achievement.ela";
    c.kind = sdk::node_kind::academic_outcome;
    c.previous = {-0.4, 0.4};
    c.years_of_exposure = {3.0, 0.0};
    test::set_parameter(c.parameters, model, "annual_rate", 0.5);
    test::set_parameter(c.parameters, model, "phase_in_years", 3.0);
    // phase-in 1 - exp(-3/3) = 0.6321206; -0.4 + 0.5*0.6321206*0.1 = -0.4 + 0.0316060 = -0.3683940
    CHECK(c.run(model)[0] == Approx(-0.3683940));
}

TEST_CASE("lagged: growth is a rate and does not accumulate") {
    const sdk::effect_model_info& model = test::load_model("lagged");
    test::node_case c = engagement_case(model);
    c.node_id = "academic.growth";
    c.kind = sdk::node_kind::academic_outcome;
    c.initial = {0.0, 0.0};
    c.previous = {0.05, 0.0};
    c.years_of_exposure = {1.0, 0.0};
    // 0 + 0.4865829*0.1 = 0.0486583, last year's 0.05 is not carried over
    CHECK(c.run(model)[0] == Approx(0.0486583));
}

TEST_CASE("lagged: a years_of_exposure span of the wrong length is rejected") {
    const sdk::effect_model_info& model = test::load_model("lagged");
    test::node_case c = engagement_case(model);
    c.years_of_exposure = {1.0};
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("years_of_exposure has 1 values for 2 cells"));
}
