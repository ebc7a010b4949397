#pragma once
/// \file
/// "Where next": which schools, not yet reached by a plan, to add in a next wave so that an objective
/// gains most. Every candidate is screened alone (a variant adding it as a one-school wave, central
/// run); the best K within the budget are chosen; the chosen set, the plan without it and random sets
/// of K schools are then evaluated on the same draws (common random numbers).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/scenario_types.hpp"
#include "engine/simulation.hpp"
#include "stats/summary.hpp"

namespace pathways {

/// What the next wave should raise: the final-year effect for all students on the headline outcome;
/// how far a gap (reference minus focal group, headline outcome) narrows; or the effect for all
/// students per million spent on the wave.
struct plan_objective {
    enum class kind : std::uint8_t { all, gap, per_dollar } what = kind::all;
    std::string reference;  ///< gap only
    std::string focal;      ///< gap only
};

/// Parses `all`, `per-dollar` or `gap:<reference>-<focal>` (e.g. gap:race:white-race:black); nullopt
/// with `error` set otherwise.
std::optional<plan_objective> parse_objective(const std::string& text, std::string& error);

struct plan_next_options {
    std::size_t schools = 0;       ///< K, the schools to add
    std::optional<double> budget;  ///< the most the added schools may cost over the horizon (central prices)
    plan_objective objective;
    std::int64_t draws = 50;  ///< draws of the final evaluation (0: central run only)
    std::uint64_t seed = 0;
    std::size_t random_sets = 20;  ///< random K-sets the choice is compared with
    unsigned threads = 1;
};

/// One candidate school as screened: the gain of adding it alone and what it costs.
struct candidate_score {
    std::size_t school = 0;
    double gain = 0.0;
    double cost = 0.0;  ///< over the horizon from the wave's start, central prices, if sustained
};

struct plan_next_result {
    wave added;                           ///< the next wave: the chosen schools by id
    std::vector<std::size_t> chosen;      ///< schools, best first
    std::vector<candidate_score> ranked;  ///< every candidate, best first
    std::string outcome;                  ///< the headline outcome the objective reads
    std::string unit;                     ///< of the gain: "SD", "SD narrower" or "SD per million"
    std::size_t draws = 0;                ///< of the final evaluation (1: central run)
    stats::summary gain;                  ///< per draw: objective with the wave minus without it
    double added_cost = 0.0;              ///< the chosen schools' cost (central prices, if sustained)
    double random_mean_gain = 0.0;        ///< mean gain over the random K-sets and draws
    double beats_random = 0.0;            ///< share of (draw, random set) pairs the choice gains more in
    double ties_random = 0.0;             ///< share of pairs with the same gain (e.g. both 0 after a cut)
    stats::summary margin_over_random;    ///< per (draw, random set): the choice's gain minus the set's
    /// Per draw, what the wave adds to the plan's cost on the course its gain is measured on (with the
    /// cut risk: nothing after a cut, nothing at all when the cut comes before the wave starts).
    stats::summary added_cost_draws;
    double students_reached = 0.0;  ///< enrolled in the chosen schools
    double students = 0.0;          ///< in the district: the group an "all" gain averages over
    /// E[added cost] / students reached; and, for the "all" objective, cost per student of the district
    /// for 0.1 SD, (E[added cost] / students) / (E[gain] / 0.1) (NaN without an expected gain or for
    /// other objectives): ratios of means over every draw, cut or not.
    double cost_per_student_reached = 0.0;
    double cost_per_student_per_tenth_sd = 0.0;
};

/// The inputs a plan is evaluated with: those of its simulation, all outliving the call.
using plan_next_inputs = simulation_inputs;

/// Chooses the next wave. Throws input_error (errors located at the command line's options) when K
/// is 0 or more than the schools the plan does not reach, when the budget buys fewer than K schools,
/// when a gap's groups are unknown, or when per-dollar is asked of a plan without costs.
plan_next_result plan_next(const plan_next_inputs& inputs, const plan_next_options& options);

}  // namespace pathways
