// `pathways validate` on the shipped files and on a corpus of malformed scenarios, each with
// the diagnostic (line, JSON pointer, message) it must produce.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_support.hpp"

namespace {

using pathways::test::run_cli;

const std::filesystem::path malformed = std::filesystem::path(PATHWAYS_TEST_DATA) / "data" / "malformed";

struct expectation {
    std::string file;
    std::size_t line = 0;
    std::string pointer;
    std::string fragment;
};

std::vector<expectation> expectations() {
    std::ifstream in(malformed / "expected.tsv");
    std::vector<expectation> all;
    for (std::string row; std::getline(in, row);) {
        if (row.empty() || row.front() == '#') continue;
        std::stringstream fields(row);
        expectation e;
        std::string line;
        std::getline(fields, e.file, '\t');
        std::getline(fields, line, '\t');
        std::getline(fields, e.pointer, '\t');
        std::getline(fields, e.fragment, '\t');
        e.line = std::stoul(line);
        all.push_back(e);
    }
    return all;
}

}  // namespace

TEST_CASE("every shipped scenario, model and district validates", "[cli][validate]") {
    const auto result = run_cli(
        "validate scenarios/denver-pilot-2015.json scenarios/denver-scale-up.json scenarios/national-baseline.json "
        "scenarios/rand-2017-check.json scenarios/models/dps-personalized-learning.json "
        "scenarios/districts/denver-2018.json scenarios/districts/national-baseline.json");
    INFO(result.output);
    CHECK(result.exit_code == 0);
    CHECK(result.output.find("7 files valid") != std::string::npos);
}

TEST_CASE("the malformed corpus is large enough to mean something", "[cli][validate]") {
    CHECK(expectations().size() >= 25);
}

TEST_CASE("each malformed scenario fails with exit 2 at the right pointer and line", "[cli][validate]") {
    for (const expectation& e : expectations()) {
        DYNAMIC_SECTION(e.file) {
            const auto result = run_cli("validate --format json " + e.file, malformed);
            INFO(result.output);
            REQUIRE(result.exit_code == 2);
            const auto found = nlohmann::json::parse(result.output.substr(result.output.find('[')));
            const bool matched = std::any_of(found.begin(), found.end(), [&](const nlohmann::json& d) {
                return d["line"] == e.line && d["pointer"] == e.pointer && d["severity"] == "error" &&
                       d["message"].get<std::string>().find(e.fragment) != std::string::npos;
            });
            CHECK(matched);
        }
    }
}

TEST_CASE("text diagnostics read like a compiler's", "[cli][validate]") {
    const auto result = run_cli("validate 11-level-above-3.json", malformed);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find("11-level-above-3.json:13:94: error: /implementation/waves/0/targets/*: 3.5 is out of "
                             "range; expected 0 to 3") != std::string::npos);
}

