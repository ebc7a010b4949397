// What `pathways run` prints: a one-screen summary by default whose numbers are the files' numbers,
// every table with --detail, and the schools each wave reached (manifest and --detail).
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli_support.hpp"

namespace {

using pathways::test::read_text;
using pathways::test::run_cli;
using pathways::test::scratch_folder;

const std::filesystem::path shipped = std::filesystem::path(PATHWAYS_SOURCE_ROOT) / "scenarios";

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

/// Columns a line takes on a terminal: UTF-8 code points (the summary prints no wide characters).
std::size_t columns(const std::string& line) {
    std::size_t count = 0;
    for (const char c : line) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return count;
}

/// The model node with the role "headline", read from the shipped model file.
std::string headline_of_shipped_model() {
    const auto model = nlohmann::json::parse(read_text(shipped / "models" / "dps-personalized-learning.json"));
    for (const auto& node : model["nodes"]) {
        const auto roles = node.value("roles", std::vector<std::string>{});
        if (std::find(roles.begin(), roles.end(), "headline") != roles.end()) return node["id"];
    }
    return "";
}

/// The final-year row of one run in projection.json.
nlohmann::json final_row(const nlohmann::json& run, const std::string& subgroup, const std::string& outcome,
                         const std::string& metric, const std::string& course) {
    nlohmann::json found;
    int last_year = 0;
    for (const auto& row : run["rows"]) {
        if (row["subgroup"] == subgroup && row["outcome"] == outcome && row["metric"] == metric &&
            row["course"] == course && row["year"].get<int>() >= last_year) {
            last_year = row["year"];
            found = row;
        }
    }
    return found;
}

std::string three_decimals(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%+.3f", value);
    return buffer;
}

/// The summary's line of `group` in its first table.
std::string summary_line(const std::string& output, const std::string& group) {
    for (const std::string& line : lines_of(output)) {
        if (line.rfind("  " + group + " ", 0) == 0) return line;
    }
    return "";
}

}  // namespace

TEST_CASE("run prints a one-screen summary led by the model's headline outcome, --detail every table",
          "[cli][run][summary]") {
    const scratch_folder out("summary");
    const auto summary = run_cli("run scenarios/denver-scale-up.json --all-variants --draws 40 --quiet --out '" +
                                 (out.path() / "a").string() + "'");
    REQUIRE(summary.exit_code == 0);
    const auto lines = lines_of(summary.output);
    CHECK(lines.size() <= 62);  // one screen: the headline table, the plans, the gaps, a gate, the caveat, the costs
    for (const std::string& line : lines) {
        INFO(line);
        if (line.rfind("Wrote to ", 0) != 0) CHECK(columns(line) <= 100);  // the folder's length is the user's
    }
    const std::string headline = headline_of_shipped_model();
    REQUIRE_FALSE(headline.empty());
    CHECK(summary.output.find("Headline: " + headline + ",") != std::string::npos);
    // All students and the focal group of every reported gap.
    const auto scenario = nlohmann::json::parse(read_text(shipped / "denver-scale-up.json"));
    CHECK_FALSE(summary_line(summary.output, "all").empty());
    for (const auto& [focal, reference] : scenario["report"]["reference_groups"].items()) {
        INFO(focal);
        CHECK(summary_line(summary.output, focal).find(" vs " + reference.get<std::string>()) != std::string::npos);
    }
    CHECK(summary.output.find("Best plan for all students: ") != std::string::npos);
    CHECK(summary.output.find("Wrote to " + (out.path() / "a").string() +
                              ": projection.csv projection.json cost-effectiveness.csv acceptability.csv "
                              "manifest.json") != std::string::npos);
    CHECK(summary.output.find("Side by side") == std::string::npos);  // the full comparison is --detail's

    const auto detail =
        run_cli("run scenarios/denver-scale-up.json --all-variants --draws 40 --quiet --detail --out '" +
                (out.path() / "b").string() + "'");
    REQUIRE(detail.exit_code == 0);
    CHECK(detail.output.find("Side by side") != std::string::npos);
    CHECK(detail.output.find("(effect SD if sustained | effect SD with the cut risk") != std::string::npos);
    CHECK(lines_of(detail.output).size() > 200);
    CHECK(read_text(out.path() / "a" / "projection.csv") == read_text(out.path() / "b" / "projection.csv"));
}

