// The second theory of change (high-dosage tutoring) runs end to end like Denver's, through the same
// commands, and its projections equal what its path weights give by hand: nothing in the engine
// knows either model's node ids. Also the district-profile checks that a second model brings up:
// profiles written for another model, conditions that are the model's, missing baselines.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "../cli/cli_support.hpp"

namespace {

namespace fs = std::filesystem;
using pathways::test::run_cli;
using pathways::test::scratch_folder;

const fs::path root = PATHWAYS_SOURCE_ROOT;

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_json(const fs::path& path, const nlohmann::json& value) { std::ofstream(path) << value.dump(1); }

/// A folder holding the tutoring model, its district profile and Denver's schools, laid out as in
/// scenarios/, so that scenarios written into it resolve their model and district.
struct tutoring_folder {
    scratch_folder folder;
    explicit tutoring_folder(const std::string& name) : folder(name) {
        fs::create_directories(folder.path() / "models");
        fs::create_directories(folder.path() / "districts");
        fs::copy(root / "scenarios/models/high-dosage-tutoring.json", folder.path() / "models");
        fs::copy(root / "scenarios/districts/denver-2018-tutoring.json", folder.path() / "districts");
        fs::copy(root / "scenarios/districts/denver-2018-schools.csv", folder.path() / "districts");
    }
    [[nodiscard]] const fs::path& path() const { return folder.path(); }
};

/// The shipped scenario reduced to one central run (every weight at its value), one wave of all middle
/// schools brought from 0 to 3 on every design feature, no fidelity loss at scale and no cut risk.
nlohmann::json central_full_implementation() {
    auto scenario = nlohmann::json::parse(read_text(root / "scenarios/tutoring-scale-up.json"));
    scenario.erase("variants");
    scenario["uncertainty"] = {{"draws", 0}, {"seed", 1}};
    scenario["horizon"] = {{"start_year", 2024}, {"years", 2}};
    scenario["implementation"] = {{"ramp", {{"instant", true}}},
                                  {"fidelity", {{"decay_per_doubling", 1.0}, {"reference_schools", 10}}},
                                  {"program_cut", {{"annual_probability", 0.0}}},
                                  {"waves",
                                   {{{"name", "all middle schools"},
                                     {"start_year", 2024},
                                     {"schools", {{"level", {"middle"}}}},
                                     {"targets", {{"*", 3.0}}}}}}};
    return scenario;
}

/// The mean of the sustained effect row for `subgroup`, `outcome` and `year` of a run's projection.csv.
double effect(const fs::path& folder, int year, const std::string& subgroup, const std::string& outcome) {
    std::ifstream in(folder / "projection.csv");
    const std::string key = "," + std::to_string(year) + "," + subgroup + "," + outcome + ",effect,sustained,,";
    for (std::string line; std::getline(in, line);) {
        const auto at = line.find(key);
        if (at != std::string::npos) return std::stod(line.substr(at + key.size()));
    }
    FAIL("no effect row " << key << " in " << (folder / "projection.csv").string());
    return 0.0;
}

/// Runs `scenario` from `folder` into folder/out-NAME and returns that output folder.
fs::path run_scenario(const tutoring_folder& folder, const std::string& name, const nlohmann::json& scenario,
                      const std::string& options = "") {
    write_json(folder.path() / (name + ".json"), scenario);
    const auto result = run_cli("run " + name + ".json --quiet --out out-" + name + " " + options, folder.path());
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    return folder.path() / ("out-" + name);
}

// Path weights of scenarios/models/high-dosage-tutoring.json: each design feature moves math 0.021,
// reading 0.023 and engagement 0.0125 per level step; engagement moves each subject 0.08 per SD.
constexpr double features = 4.0;
constexpr double full_steps = 3.0;  // every feature from 0 (the district's starting level) to 3
constexpr double to_math = 0.021;
constexpr double to_reading = 0.023;
constexpr double to_engagement = 0.0125;
constexpr double engagement_to_score = 0.08;

}  // namespace

TEST_CASE("the tutoring scenario, its model and its district profile validate", "[tutoring][validate]") {
    const auto result = run_cli(
        "validate scenarios/tutoring-scale-up.json scenarios/models/high-dosage-tutoring.json "
        "scenarios/districts/denver-2018-tutoring.json");
    INFO(result.output);
    CHECK(result.exit_code == 0);
    CHECK(result.output.find("3 files valid") != std::string::npos);
    CHECK(result.output.find("warning") == std::string::npos);
}

