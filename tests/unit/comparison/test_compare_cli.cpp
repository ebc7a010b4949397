// `pathways compare`, `compare-models` and `run --all-variants` as a user runs them: outputs,
// and every error path exiting 2 with nothing written.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "../cli/cli_support.hpp"

namespace {

using pathways::test::run_cli;
using pathways::test::scratch_folder;

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> csv_cells(const std::string& line) {
    std::vector<std::string> cells;
    std::stringstream stream(line);
    for (std::string cell; std::getline(stream, cell, ',');) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    return cells;
}

}  // namespace

TEST_CASE("compare of a scenario with itself writes zero paired differences", "[comparison][cli]") {
    scratch_folder out("compare-self");
    const auto result = run_cli(
        "compare scenarios/denver-scale-up.json scenarios/denver-scale-up.json --draws 4 --threads 2 "
        "--quiet --detail --out '" +
        out.path().string() + "'");
    REQUIRE(result.exit_code == 0);
    CHECK(result.output.find("Side by side, year 2022") != std::string::npos);
    CHECK(result.output.find("denver-scale-up (2)") != std::string::npos);
    const std::string csv = read_text(out.path() / "comparison.csv");
    REQUIRE(csv.rfind("year,subgroup,outcome,metric,reference,run,versus,mean,sd,p05,p50,p95,prob_positive\n", 0) == 0);
    std::stringstream lines(csv);
    std::string line;
    std::getline(lines, line);
    std::size_t paired = 0;
    while (std::getline(lines, line)) {
        const auto cells = csv_cells(line);
        REQUIRE(cells.size() == 13);
        if (cells[6].empty()) continue;
        ++paired;
        CHECK(cells[5] == "denver-scale-up (2)");
        CHECK(cells[6] == "denver-scale-up");
        // Suppressed rows leave the values empty; every other difference is exactly zero.
        for (std::size_t c = 7; c < 13; ++c) CHECK((cells[c] == "0" || cells[c].empty()));
    }
    CHECK(paired > 1000);
    CHECK(read_text(out.path() / "manifest.json").find("\"comparison.csv\"") != std::string::npos);
}

TEST_CASE("compare pairs scenarios with different seeds on the first one's seed", "[comparison][cli]") {
    const auto result =
        run_cli("compare scenarios/denver-scale-up.json scenarios/denver-pilot-2015.json --draws 2 --quiet --detail");
    REQUIRE(result.exit_code == 0);
    CHECK(result.output.find("denver-pilot-2015 uses seed 2015; using denver-scale-up's seed 2017") !=
          std::string::npos);
    CHECK(result.output.find("Which run closes which gap most by") != std::string::npos);
}

