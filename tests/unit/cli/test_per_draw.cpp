// `pathways run --per-draw`: every draw's value of every row (draws.csv) and what every draw sampled
// (inputs.csv), checked against projection.csv by hand-checkable identities.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

#include "cli_support.hpp"

namespace {

using pathways::test::csv_rows;
using pathways::test::read_text;
using pathways::test::run_cli;
using pathways::test::scratch_folder;
using csv_table = std::vector<std::map<std::string, std::string>>;

/// The labels that name a row in both projection.csv and draws.csv.
std::string row_key(const std::map<std::string, std::string>& row) {
    std::string key;
    for (const char* column : {"variant", "year", "subgroup", "outcome", "metric", "course", "reference"})
        key += row.at(column) + "|";
    return key;
}

/// Runs `run SCENARIO ARGS --per-draw` into a scratch folder and reads back the three tables.
struct per_draw_run {
    scratch_folder folder;
    csv_table projection, draws, inputs;
    std::string draws_text;

    per_draw_run(const std::string& name, const std::string& args) : folder(name) {
        const auto result = run_cli("run " + args + " --per-draw --quiet --format csv --out '" +
                                    (folder.path() / "out").string() + "'");
        INFO(result.output);
        REQUIRE(result.exit_code == 0);
        draws_text = read_text(folder.path() / "out" / "draws.csv");
        const auto without_comment = [](const std::string& text) {
            return text.rfind('#', 0) == 0 ? text.substr(text.find('\n') + 1) : text;
        };
        projection = csv_rows(without_comment(read_text(folder.path() / "out" / "projection.csv")));
        draws = csv_rows(without_comment(draws_text));
        inputs = csv_rows(read_text(folder.path() / "out" / "inputs.csv"));
    }
};

}  // namespace

TEST_CASE("run --per-draw: each row's draws average to its projection.csv mean", "[cli][run][per-draw]") {
    per_draw_run run("per-draw-means", "scenarios/denver-pilot-2015.json --draws 3 --seed 5");
    CHECK(run.draws_text.substr(0, run.draws_text.find('\n')) ==
          "scenario,variant,model,year,subgroup,outcome,metric,course,reference,draw,value");
    std::map<std::string, std::vector<std::string>> by_row;
    for (const auto& line : run.draws) by_row[row_key(line)].push_back(line.at("value"));
    std::size_t unsuppressed = 0, compared = 0;
    for (const auto& row : run.projection) {
        if (row.at("suppressed") == "1") continue;
        ++unsuppressed;
        const auto& values = by_row[row_key(row)];
        REQUIRE(values.size() == 3);
        if (row.at("mean").empty()) continue;  // an undefined mean (years to close in a draw that never closes)
        // A cost per unit of effect is undefined (empty) in a draw without a gain, and its mean is over
        // the draws with one; every other metric is defined in every draw.
        double sum = 0.0;
        double defined = 0.0;
        for (const std::string& v : values) {
            if (v.empty()) continue;
            sum += std::stod(v);
            defined += 1.0;
        }
        REQUIRE(defined > 0.0);
        // Both are written with 6 significant digits: the mean of written draws is within rounding.
        CHECK(sum / defined == Approx(std::stod(row.at("mean"))).epsilon(1e-5).margin(1e-6));
        ++compared;
    }
    CHECK(compared > 100);
    CHECK(run.draws.size() == 3 * unsuppressed);
    // Draws are numbered 0, 1, 2 in every row, in order.
    for (std::size_t i = 0; i < run.draws.size(); ++i) CHECK(run.draws[i].at("draw") == std::to_string(i % 3));
}

TEST_CASE("run --per-draw: suppressed rows have no draws, and unsuppressed output says so", "[cli][run][per-draw]") {
    // At min_n 10,000 the smaller groups are withheld; the district-wide rows are not.
    per_draw_run run("per-draw-suppressed", "scenarios/denver-pilot-2015.json --draws 2 --min-n 10000");
    std::set<std::string> drawn;
    for (const auto& line : run.draws) drawn.insert(row_key(line));
    std::size_t suppressed = 0;
    for (const auto& row : run.projection) {
        const bool withheld = row.at("suppressed") == "1";
        suppressed += withheld ? 1 : 0;
        CHECK(drawn.contains(row_key(row)) == !withheld);
    }
    CHECK(suppressed > 0);
    CHECK(suppressed < run.projection.size());
    CHECK(run.draws_text.rfind("scenario,", 0) == 0);  // publishable: no warning line

    per_draw_run internal("per-draw-internal", "scenarios/denver-pilot-2015.json --draws 2 --no-suppression");
    CHECK(internal.draws_text.rfind("# NOT FOR PUBLIC RELEASE", 0) == 0);
    CHECK(internal.draws.size() == 2 * internal.projection.size());
}

TEST_CASE("run --per-draw: inputs.csv holds what each draw sampled, keyed by seed and draw", "[cli][run][per-draw]") {
    per_draw_run two("per-draw-inputs-2", "scenarios/denver-pilot-2015.json --draws 2 --seed 9");
    per_draw_run three("per-draw-inputs-3", "scenarios/denver-pilot-2015.json --draws 3 --seed 9");
    std::set<std::string> names;
    for (const auto& line : three.inputs) names.insert(line.at("input"));
    CHECK(names.contains("schools:dose_mean"));
    CHECK(names.contains("schools:dose_sd"));
    CHECK(std::any_of(names.begin(), names.end(), [](const std::string& n) { return n.rfind("edge:", 0) == 0; }));
    CHECK(three.inputs.size() == 3 * names.size());
    // A draw samples the same inputs whatever the number of draws: the first two draws agree line by line.
    REQUIRE(two.inputs.size() == 2 * names.size());
    for (std::size_t i = 0; i < two.inputs.size(); ++i) CHECK(two.inputs[i] == three.inputs[i]);

    // With no draws the one central run samples nothing: every dose multiplier is 1.
    per_draw_run central("per-draw-central", "scenarios/denver-pilot-2015.json --draws 0");
    for (const auto& line : central.inputs) {
        CHECK(line.at("draw") == "0");
        if (line.at("input") == "schools:dose_mean") CHECK(line.at("value") == "1");
        if (line.at("input") == "schools:dose_sd") CHECK(line.at("value") == "0");
    }
    std::map<std::string, std::string> central_value;
    for (const auto& line : central.draws) central_value[row_key(line)] = line.at("value");
    for (const auto& row : central.projection) {
        if (row.at("suppressed") == "1" || row.at("mean").empty()) continue;
        const auto line = central_value.find(row_key(row));
        REQUIRE(line != central_value.end());
        CHECK(line->second == row.at("mean"));
    }
}

TEST_CASE("sweep --per-draw needs --db, where it stores every draw", "[cli][sweep][per-draw]") {
    scratch_folder folder("sweep-per-draw");
    const std::string sweep =
        "sweep scenarios/denver-pilot-2015.json --grid /uncertainty/seed=1,2 --draws 2 --quiet --out '" +
        (folder.path() / "out").string() + "'";
    const auto refused = run_cli(sweep + " --per-draw");
    CHECK(refused.exit_code == 2);
    CHECK(refused.output.find("--per-draw stores the draws in the database; expected --db FILE too") !=
          std::string::npos);
    CHECK_FALSE(std::filesystem::exists(folder.path() / "out"));

    const auto stored = run_cli(sweep + " --per-draw --db '" + (folder.path() / "points.sqlite").string() + "'");
    INFO(stored.output);
    CHECK(stored.exit_code == 0);
    CHECK(std::filesystem::exists(folder.path() / "points.sqlite"));
}
