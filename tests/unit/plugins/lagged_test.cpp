#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <string_view>
#include <vector>

#include "plugin_harness.hpp"

using namespace pathways;

namespace {

// A secondary driver (w 0.5) feeds the node in two cells: cell 0's school runs PL and the driver
// has risen by 0.2, cell 1's does not and its driver stays at baseline (business as usual).
test::node_case practice_case(const sdk::effect_model_info& model) {
    test::node_case c(2);
    c.parents = {{"learner_paths.learner_profile_data",
                  sdk::node_kind::secondary_driver,
                  0.5,
                  {0.2, 0.0},
                  {0.2, 0.0},
                  {0.0, 0.0}}};
    c.initial = {-0.5, 0.4};
    c.previous = c.initial;
    c.parameters = test::default_parameters(model);
    // The fitted default of annual_rate is pinned to 1 so the hand computations read plainly.
    test::set_parameter(c.parameters, model, "annual_rate", 1.0);
    return c;
}

const sdk::parameter_spec& spec_of(const sdk::effect_model_info& model, std::string_view name) {
    return model.parameters[static_cast<std::size_t>(sdk::parameter_index(model.parameters, name))];
}

}  // namespace

TEST_CASE("lagged: the default phase-in time is half a year, 86% of the response after one year") {
    const sdk::effect_model_info& model = test::load_model("lagged");
    const sdk::parameter_spec& tau = spec_of(model, "phase_in_years");
    CHECK(tau.default_value == 0.5);
    CHECK(tau.uncertainty.kind == sdk::prior_kind::truncated_normal);
    CHECK(tau.uncertainty.a == 0.5);
    CHECK(tau.uncertainty.b == 0.25);
    CHECK(tau.uncertainty.lower == 0.2);
    CHECK(tau.uncertainty.upper == 1.5);

    test::node_case c = practice_case(model);
    c.initial = {0.0, 0.0};
    c.years_of_exposure = {1.0, 0.5};
    c.parents[0].current = {0.2, 0.2};
    const std::vector<double> out = c.run(model);
    // dose 0.5*0.2 = 0.1; one year: 1 - exp(-1/0.5) = 1 - exp(-2) = 0.8646647: 0.0864665
    CHECK(out[0] == Approx(0.0864665));
    // half a year: 1 - exp(-0.5/0.5) = 1 - exp(-1) = 0.6321206: 0.0632121
    CHECK(out[1] == Approx(0.0632121));
}

TEST_CASE("lagged: a non-academic node phases in with years of exposure") {
    const sdk::effect_model_info& model = test::load_model("lagged");
    test::node_case c = practice_case(model);
    c.initial = {0.3, 0.4};
    c.previous = {0.9, 0.4};  // last year's value plays no part outside achievement
    c.years_of_exposure = {2.0, 0.0};
    const std::vector<double> out = c.run(model);
    // dose 0.5*0.2 = 0.1; phase-in 1 - exp(-2/0.5) = 1 - exp(-4) = 0.9816844: 0.3 + 0.0981684 = 0.3981684
    CHECK(out[0] == Approx(0.3981684));
    // not exposed: phase-in 0, and the driver has not moved: 0.4 + 0 = 0.4
    CHECK(out[1] == Approx(0.4));
}