TEST_CASE("the summary's numbers are the projection's: interval, course, best variant", "[cli][run][summary]") {
    const scratch_folder out("summary-numbers");
    const auto result = run_cli("run scenarios/denver-scale-up.json --all-variants --draws 40 --quiet --out '" +
                                out.path().string() + "'");
    REQUIRE(result.exit_code == 0);
    const auto runs = nlohmann::json::parse(read_text(out.path() / "projection.json"))["runs"];
    const std::string headline = headline_of_shipped_model();
    for (const char* group : {"all", "race:black"}) {
        INFO(group);
        const auto cut = final_row(runs[0], group, headline, "effect", "with_cut_risk");
        const auto sustained = final_row(runs[0], group, headline, "effect", "sustained");
        REQUIRE_FALSE(cut.is_null());
        const std::string expected =
            three_decimals(cut["mean"]) + " [" + three_decimals(cut["p05"]) + ", " + three_decimals(cut["p95"]) + "]";
        const std::string line = summary_line(result.output, group);
        CHECK(line.find(expected) != std::string::npos);
        CHECK(line.find(three_decimals(sustained["mean"])) != std::string::npos);
    }
    // The best plan for all students is the plan with the largest final-year mean with the cut risk;
    // assumptions (the base plan in another world) are not ranked.
    const auto variants = nlohmann::json::parse(read_text(shipped / "denver-scale-up.json"))["variants"];
    std::string best;
    double best_mean = -1e300;
    for (const auto& run : runs) {
        const std::string variant = run["variant"];
        if (variant != "base" && variants[variant]["kind"] == "assumption") continue;
        const double mean = final_row(run, "all", headline, "effect", "with_cut_risk")["mean"];
        if (mean > best_mean) {
            best_mean = mean;
            best = run["variant"];
        }
    }
    REQUIRE_FALSE(best.empty());
    CHECK(result.output.find("Best plan for all students: " + best + "; P(it beats ") != std::string::npos);
    CHECK(result.output.find("if patient_district") != std::string::npos);
}

TEST_CASE("one central run: P(harm) 0 and an interval of width 0, no variants section", "[cli][run][summary]") {
    const scratch_folder out("summary-central");
    const auto result = run_cli("run scenarios/rand-2017-check.json --effect-model linear --draws 0 --quiet --out '" +
                                out.path().string() + "'");
    REQUIRE(result.exit_code == 0);
    const auto run = nlohmann::json::parse(read_text(out.path() / "projection.json"))["runs"][0];
    const double mean = final_row(run, "all", headline_of_shipped_model(), "effect", "with_cut_risk")["mean"];
    const std::string value = three_decimals(mean);
    CHECK(summary_line(result.output, "all").find(value + " [" + value + ", " + value + "]  0.00") !=
          std::string::npos);
    CHECK(result.output.find("one central run") != std::string::npos);
    CHECK(result.output.find("Best plan for all students") == std::string::npos);
}

