// The joint posterior `calibrate --observed` writes (posterior_draws: the weights of the prior's draws)
// as `run --set-file` draws from it: every draw is one of the prior's draws, whole, and the projection
// is the prior's draws re-weighted. Checked against a prior run of the same seed, draw by draw.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../cli/cli_support.hpp"

namespace {

using pathways::test::csv_rows;
using pathways::test::read_text;
using pathways::test::run_cli;
using pathways::test::scratch_folder;
namespace fs = std::filesystem;

const std::string observed = PATHWAYS_SOURCE_ROOT "/scenarios/observed/denver-pilot-2017-2019-synthetic.csv";

/// The Denver scale-up over the three observed years, reporting all students and PL students on math
/// only, so that a 200-draw per-draw file stays small; its district copied beside it.
void write_small_scenario(const fs::path& folder) {
    const fs::path districts = fs::path(PATHWAYS_SOURCE_ROOT) / "scenarios" / "districts";
    fs::create_directories(folder / "districts");
    fs::copy_file(districts / "denver-2018.json", folder / "districts" / "denver-2018.json");
    fs::copy_file(districts / "denver-2018-schools.csv", folder / "districts" / "denver-2018-schools.csv");
    auto spec = nlohmann::json::parse(read_text(fs::path(PATHWAYS_SOURCE_ROOT) / "scenarios" / "denver-scale-up.json"));
    spec["district"] = "districts/denver-2018.json";
    spec["horizon"] = {{"start_year", 2017}, {"years", 3}};
    spec["report"] = {{"subgroups", {"all", "pl:yes"}}, {"outcomes", {"academic.achievement.math"}}, {"min_n", 16}};
    spec.erase("variants");
    std::ofstream(folder / "small.json") << spec.dump(1);
}

std::string without_comment(const std::string& text) {
    return text.rfind('#', 0) == 0 ? text.substr(text.find('\n') + 1) : text;
}

/// Per draw: every sampled input's value, from inputs.csv.
std::map<std::string, std::map<std::string, std::string>> inputs_by_draw(const fs::path& folder) {
    std::map<std::string, std::map<std::string, std::string>> by_draw;
    for (const auto& line : csv_rows(read_text(folder / "inputs.csv")))
        by_draw[line.at("draw")][line.at("input")] = line.at("value");
    return by_draw;
}

/// Per draw: the effect on all students' math in the final year, with the district's cut risk.
std::map<std::string, std::string> final_effect_by_draw(const fs::path& folder) {
    std::map<std::string, std::string> by_draw;
    for (const auto& line : csv_rows(without_comment(read_text(folder / "draws.csv")))) {
        if (line.at("subgroup") == "all" && line.at("metric") == "effect" && line.at("year") == "2019" &&
            line.at("course") == "with_cut_risk")
            by_draw[line.at("draw")] = line.at("value");
    }
    return by_draw;
}

double final_effect_mean(const fs::path& folder) {
    for (const auto& row : csv_rows(without_comment(read_text(folder / "projection.csv")))) {
        if (row.at("subgroup") == "all" && row.at("metric") == "effect" && row.at("year") == "2019" &&
            row.at("course") == "with_cut_risk")
            return std::stod(row.at("mean"));
    }
    FAIL("no final-year effect row in " << folder);
    return 0.0;
}

/// A copy of the parameter file with its posterior edited by `edit`.
std::string edited_copy(const fs::path& file, const std::string& name, void (*edit)(nlohmann::json&)) {
    auto doc = nlohmann::json::parse(read_text(file));
    edit(doc["posterior_draws"]);
    const fs::path copy = file.parent_path() / name;
    std::ofstream(copy) << doc.dump(2);
    return copy.string();
}

}  // namespace

