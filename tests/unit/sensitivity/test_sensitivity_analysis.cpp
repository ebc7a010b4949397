// Sensitivity of a linear model with two uncertain edge weights, where every index is known in
// closed form: two secondary drivers D1, D2 act on achievement A directly, so with the `linear`
// plugin the effect on A is Δ1·w1 + Δ2·w2 (Δk = how far the plan moves Dk).
#include <catch2/catch.hpp>

#include <cmath>

#include "../support/engine_fixture.hpp"
#include "engine/sensitivity_analysis.hpp"
#include "stats/random.hpp"

namespace {

using namespace pathways;

// w1 ~ Normal(0.3, 0.1), w2 ~ Normal(0.2, 0.04), independent.
constexpr double sd1 = 0.1;
constexpr double sd2 = 0.04;

model_definition two_driver_model() {
    model_definition m;
    m.id = "two-drivers";
    m.file = "two-drivers.json";
    m.nodes = {{"p", "P", node_kind::primary_driver, "level 0-3", "", "", "", {}},
               {"p.d1", "D1", node_kind::secondary_driver, "level 0-3", "p", "", "", {}},
               {"p.d2", "D2", node_kind::secondary_driver, "level 0-3", "p", "", "", {}},
               {"academic.achievement.math", "A", node_kind::academic_outcome, "SD", "", "", "", {}}};
    using test::make_edge;
    m.edges = {make_edge("p.d1", "p", edge_role::composition, 1.0), make_edge("p.d2", "p", edge_role::composition, 1.0),
               make_edge("p.d1", "academic.achievement.math", edge_role::effect, 0.3,
                         sdk::prior{sdk::prior_kind::normal, 0.3, sd1, 0, 0}),
               make_edge("p.d2", "academic.achievement.math", edge_role::effect, 0.2,
                         sdk::prior{sdk::prior_kind::normal, 0.2, sd2, 0, 0})};
    return m;
}

struct fixture : test::engine_fixture {
    fixture() : engine_fixture(two_driver_model()) {
        spec.file = "two-drivers-scenario.json";
        // Instant ramp and no fidelity loss: the edge weights are the only uncertain inputs.
        spec.plan.fidelity.decay_per_doubling = 1.0;
        // D1 moves 1 → 2 (Δ1 = 1), D2 moves 1 → 3 (Δ2 = 2).
        spec.plan.waves.front().targets = {{"p.d1", 2.0, {}}, {"p.d2", 3.0, {}}};
        spec.report.outcomes = {"academic.achievement.math"};
    }
};

struct prepared {
    fixture f;
    diagnostics problems;
    simulation sim;
    prepared() : sim({f.graph, f.district, f.schools, f.cells, f.spec, *f.registry.find("linear")}, problems) {
        REQUIRE_FALSE(problems.has_errors());
    }
};

sensitivity_target effect_on_a(const simulation& sim, const scenario& spec, int year = 1) {
    diagnostics found;
    const auto target =
        find_sensitivity_target(sim, spec, "academic.achievement.math", "all", 2020 + year, "effect", found);
    REQUIRE(target);
    return *target;
}

sensitivity_target effect_on_a(const prepared& p, int year = 1) { return effect_on_a(p.sim, p.f.spec, year); }

}  // namespace

TEST_CASE("the uncertain inputs are the two edges with priors, and set the draw", "[sensitivity]") {
    prepared p;
    const auto inputs = p.sim.uncertain_inputs();
    REQUIRE(inputs.size() == 2);
    CHECK(inputs[0].name == "edge:p.d1->academic.achievement.math");
    CHECK(inputs[1].name == "edge:p.d2->academic.achievement.math");
    CHECK(inputs[0].index == 2);
    CHECK(inputs[1].prior.b == sd2);

    const std::vector<double> values{0.5, -0.1};
    const draw_parameters parameters = p.sim.parameters_with(values);
    CHECK(parameters.edge_weights == std::vector<double>{1.0, 1.0, 0.5, -0.1});
    draw_result run;
    p.sim.run(parameters, run);
    // Effect on A = Δ1·w1 + Δ2·w2 = 1·0.5 + 2·(−0.1) = 0.3.
    CHECK(target_value(p.sim, effect_on_a(p), run) == Approx(0.3).margin(1e-12));

    CHECK_THROWS_AS(p.sim.parameters_with(std::vector<double>{0.5}), std::invalid_argument);
}

