// District profile fields added for trends and between-school spread: what is read, and every
// error with its line, column and JSON pointer.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "../cli/cli_support.hpp"
#include "engine/scenario_loader.hpp"
#include "scenario/scenario_reader.hpp"

namespace {

using namespace pathways;
using pathways::test::scratch_folder;

/// A minimal valid profile with `extra` members added at the end (each on its own lines).
std::string profile_with(const std::string& extra) {
    return "{\n"
           "  \"pathways_district\": 1,\n"
           "  \"id\": \"tiny\",\n"
           "  \"name\": \"Tiny\",\n"
           "  \"schools_csv\": \"schools.csv\",\n"
           "  \"starting_levels\": {\"*\": {\"value\": 1.0, \"source\": \"test\", \"evidence\": \"A\"}}" +
           (extra.empty() ? std::string() : ",\n" + extra) + "\n}\n";
}

struct written_profile {
    scratch_folder folder{"district-reader"};
    std::filesystem::path path;

    explicit written_profile(const std::string& text) : path(folder.path() / "tiny.json") {
        std::ofstream(path) << text;
        std::filesystem::copy_file(std::filesystem::path(PATHWAYS_TEST_DATA) / "data/population/schools_small.csv",
                                   folder.path() / "schools.csv");
    }
};

/// The errors of reading `text` as a district profile (reader only, no model).
diagnostics read_errors(const std::string& text) {
    const written_profile file(text);
    diagnostics found;
    const auto district = read_district(file.path, found);
    CHECK(district.has_value() == !found.has_errors());
    return found;
}

/// Requires an error at `line`, `column` with `pointer` whose message contains `fragment`.
void require_error(const diagnostics& found, std::size_t line, std::size_t column, const std::string& pointer,
                   const std::string& fragment) {
    const bool matched = std::any_of(found.items().begin(), found.items().end(), [&](const diagnostic& d) {
        return d.level == severity::error && d.line == line && d.column == column && d.pointer == pointer &&
               d.message.find(fragment) != std::string::npos;
    });
    std::string all;
    for (const diagnostic& d : found.items()) all += format_diagnostic(d) + "\n";
    INFO("expected " << line << ":" << column << " " << pointer << " '" << fragment << "' in\n" << all);
    CHECK(matched);
}

}  // namespace

TEST_CASE("district trends: absent means no trend", "[districts][reader]") {
    const written_profile file(profile_with(""));
    diagnostics found;
    const auto district = read_district(file.path, found);
    REQUIRE(district);
    CHECK(district->trends.empty());
}

TEST_CASE("district trends: rates are read in file order with their source", "[districts][reader]") {
    const written_profile file(
        profile_with("  \"trends\": [{\"node\": \"academic.achievement.math\",\n"
                     "              \"per_year\": {\"race:white\": 0.0, \"all\": 0.01, \"race:black\": 0.02},\n"
                     "              \"source\": \"NAEP long-term trend\", \"evidence\": \"R\"}]"));
    diagnostics found;
    const auto district = read_district(file.path, found);
    REQUIRE(district);
    REQUIRE(district->trends.size() == 1);
    const outcome_trend& trend = district->trends.front();
    CHECK(trend.node == "academic.achievement.math");
    const std::vector<std::pair<std::string, double>> expected{{"race:white", 0.0},
                                                               {"all", 0.01},
                                                               {"race:black", 0.02}};
    CHECK(trend.per_year == expected);
    CHECK(trend.source == "NAEP long-term trend");
    CHECK(trend.evidence == "R");
}

TEST_CASE("district trends: every malformed entry is reported in one pass", "[districts][reader]") {
    // Line 7 is the first line after the minimal profile's starting_levels.
    const auto found = read_errors(profile_with(
        "  \"trends\": [\n"
        "    {\"node\": \"academic.achievement.ela\", \"per_year\": {\"race:purple\": 0.1}, \"source\": \"s\", "
        "\"evidence\": \"A\"},\n"
        "    {\"node\": \"academic.achievement.ela\", \"per_year\": {\"race:black&frl:yes\": 0.1}, \"source\": \"s\", "
        "\"evidence\": \"A\"},\n"
        "    {\"node\": \"self_efficacy\", \"per_year\": {\"all\": \"fast\", \"frl:yes\": 2.5}, \"evidence\": \"X\"},\n"
        "    {\"node\": \"engagement.behavioral\", \"per_year\": {}, \"source\": \"s\", \"evidence\": \"A\", \"unit\": "
        "\"SD\"},\n"
        "    {\"per_year\": {\"all\": 0.0}, \"source\": \"s\", \"evidence\": \"A\"},\n"
        "    7\n"
        "  ]"));
    CHECK(found.items().size() == 11);
    require_error(found, 8, 55, "/trends/0/per_year/race:purple", "unknown subgroup 'race:purple'");
    require_error(found, 9, 14, "/trends/1/node", "second trend for 'academic.achievement.ela'");
    require_error(found, 9, 55, "/trends/1/per_year/race:black&frl:yes", "must name 'all' or one subgroup term");
    require_error(found, 10, 51, "/trends/2/per_year/all", "expected a number");
    require_error(found, 10, 70, "/trends/2/per_year/frl:yes", "2.5 is out of range; expected -1 to 1");
    require_error(found, 10, 5, "/trends/2", "'source'");
    require_error(found, 10, 88, "/trends/2/evidence", "unknown evidence tag 'X'");
    require_error(found, 11, 51, "/trends/3/per_year", "no subgroup rates");
    require_error(found, 11, 87, "/trends/3/unit", "unknown key 'unit'");
    require_error(found, 12, 5, "/trends/4", "'node'");
    require_error(found, 13, 5, "/trends/5", "expected an object");
}

