#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "plugin_harness.hpp"

using namespace pathways;

namespace {

// The defaults with the student ceiling at 2 SD and practice_scale at 1, the values the hand
// computations below are written for (the shipped defaults are 0.5 and a fitted knob).
std::vector<double> hand_parameters(const sdk::effect_model_info& model) {
    std::vector<double> values = test::default_parameters(model);
    test::set_parameter(values, model, "emax.student", 2.0);
    test::set_parameter(values, model, "practice_scale", 1.0);
    return values;
}

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
    c.parameters = hand_parameters(model);
    return c;
}

const sdk::parameter_spec& spec_of(const sdk::effect_model_info& model, std::string_view name) {
    return model.parameters[static_cast<std::size_t>(sdk::parameter_index(model.parameters, name))];
}

}  // namespace

TEST_CASE("saturating: the student ceiling defaults to 0.5 SD, drawn from a truncated normal on [0.25, 1]") {
    const sdk::effect_model_info& model = test::load_model("saturating");
    const sdk::parameter_spec& emax = spec_of(model, "emax.student");
    CHECK(emax.default_value == 0.5);
    CHECK(emax.min == 0.05);
    CHECK(emax.max == 4.0);
    CHECK(emax.uncertainty.kind == sdk::prior_kind::truncated_normal);
    CHECK(emax.uncertainty.a == 0.5);
    CHECK(emax.uncertainty.b == 0.15);
    CHECK(emax.uncertainty.lower == 0.25);
    CHECK(emax.uncertainty.upper == 1.0);
    CHECK(spec_of(model, "emax.academic").default_value == 0.25);

    test::node_case c(1);
    c.parents = {
        {"competencies.demonstration_of_learning", sdk::node_kind::secondary_driver, 1.0, {2.0}, {0.0}, {0.0}}};
    c.foundations = {3.0};
    c.parameters = hand_parameters(model);
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
    c.parameters = hand_parameters(model);
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
    c.parameters = hand_parameters(model);
    const std::vector<double> out = c.run(model);
    // 2*tanh(-3/2) = 2*(-0.9051483) = -1.8102965, and +1.8102965 for the opposite dose
    CHECK(out[0] == Approx(-1.8102965));
    CHECK(out[1] == Approx(1.8102965));
}

TEST_CASE("saturating: where no parent moved, every cell keeps its initial value, signed zeros included") {
    // The model skips the gate and tanh for such a row; the values must be the formula's:
    // initial + emax * tanh(+0 / emax) = initial + 0, so -0 becomes +0 and NaN stays NaN.
    const sdk::effect_model_info& model = test::load_model("saturating");
    test::node_case c(4);
    c.parents = {{"learner_paths.learner_profile_data",
                  sdk::node_kind::secondary_driver,
                  -1.0,
                  {1.5, 2.0, 0.8, 0.0},
                  {1.5, 2.0, 0.8, 0.0},
                  {1.5, 2.0, 0.8, 0.0}},
                 {"engagement.cognitive",
                  sdk::node_kind::student_outcome,
                  1.0,
                  {0.5, -0.2, 0.0, 0.0},
                  {0.5, -0.2, 0.0, 0.0},
                  {0.5, -0.2, 0.0, 0.0}}};
    c.initial = {0.1, -0.0, -2.5, std::numeric_limits<double>::quiet_NaN()};
    c.foundations = {0.0, 1.0, 3.0, 2.0};
    c.parameters = hand_parameters(model);
    const std::vector<double> out = c.run(model);
    CHECK(out[0] == 0.1);
    CHECK(std::bit_cast<std::uint64_t>(out[1]) == std::bit_cast<std::uint64_t>(0.0));
    CHECK(out[2] == -2.5);
    CHECK(std::isnan(out[3]));
}

TEST_CASE("saturating: a NaN foundation still poisons its cell where no driver moved") {
    // gate = NaN / 2 is NaN, and (1 - gate) * 0 is NaN: skipping the gate must not hide it.
    const sdk::effect_model_info& model = test::load_model("saturating");
    test::node_case c(2);
    c.parents = {{"learner_paths.learner_profile_data",
                  sdk::node_kind::secondary_driver,
                  1.0,
                  {1.0, 1.0},
                  {1.0, 1.0},
                  {1.0, 1.0}}};
    c.initial = {0.1, 0.2};
    c.foundations = {std::numeric_limits<double>::quiet_NaN(), 1.0};
    c.parameters = hand_parameters(model);
    const std::vector<double> out = c.run(model);
    CHECK(std::isnan(out[0]));
    CHECK(out[1] == 0.2);
}

