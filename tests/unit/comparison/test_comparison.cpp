// Comparing runs on common random numbers: alignment by name, paired differences, which run
// closes a gap most, and the mixture of models, on small hand-built runs and on the
// shipped Denver scenario compared with itself.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "engine/comparison.hpp"
#include "engine/scenario_loader.hpp"
#include "plugin/registry.hpp"

namespace {

using namespace pathways;

labelled_row row(int year, std::string subgroup, metric m, std::string reference = "", bool suppressed = false) {
    return {{year, std::move(subgroup), "academic.achievement.math", m, std::move(reference)}, true, suppressed};
}

/// `values` are listed draw by draw: all rows of draw 0, then all rows of draw 1, ...
labelled_run make_run(std::string name, std::vector<labelled_row> rows, std::vector<double> values) {
    const std::size_t draws = rows.empty() ? 0 : values.size() / rows.size();
    return {std::move(name), std::move(rows), std::move(values), draws};
}

plugin_registry shipped_plugins() {
    diagnostics found;
    return plugin_registry::discover(load_options{{PATHWAYS_PLUGIN_BUILD_DIR}, false, false, false}, found);
}

labelled_run denver_run(const plugin_registry& plugins, const std::string& name, unsigned threads) {
    diagnostics found;
    const auto loaded = load_scenario(std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-scale-up.json", "base",
                                      plugins, scenario_overrides{std::nullopt, {}, 6, 11}, found);
    REQUIRE(loaded);
    const simulation sim({*loaded->graph, loaded->district, loaded->schools, loaded->cells, loaded->spec,
                          *loaded->model},
                         found);
    REQUIRE_FALSE(found.has_errors());
    const projection_options options{
        loaded->spec.draws, loaded->spec.seed, threads, loaded->spec.report.min_n, true, {}, nullptr};
    return label_draws(name, comparable_rows(run_draws(sim, loaded->spec, options)), sim, loaded->spec.start_year);
}

}  // namespace

TEST_CASE("a scenario compared with itself differs by exactly zero in every row and draw", "[comparison]") {
    const plugin_registry plugins = shipped_plugins();
    // Two separate runs (on different thread counts) of the same scenario, seed and draws.
    const labelled_run first = denver_run(plugins, "first", 1);
    const labelled_run again = denver_run(plugins, "again", 2);
    REQUIRE(first.draws == 6);
    REQUIRE(first.rows.size() > 100);
    CHECK(first.rows.front().key.year == 2017);  // calendar years, from the scenario's start year

    const labelled_run difference = paired_differences(again, first);
    REQUIRE(difference.rows.size() == first.rows.size());
    REQUIRE(difference.values.size() == first.values.size());
    std::size_t nonzero = 0;
    for (const double value : difference.values) nonzero += value != 0.0 ? 1 : 0;
    CHECK(nonzero == 0);

    const comparison compared = compare_runs({first, again});
    REQUIRE(compared.rows.size() == first.rows.size());
    CHECK(compared.final_year == 2022);
    for (const comparison_row& r : compared.rows) {
        const stats::summary& d = r.differences[1];
        REQUIRE(d.mean == 0.0);
        REQUIRE(d.sd == 0.0);
        REQUIRE(d.p05 == 0.0);
        REQUIRE(d.p95 == 0.0);
        REQUIRE(d.prob_positive == 0.0);
    }
    // Seven gaps (five district-wide, two among students in PL schools) × three academic outcomes, none
    // of which either run closes more: the first wins ties.
    REQUIRE(compared.gaps.size() == 21);
    for (const gap_race& gap : compared.gaps) CHECK(gap.best == 0);
}

