// `pathways calibrate` and `--set-file` as a user runs them: the round trip from an anchor to a
// parameter file to a run that reproduces the anchor, and every refusal with exit 2 and nothing written.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <tuple>

#include "cli_support.hpp"

namespace {

using pathways::test::read_text;
using pathways::test::run_cli;
using pathways::test::scratch_folder;

void write_text(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

/// Final-year mean of the whole district's effect on `outcome` in a run folder's projection.json.
double district_effect(const std::filesystem::path& folder, const std::string& outcome) {
    const auto results = nlohmann::json::parse(read_text(folder / "projection.json"));
    double value = std::nan("");
    int last_year = 0;
    for (const auto& row : results["runs"][0]["rows"]) {
        if (row["subgroup"] == "all" && row["outcome"] == outcome && row["metric"] == "effect" &&
            row["year"].get<int>() >= last_year) {
            last_year = row["year"];
            value = row["mean"].get<double>();
        }
    }
    return value;
}

const std::string scenario = "scenarios/rand-2017-check.json";

}  // namespace

TEST_CASE("calibrate writes a parameter file that run --set-file reproduces the anchor with", "[cli][calibrate]") {
    scratch_folder out("calibrate-round-trip");
    const std::string file = (out.path() / "linear.json").string();
    const auto calibrated =
        run_cli("calibrate " + scenario + " --anchor rand2017-math --effect-model linear --out '" + file + "'");
    INFO(calibrated.output);
    REQUIRE(calibrated.exit_code == 0);
    CHECK(calibrated.output.find("--set scale=") != std::string::npos);
    const auto written = nlohmann::json::parse(read_text(file));
    CHECK(written["model"] == "linear");
    CHECK(written["provenance"]["anchor"] == "rand2017-math");
    CHECK(written["provenance"]["reference"].get<std::string>().find("Pane, J. F.") == 0);
    CHECK(written["provenance"]["target_effect"] == 0.09);
    const double scale = written["parameters"]["scale"].get<double>();
    CHECK(scale > 0.0);
    CHECK(scale < 3.0);

    // The same calibration again writes the same bytes (no date, no machine in the file).
    const std::string first_bytes = read_text(file);
    REQUIRE(
        run_cli("calibrate " + scenario + " --anchor rand2017-math --effect-model linear --force --out '" + file + "'")
            .exit_code == 0);
    CHECK(read_text(file) == first_bytes);

    const auto run = run_cli("run " + scenario + " --effect-model linear --set-file '" + file +
                             "' --draws 0 --quiet --format json --out '" + (out.path() / "run").string() + "'");
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    CHECK(std::abs(district_effect(out.path() / "run", "academic.achievement.math") - 0.09) < 1e-6);

    // --set wins over the file: scale 0 leaves nothing of PL's effect.
    const auto pinned =
        run_cli("run " + scenario + " --effect-model linear --set-file '" + file +
                "' --set scale=0 --draws 0 --quiet --format json --out '" + (out.path() / "pinned").string() + "'");
    REQUIRE(pinned.exit_code == 0);
    CHECK(district_effect(out.path() / "pinned", "academic.achievement.math") == 0.0);
}

TEST_CASE("calibrate solves each calibratable model's own knob", "[cli][calibrate]") {
    scratch_folder out("calibrate-models");
    for (const auto& [model, anchor, outcome, effect] :
         {std::tuple{"lagged", "rand2017-reading", "academic.achievement.ela", 0.07},
          std::tuple{"evidence", "rand2017-math", "academic.achievement.math", 0.09}}) {
        const std::string file = (out.path() / (std::string(model) + ".json")).string();
        const auto calibrated = run_cli("calibrate " + scenario + " --anchor " + anchor + " --effect-model " + model +
                                        " --out '" + file + "'");
        INFO(calibrated.output);
        REQUIRE(calibrated.exit_code == 0);
        const auto run = run_cli("run " + scenario + " --effect-model " + model + " --set-file '" + file +
                                 "' --draws 0 --quiet --format json --out '" + (out.path() / model).string() + "'");
        INFO(run.output);
        REQUIRE(run.exit_code == 0);
        CHECK(std::abs(district_effect(out.path() / model, outcome) - effect) < 1e-6);
    }
}

TEST_CASE("calibrate refuses bad requests with exit 2 and writes nothing", "[cli][calibrate]") {
    scratch_folder out("calibrate-errors");
    const std::string to = " --out '" + (out.path() / "p.json").string() + "'";

    SECTION("an unknown anchor, with a suggestion and the list") {
        const auto result = run_cli("calibrate " + scenario + " --anchor rand2017-mth" + to);
        CHECK(result.exit_code == 2);
        CHECK(result.output.find("unknown anchor 'rand2017-mth'; did you mean 'rand2017-math'?") != std::string::npos);
        CHECK(result.output.find("known anchors: rand2017-math, rand2017-reading, rand2015-math") != std::string::npos);
    }
    SECTION("a model without a calibration parameter") {
        const auto result =
            run_cli("calibrate " + scenario + " --anchor rand2017-math --effect-model fixture_throws --plugin-dir '" +
                    PATHWAYS_FIXTURE_PLUGIN_DIR + "/throws_in_evaluate'" + to);
        CHECK(result.exit_code == 2);
        CHECK(result.output.find("effect model 'fixture_throws' declares no calibration parameter") !=
              std::string::npos);
        CHECK(result.output.find("linear (scale)") != std::string::npos);
    }
    SECTION("an effect the knob's range cannot reach, with the effect at both ends") {
        const auto anchors = out.path() / "mine.json";
        write_text(anchors, R"({"pathways_anchors": 1, "anchors": [{"id": "harmful", "reference": "r", "design": "d",
            "outcome": "academic.achievement.math", "years": 1, "effect": -0.5, "evidence": "A", "standard_error": 0.1,
            "standard_error_evidence": "A", "note": ""}]})");
        const auto result =
            run_cli("calibrate " + scenario + " --anchor harmful --effect-model linear --anchors-file '" +
                    anchors.string() + "'" + to);
        CHECK(result.exit_code == 2);
        CHECK(result.output.find(
                  "no value of 'scale' in its declared range [0, 3] gives the anchor's effect -0.5: scale = 0 "
                  "gives +0.0000, scale = 3 gives +") != std::string::npos);
    }
    SECTION("a user anchor that reuses a shipped id, or an outcome the model lacks") {
        const auto anchors = out.path() / "mine.json";
        write_text(anchors,
                   R"({"pathways_anchors": 1, "anchors": [{"id": "rand2017-math", "reference": "r", "design": "d",
            "outcome": "academic.achievement.math", "years": 1, "effect": 0.1, "evidence": "A", "standard_error": 0.1,
            "standard_error_evidence": "A", "note": ""}, {"id": "art", "reference": "r", "design": "d",
            "outcome": "academic.achievement.art", "years": 1, "effect": 0.1, "evidence": "A", "standard_error": 0.1,
            "standard_error_evidence": "A", "note": ""}]})");
        const auto reused =
            run_cli("calibrate " + scenario + " --anchor art --anchors-file '" + anchors.string() + "'" + to);
        CHECK(reused.exit_code == 2);
        CHECK(
            reused.output.find(":1:37: error: /anchors/0/id: anchor id 'rand2017-math' is already a shipped anchor") !=
            std::string::npos);
        write_text(anchors, R"({"pathways_anchors": 1, "anchors": [{"id": "art", "reference": "r", "design": "d",
            "outcome": "academic.achievement.art", "years": 1, "effect": 0.1, "evidence": "A", "standard_error": 0.1,
            "standard_error_evidence": "A", "note": ""}]})");
        const auto unknown =
            run_cli("calibrate " + scenario + " --anchor art --anchors-file '" + anchors.string() + "'" + to);
        CHECK(unknown.exit_code == 2);
        CHECK(unknown.output.find(
                  "/anchors/0/outcome: anchor 'art': 'academic.achievement.art' is not an outcome of model") !=
              std::string::npos);
    }
    SECTION("pinning the knob it solves for") {
        const auto result =
            run_cli("calibrate " + scenario + " --anchor rand2017-math --effect-model linear --set scale=1" + to);
        CHECK(result.exit_code == 2);
        CHECK(result.output.find("parameter 'scale' is the knob calibration solves for") != std::string::npos);
    }
    CHECK_FALSE(std::filesystem::exists(out.path() / "p.json"));
}

