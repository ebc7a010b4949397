// Projected against observed: the monitor's per-cell numbers and the importance-sampling posterior,
// by hand on small cases, then a recovery test on the tiny district: observed data generated from
// known inputs are covered by the 90% posterior intervals, which narrow as data are added.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "../support/engine_fixture.hpp"
#include "engine/comparison.hpp"
#include "engine/projection.hpp"
#include "run/observed_fit.hpp"
#include "stats/distributions.hpp"
#include "stats/random.hpp"

namespace {

using namespace pathways;

observed_match match_of(double actual, double se, std::vector<double> values, bool suppressed = false) {
    observed_cell cell;
    cell.subgroup = "all";
    cell.year = 2020;
    cell.outcome = "o";
    cell.mean = actual;
    cell.n = 100;
    cell.se = se;
    return {cell, suppressed, std::move(values)};
}

std::vector<double> one_to(int n) {
    std::vector<double> values(static_cast<std::size_t>(n));
    std::iota(values.begin(), values.end(), 1.0);
    return values;
}

}  // namespace

TEST_CASE("the predictive distribution is the draws plus measurement error", "[observed]") {
    // One draw: Normal(0, 1) itself.
    const std::vector<double> one{0.0};
    CHECK(predictive_quantile(one, 1.0, 0.95) == Approx(1.6448536).epsilon(1e-7));
    CHECK(predictive_quantile(one, 1.0, 0.05) == Approx(-1.6448536).epsilon(1e-7));
    // Two far-apart draws with a tiny se: the 5% point is the lower draw's 10% point.
    const std::vector<double> two{-1.0, 1.0};
    CHECK(predictive_quantile(two, 1e-3, 0.05) == Approx(-1.0 - 1.2815516e-3).epsilon(1e-9));
    CHECK_THROWS_AS(predictive_quantile(one, 0.0, 0.5), std::invalid_argument);
    CHECK_THROWS_AS(predictive_quantile({}, 1.0, 0.5), std::invalid_argument);
}

TEST_CASE("monitor: percentile, interval, residual and coverage of hand-computed cells", "[observed]") {
    // Draws 1..20: mean 10.5, sd sqrt(35), p05 = 1 + 0.05·19 = 1.95 and p95 = 19.05 (type 7).
    const monitor_table table = compare_observed({match_of(10.5, 1.0, one_to(20)), match_of(20.0, 1.0, one_to(20)),
                                                  match_of(3.0, 1.0, one_to(20), true)},
                                                 20);
    REQUIRE(table.rows.size() == 3);
    const monitor_row& middle = table.rows[0];
    CHECK(middle.projected.mean == 10.5);
    CHECK(middle.projected.p05 == Approx(1.95));
    CHECK(middle.projected.p95 == Approx(19.05));
    CHECK(middle.percentile == Approx(50.0));             // Φ((10.5 − v) / 1) is symmetric about 10.5
    CHECK(middle.predictive_p05 < middle.projected.p05);  // measurement error widens the interval
    CHECK(middle.predictive_p95 > middle.projected.p95);
    CHECK(middle.inside);
    CHECK(middle.standardised_residual == 0.0);
    const monitor_row& high = table.rows[1];
    // 100 · (Φ(0) + Φ(1) + Φ(2) + Φ(3) + Φ(4) + … + Φ(19)) / 20
    CHECK(high.percentile == Approx(96.58606).epsilon(1e-6));
    CHECK_FALSE(high.inside);
    CHECK(high.standardised_residual == Approx(9.5 / std::sqrt(35.0 + 1.0)));
    CHECK(table.rows[2].suppressed);
    CHECK(table.compared == 2);
    CHECK(table.inside == 1);
    CHECK(table.coverage() == 0.5);
    CHECK(table.rms_residual == Approx(std::sqrt((0.0 + 9.5 * 9.5 / 36.0) / 2.0)));
}

TEST_CASE("importance weights: Gaussian likelihood, normalised in log space, and Kish's ESS", "[observed]") {
    // Draws 0, 1, 2 against an actual of 1 with se 1: log-likelihoods -1/2, 0, -1/2.
    const importance_weights w = weigh_draws({match_of(1.0, 1.0, {0.0, 1.0, 2.0})}, {});
    const double e = std::exp(-0.5);
    CHECK(w.weights[0] == Approx(e / (1 + 2 * e)));
    CHECK(w.weights[1] == Approx(1 / (1 + 2 * e)));
    CHECK(w.weights[2] == Approx(e / (1 + 2 * e)));
    CHECK(w.effective_sample_size == Approx(std::pow(1 + 2 * e, 2) / (1 + 2 * e * e)));
    CHECK(w.cells == 1);

    // Model discrepancy adds to the variance: with se 1 and discrepancy 1 the exponent halves.
    const importance_weights wider = weigh_draws({match_of(1.0, 1.0, {0.0, 1.0, 2.0})}, {.discrepancy_sd = 1.0});
    CHECK(wider.weights[0] / wider.weights[1] == Approx(std::exp(-0.25)));

    // Far-off data would underflow exp(); the log-space normalisation keeps the best draw at weight 1.
    const importance_weights far = weigh_draws({match_of(1000.0, 0.001, {0.0, 1.0, 2.0})}, {});
    CHECK(far.weights[2] == 1.0);
    CHECK(far.effective_sample_size == 1.0);

    // Suppressed cells are left out of the likelihood.
    const importance_weights none = weigh_draws({match_of(1.0, 0.1, {0.0, 1.0, 2.0}, true)}, {});
    CHECK(none.cells == 0);
    CHECK(none.effective_sample_size == Approx(3.0));

    CHECK_THROWS_AS(weigh_draws({}, {}), std::invalid_argument);
    CHECK_THROWS_AS(weigh_draws({match_of(1, 1, {0.0}), match_of(1, 1, {0.0, 1.0})}, {}), std::invalid_argument);
}

