// The run layer: requests checked once and naming where each setting came from, execute's typed
// results, the one manifest, and results folders that read back into what was written.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "../cli/cli_support.hpp"
#include "../support/engine_fixture.hpp"
#include "common/version.hpp"
#include "report/output_files.hpp"
#include "report/run_writers.hpp"
#include "run/execute.hpp"
#include "run/manifest.hpp"
#include "scenario/results_reader.hpp"
#include "scenario/results_writer.hpp"

namespace {

using namespace pathways;
using pathways::test::scratch_folder;
using pathways::test::shipped_plugins;

const std::string pilot = std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-pilot-2015.json";

std::vector<std::string> messages(const diagnostics& found) {
    std::vector<std::string> out;
    for (const diagnostic& d : found.items()) out.push_back(format_diagnostic(d));
    return out;
}

bool contains(const std::vector<std::string>& lines, const std::string& text) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const std::string& line) { return line.find(text) != std::string::npos; });
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

/// Equal numbers, or both undefined (NaN: suppressed or not closing at this pace).
bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

void require_same_rows(const result_run& read, const result_run& written) {
    CHECK(read.scenario == written.scenario);
    CHECK(read.variant == written.variant);
    CHECK(read.model == written.model);
    CHECK(read.draws == written.draws);
    CHECK(read.suppression == written.suppression);
    REQUIRE(read.cut_risk);
    REQUIRE(written.cut_risk);
    CHECK(read.cut_risk->annual_probability == written.cut_risk->annual_probability);
    CHECK(read.cut_risk->cut_draws == written.cut_risk->cut_draws);
    REQUIRE(read.rows.size() == written.rows.size());
    std::size_t differing = 0;
    for (std::size_t i = 0; i < read.rows.size(); ++i) {
        const result_row& a = read.rows[i];
        const result_row& b = written.rows[i];
        const bool equal = a.year == b.year && a.subgroup == b.subgroup && a.outcome == b.outcome &&
                           a.metric == b.metric && a.course == b.course && a.reference == b.reference &&
                           same(a.mean, b.mean) && same(a.sd, b.sd) && same(a.p05, b.p05) && same(a.p50, b.p50) &&
                           same(a.p95, b.p95) && same(a.prob_positive, b.prob_positive) &&
                           same(a.n_students, b.n_students) && a.suppressed == b.suppressed;
        if (!equal) ++differing;
    }
    CHECK(differing == 0);
}

}  // namespace

TEST_CASE("command-line integers are read and held to the scenario file's ranges, naming the option",
          "[run][request]") {
    SECTION("text that is not an integer, or beyond any integer") {
        diagnostics found;
        CHECK_FALSE(integer_option("--draws", "2.5", draws_limits, found));
        CHECK_FALSE(integer_option("--seed", "18446744073709551616", seed_limits, found));
        CHECK_FALSE(integer_option("--seed", "-1", seed_limits, found));
        CHECK_FALSE(integer_option("--min-n", "", min_n_limits, found));
        CHECK(messages(found) ==
              std::vector<std::string>{
                  "<command line>: error: --draws: '2.5' is not an integer; expected an integer from 0 to 1000000",
                  "<command line>: error: --seed: 18446744073709551616 is out of range; expected an integer "
                  "from 0 to 9223372036854775807",
                  "<command line>: error: --seed: -1 is out of range; expected an integer from 0 to "
                  "9223372036854775807",
                  "<command line>: error: --min-n: '' is not an integer; expected an integer from 1 to 1000000"});
    }
    SECTION("a value in range keeps its option as its origin") {
        diagnostics found;
        const auto draws = integer_option("--draws", "1000000", draws_limits, found);
        REQUIRE(draws);
        CHECK(draws->value == 1'000'000);
        CHECK(draws->origin.file == "<command line>");
        CHECK(draws->origin.pointer == "--draws");
        CHECK_FALSE(found.has_errors());
    }
}

