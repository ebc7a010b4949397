// `pathways run` as a user runs it: outputs, determinism, overwrite protection, interruption,
// and the published findings the shipped defaults reproduce (tagged [findings]).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "cli_support.hpp"
#include "common/sha256.hpp"

namespace {

using pathways::test::read_text;
using pathways::test::run_cli;
using pathways::test::scratch_folder;

/// Final-year mean of a row in projection.json, or NaN.
double final_mean(const std::filesystem::path& folder, const std::string& subgroup, const std::string& outcome,
                  const std::string& metric) {
    const auto results = nlohmann::json::parse(read_text(folder / "projection.json"));
    double value = std::numeric_limits<double>::quiet_NaN();
    int last_year = 0;
    for (const auto& row : results["runs"][0]["rows"]) {
        if (row["subgroup"] == subgroup && row["outcome"] == outcome && row["metric"] == metric &&
            row["year"].get<int>() >= last_year) {
            last_year = row["year"];
            value = row["mean"].is_null() ? value : row["mean"].get<double>();
        }
    }
    return value;
}

}  // namespace

// Every shipped scenario at its own scale, the national ones included: about fifteen minutes under
// AddressSanitizer for code the sanitizer build's unit and golden tests already cover there, so this one
// runs in the normal build only.
#if !defined(__SANITIZE_ADDRESS__)
namespace {

/// The shipped scenario files: every scenarios/*.json that declares the scenario format.
std::vector<std::string> shipped_scenarios() {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(PATHWAYS_SOURCE_ROOT "/scenarios")) {
        if (entry.path().extension() != ".json") continue;
        const auto doc = nlohmann::json::parse(read_text(entry.path()), nullptr, false);
        if (doc.is_object() && doc.contains("pathways") && doc.contains("implementation"))
            names.push_back(entry.path().stem().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

TEST_CASE("every shipped scenario and variant runs and projects every year for all students", "[cli][run]") {
    const std::vector<std::string> scenarios = shipped_scenarios();
    CHECK(scenarios.size() == 7);
    scratch_folder out("all-scenarios");
    for (const std::string& file : scenarios) {
        DYNAMIC_SECTION(file) {
            const auto result = run_cli("run scenarios/" + file + ".json --all-variants --draws 2 --quiet --out '" +
                                        (out.path() / file).string() + "'");
            INFO(result.output);
            REQUIRE(result.exit_code == 0);
            const auto scenario = nlohmann::json::parse(read_text(PATHWAYS_SOURCE_ROOT "/scenarios/" + file + ".json"));
            const auto projection = nlohmann::json::parse(read_text(out.path() / file / "projection.json"));
            const std::size_t variants = scenario.contains("variants") ? scenario["variants"].size() : 0;
            CHECK(projection["runs"].size() == 1 + variants);
            const int start = scenario["horizon"]["start_year"];
            const int years = scenario["horizon"]["years"];
            for (const auto& run : projection["runs"]) {
                std::set<int> projected;
                for (const auto& row : run["rows"]) {
                    if (row["subgroup"] == "all" && row["metric"] == "effect" && row["mean"].is_number() &&
                        std::isfinite(row["mean"].get<double>()))
                        projected.insert(row["year"].get<int>());
                }
                INFO(run["variant"]);
                CHECK(projected.size() == static_cast<std::size_t>(years));
                CHECK(*projected.begin() == start);
            }
        }
    }
}
#endif

TEST_CASE("the same seed twice gives identical bytes", "[cli][run]") {
    scratch_folder out("same-seed");
    const std::string common = "run scenarios/denver-pilot-2015.json --draws 16 --seed 11 --quiet --out '";
    REQUIRE(run_cli(common + (out.path() / "a").string() + "' --threads 1").exit_code == 0);
    REQUIRE(run_cli(common + (out.path() / "b").string() + "' --threads 2").exit_code == 0);
    CHECK(read_text(out.path() / "a" / "projection.csv") == read_text(out.path() / "b" / "projection.csv"));
    CHECK(read_text(out.path() / "a" / "projection.json") == read_text(out.path() / "b" / "projection.json"));
}

TEST_CASE("outputs are not overwritten without --force, and nothing is written on bad input", "[cli][run]") {
    scratch_folder out("overwrite");
    const std::string target = " --draws 0 --quiet --out '" + out.path().string() + "'";
    REQUIRE(run_cli("run scenarios/rand-2017-check.json" + target).exit_code == 0);
    const std::string before = read_text(out.path() / "projection.csv");
    const auto again = run_cli("run scenarios/rand-2017-check.json --effect-model linear" + target);
    CHECK(again.exit_code == 2);
    CHECK(again.output.find("use --force") != std::string::npos);
    CHECK(read_text(out.path() / "projection.csv") == before);
    CHECK(run_cli("run scenarios/rand-2017-check.json --effect-model linear --force" + target).exit_code == 0);
    CHECK(read_text(out.path() / "projection.csv") != before);

    scratch_folder empty("bad-input");
    const auto bad = run_cli("run scenarios/rand-2017-check.json --set no_such_parameter=1 --quiet --out '" +
                             empty.path().string() + "/x'");
    CHECK(bad.exit_code == 2);
    CHECK(bad.output.find("unknown parameter 'no_such_parameter'") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(empty.path() / "x"));
}

TEST_CASE("a new run replaces the folder's run whole: the old report goes, a calibration stays", "[cli][run]") {
    scratch_folder out("one-run");
    const std::string target = " --quiet --out '" + out.path().string() + "'";
    REQUIRE(run_cli("run scenarios/rand-2017-check.json --draws 4 --report" + target).exit_code == 0);
    REQUIRE(std::filesystem::exists(out.path() / "report.html"));
    std::ofstream(out.path() / "calibration-note.json") << "{}";

    REQUIRE(run_cli("run scenarios/rand-2017-check.json --draws 2 --force" + target).exit_code == 0);
    CHECK_FALSE(std::filesystem::exists(out.path() / "report.html"));
    CHECK(std::filesystem::exists(out.path() / "calibration-note.json"));
    const auto manifest = nlohmann::json::parse(read_text(out.path() / "manifest.json"));
    CHECK(manifest["draws"] == 2);
    for (const auto& output : manifest["outputs"].items()) CHECK(std::filesystem::exists(out.path() / output.key()));
}

TEST_CASE("the results folder keeps the inputs it read, each hashed, the parameter files and the model too",
          "[cli][run]") {
    scratch_folder out("kept-inputs");
    const std::filesystem::path parameters = out.path() / "calibrated.json";
    const std::string text = R"({"pathways_parameters": 1, "model": "linear", "parameters": {"scale": 1.25}})";
    std::ofstream(parameters) << text;
    const auto result =
        run_cli("run scenarios/rand-2017-check.json --effect-model linear --draws 2 --quiet --set-file '" +
                parameters.string() + "' --out '" + (out.path() / "run").string() + "'");
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    // The file named on the command line may change later; the copy is what the run read.
    std::ofstream(parameters) << R"({"pathways_parameters": 1, "model": "linear", "parameters": {"scale": 9}})";
    CHECK(read_text(out.path() / "run" / "inputs" / "parameters-1.json") == text);
    const auto manifest = nlohmann::json::parse(read_text(out.path() / "run" / "manifest.json"));
    const auto& inputs = manifest["inputs"];
    CHECK(inputs["parameters-1"]["path"] == parameters.string());
    CHECK(inputs["parameters-1"]["copy"] == "inputs/parameters-1.json");
    CHECK(inputs["parameters-1"]["sha256"] == pathways::sha256_hex(text));
    // Every input but the plugin is kept under inputs/, its hash that of the bytes kept.
    for (const auto& [role, input] : inputs.items()) {
        INFO(role);
        if (role == "plugin") {
            CHECK_FALSE(input.contains("copy"));
            continue;
        }
        const std::string kept = read_text(out.path() / "run" / input["copy"].get<std::string>());
        CHECK(input["sha256"] == pathways::sha256_hex(kept));
    }
    CHECK(read_text(out.path() / "run" / "inputs" / "scenario.json") ==
          read_text(PATHWAYS_SOURCE_ROOT "/scenarios/rand-2017-check.json"));
    CHECK(inputs["model"]["path"] == "<embedded:dps-personalized-learning>");
    // The embedded model is the shipped model file's bytes, so its hash is that file's.
    CHECK(inputs["model"]["sha256"] ==
          pathways::sha256_file(PATHWAYS_SOURCE_ROOT "/scenarios/models/dps-personalized-learning.json").value());
    // So are the anchors and references the binary carries, kept beside the other inputs.
    CHECK(inputs["anchors"]["path"] == "<embedded:anchors>");
    CHECK(inputs["anchors"]["sha256"] == pathways::sha256_file(PATHWAYS_SOURCE_ROOT "/scenarios/anchors.json").value());
    CHECK(inputs["references"]["path"] == "<embedded:references>");
    CHECK(inputs["references"]["sha256"] ==
          pathways::sha256_file(PATHWAYS_SOURCE_ROOT "/scenarios/references.json").value());
    CHECK_FALSE(manifest["source_revision"].get<std::string>().empty());
}

TEST_CASE("a run too large for memory is refused up front", "[cli][run]") {
    scratch_folder out("too-many");
    const auto result =
        run_cli("run scenarios/denver-scale-up.json --draws 1000000 --quiet --out '" + out.path().string() + "/x'");
    CHECK(result.exit_code == 2);
    // Located where the draws were asked for: the option, not the scenario file's /uncertainty/draws.
    CHECK(result.output.find("<command line>: error: --draws: 1000000 draws of ") != std::string::npos);
    CHECK(result.output.find("MiB of per-draw results; expected at most 2048 MiB") != std::string::npos);
    CHECK(result.output.find("/uncertainty/draws") == std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out.path() / "x"));
}

TEST_CASE("Ctrl-C stops a run with exit 130 and leaves no file", "[cli][run]") {
    scratch_folder out("interrupt");
    const std::string command =
        "cd '" PATHWAYS_SOURCE_ROOT "' && exec '" PATHWAYS_CLI
        "' run scenarios/denver-scale-up.json --all-variants --draws 2000 --threads 1 --quiet --out '" +
        out.path().string() + "/run' >/dev/null 2>&1 & pid=$!; sleep 2; kill -INT $pid; wait $pid";
    const int status = std::system(command.c_str());
    CHECK(WEXITSTATUS(status) == 130);
    CHECK_FALSE(std::filesystem::exists(out.path() / "run" / "projection.csv"));
    CHECK_FALSE(std::filesystem::exists(out.path() / "run" / "manifest.json"));
}

TEST_CASE("evidence model at the RAND 2017 setting: about 3 percentile points in math", "[cli][run][findings]") {
    scratch_folder out("rand");
    REQUIRE(
        run_cli("run scenarios/rand-2017-check.json --draws 0 --quiet --out '" + out.path().string() + "'").exit_code ==
        0);
    // Full implementation for one year: 0.08 SD (every anchor fitted at once: Pane et al. 2017 found 0.09),
    // 100·(Φ(Φ⁻¹(p0) + 0.08) − p0) ≈ 3.2 at the median.
    CHECK(final_mean(out.path(), "all", "academic.achievement.math", "effect") == Approx(0.08).margin(1e-6));
    CHECK(final_mean(out.path(), "all", "academic.achievement.math", "percentile_shift") == Approx(3.1).margin(0.5));
}

TEST_CASE("subgroup model defaults: Black students gain less, ELL/FRL/SPED/Hispanic on par or better",
          "[cli][run][findings]") {
    scratch_folder out("subgroup");
    REQUIRE(
        run_cli("run scenarios/denver-scale-up.json --draws 0 --quiet --out '" + out.path().string() + "'").exit_code ==
        0);
    const std::string math = "academic.achievement.math";
    const double district = final_mean(out.path(), "all", math, "effect");
    REQUIRE(district > 0.0);
    CHECK(final_mean(out.path(), "race:black", math, "effect") < district);
    // FRL students include most of the district's Black students, whose multiplier (0.1) pulls the group's
    // mean a little below the district's although FRL's own multiplier is 1.
    for (const char* group : {"ell:ell", "frl:yes", "sped:yes", "race:hispanic"}) {
        INFO(group);
        CHECK(final_mean(out.path(), group, math, "effect") >= 0.9 * district);
    }
}

TEST_CASE("gaps on a profile whose baselines have no race offsets are refused with exit 2", "[cli][run][gaps]") {
    scratch_folder folder("no-race-baselines");
    std::filesystem::create_directories(folder.path() / "districts");
    const std::filesystem::path shipped = std::filesystem::path(PATHWAYS_SOURCE_ROOT) / "scenarios";
    std::filesystem::copy_file(shipped / "districts" / "denver-2018-schools.csv",
                               folder.path() / "districts" / "denver-2018-schools.csv");
    auto district = nlohmann::json::parse(read_text(shipped / "districts" / "denver-2018.json"));
    for (auto& [node, baseline] : district["baseline"].items()) {
        if (!baseline.contains("offsets")) continue;
        nlohmann::json kept = nlohmann::json::object();
        for (auto& [term, offset] : baseline["offsets"].items()) {
            if (term.rfind("race:", 0) != 0) kept[term] = offset;
        }
        baseline["offsets"] = kept;
    }
    std::ofstream(folder.path() / "districts" / "no-race.json") << district.dump(1);
    auto scenario = nlohmann::json::parse(read_text(shipped / "rand-2017-check.json"));
    scenario["district"] = "districts/no-race.json";
    scenario["report"]["subgroups"] = {"all", "race:black", "race:white"};
    scenario["report"]["reference_groups"] = {{"race:black", "race:white"}};
    std::ofstream(folder.path() / "gaps.json") << scenario.dump(1);
    const auto result = run_cli("run gaps.json --draws 2 --quiet --out out", folder.path());
    INFO(result.output);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find(
              "error: /report/reference_groups/race:black: the race:black vs race:white gap needs baseline "
              "offsets for race") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(folder.path() / "out" / "projection.csv"));
}

TEST_CASE("run --split schools in one process writes the bytes of a run that splits nothing", "[cli][run]") {
    scratch_folder out("split-schools");
    const std::string common = "run scenarios/denver-scale-up.json --draws 9 --schools-per-block 16 --quiet --out '";
    REQUIRE(run_cli(common + (out.path() / "plain").string() + "'").exit_code == 0);
    REQUIRE(run_cli(common + (out.path() / "split").string() + "' --split schools").exit_code == 0);
    CHECK(read_text(out.path() / "plain" / "projection.csv") == read_text(out.path() / "split" / "projection.csv"));
    CHECK(read_text(out.path() / "plain" / "projection.json") == read_text(out.path() / "split" / "projection.json"));
}

TEST_CASE("run refuses an unknown --split and a block of no schools, naming the option", "[cli][run]") {
    scratch_folder out("split-refused");
    const std::string common =
        "run scenarios/denver-scale-up.json --draws 2 --quiet --out '" + out.path().string() + "'";
    const auto unknown = run_cli(common + " --split cells");
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.output, Catch::Contains("--split"));
    const auto empty_block = run_cli(common + " --schools-per-block 0");
    CHECK(empty_block.exit_code == 2);
    CHECK_THAT(empty_block.output, Catch::Contains("--schools-per-block: 0 is out of range"));
    CHECK_FALSE(std::filesystem::exists(out.path() / "projection.csv"));
}