TEST_CASE("parameter files given with --set-file are checked like scenario values, at the file's line and column",
          "[cli][set-file]") {
    scratch_folder out("set-file-errors");
    const auto file = out.path() / "params.json";
    write_text(file,
               "{\"pathways_parameters\": 1, \"model\": \"linear\",\n \"parameters\": {\"scale\": 7, \"sclae\": 1}}");
    const auto result = run_cli("run " + scenario + " --effect-model linear --set-file '" + file.string() +
                                "' --draws 0 --quiet --out '" + (out.path() / "run").string() + "'");
    CHECK(result.exit_code == 2);
    CHECK(result.output.find(file.string() +
                             ":2:26: error: /parameters/scale: parameter 'scale' of effect model 'linear' is 7, "
                             "outside its valid range [0, 3]") != std::string::npos);
    CHECK(result.output.find(file.string() +
                             ":2:38: error: /parameters/sclae: unknown parameter 'sclae' of effect model 'linear'; "
                             "did you mean 'scale'?") != std::string::npos);
    // A file for another model than the run's.
    const auto other = run_cli("run " + scenario + " --set-file '" + file.string() + "' --draws 0 --quiet --out '" +
                               (out.path() / "run").string() + "'");
    CHECK(other.exit_code == 2);
    CHECK(other.output.find(
              "is for effect model 'linear', but this run uses 'evidence'; expected --effect-model linear") !=
          std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out.path() / "run"));
}