TEST_CASE("check reports every bad setting of a request at its origin, all in one pass", "[run][request]") {
    const plugin_registry plugins = shipped_plugins();
    run_request request;
    request.scenario_file = pilot;
    request.draws = setting<std::int64_t>{-5, option_origin("--draws")};
    request.seed = setting<std::int64_t>{-1, {"settings.json", 3, 9, "/seed"}};
    request.min_n = setting<std::int64_t>{0, option_origin("--min-n")};
    request.effect_model = setting<std::string>{"linaer", option_origin("--effect-model")};
    diagnostics found;
    CHECK_FALSE(check(request, plugins, found));
    const auto lines = messages(found);
    REQUIRE(lines.size() == 4);
    CHECK(contains(lines, "<command line>: error: --draws: -5 is out of range; expected an integer from 0 to 1000000"));
    CHECK(contains(
        lines,
        "settings.json:3:9: error: /seed: -1 is out of range; expected an integer from 0 to 9223372036854775807"));
    CHECK(contains(lines, "<command line>: error: --min-n: 0 is out of range; expected an integer from 1 to 1000000"));
    CHECK(contains(lines, "<command line>: error: --effect-model: unknown effect model 'linaer'"));

    SECTION("prepare refuses the same request before loading anything") {
        diagnostics again;
        CHECK_FALSE(prepare(request, plugins, again));
        CHECK(messages(again) == lines);
    }
    SECTION("a request without a scenario is an error") {
        diagnostics none;
        CHECK_FALSE(check(run_request{}, plugins, none));
        CHECK(contains(messages(none), "no scenario file"));
    }
}

TEST_CASE("execute runs every variant once and returns typed results", "[run][execute]") {
    const plugin_registry plugins = shipped_plugins();
    run_request request;
    request.scenario_file = std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-scale-up.json";
    request.all_variants = true;
    request.draws = setting<std::int64_t>{3, option_origin("--draws")};
    std::vector<std::string> started;
    run_hooks hooks;
    hooks.started = [&](const std::string& run) { started.push_back(run); };
    hooks.keep = kept_draws::final_year;
    const run_results results = execute(request, plugins, hooks);
    REQUIRE_FALSE(results.cancelled);
    REQUIRE(results.runs.size() >= 2);
    CHECK(started.front() == "base");
    CHECK(started.size() == results.runs.size());
    for (const finished_run& run : results.runs) {
        CHECK(run.result.draws == 3);  // --draws over the scenario's, for every variant: one truth, the scenario's spec
        CHECK(run.loaded->spec.draws == 3);
        REQUIRE(run.draws);
        CHECK(run.draws->draws == 3);
        CHECK(run.draws->values.size() == 3 * run.draws->rows.size());
        CHECK(run.result.rows.size() == run.result.summaries.size());
    }

    SECTION("a cancelled run returns no results") {
        std::atomic<bool> cancel{true};
        run_hooks stop;
        stop.cancel = &cancel;
        CHECK(execute(request, plugins, stop).cancelled);
    }
}

