#pragma once
/// \file
/// Monte Carlo projection: draws run in parallel, per-draw subgroup metrics reduced in draw
/// order, so results are byte-identical for any thread count.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/simulation.hpp"
#include "stats/summary.hpp"

namespace pathways {

/// What a row measures. Levels and effects are in SD; percentile shifts in percentile points;
/// proficiency in percent; gaps are reference minus focal group.
enum class metric {
    level,
    bau_level,
    effect,
    percentile_shift,
    proficient,
    proficient_bau,
    proficient_change,
    gap_sd,
    gap_sd_bau,
    gap_closed_pct,
    gap_pp,
    gap_closes,  ///< 1 when the gap is closed in that draw: its mean is the probability
    gap_years_to_close,  ///< years from the start to close the gap at its pace so far (final year)
};
std::string_view to_string(metric m);

/// Longest `gap_years_to_close` reported: a gap that does not narrow, or would take longer, reads this.
inline constexpr double max_years_to_close = 100.0;

/// Years from the start until a gap of `baseline_gap` SD closes, if it keeps narrowing at the average
/// pace that took it to `gap` after `years_elapsed` years: baseline_gap · years_elapsed / (baseline_gap
/// − gap), at most max_years_to_close. 0 when the focal group starts level or ahead.
double years_to_close(double baseline_gap, double gap, int years_elapsed);

/// One row of the projection table; `year` counts from 0 at the scenario's start year.
struct metric_row {
    int year = 0;
    std::size_t subgroup = 0;
    std::size_t outcome = 0;
    pathways::metric metric = pathways::metric::level;
    std::string reference;       ///< reference subgroup for gap metrics, else empty
    double students = 0.0;
    bool suppressed = false;
};

struct projection_options {
    std::int64_t draws = 0;      ///< 0: one central run with every quantity at its default
    std::uint64_t seed = 0;
    unsigned threads = 1;
    std::int64_t min_n = 16;
    bool suppress = true;        ///< RELIABILITY.md items 23–25
    std::function<void(std::size_t done, std::size_t total)> progress;  ///< called from worker threads
    const std::atomic<bool>* cancel = nullptr;
};

/// Per-draw metric values, `values[draw * rows.size() + row]`, plus the row descriptions.
struct projection_draws {
    std::vector<metric_row> rows;
    std::vector<double> values;
    std::size_t draws = 0;
    bool cancelled = false;
};

struct projection_result {
    std::vector<metric_row> rows;
    std::vector<stats::summary> summaries;  ///< per row, across draws (central value when draws = 0)
    std::size_t draws = 0;
};

/// The metric rows a simulation reports, with suppression decided (subgroup head counts).
std::vector<metric_row> describe_rows(const simulation& sim, const scenario& spec, const projection_options& options);

/// Runs every draw and computes each row's value per draw.
projection_draws run_draws(const simulation& sim, const scenario& spec, const projection_options& options);

/// Summaries across draws for every row, in row order.
projection_result summarize_draws(const projection_draws& draws);

/// Paired difference `a − b` of two runs with the same rows and draws (common random numbers).
projection_draws paired_difference(const projection_draws& a, const projection_draws& b);

}  // namespace pathways
