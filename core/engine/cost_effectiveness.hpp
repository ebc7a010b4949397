#pragma once
/// \file
/// Cost-effectiveness of plans in education's units, from the same draws (common random numbers):
/// per plan, expected cost per student (of the district and of the schools the plan reaches), effect
/// per $1,000 and per $100 per student (J-PAL compares programs as SD per $100 per student), and cost
/// per student for 0.1 SD, each the ratio of expected cost to expected effect over every draw (the
/// draws with a program cut included; never a mean of per-draw ratios: Levin, McEwan, Belfield,
/// Bowden & Shand 2018), with bootstrap intervals over the draws; Kraft's (2020) cost band of the cost
/// per student reached; the plans' incremental ratios against the next cheaper plan on the
/// efficient frontier, with business as usual the cheapest option, and which plans are dominated
/// (costlier and no more effective) or extendedly dominated (a mix of two others would beat them); and
/// the acceptability curve: how often each plan (or business as usual) has the largest net benefit as
/// the willingness to pay per SD per student varies (as BCEA and dampack draw it).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "stats/summary.hpp"

namespace pathways {

/// One plan's draws, paired draw by draw with every other plan's.
struct plan_draws {
    std::string name;
    std::vector<double> cost;       ///< per draw: total cost to the horizon (present value), with the cut risk
    std::vector<double> effect;     ///< per draw: final-year effect (SD) on every student of the district
    double students = 0.0;          ///< students in the district: the group `effect` averages over
    double students_reached = 0.0;  ///< students in the schools the plan reaches by the horizon
};

/// A ratio of expected values, with the 5th and 95th percentiles of the same ratio over bootstrap
/// resamples of the draws (NaN without draws to resample, or where the ratio is undefined).
struct ratio_estimate {
    double value = std::numeric_limits<double>::quiet_NaN();
    double low = std::numeric_limits<double>::quiet_NaN();
    double high = std::numeric_limits<double>::quiet_NaN();
};

/// Where a plan stands among the options: on the efficient frontier, dominated (an option costs no
/// more and gains at least as much), or extendedly dominated (its incremental ratio exceeds the next
/// frontier option's, so a mix of its neighbours would do better for the money).
enum class frontier_status : std::uint8_t { frontier, dominated, extendedly_dominated };

/// "frontier", "dominated" or "extendedly dominated".
std::string_view frontier_status_name(frontier_status status);

/// Kraft's (2020) cost band of a cost per pupil: "low" (under 500), "moderate" (500 to 4,000) or
/// "high" (over 4,000), in US dollars; "none" when the cost is not positive.
std::string_view kraft_cost_band(double cost_per_pupil);

/// Where `business_as_usual` stands in `compared_with`: the cheapest option of every comparison.
inline constexpr std::size_t business_as_usual = std::numeric_limits<std::size_t>::max();

struct plan_cost_effectiveness {
    std::string name;
    stats::summary cost;                      ///< total cost per draw
    stats::summary effect;                    ///< effect per draw
    double cost_per_student = 0.0;            ///< E[cost] / students of the district
    ratio_estimate cost_per_student_reached;  ///< E[cost] / students reached
    /// E[effect] / (E[cost] / students / 1,000): SD per $1,000 spent per student. The same ratio holds per
    /// student reached (the effect on them over the cost per one of them) when only they gain.
    ratio_estimate effect_per_thousand;
    ratio_estimate effect_per_hundred;  ///< the same per $100 (J-PAL's unit)
    /// Cost per student for 0.1 SD: (E[cost] / students) / (E[effect] / 0.1); NaN when E[effect] <= 0. Its
    /// interval is the effect per $1,000's inverted (high NaN when that interval reaches 0).
    ratio_estimate cost_per_tenth_sd;
    std::string_view cost_band;  ///< Kraft 2020, of the cost per student reached
    frontier_status status = frontier_status::frontier;
    /// Frontier plans: the next cheaper frontier option the incremental ratio compares with.
    std::size_t compared_with = business_as_usual;
    /// Frontier plans: extra cost per student for 0.1 SD more than `compared_with`.
    double incremental_cost_per_tenth_sd = std::numeric_limits<double>::quiet_NaN();
};

/// The share of draws in which each option has the largest net benefit, willingness_to_pay × effect −
/// cost per student, at one willingness to pay (dollars per SD per student).
struct acceptability_point {
    double willingness_to_pay = 0.0;
    std::vector<double> probability_best;  ///< per plan, in the plans' order, then business as usual
};

struct cost_effectiveness_analysis {
    std::vector<plan_cost_effectiveness> plans;
    std::vector<acceptability_point> acceptability;
    std::size_t draws = 0;
    std::size_t resamples = 0;  ///< bootstrap resamples behind the intervals (0 with one draw)
};

/// Willingness to pay per SD per student at which the acceptability curve is drawn by default, in
/// dollars: 0, 1,000, 2,500, ... 250,000.
std::span<const double> default_willingness_to_pay();

/// The analysis of `plans` (each with the same number of draws, at least one). Intervals come from
/// `resamples` bootstrap resamples of the draws, drawn from `seed` (none with one draw). Throws
/// std::invalid_argument when the plans' draw counts differ or are zero, or a plan has no students.
cost_effectiveness_analysis analyse_cost_effectiveness(const std::vector<plan_draws>& plans, std::uint64_t seed,
                                                       std::span<const double> willingness_to_pay,
                                                       std::size_t resamples = 1000);

/// Net benefit per student of one draw: willingness_to_pay × effect − cost / students.
inline double net_benefit(double willingness_to_pay, double effect, double cost, double students) {
    return willingness_to_pay * effect - cost / students;
}

}  // namespace pathways