TEST_CASE("a results folder reads back into exactly what the writers were given", "[run][round-trip]") {
    const plugin_registry plugins = shipped_plugins();
    run_request request;
    request.scenario_file = pilot;
    request.all_variants = true;
    request.draws = setting<std::int64_t>{4, option_origin("--draws")};
    request.min_n = setting<std::int64_t>{5, option_origin("--min-n")};  // below the floor: not for public release
    request.command_line = {"pathways", "run", pilot};
    const run_results results = execute(request, plugins, {});
    REQUIRE_FALSE(results.for_release);

    scratch_folder folder("round-trip");
    run_manifest manifest = manifest_of(results);
    const std::string json = projection_json(results);
    add_output(manifest, "projection.json", json);
    write_text(folder.path() / "projection.json", json);
    write_text(folder.path() / "manifest.json", manifest_json_text(manifest));

    diagnostics found;
    const auto read = read_results(folder.path(), found);
    INFO(messages(found).size());
    REQUIRE(read);
    const results_folder expected = results_of(results, manifest, folder.path());
    REQUIRE(read->runs.size() == expected.runs.size());
    for (std::size_t r = 0; r < read->runs.size(); ++r) require_same_rows(read->runs[r], expected.runs[r]);

    const run_manifest& m = read->manifest;
    CHECK(m.pathways_version == manifest.pathways_version);
    CHECK(m.sdk_abi == manifest.sdk_abi);
    CHECK(m.build == manifest.build);
    CHECK(m.command_line == manifest.command_line);
    CHECK(m.scenario == manifest.scenario);
    CHECK(m.effect_model == manifest.effect_model);
    CHECK(m.effect_model_version == manifest.effect_model_version);
    CHECK(m.pinned == manifest.pinned);
    CHECK(m.seed == manifest.seed);
    CHECK(m.draws == 4);
    CHECK(m.min_n == 5);
    CHECK_FALSE(m.public_release);
    CHECK(m.cells == manifest.cells);
    CHECK(m.students == manifest.students);
    CHECK(m.ipf_max_iterations == manifest.ipf_max_iterations);
    CHECK(m.ipf_worst_error == manifest.ipf_worst_error);
    REQUIRE(m.inputs.size() == manifest.inputs.size());
    for (const manifest_input& written : manifest.inputs) {  // an object: read back by role, in any order
        INFO(written.role);
        const manifest_input* input = m.input(written.role);
        REQUIRE(input != nullptr);
        CHECK(input->path == written.path);
        CHECK(input->sha256 == written.sha256);
    }
    REQUIRE(m.runs.size() == results.runs.size());
    for (std::size_t r = 0; r < m.runs.size(); ++r) {
        CHECK(m.runs[r].variant == results.runs[r].name);
        CHECK(m.runs[r].seconds == results.runs[r].seconds);
        CHECK(m.runs[r].min_n == 5);
        // The pilot's one wave: every school tagged pl-pilot, chosen by the selector (no sample).
        REQUIRE(manifest.runs[r].waves.size() == 1);
        const manifest_wave& wave = manifest.runs[r].waves[0];
        CHECK(wave.name == "2015 pilot");
        CHECK(wave.start_year == 2015);
        CHECK_FALSE(wave.sampled);
        CHECK(wave.seed == 0);
        // The schools tagged pl-pilot in denver-2018-schools.csv, in its order.
        CHECK(wave.schools ==
              std::vector<std::string>{"den-e020", "den-e038", "den-e098", "den-k012", "den-m009", "den-m026"});
        CHECK(m.runs[r].waves == manifest.runs[r].waves);
    }
    CHECK(m.outputs == manifest.outputs);
    CHECK(is_results_folder(folder.path()));
}