TEST_CASE("lagged: the phase-in applies to the practice share of the dose only, so the lag does not compound") {
    const sdk::effect_model_info& model = test::load_model("lagged");
    test::node_case c(2);
    c.node_id = "agency.ownership";
    c.kind = sdk::node_kind::student_outcome;
    // driver w 0.4 risen by 0.5 (share 0.2), outcome w 0.3 risen by 0.2 (share 0.06), in both cells
    c.parents = {{"learner_paths.learner_profile_data",
                  sdk::node_kind::secondary_driver,
                  0.4,
                  {0.5, 0.5},
                  {0.5, 0.5},
                  {0.0, 0.0}},
                 {"engagement.cognitive", sdk::node_kind::student_outcome, 0.3, {0.2, 0.2}, {0.2, 0.2}, {0.0, 0.0}}};
    c.initial = {0.1, 0.1};
    c.previous = c.initial;
    c.years_of_exposure = {1.0, 0.0};
    c.parameters = test::default_parameters(model);
    const std::vector<double> out = c.run(model);
    // cell 0: 0.1 + 0.8646647*0.2 + 0.06 = 0.1 + 0.1729329 + 0.06 = 0.3329329
    //         (phasing in the whole dose would give 0.1 + 0.8646647*0.26 = 0.3248128)
    CHECK(out[0] == Approx(0.3329329));
    // cell 1, not exposed: the driver share is shut out, the outcome share passes: 0.1 + 0*0.2 + 0.06 = 0.16
    CHECK(out[1] == Approx(0.16));

    // Through a chain driver -> engagement -> growth the phase-in appears once.
    // engagement: driver w 0.5 risen by 0.4, exposure 1: 0 + 0.8646647*0.2 = 0.1729329
    test::node_case engagement(1);
    engagement.node_id = "engagement.cognitive";
    engagement.parents = {
        {"learner_paths.learner_profile_data", sdk::node_kind::secondary_driver, 0.5, {0.4}, {0.4}, {0.0}}};
    engagement.years_of_exposure = {1.0};
    engagement.parameters = test::default_parameters(model);
    const double engagement_change = engagement.run(model)[0];
    CHECK(engagement_change == Approx(0.1729329));
    // growth: engagement w 0.1: 0 + 0.1*0.1729329 = 0.0172933 = 0.8646647*(0.5*0.4*0.1);
    // a compounded lag would give 0.8646647^2*0.02 = 0.0149529
    test::node_case growth(1);
    growth.node_id = "academic.growth";
    growth.kind = sdk::node_kind::academic_outcome;
    growth.parents = {{"engagement.cognitive",
                       sdk::node_kind::student_outcome,
                       0.1,
                       {engagement_change},
                       {engagement_change},
                       {0.0}}};
    growth.years_of_exposure = {1.0};
    growth.parameters = test::default_parameters(model);
    CHECK(growth.run(model)[0] == Approx(0.0172933));
}

TEST_CASE("lagged: every practice kind is phased in, outcome parents are not") {
    const sdk::effect_model_info& model = test::load_model("lagged");
    test::node_case c = practice_case(model);
    c.initial = {0.0, 0.0};
    c.years_of_exposure = {1.0, 1.0};
    for (const sdk::node_kind practice :
         {sdk::node_kind::foundational_practice, sdk::node_kind::primary_driver, sdk::node_kind::secondary_driver}) {
        c.parents[0].kind = practice;
        // 0.8646647*0.5*0.2 = 0.0864665
        CHECK(c.run(model)[0] == Approx(0.0864665));
    }
    for (const sdk::node_kind outcome : {sdk::node_kind::student_outcome, sdk::node_kind::academic_outcome}) {
        c.parents[0].kind = outcome;
        // 0.5*0.2 = 0.1, unlagged
        CHECK(c.run(model)[0] == Approx(0.1));
    }
}

TEST_CASE("lagged: achievement accumulates during exposure and adds nothing from practice once exposure stops") {
    const sdk::effect_model_info& model = test::load_model("lagged");
    test::node_case c = practice_case(model);
    c.node_id = "academic.achievement.math";
    c.kind = sdk::node_kind::academic_outcome;

    // year 1: phase-in 1 - exp(-1/0.5) = 0.8646647; -0.5 + 1*0.8646647*0.1 = -0.4135335
    c.years_of_exposure = {1.0, 0.0};
    std::vector<double> out = c.run(model);
    CHECK(out[0] == Approx(-0.4135335));
    CHECK(out[1] == Approx(0.4));

    // year 2: phase-in 1 - exp(-2/0.5) = 0.9816844; gains kept: -0.4135335 + 0.0981684 = -0.3153651
    c.previous = out;
    c.years_of_exposure = {2.0, 0.0};
    out = c.run(model);
    CHECK(out[0] == Approx(-0.3153651));

    // year 3: PL stopped (exposure 0) though the driver is still up: phase-in 0, no new gain. Fading the
    // gain already made is the host's work, so the model keeps the previous value it is handed.
    c.previous = out;
    c.years_of_exposure = {0.0, 0.0};
    out = c.run(model);
    CHECK(out[0] == Approx(-0.3153651));
    CHECK(out[1] == Approx(0.4));
}