TEST_CASE("the tutoring scenario runs with every bundled effect model", "[tutoring][run]") {
    scratch_folder out("tutoring-models");
    for (const std::string model : {"linear", "lagged", "saturating", "subgroup", "evidence"}) {
        DYNAMIC_SECTION(model) {
            const fs::path folder = out.path() / model;
            const auto result = run_cli("run scenarios/tutoring-scale-up.json --quiet --draws 10 --effect-model " +
                                        model + " --out '" + folder.string() + "'");
            INFO(result.output);
            REQUIRE(result.exit_code == 0);
            CHECK(effect(folder, 2027, "pl:yes", "achievement.math") > 0.0);
            CHECK(effect(folder, 2027, "pl:yes", "achievement.reading") > 0.0);
            CHECK(effect(folder, 2027, "pl:no", "achievement.math") == 0.0);
        }
    }
}

TEST_CASE("every variant of the tutoring scenario runs", "[tutoring][run]") {
    scratch_folder out("tutoring-variants");
    const auto result = run_cli("run scenarios/tutoring-scale-up.json --quiet --all-variants --draws 5 --out '" +
                                (out.path() / "all").string() + "'");
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    const std::string csv = read_text(out.path() / "all" / "projection.csv");
    for (const char* variant :
         {"base", "large_groups", "full_fidelity", "pilot_only", "no_cut", "after_school", "tutor_corps"}) {
        CHECK(csv.find(std::string(",") + variant + ",linear,") != std::string::npos);
    }
}

TEST_CASE("graph and effects read the tutoring model's own nodes", "[tutoring][graph]") {
    const auto graph = run_cli("graph --model scenarios/models/high-dosage-tutoring.json --format json");
    REQUIRE(graph.exit_code == 0);
    const auto parsed = nlohmann::json::parse(graph.output);
    CHECK(parsed.dump().find("\"achievement.math\"") != std::string::npos);
    CHECK(parsed.dump().find("academic.achievement") == std::string::npos);

    const auto effects = run_cli("effects --scenario scenarios/tutoring-scale-up.json --format csv");
    INFO(effects.output);
    REQUIRE(effects.exit_code == 0);
    // Direct 0.021, indirect 0.0125 x 0.08 = 0.001 through engagement, total 0.022.
    CHECK(effects.output.find("tutoring.frequency,achievement.math,0.021,0.001,0.022,") != std::string::npos);
    CHECK(effects.output.find("tutoring.small_groups,achievement.reading,0.023,0.001,0.024,") != std::string::npos);
}

TEST_CASE("a fully implemented tutored school's effect is the sum over paths of the products of path weights",
          "[tutoring][run][hand]") {
    tutoring_folder folder("tutoring-hand");
    const fs::path out = run_scenario(folder, "full", central_full_implementation());
    const double engagement = features * full_steps * to_engagement;                                    // 0.15
    const double math = features * full_steps * (to_math + to_engagement * engagement_to_score);        // 0.264
    const double reading = features * full_steps * (to_reading + to_engagement * engagement_to_score);  // 0.288
    for (const int year : {2024, 2025}) {  // linear: achievement gains the same each year the program runs
        const double years = year - 2023;
        CHECK(effect(out, year, "pl:yes", "achievement.math") == Approx(years * math).margin(1e-9));
        CHECK(effect(out, year, "pl:yes", "achievement.reading") == Approx(years * reading).margin(1e-9));
        CHECK(effect(out, year, "pl:yes", "student.attendance_engagement") == Approx(engagement).margin(1e-9));
        CHECK(effect(out, year, "pl:no", "achievement.math") == 0.0);
    }
    CHECK(math == Approx(0.264));
    CHECK(reading == Approx(0.288));
}

TEST_CASE("saturating: a model without foundational practices does not gate its drivers", "[tutoring][run][hand]") {
    tutoring_folder folder("tutoring-saturating");
    auto scenario = central_full_implementation();
    scenario["effect_model"] = {{"plugin", "saturating"},
                                {"parameters", {{"emax.student", 2.0}, {"practice_scale", 1.0}}}};
    const fs::path out = run_scenario(folder, "saturating", scenario);
    // emax.student 2, emax.academic 0.25 (the default), practice_scale 1; gate 1 (nothing to gate).
    const double engagement = 2.0 * std::tanh(features * full_steps * to_engagement / 2.0);
    const double dose = features * full_steps * to_math + engagement_to_score * engagement;
    CHECK(effect(out, 2024, "pl:yes", "student.attendance_engagement") == Approx(engagement).margin(1e-9));
    CHECK(effect(out, 2024, "pl:yes", "achievement.math") == Approx(0.25 * std::tanh(dose / 0.25)).margin(1e-9));
}