TEST_CASE("compare and compare-models refuse bad input with exit 2 and write nothing", "[comparison][cli]") {
    scratch_folder out("compare-errors");
    const std::string to = " --draws 2 --quiet --out '" + (out.path() / "x").string() + "'";
    SECTION("a scenario file that does not exist") {
        const auto result = run_cli("compare scenarios/denver-scale-up.json scenarios/nope.json" + to);
        CHECK(result.exit_code == 2);
        CHECK(result.output.find("scenarios/nope.json: error: cannot read file") != std::string::npos);
    }
    SECTION("an unknown variant, reported for every scenario") {
        const auto result =
            run_cli("compare scenarios/denver-scale-up.json scenarios/denver-pilot-2015.json --variant nosuch" + to);
        CHECK(result.exit_code == 2);
        CHECK(result.output.find("denver-scale-up.json: error: /variants: unknown variant 'nosuch'") !=
              std::string::npos);
        CHECK(result.output.find("denver-pilot-2015.json: error: /variants: unknown variant 'nosuch'") !=
              std::string::npos);
    }
    SECTION("an unknown model gets the registry's suggestion") {
        const auto result = run_cli("compare-models scenarios/denver-scale-up.json --models linear,saturatng" + to);
        CHECK(result.exit_code == 2);
        CHECK(result.output.find("unknown effect model 'saturatng'; did you mean 'saturating'?") != std::string::npos);
    }
    SECTION("a model listed twice or an empty name") {
        const auto result = run_cli("compare-models scenarios/denver-scale-up.json --models linear,,linear" + to);
        CHECK(result.exit_code == 2);
        CHECK(result.output.find("--models has an empty name") != std::string::npos);
        CHECK(result.output.find("--models lists 'linear' twice") != std::string::npos);
    }
    SECTION("compare-models on a missing scenario or variant") {
        CHECK(run_cli("compare-models scenarios/nope.json" + to).exit_code == 2);
        const auto result = run_cli("compare-models scenarios/denver-scale-up.json --variant nosuch" + to);
        CHECK(result.exit_code == 2);
        CHECK(result.output.find("unknown variant 'nosuch'") != std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(out.path() / "x"));
}

TEST_CASE("compare-models does not overwrite without --force", "[comparison][cli]") {
    scratch_folder out("compare-models-force");
    const std::string args =
        "compare-models scenarios/denver-scale-up.json --models linear,saturating --draws 2 --quiet --out '" +
        out.path().string() + "'";
    const auto first = run_cli(args);
    REQUIRE(first.exit_code == 0);
    CHECK(first.output.find("Where they disagree most") != std::string::npos);
    // By default the models are weighed by their likelihood of the published anchors.
    CHECK(first.output.find("mixture of models (weights linear=") != std::string::npos);
    CHECK(first.output.find("Mixture weights: proportional to each model's likelihood of the 7 published anchors") !=
          std::string::npos);
    const std::string csv = read_text(out.path() / "models.csv");
    CHECK(csv.rfind("year,subgroup,outcome,metric,model,mean,sd,p05,p50,p95,prob_positive,spread,rank\n", 0) == 0);
    CHECK(csv.find(",effect,\"mixture of models (weights linear=") != std::string::npos);  // quoted: it holds a comma
    const auto equal = run_cli(args + "/equal --weights equal");
    CHECK(equal.output.find("mixture of models (equal weights)") != std::string::npos);
    CHECK(equal.output.find("Mixture weights: equal weights, as asked.") != std::string::npos);
    const auto second = run_cli(args);
    CHECK(second.exit_code == 2);
    CHECK(second.output.find("models.csv: error: output exists; use --force to overwrite it") != std::string::npos);
    CHECK(read_text(out.path() / "models.csv") == csv);
    CHECK(run_cli(args + " --force").exit_code == 0);
}

TEST_CASE("run --all-variants --detail prints the variants side by side", "[comparison][cli]") {
    scratch_folder out("all-variants-compare");
    const auto result =
        run_cli("run scenarios/denver-scale-up.json --all-variants --draws 2 --threads 2 --quiet --detail --out '" +
                out.path().string() + "'");
    REQUIRE(result.exit_code == 0);
    CHECK(result.output.find("difference paired with base on the same draws") != std::string::npos);
    CHECK(result.output.find("foundations_first") != std::string::npos);
    CHECK(result.output.find("Which run closes which gap most by 2022") != std::string::npos);
}

TEST_CASE("compare refuses scenarios whose horizons share no year, naming both, and writes nothing",
          "[comparison][cli]") {
    scratch_folder folder("compare-disjoint");
    const std::filesystem::path root = PATHWAYS_SOURCE_ROOT;
    std::filesystem::create_directories(folder.path() / "districts");
    for (const char* file : {"denver-2018.json", "denver-2018-schools.csv"}) {
        std::filesystem::copy_file(root / "scenarios/districts" / file, folder.path() / "districts" / file);
    }
    // The RAND check projects 2017 only; the same plan moved to 2030 shares no year with it.
    std::string later = read_text(root / "scenarios/rand-2017-check.json");
    const std::string from = "\"start_year\": 2017";
    for (std::size_t at = later.find(from); at != std::string::npos; at = later.find(from, at)) {
        later.replace(at, from.size(), "\"start_year\": 2030");
    }
    std::ofstream(folder.path() / "later.json") << later;
    std::filesystem::copy_file(root / "scenarios/rand-2017-check.json", folder.path() / "now.json");
    const std::filesystem::path out = folder.path() / "out";
    const auto result = run_cli("compare '" + (folder.path() / "now.json").string() + "' '" +
                                (folder.path() / "later.json").string() + "' --draws 0 --out '" + out.string() + "'");
    INFO(result.output);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find("projects 2030-2030 and") != std::string::npos);
    CHECK(result.output.find("projects 2017-2017: no year in common to compare") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));
}
