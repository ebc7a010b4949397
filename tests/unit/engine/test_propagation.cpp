// The engine on a model small enough to compute by hand: one secondary driver D (with its primary
// driver P), a student outcome O and achievement A, in one school of two cells.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <memory>

#include "../support/engine_fixture.hpp"
#include "engine/projection.hpp"
#include "stats/summary.hpp"

namespace {

using namespace pathways;

using test::tiny_model;

// The two alignment conditions of the DPS model, each with a moderator edge into D that carries
// the ramp speed of a fully misaligned district.
model_definition with_alignment_moderators(model_definition m, double misaligned_floor) {
    for (const char* id : {"district.accountability_flexibility", "district.central_office_alignment"}) {
        m.nodes.push_back({id, id, node_kind::condition, "0-1", "", "", "", {}});
        m.nodes.back().roles = {"alignment"};
        m.edges.push_back(test::make_edge(id, "p.d", edge_role::moderator, misaligned_floor));
    }
    return m;
}

// Two foundational practices gating D through moderator edges of the given weights.
model_definition with_foundation_moderators(model_definition m, double weight_a, double weight_b) {
    m.nodes.push_back({"foundational.a", "Fa", node_kind::foundational_practice, "level 0-3", "", "", "", {}});
    m.nodes.push_back({"foundational.b", "Fb", node_kind::foundational_practice, "level 0-3", "", "", "", {}});
    m.edges.push_back(test::make_edge("foundational.a", "p.d", edge_role::moderator, weight_a));
    m.edges.push_back(test::make_edge("foundational.b", "p.d", edge_role::moderator, weight_b));
    return m;
}

struct fixture : test::engine_fixture {
    explicit fixture(model_definition model = tiny_model()) : engine_fixture(std::move(model)) {
        // White +0.4 before re-centring: mean = (30·0.4)/40 = 0.3, so white 0.1 and hispanic -0.3.
        district.baselines = {{"academic.achievement.math", std::nullopt, {{"race:white", 0.4}}, "test", "A"}};
    }

    /// A simulation of the fixture under `model` (which must outlive it), built without problems.
    std::unique_ptr<simulation> simulate(const model_handle& model) {
        diagnostics problems;
        auto sim =
            std::make_unique<simulation>(simulation_inputs{graph, district, schools, cells, spec, model}, problems);
        REQUIRE_FALSE(problems.has_errors());
        return sim;
    }

    draw_result run(const std::string& model) {
        diagnostics problems;
        const model_handle* handle = registry.find(model);
        REQUIRE(handle != nullptr);
        const simulation sim({graph, district, schools, cells, spec, *handle}, problems);
        REQUIRE_FALSE(problems.has_errors());
        draw_result result;
        sim.run(sim.central_parameters(), result);
        return result;
    }
};

// Levels of D by year under a logistic ramp (half-way at year 2) to target 3 from 1.
std::vector<double> driver_levels_by_year(fixture& f) {
    f.spec.plan.ramp = {false, 2.0, 3.5};
    f.spec.years = 4;
    diagnostics problems;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, *f.registry.find("linear")}, problems);
    REQUIRE_FALSE(problems.has_errors());
    const auto& driven = sim.schedule().driven_nodes();
    const auto d = std::find_if(driven.begin(), driven.end(),
                                [&](std::size_t n) { return f.graph.definition().nodes[n].id == "p.d"; });
    REQUIRE(d != driven.end());
    const draw_parameters central = sim.central_parameters();
    implementation_schedule::result plan;
    sim.schedule().compute({2.0, 3.5, 0.85, std::nullopt, central.edge_weights}, false, plan);
    std::vector<double> levels;
    for (int year = 0; year < f.spec.years; ++year)
        levels.push_back(sim.schedule().level(plan, year, 0, static_cast<std::size_t>(d - driven.begin())));
    return levels;
}

// levels[(year * subgroups + g) * outcomes + o], subgroups {all, white, hispanic}, outcomes {o, A}.
double level(const run_aggregates& r, int year, int group, int outcome) {
    return r.levels[static_cast<std::size_t>((year * 3 + group) * 2 + outcome)];
}

}  // namespace