TEST_CASE("alignment conditions of a second model slow its ramp by their moderator weight", "[tutoring][run][hand]") {
    tutoring_folder folder("tutoring-alignment");
    auto scenario = central_full_implementation();
    scenario["implementation"]["ramp"] = {{"years_to_half", 1.0}, {"years_to_90", 2.0}};
    const double full = features * full_steps * (to_math + to_engagement * engagement_to_score);
    // Speed = floor + (1 - floor) x mean condition, floor = the alignment edges' mean weight 0.5. The
    // logistic ramp reaches 0.25 of the target after half a year, 0.5 after one, 0.9 after two; math gains
    // the ramped share of the full effect each year, so the second year adds to the first.
    SECTION("both conditions at 0: half speed") {
        scenario["implementation"]["conditions"] = {{"tutor_recruitment", 0.0}, {"school_day_schedule", 0.0}};
        const fs::path out = run_scenario(folder, "slow", scenario);
        CHECK(effect(out, 2024, "pl:yes", "achievement.math") == Approx(0.25 * full).margin(1e-9));
        CHECK(effect(out, 2025, "pl:yes", "achievement.math") == Approx((0.25 + 0.5) * full).margin(1e-9));
    }
    SECTION("both conditions at 1: full speed") {
        scenario["implementation"]["conditions"] = {{"tutor_recruitment", 1.0}, {"school_day_schedule", 1.0}};
        const fs::path out = run_scenario(folder, "fast", scenario);
        CHECK(effect(out, 2024, "pl:yes", "achievement.math") == Approx(0.5 * full).margin(1e-9));
        CHECK(effect(out, 2025, "pl:yes", "achievement.math") == Approx((0.5 + 0.9) * full).margin(1e-9));
    }
    SECTION("a model whose conditions play no role runs at full speed: the moderators are absent") {
        auto model = nlohmann::json::parse(read_text(folder.path() / "models/high-dosage-tutoring.json"));
        for (auto& node : model["nodes"]) {
            node.erase("roles");
            node.erase("subject");
        }
        write_json(folder.path() / "models/no-roles.json", model);
        scenario["model"] = "models/no-roles.json";
        scenario["implementation"]["conditions"] = {{"tutor_recruitment", 0.0}, {"school_day_schedule", 0.0}};
        const fs::path out = run_scenario(folder, "no-roles", scenario);
        // Without its role math is a level, not an achievement node that accumulates: 0.9 of full in 2025.
        CHECK(effect(out, 2024, "pl:yes", "achievement.math") == Approx(0.5 * full).margin(1e-9));
        CHECK(effect(out, 2025, "pl:yes", "achievement.math") == Approx(0.9 * full).margin(1e-9));
    }
}

TEST_CASE("a district profile written for another model is refused with the way out", "[tutoring][districts]") {
    tutoring_folder folder("tutoring-other-profile");
    fs::copy(root / "scenarios/districts/denver-2018.json", folder.path() / "districts");
    auto scenario = central_full_implementation();
    scenario["district"] = "districts/denver-2018.json";
    write_json(folder.path() / "other.json", scenario);
    const auto result = run_cli("validate other.json", folder.path());
    INFO(result.output);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find("/baseline/academic.achievement.math: unknown node 'academic.achievement.math' in model "
                             "'high-dosage-tutoring'; expected a node of that model (a profile's baselines name the "
                             "nodes of one model: pair the profile with the model it was written for, or use a "
                             "profile written for 'high-dosage-tutoring')") != std::string::npos);
    CHECK(result.output.find("no baseline for") == std::string::npos);  // not news for a profile of another model
}