TEST_CASE("district trends: not an array", "[districts][reader]") {
    const auto found = read_errors(profile_with("  \"trends\": {\"node\": \"self_efficacy\"}"));
    REQUIRE(found.items().size() == 1);
    require_error(found, 7, 13, "/trends", "array");
}

TEST_CASE("district trends: a node the model lacks is reported by the loader", "[districts][reader]") {
    const written_profile file(
        profile_with("  \"trends\": [{\"node\": \"academic.achievement.maths\", \"per_year\": {\"all\": 0.0},\n"
                     "              \"source\": \"s\", \"evidence\": \"A\"}]"));
    diagnostics found;
    CHECK_FALSE(load_district(file.path, "", found));
    // The profile has no baselines and no enrollment, so warnings and a note come with the one error.
    const auto errors = std::count_if(found.items().begin(), found.items().end(),
                                      [](const diagnostic& d) { return d.level == severity::error; });
    REQUIRE(errors == 1);
    require_error(found, 7, 23, "/trends/0/node", "unknown outcome 'academic.achievement.maths'");
    require_error(found, 7, 23, "/trends/0/node", "did you mean 'academic.achievement.math'?");
}

TEST_CASE("pathways population: a bad profile exits 2 with compiler-style diagnostics", "[districts][reader][cli]") {
    const written_profile file(
        profile_with("  \"trends\": [{\"node\": \"academic.achievement.maths\", \"per_year\": {\"all\": 0.0},\n"
                     "              \"source\": \"s\", \"evidence\": \"A\"}]"));
    const auto result = test::run_cli("population '" + file.path.string() + "'");
    CHECK(result.exit_code == 2);
    CHECK(result.output.find(file.path.string() + ":7:23: error: /trends/0/node: unknown outcome") !=
          std::string::npos);
}

TEST_CASE("between-school spread: read with its settings", "[districts][reader]") {
    const written_profile file(
        "{\"pathways_district\": 1, \"id\": \"t\", \"name\": \"T\", \"schools_csv\": \"schools.csv\",\n"
        " \"starting_levels\": {\"competencies.*\": {\"value\": 0.6, \"between_school_sd\": 0.5, \"source\": \"s\", "
        "\"evidence\": \"A\"}},\n"
        " \"starting_level_spread\": {\"seed\": 7, \"correlation\": 0.25, \"source\": \"why\", \"evidence\": "
        "\"A\"}}\n");
    diagnostics found;
    const auto district = read_district(file.path, found);
    REQUIRE(district);
    REQUIRE(district->starting_levels.size() == 1);
    CHECK(district->starting_levels.front().level == 0.6);
    CHECK(district->starting_levels.front().between_school_sd == 0.5);
    CHECK(district->level_spread.seed == 7);
    CHECK(district->level_spread.correlation == 0.25);
    CHECK(district->level_spread.source == "why");
}

TEST_CASE("between-school spread: errors", "[districts][reader]") {
    SECTION("a spread without its seed") {
        const auto found = read_errors(
            "{\"pathways_district\": 1, \"id\": \"t\", \"name\": \"T\", \"schools_csv\": \"schools.csv\",\n"
            " \"starting_levels\": {\"*\": {\"value\": 0.6, \"between_school_sd\": 0.5, \"source\": \"s\", "
            "\"evidence\": \"A\"}}}\n");
        REQUIRE(found.items().size() == 1);
        require_error(found, 2, 63, "/starting_levels/*/between_school_sd", "needs /starting_level_spread");
    }
    SECTION("values out of range and missing fields") {
        const auto found = read_errors(
            "{\"pathways_district\": 1, \"id\": \"t\", \"name\": \"T\", \"schools_csv\": \"schools.csv\",\n"
            " \"starting_levels\": {\"*\": {\"value\": 0.6, \"between_school_sd\": -1, \"source\": \"s\", "
            "\"evidence\": \"A\"}},\n"
            " \"starting_level_spread\": {\"seed\": -3, \"correlation\": 1.5, \"evidence\": \"A\"}}\n");
        CHECK(found.items().size() == 4);
        require_error(found, 2, 63, "/starting_levels/*/between_school_sd", "-1 is out of range; expected 0 to 3");
        require_error(found, 3, 36, "/starting_level_spread/seed", "-3 is out of range");
        require_error(found, 3, 55, "/starting_level_spread/correlation", "1.5 is out of range; expected 0 to 1");
        require_error(found, 3, 27, "/starting_level_spread", "'source'");
    }
}
