// plan-next and costs from the command line: the chosen wave is written as a scenario that `run`
// takes as it is, costs appear in projection.csv, and every bad option is refused with exit 2.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_support.hpp"

namespace {

using namespace pathways::test;
using Catch::Matchers::Contains;

std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

const std::string small = "tests/data/malformed/valid.json";

}  // namespace

TEST_CASE("plan-next writes the plan with its next wave, and run takes the file as it is", "[cli][plan-next]") {
    scratch_folder folder("plan-next");
    const std::string out = (folder.path() / "next").string();
    const cli_result chosen =
        run_cli("plan-next " + small + " --schools 1 --draws 2 --random-sets 2 --out '" + out + "'");
    INFO(chosen.output);
    REQUIRE(chosen.exit_code == 0);
    CHECK_THAT(chosen.output, Contains("Chosen schools") && Contains("Expected gain of the wave") &&
                                  Contains("Screened") && Contains("random sets"));
    const std::string plan = read_all(folder.path() / "next" / "plan-next.json");
    CHECK_THAT(plan, Contains("next wave (plan-next)") && Contains("\"district\": \"districts/small.json\""));
    CHECK(std::filesystem::exists(folder.path() / "next" / "plan-next-candidates.csv"));
    const cli_result ran = run_cli("run '" + out + "/plan-next.json' --draws 2 --quiet --out '" + out + "/run'");
    INFO(ran.output);
    CHECK(ran.exit_code == 0);
    // The output exists now: refused without --force.
    const cli_result again = run_cli("plan-next " + small + " --schools 1 --draws 2 --out '" + out + "'");
    CHECK(again.exit_code == 2);
    CHECK_THAT(again.output, Contains("output exists; use --force"));
}

TEST_CASE("plan-next refuses too many schools, a budget without costs and an unknown objective",
          "[cli][plan-next][errors]") {
    scratch_folder folder("plan-next-errors");
    const std::string out = " --out '" + (folder.path() / "next").string() + "'";
    const cli_result too_many = run_cli("plan-next " + small + " --schools 99" + out);
    CHECK(too_many.exit_code == 2);
    CHECK_THAT(too_many.output, Contains("<command line>: error: --schools: 99 schools, but the plan leaves only"));
    const cli_result no_costs = run_cli("plan-next " + small + " --schools 1 --budget 1000" + out);
    CHECK(no_costs.exit_code == 2);
    CHECK_THAT(no_costs.output, Contains("--budget: the plan has no costs"));
    const cli_result objective = run_cli("plan-next " + small + " --schools 1 --objective best" + out);
    CHECK(objective.exit_code == 2);
    CHECK_THAT(objective.output, Contains("--objective: unknown objective 'best'"));
    CHECK_FALSE(std::filesystem::exists(folder.path() / "next" / "plan-next.json"));
}

TEST_CASE("a run of the Denver scale-up has its costs in projection.csv and a costs block in the summary",
          "[cli][costs]") {
    scratch_folder folder("costs-run");
    const cli_result ran =
        run_cli("run scenarios/denver-scale-up.json --draws 2 --out '" + (folder.path() / "run").string() + "'");
    INFO(ran.output);
    REQUIRE(ran.exit_code == 0);
    CHECK_THAT(ran.output,
               Contains("Costs in USD (2018 prices, present value in 2017 at 3%)") && Contains("per student reached"));
    const std::string csv = read_all(folder.path() / "run" / "projection.csv");
    for (const char* metric :
         {",,cost_total,", ",,cost_per_student,", ",cost_per_tenth_sd,", ",effect_per_million,", ",cost_per_gap_pp,"}) {
        CHECK_THAT(csv, Contains(metric));
    }
}

TEST_CASE("plan-next prices its wave on the course its gain is on, per student, and lists who each candidate serves",
          "[cli][plan-next][costs]") {
    scratch_folder folder("plan-next-costs");
    const std::string out = (folder.path() / "next").string();
    const cli_result chosen = run_cli(
        "plan-next scenarios/denver-scale-up.json --schools 2 --draws 4 --random-sets 2 "
        "--threads 2 --out '" +
        out + "'");
    INFO(chosen.output);
    REQUIRE(chosen.exit_code == 0);
    CHECK_THAT(chosen.output, Contains("expected with the cut risk, the course the gain is on") &&
                                  Contains("Per student reached (") && Contains("the choice's margin over them"));
    const std::string csv = read_all(folder.path() / "next" / "plan-next-candidates.csv");
    CHECK(csv.rfind("rank,school_id,school_name,level,enrollment,spf,start_level,frl_share,ell_share,sped_share,"
                    "black_share,hispanic_share,white_share,gain,unit,cost,cost_per_student\n",
                    0) == 0);
}
