// Calibration: solving a knob for a target effect, by hand on functions and on the tiny district.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "../support/engine_fixture.hpp"
#include "engine/calibration.hpp"

using namespace pathways;

namespace {

/// `f`, remembering the smallest and largest argument it was called with.
struct watched {
    std::function<double(double)> f;
    double lowest = std::numeric_limits<double>::max();
    double highest = std::numeric_limits<double>::lowest();
    double operator()(double x) {
        lowest = std::min(lowest, x);
        highest = std::max(highest, x);
        return f(x);
    }
};

std::size_t index_of(const simulation& sim, const std::string& subgroup, const std::string& outcome, std::size_t& o) {
    const auto& groups = sim.subgroups();
    const auto g = std::find_if(groups.begin(), groups.end(),
                                [&](const reported_subgroup& s) { return s.group.name == subgroup; });
    const auto& outcomes = sim.outcomes();
    o = static_cast<std::size_t>(
        std::find_if(outcomes.begin(), outcomes.end(), [&](const reported_outcome& r) { return r.id == outcome; }) -
        outcomes.begin());
    return static_cast<std::size_t>(g - groups.begin());
}

}  // namespace

TEST_CASE("solve_knob finds the root of monotone functions inside the declared range", "[calibration]") {
    watched cube{[](double x) { return x * x * x; }};
    const knob_search rising = solve_knob(std::ref(cube), 1.0, -1.0, 2.0);
    REQUIRE(rising.solution);
    CHECK(rising.solution->value == Approx(1.0).epsilon(1e-12));
    CHECK(std::abs(rising.solution->achieved - 1.0) <= 1e-12);
    CHECK(rising.at_lower == -1.0);
    CHECK(rising.at_upper == 8.0);
    CHECK(cube.lowest >= -1.0);
    CHECK(cube.highest <= 2.0);

    const knob_search falling = solve_knob([](double x) { return 0.5 - x; }, -0.25, 0.0, 3.0);
    REQUIRE(falling.solution);
    CHECK(falling.solution->value == Approx(0.75).epsilon(1e-12));

    // A root at an end of the range is found there, with only the two end runs.
    const knob_search at_end = solve_knob([](double x) { return 2.0 * x; }, 0.0, 0.0, 1.0);
    REQUIRE(at_end.solution);
    CHECK(at_end.solution->value == 0.0);
    CHECK(at_end.solution->evaluations == 2);
}

TEST_CASE("solve_knob reports the ends when the target is out of reach or the knob does nothing", "[calibration]") {
    const knob_search unreachable = solve_knob([](double x) { return 0.2 * x; }, 1.0, 0.0, 3.0);
    CHECK_FALSE(unreachable.solution);
    CHECK(unreachable.at_lower == 0.0);
    CHECK(unreachable.at_upper == Approx(0.6));
    const knob_search flat = solve_knob([](double) { return 0.1; }, 0.2, 0.0, 3.0);
    CHECK_FALSE(flat.solution);
    CHECK(flat.at_lower == 0.1);
    CHECK(flat.at_upper == 0.1);
}

TEST_CASE("calibrating the linear model on the tiny district recovers the hand-computed scale", "[calibration]") {
    test::engine_fixture f;
    const model_handle& linear = *f.registry.find("linear");
    REQUIRE(linear.calibration_parameter == "scale");
    diagnostics problems;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, linear}, problems);
    REQUIRE_FALSE(problems.has_errors());
    std::size_t outcome = 0;
    const std::size_t all = index_of(sim, "all", "academic.achievement.math", outcome);
    const central_effect effect(sim, *linear.parameter_index("scale"), all, outcome);
    // D moves 1 → 3; linear scales every node's change by s: O moves s·0.5·2 = s, and A, an achievement
    // node, gains s·0.2·s = 0.2·s² a year, 0.4·s² over the fixture's two years.
    CHECK(effect(1.0) == Approx(0.4).margin(1e-12));
    CHECK(effect(2.0) == Approx(1.6).margin(1e-12));
    // 0.4·s² = 0.09 → s = sqrt(0.225).
    const knob_search search = solve_knob(effect, 0.09, 0.0, 3.0);
    REQUIRE(search.solution);
    CHECK(search.solution->value == Approx(std::sqrt(0.225)).epsilon(1e-10));
    CHECK(search.solution->achieved == Approx(0.09).margin(1e-12));
    CHECK(search.at_upper == Approx(0.4 * 9.0).margin(1e-12));
}

TEST_CASE("calibrating the evidence model recovers the annual effect behind a two-year anchor", "[calibration]") {
    test::engine_fixture f;
    const model_handle& evidence = *f.registry.find("evidence");
    diagnostics problems;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, evidence}, problems);
    REQUIRE_FALSE(problems.has_errors());
    std::size_t outcome = 0;
    const std::size_t all = index_of(sim, "all", "academic.achievement.math", outcome);
    const central_effect effect(sim, *evidence.parameter_index("effect.math"), all, outcome);
    // Full implementation from the first year adds effect.math each year: two years give 2·effect.math.
    const knob_search search = solve_knob(effect, 0.27, -0.10, 0.40);
    REQUIRE(search.solution);
    CHECK(search.solution->value == Approx(0.135).epsilon(1e-10));
}