TEST_CASE("runs align by name and differ draw by draw", "[comparison]") {
    // Run a: (2020, all), (2020, race:black), (2021, all). Run b lists its rows in another order,
    // lacks (2020, race:black) and has (2020, race:white): only (2020, all) and (2021, all) align.
    const labelled_run a = make_run("a",
                                    {row(2020, "all", metric::effect), row(2020, "race:black", metric::effect),
                                     row(2021, "all", metric::effect)},
                                    {1.0, 5.0, 2.0,    // draw 0
                                     3.0, 6.0, 4.0});  // draw 1
    const labelled_run b = make_run("b",
                                    {row(2021, "all", metric::effect), row(2020, "race:white", metric::effect),
                                     row(2020, "all", metric::effect)},
                                    {2.5, 9.0, 1.5,    // draw 0
                                     3.0, 9.0, 4.0});  // draw 1

    const labelled_run difference = paired_differences(b, a);
    REQUIRE(difference.rows.size() == 2);
    CHECK(difference.rows[0].key.year == 2020);
    CHECK(difference.rows[1].key.year == 2021);
    CHECK(difference.name == "b - a");
    // (2020, all): b − a = 1.5 − 1 = 0.5 and 4 − 3 = 1; (2021, all): 2.5 − 2 = 0.5 and 3 − 4 = −1.
    CHECK(difference.values == std::vector<double>{0.5, 0.5, 1.0, -1.0});

    const comparison compared = compare_runs({a, b});
    REQUIRE(compared.rows.size() == 2);
    CHECK(compared.runs == std::vector<std::string>{"a", "b"});
    CHECK(compared.final_year == 2021);
    // (2020, all): a = {1, 3} mean 2; b = {1.5, 4} mean 2.75; difference {0.5, 1} mean 0.75,
    // sd = sqrt(((0.5−0.75)² + (1−0.75)²)/1) = sqrt(0.125); type-7 p05 = 0.5 + 0.05·0.5 = 0.525.
    const comparison_row& first = compared.rows[0];
    CHECK(first.runs[0].mean == Approx(2.0));
    CHECK(first.runs[1].mean == Approx(2.75));
    CHECK(first.differences[0].mean == 0.0);
    CHECK(first.differences[1].mean == Approx(0.75));
    CHECK(first.differences[1].sd == Approx(std::sqrt(0.125)));
    CHECK(first.differences[1].p05 == Approx(0.525));
    CHECK(first.differences[1].prob_positive == 1.0);
    // (2021, all): difference {0.5, −1}: mean −0.25, half the draws positive.
    CHECK(compared.rows[1].differences[1].mean == Approx(-0.25));
    CHECK(compared.rows[1].differences[1].prob_positive == 0.5);
}

TEST_CASE("a row suppressed in any run is suppressed in the comparison", "[comparison]") {
    const labelled_run a =
        make_run("a", {row(2020, "all", metric::effect), row(2020, "sped:yes", metric::effect)}, {1, 2});
    const labelled_run b =
        make_run("b", {row(2020, "all", metric::effect), row(2020, "sped:yes", metric::effect, "", true)}, {1, 2});
    const comparison compared = compare_runs({a, b});
    REQUIRE(compared.rows.size() == 2);
    CHECK_FALSE(compared.rows[0].suppressed);
    CHECK(compared.rows[1].suppressed);
    CHECK(paired_differences(a, b).rows[1].suppressed);
}

TEST_CASE("comparisons refuse runs that cannot be paired", "[comparison]") {
    const labelled_run two_draws = make_run("a", {row(2020, "all", metric::effect)}, {1.0, 2.0});
    const labelled_run three_draws = make_run("b", {row(2020, "all", metric::effect)}, {1.0, 2.0, 3.0});
    CHECK_THROWS_AS(compare_runs({two_draws, three_draws}), std::invalid_argument);
    CHECK_THROWS_AS(paired_differences(three_draws, two_draws), std::invalid_argument);
    CHECK_THROWS_AS(compare_models({two_draws, three_draws}), std::invalid_argument);
    CHECK_THROWS_AS(compare_runs({}), std::invalid_argument);
    CHECK_THROWS_AS(compare_models({}), std::invalid_argument);
    labelled_run short_values = two_draws;
    short_values.values.pop_back();  // says two draws, holds one value
    CHECK_THROWS_AS(compare_runs({short_values}), std::invalid_argument);
}

TEST_CASE("the run that closes a gap most by the horizon wins it", "[comparison]") {
    auto gap_run = [](std::string name, double closed_draw0, double closed_draw1, double closes0, double closes1) {
        return make_run(std::move(name),
                        {row(2020, "race:black", metric::gap_closed_pct, "race:white"),
                         row(2021, "race:black", metric::gap_closed_pct, "race:white"),
                         row(2021, "race:black", metric::gap_closes, "race:white"),
                         row(2021, "ell:ell", metric::gap_closed_pct, "ell:non_ell", true)},
                        {50.0, closed_draw0, closes0, 90.0,    // draw 0
                         50.0, closed_draw1, closes1, 90.0});  // draw 1
    };
    // Final-year closed share: base (10 + 20)/2 = 15, wide (30 + 40)/2 = 35, none (0 + 10)/2 = 5.
    // The 2020 rows (50 everywhere) are not the horizon; the suppressed ELL gap is left out.
    const comparison compared =
        compare_runs({gap_run("base", 10, 20, 0, 0), gap_run("wide", 30, 40, 0, 1), gap_run("none", 0, 10, 0, 0)});
    REQUIRE(compared.gaps.size() == 1);
    const gap_race& gap = compared.gaps[0];
    CHECK(gap.focal == "race:black");
    CHECK(gap.reference == "race:white");
    CHECK(gap.year == 2021);
    CHECK(gap.closed_pct == std::vector<double>{15.0, 35.0, 5.0});
    CHECK(gap.closes_probability == std::vector<double>{0.0, 0.5, 0.0});
    CHECK(gap.best == 1);
    // Paired: wide − base = {20, 20}, so exactly +20 points with no spread.
    CHECK(gap.best_versus_first.mean == Approx(20.0));
    CHECK(gap.best_versus_first.sd == Approx(0.0).margin(1e-12));
}

