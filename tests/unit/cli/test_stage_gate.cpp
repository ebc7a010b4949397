// The Denver scale-up's stage-gated plan, checked draw by draw from the per-draw file: its second wave
// starts only where the planning schools' 2018 math effect, plus the measurement error a district's
// estimate would have, reaches +0.02 SD. Where the gate stays closed the plan is the pilot alone, so
// every draw must equal the base plan's (gate open) or pilot_only's (gate closed), and which one is
// recomputed here from pilot_only's own 2018 effect and the gate's noise stream.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_support.hpp"
#include "stats/distributions.hpp"
#include "stats/random.hpp"

namespace {

using pathways::test::run_cli;
using pathways::test::scratch_folder;

constexpr int draws = 20;
constexpr std::uint64_t seed = 2017;  // the scenario's

std::vector<std::string> fields_of(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream in(line);
    for (std::string field; std::getline(in, field, ',');) fields.push_back(field);
    return fields;
}

/// Per variant, per draw: the value of the rows `wanted` picks (variant, year, subgroup, outcome, metric, course).
using draw_values = std::map<std::string, std::vector<double>>;

draw_values values_of(const std::filesystem::path& file, const std::string& year, const std::string& subgroup,
                      const std::string& outcome, const std::string& metric) {
    draw_values values;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        const auto f = fields_of(line);
        // scenario,variant,model,year,subgroup,outcome,metric,course,reference,draw,value
        if (f.size() != 11 || f[3] != year || f[4] != subgroup || f[5] != outcome || f[6] != metric ||
            f[7] != "with_cut_risk")
            continue;
        auto& column = values[f[1]];
        column.resize(static_cast<std::size_t>(draws));
        column.at(std::stoul(f[9])) = std::stod(f[10]);
    }
    return values;
}

}  // namespace

TEST_CASE(
    "a stage-gated Denver scale-up equals the base plan where its gate opens and the pilot alone where it "
    "stays closed, and costs less exactly there",
    "[cli][stage-gate]") {
    const scratch_folder out("stage-gate");
    const auto result = run_cli("run scenarios/denver-scale-up.json --all-variants --draws " + std::to_string(draws) +
                                " --per-draw --format csv --out '" + out.path().string() + "'");
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    const auto file = out.path() / "draws.csv";
    const draw_values cost = values_of(file, "2022", "all", "", "cost_total");
    const draw_values effect = values_of(file, "2022", "all", "academic.achievement.math", "effect");
    const draw_values pilot = values_of(file, "2018", "pl:yes", "academic.achievement.math", "effect");
    REQUIRE(cost.count("gated_scale_up") == 1);

    // The district's estimate: 5,965 students in the 15 planning schools against as many, school ICC 0.20.
    const double se = std::sqrt(2.0 * (1.0 + (5965.0 / 15.0 - 1.0) * 0.20) / 5965.0);
    const std::uint64_t stream = pathways::stats::stream_id("stage-gate:scale-up");
    int opened = 0;
    for (std::size_t d = 0; d < static_cast<std::size_t>(draws); ++d) {
        INFO("draw " << d);
        pathways::stats::counter_rng rng(seed, d, stream);
        const double estimate = pilot.at("pilot_only")[d] + se * pathways::stats::sample_standard_normal(rng);
        if (std::abs(estimate - 0.02) < 1e-5) continue;  // too close to call from six printed digits
        const bool open = estimate >= 0.02;
        opened += open ? 1 : 0;
        const auto& same = open ? cost.at("base") : cost.at("pilot_only");
        CHECK(cost.at("gated_scale_up")[d] == same[d]);
        CHECK(effect.at("gated_scale_up")[d] == (open ? effect.at("base") : effect.at("pilot_only"))[d]);
        if (!open) CHECK(cost.at("gated_scale_up")[d] < cost.at("base")[d]);
    }
    CHECK(opened > 0);
    CHECK(opened < draws);
    std::string one_line = result.output;  // the summary wraps its paragraphs at 100 columns
    std::replace(one_line.begin(), one_line.end(), '\n', ' ');
    CHECK(one_line.find("Stage gate, gated_scale_up: wave 'scale-up' starts only where pl:yes's "
                        "academic.achievement.math effect in 2018 measures at least +0.020 SD") != std::string::npos);
    CHECK(one_line.find("in " + std::to_string(100 * opened / draws) + "% of draws") != std::string::npos);
    CHECK(one_line.find("the gate opens mostly by chance") != std::string::npos);
    std::ifstream manifest_file(out.path() / "manifest.json");
    const auto manifest = nlohmann::json::parse(manifest_file);
    bool recorded = false;
    for (const auto& run : manifest.at("runs")) {
        if (run.at("variant") != "gated_scale_up") continue;
        for (const auto& wave : run.at("waves")) {
            if (!wave.contains("gate")) continue;
            recorded = true;
            CHECK(wave.at("name") == "scale-up");
            CHECK(wave.at("gate").at("open_share").get<double>() == Approx(double(opened) / draws));
            CHECK(wave.at("gate").at("measurement_se").get<double>() == Approx(se).epsilon(1e-9));
        }
    }
    CHECK(recorded);
}