TEST_CASE("a calibrated run draws whole prior draws from the joint posterior, and projects them re-weighted",
          "[cli][calibrate][posterior]") {
    scratch_folder folder("joint-posterior");
    write_small_scenario(folder.path());
    const auto calibrated =
        run_cli("calibrate small.json --observed '" + observed + "' --draws 200 --quiet --out cal.json", folder.path());
    INFO(calibrated.output);
    REQUIRE(calibrated.exit_code == 0);
    const auto file = nlohmann::json::parse(read_text(folder.path() / "cal.json"));
    const auto& posterior = file.at("posterior_draws");
    CHECK(posterior.at("seed") == 2017);  // the scenario's seed: the prior draws it weighs
    CHECK(posterior.at("schools") == 207);
    const std::vector<double> weights = posterior.at("weights");
    REQUIRE(weights.size() == 200);

    REQUIRE(
        run_cli("run small.json --draws 200 --per-draw --quiet --format csv --out prior", folder.path()).exit_code ==
        0);
    const auto drawn = run_cli(
        "run small.json --set-file cal.json --draws 400 --seed 9 --per-draw --quiet --format csv "
        "--out posterior",
        folder.path());
    INFO(drawn.output);
    REQUIRE(drawn.exit_code == 0);

    // Every posterior draw is one prior draw with weight, all its inputs together (school effects too).
    const auto prior_inputs = inputs_by_draw(folder.path() / "prior");
    const auto prior_effect = final_effect_by_draw(folder.path() / "prior");
    const auto posterior_effect = final_effect_by_draw(folder.path() / "posterior");
    std::size_t checked = 0;
    for (auto [draw, inputs] : inputs_by_draw(folder.path() / "posterior")) {
        const std::string k = inputs.at("posterior:prior_draw");
        inputs.erase("posterior:prior_draw");
        INFO("posterior draw " << draw << " is prior draw " << k);
        CHECK(weights.at(std::stoul(k)) > 0.0);
        CHECK(inputs == prior_inputs.at(k));
        CHECK(posterior_effect.at(draw) == prior_effect.at(k));
        ++checked;
    }
    CHECK(checked == 400);

    // Its mean is the prior draws' weighted mean, within Monte Carlo error of 400 draws.
    double mean = 0.0;
    for (const auto& [draw, value] : prior_effect) mean += weights.at(std::stoul(draw)) * std::stod(value);
    double variance = 0.0;
    for (const auto& [draw, value] : prior_effect)
        variance += weights.at(std::stoul(draw)) * std::pow(std::stod(value) - mean, 2);
    const double projected = final_effect_mean(folder.path() / "posterior");
    INFO("re-weighted prior mean " << mean << ", posterior run's mean " << projected);
    CHECK(std::fabs(projected - mean) <= 4.0 * std::sqrt(variance / 400.0) + 1e-12);
}

TEST_CASE("a joint posterior is refused for other inputs, warns when its sample collapsed, and reads strictly",
          "[cli][calibrate][posterior][errors]") {
    scratch_folder folder("joint-posterior-errors");
    write_small_scenario(folder.path());
    REQUIRE(
        run_cli("calibrate small.json --observed '" + observed + "' --draws 100 --quiet --out cal.json", folder.path())
            .exit_code == 0);
    const fs::path file = folder.path() / "cal.json";
    const auto run_with = [&](const std::string& parameters, const std::string& out) {
        return run_cli("run small.json --set-file '" + parameters + "' --draws 8 --quiet --out " + out, folder.path());
    };

    const auto other_schools =
        run_with(edited_copy(file, "schools.json", [](nlohmann::json& p) { p["schools"] = 206; }), "schools-out");
    CHECK(other_schools.exit_code == 2);
    CHECK(other_schools.output.find("/posterior_draws: the joint posterior was drawn for other inputs (206 schools "
                                    "where this run has 207)") != std::string::npos);
    CHECK_FALSE(fs::exists(folder.path() / "schools-out"));

    const auto other_inputs =
        run_with(edited_copy(file, "inputs.json", [](nlohmann::json& p) { p["inputs"][0] = "edge:somewhere->else"; }),
                 "inputs-out");
    CHECK(other_inputs.exit_code == 2);
    CHECK(other_inputs.output.find("(input 'edge:somewhere->else' where this run has 'edge:") != std::string::npos);

    // All the weight on draw 3: every draw is draw 3, and the run says how little its sample holds.
    const auto collapsed = run_with(edited_copy(file, "collapsed.json",
                                                [](nlohmann::json& p) {
                                                    for (auto& w : p["weights"]) w = 0.0;
                                                    p["weights"][3] = 1.0;
                                                    p["effective_sample_size"] = 1.0;
                                                }),
                                    "collapsed-out");
    INFO(collapsed.output);
    CHECK(collapsed.exit_code == 0);
    CHECK(collapsed.output.find("warning: /posterior_draws: the joint posterior rests on an effective sample of 1.0 of "
                                "100 draws") != std::string::npos);
    // Every command that projects with the file says it, not only run.
    const std::string collapsed_file = (folder.path() / "collapsed.json").string();
    for (const std::string& command :
         std::vector<std::string>{"sweep small.json --grid /uncertainty/seed=1,2 --draws 8 --quiet --out sweep-out",
                                  "monitor small.json --observed '" + observed +
                                      "' --draws 20 --quiet --out monitor-out",
                                  "sensitivity small.json --outcome academic.achievement.math --subgroup all --n 4 "
                                  "--quiet --out sens-out"}) {
        const auto result = run_cli(command + " --set-file '" + collapsed_file + "'", folder.path());
        INFO(command << "\n" << result.output);
        CHECK(result.output.find("the joint posterior rests on an effective sample of 1.0") != std::string::npos);
    }

    const auto negative =
        run_with(edited_copy(file, "negative.json", [](nlohmann::json& p) { p["weights"][1] = -0.5; }), "negative-out");
    CHECK(negative.exit_code == 2);
    CHECK(negative.output.find("/posterior_draws/weights/1:") != std::string::npos);
    const auto unnormalised = run_with(edited_copy(file, "half.json",
                                                   [](nlohmann::json& p) {
                                                       for (auto& w : p["weights"]) w = 0.005;
                                                   }),
                                       "half-out");
    CHECK(unnormalised.exit_code == 2);
    CHECK(unnormalised.output.find("weights of 100 draws summing to 0.5; expected at least 2 non-negative weights "
                                   "summing to 1") != std::string::npos);
}