TEST_CASE("the mixture pools the models' draws, so its interval holds every model's mean", "[comparison]") {
    const std::vector<labelled_row> rows{row(2020, "all", metric::effect), row(2021, "all", metric::effect),
                                         row(2021, "race:black", metric::effect),
                                         row(2021, "race:white", metric::effect, "", true)};
    const labelled_run linear = make_run("linear", rows,
                                         {0.0, 0.1, 0.2, 0.0,    // draw 0
                                          0.0, 0.3, 0.2, 0.0,    // draw 1
                                          0.0, 0.5, 0.2, 0.0});  // draw 2
    const labelled_run lagged = make_run("lagged", rows, {0.0, 0.3, 0.1, 0.0, 0.0, 0.1, 0.1, 0.0, 0.0, 0.2, 0.1, 0.0});

    const model_comparison compared = compare_models({linear, lagged});
    CHECK(compared.models == std::vector<std::string>{"linear", "lagged"});
    CHECK(compared.weights == std::vector<double>{0.5, 0.5});
    CHECK(compared.equal_weights);
    CHECK(compared.year == 2021);
    REQUIRE(compared.rows.size() == 3);  // the final year's effect rows only
    // all: linear mean 0.3, lagged (0.3+0.1+0.2)/3 = 0.2, spread 0.1. Pooled, sorted: 0.1 0.1 0.2 0.3 0.3 0.5,
    // each weight 1/6, at type 7's positions 0, 0.2, ..., 1: mean 1.5/6 = 0.25; p05 0.25 of the way from
    // 0.1 to 0.1 = 0.1; p50 halfway from 0.2 (0.4) to 0.3 (0.6) = 0.25; p95 0.75 of the way from 0.3 (0.8)
    // to 0.5 (1) = 0.45; sd sqrt((2·0.15² + 2·0.05² + 0.05² + 0.25²)/5) = sqrt(0.023).
    const model_row& all = compared.rows[0];
    CHECK(all.subgroup == "all");
    CHECK(all.models[0].mean == Approx(0.3));
    CHECK(all.models[1].mean == Approx(0.2));
    CHECK(all.spread == Approx(0.1));
    CHECK(all.mixture.mean == Approx(0.25));
    CHECK(all.mixture.p05 == Approx(0.1));
    CHECK(all.mixture.p50 == Approx(0.25));
    CHECK(all.mixture.p95 == Approx(0.45));
    CHECK(all.mixture.sd == Approx(std::sqrt(0.023)));
    CHECK(all.mixture.prob_positive == Approx(1.0));
    // black: linear 0.2 and lagged 0.1 in every draw. A per-draw average would read 0.15 with no spread,
    // excluding both models; the mixture's interval is [0.1, 0.2], sd sqrt(6·0.05²/5) = sqrt(0.003).
    const model_row& black = compared.rows[1];
    CHECK(black.spread == Approx(0.1));
    CHECK(black.mixture.mean == Approx(0.15));
    CHECK(black.mixture.p05 == Approx(0.1));
    CHECK(black.mixture.p95 == Approx(0.2));
    CHECK(black.mixture.sd == Approx(std::sqrt(0.003)));
    for (const model_row& r : {all, black}) {
        for (const stats::summary& model : r.models) {
            // 1e-12: a model's mean is a sum of draws, the mixture's ends are draws themselves.
            CHECK(r.mixture.p05 <= model.mean + 1e-12);
            CHECK(model.mean <= r.mixture.p95 + 1e-12);
        }
    }
    CHECK(compared.rows[2].suppressed);
    CHECK(compared.by_spread.back() == 2);
}

TEST_CASE("with one central value per model the mixture's quantiles are type 7's of the models", "[comparison]") {
    const std::vector<labelled_row> rows{row(2021, "all", metric::effect)};
    const model_comparison compared =
        compare_models({make_run("a", rows, {0.05}), make_run("b", rows, {0.09}), make_run("c", rows, {0.20})});
    REQUIRE(compared.draws == 1);
    const stats::summary& mixture = compared.rows[0].mixture;
    // Three values at positions 0, 1/2, 1, as every other row's type 7 quantiles: p05 = 0.05 + 0.1·0.04,
    // p50 the middle model, p95 = 0.09 + 0.9·0.11; inside the models' range.
    CHECK(mixture.mean == Approx(0.34 / 3));
    CHECK(mixture.p05 == Approx(0.054));
    CHECK(mixture.p50 == Approx(0.09));
    CHECK(mixture.p95 == Approx(0.189));
    CHECK(mixture.p95 - mixture.p05 <= compared.rows[0].spread);
}

