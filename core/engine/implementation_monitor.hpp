#pragma once
/// \file
/// Implementation against the plan: each school's rated stage on each practice and driver in a year
/// next to the level the plan's ramp projects for it that year, and the same comparison as the
/// likelihood of a draw's ramp, so that `calibrate --observed` can learn the ramp from ratings.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/school_ratings.hpp"
#include "engine/simulation.hpp"
#include "stats/summary.hpp"

namespace pathways {

/// How ratings relate to a school's true level: each rating is the level plus Normal(0, rater_sd²),
/// and a self-rating also plus `self_bias`. Both numbers are assumptions (evidence A): no study
/// reports how far Driver Model ratings stray, so a rating is taken to be good to about a third of a
/// stage (a stage being one level), and a school rating itself a quarter of a level higher than an
/// outside rater would, the direction self-assessments of teaching practice are generally found to err.
struct rating_measurement {
    double rater_sd = 0.35;
    double self_bias = 0.25;
    /// The SD of a level that combines `ratings` ratings.
    [[nodiscard]] double sd_of(std::size_t ratings) const;
    /// The rating a true level of `level` is expected to get.
    [[nodiscard]] double expected(double level, bool self_only) const { return level + (self_only ? self_bias : 0.0); }
};

enum class implementation_status { behind, on_track, ahead };
std::string_view to_string(implementation_status status);

/// One school's rated level on one practice or driver in one year against the plan.
struct implementation_row {
    std::string school;
    std::string school_name;
    std::string wave;  ///< the wave that reaches the school, or "not in the plan"
    int year = 0;
    std::string node;
    rated_level observed;
    double start = 0.0;            ///< the school's starting level, where the plan's ramp begins
    stats::summary planned;        ///< the plan's level that year over the draws (with the district's cut risk)
    double expected_rating = 0.0;  ///< the rating the planned mean should get (self-ratings run high)
    double predictive_p05 = 0.0;   ///< 90% interval of the rating, rating noise added
    double predictive_p95 = 0.0;
    implementation_status status = implementation_status::on_track;
};

/// Counts of a group of rows (a wave, a practice or driver, a school).
struct implementation_tally {
    std::string key;
    std::size_t behind = 0;
    std::size_t on_track = 0;
    std::size_t ahead = 0;
    double mean_gap = 0.0;  ///< mean of the rated level minus the expected rating
    [[nodiscard]] std::size_t rows() const { return behind + on_track + ahead; }
};

struct implementation_table {
    std::vector<implementation_row> rows;  ///< by school, node and year
    std::vector<implementation_tally> by_wave;
    std::vector<implementation_tally> by_driver;
    std::vector<implementation_tally> by_school;
    std::size_t draws = 0;
    std::size_t outside_horizon = 0;  ///< rated levels of years the scenario does not project
    rating_measurement measurement;
};

/// Compares every rated level of a year the scenario projects with the plan's ramp over draws
/// 0..draws-1 of `seed` (the central values when `draws` is 0). A rating below its 90% predictive
/// interval is behind, above it ahead. Throws std::invalid_argument when a rated school or node is not
/// in the simulation (the ratings were read against another district or model).
implementation_table compare_implementation(const simulation& sim, const std::vector<school>& schools,
                                            const rated_levels& observed, std::size_t draws, std::uint64_t seed,
                                            const rating_measurement& measurement = {});

/// The rated levels of years the scenario projects, with where each sits in the schedule, for
/// computing many draws' likelihoods at once.
struct rated_points {
    struct point {
        std::size_t school = 0;
        std::size_t driven = 0;  ///< index into implementation_schedule::driven_nodes()
        int year_index = 0;
        rated_level observed;
    };
    std::vector<point> points;
    std::size_t outside_horizon = 0;
};
rated_points locate_ratings(const simulation& sim, const std::vector<school>& schools, const rated_levels& observed);

/// Log-likelihood of the rated levels under one draw's ramp: the sum over points of
/// log Normal(rated | expected rating of the draw's level, measurement.sd_of(ratings)²).
double ratings_log_likelihood(const simulation& sim, const draw_parameters& parameters, const rated_points& points,
                              const rating_measurement& measurement, implementation_schedule::result& scratch);

/// The ratings' log-likelihood of each of draws 0..draws-1 of `seed`, as sample_parameters draws them.
std::vector<double> ratings_log_likelihoods(const simulation& sim, std::uint64_t seed, std::size_t draws,
                                            const rated_points& points, const rating_measurement& measurement = {});

/// `weights` (normalised, per draw) times each draw's likelihood `exp(log_likelihoods)`, normalised
/// again in log space so that no draw underflows. Throws std::invalid_argument when the sizes differ.
std::vector<double> reweighted(std::span<const double> weights, std::span<const double> log_likelihoods);

}  // namespace pathways
