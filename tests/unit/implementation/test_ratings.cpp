// The ratings CSV: what it accepts, every error it reports in one pass (file:line:col), and that a
// scenario with a ratings file starts each school where its ratings say and aims at its goals.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "../cli/cli_support.hpp"
#include "engine/scenario_loader.hpp"
#include "engine/schedule.hpp"
#include "engine/school_ratings.hpp"
#include "implementation_support.hpp"
#include "scenario/ratings_reader.hpp"

namespace {

using namespace pathways;
using pathways::test::dps_model;
using pathways::test::has_message;
using pathways::test::load_small;
using pathways::test::loaded_schedule;
using pathways::test::messages;
using pathways::test::write_small_scenario;

ratings_context context_of(bool rater_required = true) {
    ratings_context context;
    context.model = &dps_model();
    context.schools = {"s-e1", "s-e2", "s-m1", "s-h1"};
    context.district_file = "small-schools.csv";
    context.rater_required = rater_required;
    return context;
}

std::vector<std::string> errors_of(const std::string& text) {
    diagnostics found;
    CHECK_FALSE(read_ratings_text(text, "r.csv", context_of(), found));
    CHECK(found.has_errors());
    return messages(found);
}

const std::string header = "school,year,driver,stage,rater,classrooms\n";

}  // namespace

TEST_CASE("ratings: rows are read by id or label and stage name or number, comments skipped", "[ratings]") {
    const std::string text = "# SYNTHETIC ratings\n" + header +
                             "s-e1,2017,learner_paths.learner_profile_data,Learner-Centered,self,\n"
                             "# a comment keeps the line numbers\n"
                             " s-m1 ,2018,culture,2,Coach,6\n"
                             "s-m1,2018,Strategic Tech,learner driven,walkthrough,\n";
    diagnostics found;
    const auto data = read_ratings_text(text, "r.csv", context_of(), found);
    REQUIRE(data);
    CHECK(found.items().empty());
    REQUIRE(data->rows.size() == 3);
    CHECK(data->rows[0].level == 1.5);
    CHECK(data->rows[0].rater == rater_kind::self);
    CHECK(data->rows[0].where.line == 3);
    CHECK(data->rows[1].school == "s-m1");
    CHECK(data->rows[1].node == "foundational.culture");
    CHECK(data->rows[1].level == 2.0);
    CHECK(data->rows[1].classrooms == 6);
    CHECK(data->rows[1].where.line == 5);
    CHECK(data->rows[2].node == "strategic_resources.tech");
    CHECK(data->rows[2].level == 3.0);
}

TEST_CASE("ratings: every problem of every row is reported at its line and column in one pass", "[ratings][errors]") {
    const auto all = errors_of(header +
                               "s-e1,2017,learner_paths.learner_profil_data,1,self,\n"  // line 2
                               "s-e1,2017,foundational.culture,4,self,\n"               // line 3
                               "s-e1,2017,foundational.culture,expert,coach,\n"         // line 4
                               "s-e9,2017,foundational.culture,1,self,\n"               // line 5
                               "s-e1,17.5,foundational.culture,1,walkthrough,\n"        // line 6
                               "s-e1,2017,foundational.culture,1,principal,0\n"         // line 7
                               "s-e2,2017,foundational.mindset,1,self,\n"               // line 8
                               "s-e2,2017,foundational.mindset,2,self,\n"               // line 9
                               "s-e2,2017,foundational.mindset,2\n");                   // line 10
    CHECK(has_message(all, {"r.csv:2:11: error: column 'driver': 'learner_paths.learner_profil_data' is no practice",
                            "did you mean 'learner_paths.learner_profile_data'?"}));
    CHECK(has_message(all, {"r.csv:3:32: error: column 'stage': '4' is out of range; expected a stage name (beginning, "
                            "emerging, developing, advanced) or a number from 0 to 3"}));
    CHECK(has_message(all, {"r.csv:4:32: error: column 'stage': 'expert' is no stage of foundational.culture"}));
    CHECK(has_message(all, {"r.csv:5:1: error: column 'school': 's-e9' is not a school of the district",
                            "small-schools.csv", "did you mean"}));
    CHECK(has_message(all, {"r.csv:6:6: error: column 'year': '17.5' is not a year"}));
    CHECK(has_message(all, {"r.csv:7:34: error: column 'rater': 'principal' is no rater; expected self, coach or "
                            "walkthrough"}));
    CHECK(has_message(all, {"r.csv:7:44: error: column 'classrooms': '0' is not a count of classrooms"}));
    CHECK(has_message(all, {"r.csv:9:1: error: duplicate row: s-e2 2017 foundational.mindset by self is also on "
                            "line 8"}));
    CHECK(has_message(all, {"r.csv:10:1: error: row has 4 fields; expected 6"}));
    CHECK(all.size() == 9);
}