TEST_CASE("the ESS warning fires below 50 draws' worth or below 1% of the draws", "[observed]") {
    CHECK(effective_sample_collapsed(49.9, 1000));
    CHECK_FALSE(effective_sample_collapsed(50.0, 1000));
    CHECK(effective_sample_collapsed(99.0, 10000));
    CHECK_FALSE(effective_sample_collapsed(100.0, 10000));
}

namespace {

/// The tiny district with two uncertain edges: D → O ~ Normal(0.5, 0.2), O → A ~ Normal(0.2, 0.1).
model_definition uncertain_tiny_model() {
    model_definition m = test::tiny_model();
    m.edges[1].uncertainty = {sdk::prior_kind::normal, 0.5, 0.2, 0.0, 0.0};
    m.edges[2].uncertainty = {sdk::prior_kind::normal, 0.2, 0.1, 0.0, 0.0};
    return m;
}

/// The tiny district grown to 100 schools (each the tiny school: 10 Hispanic FRL and 30 white students),
/// every school in the plan and fidelity loss off: the schools' random dose effects (SD about 1.1 each)
/// then average out of the district's mean, so the observed means speak to the edge weights.
test::engine_fixture hundred_schools() {
    test::engine_fixture f(uncertain_tiny_model());
    const school first = f.schools.front();
    f.schools.clear();
    f.cells = {};
    std::vector<std::string> ids;
    for (std::uint32_t s = 0; s < 100; ++s) {
        school copy = first;
        copy.id = "s" + std::to_string(s);
        ids.push_back(copy.id);
        f.schools.push_back(copy);
        for (const bool hispanic : {true, false}) {
            f.cells.school.push_back(s);
            f.cells.race.push_back(static_cast<std::uint8_t>(hispanic ? sdk::race::hispanic : sdk::race::white));
            f.cells.ell.push_back(0);
            f.cells.frl.push_back(hispanic ? 1 : 0);
            f.cells.sped.push_back(0);
            f.cells.grade_band.push_back(0);
            f.cells.students.push_back(hispanic ? 10 : 30);
        }
    }
    f.spec.plan.waves.front().schools.ids = ids;
    f.spec.plan.fidelity.decay_per_doubling = 1.0;
    return f;
}

labelled_run draws_of(const simulation& sim, const scenario& spec, std::int64_t draws, std::uint64_t seed) {
    projection_options options;
    options.draws = draws;
    options.seed = seed;
    options.min_n = 1;
    return label_draws("base", comparable_rows(run_draws(sim, spec, options)), sim, spec.start_year);
}

struct cell_spec {
    std::string subgroup;
    int year;
    std::string outcome;
};

/// Observed cells from draw `truth` of `truths`, each with normal noise of `se` (its own stream).
observed_data observe(const labelled_run& truths, std::size_t truth, const std::vector<cell_spec>& cells, double se,
                      std::uint64_t replication) {
    observed_data data{"synthetic.csv", {}};
    for (std::size_t c = 0; c < cells.size(); ++c) {
        observed_cell cell;
        cell.subgroup = cells[c].subgroup;
        cell.year = cells[c].year;
        cell.outcome = cells[c].outcome;
        cell.n = 40;
        cell.se = se;
        for (std::size_t r = 0; r < truths.rows.size(); ++r) {
            const row_key& key = truths.rows[r].key;
            if (key.metric == metric::level && key.subgroup == cell.subgroup && key.year == cell.year &&
                key.outcome == cell.outcome) {
                stats::counter_rng rng(404, replication, c);
                cell.mean = truths.values[truth * truths.rows.size() + r] + se * stats::sample_standard_normal(rng);
            }
        }
        data.cells.push_back(cell);
    }
    return data;
}

struct recovery {
    std::vector<std::size_t> covered;  ///< per input: replications whose 90% interval holds the truth
    std::vector<double> mean_width;    ///< per input: mean width of the 90% interval
    std::vector<double> prior_width;
    double smallest_ess = 1e300;
};

/// 40 replications: truths are draws of another seed (so they follow the prior), the posterior is
/// weighted over `prior_draws` draws of seed 11.
recovery recover(const simulation& sim, const scenario& spec, const std::vector<cell_spec>& cells, double se) {
    constexpr std::size_t replications = 40;
    const labelled_run prior = draws_of(sim, spec, 8000, 11);
    const labelled_run truths = draws_of(sim, spec, replications, 12);
    const std::vector<uncertain_input> inputs = sim.uncertain_inputs();
    recovery out{std::vector<std::size_t>(inputs.size(), 0), std::vector<double>(inputs.size(), 0.0), {}, 1e300};
    for (std::size_t r = 0; r < replications; ++r) {
        diagnostics found;
        const auto matches = match_observed(observe(truths, r, cells, se, r), prior, 0, found);
        REQUIRE_FALSE(found.has_errors());
        const importance_weights w = weigh_draws(matches, {});
        out.smallest_ess = std::min(out.smallest_ess, w.effective_sample_size);
        const auto posterior = posterior_of_inputs(sim, 11, w.weights);
        const draw_parameters truth = sim.sample_parameters(12, r);
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            const double value = input_value(truth, inputs[i]);
            const stats::summary& p = posterior[i].posterior;
            out.covered[i] += p.p05 <= value && value <= p.p95 ? 1 : 0;
            out.mean_width[i] += (p.p95 - p.p05) / replications;
            if (r == 0) out.prior_width.push_back(posterior[i].prior.p95 - posterior[i].prior.p05);
        }
    }
    return out;
}

}  // namespace

