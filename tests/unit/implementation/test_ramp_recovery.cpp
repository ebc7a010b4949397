// Ramp calibration from ratings recovers the ramp: ratings generated from known ramp values (drawn
// from the prior, one truth per replication) and the prior draws weighted by the ratings' likelihood,
// as `calibrate --observed ... --ratings` weighs them. An honest posterior's 90% interval holds the
// truth in about 90% of replications.
#include <catch2/catch.hpp>

#include "../cli/cli_support.hpp"
#include "engine/implementation_monitor.hpp"
#include "engine/simulation.hpp"
#include "implementation_support.hpp"
#include "stats/normal.hpp"
#include "stats/random.hpp"
#include "stats/summary.hpp"

namespace {

using namespace pathways;

constexpr std::size_t prior_draws = 2000;
constexpr std::size_t replications = 100;
constexpr std::uint64_t prior_seed = 11;
constexpr std::uint64_t truth_seed = 99;

/// Each pilot school's coach rating of four practices and drivers in each projected year: the level of
/// the truth's ramp plus Normal(0, rater_sd^2), the measurement model the likelihood assumes.
rated_levels generate_ratings(const simulation& sim, const loaded_scenario& loaded, const draw_parameters& truth,
                              std::uint64_t replication, const rating_measurement& measurement) {
    const std::vector<std::string> nodes{"learner_paths.learner_profile_data", "strategic_resources.tech",
                                         "foundational.mindset", "competencies.demonstration_of_learning"};
    rated_levels levels;
    for (const school& s : loaded.schools) {
        if (std::find(s.tags.begin(), s.tags.end(), "pl-pilot") == s.tags.end()) continue;
        for (const std::string& node : nodes) {
            for (int year = loaded.spec.start_year; year < loaded.spec.start_year + loaded.spec.years; ++year)
                levels[{s.id, node, year}] = {0.0, 1, false};
        }
    }
    rated_points points = locate_ratings(sim, loaded.schools, levels);
    implementation_schedule::result scratch;
    sim.schedule().compute({truth.years_to_half, truth.years_to_90, truth.decay_per_doubling, truth.cut_year,
                            truth.edge_weights, truth.practices_years_to_half},
                           false, scratch);
    stats::counter_rng rng(truth_seed, replication, stats::stream_id("test-ratings"));
    auto level = levels.begin();
    for (const rated_points::point& p : points.points) {
        const double noise = measurement.rater_sd * stats::normal_quantile(rng.next_uniform());
        // locate_ratings keeps the map's order, so the points and the map's entries line up.
        level->second.level = sim.schedule().level(scratch, p.year_index, p.school, p.driven) + noise;
        ++level;
    }
    return levels;
}

}  // namespace

TEST_CASE(
    "ramp calibration from ratings: the 90% posterior intervals of the ramp cover the truth about 90% of "
    "the time",
    "[implementation][calibration][recovery]") {
    pathways::test::scratch_folder folder("ramp-recovery");
    // One reference school, so that the two pilot schools' scale (one doubling) makes fidelity matter.
    pathways::test::write_small_scenario(folder.path(), "", "", R"("fidelity": {"reference_schools": 1}, )");
    diagnostics found;
    const auto small = pathways::test::load_small(folder.path(), found);
    REQUIRE(small.loaded);
    const loaded_scenario& l = *small.loaded;
    const simulation sim(simulation_inputs{*l.graph, l.district, l.schools, l.cells, l.spec, *l.model}, found);
    const rating_measurement measurement;

    std::vector<uncertain_input> ramp;
    for (const uncertain_input& input : sim.uncertain_inputs()) {
        if (input.name == "implementation:years_to_half" || input.name == "implementation:decay_per_doubling")
            ramp.push_back(input);
    }
    REQUIRE(ramp.size() == 2);
    std::vector<draw_parameters> prior(prior_draws);
    for (std::size_t d = 0; d < prior_draws; ++d) prior[d] = sim.sample_parameters(prior_seed, d);

    std::vector<std::size_t> covered(ramp.size(), 0);
    std::vector<double> shrinkage(ramp.size(), 0.0);
    double effective_sample = 0.0;
    implementation_schedule::result scratch;
    for (std::size_t r = 0; r < replications; ++r) {
        const draw_parameters truth = sim.sample_parameters(truth_seed, r);
        const rated_levels levels = generate_ratings(sim, l, truth, r, measurement);
        const rated_points points = locate_ratings(sim, l.schools, levels);
        std::vector<double> log_likelihoods(prior_draws);
        for (std::size_t d = 0; d < prior_draws; ++d)
            log_likelihoods[d] = ratings_log_likelihood(sim, prior[d], points, measurement, scratch);
        const std::vector<double> uniform(prior_draws, 1.0 / prior_draws);
        const std::vector<double> weights = reweighted(uniform, log_likelihoods);
        double sum_squares = 0.0;
        for (const double w : weights) sum_squares += w * w;
        effective_sample += 1.0 / sum_squares / replications;
        for (std::size_t i = 0; i < ramp.size(); ++i) {
            std::vector<double> values(prior_draws);
            for (std::size_t d = 0; d < prior_draws; ++d) values[d] = input_value(prior[d], ramp[i]);
            const stats::summary before = stats::summarize(values);
            const stats::summary after = stats::summarize_weighted(values, weights);
            const double true_value = input_value(truth, ramp[i]);
            covered[i] += after.p05 <= true_value && true_value <= after.p95 ? 1 : 0;
            shrinkage[i] += after.sd / before.sd / replications;
        }
    }
    for (std::size_t i = 0; i < ramp.size(); ++i) {
        INFO(ramp[i].name << ": " << covered[i] << " of " << replications << " covered; posterior SD / prior SD "
                          << shrinkage[i] << "; effective sample " << effective_sample);
        const double coverage = static_cast<double>(covered[i]) / replications;
        CHECK(coverage >= 0.85);
        CHECK(coverage <= 0.95);
        // The ratings say something about the ramp, not the prior back: years_to_half moves every rating, so it
        // narrows clearly; fidelity loss over the pilot's one doubling moves levels little, so only a little.
        CHECK(shrinkage[i] < (ramp[i].name == "implementation:years_to_half" ? 0.9 : 0.99));
    }
    CHECK(effective_sample > 50.0);
}