TEST_CASE("a ramp and fidelity that are drawn are inputs too", "[sensitivity]") {
    fixture f;
    f.spec.plan.ramp = {false, 2.0, 3.5};
    f.spec.plan.fidelity.decay_per_doubling = 0.85;
    diagnostics problems;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, *f.registry.find("linear")}, problems);
    const auto inputs = sim.uncertain_inputs();
    REQUIRE(inputs.size() == 4);
    CHECK(inputs[2].name == "implementation:years_to_half");
    // The ramp's shift of years_to_half, Normal(0, 0.5) truncated to [−1, 1.5], moved to years_to_half = 2.
    CHECK(inputs[2].prior.a == 2.0);
    CHECK(inputs[2].prior.lower == 1.0);
    CHECK(inputs[2].prior.upper == 3.5);
    CHECK(inputs[3].name == "implementation:decay_per_doubling");
    const draw_parameters parameters = sim.parameters_with(std::vector<double>{0.3, 0.2, 0.2, 0.9});
    CHECK(parameters.years_to_half == 0.5);  // floored at half a year, as when drawn
    CHECK(parameters.years_to_90 == 0.5 + 1.5);
    CHECK(parameters.decay_per_doubling == 0.9);
}

TEST_CASE("the school's own deviation is a group of the analysis, and scales the plan's change", "[sensitivity]") {
    prepared p;
    const auto groups = p.sim.uncertain_groups();
    REQUIRE(groups.size() == 1);  // no cut risk: the one school's deviation only
    CHECK(groups[0].name == "schools: between-school spread");
    CHECK(groups[0].applies_to == uncertain_group::target::school_deviations);
    REQUIRE(groups[0].priors.size() == 1);
    CHECK(groups[0].priors[0].a == 1.0);
    draw_result run;
    p.sim.run(p.sim.parameters_with(std::vector<double>{0.5, -0.1, 2.0}, groups), run);
    // The school's dose 2 doubles the plan's change: 2·(1·0.5 + 2·(−0.1)) = 0.6.
    CHECK(target_value(p.sim, effect_on_a(p), run) == Approx(0.6).margin(1e-12));
    CHECK_THROWS_AS(p.sim.parameters_with(std::vector<double>{0.5, -0.1}, groups), std::invalid_argument);
}

TEST_CASE("Sobol indices of the school's dose times a linear model match their closed form", "[sensitivity]") {
    prepared p;
    sensitivity_options options;
    options.base_samples = 4096;
    options.bootstrap_resamples = 200;
    options.seed = 11;
    options.threads = 2;
    const sensitivity_report report = analyse_sensitivity(p.sim, effect_on_a(p), options);
    REQUIRE_FALSE(report.cancelled);
    // y = d·L with L = 1·w1 + 2·w2 (E L = 0.7, Var L = 1²·0.1² + 2²·0.04² = 0.0164) and the one school's
    // dose d ~ Normal(1, s²), s = 0.10/0.09 (the between-school spread over the mean effect), independent:
    //   Var(y) = E[d²]·E[L²] − (E d·E L)² = (1 + s²)(0.0164 + 0.49) − 0.49
    //   w1: S = Var(E[y|w1])/Var(y) = 1²·0.01/Var(y);  S_T = E[Var(y|d, w2)]/Var(y) = (1 + s²)·0.01/Var(y)
    //   w2: S = 2²·0.0016/Var(y);                     S_T = (1 + s²)·0.0064/Var(y)
    //   d:  S = Var(d·E L)/Var(y) = 0.49·s²/Var(y);    S_T = E[L²]·s²/Var(y)
    const double s2 = (0.10 / 0.09) * (0.10 / 0.09);
    const double variance = (1 + s2) * (0.0164 + 0.49) - 0.49;
    const double first[] = {0.01 / variance, 0.0064 / variance, 0.49 * s2 / variance};
    const double total[] = {(1 + s2) * 0.01 / variance, (1 + s2) * 0.0064 / variance, 0.5064 * s2 / variance};
    REQUIRE(report.inputs.size() == 2);
    REQUIRE(report.groups.size() == 1);
    REQUIRE(report.sobol.inputs.size() == 3);  // the two edges, then the group
    CHECK(report.held_fixed.empty());
    for (std::size_t f = 0; f < 3; ++f) {
        const stats::input_sensitivity& s = report.sobol.inputs[f];
        INFO("factor " << f << ": S " << s.first_order.estimate << " [" << s.first_order.low << ", "
                       << s.first_order.high << "], S_T " << s.total.estimate << " [" << s.total.low << ", "
                       << s.total.high << "]");
        CHECK(s.first_order.low <= first[f]);
        CHECK(first[f] <= s.first_order.high);
        CHECK(s.total.low <= total[f]);
        CHECK(total[f] <= s.total.high);
        // The interval is informative, not [−∞, ∞].
        CHECK(s.first_order.high - s.first_order.low < 0.2);
    }
    CHECK(report.sobol.output_variance == Approx(variance).epsilon(0.1));
    CHECK(report.sobol.model_evaluations == 4096 * 5);
    // At the medians (the school at the average): 1·0.3 + 2·0.2 = 0.7.
    CHECK(report.central == Approx(0.7).margin(1e-12));
    CHECK(report.groups_in_tornado == "every school at the average");
}