TEST_CASE("linear propagation through the graph is exact", "[engine]") {
    fixture f;
    const draw_result r = f.run("linear");
    // D moves 1 → 3 at once (instant ramp): O = 0 + 0.5·2 = 1.0 in every cell.
    // A, an achievement node, gains 0.2·1.0 a year: after year y (0-based) white 0.1 + 0.2·(y + 1), hispanic
    // -0.3 + 0.2·(y + 1), all the student-weighted mean (30 white, 10 hispanic): -0.0 + 0.2·(y + 1).
    for (int year = 0; year < 2; ++year) {
        const double gain = 0.2 * (year + 1);
        CHECK(level(r.scenario, year, 0, 0) == Approx(1.0).margin(1e-12));
        CHECK(level(r.scenario, year, 1, 1) == Approx(0.1 + gain).margin(1e-12));
        CHECK(level(r.scenario, year, 2, 1) == Approx(-0.3 + gain).margin(1e-12));
        CHECK(level(r.scenario, year, 0, 1) == Approx((0.1 * 30 - 0.3 * 10) / 40 + gain).margin(1e-12));
        // Business as usual keeps D at 1: nothing moves from baseline.
        CHECK(level(r.business_as_usual, year, 0, 0) == Approx(0.0).margin(1e-12));
        CHECK(level(r.business_as_usual, year, 1, 1) == Approx(0.1).margin(1e-12));
        CHECK(level(r.business_as_usual, year, 2, 1) == Approx(-0.3).margin(1e-12));
    }
    CHECK(r.scenario.pl_schools == std::vector<double>{1.0, 1.0});
}

TEST_CASE("evidence model accumulates achievement year over year", "[engine]") {
    fixture f;
    const draw_result r = f.run("evidence");
    // Full implementation (f = (3-1)/(3-1) = 1) adds E_math = 0.08 SD a year: after year 1 white is
    // 0.1 + 0.08 = 0.18, after year 2 0.1 + 0.16 = 0.26; hispanic -0.3 + 0.08 and -0.3 + 0.16.
    CHECK(level(r.scenario, 0, 1, 1) == Approx(0.18).margin(1e-12));
    CHECK(level(r.scenario, 1, 1, 1) == Approx(0.26).margin(1e-12));
    CHECK(level(r.scenario, 0, 2, 1) == Approx(-0.22).margin(1e-12));
    CHECK(level(r.scenario, 1, 2, 1) == Approx(-0.14).margin(1e-12));
    CHECK(level(r.business_as_usual, 1, 1, 1) == Approx(0.1).margin(1e-12));
}

TEST_CASE("a logistic ramp reaches half its target at years_to_half", "[engine]") {
    fixture f;
    f.spec.plan.ramp = {false, 2.0, 3.5};
    f.spec.plan.conditions = {{"accountability_flexibility", 1.0}, {"central_office_alignment", 1.0}};
    f.spec.years = 4;
    diagnostics problems;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, *f.registry.find("linear")}, problems);
    implementation_schedule::result plan;
    const draw_parameters central = sim.central_parameters();
    sim.schedule().compute({2.0, 3.5, 0.85, std::nullopt, central.edge_weights}, false, plan);
    // Aligned district (speed 1) and no foundational practices in this model (gate 1): after 2
    // years progress is exactly one half of the way from 1 to 3, so D = 2.
    const std::size_t d = 1;  // driven nodes in model order: p.d is the only plan-driven node
    REQUIRE(sim.schedule().driven_nodes().size() == d);
    const implementation_schedule& schedule = sim.schedule();
    CHECK(schedule.level(plan, 1, 0, 0) == Approx(2.0).margin(1e-12));
    CHECK(schedule.level(plan, 0, 0, 0) > 1.0);
    CHECK(schedule.level(plan, 0, 0, 0) < 2.0);
    CHECK(schedule.level(plan, 3, 0, 0) > 2.0);
}

