#pragma once
// The one-screen summary `pathways run` prints by default (`--detail` prints every table instead):
// the headline outcome for all students and the focal groups of the reported gaps, against business
// as usual, with the probability of harm; with several variants, which one does best and how sure.

#include <filesystem>
#include <string>
#include <vector>

#include "engine/comparison.hpp"
#include "engine/projection.hpp"
#include "engine/wave_schools.hpp"
#include "run/execute.hpp"

namespace pathways::cli {

/// One run (the base scenario or a variant) as the summary reads it: its final year, draw by draw.
struct summarized_run {
    labelled_run
        with_cut_risk;       ///< the rows comparisons use (comparable_rows): with the cut risk, and business as usual
    labelled_run sustained;  ///< the "if the plan is sustained" course's rows; none without that course
    /// A plan (ranked against the other plans) or an assumption (the base plan in another world: shown,
    /// never ranked).
    bool plan = true;
};

/// The rows `run` kept of its final year (execute with kept_draws::final_year), in both courses.
/// Throws std::invalid_argument when the run kept no draws.
summarized_run final_year_for_summary(const finished_run& run);

/// `run`'s rows of calendar year `year` (one scenario of a `compare`), with the cut-risk course only.
summarized_run year_for_summary(const labelled_run& run, int year);

/// The id of the outcome the summary leads with (simulation::headline_outcome); empty when none is reported.
std::string headline_outcome(const simulation& sim);

struct run_summary_context {
    std::string scenario;
    std::string model;       ///< empty when the runs use different effect models
    std::string headline;    ///< outcome id, see headline_outcome
    pathways::cut_risk cut;  ///< the first run's program-cut risk
    std::size_t draws = 0;
    bool for_release = true;  ///< false adds the NOT FOR PUBLIC RELEASE line
    std::string evidence;     ///< what kind of evidence the numbers rest on (evidence_caveat_text)
    std::string gates;        ///< how each gated plan's stage gate decided (gate_lines), before the evidence
};

/// One paragraph per run whose plan has a stage-gated wave: what the gate measures, with what error,
/// and in what share of the draws it opened.
std::string gate_lines(const std::vector<finished_run>& runs);

/// At most about 60 lines of at most 100 columns for the shipped scenarios: the headline outcome's
/// final-year effect (with the cut risk) with its 90% interval, P(effect < 0) and the effect and P(effect < 0) if the
/// plan is sustained, for all students and every focal group of a reported gap, with that gap's change
/// against business as usual; with several runs, each run's effect for all students against run 0, the
/// best run and the probability that it beats the next best on the same draws, and which run closes
/// each focal gap most; then what the numbers rest on (context.evidence). Run 0 is the base scenario. Throws std::invalid_argument when `runs` is empty
/// or their draw counts differ.
std::string run_summary(const std::vector<summarized_run>& runs, const run_summary_context& context);

/// The schools each wave of the plan reached, for `--detail`: per wave its name, start year, how
/// the schools were chosen (a seeded sample or the selector) and their ids, wrapped at 100 columns.
std::string waves_text(const std::vector<wave_schools>& waves);

}  // namespace pathways::cli
