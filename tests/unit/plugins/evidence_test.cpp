#include <catch2/catch.hpp>

#include <cmath>

#include "plugin_harness.hpp"

using namespace pathways;

namespace {

// Math achievement in two cells: cell 0's school starts at level 1 and implements PL; cell 1's
// school is already at level 3, so there is nothing left to implement.
test::node_case math_case(const sdk::effect_model_info& model) {
    test::node_case c(2);
    c.node_id = "academic.achievement.math";
    c.kind = sdk::node_kind::academic_outcome;
    c.initial = {-0.5, 0.3};
    c.previous = c.initial;
    c.baseline_implementation = {1.0, 3.0};
    c.implementation = {3.0, 3.0};
    c.pl_school_count = 4.0;
    c.parameters = test::default_parameters(model);
    return c;
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

}  // namespace

TEST_CASE("evidence: one year at full implementation gives the RAND 2017 math effect, ≈3.6 percentile points") {
    const sdk::effect_model_info& model = test::load_model("evidence");
    test::node_case c = math_case(model);
    c.initial = {0.0, 0.0};
    c.previous = c.initial;
    const std::vector<double> out = c.run(model);
    // f = (3-1)/(3-1) = 1: 0 + 1*0.09 = 0.09 SD; at the median 100*(Phi(0.09) - 0.5) = 3.586 points
    CHECK(out[0] == Approx(0.09));
    CHECK(100.0 * (normal_cdf(out[0]) - 0.5) == Approx(3.586).margin(0.001));
    CHECK(out[1] == Approx(0.0).margin(1e-15));
}

TEST_CASE("evidence: achievement accumulates with the implementation fraction and fades after it ends") {
    const sdk::effect_model_info& model = test::load_model("evidence");
    test::node_case c = math_case(model);

    // year 1: f = 1; -0.5 + 0.09 = -0.41
    std::vector<double> out = c.run(model);
    CHECK(out[0] == Approx(-0.41));
    CHECK(out[1] == Approx(0.3));

    // year 2: level 2, f = (2-1)/(3-1) = 0.5; -0.41 + 0.5*0.09 = -0.365
    c.previous = out;
    c.implementation = {2.0, 3.0};
    out = c.run(model);
    CHECK(out[0] == Approx(-0.365));

    // year 3: back to the baseline level, f = 0: -0.5 + 0.6*(-0.365 + 0.5) = -0.5 + 0.081 = -0.419
    c.previous = out;
    c.implementation = {1.0, 3.0};
    out = c.run(model);
    CHECK(out[0] == Approx(-0.419));

    // year 4: -0.5 + 0.6*0.081 = -0.4514
    c.previous = out;
    out = c.run(model);
    CHECK(out[0] == Approx(-0.4514));
    CHECK(out[1] == Approx(0.3));
}

TEST_CASE("evidence: ELA and science use their own effects, and the school effect adds to the mean") {
    const sdk::effect_model_info& model = test::load_model("evidence");
    test::node_case c = math_case(model);
    c.initial = {0.0, 0.0};
    c.previous = c.initial;
    c.baseline_implementation = {1.0, 0.0};
    c.implementation = {2.0, 1.5};  // f = 0.5 in both cells
    c.school_effect = {0.0, -0.1};
    c.node_id = "academic.achievement.ela";
    std::vector<double> out = c.run(model);
    CHECK(out[0] == Approx(0.03));   // 0.5*0.06
    CHECK(out[1] == Approx(-0.02));  // 0.5*(0.06 - 0.1)
    c.node_id = "academic.achievement.science";
    out = c.run(model);
    CHECK(out[0] == Approx(0.0375));  // 0.5*0.075
}

TEST_CASE("evidence: the scale discount applies per doubling beyond the reference school count") {
    const sdk::effect_model_info& model = test::load_model("evidence");
    test::node_case c = math_case(model);
    c.initial = {0.0, 0.0};
    c.previous = c.initial;
    c.pl_school_count = 24.0;
    // default discount 1: no change at any scale
    CHECK(c.run(model)[0] == Approx(0.09));
    test::set_parameter(c.parameters, model, "scale_discount_per_doubling", 0.85);
    // 24 schools = 2 doublings of 6: 0.09*0.85^2 = 0.065025
    CHECK(c.run(model)[0] == Approx(0.065025));
    c.pl_school_count = 6.0;
    CHECK(c.run(model)[0] == Approx(0.09));
}

TEST_CASE("evidence: other nodes follow their edges linearly") {
    const sdk::effect_model_info& model = test::load_model("evidence");
    test::node_case c = math_case(model);
    c.node_id = "academic.growth";
    c.initial = {0.0, 0.1};
    c.previous = {0.5, 0.5};
    c.parents = {{"engagement.cognitive", sdk::node_kind::student_outcome, 0.1, {0.3, 0.0}, {0.3, 0.0}, {0.1, 0.0}}};
    const std::vector<double> out = c.run(model);
    CHECK(out[0] == Approx(0.02));  // 0 + 0.1*(0.3-0.1)
    CHECK(out[1] == Approx(0.1));
    c.node_id = "self_efficacy";
    c.kind = sdk::node_kind::student_outcome;
    CHECK(c.run(model)[0] == Approx(0.02));
}

TEST_CASE("evidence: impossible inputs are rejected") {
    const sdk::effect_model_info& model = test::load_model("evidence");
    const test::node_case valid = math_case(model);
    test::node_case c = valid;
    c.node_id = "academic.achievement.history";
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("no calibrated effect for subject 'history'"));
    c = valid;
    c.pl_school_count = -1.0;
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("pl_school_count is -1"));
    c = valid;
    test::set_parameter(c.parameters, model, "scale_reference_schools", 6.5);
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("'scale_reference_schools' is 6.5; expected a whole number"));
    c = valid;
    c.school_effect.pop_back();
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("school_effect has 1 values for 2 cells"));
    c = valid;
    c.implementation.push_back(1.0);
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("implementation has 3 values for 2 cells"));
}
