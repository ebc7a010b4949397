// Grid axes, grid order and scenarios read with pointer = value replacements.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "scenario/scenario_patch.hpp"

namespace {

using namespace pathways;

const std::string scale_up = std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-scale-up.json";

/// The one diagnostic of `found` (the test fails when there is not exactly one).
diagnostic only(const diagnostics& found) {
    REQUIRE(found.items().size() == 1);
    return found.items().front();
}

}  // namespace

TEST_CASE("a good pointer replaces the number and the scenario reads it", "[sweep]") {
    diagnostics found;
    const std::vector<scenario_patch> patches{{"/implementation/waves/1/schools/count", 30},
                                              {"/implementation/waves/0/targets/*", 2.5},
                                              {"/implementation/ramp/years_to_half", 1.5}};
    const auto spec = read_patched_scenario(scale_up, "base", patches, found);
    REQUIRE(spec);
    CHECK_FALSE(found.has_errors());
    // The file says 45 schools, '*': 2.0 and years_to_half 2.0; the patches win.
    REQUIRE(spec->plan.waves.size() == 2);
    CHECK(spec->plan.waves[1].schools.count == 30);
    bool star_found = false;
    for (const level_rule& rule : spec->plan.waves[0].targets) {
        if (rule.pattern != "*") continue;
        star_found = true;
        CHECK(rule.level == 2.5);
    }
    CHECK(star_found);
    CHECK(spec->plan.ramp.years_to_half == 1.5);
    CHECK(spec->plan.ramp.years_to_90 == 3.5);  // untouched
}

TEST_CASE("no patches read the scenario as it is", "[sweep]") {
    diagnostics found;
    const auto spec = read_patched_scenario(scale_up, "base", {}, found);
    REQUIRE(spec);
    CHECK(spec->plan.waves[1].schools.count == 45);
}

TEST_CASE("pointers address the scenario with its variant merged in", "[sweep]") {
    const std::vector<scenario_patch> second_wave{{"/implementation/waves/1/schools/count", 30}};
    diagnostics found;
    // pilot_only replaces the waves with a single wave, so there is no wave 1 to patch.
    CHECK_FALSE(read_patched_scenario(scale_up, "pilot_only", second_wave, found));
    const diagnostic d = only(found);
    CHECK(d.pointer == "/implementation/waves/1/schools/count");
    CHECK(d.message == "no element '1' in /implementation/waves; expected an index from 0 to 0");

    diagnostics aligned;
    const std::vector<scenario_patch> alignment{{"/implementation/conditions/central_office_alignment", 0.25}};
    const auto spec = read_patched_scenario(scale_up, "aligned_district", alignment, aligned);
    REQUIRE(spec);
    CHECK(spec->plan.conditions.at("central_office_alignment") == 0.25);  // the variant says 0.9
}

TEST_CASE("a missing key is reported with the nearest key of its object", "[sweep]") {
    diagnostics found;
    const std::vector<scenario_patch> patches{{"/implementation/ramp/years_to_haf", 1.0}};
    CHECK_FALSE(read_patched_scenario(scale_up, "base", patches, found));
    const diagnostic d = only(found);
    CHECK(d.file == "<command line>");
    CHECK(d.pointer == "/implementation/ramp/years_to_haf");
    CHECK(d.message ==
          "no key 'years_to_haf' in /implementation/ramp; expected a pointer to a number in the scenario; did you mean "
          "'years_to_half'?");
}

TEST_CASE("a pointer to something that is not a number is refused", "[sweep]") {
    SECTION("a string") {
        diagnostics found;
        CHECK_FALSE(read_patched_scenario(scale_up, "base", std::vector<scenario_patch>{{"/name", 1.0}}, found));
        CHECK(only(found).message == "holds a string, not a number; expected a pointer to a number in the scenario");
    }
    SECTION("an object") {
        diagnostics found;
        CHECK_FALSE(read_patched_scenario(scale_up, "base", std::vector<scenario_patch>{{"/horizon", 1.0}}, found));
        CHECK(only(found).message == "holds an object, not a number; expected a pointer to a number in the scenario");
    }
    SECTION("through a string") {
        diagnostics found;
        CHECK_FALSE(read_patched_scenario(scale_up, "base", std::vector<scenario_patch>{{"/name/x", 1.0}}, found));
        CHECK(only(found).message ==
              "/name holds a string, which has no 'x'; expected a pointer to a number in the scenario");
    }
    SECTION("an array index that is not a number") {
        diagnostics found;
        const std::vector<scenario_patch> patches{{"/implementation/waves/first/start_year", 2018}};
        CHECK_FALSE(read_patched_scenario(scale_up, "base", patches, found));
        CHECK(only(found).message == "no element 'first' in /implementation/waves; expected an index from 0 to 1");
    }
    SECTION("a bad escape") {
        diagnostics found;
        CHECK_FALSE(read_patched_scenario(scale_up, "base", std::vector<scenario_patch>{{"/name~2", 1.0}}, found));
        CHECK(only(found).message.starts_with("not a JSON pointer"));
    }
}

