#pragma once
/// \file
/// Every draw on disk (`run --per-draw`): draws.csv holds each row's value in each draw, long
/// format, with the labels projection.csv gives the row; inputs.csv holds what each draw sampled.
/// Rows that projection.csv suppresses have no lines in draws.csv, so per-draw values never publish
/// what the summaries withhold.

#include <string>
#include <vector>

#include "run/execute.hpp"

namespace pathways {

/// One sampled input of a draw, named as simulation::uncertain_inputs() names it, plus
/// "program:cut_year" (calendar year of the draw's program cut; NaN when it is not cut) and
/// "schools:dose_sd" (the SD of the schools' dose multipliers, when the draws sample them).
struct sampled_input {
    std::string name;
    double value = 0.0;
};

/// What draw `draw` of `run` sampled: the central values when the run had no draws (draws = 0).
std::vector<sampled_input> sampled_inputs(const finished_run& run, std::size_t draw);

/// draws.csv of every run (each must have kept `every_draw`): the header (result_columns.hpp) and one
/// line per unsuppressed row and draw, in row order then draw order; undefined values are empty.
/// Outputs not for public release start with the comment line projection.csv starts with.
std::string draws_csv(const run_results& results);

/// inputs.csv of every run: one line per draw and sampled input.
std::string inputs_csv(const run_results& results);

}  // namespace pathways
