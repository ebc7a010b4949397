// The HTML report, its inputs (results folder, sensitivity table) and the report/effects commands.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <limits>
#include <map>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../cli/cli_support.hpp"
#include "common/csv.hpp"
#include "common/text_format.hpp"
#include "engine/scenario_loader.hpp"
#include "report/html_report.hpp"
#include "report/html_text.hpp"
#include "report/projection_writer.hpp"
#include "report/sensitivity_table.hpp"
#include "scenario/results_reader.hpp"
#include "scenario/scenario_reader.hpp"

namespace {

using namespace pathways;
using pathways::test::run_cli;
using pathways::test::scratch_folder;

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

/// Any address the browser would fetch: src= or href= with http(s)://, in any quoting.
bool has_external_url(const std::string& html) {
    static const std::regex external(R"((src|href)\s*=\s*["']?\s*https?://)", std::regex::icase);
    return std::regex_search(html, external);
}

result_row row(int year, const std::string& subgroup, const std::string& metric, double mean, bool suppressed = false) {
    result_row r;
    r.year = year;
    r.subgroup = subgroup;
    r.outcome = "academic.achievement.math";
    r.metric = metric;
    r.mean = mean;
    r.p05 = mean - 0.01;
    r.p50 = mean;
    r.p95 = mean + 0.01;
    r.n_students = suppressed ? 7 : 5000;
    r.suppressed = suppressed;
    return r;
}

}  // namespace

TEST_CASE("numbers are written with six significant digits and no residue around zero") {
    CHECK(pathways::format_value(0.123456789) == "0.123457");
    CHECK(pathways::format_value(-2.5e-7) == "-2.5e-07");
    CHECK(pathways::format_value(-1.14722e-15) == "0");
    CHECK(pathways::format_value(-0.0) == "0");
    CHECK(pathways::format_value(std::numeric_limits<double>::quiet_NaN()).empty());
}

TEST_CASE("the external-URL check finds addresses a browser would load") {
    CHECK(has_external_url("<img src=\"https://example.org/a.png\">"));
    CHECK(has_external_url("<a href='http://example.org'>"));
    CHECK(has_external_url("<link HREF = https://x>"));
    CHECK_FALSE(has_external_url("<td>see https://example.org (plain text)</td><a href=\"#gaps\">"));
}

bool is_scenario_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return text.find("\"pathways\": 1,") != std::string::npos;
}

TEST_CASE("the report of each shipped scenario is generated and loads nothing from outside") {
    const std::filesystem::path scenarios = std::filesystem::path(PATHWAYS_SOURCE_ROOT) / "scenarios";
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(scenarios)) files.push_back(entry.path());
    REQUIRE(std::count_if(files.begin(), files.end(), [](const auto& p) { return p.extension() == ".json"; }) >= 4);
    for (const auto& entry : std::filesystem::directory_iterator(scenarios)) {
        const auto& path = entry.path();
        // Scenario files only: the folder also holds schemas, anchors and references. The national
        // scenario (3.5 million cells, gigabytes) is a benchmark, not a unit test.
        if (path.extension() != ".json" || !is_scenario_file(path) || path.filename() == "national-scale-up.json")
            continue;
        DYNAMIC_SECTION(path.filename().string()) {
            scratch_folder out("report-" + path.stem().string());
            const auto result =
                run_cli("run '" + path.string() + "' --draws 8 --quiet --report --out '" + out.path().string() + "'");
            INFO(result.output);
            REQUIRE(result.exit_code == 0);
            const std::string html = read_file(out.path() / "report.html");
            CHECK(html.starts_with("<!DOCTYPE html>"));
            CHECK_FALSE(has_external_url(html));
            CHECK(html.find("<script") == std::string::npos);
            CHECK(html.find("@import") == std::string::npos);
            CHECK(html.find("url(") == std::string::npos);
            for (const char* heading : {"<h2 id=\"decision\">", "What this scenario does", "What changes for students",
                                        "Opportunity gaps", "Where the numbers come from", "How to read the bands"}) {
                CHECK(html.find(heading) != std::string::npos);
            }
            CHECK(html.find("role=\"img\" aria-labelledby=") != std::string::npos);
            // Every SVG carries a title and a description.
            std::size_t svgs = 0;
            for (std::size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) {
                ++svgs;
                const std::size_t end = html.find("</svg>", at);
                const std::string svg = html.substr(at, end - at);
                CHECK(svg.find("<title id=") != std::string::npos);
                CHECK(svg.find("<desc id=") != std::string::npos);
            }
            CHECK(svgs >= 3);  // diagram, at least one trajectory, at least one more chart
            // The manifest lists the report with the other outputs.
            CHECK(read_file(out.path() / "manifest.json").find("\"report.html\"") != std::string::npos);
        }
    }
}