TEST_CASE("mixture weights are normalised, and bad weights are refused", "[comparison]") {
    const std::vector<std::string> models{"linear", "evidence"};
    CHECK(mixture_weights(models, {}) == std::vector<double>{0.5, 0.5});
    CHECK(mixture_weights(models, {{"evidence", 1.0}, {"linear", 3.0}}) == std::vector<double>{0.75, 0.25});
    CHECK_THROWS_WITH(mixture_weights(models, {{"linear", 1.0}}),
                      "no weight for 'evidence'; expected one for every compared model");
    CHECK_THROWS_WITH(mixture_weights(models, {{"linear", 1.0}, {"evidence", 1.0}, {"lagged", 1.0}}),
                      "weight for 'lagged', which is not a compared model");
    CHECK_THROWS_WITH(mixture_weights(models, {{"linear", 1.0}, {"linear", 2.0}, {"evidence", 1.0}}),
                      "weight for 'linear' is given twice");
    CHECK_THROWS_WITH(mixture_weights(models, {{"linear", 0.0}, {"evidence", 1.0}}),
                      "weight for 'linear' must be a positive number");
    CHECK_THROWS_WITH(mixture_weights(models, {{"linear", -1.0}, {"evidence", 1.0}}),
                      "weight for 'linear' must be a positive number");
    CHECK_THROWS_WITH(mixture_weights(models, {{"linear", std::nan("")}, {"evidence", 1.0}}),
                      "weight for 'linear' must be a positive number");

    // Weighted 3:1, two draws each: 0, 0, 1, 1 weighted 3/8, 3/8, 1/8, 1/8, so W = 3/8, 6/8, 7/8, 1 and the
    // span 1 − 3/16 − 1/16 = 3/4: positions 0, (6/8 − 3/16 − 3/16)/(3/4) = 1/2, (7/8 − 1/16 − 3/16)/(3/4)
    // = 5/6, 1. The median is the second 0 (equal weights would put it halfway, at 0.5).
    const std::vector<labelled_row> rows{row(2021, "all", metric::effect)};
    const model_comparison weighted =
        compare_models({make_run("linear", rows, {0.0, 0.0}), make_run("evidence", rows, {1.0, 1.0})}, metric::effect,
                       {{"linear", 3.0}, {"evidence", 1.0}});
    CHECK_FALSE(weighted.equal_weights);
    CHECK(weighted.rows[0].mixture.mean == Approx(0.25));
    CHECK(weighted.rows[0].mixture.p50 == Approx(0.0).margin(1e-15));
    CHECK(weighted.rows[0].mixture.p95 == Approx(1.0));  // past the third value's 5/6
    CHECK(weighted.rows[0].mixture.prob_positive == Approx(0.25));
}

TEST_CASE("models are ranked by how far apart their means are", "[comparison]") {
    const std::vector<labelled_row> rows{row(2021, "all", metric::effect), row(2021, "race:black", metric::effect),
                                         row(2021, "race:white", metric::effect)};
    // Means: all 0.1 | 0.2 | 0.15 → spread 0.1; black 0.0 | 0.5 | 0.2 → 0.5; white 0.3 | 0.3 | 0.3 → 0.
    const labelled_run a = make_run("a", rows, {0.1, 0.0, 0.3});
    const labelled_run b = make_run("b", rows, {0.2, 0.5, 0.3});
    const labelled_run c = make_run("c", rows, {0.15, 0.2, 0.3});
    const model_comparison compared = compare_models({a, b, c});
    CHECK(compared.by_spread == std::vector<std::size_t>{1, 0, 2});
    CHECK(compared.rows[1].spread == Approx(0.5));
    CHECK(compared.rows[2].spread == 0.0);
}

TEST_CASE("final_year_rows keeps the horizon's rows with their draws", "[comparison]") {
    const labelled_run run = make_run("a",
                                      {row(2020, "all", metric::effect), row(2021, "all", metric::effect),
                                       row(2021, "race:black", metric::effect)},
                                      {1, 2, 3,    // draw 0
                                       4, 5, 6});  // draw 1
    const labelled_run last = final_year_rows(run);
    REQUIRE(last.rows.size() == 2);
    CHECK(last.rows[0].key.year == 2021);
    CHECK(last.draws == 2);
    CHECK(last.values == std::vector<double>{2, 3, 5, 6});
}
