// The report's decision section, its honest scales and its length: hand-built runs whose best variant
// is known, and the Denver report with the variants.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "../cli/cli_support.hpp"
#include "engine/scenario_loader.hpp"
#include "report/decision.hpp"
#include "report/html_report.hpp"
#include "report/report_charts.hpp"
#include "scenario/scenario_reader.hpp"
#include "stats/summary.hpp"

namespace {

using namespace pathways;
using pathways::test::run_cli;
using pathways::test::scratch_folder;

constexpr const char* math = "academic.achievement.math";

/// The final-year (2018) effect for all students in each of four draws.
struct hand_run {
    std::string variant;
    std::vector<double> draws;
};

/// base 0.005 on average, A 0.025 (best), B 0.020 (runner-up); A − B per draw: +0.01, +0.01, +0.01, −0.01.
const std::vector<hand_run> hand_runs{
    {"base", {0.01, 0.02, 0.00, -0.01}},
    {"A", {0.03, 0.05, 0.02, 0.00}},
    {"B", {0.02, 0.04, 0.01, 0.01}},
};

result_row effect_row(int year, const std::string& subgroup, const std::vector<double>& draws) {
    const stats::summary s = stats::summarize(draws);
    result_row r;
    r.year = year;
    r.subgroup = subgroup;
    r.outcome = math;
    r.metric = "effect";
    r.course = "with_cut_risk";
    r.mean = s.mean;
    r.sd = s.sd;
    r.p05 = s.p05;
    r.p50 = s.p50;
    r.p95 = s.p95;
    r.prob_positive = s.prob_positive;
    r.n_students = 5000;
    return r;
}

result_run result_of(const hand_run& run) {
    result_run r;
    r.scenario = "hand-built";
    r.variant = run.variant;
    r.model = "linear";
    r.draws = static_cast<std::int64_t>(run.draws.size());
    r.rows.push_back(effect_row(2017, "all", std::vector<double>(run.draws.size(), 0.0)));
    r.rows.push_back(effect_row(2018, "all", run.draws));
    return r;
}

labelled_run draws_of(const hand_run& run) {
    labelled_run labelled;
    labelled.name = run.variant;
    labelled.rows.push_back({{2018, "all", math, metric::effect, ""}, true, false});
    labelled.values = run.draws;
    labelled.draws = run.draws.size();
    return labelled;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// `html` without the content of its <details> blocks: what a reader sees without a click.
std::string visible_part(const std::string& html) {
    std::string visible;
    std::size_t at = 0;
    int depth = 0;
    static const std::regex tag("<details\\b|</details>");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator(); ++it) {
        const auto position = static_cast<std::size_t>(it->position());
        if (it->str() != "</details>") {
            if (depth++ == 0) visible += html.substr(at, position - at);
        } else if (--depth == 0) {
            at = position + it->str().size();
        }
    }
    return visible + html.substr(at);
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

/// The opening tag of every <svg> whose id prefix (the aria title id) starts with `prefix`.
std::vector<std::string> svg_tags(const std::string& html, const std::string& prefix) {
    std::vector<std::string> tags;
    for (std::size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) {
        const std::string tag = html.substr(at, html.find('>', at) - at);
        if (tag.find("aria-labelledby=\"" + prefix) != std::string::npos)
            tags.push_back(html.substr(at, html.find("</svg>", at) - at));
    }
    return tags;
}

std::string attribute(const std::string& tag, const std::string& name) {
    const std::size_t at = tag.find(name + "=\"");
    if (at == std::string::npos) return "";
    const std::size_t start = at + name.size() + 2;
    return tag.substr(start, tag.find('"', start) - start);
}

}  // namespace

TEST_CASE("the decision names the run with the largest effect and how sure, paired draw by draw") {
    std::vector<result_run> runs;
    std::vector<labelled_run> draws;
    for (const hand_run& run : hand_runs) {
        runs.push_back(result_of(run));
        draws.push_back(draws_of(run));
    }
    SECTION("with the draws, the lead over the runner-up is paired") {
        const auto d = decide(runs, &draws, math, "all");
        REQUIRE(d);
        REQUIRE_FALSE(d->suppressed);
        REQUIRE(d->runs.size() == 3);
        CHECK(d->runs[d->best].run == 1);  // A
        REQUIRE(d->runner_up);
        CHECK(d->runs[*d->runner_up].run == 2);  // B
        CHECK(d->runs[d->best].effect.mean == Approx(0.025));
        CHECK(d->runs[d->best].p_better == 0.75);  // 0.03, 0.05, 0.02 above 0; 0.00 is not
        CHECK(d->runs[d->best].p_harm == 0.0);
        CHECK(d->runs[0].p_harm == 0.25);  // base: −0.01 in one draw of four
        REQUIRE(d->paired_margin);
        CHECK(d->margin == Approx(0.005));  // mean of +0.01, +0.01, +0.01, −0.01
        CHECK(d->p_best_beats_runner_up == 0.75);
    }
    SECTION("from summaries alone, the lead is a difference of means with no probability") {
        const auto d = decide(runs, nullptr, math, "all");
        REQUIRE(d);
        CHECK(d->runs[d->best].run == 1);
        CHECK(d->margin == Approx(0.005));
        CHECK_FALSE(d->paired_margin);
        CHECK_FALSE(d->p_best_beats_runner_up);
        CHECK_FALSE(d->runs[d->best].p_harm);
        CHECK(d->runs[d->best].p_better == 0.75);  // the row's prob_positive
    }
    SECTION("draws that do not match the runs are not paired") {
        draws.pop_back();
        const auto d = decide(runs, &draws, math, "all");
        REQUIRE(d);
        CHECK_FALSE(d->paired_margin);
    }
    SECTION("a group suppressed in any run is suppressed in the decision") {
        for (result_row& row : runs[2].rows) row.suppressed = true;
        const auto d = decide(runs, &draws, math, "all");
        REQUIRE(d);
        CHECK(d->suppressed);
        CHECK(d->runs.empty());
    }
    SECTION("a row no run has gives no decision") { CHECK_FALSE(decide(runs, &draws, math, "race:black")); }
    SECTION("one run is the plan against business as usual") {
        runs.resize(1);
        draws.resize(1);
        const auto d = decide(runs, &draws, math, "all");
        REQUIRE(d);
        CHECK(d->runs.size() == 1);
        CHECK_FALSE(d->runner_up);
    }
}

TEST_CASE("the report leads with the decision and names the best variant") {
    diagnostics problems;
    auto spec = read_scenario(std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-scale-up.json", "base", problems);
    REQUIRE(spec);
    const auto district = read_district(spec->district_path, problems);
    const auto graph = load_model_graph("", problems);
    REQUIRE(district);
    REQUIRE(graph);
    results_folder results;
    results.folder = "/nowhere";
    std::vector<labelled_run> draws;
    for (const hand_run& run : hand_runs) {
        results.runs.push_back(result_of(run));
        draws.push_back(draws_of(run));
    }
    const std::string html = render_html_report({results, *spec, &*district, *graph, nullptr, nullptr, {}, &draws});
    const std::size_t decision = html.find("<h2 id=\"decision\">Which variant to choose</h2>");
    REQUIRE(decision != std::string::npos);
    CHECK(decision < html.find("<h2 id=\"students\">"));
    CHECK(decision < html.find("<h2 id=\"scenario\">"));
    CHECK(html.find("All students (district-wide): of 3 plans, A does best</strong> on Achievement: Math by 2018") !=
          std::string::npos);
    CHECK(html.find("+0.025 SD against business as usual") != std::string::npos);
    CHECK(html.find("better than business as usual in 75% of 4 simulated futures and worse in 0%") !=
          std::string::npos);
    CHECK(html.find("Its lead over B, the runner-up, is +0.005 SD") != std::string::npos);
    CHECK(html.find("comes out ahead in 75% of the same simulated futures.") != std::string::npos);
    // Shares of draws, never words for them.
    for (const char* word : {"very likely", "likely.", "coin flip", "most likely path"}) {
        INFO(word);
        CHECK(html.find(word) == std::string::npos);
    }
    // The evidence caveat comes before the decision, on the first screen.
    const std::size_t caveat = html.find("<strong>What these numbers rest on.</strong> Every study of personalized");
    REQUIRE(caveat != std::string::npos);
    CHECK(caveat < decision);
    CHECK(html.find("quasi-experimental", caveat) < decision);
    CHECK(html.find("no significant effect in district-run schools", caveat) < decision);
    CHECK(html.find("link weights is an assumption (tag A)", caveat) < decision);
    CHECK(html.find("<td><strong>A</strong></td>") != std::string::npos);
    // The best variant's row is marked in its chart.
    CHECK(html.find("class=\"tick best\"") != std::string::npos);
}

TEST_CASE("only plans are ranked: an assumption with the largest effect is an 'if' row, never best") {
    std::vector<result_run> runs;
    std::vector<labelled_run> draws;
    for (const hand_run& run : hand_runs) {
        runs.push_back(result_of(run));
        draws.push_back(draws_of(run));
    }
    const std::vector<variant_kind> kinds{variant_kind::plan, variant_kind::assumption, variant_kind::plan};
    const auto d = decide(runs, &draws, math, "all", kinds);
    REQUIRE(d);
    REQUIRE(d->runs.size() == 3);
    CHECK_FALSE(d->runs[1].plan);
    CHECK(d->runs[d->best].run == 2);  // B, not the assumption A
    REQUIRE(d->runner_up);
    CHECK(d->runs[*d->runner_up].run == 0);  // base
    CHECK(d->margin == Approx(0.015));       // B − base per draw: +0.01, +0.02, +0.01, +0.02

    // In the Denver report, A stands in for patient_district, which the scenario labels an assumption.
    diagnostics problems;
    auto spec = read_scenario(std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-scale-up.json", "base", problems);
    REQUIRE(spec);
    const auto district = read_district(spec->district_path, problems);
    const auto graph = load_model_graph("", problems);
    REQUIRE(district);
    REQUIRE(graph);
    results_folder results;
    results.folder = "/nowhere";
    for (std::size_t r = 0; r < runs.size(); ++r) {
        if (r == 1) runs[r].variant = draws[r].name = "patient_district";
        if (r == 2) runs[r].variant = draws[r].name = "pilot_only";
        results.runs.push_back(runs[r]);
    }
    const std::string html = render_html_report({results, *spec, &*district, *graph, nullptr, nullptr, {}, &draws});
    CHECK(html.find("of 2 plans, pilot_only does best</strong>") != std::string::npos);
    CHECK(html.find("patient_district does best") == std::string::npos);
    CHECK(html.find("<h3>The plans side by side</h3>") != std::string::npos);
    CHECK(html.find("Stop at the 15 planning schools") != std::string::npos);  // the plan's description
    CHECK(html.find("If the program is never cut") != std::string::npos);      // the assumption's "if" row
}

TEST_CASE("effect axes span at least the minimum around zero and widen for large effects") {
    const html::value_range tiny = html::shared_range({0.004, 0.002, 0.0}, html::min_effect_half_span);
    CHECK(tiny.low <= -0.1);
    CHECK(tiny.high >= 0.1);
    CHECK(tiny.high - tiny.low <= 0.25);  // rounded to ticks, not blown up
    const html::value_range large = html::shared_range({-0.31, 0.27}, html::min_effect_half_span);
    CHECK(large.low <= -0.31);
    CHECK(large.high >= 0.27);
    const html::value_range gaps = html::shared_range({0.5, 0.7}, 0.0);
    CHECK(gaps.low == 0.0);  // a gap chart starts at zero, the gap closed
    CHECK(gaps.high >= 0.7);
}

TEST_CASE("the Denver report: shared scales with a zero line, half the old length, nothing loaded from outside") {
    scratch_folder out("report-decision");
    const std::string scenario = std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-scale-up.json";
    const auto result =
        run_cli("run '" + scenario + "' --draws 8 --quiet --all-variants --report --out '" + out.path().string() + "'");
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    const std::string html = read_file(out.path() / "report.html");

    SECTION("every chart of one comparison has the same axis, at least ±0.1 SD, and a zero line") {
        // The decision's charts (one per group, a row per variant), the math effects over time, the math gaps.
        for (const std::string prefix :
             {"decision-", "traj-academic-achievement-math-", "gap-academic-achievement-math-"}) {
            INFO(prefix);
            const auto charts = svg_tags(html, prefix);
            REQUIRE(charts.size() >= 7);  // all students and the seven focal groups of the gaps
            std::set<std::pair<std::string, std::string>> axes;
            for (const std::string& svg : charts) {
                axes.emplace(attribute(svg, "data-axis-min"), attribute(svg, "data-axis-max"));
                CHECK(svg.find("<line class=\"zero\"") != std::string::npos);
            }
            CHECK(axes.size() == 1);
            if (prefix != "gap-academic-achievement-math-") {
                CHECK(std::stod(axes.begin()->first) <= -0.1);
                CHECK(std::stod(axes.begin()->second) >= 0.1);
            } else {
                CHECK(std::stod(axes.begin()->first) == 0.0);
            }
        }
    }
    SECTION("at most half the old report: its table rows and charts a reader sees without a click") {
        // The report before it led with the decision (measured on this command): 419 table rows and 58 charts,
        // all shown, 38,456 px tall in Chromium at 1280 px wide. Detail now sits in collapsed <details>.
        const std::string visible = visible_part(html);
        CHECK(count(visible, "<tr") <= 419 / 2);
        CHECK(count(visible, "<svg") <= 58 / 2);
        CHECK(count(html, "<details") >= 5);
    }
    SECTION("sources sit behind links: short citations with anchors, tables collapsed") {
        CHECK(html.find("<details id=\"source-model\">") != std::string::npos);
        CHECK(html.find("<details id=\"source-district\">") != std::string::npos);
        CHECK(html.find("<li id=\"ref-pane2017\"><details><summary>Pane et al. 2017") != std::string::npos);
        static const std::regex external(R"((src|href)\s*=\s*["']?\s*https?://)", std::regex::icase);
        CHECK_FALSE(std::regex_search(html, external));
        CHECK(html.find("<script") == std::string::npos);
        CHECK(html.find("url(") == std::string::npos);
    }
}