TEST_CASE("pathways report renders a results folder and refuses to overwrite without --force") {
    scratch_folder out("report-command");
    const std::string scenario = std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-scale-up.json";
    REQUIRE(run_cli("run '" + scenario + "' --draws 8 --quiet --all-variants --out '" + out.path().string() + "'")
                .exit_code == 0);
    write_file(out.path() / "sensitivity.csv",
               "input,outcome,input_low,input_high,output_low,output_high\n"
               "edge weight Strategic Space -> Emotional Engagement,academic.achievement.math,0.1,0.3,0.004,0.011\n"
               "ramp years_to_half,academic.achievement.math,1.5,3,0.009,0.002\n");
    const std::string target = (out.path() / "r.html").string();
    const auto first = run_cli("report '" + out.path().string() + "' -o '" + target + "'");
    INFO(first.output);
    REQUIRE(first.exit_code == 0);
    const std::string html = read_file(target);
    CHECK(html.find("Which variant to choose") != std::string::npos);  // five runs
    // The runs are repeated from the manifest, so the variants are paired draw by draw as in `run --report`.
    CHECK(html.find("of the same simulated futures") != std::string::npos);
    CHECK(html.find("Variants are compared on the same simulated futures") != std::string::npos);
    CHECK(html.find("foundations_first") != std::string::npos);
    CHECK(html.find("What the results are most sensitive to") != std::string::npos);
    CHECK(html.find("class=\"chart tornado\"") != std::string::npos);
    CHECK(html.find("Which practices move math, and through what") != std::string::npos);

    const auto again = run_cli("report '" + out.path().string() + "' -o '" + target + "'");
    CHECK(again.exit_code == 2);
    CHECK(again.output.find("output exists; use --force to overwrite it") != std::string::npos);
    CHECK(run_cli("report '" + out.path().string() + "' -o '" + target + "' --force").exit_code == 0);
}

TEST_CASE("pathways report compares summaries when the runs do not reproduce the results") {
    scratch_folder out("report-not-reproduced");
    const std::string scenario = std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-scale-up.json";
    REQUIRE(run_cli("run '" + scenario + "' --draws 8 --quiet --all-variants --out '" + out.path().string() + "'")
                .exit_code == 0);
    // Another seed gives other draws, as a changed input would: they must not be paired with these results.
    std::string manifest = read_file(out.path() / "manifest.json");
    const std::string recorded = "\"seed\": 2017";
    const std::size_t seed = manifest.find(recorded);
    REQUIRE(seed != std::string::npos);
    manifest.replace(seed, recorded.size(), "\"seed\": 2018");
    write_file(out.path() / "manifest.json", manifest);
    const auto result = run_cli("report '" + out.path().string() + "'");
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    CHECK(result.output.find("the runs were not repeated, so the report compares the variants' summaries") !=
          std::string::npos);
    const std::string html = read_file(out.path() / "report.html");
    CHECK(html.find("in the mean; how often it comes out ahead needs every run") != std::string::npos);
    CHECK(html.find("a results folder keeps summaries only") != std::string::npos);
}

TEST_CASE("the tornado section is left out when there is no sensitivity run") {
    scratch_folder out("report-no-sensitivity");
    const std::string scenario = std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-pilot-2015.json";
    REQUIRE(
        run_cli("run '" + scenario + "' --draws 8 --quiet --report --out '" + out.path().string() + "'").exit_code ==
        0);
    const std::string html = read_file(out.path() / "report.html");
    CHECK(html.find("most sensitive to") == std::string::npos);
    CHECK(html.find("Which variant to choose") == std::string::npos);  // one run only
    CHECK(html.find("The decision: the plan against business as usual") != std::string::npos);
    CHECK(html.find("The plan is better than business as usual in ") != std::string::npos);
}

