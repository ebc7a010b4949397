// school_starting_levels: each school's own starting levels, spread between schools.
#include <catch2/catch.hpp>

#include <algorithm>

#include "population/starting_levels.hpp"

namespace {

using namespace pathways;

district_profile spread_profile(double value, double sd, double correlation) {
    district_profile district;
    district.starting_levels = {{"*", 1.0, {}, 0.0},
                                {"competencies.*", value, {}, sd},
                                {"learner_paths.*", value, {}, sd}};
    district.level_spread = {42, correlation, "test", "A"};
    return district;
}

std::vector<double> levels_of(const std::vector<std::vector<level_rule>>& schools, std::size_t rule) {
    std::vector<double> levels;
    for (const auto& rules : schools) levels.push_back(rules[rule].level);
    return levels;
}

}  // namespace

TEST_CASE("starting levels: a rule without spread is the same in every school", "[districts][levels]") {
    const auto schools = school_starting_levels(spread_profile(1.5, 0.5, 0.0), 3);
    REQUIRE(schools.size() == 3);
    for (const auto& rules : schools) {
        REQUIRE(rules.size() == 3);
        CHECK(rules[0].pattern == "*");
        CHECK(rules[0].level == 1.0);
        for (const level_rule& rule : rules) CHECK(rule.between_school_sd == 0.0);
    }
}

TEST_CASE("starting levels: schools get the normal quantiles of their rank", "[districts][levels]") {
    // Four schools: Phi^-1 of 1/8, 3/8, 5/8, 7/8 is -1.150349, -0.318639, 0.318639, 1.150349.
    auto levels = levels_of(school_starting_levels(spread_profile(1.5, 0.5, 0.0), 4), 1);
    std::sort(levels.begin(), levels.end());
    CHECK(levels[0] == Approx(1.5 - 0.5 * 1.150349).epsilon(1e-6));
    CHECK(levels[1] == Approx(1.5 - 0.5 * 0.318639).epsilon(1e-6));
    CHECK(levels[2] == Approx(1.5 + 0.5 * 0.318639).epsilon(1e-6));
    CHECK(levels[3] == Approx(1.5 + 0.5 * 1.150349).epsilon(1e-6));
}

TEST_CASE("starting levels: clamped to the 0-3 continuum", "[districts][levels]") {
    // Two schools at 0.2 -/+ 1 x 0.674490 and at 2.8 -/+ 0.674490.
    auto low = levels_of(school_starting_levels(spread_profile(0.2, 1.0, 0.0), 2), 1);
    std::sort(low.begin(), low.end());
    CHECK(low[0] == 0.0);
    CHECK(low[1] == Approx(0.874490).epsilon(1e-6));
    auto high = levels_of(school_starting_levels(spread_profile(2.8, 1.0, 0.0), 2), 1);
    std::sort(high.begin(), high.end());
    CHECK(high[0] == Approx(2.125510).epsilon(1e-6));
    CHECK(high[1] == 3.0);
}

TEST_CASE("starting levels: correlation 1 ranks schools alike on every pattern", "[districts][levels]") {
    const auto schools = school_starting_levels(spread_profile(1.5, 0.5, 1.0), 25);
    CHECK(levels_of(schools, 1) == levels_of(schools, 2));
    const auto independent = school_starting_levels(spread_profile(1.5, 0.5, 0.0), 25);
    CHECK(levels_of(independent, 1) != levels_of(independent, 2));
}

TEST_CASE("starting levels: the same seed gives the same schools, another seed others", "[districts][levels]") {
    district_profile district = spread_profile(1.5, 0.5, 0.3);
    const auto first = levels_of(school_starting_levels(district, 30), 1);
    CHECK(levels_of(school_starting_levels(district, 30), 1) == first);
    district.level_spread.seed = 43;
    const auto other = levels_of(school_starting_levels(district, 30), 1);
    CHECK(other != first);
    // The same quantiles, handed out in another order.
    auto sorted_first = first;
    auto sorted_other = other;
    std::sort(sorted_first.begin(), sorted_first.end());
    std::sort(sorted_other.begin(), sorted_other.end());
    CHECK(sorted_first == sorted_other);
}
