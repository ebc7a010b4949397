#include <catch2/catch.hpp>

#include "plugin_harness.hpp"

using namespace pathways;

namespace {

// A driver parent (w 0.2) and a student-outcome parent (w 0.3) over three cells whose schools
// have foundational practices at 0, 1 and 3.
test::node_case gated_case(const sdk::effect_model_info& model) {
    test::node_case c(3);
    c.parents = {{"learner_paths.learner_profile_data", sdk::node_kind::secondary_driver, 0.2,
                  {1.5, 2.0, 0.8}, {1.5, 2.0, 0.8}, {0.5, 0.8, 0.8}},
                 {"engagement.cognitive", sdk::node_kind::student_outcome, 0.3,
                  {0.1, -0.2, 0.0}, {0.1, -0.2, 0.0}, {0.0, 0.0, 0.0}}};
    c.initial = {0.1, -0.3, 0.0};
    c.foundations = {0.0, 1.0, 3.0};
    c.parameters = test::default_parameters(model);
    return c;
}

}  // namespace

TEST_CASE("saturating: foundations gate the drivers' share of the dose, then tanh saturates at emax") {
    const sdk::effect_model_info& model = test::load_model("saturating");
    const std::vector<double> out = gated_case(model).run(model);
    // foundation_full 2, emax.student 0.5.
    // cell 0: gate 0/2 = 0; driver dose 0.2*1.0 = 0.2 is shut out, outcome dose 0.3*0.1 = 0.03 passes:
    //         0.1 + 0.5*tanh(0.03/0.5) = 0.1 + 0.5*0.0599281 = 0.1299640
    // cell 1: gate 1/2 = 0.5; 0.5*0.2*1.2 + 0.3*(-0.2) = 0.12 - 0.06 = 0.06:
    //         -0.3 + 0.5*tanh(0.12) = -0.3 + 0.5*0.1194273 = -0.2402864
    // cell 2: gate 1 (3/2 clamped), parents at baseline: dose 0, stays 0
    CHECK(out[0] == Approx(0.1299640));
    CHECK(out[1] == Approx(-0.2402864));
    CHECK(out[2] == Approx(0.0).margin(1e-15));
}

TEST_CASE("saturating: slope 1 near zero, ceiling emax for large doses, academic ceiling for academic nodes") {
    const sdk::effect_model_info& model = test::load_model("saturating");
    test::node_case c(3);
    c.parents = {{"competencies.demonstration_of_learning", sdk::node_kind::secondary_driver, 1.0,
                  {0.01, 3.0, 0.1}, {0.0, 0.0, 0.0}, {0.0, 0.0, 0.0}}};
    c.foundations = {3.0, 3.0, 3.0};
    c.parameters = test::default_parameters(model);
    std::vector<double> out = c.run(model);
    // 0.5*tanh(0.01/0.5) = 0.5*0.0199973 = 0.0099987 (≈ the dose 0.01)
    // 0.5*tanh(3/0.5) = 0.5*tanh(6) = 0.4999939 (just under emax 0.5)
    // 0.5*tanh(0.1/0.5) = 0.5*0.1973753 = 0.0986877
    CHECK(out[0] == Approx(0.0099987));
    CHECK(out[1] == Approx(0.4999939));
    CHECK(out[2] == Approx(0.0986877));

    c.node_id = "academic.achievement.math";
    c.kind = sdk::node_kind::academic_outcome;
    out = c.run(model);
    // emax.academic 0.25: 0.25*tanh(0.1/0.25) = 0.25*tanh(0.4) = 0.25*0.3799490 = 0.0949872
    CHECK(out[2] == Approx(0.0949872));
    CHECK(out[1] == Approx(0.25).epsilon(1e-4));
}

TEST_CASE("saturating: negative doses saturate symmetrically") {
    const sdk::effect_model_info& model = test::load_model("saturating");
    test::node_case c(1);
    c.parents = {{"competencies.demonstration_of_learning", sdk::node_kind::secondary_driver, 1.0,
                  {-0.1}, {0.0}, {0.0}}};
    c.foundations = {2.0};
    c.parameters = test::default_parameters(model);
    // 0.5*tanh(-0.2) = -0.0986877
    CHECK(c.run(model)[0] == Approx(-0.0986877));
}

TEST_CASE("saturating: a foundations span of the wrong length is rejected") {
    const sdk::effect_model_info& model = test::load_model("saturating");
    test::node_case c = gated_case(model);
    c.foundations.pop_back();
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("foundations has 2 values for 3 cells"));
}