TEST_CASE("pathways report explains a folder that holds no results") {
    scratch_folder empty("report-empty");
    const auto result = run_cli("report '" + empty.path().string() + "'");
    CHECK(result.exit_code == 2);
    CHECK(result.output.find("projection.json") != std::string::npos);
    CHECK(result.output.find("manifest.json") != std::string::npos);
}

TEST_CASE("suppressed groups are shown as suppressed, never as numbers") {
    diagnostics problems;
    auto spec = read_scenario(std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-scale-up.json", "base", problems);
    REQUIRE(spec);
    spec->report.reference_groups = {{"race:pacific_islander", "race:white"}};  // a focal group the run suppresses
    const auto district = read_district(spec->district_path, problems);
    const auto graph = load_model_graph("", problems);
    REQUIRE(district);
    REQUIRE(graph);
    results_folder results;
    results.folder = "/nowhere";
    results.manifest.min_n = 16;
    result_run run;
    run.scenario = "test";
    run.variant = "base";
    run.model = "linear";
    run.draws = 8;
    for (const int year : {2017, 2018}) {
        run.rows.push_back(row(year, "all", "level", 0.125));
        run.rows.push_back(row(year, "all", "bau_level", 0.0));
        run.rows.push_back(row(year, "all", "effect", 0.125));
        run.rows.push_back(row(year, "race:pacific_islander", "level", 0.0, true));
        run.rows.push_back(row(year, "race:pacific_islander", "bau_level", 0.0, true));
        run.rows.push_back(row(year, "race:pacific_islander", "effect", 0.0, true));
    }
    results.runs.push_back(run);
    const std::string html = render_html_report({results, *spec, &*district, *graph, nullptr, nullptr, {}});
    CHECK(html.find("<td>Pacific Islander</td><td class=\"suppressed\" colspan=\"4\">suppressed (fewer than 16 "
                    "students)</td>") != std::string::npos);
    CHECK(html.find("<strong>Pacific Islander</strong>suppressed (fewer than 16 students)") != std::string::npos);
    // The decision table says so too, for the plan against business as usual.
    CHECK(html.find("<td>Pacific Islander</td><td class=\"suppressed\" colspan=\"3\">suppressed (fewer than 16 "
                    "students)</td>") != std::string::npos);
    CHECK(html.find("+0.125 [+0.115 to +0.135]") != std::string::npos);    // the group that is shown: 0.125 ± 0.01
    CHECK(html.find("<td class=\"num\">5000</td>") != std::string::npos);  // the head count of the group shown
    CHECK(html.find("<td class=\"num\">7</td>") == std::string::npos);     // never the suppressed group's
}

TEST_CASE("sensitivity tables are read by their header") {
    scratch_folder folder("sensitivity");
    const auto file = folder.path() / "sensitivity.csv";
    SECTION("output_low and output_high win over input_low and input_high") {
        write_file(file, "input,input_low,input_high,output_low,output_high,base\nramp,1,3,0.25,-0.5,0.1\n");
        diagnostics problems;
        const auto bars = read_sensitivity_csv(file, problems);
        REQUIRE(bars);
        REQUIRE(bars->size() == 1);
        CHECK((*bars)[0].input == "ramp");
        CHECK((*bars)[0].low == 0.25);
        CHECK((*bars)[0].high == -0.5);
        CHECK((*bars)[0].base == 0.1);
        CHECK((*bars)[0].outcome.empty());
    }
    SECTION("a header without low and high is an error") {
        write_file(file, "input,value\nramp,1\n");
        diagnostics problems;
        CHECK_FALSE(read_sensitivity_csv(file, problems));
        REQUIRE(problems.has_errors());
        CHECK(problems.items()[0].message.find("header lacks an input, low or high column") != std::string::npos);
    }
    SECTION("a value that is not a number is an error on its line") {
        write_file(file, "parameter,low,high\nramp,0.1,0.2\nfidelity,abc,0.3\n");
        diagnostics problems;
        CHECK_FALSE(read_sensitivity_csv(file, problems));
        REQUIRE(problems.items().size() == 1);
        CHECK(problems.items()[0].line == 3);
    }
    SECTION("a missing file is an error") {
        diagnostics problems;
        CHECK_FALSE(read_sensitivity_csv(folder.path() / "none.csv", problems));
        CHECK(problems.has_errors());
    }
}

TEST_CASE("results are read back from projection and manifest text") {
    const std::string manifest =
        R"({"scenario": "s", "effect_model": {"name": "linear", "version": "1", "pinned": {"scale": 2}}, "seed": 3,
            "draws": 8, "min_n": 10, "future_field": [1],
            "inputs": {"scenario": {"path": "a.json", "sha256": "ab"}}, "runs": [{"variant": "base", "seconds": 0.5}],
            "outputs": {"projection.json": "cd"}})";
    SECTION("a complete pair") {
        const std::string projection = R"({"runs": [{"scenario": "s", "variant": "base", "model": "linear", "draws": 8,
            "rows": [{"year": 2017, "subgroup": "all", "outcome": "o", "metric": "effect", "reference": "", "mean": 0.5,
                      "sd": 0.1, "p05": 0.3, "p50": 0.5, "p95": 0.7, "prob_positive": 1, "n_students": 100, "suppressed": false},
                     {"year": 2017, "subgroup": "tiny", "outcome": "o", "metric": "effect", "reference": "", "mean": null,
                      "sd": null, "p05": null, "p50": null, "p95": null, "prob_positive": null, "n_students": null,
                      "suppressed": true}]}]})";
        diagnostics problems;
        const auto results = read_results_text(projection, manifest, "out", problems);
        REQUIRE(results);
        REQUIRE(results->runs.size() == 1);
        REQUIRE(results->runs[0].rows.size() == 2);
        CHECK(results->runs[0].rows[0].p95 == 0.7);
        CHECK(results->runs[0].rows[1].suppressed);
        CHECK(results->manifest.min_n == 10);
        CHECK(results->manifest.pinned == std::vector<std::pair<std::string, double>>{{"scale", 2.0}});
        REQUIRE(results->manifest.input("scenario") != nullptr);
        CHECK(results->manifest.input("scenario")->path == "a.json");
        CHECK(results->manifest.input("model") == nullptr);
    }
    SECTION("a row that is not suppressed must have its numbers") {
        const std::string projection = R"({"runs": [{"scenario": "s", "variant": "base", "model": "linear", "draws": 8,
            "rows": [{"year": 2017, "subgroup": "all", "outcome": "o", "metric": "effect", "mean": null,
                      "sd": 0.1, "p05": 0.3, "p50": 0.5, "p95": 0.7, "prob_positive": 1, "n_students": 100, "suppressed": false}]}]})";
        diagnostics problems;
        CHECK_FALSE(read_results_text(projection, manifest, "out", problems));
        REQUIRE(problems.items().size() == 1);
        CHECK(problems.items()[0].pointer == "/runs/0/rows/0/mean");
        CHECK(problems.items()[0].line == 2);  // the second line of the text holds "mean": null
    }
    SECTION("no runs and no scenario input are errors") {
        diagnostics problems;
        CHECK_FALSE(read_results_text(R"({"runs": []})", R"({"scenario": "s", "inputs": {}})", "out", problems));
        REQUIRE(problems.items().size() == 2);
        CHECK(problems.items()[0].message.find("no runs") != std::string::npos);
        CHECK(problems.items()[1].message.find("no scenario input") != std::string::npos);
    }
}