TEST_CASE("a misaligned district ramps at the floor its moderator edges carry", "[engine]") {
    // Speed = floor + (1 - floor) · alignment. At speed s the driver is half-way (D = 2) when
    // s · years = 2: after 4 years at s = 0.5, after 2 years at s = 1.
    auto half_way_year = [](double floor, double alignment) {
        fixture f(with_alignment_moderators(tiny_model(), floor));
        f.spec.plan.conditions = {{"accountability_flexibility", alignment}, {"central_office_alignment", alignment}};
        const std::vector<double> levels = driver_levels_by_year(f);
        for (std::size_t y = 0; y < levels.size(); ++y) {
            if (std::abs(levels[y] - 2.0) < 1e-12) return static_cast<int>(y) + 1;
        }
        return -1;
    };
    CHECK(half_way_year(0.5, 0.0) == 4);
    CHECK(half_way_year(0.5, 1.0) == 2);
    CHECK(half_way_year(1.0, 0.0) == 2);  // a floor of 1: alignment does not matter
}

TEST_CASE("foundational practices gate the drivers in proportion to their moderator weights", "[engine]") {
    // Practices held at a = 0.5 and b = 2.5; D ramps from 1 to 3 in an aligned district.
    auto levels_with = [](double weight_a, double weight_b) {
        fixture f(with_foundation_moderators(tiny_model(), weight_a, weight_b));
        f.spec.plan.conditions = {{"accountability_flexibility", 1.0}, {"central_office_alignment", 1.0}};
        f.district.starting_levels = {{"*", 1.0, {}}, {"foundational.a", 0.5, {}}, {"foundational.b", 2.5, {}}};
        f.spec.plan.waves.front().targets = {{"p.*", 3.0, {}}};
        return driver_levels_by_year(f);
    };
    // Weights 3:1 give a gate of (0.75·0.5 + 0.25·2.5) / 1.5 = 2/3: half-way after 3 years.
    const std::vector<double> slowed = levels_with(0.75, 0.25);
    CHECK(slowed[2] == Approx(2.0).margin(1e-12));
    // Weights 1:3 give (0.25·0.5 + 0.75·2.5) / 1.5 = 4/3, capped at 1: half-way after 2 years.
    const std::vector<double> ungated = levels_with(0.25, 0.75);
    CHECK(ungated[1] == Approx(2.0).margin(1e-12));
}

TEST_CASE("the same seed gives the same draw, any order", "[engine]") {
    fixture f;
    diagnostics problems;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, *f.registry.find("subgroup")}, problems);
    const draw_parameters a = sim.sample_parameters(7, 3);
    const draw_parameters b = sim.sample_parameters(7, 3);
    const draw_parameters c = sim.sample_parameters(7, 4);
    CHECK(a.model_parameters == b.model_parameters);
    CHECK(a.school_doses == b.school_doses);
    CHECK(a.model_parameters != c.model_parameters);
}

TEST_CASE("small groups are suppressed, and so is the next smallest of their partition", "[engine][privacy]") {
    fixture f;
    diagnostics problems;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, *f.registry.find("linear")}, problems);
    projection_options options;
    options.min_n = 16;
    const auto rows = describe_rows(sim, f.spec, options);
    auto hidden = [&](const std::string& group) {
        bool any = false;
        bool all = true;
        for (const metric_row& row : rows) {
            if (sim.subgroups()[row.subgroup].group.name != group) continue;
            any = true;
            all = all && row.suppressed;
        }
        REQUIRE(any);
        return all;
    };
    // Hispanic: 10 students < 16, suppressed. White (30) is the only other reported race: without
    // complementary suppression its value and the total would give the Hispanic value away.
    CHECK(hidden("race:hispanic"));
    CHECK(hidden("race:white"));
    CHECK_FALSE(hidden("all"));

    options.suppress = false;
    for (const metric_row& row : describe_rows(sim, f.spec, options)) CHECK_FALSE(row.suppressed);
}