TEST_CASE("the program cut is a group of one uniform a year at risk, decided as a draw decides it",
          "[sensitivity][cut]") {
    fixture f;
    f.spec.plan.program_cut.annual_probability = 0.3;
    f.spec.plan.program_cut.protected_years = 1;  // at risk in 2021, the horizon's second and last year
    diagnostics problems;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, *f.registry.find("linear")}, problems);
    REQUIRE_FALSE(problems.has_errors());
    const auto groups = sim.uncertain_groups();
    REQUIRE(groups.size() == 2);
    CHECK(groups[0].name == "program cut: whether and when");
    CHECK(groups[0].applies_to == uncertain_group::target::program_cut);
    REQUIRE(groups[0].priors.size() == 1);
    CHECK(groups[0].priors[0].kind == sdk::prior_kind::uniform);
    // The edges, then the after-cut assumptions (practices' years to half way, gains' persistence).
    const std::vector<double> inputs{0.3, 0.2, 1.5, 0.2};
    const auto with = [&](double uniform) {
        std::vector<double> values = inputs;
        values.push_back(uniform);
        values.push_back(1.0);  // the school at the average
        return sim.parameters_with(values, groups);
    };
    CHECK(with(0.29).cut_year == 2021);
    CHECK_FALSE(with(0.3).cut_year.has_value());
    // A draw's cut is its uniform on the cut stream under the same rule.
    for (std::uint64_t draw = 0; draw < 20; ++draw) {
        stats::counter_rng rng(7, draw, stats::stream_id("implementation:program-cut"));
        CHECK(sim.sample_parameters(7, draw).cut_year == with(rng.next_uniform()).cut_year);
    }

    sensitivity_options options;
    options.base_samples = 16;
    options.bootstrap_resamples = 0;
    const sensitivity_report risky = analyse_sensitivity(sim, effect_on_a(sim, f.spec), options);
    CHECK(risky.inputs.size() == 4);
    REQUIRE(risky.groups.size() == 2);
    CHECK(risky.sobol.inputs.size() == 6);
    CHECK(risky.held_fixed.empty());
    CHECK(risky.groups_in_tornado == "never cut, every school at the average");
    options.course = sensitivity_course::if_sustained;
    const sensitivity_report sustained = analyse_sensitivity(sim, effect_on_a(sim, f.spec), options);
    CHECK(sustained.inputs.size() == 2);  // the after-cut assumptions change nothing without a cut
    REQUIRE(sustained.groups.size() == 1);
    CHECK(sustained.groups[0].name == "schools: between-school spread");
    REQUIRE(sustained.held_fixed.size() == 1);
    CHECK(sustained.held_fixed[0].name == "program cut: whether and when");
    CHECK(sustained.held_fixed[0].held_at.rfind("never cut", 0) == 0);
}

