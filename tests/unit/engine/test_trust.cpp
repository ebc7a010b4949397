// What makes the engine's numbers honest, on the hand-computable fixture: edges that act at some
// ages only, the between-school spread of PL's effect (which admits harm), and estimates for the
// students of the schools the plan has reached.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "../support/engine_fixture.hpp"
#include "engine/projection.hpp"

namespace {

using namespace pathways;

constexpr std::uint8_t middle_only = 1u << static_cast<unsigned>(sdk::grade_band::middle);

struct fixture : test::engine_fixture {
    using engine_fixture::engine_fixture;

    simulation make(diagnostics& problems, const std::string& model = "linear") {
        const model_handle* handle = registry.find(model);
        REQUIRE(handle != nullptr);
        return simulation({graph, district, schools, cells, spec, *handle}, problems);
    }
};

double level(const run_aggregates& run, const simulation& sim, int year, std::size_t group, std::size_t outcome) {
    return run
        .levels[(static_cast<std::size_t>(year) * sim.subgroups().size() + group) * sim.outcomes().size() + outcome];
}

// D moves 1 → 3, so O moves 0.5 × 2 = 1 in both cells; O → A acts in middle school only.
model_definition model_with_middle_school_edge() {
    model_definition m = test::tiny_model();
    m.edges.back().grade_bands = middle_only;
    return m;
}

}  // namespace

TEST_CASE("an edge restricted to grade bands moves only the cells of those bands") {
    fixture f(model_with_middle_school_edge());
    f.cells.grade_band = {static_cast<std::uint8_t>(sdk::grade_band::elementary),
                          static_cast<std::uint8_t>(sdk::grade_band::middle)};
    diagnostics problems;
    const simulation sim = f.make(problems);
    REQUIRE_FALSE(problems.has_errors());
    draw_result result;
    sim.run(sim.central_parameters(), result);
    // Subgroups all, race:white (the middle-school cell, 30 students), race:hispanic (elementary, 10).
    // Outcomes o, math. Math: elementary 0, middle 0.2 × 1 = 0.2; all = 30 · 0.2 / 40 = 0.15.
    CHECK(level(result.scenario, sim, 0, 0, 0) == Approx(1.0));
    CHECK(level(result.scenario, sim, 0, 1, 1) - level(result.business_as_usual, sim, 0, 1, 1) == Approx(0.2));
    CHECK(level(result.scenario, sim, 0, 2, 1) - level(result.business_as_usual, sim, 0, 2, 1) ==
          Approx(0.0).margin(1e-12));
    CHECK(level(result.scenario, sim, 0, 0, 1) - level(result.business_as_usual, sim, 0, 0, 1) == Approx(0.15));
}

TEST_CASE("the between-school spread scales each school's dose, in every effect model") {
    fixture f;
    diagnostics problems;
    const simulation sim = f.make(problems);
    REQUIRE_FALSE(problems.has_errors());

    SECTION("central values: every school's multiplier is 1") {
        CHECK(sim.central_parameters().school_doses == std::vector<double>{1.0});
    }
    SECTION("a school's multiplier m scales its whole effect: O = 0.5 × 2 × m, A = 0.2 × O") {
        draw_parameters p = sim.central_parameters();
        for (const double m : {-0.5, 0.0, 2.0}) {
            p.school_doses = {m};
            draw_result result;
            sim.run(p, result);
            CHECK(level(result.scenario, sim, 0, 0, 0) == Approx(1.0 * m).margin(1e-12));
            CHECK(level(result.scenario, sim, 0, 0, 1) - level(result.business_as_usual, sim, 0, 0, 1) ==
                  Approx(0.2 * m).margin(1e-12));
        }
    }
    SECTION("drawn multipliers have mean 1 and SD 0.10 / 0.09, so harm has real probability") {
        constexpr int draws = 20'000;
        std::vector<double> values;
        for (int d = 0; d < draws; ++d)
            values.push_back(sim.sample_parameters(7, static_cast<std::uint64_t>(d)).school_doses[0]);
        const double mean = std::accumulate(values.begin(), values.end(), 0.0) / draws;
        double variance = 0.0;
        for (const double v : values) variance += (v - mean) * (v - mean);
        const double sd = std::sqrt(variance / (draws - 1));
        const double expected_sd = 0.10 / 0.09;
        CHECK(mean == Approx(1.0).margin(4.0 * expected_sd / std::sqrt(draws)));
        CHECK(sd == Approx(expected_sd).epsilon(0.03));
        // P(m < 0) = Φ(−0.9) = 0.184 for a normal with mean 1 and SD 1.111.
        const auto harmful = std::count_if(values.begin(), values.end(), [](double v) { return v < 0.0; });
        CHECK(static_cast<double>(harmful) / draws == Approx(0.184).margin(0.012));
    }
}