TEST_CASE("a profile without baselines is warned about, and without enrollment takes the CSV's",
          "[tutoring][districts]") {
    tutoring_folder folder("tutoring-bare-profile");
    auto profile = nlohmann::json::parse(read_text(folder.path() / "districts/denver-2018-tutoring.json"));
    profile.erase("baseline");
    profile.erase("enrollment");
    write_json(folder.path() / "districts/bare.json", profile);
    auto scenario = central_full_implementation();
    scenario["district"] = "districts/bare.json";
    scenario["report"].erase("reference_groups");  // gaps need baseline offsets, and validate says so
    write_json(folder.path() / "bare.json", scenario);

    const auto with_model = run_cli("validate bare.json", folder.path());
    INFO(with_model.output);
    CHECK(with_model.exit_code == 0);
    CHECK(with_model.output.find(
              "warning: /baseline: no baseline for 'achievement.math' of model 'high-dosage-tutoring'") !=
          std::string::npos);
    CHECK(with_model.output.find("no baseline for 'achievement.reading'") != std::string::npos);
    CHECK(
        with_model.output.find("note: /enrollment: no enrollment given; using the 93356 students of the 207 schools in "
                               "denver-2018-schools.csv") != std::string::npos);

    const auto alone = run_cli("validate districts/bare.json", folder.path());
    INFO(alone.output);
    CHECK(alone.exit_code == 0);
    CHECK(alone.output.find("warning: no /baseline: every outcome starts at 0 SD") != std::string::npos);

    const auto run = run_cli("run bare.json --quiet --out out-bare", folder.path());
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    CHECK(read_text(folder.path() / "out-bare/projection.csv").find(",2024,all,achievement.math,level,sustained,,") !=
          std::string::npos);
}

TEST_CASE("scenario and profile conditions are the model's conditions, each in its range", "[tutoring][districts]") {
    tutoring_folder folder("tutoring-conditions");
    auto scenario = central_full_implementation();

    scenario["implementation"]["conditions"] = {{"accountability_flexibility", 0.3}, {"tutor_recruitment", 1.5}};
    write_json(folder.path() / "wrong.json", scenario);
    const auto wrong = run_cli("validate wrong.json", folder.path());
    INFO(wrong.output);
    CHECK(wrong.exit_code == 2);
    CHECK(wrong.output.find("/implementation/conditions/accountability_flexibility: unknown condition "
                            "'accountability_flexibility' of model 'high-dosage-tutoring'; expected one of "
                            "'school_day_schedule', 'tutor_recruitment'") != std::string::npos);
    CHECK(wrong.output.find("/implementation/conditions/tutor_recruitment: 1.5 is out of range; expected 0 to 1") !=
          std::string::npos);

    scenario["implementation"]["conditions"] = {{"Tutor-Recruitment", 0.5}};
    write_json(folder.path() / "badname.json", scenario);
    const auto bad_name = run_cli("validate badname.json", folder.path());
    INFO(bad_name.output);
    CHECK(bad_name.exit_code == 2);
    CHECK(bad_name.output.find("'Tutor-Recruitment' is not a condition name") != std::string::npos);

    auto profile = nlohmann::json::parse(read_text(folder.path() / "districts/denver-2018-tutoring.json"));
    profile["conditions"]["tutor_recruitmnt"] = profile["conditions"]["tutor_recruitment"];
    write_json(folder.path() / "districts/typo.json", profile);
    scenario["implementation"].erase("conditions");
    scenario["district"] = "districts/typo.json";
    write_json(folder.path() / "typo.json", scenario);
    const auto typo = run_cli("validate typo.json", folder.path());
    INFO(typo.output);
    CHECK(typo.exit_code == 2);
    CHECK(typo.output.find("/conditions/tutor_recruitmnt: unknown condition 'tutor_recruitmnt' of model "
                           "'high-dosage-tutoring'") != std::string::npos);
    CHECK(typo.output.find("did you mean 'tutor_recruitment'?") != std::string::npos);
}

TEST_CASE("validate says what a JSON Schema is and checks a schools CSV", "[tutoring][validate]") {
    const auto schema = run_cli("validate scenarios/scenario.schema.json");
    INFO(schema.output);
    CHECK(schema.exit_code == 2);
    CHECK(schema.output.find("scenarios/scenario.schema.json: error: this file is the JSON Schema 'pathways scenario, "
                             "format v1', which describes input files but is not one") != std::string::npos);

    const auto csv = run_cli("validate scenarios/districts/denver-2018-schools.csv");
    INFO(csv.output);
    CHECK(csv.exit_code == 0);
    CHECK(csv.output.find("1 file valid") != std::string::npos);

    scratch_folder folder("tutoring-semicolons");
    std::string text = read_text(root / "scenarios/districts/denver-2018-schools.csv");
    std::replace(text.begin(), text.end(), ',', ';');
    std::ofstream(folder.path() / "schools.csv") << text;
    const auto semicolons = run_cli("validate schools.csv", folder.path());
    INFO(semicolons.output);
    CHECK(semicolons.exit_code == 2);
    CHECK(semicolons.output.find("the file looks semicolon-separated") != std::string::npos);
}