TEST_CASE("saturating: every cell of a tile has the formula's bits, in chunks of 16 and in the remainder") {
    // 37 cells: two chunks whose sums stay in registers and a remainder of 5; a driver, a foundational
    // practice and a student outcome as parents; some cells at baseline, some gated, some saturated.
    const sdk::effect_model_info& model = test::load_model("saturating");
    constexpr std::size_t n = 37;
    test::node_case c(n);
    c.parents = {{"learner_paths.learner_profile_data", sdk::node_kind::secondary_driver, 0.7, {}, {}, {}},
                 {"foundations.culture", sdk::node_kind::foundational_practice, 0.4, {}, {}, {}},
                 {"engagement.cognitive", sdk::node_kind::student_outcome, 1.3, {}, {}, {}}};
    c.initial.assign(n, 0.0);
    c.foundations.assign(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        const double x = static_cast<double>(i);
        for (std::size_t p = 0; p < c.parents.size(); ++p) {
            c.parents[p].initial.push_back(0.1 * x);
            // every seventh cell at baseline in every parent
            c.parents[p].current.push_back(i % 7 == 0 ? 0.1 * x : 0.1 * x + 0.03 * x * static_cast<double>(p + 1));
        }
        c.initial[i] = -0.5 + 0.02 * x;
        c.foundations[i] = 0.1 * x;  // gates from 0 to 1, clamped above 2
    }
    for (test::parent_series& p : c.parents) p.previous = p.current;
    c.parameters = hand_parameters(model);
    const std::vector<double> out = c.run(model);
    // emax 2, foundation_full 2, practice_scale 1
    for (std::size_t i = 0; i < n; ++i) {
        const double driver = 0.0 + 0.7 * (c.parents[0].current[i] - c.parents[0].initial[i]);
        const double practice = driver + 0.4 * (c.parents[1].current[i] - c.parents[1].initial[i]);
        const double dose = practice + 1.3 * (c.parents[2].current[i] - c.parents[2].initial[i]);
        const double gate = std::clamp(c.foundations[i] / 2.0, 0.0, 1.0);
        const double gated = (dose - practice) + 1.0 * (practice - (1.0 - gate) * driver);
        const double expected = c.initial[i] + 2.0 * sdk::tanh_vectorisable(gated / 2.0);
        INFO("cell " << i);
        CHECK(std::bit_cast<std::uint64_t>(out[i]) == std::bit_cast<std::uint64_t>(expected));
    }
}

TEST_CASE("saturating: a missing foundations block is rejected") {
    const sdk::effect_model_info& model = test::load_model("saturating");
    test::node_case c = gated_case(model);
    c.foundations.clear();
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("foundations is missing"));
}

namespace {

// Distance in units in the last place between two finite doubles of the same sign.
std::int64_t ulps_apart(double a, double b) {
    const std::int64_t difference = std::bit_cast<std::int64_t>(a) - std::bit_cast<std::int64_t>(b);
    return difference < 0 ? -difference : difference;
}

// A loop the compiler vectorises (in its AVX2 clone) with a scalar tail, as in a model's evaluate.
PATHWAYS_VECTORISED void tanh_all(const double* x, double* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = sdk::tanh_vectorisable(x[i]);
}

}  // namespace

TEST_CASE("sdk::tanh_vectorisable: within 4 ulp of std::tanh from subnormal to saturated arguments") {
    // Magnitudes 2^-1074 .. 2^6 (past 19.1 tanh rounds to 1): 64 mantissas per binade, both signs.
    std::int64_t worst = 0;
    for (int exponent = -1074; exponent <= 6; ++exponent) {
        for (int m = 0; m < 64; ++m) {
            const double x = std::ldexp(1.0 + m / 64.0, exponent);
            worst = std::max(worst, ulps_apart(sdk::tanh_vectorisable(x), std::tanh(x)));
            worst = std::max(worst, ulps_apart(sdk::tanh_vectorisable(-x), std::tanh(-x)));
        }
    }
    CHECK(worst <= 4);
}

TEST_CASE("sdk::tanh_vectorisable: zeros, subnormals, saturation, infinities and NaN as std::tanh gives them") {
    CHECK(std::bit_cast<std::uint64_t>(sdk::tanh_vectorisable(0.0)) == std::bit_cast<std::uint64_t>(0.0));
    CHECK(std::bit_cast<std::uint64_t>(sdk::tanh_vectorisable(-0.0)) == std::bit_cast<std::uint64_t>(-0.0));
    const double smallest = std::numeric_limits<double>::denorm_min();
    CHECK(sdk::tanh_vectorisable(smallest) == smallest);  // tanh x = x - x^3/3: x itself below 1e-8
    CHECK(sdk::tanh_vectorisable(-1e-300) == -1e-300);
    CHECK(sdk::tanh_vectorisable(19.0) == std::tanh(19.0));  // 1 - 2^-53, the last value below 1
    CHECK(sdk::tanh_vectorisable(20.0) == 1.0);
    CHECK(sdk::tanh_vectorisable(-1e300) == -1.0);
    CHECK(sdk::tanh_vectorisable(std::numeric_limits<double>::infinity()) == 1.0);
    CHECK(sdk::tanh_vectorisable(-std::numeric_limits<double>::infinity()) == -1.0);
    CHECK(std::isnan(sdk::tanh_vectorisable(std::numeric_limits<double>::quiet_NaN())));
    // tanh(0.5) = 0.46211715726000974 (e^1 - 1)/(e^1 + 1)
    CHECK(sdk::tanh_vectorisable(0.5) == Approx(0.46211715726000974).epsilon(1e-15));
}

TEST_CASE("sdk::tanh_vectorisable: a value's bits do not depend on its position in a vectorised loop") {
    std::vector<double> x(37);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = (static_cast<double>(i) - 18.0) * 0.37;
    std::vector<double> whole(x.size());
    tanh_all(x.data(), whole.data(), x.size());
    for (std::size_t offset = 1; offset < 5; ++offset) {
        std::vector<double> shifted(x.size() - offset);
        tanh_all(x.data() + offset, shifted.data(), shifted.size());
        for (std::size_t i = 0; i < shifted.size(); ++i) {
            CHECK(std::bit_cast<std::uint64_t>(shifted[i]) == std::bit_cast<std::uint64_t>(whole[i + offset]));
        }
    }
}