TEST_CASE("ratings: header problems, an empty file and a file without rows are errors", "[ratings][errors]") {
    const auto header_problems = errors_of("school,year,drivers,stage,stage\ns-e1,2017,x,1,1\n");
    CHECK(has_message(header_problems,
                      {"r.csv:1:13: error: column 'drivers': unknown column", "did you mean 'driver'?"}));
    CHECK(has_message(header_problems, {"r.csv:1:27: error: column 'stage': appears twice in the header"}));
    CHECK(has_message(header_problems, {"column 'driver': required column is missing from the header"}));
    CHECK(has_message(header_problems, {"column 'rater': required column is missing from the header"}));
    CHECK(has_message(errors_of(""), {"r.csv:1:1: error: no header"}));
    CHECK(has_message(errors_of(header), {"no ratings; expected at least one row after the header"}));
    diagnostics found;
    CHECK(read_ratings_text("school,year,driver,stage\ns-e1,2020,culture,3\n", "goals.csv", context_of(false), found));
}

TEST_CASE("ratings: outside raters win over self-ratings, and each school's latest rating up to a year counts",
          "[ratings]") {
    diagnostics found;
    const auto data = read_ratings_text(header +
                                            "s-e1,2016,culture,0,self,\n"
                                            "s-e1,2017,culture,3,self,\n"
                                            "s-e1,2017,culture,1,coach,\n"
                                            "s-e1,2017,culture,2,walkthrough,\n"
                                            "s-e1,2018,culture,3,coach,\n"
                                            "s-m1,2016,culture,1.5,self,\n",
                                        "r.csv", context_of(), found);
    REQUIRE(data);
    const rated_levels levels = combine_ratings(*data);
    CHECK(levels.at({"s-e1", "foundational.culture", 2017}).level == 1.5);  // (1 + 2) / 2; the self-rating left out
    CHECK(levels.at({"s-e1", "foundational.culture", 2017}).ratings == 2);
    CHECK(levels.at({"s-m1", "foundational.culture", 2016}).self_only);
    const auto starts = levels_up_to(levels, 2017);
    REQUIRE(starts.at("s-e1").size() == 1);
    CHECK(starts.at("s-e1")[0].pattern == "foundational.culture");
    CHECK(starts.at("s-e1")[0].level == 1.5);  // 2017's, not 2016's or 2018's
    CHECK(starts.at("s-m1")[0].level == 1.5);
}