TEST_CASE("all errors of a file come in one pass", "[cli][validate]") {
    pathways::test::scratch_folder folder("many-errors");
    std::filesystem::copy(malformed / "districts", folder.path() / "districts");
    std::string text;
    {
        std::ifstream in(malformed / "valid.json");
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    text.replace(text.find("\"years\": 3"), 10, "\"years\": 0");
    text.replace(text.find("\"draws\": 10"), 11, "\"draws\": -1");
    text.replace(text.find("\"min_n\": 16"), 11, "\"min_n\": 0");
    std::ofstream(folder.path() / "three.json") << text;
    const auto result = run_cli("validate three.json", folder.path());
    CHECK(result.exit_code == 2);
    CHECK(result.output.find("/horizon/years") != std::string::npos);
    CHECK(result.output.find("/uncertainty/draws") != std::string::npos);
    CHECK(result.output.find("/report/min_n") != std::string::npos);
}

TEST_CASE("pathological inputs are rejected without a crash", "[cli][validate]") {
    pathways::test::scratch_folder folder("pathological");
    std::ofstream(folder.path() / "deep.json") << std::string(100000, '[') << std::string(100000, ']');
    std::ofstream(folder.path() / "big.json")
        << "{\"pathways\": 1, \"name\": \"" << std::string(10u << 20, 'x') << "\"}";
    std::ofstream(folder.path() / "empty.json") << "";
    std::ofstream(folder.path() / "binary.json") << std::string("\x00\xff\xfe{", 4);
    for (const char* file : {"deep.json", "big.json", "empty.json", "binary.json", "missing.json"}) {
        DYNAMIC_SECTION(file) {
            const auto result = run_cli(std::string("validate ") + file, folder.path());
            INFO(result.output);
            CHECK(result.exit_code == 2);
            CHECK(result.output.find(": error: ") != std::string::npos);
        }
    }
}

namespace {

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// valid.json with `count` variants: even ones set an out-of-range horizon (a format error), odd ones
/// name a school the district lacks (found only against the schools CSV).
nlohmann::json many_variants(int count) {
    auto scenario = nlohmann::json::parse(read_text(malformed / "valid.json"));
    nlohmann::json variants = nlohmann::json::object();
    for (int i = 0; i < count; ++i) {
        const std::string name = "v" + std::to_string(i);
        if (i % 2 == 0) {
            variants[name] = {{"horizon", {{"years", 51}}}};
        } else {
            variants[name] = {{"implementation",
                               {{"waves",
                                 {{{"name", "w"},
                                   {"start_year", 2017},
                                   {"schools", {{"ids", {"nope-" + name}}}},
                                   {"targets", {{"*", 2.0}}}}}}}}};
        }
    }
    scenario["variants"] = variants;
    return scenario;
}

}  // namespace

TEST_CASE("validate finds every variant's own error among 10,000 variants, each named", "[cli][validate][variants]") {
    pathways::test::scratch_folder folder("many-variants");
    std::filesystem::copy(malformed / "districts", folder.path() / "districts");
    constexpr int count = 10'000;
    std::ofstream(folder.path() / "many.json") << many_variants(count).dump(1);

    const auto json = run_cli("validate --format json many.json 2>/dev/null", folder.path());
    REQUIRE(json.exit_code == 2);
    const auto found = nlohmann::json::parse(json.output);
    std::vector<int> errors_of(count, 0);
    for (const auto& d : found) {
        const std::string message = d["message"];
        REQUIRE(message.rfind("in variant 'v", 0) == 0);
        const int i = std::stoi(message.substr(std::string("in variant 'v").size()));
        const bool own =
            i % 2 == 0 ? d["pointer"] == "/horizon/years" && message.find("51 is out of range") != std::string::npos
                       : message.find("school 'nope-v" + std::to_string(i) + "' is not in the district") !=
                                 std::string::npos ||
                             message.find("wave 'w' selects no school") != std::string::npos;
        CHECK(own);
        ++errors_of[static_cast<std::size_t>(i)];
    }
    // Odd variants: the unknown id, and that the wave then selects no school.
    CHECK(found.size() == static_cast<std::size_t>(count / 2 * 3));
    for (int i = 0; i < count; ++i) {
        if (errors_of[static_cast<std::size_t>(i)] != (i % 2 == 0 ? 1 : 2))
            FAIL("variant v" << i << ": " << errors_of[static_cast<std::size_t>(i)] << " errors");
    }

    // Text output shows 20 of each kind (three kinds) and counts the rest.
    const auto text = run_cli("validate many.json", folder.path());
    CHECK(text.exit_code == 2);
    std::size_t lines = 0;
    for (std::size_t at = text.output.find(": error: "); at != std::string::npos;
         at = text.output.find(": error: ", at + 1))
        ++lines;
    CHECK(lines == 60);
    CHECK(text.output.find("... and 4980 more like this") != std::string::npos);
    CHECK(text.output.find("15000 errors in all") != std::string::npos);
}

TEST_CASE("an error every variant inherits from the base is reported once, for the base", "[cli][validate][variants]") {
    pathways::test::scratch_folder folder("inherited");
    std::filesystem::copy(malformed / "districts", folder.path() / "districts");
    auto scenario = many_variants(0);
    scenario["report"]["min_n"] = 0;
    scenario["variants"] = {{"a", {{"uncertainty", {{"draws", 5}}}}}, {"b", {{"uncertainty", {{"draws", 6}}}}}};
    std::ofstream(folder.path() / "inherited.json") << scenario.dump(1);
    const auto result = run_cli("validate --format json inherited.json", folder.path());
    REQUIRE(result.exit_code == 2);
    const auto found = nlohmann::json::parse(result.output.substr(result.output.find('[')));
    REQUIRE(found.size() == 1);
    CHECK(found[0]["pointer"] == "/report/min_n");
    CHECK(found[0]["message"].get<std::string>().find("in variant") == std::string::npos);
}

TEST_CASE("command-line draws and seeds are held to the scenario file's ranges, naming the option", "[cli][options]") {
    for (const char* args :
         {"--draws -5", "--draws 100000000", "--draws 2.5", "--seed 18446744073709551616", "--seed -1"}) {
        DYNAMIC_SECTION(args) {
            const auto result = run_cli(std::string("run valid.json --out /nonexistent/never ") + args, malformed);
            INFO(result.output);
            CHECK(result.exit_code == 2);
            const std::string option = std::string(args).substr(0, std::string(args).find(' '));
            CHECK(result.output.find(option + ": ") != std::string::npos);
            CHECK(result.output.find("expected an integer from 0 to ") != std::string::npos);
        }
    }
    const auto sweep = run_cli("sweep valid.json --grid /implementation/ramp/years_to_half=1 --seed -1", malformed);
    CHECK(sweep.exit_code == 2);
    CHECK(sweep.output.find("--seed: -1 is out of range; expected an integer from 0 to 9223372036854775807") !=
          std::string::npos);
}

TEST_CASE("an unknown command is named with a did-you-mean, every help shows examples", "[cli][options]") {
    const auto typo = run_cli("rn valid.json", malformed);
    CHECK(typo.exit_code == 2);
    CHECK(typo.output.find("unknown command 'rn'; did you mean 'run'?") != std::string::npos);
    for (const char* command : {"", "validate", "run", "sweep", "compare", "population", "calibrate", "sensitivity"}) {
        DYNAMIC_SECTION("help of '" << command << "'") {
            const auto help = run_cli(std::string(command) + " --help");
            CHECK(help.exit_code == 0);
            CHECK(help.output.find("Examples:\n  pathways ") != std::string::npos);
        }
    }
}

TEST_CASE("a wave before the horizon, an enrollment off its CSV and a semicolon CSV are reported", "[cli][validate]") {
    pathways::test::scratch_folder folder("rough-edges");
    std::filesystem::copy(malformed / "districts", folder.path() / "districts");
    auto early = nlohmann::json::parse(read_text(malformed / "valid.json"));
    early["implementation"]["waves"][0]["start_year"] = 2016;
    std::ofstream(folder.path() / "early.json") << early.dump(1);
    const auto wave = run_cli("validate --format json early.json", folder.path());
    CHECK(wave.exit_code == 2);
    CHECK(wave.output.find("\"pointer\": \"/implementation/waves/0/start_year\"") != std::string::npos);
    CHECK(wave.output.find("wave starts in 2016, before the horizon starts in 2017") != std::string::npos);

    auto district = nlohmann::json::parse(read_text(malformed / "districts" / "small.json"));
    district["enrollment"]["value"] = 1551;  // the CSV's schools hold 1550 students
    std::ofstream(folder.path() / "districts" / "off.json") << district.dump(1);
    const auto enrollment = run_cli("validate districts/off.json", folder.path());
    CHECK(enrollment.exit_code == 2);
    CHECK(enrollment.output.find("/enrollment/value: enrollment 1551 disagrees with the 1550 students") !=
          std::string::npos);

    std::string csv = read_text(malformed / "districts" / "small-schools.csv");
    std::replace(csv.begin(), csv.end(), ',', ';');
    std::ofstream(folder.path() / "districts" / "small-schools.csv") << csv;
    const auto semicolons = run_cli("validate districts/small.json", folder.path());
    CHECK(semicolons.exit_code == 2);
    CHECK(semicolons.output.find("the file looks semicolon-separated; expected commas") != std::string::npos);
    CHECK(semicolons.output.find("unknown column") == std::string::npos);
}

TEST_CASE("an unknown target lists the valid patterns", "[cli][validate]") {
    const auto result = run_cli("validate 13-unknown-target-pattern.json", malformed);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find("'learner_pathz.*' matches no practice or driver of model 'dps-personalized-learning'; "
                             "expected one of '*', ") != std::string::npos);
    CHECK(result.output.find("'learner_paths.*', ") != std::string::npos);
    CHECK(result.output.find("; did you mean 'learner_paths.*'?") != std::string::npos);
}

