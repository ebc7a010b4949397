#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "plugin_harness.hpp"

using namespace pathways;

namespace {

constexpr auto code(sdk::race r) { return static_cast<std::uint8_t>(r); }
constexpr auto code(sdk::ell_status s) { return static_cast<std::uint8_t>(s); }

// A driver parent (w 0.2, +1 level) and an outcome parent (w 0.3, +0.1 SD) in every cell:
// PL-practice dose 0.2, mediated dose 0.03.
test::node_case subgroup_case(const sdk::effect_model_info& model, std::size_t cells) {
    test::node_case c(cells);
    c.parents = {{"learner_paths.goal_setting_progress_monitoring", sdk::node_kind::secondary_driver, 0.2,
                  std::vector<double>(cells, 2.0), std::vector<double>(cells, 2.0), std::vector<double>(cells, 1.0)},
                 {"agency.ownership", sdk::node_kind::student_outcome, 0.3, std::vector<double>(cells, 0.1),
                  std::vector<double>(cells, 0.1), std::vector<double>(cells, 0.0)}};
    c.parameters = test::default_parameters(model);
    // The fitted default of practice_scale is pinned to 1 so the hand computations read plainly.
    test::set_parameter(c.parameters, model, "practice_scale", 1.0);
    return c;
}

}  // namespace

TEST_CASE("subgroup: the cell's multiplier scales the PL-practice dose, mediated doses pass through") {
    const sdk::effect_model_info& model = test::load_model("subgroup");
    test::node_case c = subgroup_case(model, 4);
    c.initial = {0.1, -0.8, -0.6, 0.2};
    c.race = {code(sdk::race::white), code(sdk::race::black), code(sdk::race::hispanic), code(sdk::race::asian)};
    c.ell = {code(sdk::ell_status::non_ell), code(sdk::ell_status::non_ell), code(sdk::ell_status::ell),
             code(sdk::ell_status::exited)};
    c.frl = {0, 1, 1, 0};
    c.sped = {0, 0, 1, 0};
    c.baseline_achievement = {0.0, -1.0, -0.5, -0.7};
    const std::vector<double> out = c.run(model);
    // cell 0 white, at the mean:              m = 1                      0.1 + 0.03 + 1*0.2      = 0.33
    // cell 1 black, FRL, low starter (-1):    m = 0.1*1*1*1*1.3 = 0.13   -0.8 + 0.03 + 0.13*0.2  = -0.744
    // cell 2 hispanic ELL FRL SPED, -0.5 is above the -0.674 cutoff:
    //                                         m = 1.05*1.05*1*1 = 1.1025 -0.6 + 0.03 + 0.2205    = -0.3495
    // cell 3 asian, exited ELL, low starter:  m = 1*1*1.3 = 1.3          0.2 + 0.03 + 0.26       = 0.49
    CHECK(out[0] == Approx(0.33));
    CHECK(out[1] == Approx(-0.744));
    CHECK(out[2] == Approx(-0.3495));
    CHECK(out[3] == Approx(0.49));
}

TEST_CASE("subgroup: with defaults Black students gain less than average, ELL/FRL/SPED/Hispanic no less") {
    const sdk::effect_model_info& model = test::load_model("subgroup");
    // Only the driver parent, so each cell's change is 0.2 times its multiplier.
    test::node_case c = subgroup_case(model, 6);
    c.parents.pop_back();
    c.race = {code(sdk::race::white), code(sdk::race::black), code(sdk::race::white),
              code(sdk::race::white), code(sdk::race::white), code(sdk::race::hispanic)};
    c.ell = {0, 0, code(sdk::ell_status::ell), 0, 0, 0};
    c.frl = {0, 0, 0, 1, 0, 0};
    c.sped = {0, 0, 0, 0, 1, 0};
    const std::vector<double> out = c.run(model);
    const double reference = out[0];
    CHECK(reference == Approx(0.2));
    CHECK(out[1] == Approx(0.02));  // Black students' multiplier 0.1: 0.1*0.2
    for (std::size_t i = 2; i < out.size(); ++i) CHECK(out[i] >= reference);

    // Even a Black ELL low starter (0.1*1.05*1.3 = 0.1365) stays below the reference.
    test::node_case worst_case = subgroup_case(model, 1);
    worst_case.parents.pop_back();
    worst_case.race = {code(sdk::race::black)};
    worst_case.ell = {code(sdk::ell_status::ell)};
    worst_case.baseline_achievement = {-1.0};
    CHECK(worst_case.run(model)[0] == Approx(0.0273));  // 0.1365*0.2
    CHECK(worst_case.run(model)[0] < reference);
}

TEST_CASE("subgroup: Black students' multiplier reflects Denver's pilot: median at most 0.25, below 0 in a third") {
    const sdk::effect_model_info& model = test::load_model("subgroup");
    const sdk::parameter_spec* black = nullptr;
    for (const sdk::parameter_spec& p : model.parameters) {
        if (p.name == "multiplier.race.black") black = &p;
    }
    REQUIRE(black != nullptr);
    REQUIRE(black->uncertainty.kind == sdk::prior_kind::truncated_normal);
    const auto cdf = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
    const sdk::prior& p = black->uncertainty;
    const auto truncated_cdf = [&](double x) {
        return (cdf((x - p.a) / p.b) - cdf((p.lower - p.a) / p.b)) /
               (cdf((p.upper - p.a) / p.b) - cdf((p.lower - p.a) / p.b));
    };
    // TN(0.1, 0.5; -1, 1): P(< 0) = (Phi(-0.2) - Phi(-2.2)) / (Phi(1.8) - Phi(-2.2)) = 0.4068 / 0.9502 = 0.428
    CHECK(truncated_cdf(0.0) == Approx(0.428).margin(0.001));
    CHECK(truncated_cdf(0.0) >= 1.0 / 3.0);
    CHECK(truncated_cdf(0.25) >= 0.5);  // the median is at most 0.25
    CHECK(black->default_value <= 0.25);
    CHECK(std::string(black->source).find("underperformed") != std::string::npos);
}

TEST_CASE("subgroup: a changed multiplier changes only its group") {
    const sdk::effect_model_info& model = test::load_model("subgroup");
    test::node_case c = subgroup_case(model, 2);
    c.parents.pop_back();
    c.race = {code(sdk::race::black), code(sdk::race::multiracial)};
    test::set_parameter(c.parameters, model, "multiplier.race.black", -0.25);
    test::set_parameter(c.parameters, model, "multiplier.race.multiracial", 1.5);
    const std::vector<double> out = c.run(model);
    CHECK(out[0] == Approx(-0.05));  // -0.25*0.2: PL harms this group in this draw
    CHECK(out[1] == Approx(0.3));    // 1.5*0.2
}

TEST_CASE("subgroup: out-of-range subgroup codes and short attribute spans are rejected") {
    const sdk::effect_model_info& model = test::load_model("subgroup");
    const test::node_case valid = subgroup_case(model, 2);
    test::node_case c = valid;
    c.race[1] = sdk::race_count;
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("race code 7 of cell 1 is out of range"));
    c = valid;
    c.ell[0] = sdk::ell_status_count;
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("ell code 3 of cell 0"));
    c = valid;
    c.frl[0] = 2;
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("frl code 2"));
    c = valid;
    c.sped[1] = 9;
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("sped code 9"));
    c = valid;
    c.baseline_achievement.pop_back();
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("baseline_achievement has 1 values for 2 cells"));
    c = valid;
    c.race.pop_back();
    CHECK_THROWS_WITH(c.run(model), Catch::Contains("race has 1 values"));
}