TEST_CASE("a scenario with a ratings file starts each school where its ratings say, and a wave aims at its goals",
          "[ratings][scenario]") {
    pathways::test::scratch_folder folder("ratings-start");
    write_small_scenario(folder.path(),
                         header +
                             "s-e1,2016,learner_paths.learner_profile_data,teacher driven,self,\n"
                             "s-e1,2017,learner_paths.learner_profile_data,late learner centered,coach,4\n"
                             "s-e1,2017,learner_paths.learner_profile_data,learner driven,self,\n"
                             "s-e1,2018,learner_paths.learner_profile_data,3,coach,\n"
                             "s-e1,2017,Culture,1,walkthrough,\n"
                             "s-e1,2017,Culture,2,coach,\n"
                             "s-m1,2016,strategic_resources.tech,learner centered,self,\n",
                         "school,year,driver,stage\n"
                         "s-e1,2019,learner_paths.learner_profile_data,learner driven\n"
                         "s-m1,2019,strategic_resources.tech,1\n");
    diagnostics found;
    const loaded_schedule small = load_small(folder.path(), found);
    INFO(messages(found).size());
    REQUIRE(small.schedule);
    CHECK_FALSE(found.has_errors());
    // Hand-computed: the coach's 2017 rating (2), not the self-rating of the same year or later years.
    CHECK(small.start("s-e1", "learner_paths.learner_profile_data") == 2.0);
    CHECK(small.start("s-e1", "foundational.culture") == 1.5);  // mean of walkthrough 1 and coach 2
    CHECK(small.start("s-m1", "strategic_resources.tech") == 1.5);
    // Unrated: the district profile's starting levels (0.8 for drivers, 1.0 for practices).
    CHECK(small.start("s-e1", "strategic_resources.tech") == 0.8);
    CHECK(small.start("s-e2", "learner_paths.learner_profile_data") == 0.8);
    CHECK(small.start("s-m1", "foundational.culture") == 1.0);
    // Targets: a school's goal wins over the wave's 2.0; a goal below the start keeps the start.
    CHECK(small.target("s-e1", "learner_paths.learner_profile_data") == 3.0);
    CHECK(small.target("s-m1", "strategic_resources.tech") == 1.5);
    CHECK(small.target("s-e1", "foundational.culture") == 2.0);
}

TEST_CASE("a bad ratings file stops the run with file:line:column errors and writes nothing",
          "[ratings][scenario][errors][cli]") {
    pathways::test::scratch_folder folder("ratings-bad");
    write_small_scenario(folder.path(),
                         header +
                             "s-e1,2017,learner_paths.learner_profil_data,1,self,\n"
                             "s-x1,2017,foundational.culture,1,self,\n"
                             "s-e1,2017,foundational.culture,5,self,\n"
                             "s-e1,2017,foundational.culture,1,coach,\n"
                             "s-e1,2017,foundational.culture,1,coach,\n",
                         "");
    const auto out = folder.path() / "out";
    const auto result = pathways::test::run_cli("run scenario.json --draws 2 --quiet --out out", folder.path());
    CHECK(result.exit_code == 2);
    const std::string ratings = "ratings.csv";
    CHECK(result.output.find(ratings + ":2:11: error: column 'driver'") != std::string::npos);
    CHECK(result.output.find("did you mean 'learner_paths.learner_profile_data'?") != std::string::npos);
    CHECK(result.output.find(ratings + ":3:1: error: column 'school': 's-x1' is not a school of the district") !=
          std::string::npos);
    CHECK(result.output.find(ratings + ":4:32: error: column 'stage': '5' is out of range") != std::string::npos);
    CHECK(result.output.find(ratings + ":6:1: error: duplicate row") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("ratings: every file of the malformed corpus fails with its expected diagnostic", "[ratings][errors]") {
    const std::filesystem::path folder = std::filesystem::path(PATHWAYS_TEST_DATA) / "data/ratings";
    std::ifstream expected(folder / "expected.tsv");
    std::string line;
    std::size_t files = 0;
    while (std::getline(expected, line)) {
        if (line.empty() || line.starts_with('#')) continue;
        const std::size_t first = line.find('\t');
        const std::size_t second = line.find('\t', first + 1);
        const std::string file = line.substr(0, first);
        const std::string place = line.substr(first + 1, second - first - 1);
        const std::string fragment = line.substr(second + 1);
        INFO(file);
        diagnostics found;
        CHECK_FALSE(read_ratings_csv(folder / file, context_of(), found));
        CHECK(has_message(messages(found), {file + ":" + place + ":", fragment}));
        ++files;
    }
    CHECK(files == 12);
    diagnostics found;
    const auto valid = read_ratings_csv(folder / "valid.csv", context_of(), found);
    REQUIRE(valid);
    CHECK(valid->rows.size() == 3);
}