TEST_CASE("a manifest's waves are read with their types checked, each problem at its place", "[run][round-trip]") {
    const std::string projection =
        R"({"runs": [{"scenario": "s", "variant": "base", "model": "linear", "draws": 1, "rows": []}]})";
    const auto manifest_with = [](const std::string& wave) {
        return R"({"scenario": "s", "inputs": {"scenario": {"path": "a.json"}},
                   "runs": [{"variant": "base", "seconds": 1, "waves": [)" +
               wave + "]}]}";
    };
    SECTION("a complete wave") {
        diagnostics found;
        const auto read = read_results_text(
            projection,
            manifest_with(R"({"name": "w", "start_year": 2019, "sampled": true, "seed": 7, "schools": ["a", "b"]})"),
            "out", found);
        REQUIRE(read);
        REQUIRE(read->manifest.runs.size() == 1);
        CHECK(read->manifest.runs[0].waves == std::vector<manifest_wave>{{"w", 2019, true, 7, {"a", "b"}}});
    }
    SECTION("a mistyped flag, a missing school list and a school id that is not text") {
        diagnostics found;
        CHECK_FALSE(
            read_results_text(projection,
                              manifest_with(
                                  R"({"name": "w", "start_year": 2019, "sampled": "yes", "seed": 7}, )"
                                  R"({"name": "v", "start_year": 2020, "sampled": false, "seed": 0, "schools": [3]})"),
                              "out", found));
        const auto& items = found.items();
        REQUIRE(items.size() == 3);
        CHECK(items[0].pointer == "/runs/0/waves/0/sampled");
        CHECK(items[1].pointer == "/runs/0/waves/0");  // a missing key is reported at its object
        CHECK(items[1].message.find("'schools'") != std::string::npos);
        CHECK(items[2].pointer == "/runs/0/waves/1/schools/0");
    }
}

TEST_CASE("projection.csv has the columns the JSON rows have, from one definition", "[run][round-trip]") {
    result_run run;
    run.scenario = "s, with a comma";
    run.variant = "base";
    run.model = "linear";
    run.rows.push_back({2020, "all", "academic.achievement.math", "effect", "with_cut_risk", "", 0.1234567, 0.5, -0.25,
                        0.125, 0.75, 1.0, 1000.0, false});
    run.rows.push_back({2020, "race:tiny", "academic.achievement.math", "effect", "with_cut_risk", "", NAN, NAN, NAN,
                        NAN, NAN, NAN, NAN, true});
    CHECK(projection_csv_text({run}, true) ==
          "scenario,variant,model,year,subgroup,outcome,metric,course,reference,mean,sd,p05,p50,p95,prob_positive,n_"
          "students,"
          "suppressed\n"
          "\"s, with a "
          "comma\",base,linear,2020,all,academic.achievement.math,effect,with_cut_risk,,0.1234567,0.5,-0.25,0.125,"
          "0.75,1,1000,0\n"
          "\"s, with a comma\",base,linear,2020,race:tiny,academic.achievement.math,effect,with_cut_risk,,,,,,,,,1\n");
    CHECK(projection_csv_text({run}, false).starts_with("# NOT FOR PUBLIC RELEASE"));
    // Numbers read back as the same double (shortest round-trip text); summation residue reads as 0.
    CHECK(as_written(0.1234567) == 0.1234567);
    CHECK(as_written(0.1 + 0.2) == 0.1 + 0.2);
    CHECK(as_written(-1e-15) == 0.0);
}

TEST_CASE("run, compare and sweep write manifests of one shape", "[run][manifest][cli]") {
    using pathways::test::run_cli;
    scratch_folder out("manifests");
    const std::string scale_up = std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-scale-up.json";
    const std::string o = out.path().string();
    REQUIRE(run_cli("run '" + pilot + "' --draws 2 --quiet --out '" + o + "/run'").exit_code == 0);
    REQUIRE(
        run_cli("compare '" + pilot + "' '" + scale_up + "' --draws 2 --quiet --out '" + o + "/compare'").exit_code ==
        0);
    REQUIRE(run_cli("sweep '" + pilot + "' --grid /implementation/ramp/years_to_half=1,2 --draws 2 --quiet --out '" +
                    o + "/sweep'")
                .exit_code == 0);
    for (const auto& [folder, file] : std::vector<std::pair<std::string, std::string>>{
             {"run", "manifest.json"}, {"compare", "manifest.json"}, {"sweep", "sweep-manifest.json"}}) {
        DYNAMIC_SECTION(folder) {
            std::ifstream in(out.path() / folder / file);
            const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
            const auto manifest = nlohmann::json::parse(text);
            for (const char* key :
                 {"pathways_version", "sdk_abi", "build", "command_line", "scenario", "effect_model", "seed", "draws",
                  "threads", "suppression", "min_n", "public_release", "inputs", "population", "runs", "outputs"}) {
                INFO(key);
                CHECK(manifest.contains(key));
            }
            CHECK(manifest["inputs"]["scenario"]["sha256"].get<std::string>().size() == 64);
            CHECK(manifest["draws"] == 2);
            CHECK(manifest["pathways_version"] == pathways::version);
        }
    }
}

TEST_CASE("draws too many for memory are refused before running, at the option that asked for them", "[run][request]") {
    const plugin_registry plugins = shipped_plugins();
    run_request request;
    request.scenario_file = std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-scale-up.json";
    request.draws = setting<std::int64_t>{1'000'000, option_origin("--draws")};
    diagnostics found;
    CHECK_FALSE(prepare(request, plugins, found));
    const auto lines = messages(found);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].starts_with("<command line>: error: --draws: 1000000 draws of "));
    CHECK(lines[0].find("MiB of per-draw results; expected at most 2048 MiB") != std::string::npos);
}
