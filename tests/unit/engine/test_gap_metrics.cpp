// Gap and goal metrics by hand: the derived opportunity-gap goal, years to close a gap that does not
// narrow, the missing-baseline error, and the two projections (sustained, with the cut risk).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

#include "../support/engine_fixture.hpp"
#include "engine/projection.hpp"
#include "report/projection_writer.hpp"
#include "scenario/results_reader.hpp"

namespace {

using namespace pathways;

// The tiny model plus ELA (O → ELA 0.1) and a derived gap goal G = ½ math gap + ½ ELA gap.
model_definition model_with_gap_goal() {
    model_definition m = test::tiny_model();
    m.nodes.push_back({"academic.achievement.ela", "E", node_kind::academic_outcome, "SD", "", "", "", {}});
    model_node goal{"goal.gaps", "G", node_kind::goal, "SD", "", "", "", {}};
    goal.derived = derived_metric::subgroup_gap;
    m.nodes.push_back(goal);
    m.edges.push_back(test::make_edge("o", "academic.achievement.ela", edge_role::effect, 0.1));
    m.edges.push_back(test::make_edge("academic.achievement.math", "goal.gaps", edge_role::effect, 0.5));
    m.edges.push_back(test::make_edge("academic.achievement.ela", "goal.gaps", edge_role::effect, 0.5));
    return m;
}

// Hispanic students (cell 0) in school s2, white students (cell 1) in s1; the plan reaches one school.
// Baselines (re-centred on the district mean): math white +0.1, hispanic −0.3 (gap 0.4); ELA white
// +0.2, hispanic −0.6 (gap 0.8). The goal's baseline gap is ½·0.4 + ½·0.8 = 0.6.
struct gap_fixture : test::engine_fixture {
    explicit gap_fixture(const std::string& school_in_plan) : engine_fixture(model_with_gap_goal()) {
        school second;
        second.id = "s2";
        second.enrollment = 10;
        schools.push_back(second);
        cells.school = {1, 0};
        spec.plan.waves.front().schools.ids = {school_in_plan};
        district.baselines = {{"academic.achievement.math", std::nullopt, {{"race:white", 0.4}}, "test", "A"},
                              {"academic.achievement.ela", std::nullopt, {{"race:white", 0.8}}, "test", "A"}};
        spec.report.outcomes = {"goal.gaps"};
        spec.report.reference_groups = {{"race:hispanic", "race:white"}};
    }

    projection_result central(const simulation& sim, bool sustained = false) {
        projection_options options;
        options.min_n = 1;
        options.sustained_course = sustained;
        return summarize_draws(run_draws(sim, spec, options));
    }
};

const model_handle& linear(const test::engine_fixture& f) {
    const model_handle* handle = f.registry.find("linear");
    REQUIRE(handle != nullptr);
    return *handle;
}

/// The final-year summary of a row of the hispanic group, or fails.
const stats::summary& final_value(const projection_result& result, const simulation& sim, const std::string& outcome,
                                  metric m, plan_course course = plan_course::with_cut_risk) {
    for (std::size_t i = 0; i < result.rows.size(); ++i) {
        const metric_row& row = result.rows[i];
        if (row.year + 1 == sim.years() && sim.outcomes()[row.outcome].id == outcome && row.metric == m &&
            row.course == course && sim.subgroups()[row.subgroup].group.name == "race:hispanic") {
            return result.summaries[i];
        }
    }
    FAIL("no row " << outcome << " " << to_string(m));
    throw;
}

}  // namespace