TEST_CASE("compare-models takes per-model settings and mixture weights, and refuses bad ones",
          "[cli][compare-models]") {
    const std::string base = "compare-models " + scenario + " --models linear,evidence --draws 0 --quiet ";
    const auto ok = run_cli(base + "--set linear:scale=0.5 --set effect.reading=0.05 --weights linear=3,evidence=1");
    INFO(ok.output);
    CHECK(ok.exit_code == 0);
    CHECK(ok.output.find("mixture of models (weights linear=0.75, evidence=0.25)") != std::string::npos);

    const auto missing = run_cli(base + "--weights linear=1");
    CHECK(missing.exit_code == 2);
    CHECK(missing.output.find("--weights: no weight for 'evidence'; expected one for every compared model") !=
          std::string::npos);
    const auto malformed = run_cli(base + "--weights linear=x,evidence=1");
    CHECK(malformed.exit_code == 2);
    CHECK(malformed.output.find("--weights item 'linear=x' is malformed; expected MODEL=NUMBER") != std::string::npos);
    const auto negative = run_cli(base + "--weights linear=-1,evidence=1");
    CHECK(negative.exit_code == 2);
    CHECK(negative.output.find("weight for 'linear' must be a positive number") != std::string::npos);
    const auto nobody = run_cli(base + "--set nosuch=1");
    CHECK(nobody.exit_code == 2);
    CHECK(nobody.output.find("no compared effect model declares parameter 'nosuch'") != std::string::npos);
    const auto elsewhere = run_cli(base + "--set lagged:annual_rate=1");
    CHECK(elsewhere.exit_code == 2);
    CHECK(elsewhere.output.find("parameter 'annual_rate' is for effect model 'lagged', which is not compared") !=
          std::string::npos);
    const auto typo = run_cli(base + "--set linear:scael=1");
    CHECK(typo.exit_code == 2);
    CHECK(typo.output.find("unknown parameter 'scael' of effect model 'linear'; did you mean 'scale'?") !=
          std::string::npos);
}

TEST_CASE("validate checks anchors and parameter files too", "[cli][set-file]") {
    scratch_folder out("validate-parameter-files");
    const auto good = out.path() / "good.json";
    write_text(good, R"({"pathways_parameters": 1, "model": "linear", "parameters": {"scale": 0.5}})");
    const auto ok = run_cli("validate scenarios/anchors.json '" + good.string() + "'");
    INFO(ok.output);
    CHECK(ok.exit_code == 0);
    CHECK(ok.output.find("2 files valid") != std::string::npos);
    const auto bad = out.path() / "bad.json";
    write_text(bad, R"({"pathways_parameters": 1, "model": "linaer", "parameters": {"scale": 0.5}})");
    const auto refused = run_cli("validate '" + bad.string() + "'");
    CHECK(refused.exit_code == 2);
    CHECK(refused.output.find(bad.string() + ":1:37: error: /model: ") != std::string::npos);
    CHECK(refused.output.find("did you mean 'linear'?") != std::string::npos);
}