TEST_CASE("pathways effects prints linear and finite-difference effects") {
    SECTION("the embedded model as CSV: linear algebra, direct + indirect = total") {
        const auto result = run_cli("effects --format csv");
        REQUIRE(result.exit_code == 0);
        CHECK(result.output.starts_with("source,outcome,direct,indirect,total,method,strongest_path,path_strength\n"));
        // Strategic Space has no direct link to math: its whole total effect is indirect. By hand:
        // via emotional and cognitive engagement 0.018 × 0.028 twice, via self-advocacy 0.025 × 0.067 × 0.028
        // (cognitive engagement) + 0.025 × 0.067 × 0.071 (self-efficacy, middle and high school) = 0.00117383.
        CHECK(
            result.output.find("strategic_resources.space,academic.achievement.math,0,0.00117383,0.00117383,linear,") !=
            std::string::npos);
    }
    SECTION("a scenario with a non-linear model: central finite differences, totals only") {
        const auto result = run_cli("effects --scenario scenarios/denver-scale-up.json --format json");
        REQUIRE(result.exit_code == 0);
        CHECK(result.output.find("finite differences") != std::string::npos);
        const auto json = nlohmann::json::parse(result.output);
        REQUIRE_FALSE(json["effects"].empty());
        for (const auto& effect :
             json["effects"]) {  // totals only: the decomposition is not defined off the linear model
            CHECK(effect["direct"].is_null());
            CHECK(effect["indirect"].is_null());
            CHECK(effect["total"].is_number());
        }
    }
    SECTION("--model and --scenario together are refused") {
        const auto result = run_cli(
            "effects --model scenarios/models/dps-personalized-learning.json --scenario "
            "scenarios/denver-scale-up.json");
        CHECK(result.exit_code == 2);
        CHECK(result.output.find("--model and --scenario both given") != std::string::npos);
    }
    SECTION("an unknown format is refused") { CHECK(run_cli("effects --format xml").exit_code == 2); }
}