TEST_CASE(
    "recovery: 90% posterior intervals cover the true inputs in at least 85% of 40 replications and "
    "narrow as observed data are added",
    "[observed][recovery]") {
    test::engine_fixture f = hundred_schools();
    const model_handle& linear = *f.registry.find("linear");
    diagnostics problems;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, linear}, problems);
    REQUIRE_FALSE(problems.has_errors());
    const std::vector<uncertain_input> inputs = sim.uncertain_inputs();
    REQUIRE(inputs.size() == 2);
    CHECK(inputs[0].name == "edge:p.d->o");
    CHECK(inputs[1].name == "edge:o->academic.achievement.math");

    const std::vector<cell_spec> one{{"all", 2021, "academic.achievement.math"}};
    const std::vector<cell_spec> four{{"all", 2020, "o"},
                                      {"all", 2021, "o"},
                                      {"all", 2020, "academic.achievement.math"},
                                      {"all", 2021, "academic.achievement.math"}};
    const recovery sparse = recover(sim, f.spec, one, 0.3);
    const recovery more_cells = recover(sim, f.spec, four, 0.3);
    const recovery precise = recover(sim, f.spec, four, 0.1);
    for (const recovery* r : {&sparse, &more_cells, &precise}) {
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            INFO(inputs[i].name << ": covered " << r->covered[i] << " of 40, ESS at least " << r->smallest_ess);
            CHECK(r->covered[i] >= 34);  // 85% of 40
        }
    }
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        INFO(inputs[i].name << ": prior " << sparse.prior_width[i] << ", one cell " << sparse.mean_width[i]
                            << ", four cells " << more_cells.mean_width[i] << ", four precise cells "
                            << precise.mean_width[i]);
        CHECK(sparse.mean_width[i] < sparse.prior_width[i]);
        CHECK(more_cells.mean_width[i] < sparse.mean_width[i]);
        CHECK(precise.mean_width[i] < more_cells.mean_width[i]);
    }
}

TEST_CASE("monitor: an observed cell with fewer students than min_n is suppressed whatever the projection's group",
          "[observed][privacy]") {
    test::engine_fixture f;
    diagnostics built;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, *f.registry.find("linear")}, built);
    REQUIRE_FALSE(built.has_errors());
    const labelled_run run = draws_of(sim, f.spec, 4, 1);
    observed_data data{"observed.csv", {}};
    for (const auto& [subgroup, n] : std::vector<std::pair<std::string, long long>>{{"all", 40}, {"race:white", 6}}) {
        observed_cell cell;
        cell.subgroup = subgroup;
        cell.year = 2021;
        cell.outcome = "academic.achievement.math";
        cell.mean = 0.1;
        cell.n = n;
        data.cells.push_back(cell);
    }
    diagnostics found;
    // The projection's race:white group has 30 students (published at 16); the observed cell has 6.
    const auto matched = match_observed(data, run, 16, found);
    REQUIRE_FALSE(found.has_errors());
    REQUIRE(matched.size() == 2);
    CHECK_FALSE(matched[0].suppressed);
    CHECK(matched[1].suppressed);
    CHECK(compare_observed(matched, 4).compared == 1);
    const auto unsuppressed = match_observed(data, run, 0, found);
    CHECK_FALSE(unsuppressed[1].suppressed);
}
