#include <catch2/catch.hpp>

#include <cmath>

#include "plugin_harness.hpp"

using namespace pathways;

namespace {

// Math achievement in two cells whose schools run PL (one year of exposure) as average schools
// (dose multiplier 1): cell 0's school starts at level 1 and implements PL; cell 1's school is
// already at level 3, so there is nothing left to implement.
test::node_case math_case(const sdk::effect_model_info& model) {
    test::node_case c(2);
    c.node_id = "academic.achievement.math";
    c.kind = sdk::node_kind::academic_outcome;
    c.initial = {-0.5, 0.3};
    c.previous = c.initial;
    c.years_of_exposure = {1.0, 1.0};
    c.baseline_implementation = {1.0, 3.0};
    c.implementation = {3.0, 3.0};
    c.school_effect = {1.0, 1.0};
    c.pl_school_count = 4.0;
    c.parameters = test::default_parameters(model);
    return c;
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

}  // namespace

TEST_CASE("evidence: one year at full implementation gives the fitted math effect, about 3.2 percentile points") {
    const sdk::effect_model_info& model = test::load_model("evidence");
    test::node_case c = math_case(model);
    c.initial = {0.0, 0.0};
    c.previous = c.initial;
    const std::vector<double> out = c.run(model);
    // f = (3-1)/(3-1) = 1: 0 + 1*0.08 = 0.08 SD; at the median 100*(Phi(0.08) - 0.5) = 3.188 points
    CHECK(out[0] == Approx(0.08));
    CHECK(100.0 * (normal_cdf(out[0]) - 0.5) == Approx(3.188).margin(0.001));
    // baseline already 3: f = 0, 0 + 0*0.08 = 0
    CHECK(out[1] == Approx(0.0).margin(1e-15));
}

TEST_CASE("evidence: each year adds the effect times how far practice has come, whatever the exposure") {
    const sdk::effect_model_info& model = test::load_model("evidence");
    test::node_case c = math_case(model);

    // year 1: f = 1: -0.5 + 1*0.08 = -0.42; cell 1: f = 0, 0.3 + 0 = 0.3
    std::vector<double> out = c.run(model);
    CHECK(out[0] == Approx(-0.42));
    CHECK(out[1] == Approx(0.3));

    // year 2: level 2, f = (2-1)/(3-1) = 0.5: -0.42 + 0.5*0.08 = -0.38
    c.previous = out;
    c.years_of_exposure = {2.0, 2.0};
    c.implementation = {2.0, 3.0};
    out = c.run(model);
    CHECK(out[0] == Approx(-0.38));

    // year 3: back at the baseline level, f = 0: the gain is kept, nothing added: -0.38
    c.previous = out;
    c.years_of_exposure = {3.0, 3.0};
    c.implementation = {1.0, 3.0};
    out = c.run(model);
    CHECK(out[0] == Approx(-0.38));

    // year 4: the program was cut (no exposure) but practice lingers half way, f = 0.5: -0.38 + 0.04 = -0.34.
    // Fading the gains already made is the host's work: the model adds to the previous value it is given.
    c.previous = out;
    c.years_of_exposure = {0.0, 0.0};
    c.implementation = {2.0, 3.0};
    out = c.run(model);
    CHECK(out[0] == Approx(-0.34));
    CHECK(out[1] == Approx(0.3));
}

TEST_CASE("evidence: a school at its baseline level gains nothing, to the bit") {
    const sdk::effect_model_info& model = test::load_model("evidence");
    test::node_case c = math_case(model);
    c.initial = {0.0, 0.0};
    c.previous = {0.1, 0.1};
    c.years_of_exposure = {0.0, 1.0};
    c.baseline_implementation = {1.0, 1.0};
    c.implementation = {1.0, 1.0};
    const std::vector<double> out = c.run(model);
    CHECK(out[0] == 0.1);
    CHECK(out[1] == 0.1);
}

TEST_CASE("evidence: a harmful school's negative fraction and a strong school's fraction above 1 are not clamped") {
    const sdk::effect_model_info& model = test::load_model("evidence");
    test::node_case c = math_case(model);
    c.initial = {0.0, 0.0};
    c.previous = c.initial;
    c.baseline_implementation = {1.0, 1.0};
    // The host scaled the change to level 3 (2 levels) by each school's multiplier:
    // harmful school m = -0.5: 1 + (-0.5)*2 = 0; strong school m = 1.5: 1 + 1.5*2 = 4.
    c.school_effect = {-0.5, 1.5};
    c.implementation = {0.0, 4.0};
    std::vector<double> out = c.run(model);
    // cell 0: f = (0-1)/(3-1) = -0.5: 0 + (-0.5)*0.08 = -0.04
    CHECK(out[0] == Approx(-0.04));
    // cell 1: f = (4-1)/(3-1) = 1.5: 0 + 1.5*0.08 = 0.12
    CHECK(out[1] == Approx(0.12));

    // a second exposed year at the same levels accumulates the loss and the gain:
    // -0.04 + (-0.04) = -0.08 and 0.12 + 0.12 = 0.24
    c.previous = out;
    c.years_of_exposure = {2.0, 2.0};
    out = c.run(model);
    CHECK(out[0] == Approx(-0.08));
    CHECK(out[1] == Approx(0.24));
}

TEST_CASE("evidence: ELA and science use their own effects, and the host's school multiplier is not applied again") {
    const sdk::effect_model_info& model = test::load_model("evidence");
    test::node_case c = math_case(model);
    c.initial = {0.0, 0.0};
    c.previous = c.initial;
    c.baseline_implementation = {1.0, 0.0};
    c.implementation = {2.0, 1.5};  // f = (2-1)/(3-1) = 0.5 and (1.5-0)/(3-0) = 0.5
    c.node_id = "academic.achievement.ela";
    std::vector<double> out = c.run(model);
    CHECK(out[0] == Approx(0.0375));  // 0.5*0.075
    CHECK(out[1] == Approx(0.0375));  // 0.5*0.075
    c.node_id = "academic.achievement.science";
    out = c.run(model);
    CHECK(out[0] == Approx(0.03875));  // 0.5*0.0775
    CHECK(out[1] == Approx(0.03875));  // 0.5*0.0775

    // school_effect is informational: the host has already scaled `implementation` by it, so the
    // same implementation gives the same output whatever the multiplier.
    c.school_effect = {-0.5, 2.0};
    out = c.run(model);
    CHECK(out[0] == Approx(0.03875));  // still 0.5*0.0775
    CHECK(out[1] == Approx(0.03875));
    c.school_effect = {0.0, 0.0};
    out = c.run(model);
    CHECK(out[0] == Approx(0.03875));
    CHECK(out[1] == Approx(0.03875));
}

TEST_CASE("evidence: the scale discount applies per doubling beyond the reference school count") {
    const sdk::effect_model_info& model = test::load_model("evidence");
    test::node_case c = math_case(model);
    c.initial = {0.0, 0.0};
    c.previous = c.initial;
    c.pl_school_count = 24.0;
    // default discount 1: no change at any scale, 1*0.08 = 0.08
    CHECK(c.run(model)[0] == Approx(0.08));
    test::set_parameter(c.parameters, model, "scale_discount_per_doubling", 0.85);
    // 24 schools = log2(24/6) = 2 doublings of 6: 0.08*0.85^2 = 0.08*0.7225 = 0.0578
    CHECK(c.run(model)[0] == Approx(0.0578));
    c.pl_school_count = 6.0;
    // at the reference count: 0.08*1 = 0.08
    CHECK(c.run(model)[0] == Approx(0.08));
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
    CHECK(out[1] == Approx(0.1));   // 0.1 + 0.1*(0-0)
    c.node_id = "self_efficacy";
    c.kind = sdk::node_kind::student_outcome;
    CHECK(c.run(model)[0] == Approx(0.02));  // 0 + 0.1*(0.3-0.1)
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
    c.implementation.clear();
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("implementation is missing"));
    c = valid;
    c.baseline_implementation.pop_back();
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("baseline_implementation has 1 values for 2 cells"));
    c = valid;
    c.with_cells = false;
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("cell attributes are missing"));
}
