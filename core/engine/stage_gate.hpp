#pragma once
/// \file
/// Stage-gated waves: a wave that starts only if what the earlier waves achieved, measured as a
/// district would measure it, passes a threshold ("scale if the pilot succeeds").
///
/// A gated plan runs twice on the same draws: as written (the gate opens) and without the gated wave
/// (it stays closed). In each draw the district's estimate is the closed run's projected effect of the
/// gate's outcome for the gate's subgroup in the gate's year, plus measurement noise; the draw takes
/// the open run's values when the estimate reaches the threshold and the closed run's otherwise. The
/// gated wave's schools do not change what the earlier waves' students get, so the closed run's
/// effect is the one the district would see in every draw.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/scenario_types.hpp"
#include "engine/projection.hpp"

namespace pathways {

class model_graph;

/// The share of the variance of achievement that lies between schools: 0.20, about the average
/// Hedges & Hedberg (2007) compiled from national samples (Educational Evaluation and Policy Analysis
/// 29(1), 60-87); an evidence tag R (a compilation of studies, not one study of this district).
inline constexpr double school_icc = 0.20;

/// The standard error of a district's estimate of an effect on `students` students in `schools`
/// schools, compared with as many students in comparable schools:
/// sqrt(2 · (1 + (m − 1) · ICC) / n), m = n / schools, without covariate adjustment (a pretest
/// adjustment can shrink it; give `measurement_se` then).
double gate_measurement_se(double students, double schools);

/// Checks every gate of `spec`'s waves against the model and the report: a known, reported outcome;
/// a reported subgroup of the reached schools' students (it contains pl:yes); a year inside the
/// horizon, before the gated wave starts, when an earlier wave has started; at most one gated wave.
void check_gates(const scenario& spec, const model_graph& graph, diagnostics& out);

/// The position of the gated wave in `spec.plan.waves`, if any.
std::optional<std::size_t> gated_wave(const scenario& spec);

/// `spec` as it runs when its gate stays closed: without the gated wave.
scenario with_gate_closed(const scenario& spec);

/// What the gate decided in each of a run's draws.
struct gate_decisions {
    std::vector<char> open;       ///< per draw of the run's draws (this rank's share): 1 when the gate opened
    double measurement_se = 0.0;  ///< the noise added to the projected effect
    double students = 0.0;        ///< students of the gate's subgroup in the gate's year
    double schools = 0.0;         ///< schools the waves before the gate reached
    double projected_mean = 0.0;  ///< the measured effect's mean over the draws, before noise
};

/// Decides each draw of `closed` (the plan run without its gated wave): draw d (global index
/// first_draw + d) opens when the projected effect plus measurement_se · z reaches the threshold, z
/// standard normal from the draw's own stream "stage-gate:<wave name>" (so the decisions are the same
/// for any thread or rank count). A `central` run (no draws) adds no noise.
gate_decisions decide_gate(const projection_draws& closed, const simulation& closed_sim, const wave& gated,
                           double pilot_schools, int start_year, std::uint64_t seed, std::size_t first_draw,
                           bool central);

/// Per draw, the open run's values where the gate opened and the closed run's elsewhere. Rows must be
/// the same in both (the same report); a row suppressed in either is suppressed in the result.
projection_draws mix_by_gate(projection_draws open, const projection_draws& closed, const gate_decisions& gate);

}  // namespace pathways