TEST_CASE("lagged: annual_rate and phase_in_years shape the yearly gain") {
    const sdk::effect_model_info& model = test::load_model("lagged");
    test::node_case c = practice_case(model);
    c.node_id = "academic.achievement.ela";
    c.kind = sdk::node_kind::academic_outcome;
    c.previous = {-0.4, 0.4};
    c.years_of_exposure = {3.0, 0.0};
    test::set_parameter(c.parameters, model, "annual_rate", 0.5);
    test::set_parameter(c.parameters, model, "phase_in_years", 3.0);
    // phase-in 1 - exp(-3/3) = 0.6321206; -0.4 + 0.5*0.6321206*0.1 = -0.4 + 0.0316060 = -0.3683940
    CHECK(c.run(model)[0] == Approx(-0.3683940));
}

TEST_CASE("lagged: growth is a rate and does not accumulate") {
    const sdk::effect_model_info& model = test::load_model("lagged");
    test::node_case c = practice_case(model);
    c.node_id = "academic.growth";
    c.kind = sdk::node_kind::academic_outcome;
    c.initial = {0.0, 0.0};
    c.previous = {0.05, 0.0};
    c.years_of_exposure = {1.0, 0.0};
    // 0 + 0.8646647*0.1 = 0.0864665, last year's 0.05 is not carried over
    CHECK(c.run(model)[0] == Approx(0.0864665));
}

TEST_CASE("lagged: a missing years_of_exposure block is rejected") {
    const sdk::effect_model_info& model = test::load_model("lagged");
    test::node_case c = practice_case(model);
    c.years_of_exposure.clear();
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("years_of_exposure is missing"));
}

TEST_CASE("lagged: whole and fractional years of exposure, zero and beyond the table, phase in to the formula's bits") {
    // Whole years below 32 take 1 - exp(-years/tau) from a table made once a draw; other values are
    // computed where they stand. Either way each cell must be the formula's value to the bit.
    const sdk::effect_model_info& model = test::load_model("lagged");
    const std::vector<double> years = {0.0, 1.0, 2.0, 1.0, 0.5, 3.0, 31.0, 32.0, 40.0, 2.5, 0.0, 6.0, -1.0};
    const std::size_t n = years.size();
    test::node_case c(n);
    c.parents = {{"learner_paths.learner_profile_data", sdk::node_kind::secondary_driver, 0.5, {}, {}, {}},
                 {"engagement.cognitive", sdk::node_kind::student_outcome, 0.25, {}, {}, {}}};
    for (std::size_t i = 0; i < n; ++i) {
        for (test::parent_series& p : c.parents) {
            p.initial.push_back(0.1);
            p.current.push_back(0.1 + 0.07 * static_cast<double>(i + 1));
        }
    }
    for (test::parent_series& p : c.parents) p.previous = p.current;
    c.initial.assign(n, 0.2);
    c.previous = c.initial;
    c.years_of_exposure = years;
    c.parameters = test::default_parameters(model);
    test::set_parameter(c.parameters, model, "phase_in_years", 0.7);
    const std::vector<double> out = c.run(model);
    for (std::size_t i = 0; i < n; ++i) {
        const double practice = 0.0 + 0.5 * (c.parents[0].current[i] - c.parents[0].initial[i]);
        const double dose = practice + 0.25 * (c.parents[1].current[i] - c.parents[1].initial[i]);
        const double phase_in = years[i] > 0.0 ? 1.0 - std::exp(-years[i] / 0.7) : 0.0;
        INFO("cell " << i << ", " << years[i] << " years");
        CHECK(out[i] == c.initial[i] + (phase_in * practice + (dose - practice)));
    }
}