TEST_CASE("the manifest and --detail list the schools each wave reached, sampled waves as chosen",
          "[cli][run][waves]") {
    const scratch_folder out("waves");
    const auto result = run_cli("run scenarios/denver-scale-up.json --draws 0 --quiet --detail --out '" +
                                (out.path() / "a").string() + "'");
    REQUIRE(result.exit_code == 0);
    const auto manifest = nlohmann::json::parse(read_text(out.path() / "a" / "manifest.json"));
    const auto& waves = manifest["runs"][0]["waves"];
    REQUIRE(waves.size() == 2);

    // The schools CSV, read here independently: id -> (level, tags).
    std::map<std::string, std::pair<std::string, std::string>> schools;
    std::istringstream csv(read_text(shipped / "districts" / "denver-2018-schools.csv"));
    std::string line;
    std::getline(csv, line);  // header: school_id,name,level,...,tags (17th column)
    while (std::getline(csv, line)) {
        std::vector<std::string> cells;
        std::istringstream fields(line);
        for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
        schools[cells[0]] = {cells[2], cells.size() > 16 ? cells[16] : ""};
    }
    std::set<std::string> planning;
    for (const auto& [id, school] : schools) {
        if (school.second.find("pl-planning") != std::string::npos) planning.insert(id);
    }
    CHECK(waves[0]["name"] == "planning cohort");
    CHECK(waves[0]["sampled"] == false);
    CHECK(waves[0]["schools"].get<std::set<std::string>>() == planning);

    CHECK(waves[1]["name"] == "scale-up");
    CHECK(waves[1]["sampled"] == true);
    CHECK(waves[1]["seed"] == 7);
    const auto chosen = waves[1]["schools"].get<std::vector<std::string>>();
    CHECK(chosen.size() == 45);
    CHECK(std::set<std::string>(chosen.begin(), chosen.end()).size() == 45);
    for (const std::string& id : chosen) {
        INFO(id);
        REQUIRE(schools.contains(id));
        CHECK((schools[id].first == "elementary" || schools[id].first == "middle"));
        CHECK_FALSE(planning.contains(id));
        CHECK(result.output.find(" " + id) != std::string::npos);
    }
    CHECK(result.output.find("Wave 'scale-up' from 2019: 45 schools, sampled with seed 7") != std::string::npos);

    // The sample depends on the wave's seed only, not on the run's.
    const auto reseeded = run_cli("run scenarios/denver-scale-up.json --draws 0 --seed 99 --quiet --out '" +
                                  (out.path() / "b").string() + "'");
    REQUIRE(reseeded.exit_code == 0);
    const auto other = nlohmann::json::parse(read_text(out.path() / "b" / "manifest.json"));
    CHECK(other["runs"][0]["waves"] == waves);
}

TEST_CASE("compare prints the same one-screen summary, its numbers the --detail table's", "[cli][compare][summary]") {
    const std::string args =
        "compare scenarios/denver-pilot-2015.json scenarios/denver-scale-up.json --draws 20 --quiet";
    const auto summary = run_cli(args);
    REQUIRE(summary.exit_code == 0);
    std::vector<std::string> printed;  // stdout: the notes and warnings on stderr start with "pathways: "
    for (const std::string& line : lines_of(summary.output)) {
        if (line.rfind("pathways: ", 0) != 0) printed.push_back(line);
    }
    CHECK(printed.size() <= 54);
    for (const std::string& line : printed) {
        INFO(line);
        if (line.rfind("Wrote to ", 0) != 0) CHECK(columns(line) <= 100);  // the folder's length is the user's
    }
    CHECK(summary.output.find("Side by side") == std::string::npos);
    CHECK(summary.output.find("Best plan for all students: ") != std::string::npos);

    const auto detail = run_cli(args + " --detail");
    REQUIRE(detail.exit_code == 0);
    CHECK(detail.output.find("Side by side") != std::string::npos);
    // Each run's effect for all students, four decimals in both.
    for (const char* run : {"denver-pilot-2015", "denver-scale-up"}) {
        INFO(run);
        std::string interval;
        for (const std::string& line : lines_of(summary.output)) {  // the effects table, before the costs
            if (interval.empty() && line.rfind(std::string("  ") + run + " ", 0) == 0) interval = line.substr(24, 26);
        }
        REQUIRE(interval.size() == 26);
        CHECK(detail.output.find(run + std::string(" ")) != std::string::npos);
        CHECK(detail.output.find(interval) != std::string::npos);
    }
}