TEST_CASE("pl:yes and pl:no follow the schools the plan has reached, year by year") {
    fixture f;
    school second;
    second.id = "s2";
    second.enrollment = 20;
    f.schools.push_back(second);
    f.cells.school = {0, 0, 1};
    f.cells.race.push_back(static_cast<std::uint8_t>(sdk::race::white));
    f.cells.ell.push_back(0);
    f.cells.frl.push_back(0);
    f.cells.sped.push_back(0);
    f.cells.grade_band.push_back(0);
    f.cells.students.push_back(20);
    // s1 from the first year, s2 from the second.
    f.spec.plan.waves.push_back(f.spec.plan.waves.front());
    f.spec.plan.waves.back().start_year = 2021;
    f.spec.plan.waves.back().schools.ids = {"s2"};
    f.spec.report.subgroups = {"all", "pl:yes", "pl:no", "pl:yes&race:white"};
    diagnostics problems;
    const simulation sim = f.make(problems);
    REQUIRE_FALSE(problems.has_errors());

    const auto& groups = sim.subgroups();
    CHECK(groups[1].students_in(0) == 40.0);
    CHECK(groups[2].students_in(0) == 20.0);
    CHECK(groups[1].students_in(1) == 60.0);
    CHECK(groups[2].students_in(1) == 0.0);
    CHECK(groups[3].students_in(0) == 30.0);
    CHECK(groups[3].students_in(1) == 50.0);

    draw_result result;
    sim.run(sim.central_parameters(), result);
    // Year 0: O moved by 1 in s1's 40 students, not in s2's 20: all 40/60, pl:yes 1, pl:no exactly 0.
    CHECK(level(result.scenario, sim, 0, 0, 0) == Approx(40.0 / 60.0));
    CHECK(level(result.scenario, sim, 0, 1, 0) == Approx(1.0));
    CHECK(level(result.scenario, sim, 0, 2, 0) == 0.0);

    SECTION("suppression counts the students behind each year's number") {
        projection_options options;
        options.min_n = 25;
        const std::vector<metric_row> rows = describe_rows(sim, f.spec, options);
        for (const metric_row& row : rows) {
            if (row.subgroup != 2) continue;
            // pl:no has 20 students in year 0 (suppressed, < 25) and none in year 1.
            CHECK(row.students == (row.year == 0 ? 20.0 : 0.0));
            CHECK(row.suppressed);
        }
    }
}

TEST_CASE("a secular trend moves both runs by the same amount, so it is never read as an effect") {
    fixture f;
    // Everyone +0.02 SD a year on math, white students +0.01 more: after two years white +0.06, Hispanic +0.04.
    f.district.trends = {{"academic.achievement.math", {{"all", 0.02}, {"race:white", 0.01}}, "test", "A"}};
    diagnostics problems;
    const simulation sim = f.make(problems);
    REQUIRE_FALSE(problems.has_errors());
    draw_result with_trend;
    sim.run(sim.central_parameters(), with_trend);

    fixture plain;
    const simulation reference = plain.make(problems);
    draw_result without_trend;
    reference.run(reference.central_parameters(), without_trend);

    // Subgroups all, race:white, race:hispanic; outcome 1 is math. Year 1 is the second year.
    const auto shift = [&](const run_aggregates& a, const run_aggregates& b, std::size_t group) {
        return level(a, sim, 1, group, 1) - level(b, reference, 1, group, 1);
    };
    CHECK(shift(with_trend.business_as_usual, without_trend.business_as_usual, 1) == Approx(0.06));
    CHECK(shift(with_trend.business_as_usual, without_trend.business_as_usual, 2) == Approx(0.04));
    CHECK(shift(with_trend.scenario, without_trend.scenario, 0) == Approx((30 * 0.06 + 10 * 0.04) / 40));
    const double effect_with =
        level(with_trend.scenario, sim, 1, 0, 1) - level(with_trend.business_as_usual, sim, 1, 0, 1);
    const double effect_without =
        level(without_trend.scenario, reference, 1, 0, 1) - level(without_trend.business_as_usual, reference, 1, 0, 1);
    CHECK(effect_with == Approx(effect_without).margin(1e-12));
}