/// The tornado bars of the report: label, low and high as each bar's tooltip states them.
std::map<std::string, std::pair<std::string, std::string>> tornado_bars(const std::string& html) {
    static const std::regex bar(R"(<title>([^<]*): (\S+) \(low\) to (\S+) \(high\)</title>)");
    std::map<std::string, std::pair<std::string, std::string>> bars;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), bar); it != std::sregex_iterator(); ++it) {
        std::string label = (*it)[1];
        label = std::regex_replace(label, std::regex("&gt;"), ">");
        label = std::regex_replace(label, std::regex("&lt;"), "<");
        label = std::regex_replace(label, std::regex("&amp;"), "&");
        bars[label] = {(*it)[2], (*it)[3]};
    }
    return bars;
}

TEST_CASE("the tornado chart plots the tornado values of sensitivity.csv as pathways sensitivity writes it",
          "[report][tornado]") {
    scratch_folder out("report-tornado");
    const std::string scenario = std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/rand-2017-check.json";
    const std::string folder = out.path().string();
    REQUIRE(run_cli("run '" + scenario + "' --draws 4 --quiet --out '" + folder + "'").exit_code == 0);
    const auto sensitivity = run_cli("sensitivity '" + scenario +
                                     "' --outcome academic.achievement.math --subgroup all "
                                     "--n 8 --bootstrap 10 --quiet --force --out '" +
                                     folder + "'");
    INFO(sensitivity.output);
    REQUIRE(sensitivity.exit_code == 0);
    REQUIRE(run_cli("report '" + folder + "'").exit_code == 0);
    const auto bars = tornado_bars(read_file(out.path() / "report.html"));
    REQUIRE_FALSE(bars.empty());

    diagnostics problems;
    const auto records = parse_csv(read_file(out.path() / "sensitivity.csv"), "sensitivity.csv", problems);
    REQUIRE(records.size() > 1);
    const auto& header = records.front().fields;
    const auto column = [&](std::string_view name) {
        return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
    };
    const std::size_t input = column("input");
    const std::size_t at_p05 = column("value_at_p05");
    const std::size_t at_p95 = column("value_at_p95");
    const std::size_t sobol_low = column("first_order_low");
    REQUIRE(at_p95 < header.size());
    std::size_t compared = 0;
    std::size_t telling =
        0;  // bars whose tornado values differ from the Sobol bounds, so the check can tell them apart
    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& fields = records[r].fields;
        const auto shown = bars.find(fields[input]);
        if (shown == bars.end()) continue;  // the chart shows the 15 longest bars
        INFO(fields[input]);
        CHECK(shown->second.first == html::number(std::stod(fields[at_p05]), 4));
        CHECK(shown->second.second == html::number(std::stod(fields[at_p95]), 4));
        if (fields[at_p05] != fields[sobol_low]) ++telling;
        ++compared;
    }
    CHECK(compared == std::min<std::size_t>(bars.size(), 15));
    CHECK(compared == bars.size());
    CHECK(telling > 0);
}