TEST_CASE("the opportunity-gap goal is the mean of the subject gaps and grows when a gap widens", "[engine][gaps]") {
    gap_fixture f("s1");  // only the white students' school: O = 1 there, so math +0.2 and ELA +0.1 for white students
    diagnostics problems;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, linear(f)}, problems);
    REQUIRE_FALSE(problems.has_errors());
    // The goal pulls its subjects into the report, and has no level of its own.
    REQUIRE(sim.outcomes().size() == 3);
    CHECK(sim.outcomes()[0].derived_gap());
    const projection_result result = f.central(sim);
    for (const metric_row& row : result.rows) {
        if (row.outcome == 0) CHECK(row.reference == "race:white");
    }
    // Math, an achievement node, gains 0.2 a year: its gap 0.4 → 0.8 in two years; ELA, a level, 0.8 → 0.9: the
    // goal's gap 0.6 → ½·0.8 + ½·0.9 = 0.85; unchanged (0.6) without the plan.
    CHECK(final_value(result, sim, "goal.gaps", metric::gap_sd).mean == Approx(0.85).margin(1e-12));
    CHECK(final_value(result, sim, "goal.gaps", metric::gap_sd_bau, plan_course::none).mean ==
          Approx(0.6).margin(1e-12));
    CHECK(final_value(result, sim, "goal.gaps", metric::gap_closed_pct).mean == Approx(-25.0 / 0.6).margin(1e-9));
    CHECK(final_value(result, sim, "goal.gaps", metric::gap_narrows).mean == 0.0);
    // A widening gap has no years to close: undefined, never a stand-in number.
    const stats::summary& years = final_value(result, sim, "goal.gaps", metric::gap_years_to_close);
    CHECK(std::isnan(years.mean));
    CHECK(std::isnan(years.p50));
}

TEST_CASE("a narrowing opportunity gap closes at its pace, by hand", "[engine][gaps]") {
    gap_fixture f("s2");  // only the hispanic students' school
    diagnostics problems;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, linear(f)}, problems);
    REQUIRE_FALSE(problems.has_errors());
    const projection_result result = f.central(sim);
    // Math gap 0.4 → 0.0 (0.2 a year), ELA 0.8 → 0.7: the goal's gap 0.6 → 0.35 in 2 years, 0.125 a year:
    // 0.6 / 0.125 = 4.8 years.
    CHECK(final_value(result, sim, "goal.gaps", metric::gap_sd).mean == Approx(0.35).margin(1e-12));
    CHECK(final_value(result, sim, "goal.gaps", metric::gap_narrows).mean == 1.0);
    CHECK(final_value(result, sim, "goal.gaps", metric::gap_years_to_close).mean == Approx(4.8).margin(1e-9));
}

TEST_CASE("years to close a gap that does not narrow are empty in CSV, null in JSON and said in words",
          "[engine][gaps]") {
    gap_fixture f("s1");
    diagnostics problems;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, linear(f)}, problems);
    const projection_result result = f.central(sim);
    const table_context context{"tiny", "base", "linear", 2020, &sim, true};
    const std::string csv = projection_csv_rows(result, context);
    CHECK(csv.find("2021,race:hispanic,goal.gaps,gap_years_to_close,with_cut_risk,race:white,,,,,,,10,0\n") !=
          std::string::npos);
    const nlohmann::json json = nlohmann::json::parse(projection_json(result, context));
    std::size_t undefined_rows = 0;
    for (const nlohmann::json& row : json["rows"]) {
        if (row["metric"] != "gap_years_to_close" || row["course"] != "with_cut_risk" || row["year"] != 2021 ||
            row["subgroup"] != "race:hispanic" || row["outcome"] != "goal.gaps") {
            continue;
        }
        CHECK(row["reference"] == "race:white");
        for (const char* key : {"mean", "sd", "p05", "p50", "p95", "prob_positive"}) CHECK(row[key].is_null());
        CHECK(row["n_students"] == 10);
        ++undefined_rows;
    }
    CHECK(undefined_rows == 1);
    CHECK(projection_summary(result, context).find("not closing at this pace") != std::string::npos);
    CHECK(years_to_close_text(std::nan("")) == "not closing at this pace");
    CHECK(years_to_close_text(8.0) == "closes about 8 years from the start at this pace");
    CHECK(years_to_close_text(100.0) == "closes about 100 years from the start at this pace");
    CHECK(years_to_close_text(19862.0) == "not closing within a century at this pace");
}

