// A results folder keeps the inputs its run read: `pathways rerun` repeats the run from them byte for
// byte, and `pathways report` renders from the folder alone.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"

namespace {

using pathways::test::read_text;
using pathways::test::run_cli;
using pathways::test::scratch_folder;

/// A copy of the scenario and the district files it names, in `folder`, so a test may change or
/// delete them after the run.
void copy_scenario(const std::filesystem::path& folder) {
    const std::filesystem::path source = std::filesystem::path(PATHWAYS_SOURCE_ROOT) / "scenarios";
    std::filesystem::create_directories(folder / "scenarios" / "districts");
    std::filesystem::copy_file(source / "rand-2015-check.json", folder / "scenarios" / "rand-2015-check.json");
    for (const char* file : {"denver-2018.json", "denver-2018-schools.csv"})
        std::filesystem::copy_file(source / "districts" / file, folder / "scenarios" / "districts" / file);
}

}  // namespace

TEST_CASE("rerun repeats a run from the inputs its folder keeps, the same bytes after the originals change",
          "[cli][rerun]") {
    scratch_folder work("rerun");
    copy_scenario(work.path());
    REQUIRE(run_cli("run scenarios/rand-2015-check.json --draws 8 --quiet --out out/first", work.path()).exit_code ==
            0);
    // The scenario named on the command line changes after the run: the folder's copy is what counts.
    auto scenario = nlohmann::json::parse(read_text(work.path() / "scenarios" / "rand-2015-check.json"));
    scenario["uncertainty"]["seed"] = 99;
    std::ofstream(work.path() / "scenarios" / "rand-2015-check.json") << scenario.dump(1);

    const auto again = run_cli("rerun out/first --threads 2 --quiet", work.path());
    INFO(again.output);
    CHECK(again.exit_code == 0);
    CHECK(again.output.find("projection.csv: the same bytes") != std::string::npos);
    CHECK(again.output.find("Reproduced: ") != std::string::npos);
    CHECK(again.output.find("differs") == std::string::npos);
    CHECK(read_text(work.path() / "out" / "first" / "projection.json") ==
          read_text(work.path() / "out" / "first-rerun" / "projection.json"));

    // A kept input changed by hand does not reproduce the files: exit 4, each file named. (The seed and
    // draws are the manifest's, so the change is to the plan: every school to level 2, not 3.)
    auto kept = nlohmann::json::parse(read_text(work.path() / "out" / "first" / "inputs" / "scenario.json"));
    kept["implementation"]["waves"][0]["targets"]["*"] = 2.0;
    std::ofstream(work.path() / "out" / "first" / "inputs" / "scenario.json") << kept.dump(1);
    const auto changed = run_cli("rerun out/first --out out/second --quiet", work.path());
    INFO(changed.output);
    CHECK(changed.exit_code == 4);
    CHECK(changed.output.find("projection.csv: differs") != std::string::npos);
    CHECK(changed.output.find("Not reproduced: ") != std::string::npos);
}

TEST_CASE("rerun refuses a folder that keeps no inputs, saying why", "[cli][rerun]") {
    scratch_folder work("rerun-old");
    copy_scenario(work.path());
    REQUIRE(run_cli("run scenarios/rand-2015-check.json --draws 2 --quiet --out out/old", work.path()).exit_code == 0);
    // A folder as older versions wrote it: no inputs/ and no `copy` in the manifest.
    auto manifest = nlohmann::json::parse(read_text(work.path() / "out" / "old" / "manifest.json"));
    for (auto& [role, input] : manifest["inputs"].items()) input.erase("copy");
    std::ofstream(work.path() / "out" / "old" / "manifest.json") << manifest.dump(1);
    const auto result = run_cli("rerun out/old", work.path());
    CHECK(result.exit_code == 2);
    CHECK(result.output.find("the folder keeps no copy of its inputs") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(work.path() / "out" / "old-rerun"));
}

TEST_CASE("report renders from the results folder alone: the same bytes after the inputs are deleted",
          "[cli][rerun][report]") {
    scratch_folder work("report-alone");
    copy_scenario(work.path());
    REQUIRE(run_cli("run scenarios/rand-2015-check.json --draws 8 --quiet --out out/r", work.path()).exit_code == 0);
    REQUIRE(run_cli("report out/r -o before.html", work.path()).exit_code == 0);
    std::filesystem::remove_all(work.path() / "scenarios");
    const auto after = run_cli("report out/r -o after.html", work.path());
    INFO(after.output);
    REQUIRE(after.exit_code == 0);
    CHECK(after.output.find("the runs were not repeated") == std::string::npos);  // paired on the kept inputs
    const std::string before_html = read_text(work.path() / "before.html");
    CHECK(before_html.size() > 10000);
    CHECK(before_html == read_text(work.path() / "after.html"));
}
