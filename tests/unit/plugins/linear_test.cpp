#include <catch2/catch.hpp>

#include "plugin_harness.hpp"

using namespace pathways;

namespace {

// Two parents into one node over three cells: a driver (w 0.2) and a student outcome (w 0.3).
test::node_case two_parent_case(const sdk::effect_model_info& model) {
    test::node_case c(3);
    c.parents = {{"learner_paths.learner_profile_data",
                  sdk::node_kind::secondary_driver,
                  0.2,
                  {1.5, 2.0, 0.8},
                  {1.0, 1.5, 0.8},
                  {0.5, 0.8, 0.8}},
                 {"engagement.cognitive",
                  sdk::node_kind::student_outcome,
                  0.3,
                  {0.1, -0.2, 0.0},
                  {0.05, -0.1, 0.0},
                  {0.0, 0.0, 0.0}}};
    c.initial = {0.1, -0.3, 0.0};
    c.previous = {0.2, -0.2, 0.0};
    c.parameters = test::default_parameters(model);
    // The fitted default of scale is pinned to 1 so the hand computations read plainly.
    test::set_parameter(c.parameters, model, "scale", 1.0);
    return c;
}

}  // namespace

TEST_CASE("linear: a node moves by the weighted sum of its parents' changes since baseline") {
    const sdk::effect_model_info& model = test::load_model("linear");
    test::node_case c = two_parent_case(model);
    const std::vector<double> out = c.run(model);
    // cell 0: 0.1 + 0.2*(1.5-0.5) + 0.3*(0.1-0)    = 0.1 + 0.2 + 0.03  = 0.33
    // cell 1: -0.3 + 0.2*(2.0-0.8) + 0.3*(-0.2-0)  = -0.3 + 0.24 - 0.06 = -0.12
    // cell 2: parents at baseline, so the node keeps its baseline 0 (last year's 0 plays no part)
    CHECK(out[0] == Approx(0.33));
    CHECK(out[1] == Approx(-0.12));
    CHECK(out[2] == Approx(0.0).margin(1e-15));
}

TEST_CASE("linear: scale multiplies the change, not the baseline") {
    const sdk::effect_model_info& model = test::load_model("linear");
    test::node_case c = two_parent_case(model);
    test::set_parameter(c.parameters, model, "scale", 0.5);
    const std::vector<double> out = c.run(model);
    // cell 0: 0.1 + 0.5*0.23 = 0.215; cell 1: -0.3 + 0.5*0.18 = -0.21
    CHECK(out[0] == Approx(0.215));
    CHECK(out[1] == Approx(-0.21));
}

TEST_CASE("linear: an achievement node gains the dose each year on top of last year's level") {
    const sdk::effect_model_info& model = test::load_model("linear");
    test::node_case c = two_parent_case(model);
    c.node_id = "academic.achievement.math";
    c.kind = sdk::node_kind::academic_outcome;
    const std::vector<double> out = c.run(model);
    // cell 0: 0.2 + (0.2*1 + 0.3*0.1) = 0.43; cell 1: -0.2 + (0.2*1.2 - 0.3*0.2) = -0.02;
    // cell 2: nothing moved, so last year's 0 stays
    CHECK(out[0] == Approx(0.43));
    CHECK(out[1] == Approx(-0.02));
    CHECK(out[2] == 0.0);
}

TEST_CASE("linear: a node without parents stays at its baseline") {
    const sdk::effect_model_info& model = test::load_model("linear");
    test::node_case c = two_parent_case(model);
    c.parents.clear();
    const std::vector<double> out = c.run(model);
    CHECK(out == c.initial);
}