TEST_CASE("years to close over draws: never-closing draws rank last", "[engine][gaps]") {
    projection_draws draws;
    draws.rows = {metric_row{1, 0, 0, metric::gap_years_to_close, "w", 10, false, plan_course::with_cut_risk}};
    draws.draws = 5;
    const double never = std::nan("");
    draws.values = {4.0, never, 2.0, 8.0, never};
    // Sorted 2, 4, 8, never, never (type 7, h = 4p): p05 = 2 + 0.2·(4 − 2) = 2.4; p50 = the third, 8;
    // p95 (h = 3.8) lies among the never-closing draws; the mean is undefined when any draw never closes.
    stats::summary s = summarize_draws(draws).summaries.front();
    CHECK(s.p05 == Approx(2.4).epsilon(1e-12));
    CHECK(s.p50 == 8.0);
    CHECK(std::isnan(s.p95));
    CHECK(std::isnan(s.mean));
    CHECK(std::isnan(s.prob_positive));
    draws.draws = 2;
    draws.values = {2.0, 4.0};
    s = summarize_draws(draws).summaries.front();
    CHECK(s.mean == 3.0);
    CHECK(s.p95 == Approx(3.9).epsilon(1e-12));
    // The formula itself: no cap and no stand-in.
    CHECK(years_to_close(0.4, 0.3, 2) == Approx(8.0).epsilon(1e-12));
    CHECK_FALSE(years_to_close(0.4, 0.4, 5).has_value());
    CHECK_FALSE(years_to_close(0.4, 0.5, 5).has_value());
    CHECK(years_to_close(0.4, 0.399, 1) == Approx(400.0).epsilon(1e-9));
}

TEST_CASE("a gap on a profile without baseline offsets for its groups is an input error", "[engine][gaps][errors]") {
    gap_fixture f("s1");
    SECTION("offsets for another dimension only") {
        f.district.baselines = {{"academic.achievement.math", std::nullopt, {{"frl:yes", -0.5}}, "test", "A"},
                                {"academic.achievement.ela", std::nullopt, {{"race:white", 0.8}}, "test", "A"}};
    }
    SECTION("no baselines at all") { f.district.baselines.clear(); }
    diagnostics problems;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, linear(f)}, problems);
    REQUIRE_FALSE(problems.has_errors());
    try {
        f.central(sim);
        FAIL("expected an input error");
    } catch (const input_error& error) {
        REQUIRE(error.found().items().size() == 1);
        const diagnostic& d = error.found().items().front();
        CHECK(d.pointer == "/report/reference_groups/race:hispanic");
        CHECK(d.message.find("race:hispanic vs race:white gap needs baseline offsets for race") != std::string::npos);
        CHECK(d.message.find("academic.achievement.math") != std::string::npos);
    }
}