TEST_CASE("a scenario that names no outcomes is checked against the outcomes it reports by default",
          "[cli][validate]") {
    // Every outcome is reported by default; gaps are measured where the profile has baselines for them,
    // so the default brings no error about an outcome the user never named (academic.growth has none).
    pathways::test::scratch_folder folder("default-outcomes");
    std::filesystem::create_directory_symlink(std::filesystem::path(PATHWAYS_SOURCE_ROOT) / "scenarios" / "districts",
                                              folder.path() / "districts");
    std::ifstream in(std::filesystem::path(PATHWAYS_SOURCE_ROOT) / "scenarios" / "denver-scale-up.json");
    auto scenario = nlohmann::json::parse(in);
    scenario["report"].erase("outcomes");
    std::ofstream(folder.path() / "default-outcomes.json") << scenario.dump(1);

    const auto validated = run_cli("validate default-outcomes.json", folder.path());
    INFO(validated.output);
    CHECK(validated.exit_code == 0);
    CHECK(validated.output.find("academic.growth") == std::string::npos);

    const auto ran = run_cli("run default-outcomes.json --draws 2 --format json --quiet --out out", folder.path());
    INFO(ran.output);
    REQUIRE(ran.exit_code == 0);
    std::ifstream written(folder.path() / "out" / "projection.json");
    const auto rows = nlohmann::json::parse(written)["runs"][0]["rows"];
    bool math_gap = false;
    bool growth_effect = false;
    for (const auto& row : rows) {
        CHECK_FALSE((row["outcome"] == "academic.growth" && row["metric"] == "gap_sd"));
        math_gap = math_gap || (row["outcome"] == "academic.achievement.math" && row["metric"] == "gap_sd");
        growth_effect = growth_effect || (row["outcome"] == "academic.growth" && row["metric"] == "effect");
    }
    CHECK(math_gap);
    CHECK(growth_effect);
}

TEST_CASE("validate reports a bad target and a wave that selects no school in one pass", "[cli][validate]") {
    pathways::test::scratch_folder folder("one-pass");
    std::filesystem::copy(malformed / "districts", folder.path() / "districts");
    std::ifstream in(malformed / "valid.json");
    auto scenario = nlohmann::json::parse(in);
    auto& waves = scenario["implementation"]["waves"];
    waves[0]["targets"] = {{"learner_paths.no_such_practice", 2.0}};
    waves[1]["schools"] = {{"ids", {"s-x9"}}};
    std::ofstream(folder.path() / "two-errors.json") << scenario.dump(1);

    const auto result = run_cli("validate two-errors.json", folder.path());
    INFO(result.output);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find("learner_paths.no_such_practice") != std::string::npos);
    CHECK(result.output.find("school 's-x9' is not in the district") != std::string::npos);
}
