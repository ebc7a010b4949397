// `pathways monitor` and `pathways calibrate --observed` as a user runs them on the shipped synthetic
// Denver example, and their refusals (exit 2, nothing written).
#include <catch2/catch.hpp>

#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../cli/cli_support.hpp"
#include "common/sha256.hpp"

namespace {

using pathways::test::csv_rows;
using pathways::test::run_cli;
using pathways::test::scratch_folder;

const std::string scenario = "scenarios/denver-scale-up.json";
const std::string observed = "scenarios/observed/denver-pilot-2017-2019-synthetic.csv";

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("monitor compares every observed cell with the projection and writes monitor.csv and monitor.html",
          "[cli][monitor]") {
    scratch_folder out("monitor");
    const auto result = run_cli("monitor " + scenario + " --observed " + observed + " --draws 40 --quiet --out '" +
                                out.path().string() + "'");
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    CHECK(contains(result.output,
                   "Projected vs actual: Denver: from 15 PL schools to 60 (variant base, effect model "
                   "subgroup, 40 draws, seed 2017)"));
    CHECK(contains(result.output, "Coverage: "));
    CHECK(contains(result.output, "observed cells inside their 90% predictive interval"));
    const auto rows = csv_rows(read_file(out.path() / "monitor.csv"));
    REQUIRE(rows.size() == 48);  // 8 subgroups x 2 outcomes x 3 years
    CHECK(rows.front().at("subgroup") == "all");
    CHECK(rows.front().at("year") == "2017");
    CHECK(rows.front().at("suppressed") == "0");
    CHECK_FALSE(rows.front().at("projected_p05").empty());
    CHECK(std::stod(rows.front().at("predictive_p05")) < std::stod(rows.front().at("projected_p05")));
    const std::string html = read_file(out.path() / "monitor.html");
    CHECK(contains(html, "<svg"));
    CHECK(contains(html, "Projected and actual: Denver: from 15 PL schools to 60"));
    CHECK(contains(html, *pathways::sha256_file(std::filesystem::path(PATHWAYS_SOURCE_ROOT) / observed)));

    // The files and their manifest are one set, committed together: the manifest holds each file's sha256.
    const std::string manifest = read_file(out.path() / "monitor-manifest.json");
    for (const char* name : {"monitor.csv", "monitor.html"}) {
        CHECK(contains(manifest, std::string("\"") + name + "\""));
        CHECK(contains(manifest, *pathways::sha256_file(out.path() / name)));
    }
    CHECK(contains(manifest, "\"observed_sha256\": \"" +
                                 *pathways::sha256_file(std::filesystem::path(PATHWAYS_SOURCE_ROOT) / observed)));

    const auto again = run_cli("monitor " + scenario + " --observed " + observed + " --draws 40 --quiet --out '" +
                               out.path().string() + "'");
    CHECK(again.exit_code == 2);
    CHECK(contains(again.output, "monitor.csv: error: output exists; use --force to overwrite it"));
}

TEST_CASE("monitor never writes into a folder it did not make, even with --force, and leaves it as it was",
          "[cli][monitor][hardening]") {
    scratch_folder out("monitor-not-ours");
    std::ofstream(out.path() / "monitor.csv") << "someone else's file\n";
    const auto result = run_cli("monitor " + scenario + " --observed " + observed +
                                " --draws 4 --quiet --force --out '" + out.path().string() + "'");
    INFO(result.output);
    CHECK(result.exit_code == 2);
    CHECK(read_file(out.path() / "monitor.csv") == "someone else's file\n");
    CHECK_FALSE(std::filesystem::exists(out.path() / "monitor.html"));
}

TEST_CASE("calibrate --observed writes a parameter file of posterior priors that run accepts", "[cli][calibrate]") {
    scratch_folder out("calibrate-observed");
    const std::string file = (out.path() / "calibrated.json").string();
    const auto result =
        run_cli("calibrate " + scenario + " --observed " + observed + " --draws 200 --quiet --out '" + file + "'");
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    CHECK(contains(result.output, "posterior mean [90% interval]"));
    CHECK(contains(result.output, "Effective sample size (Kish): "));
    CHECK(contains(result.output, "input (the 15 the data moved most)"));
    CHECK(contains(result.output, " more inputs, moved less (every input is in the parameter file)"));
    const std::string text = read_file(file);
    CHECK(contains(text, "\"priors\": {"));
    // A truncated-normal prior stays one, with its bounds.
    CHECK(contains(text, "\"edge:self_efficacy->academic.achievement.math\": {\"dist\": \"truncated_normal\""));
    CHECK(contains(text, "\"lower\": 0, \"upper\": 0.15}"));
    CHECK(contains(text, "\"observed\": \"" + observed + "\""));
    CHECK(contains(text, "\"observed_sha256\": \"" +
                             *pathways::sha256_file(std::filesystem::path(PATHWAYS_SOURCE_ROOT) / observed) + "\""));
    CHECK(contains(text, "\"draws\": 200"));
    CHECK(contains(text, "\"effective_sample_size\": "));
    CHECK(contains(text, "\"created\": \"20"));
    // The ramp and the fidelity decay too, each a truncated normal with its prior's bounds.
    CHECK(contains(text, "\"implementation:years_to_half\": {\"dist\": \"truncated_normal\""));
    CHECK(contains(text, "\"implementation:decay_per_doubling\": {\"dist\": \"truncated_normal\""));

    const auto run = run_cli("run " + scenario + " --set-file '" + file + "' --draws 4 --quiet --out '" +
                             (out.path() / "run").string() + "'");
    INFO(run.output);
    CHECK(run.exit_code == 0);
}

TEST_CASE("monitor and calibrate --observed refuse bad input with exit 2 and write nothing", "[cli][monitor][errors]") {
    scratch_folder out("monitor-errors");
    const auto bad = out.path() / "bad.csv";
    std::ofstream(bad) << "subgroup,year,outcome,mean,n\nall,2016,academic.achievement.math,0.1,100\n"
                          "race:blak,2018,academic.achievement.math,x,100\n";
    const auto result = run_cli("monitor " + scenario + " --observed '" + bad.string() + "' --quiet --out '" +
                                (out.path() / "m").string() + "'");
    CHECK(result.exit_code == 2);
    CHECK(contains(result.output, bad.string() + ":2:5: error: column 'year': 2016 is outside the projection; "
                                                 "expected a year of the scenario's horizon, 2017 to 2022"));
    CHECK(contains(result.output, bad.string() + ":3:1: error: column 'subgroup': unknown subgroup 'race:blak'"));
    CHECK(contains(result.output, bad.string() + ":3:42: error: column 'mean': 'x' is not a number"));
    CHECK_FALSE(std::filesystem::exists(out.path() / "m"));

    const auto few = run_cli("monitor " + scenario + " --observed " + observed + " --draws 5 --quiet --out '" +
                             (out.path() / "m").string() + "'");
    CHECK(few.exit_code == 2);
    CHECK(contains(few.output, "--draws: 5 draws are too few for a 90% interval; expected at least 20"));

    const auto both = run_cli("calibrate " + scenario + " --observed " + observed + " --anchor rand2017-math");
    CHECK(both.exit_code == 2);
    CHECK(contains(both.output, "--anchor and --observed both given"));
    const auto neither = run_cli("calibrate " + scenario);
    CHECK(neither.exit_code == 2);
    CHECK(contains(neither.output, "nothing to calibrate against; expected --anchor ID"));
    const auto discrepancy =
        run_cli("calibrate " + scenario + " --observed " + observed + " --discrepancy-sd -1 --quiet");
    CHECK(discrepancy.exit_code == 2);
    CHECK(contains(discrepancy.output, "--discrepancy-sd: -1 is not a non-negative number"));
    // Every bad shock SD in one pass.
    const auto shocks = run_cli("calibrate " + scenario + " --observed " + observed +
                                " --year-shock-sd -0.5 --persistent-sd -2 --quiet");
    CHECK(shocks.exit_code == 2);
    CHECK(contains(shocks.output, "--year-shock-sd: -0.5 is not a non-negative number"));
    CHECK(contains(shocks.output, "--persistent-sd: -2 is not a non-negative number"));
    const auto missing = run_cli("monitor " + scenario);
    CHECK(missing.exit_code == 2);
    CHECK(contains(missing.output, "nothing to monitor; expected --observed (outcomes), --implementation (ratings)"));
}

TEST_CASE("validate checks an observed-data CSV on its own: its format, not its scenario", "[cli][monitor]") {
    const auto fine = run_cli("validate " + observed);
    CHECK(fine.exit_code == 0);
    CHECK(contains(fine.output, "1 file valid"));
    scratch_folder out("validate-observed");
    const auto bad = out.path() / "observed.csv";
    std::ofstream(bad) << "subgroup,year,outcome,mean,n\nall,2017,academic.achievement.math,0.1,0\n";
    const auto result = run_cli("validate '" + bad.string() + "'");
    CHECK(result.exit_code == 2);
    CHECK(contains(result.output, bad.string() + ":2:40: error: column 'n': '0' is not a student count"));
}

TEST_CASE("calibrate --observed warns when the effective sample size collapses, and says what to do",
          "[cli][calibrate]") {
    scratch_folder out("ess-collapse");
    const auto precise = out.path() / "precise.csv";
    // Far from every draw and measured to a ten-thousandth of an SD: one draw takes nearly all the weight.
    std::ofstream(precise) << "subgroup,year,outcome,mean,n,se\n"
                              "pl:yes,2018,academic.achievement.math,0.5,5965,0.0001\n"
                              "pl:yes,2018,academic.achievement.ela,0.5,5965,0.0001\n";
    const auto result = run_cli("calibrate " + scenario + " --observed '" + precise.string() +
                                "' --draws 100 --quiet --out '" + (out.path() / "p.json").string() + "'");
    INFO(result.output);
    CHECK(result.exit_code == 0);
    CHECK(contains(result.output, "pathways: warning: the effective sample size collapsed ("));
    CHECK(contains(result.output, "Run more draws (--draws)"));
    CHECK(contains(result.output, "(--discrepancy-sd)"));
}

TEST_CASE(
    "calibrate --observed names the shocks of its likelihood, warns when no year shock ties a year's groups, "
    "and records them in the parameter file",
    "[cli][calibrate]") {
    scratch_folder out("shocks");
    const auto file = out.path() / "c.json";
    const auto without = run_cli("calibrate " + scenario + " --observed " + observed + " --draws 100 --quiet --out '" +
                                 file.string() + "'");
    INFO(without.output);
    CHECK(without.exit_code == 0);
    CHECK(contains(without.output, "shocks beside each cell's se: year 0, persistent 0, model discrepancy 0 SD"));
    CHECK(contains(without.output, "pathways: warning: the groups of one year share no shock"));
    const auto with =
        run_cli("calibrate " + scenario + " --observed " + observed +
                " --draws 100 --quiet --force --year-shock-sd 0.02 --persistent-sd 0.01 --out '" + file.string() + "'");
    INFO(with.output);
    CHECK(with.exit_code == 0);
    CHECK(contains(with.output, "shocks beside each cell's se: year 0.02, persistent 0.01, model discrepancy 0 SD"));
    CHECK_FALSE(contains(with.output, "share no shock"));
    CHECK(contains(read_file(file), "a year shock of SD 0.02, a persistent group shock of SD 0.01"));
}

namespace {

/// Mean, p05 and p95 of pl:yes's math level in 2026 with the cut risk, from a run's projection.csv.
std::array<double, 3> tutored_math_2026(const std::filesystem::path& folder) {
    for (const auto& row : csv_rows(read_file(folder / "projection.csv"))) {
        if (row.at("variant") == "base" && row.at("year") == "2026" && row.at("subgroup") == "pl:yes" &&
            row.at("outcome") == "achievement.math" && row.at("metric") == "level" &&
            row.at("course") == "with_cut_risk")
            return {std::stod(row.at("mean")), std::stod(row.at("p05")), std::stod(row.at("p95"))};
    }
    FAIL("no pl:yes math level for 2026 in " << folder);
    return {};
}

}  // namespace

TEST_CASE(
    "the shipped tutoring example: calibrating with the year shock recovers the known truth, and ignoring it "
    "does not",
    "[cli][calibrate][recovery]") {
    const std::string tutoring = "scenarios/tutoring-scale-up.json";
    const std::string data = "scenarios/observed/tutoring-2024-2026-synthetic.csv";
    scratch_folder out("tutoring-recovery");
    const auto run_into = [&](const std::string& name, const std::string& options) {
        const auto result =
            run_cli("run " + tutoring + " --quiet --out '" + (out.path() / name).string() + "' " + options);
        REQUIRE(result.exit_code == 0);
        return tutored_math_2026(out.path() / name);
    };
    const auto calibrate_into = [&](const std::string& name, const std::string& options) {
        const auto file = (out.path() / name).string();
        const auto result = run_cli("calibrate " + tutoring + " --observed " + data + " --draws 4000 --quiet --out '" +
                                    file + "' " + options);
        INFO(result.output);
        REQUIRE(result.exit_code == 0);
        return file;
    };
    const double truth = run_into("truth", "--draws 0 --set-file scenarios/observed/tutoring-2024-2026-truth.json")[0];
    const auto prior = run_into("prior", "--draws 400");
    const auto modelled = run_into("modelled", "--draws 400 --set-file '" +
                                                   calibrate_into("modelled.json", "--year-shock-sd 0.02") + "'");
    const auto independent =
        run_into("independent", "--draws 400 --set-file '" + calibrate_into("independent.json", "") + "'");
    INFO("truth " << truth << "; prior " << prior[0] << " [" << prior[1] << ", " << prior[2] << "]; modelled "
                  << modelled[0] << " [" << modelled[1] << ", " << modelled[2] << "]; independent " << independent[0]
                  << " [" << independent[1] << ", " << independent[2] << "]");
    CHECK(modelled[1] <= truth);
    CHECK(truth <= modelled[2]);
    CHECK(modelled[2] - modelled[1] < 0.25 * (prior[2] - prior[1]));
    CHECK(std::abs(modelled[0] - truth) < std::abs(prior[0] - truth));
    // Taken as independent, the nine cells overstate what they know and the interval misses the truth.
    CHECK_FALSE((independent[1] <= truth && truth <= independent[2]));
}