TEST_CASE("a paired difference is draw by draw, and a difference within rounding is a tie", "[engine]") {
    // One row, three draws: 1.0 − 0.5; (0.1 + 0.2) − 0.3, which is 5.6e-17 in doubles, the residue of
    // two sums in different orders, so a tie; and 5 − 5.
    projection_draws plan;
    plan.rows.resize(1);
    plan.draws = 3;
    plan.values = {1.0, 0.1 + 0.2, 5.0};
    projection_draws base = plan;
    base.values = {0.5, 0.3, 5.0};
    REQUIRE((0.1 + 0.2) - 0.3 != 0.0);
    const projection_draws difference = paired_difference(plan, base);
    CHECK(difference.values == std::vector<double>{0.5, 0.0, 0.0});
    CHECK(stats::difference_or_tie(1.0 + 1e-9, 1.0) == Approx(1e-9).epsilon(1e-6));  // real, however small
    CHECK(stats::difference_or_tie(-0.25, 0.0) == -0.25);
    CHECK(stats::difference_or_tie(0.0, 0.0) == 0.0);

    base.draws = 2;
    CHECK_THROWS_AS(paired_difference(plan, base), std::invalid_argument);
}

TEST_CASE("years to close a gap at its pace so far, by hand", "[engine][gaps]") {
    // 0.4 SD narrowed to 0.3 in 2 years: 0.05 a year, so 0.4 / 0.05 = 8 years from the start.
    CHECK(years_to_close(0.4, 0.3, 2) == Approx(8.0).epsilon(1e-12));
    // Closed past zero in 3 years (0.5 a year): 0.6 / 0.5 = 1.2 years.
    CHECK(years_to_close(0.6, -0.9, 3) == Approx(1.2).epsilon(1e-12));
    // Not narrowing: it does not close at this pace, so there is no number (no cap, no stand-in).
    CHECK_FALSE(years_to_close(0.4, 0.4, 5).has_value());
    CHECK_FALSE(years_to_close(0.4, 0.5, 5).has_value());
    // The focal group starts level or ahead.
    CHECK(years_to_close(0.0, 0.1, 2) == 0.0);
    CHECK(years_to_close(-0.2, -0.1, 2) == 0.0);
}

TEST_CASE("years to close are reported for each gap in the final year only", "[engine][gaps]") {
    fixture f;
    f.spec.report.reference_groups = {{"race:hispanic", "race:white"}};
    diagnostics problems;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, *f.registry.find("subgroup")}, problems);
    REQUIRE_FALSE(problems.has_errors());
    projection_options options;
    options.draws = 0;
    options.min_n = 1;
    const projection_result result = summarize_draws(run_draws(sim, f.spec, options));
    std::vector<int> years;
    for (std::size_t i = 0; i < result.rows.size(); ++i) {
        if (result.rows[i].metric != metric::gap_years_to_close) continue;
        years.push_back(result.rows[i].year);
        // Hispanic students gain 1.05 times what white students gain under the subgroup model's
        // defaults, so the 0.4 SD gap narrows, slowly: the value is the hand formula on the engine's gap.
        double gap = 0.0;
        for (std::size_t j = 0; j < result.rows.size(); ++j) {
            const metric_row& r = result.rows[j];
            if (r.metric == metric::gap_sd && r.year == result.rows[i].year && r.subgroup == result.rows[i].subgroup &&
                r.outcome == result.rows[i].outcome) {
                gap = result.summaries[j].mean;
            }
        }
        CHECK(gap < 0.4);
        CHECK(result.summaries[i].mean == Approx(years_to_close(0.4, gap, 2).value()).epsilon(1e-9));
    }
    CHECK(years == std::vector<int>{1});  // one gap (hispanic vs white) of one academic outcome, final year
}