TEST_CASE("sustained and with-cut-risk projections on a plan cut for certain in its second year", "[engine][cut]") {
    test::engine_fixture f;
    f.district.baselines = {{"academic.achievement.math", std::nullopt, {{"race:white", 0.4}}, "test", "A"}};
    f.spec.years = 3;
    f.spec.plan.program_cut.annual_probability = 1.0;
    f.spec.plan.program_cut.protected_years = 1.0;  // at risk from 2021, so every draw is cut in 2021
    diagnostics problems;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, linear(f)}, problems);
    REQUIRE_FALSE(problems.has_errors());
    projection_options options;
    options.draws = 4;
    options.seed = 3;
    options.min_n = 1;
    options.sustained_course = true;
    const projection_result result = summarize_draws(run_draws(sim, f.spec, options));
    CHECK(result.cut.cut_draws == 4);
    CHECK(result.cut.first_year_at_risk == 2021);
    CHECK(result.cut.by_horizon == 1.0);
    auto effect = [&](int year, plan_course course) {
        for (std::size_t i = 0; i < result.rows.size(); ++i) {
            const metric_row& row = result.rows[i];
            if (row.year == year && row.subgroup == 0 &&
                sim.outcomes()[row.outcome].id == "academic.achievement.math" && row.metric == metric::effect &&
                row.course == course) {
                return result.summaries[i];
            }
        }
        FAIL("no effect row");
        throw;
    };
    // Sustained: D stays at 3, O = 0.5·2·m = m and math gains 0.2·m a year, m the draw's multiplier on the
    // school's dose: 0.2·m·(year + 1). Cut from 2021: the practices keep k = 2^(-1/h) of their change each
    // year (h the draw's years to half way), so O = m·k, then m·k²; math keeps the draw's persistence p of
    // last year's gain and adds 0.2·O: 0.2·m·(p + k) in 2021 and 0.2·m·(p² + p·k + k²) in 2022, never 0.
    double mean_multiplier = 0.0;
    double cut_year_mean = 0.0;
    double year_after_mean = 0.0;
    for (std::uint64_t d = 0; d < 4; ++d) {
        const draw_parameters p = sim.sample_parameters(3, d);
        const double m = p.school_doses[0];
        const double k = std::exp2(-1.0 / p.practices_years_to_half);
        const double kept = p.gain_persistence;
        mean_multiplier += m / 4.0;
        cut_year_mean += 0.2 * m * (kept + k) / 4.0;
        year_after_mean += 0.2 * m * (kept * kept + kept * k + k * k) / 4.0;
    }
    for (int year = 0; year < 3; ++year) {
        CHECK(effect(year, plan_course::sustained).mean == Approx(0.2 * mean_multiplier * (year + 1)).margin(1e-12));
    }
    CHECK(effect(0, plan_course::with_cut_risk).mean == Approx(0.2 * mean_multiplier).margin(1e-12));
    CHECK(effect(1, plan_course::with_cut_risk).mean == Approx(cut_year_mean).margin(1e-12));
    CHECK(effect(2, plan_course::with_cut_risk).mean == Approx(year_after_mean).margin(1e-12));
    CHECK(effect(2, plan_course::with_cut_risk).mean != 0.0);
    // Business-as-usual rows belong to neither projection and appear once.
    std::size_t bau_rows = 0;
    for (const metric_row& row : result.rows) {
        if (row.metric == metric::bau_level) {
            CHECK(row.course == plan_course::none);
            ++bau_rows;
        }
    }
    CHECK(bau_rows == 3 * 3 * 2);  // years × subgroups × outcomes
    // Paired comparisons use the with-cut-risk course only.
    const projection_draws comparable = comparable_rows(run_draws(sim, f.spec, options));
    for (const metric_row& row : comparable.rows) CHECK(row.course != plan_course::sustained);

    SECTION("both projections are read back from projection.json") {
        const table_context context{"tiny", "base", "linear", 2020, &sim, true};
        const std::string projection = "{\"runs\": [" + projection_json(result, context) + "]}";
        const std::string manifest = R"({"scenario": "tiny", "inputs": {"scenario": {"path": "tiny.json"}}})";
        diagnostics read_problems;
        const auto results = read_results_text(projection, manifest, "out", read_problems);
        REQUIRE(results);
        const result_run& run = results->runs.front();
        REQUIRE(run.cut_risk);
        CHECK(run.cut_risk->annual_probability == 1.0);
        CHECK(run.cut_risk->cut_draws == 4);
        REQUIRE(run.rows.size() == result.rows.size());
        for (std::size_t i = 0; i < run.rows.size(); ++i) {
            CHECK(run.rows[i].course == to_string(result.rows[i].course));
            CHECK(run.rows[i].metric == to_string(result.rows[i].metric));
        }
    }
}

TEST_CASE("a results file with an unknown course is refused", "[report][errors]") {
    const std::string projection = R"({"runs": [{"scenario": "s", "variant": "base", "model": "linear", "draws": 1,
        "rows": [{"year": 2017, "subgroup": "all", "outcome": "o", "metric": "effect", "course": "maybe", "reference": "",
                  "mean": 0.5, "sd": 0, "p05": 0.5, "p50": 0.5, "p95": 0.5, "prob_positive": 1, "n_students": 100,
                  "suppressed": false}]}]})";
    const std::string manifest = R"({"scenario": "s", "inputs": {"scenario": {"path": "a.json"}}})";
    diagnostics problems;
    CHECK_FALSE(read_results_text(projection, manifest, "out", problems));
    REQUIRE(problems.items().size() == 1);
    CHECK(problems.items()[0].pointer == "/runs/0/rows/0/course");
}
