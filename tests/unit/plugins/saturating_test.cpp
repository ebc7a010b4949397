#include <catch2/catch.hpp>

#include <cstddef>
#include <string_view>

#include "plugin_harness.hpp"

using namespace pathways;

namespace {

// A driver parent (w 1.0) and a student-outcome parent (w 1.0) over three cells whose schools
// have foundational practices at 0, 1 and 3.
test::node_case gated_case(const sdk::effect_model_info& model) {
    test::node_case c(3);
    c.parents = {{"learner_paths.learner_profile_data",
                  sdk::node_kind::secondary_driver,
                  1.0,
                  {1.5, 2.0, 0.8},
                  {1.5, 2.0, 0.8},
                  {0.5, 0.8, 0.8}},
                 {"engagement.cognitive",
                  sdk::node_kind::student_outcome,
                  1.0,
                  {0.5, -0.2, 0.0},
                  {0.5, -0.2, 0.0},
                  {0.0, 0.0, 0.0}}};
    c.initial = {0.1, -0.3, 0.0};
    c.foundations = {0.0, 1.0, 3.0};
    c.parameters = test::default_parameters(model);
    return c;
}

const sdk::parameter_spec& spec_of(const sdk::effect_model_info& model, std::string_view name) {
    return model.parameters[static_cast<std::size_t>(sdk::parameter_index(model.parameters, name))];
}

}  // namespace

TEST_CASE("saturating: the student ceiling defaults to 2 SD, drawn from a truncated normal on [1, 3]") {
    const sdk::effect_model_info& model = test::load_model("saturating");
    const sdk::parameter_spec& emax = spec_of(model, "emax.student");
    CHECK(emax.default_value == 2.0);
    CHECK(emax.min == 0.05);
    CHECK(emax.max == 4.0);
    CHECK(emax.uncertainty.kind == sdk::prior_kind::truncated_normal);
    CHECK(emax.uncertainty.a == 2.0);
    CHECK(emax.uncertainty.b == 0.5);
    CHECK(emax.uncertainty.lower == 1.0);
    CHECK(emax.uncertainty.upper == 3.0);
    CHECK(spec_of(model, "emax.academic").default_value == 0.25);

    test::node_case c(1);
    c.parents = {
        {"competencies.demonstration_of_learning", sdk::node_kind::secondary_driver, 1.0, {2.0}, {0.0}, {0.0}}};
    c.foundations = {3.0};
    c.parameters = test::default_parameters(model);
    // at the top of the range: 4*tanh(2/4) = 4*0.4621172 = 1.8484686
    test::set_parameter(c.parameters, model, "emax.student", 4.0);
    CHECK(c.run(model)[0] == Approx(1.8484686));
    test::set_parameter(c.parameters, model, "emax.student", 4.5);
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("parameter 'emax.student' is 4.5; expected a value in [0.05, 4]"));
}

TEST_CASE("saturating: foundations gate the drivers' share of the dose, then tanh saturates at emax") {
    const sdk::effect_model_info& model = test::load_model("saturating");
    const std::vector<double> out = gated_case(model).run(model);
    // foundation_full 2, emax.student 2.
    // cell 0: gate 0/2 = 0; driver dose 1.0*1.0 = 1.0 is shut out, outcome dose 1.0*0.5 = 0.5 passes:
    //         0.1 + 2*tanh(0.5/2) = 0.1 + 2*0.2449187 = 0.5898373
    // cell 1: gate 1/2 = 0.5; 0.5*1.0*1.2 + 1.0*(-0.2) = 0.6 - 0.2 = 0.4:
    //         -0.3 + 2*tanh(0.4/2) = -0.3 + 2*0.1973753 = 0.0947506
    // cell 2: gate 1 (3/2 clamped), parents at baseline: dose 0, stays 0
    CHECK(out[0] == Approx(0.5898373));
    CHECK(out[1] == Approx(0.0947506));
    CHECK(out[2] == Approx(0.0).margin(1e-15));
}

TEST_CASE("saturating: slope 1 near zero, ceiling emax for large doses, academic ceiling for academic nodes") {
    const sdk::effect_model_info& model = test::load_model("saturating");
    test::node_case c(3);
    c.parents = {{"competencies.demonstration_of_learning",
                  sdk::node_kind::secondary_driver,
                  1.0,
                  {0.01, 12.0, 0.1},
                  {0.0, 0.0, 0.0},
                  {0.0, 0.0, 0.0}}};
    c.foundations = {3.0, 3.0, 3.0};
    c.parameters = test::default_parameters(model);
    std::vector<double> out = c.run(model);
    // 2*tanh(0.01/2) = 2*0.0049999583 = 0.0099999 (≈ the dose 0.01)
    // 2*tanh(12/2) = 2*tanh(6) = 2*0.9999877 = 1.9999754 (just under emax 2)
    // 2*tanh(0.1/2) = 2*0.0499584 = 0.0999167
    CHECK(out[0] == Approx(0.0099999));
    CHECK(out[1] == Approx(1.9999754));
    CHECK(out[2] == Approx(0.0999167));

    c.node_id = "academic.achievement.math";
    c.kind = sdk::node_kind::academic_outcome;
    out = c.run(model);
    // emax.academic 0.25: 0.25*tanh(0.1/0.25) = 0.25*tanh(0.4) = 0.25*0.3799490 = 0.0949872
    CHECK(out[2] == Approx(0.0949872));
    // 0.25*tanh(12/0.25) = 0.25*tanh(48) = 0.25
    CHECK(out[1] == Approx(0.25).epsilon(1e-4));
}

TEST_CASE("saturating: negative doses saturate symmetrically") {
    const sdk::effect_model_info& model = test::load_model("saturating");
    test::node_case c(2);
    c.parents = {{"competencies.demonstration_of_learning",
                  sdk::node_kind::secondary_driver,
                  1.0,
                  {-3.0, 3.0},
                  {0.0, 0.0},
                  {0.0, 0.0}}};
    c.foundations = {2.0, 2.0};
    c.parameters = test::default_parameters(model);
    const std::vector<double> out = c.run(model);
    // 2*tanh(-3/2) = 2*(-0.9051483) = -1.8102965, and +1.8102965 for the opposite dose
    CHECK(out[0] == Approx(-1.8102965));
    CHECK(out[1] == Approx(1.8102965));
}

TEST_CASE("saturating: a missing foundations block is rejected") {
    const sdk::effect_model_info& model = test::load_model("saturating");
    test::node_case c = gated_case(model);
    c.foundations.clear();
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("foundations is missing"));
}