namespace {

// Against the at-rest contract wherever its "drift" parameter is not 0: each year adds the draw's
// drift to last year's value, whether or not anything moved.
void drifting_evaluate(const sdk::evaluation& e) {
    for (std::size_t d = 0; d < e.draw_count; ++d) {
        const double drift = e.parameter(0)[d];
        const double* previous = e.previous.row(d);
        double* out = e.out.row(d);
        for (std::size_t i = 0; i < e.cell_count; ++i) out[i] = previous[i] + drift;
    }
}

/// The drifting model, made in the test itself, with its drift's default and prior.
model_handle drifting_model(double default_drift, sdk::prior prior) {
    model_handle drifting;
    drifting.name = "drifting";
    drifting.file = "/nowhere/libpathways_drifting.so";
    drifting.evaluate = &drifting_evaluate;
    parameter_info drift;
    drift.name = "drift";
    drift.default_value = default_drift;
    drift.min = -1.0;
    drift.max = 1.0;
    drift.uncertainty = prior;
    drifting.parameters = {drift};
    return drifting;
}

}  // namespace

TEST_CASE("business as usual at rest is the baseline in every draw, to the bit", "[engine]") {
    for (const char* model : {"linear", "lagged", "saturating", "evidence", "subgroup"}) {
        INFO(model);
        fixture f;
        diagnostics problems;
        const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, *f.registry.find(model)}, problems);
        REQUIRE_FALSE(problems.has_errors());
        CHECK(sim.business_as_usual_at_rest());
        std::vector<run_aggregates> business_as_usual;
        for (std::uint64_t draw = 0; draw < 3; ++draw) {
            draw_result r;
            sim.run(sim.sample_parameters(7, draw), r);
            // Nothing moves without the plan: O stays at 0, A at its re-centred baseline.
            CHECK(level(r.business_as_usual, 1, 0, 0) == 0.0);
            CHECK(level(r.business_as_usual, 1, 1, 1) == Approx(0.1).margin(1e-15));
            CHECK(level(r.business_as_usual, 1, 2, 1) == Approx(-0.3).margin(1e-15));
            business_as_usual.push_back(r.business_as_usual);
        }
        CHECK(business_as_usual[1].levels == business_as_usual[0].levels);
        CHECK(business_as_usual[2].proficient == business_as_usual[0].proficient);
    }
}

TEST_CASE("a model that moves a node at rest has business as usual run in every draw", "[engine]") {
    fixture f;
    const model_handle drifting = drifting_model(0.05, {sdk::prior_kind::fixed, 0.05, 0.0, 0.0, 0.0});
    const auto simulated = f.simulate(drifting);
    const simulation& sim = *simulated;
    CHECK_FALSE(sim.business_as_usual_at_rest());
    draw_parameters doubled = sim.central_parameters();
    doubled.model_parameters.front() *= 2.0;
    draw_result central;
    draw_result with_doubled_drift;
    sim.run(sim.central_parameters(), central);
    sim.run(doubled, with_doubled_drift);
    // O starts at 0 and drifts 0.05 a year: 0.05, 0.10; with the drift doubled 0.10, 0.20.
    CHECK(level(central.business_as_usual, 0, 0, 0) == Approx(0.05).margin(1e-12));
    CHECK(level(central.business_as_usual, 1, 0, 0) == Approx(0.10).margin(1e-12));
    CHECK(level(with_doubled_drift.business_as_usual, 0, 0, 0) == Approx(0.10).margin(1e-12));
    CHECK(level(with_doubled_drift.business_as_usual, 1, 0, 0) == Approx(0.20).margin(1e-12));
}

TEST_CASE("a model at rest only at its default parameters has business as usual run in every draw", "[engine]") {
    fixture f;
    const model_handle drifting = drifting_model(0.0, {sdk::prior_kind::normal, 0.0, 0.1, 0.0, 0.0});
    const auto simulated = f.simulate(drifting);
    const simulation& sim = *simulated;
    CHECK_FALSE(sim.business_as_usual_at_rest());
    const draw_parameters drawn = sim.sample_parameters(11, 3);
    REQUIRE(drawn.model_parameters.front() != 0.0);
    draw_result r;
    sim.run(drawn, r);
    // O starts at 0 and gains the draw's drift each year.
    CHECK(level(r.business_as_usual, 1, 0, 0) == Approx(2.0 * drawn.model_parameters.front()).margin(1e-12));
}