TEST_CASE("the tornado orders inputs by |β|·spread, not by β", "[sensitivity]") {
    prepared p;
    sensitivity_options options;
    options.base_samples = 8;
    options.bootstrap_resamples = 0;
    const sensitivity_report report = analyse_sensitivity(p.sim, effect_on_a(p), options);
    REQUIRE(report.tornado.size() == 2);
    // Swing = |β|·(p95 − p05) = |β|·2·1.644854·sd: w1 1·0.328971 = 0.3290 > w2 2·0.131588 = 0.2632,
    // although w2's β (2) is larger than w1's (1).
    const double z95 = 1.6448536269514722;
    CHECK(report.tornado[0].input == 0);
    CHECK(report.tornado[1].input == 1);
    CHECK(report.tornado[0].swing == Approx(1.0 * 2 * z95 * sd1).epsilon(1e-9));
    CHECK(report.tornado[1].swing == Approx(2.0 * 2 * z95 * sd2).epsilon(1e-9));
    // Low end of w1: 0.3 − 0.164485 at w2's median 0.2: 0.135515 + 0.4 = 0.535515.
    CHECK(report.tornado[0].output_low == Approx(0.3 - z95 * sd1 + 2 * 0.2).epsilon(1e-9));
}

TEST_CASE("sensitivity results do not depend on the thread count", "[sensitivity]") {
    prepared p;
    sensitivity_options options;
    options.base_samples = 64;
    options.bootstrap_resamples = 50;
    options.seed = 3;
    options.threads = 1;
    const sensitivity_report one = analyse_sensitivity(p.sim, effect_on_a(p, 0), options);
    options.threads = 3;
    const sensitivity_report three = analyse_sensitivity(p.sim, effect_on_a(p, 0), options);
    REQUIRE(one.sobol.inputs.size() == three.sobol.inputs.size());
    for (std::size_t i = 0; i < one.sobol.inputs.size(); ++i) {
        CHECK(one.sobol.inputs[i].first_order.estimate == three.sobol.inputs[i].first_order.estimate);
        CHECK(one.sobol.inputs[i].first_order.low == three.sobol.inputs[i].first_order.low);
        CHECK(one.sobol.inputs[i].total.high == three.sobol.inputs[i].total.high);
    }
    CHECK(one.sobol.output_variance == three.sobol.output_variance);
}

TEST_CASE("a cancelled analysis stops and says so", "[sensitivity]") {
    prepared p;
    const std::atomic<bool> cancel{true};
    sensitivity_options options;
    options.base_samples = 8;
    options.cancel = &cancel;
    CHECK(analyse_sensitivity(p.sim, effect_on_a(p), options).cancelled);
}

TEST_CASE("the target is checked against what the scenario reports", "[sensitivity]") {
    prepared p;
    auto message = [&](const std::string& outcome, const std::string& subgroup, std::optional<int> year,
                       const std::string& metric) {
        diagnostics found;
        CHECK_FALSE(find_sensitivity_target(p.sim, p.f.spec, outcome, subgroup, year, metric, found));
        REQUIRE(found.items().size() == 1);
        return found.items().front().message;
    };
    CHECK(message("academic.achievement.mth", "all", std::nullopt, "effect") ==
          "--outcome 'academic.achievement.mth' is not reported by the scenario; expected one of "
          "academic.achievement.math; did you mean 'academic.achievement.math'?");
    CHECK(message("academic.achievement.math", "race:whte", std::nullopt, "effect") ==
          "--subgroup 'race:whte' is not reported by the scenario; expected one of all, race:white, race:hispanic; "
          "did you mean 'race:white'?");
    CHECK(message("academic.achievement.math", "all", 2022, "effect") ==
          "--year 2022 is outside the horizon; expected 2020 to 2021");
    CHECK(message("academic.achievement.math", "all", std::nullopt, "proficient") ==
          "--metric 'proficient' is not supported; expected one of level, bau_level, effect, percentile_shift, gap_sd");
    CHECK(message("academic.achievement.math", "all", std::nullopt, "gap_sd") ==
          "--metric gap_sd needs a subgroup with a reference group; 'all' has none in /report/reference_groups");

    // Hispanic students (10) are under min_n 16, and White students (30) are all (40) minus them: both
    // are withheld from every output, sensitivity's too.
    CHECK(message("academic.achievement.math", "race:white", std::nullopt, "effect") ==
          "--subgroup 'race:white': 'race:white' is withheld in this scenario's outputs (30 students; groups under 16, "
          "and groups whose numbers would give a withheld one away, are not published); expected a published subgroup");

    diagnostics found;
    const auto final_year =
        find_sensitivity_target(p.sim, p.f.spec, "academic.achievement.math", "all", std::nullopt, "level", found);
    REQUIRE(final_year);
    CHECK(final_year->year == 1);
    CHECK(final_year->subgroup == 0);
    CHECK(final_year->metric == metric::level);
}