TEST_CASE("a grid value goes through the format's checks and is blamed on the command line", "[sweep]") {
    SECTION("out of range") {
        diagnostics found;
        const std::vector<scenario_patch> patches{{"/implementation/waves/1/schools/count", 0}};
        CHECK_FALSE(read_patched_scenario(scale_up, "base", patches, found));
        const diagnostic d = only(found);
        CHECK(d.file == "<command line>");
        CHECK(d.line == 0);
        CHECK(d.message == "--grid value: 0 is out of range; expected 1 to 1000000");
    }
    SECTION("not an integer where one is needed") {
        diagnostics found;
        const std::vector<scenario_patch> patches{{"/implementation/waves/1/schools/count", 2.5}};
        CHECK_FALSE(read_patched_scenario(scale_up, "base", patches, found));
        CHECK(only(found).message.starts_with("--grid value: expected an integer"));
    }
    SECTION("not finite") {
        diagnostics found;
        const std::vector<scenario_patch> patches{
            {"/implementation/ramp/years_to_half", std::numeric_limits<double>::infinity()}};
        CHECK_FALSE(read_patched_scenario(scale_up, "base", patches, found));
        CHECK(only(found).message == "value is not a finite number; expected a finite number");
    }
}

TEST_CASE("grid arguments are parsed with every problem reported", "[sweep]") {
    diagnostics found;
    const auto axes = parse_grid({"/a/b=1,2.5,-3e1", "/c~1d=7"}, found);
    CHECK_FALSE(found.has_errors());
    REQUIRE(axes.size() == 2);
    CHECK(axes[0].pointer == "/a/b");
    CHECK(axes[0].values == std::vector<double>{1.0, 2.5, -30.0});
    CHECK(axes[1].pointer == "/c~1d");
    CHECK(axes[1].values == std::vector<double>{7.0});

    diagnostics bad;
    CHECK(parse_grid({"a=1", "/x=1,,2", "/y=nan", "/z=1", "/z=2", "/w"}, bad).empty());
    std::vector<std::string> messages;
    for (const diagnostic& d : bad.items()) messages.push_back(d.pointer + " | " + d.message);
    CHECK(messages ==
          std::vector<std::string>{
              " | --grid 'a=1' is malformed; expected /json/pointer=v1,v2,... (the pointer starts with '/')",
              "/x | --grid value '' is not a finite number; expected numbers separated by commas",
              "/y | --grid value 'nan' is not a finite number; expected numbers separated by commas",
              "/z | --grid gives this pointer twice; expected each pointer once",
              " | --grid '/w' is malformed; expected /json/pointer=v1,v2,... (the pointer starts with '/')"});
}

TEST_CASE("a grid of more than max_grid_points points is refused", "[sweep]") {
    // 1000 × 1000 = 10^6 points > 10^5.
    std::string thousand = "/a=0";
    for (int i = 1; i < 1000; ++i) thousand += "," + std::to_string(i);
    std::string other = thousand;
    other[1] = 'b';
    diagnostics found;
    CHECK(parse_grid({thousand, other}, found).empty());
    CHECK(only(found).message == "--grid spans more than 100000 points; expected a smaller grid");
    diagnostics fine;
    CHECK(parse_grid({thousand}, fine).size() == 1);
}

TEST_CASE("the grid varies the first axis slowest", "[sweep]") {
    const std::vector<grid_axis> axes{{"/count", {15, 30, 45}}, {"/target", {1.5, 2.5}}};
    const auto points = expand_grid(axes);
    // Nested loops, first axis outermost: (15,1.5) (15,2.5) (30,1.5) (30,2.5) (45,1.5) (45,2.5).
    const std::vector<std::pair<double, double>> expected{{15, 1.5}, {15, 2.5}, {30, 1.5},
                                                          {30, 2.5}, {45, 1.5}, {45, 2.5}};
    REQUIRE(points.size() == expected.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        REQUIRE(points[i].size() == 2);
        CHECK(points[i][0].pointer == "/count");
        CHECK(points[i][1].pointer == "/target");
        CHECK(points[i][0].value == expected[i].first);
        CHECK(points[i][1].value == expected[i].second);
    }
    const auto none = expand_grid({});
    REQUIRE(none.size() == 1);
    CHECK(none.front().empty());
}
