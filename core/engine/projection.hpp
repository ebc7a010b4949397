#pragma once
/// \file
/// Monte Carlo projection: draws run in parallel, per-draw subgroup metrics reduced in draw
/// order, so results are byte-identical for any thread count.

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
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
    gap_closes,   ///< 1 when the gap is closed in that draw: its mean is the probability
    gap_narrows,  ///< 1 when the gap is narrower than at baseline in that draw: its mean is the probability
    /// Years from the start to close the gap at its pace so far (final year); undefined (NaN, written
    /// empty or null) in a draw where the gap does not narrow. See summarize_draws.
    gap_years_to_close,
    // Costs (engine/costs.hpp), in the district's currency: cumulative spending through the year, per
    // student reached, per 0.1 SD of effect and per percentage point of a proficiency gap narrowed
    // (undefined in a draw without a gain), and the effect per million spent.
    cost_total,
    cost_per_student,
    cost_per_tenth_sd,
    effect_per_million,
    cost_per_gap_pp,
    gap_pp_per_million,
};
std::string_view to_string(metric m);

/// Which projection of the plan a row belongs to. Every run reports the plan "if it is sustained"
/// (each draw with no program cut) and "with the district's cut risk" (each draw with its sampled
/// cut, if any); rows that only describe business as usual belong to neither.
enum class plan_course : std::uint8_t { none, sustained, with_cut_risk };
/// "", "sustained", "with_cut_risk": the spelling of the `course` column.
std::string_view to_string(plan_course course);
/// Whether a metric reads the scenario run (so it has a course) rather than business as usual only.
bool depends_on_plan(metric m);

/// Years from the start until a gap of `baseline_gap` SD closes, if it keeps narrowing at the average
/// pace that took it to `gap` after `years_elapsed` years: baseline_gap · years_elapsed / (baseline_gap
/// − gap). 0 when the focal group starts level or ahead; nullopt when the gap has not narrowed, since
/// it does not close at that pace (no cap and no stand-in number).
std::optional<double> years_to_close(double baseline_gap, double gap, int years_elapsed);

/// The outcome of a row that measures no outcome (the cost of a plan): written as an empty outcome.
inline constexpr std::size_t no_outcome = static_cast<std::size_t>(-1);

/// One row of the projection table; `year` counts from 0 at the scenario's start year.
struct metric_row {
    int year = 0;
    std::size_t subgroup = 0;
    std::size_t outcome = 0;
    pathways::metric metric = pathways::metric::level;
    std::string reference;  ///< reference subgroup for gap metrics, else empty
    double students = 0.0;
    bool suppressed = false;
    plan_course course = plan_course::with_cut_risk;  ///< none for business-as-usual rows
};

/// The most memory the per-draw row values of one run may take (draws × rows × 8 bytes): exact
/// quantiles need every draw's values, so larger runs are refused rather than swap or crash.
inline constexpr double max_aggregate_bytes = 2.0 * (1ull << 30);

struct projection_options {
    std::int64_t draws = 0;  ///< 0: one central run with every quantity at its default
    std::uint64_t seed = 0;
    unsigned threads = 1;
    std::int64_t min_n = 16;
    bool suppress = true;  ///< withhold groups below min_n and their complements (README "Privacy")
    std::function<void(std::size_t done, std::size_t total)> progress;  ///< called from worker threads
    const std::atomic<bool>* cancel = nullptr;
    /// Also report the plan as if it were sustained (each draw rerun without its program cut), next
    /// to the with-cut-risk rows. Off, only the with-cut-risk course is reported.
    bool sustained_course = false;
    /// Draws evaluated together (a block) and cells per tile: they change speed, never a bit of the
    /// results. 8 draws of 256 cells keep a tile of every node in a core's L2 cache.
    std::size_t block_draws = 8;
    std::size_t tile_cells = simulation::default_tile_cells;
    /// Run only draws [first_draw, first_draw + draw_count) of the `draws` (one rank's share; each
    /// draw's parameters are keyed by seed and draw, so any range gives the same values as a whole
    /// run). No count: every draw from first_draw on.
    std::size_t first_draw = 0;
    std::optional<std::size_t> draw_count = std::nullopt;
    /// The publication audit's verdict for this run, [year][subgroup], when it is published with other
    /// runs (engine/suppression.hpp); null: the run is audited alone.
    const std::vector<std::vector<bool>>* withheld = nullptr;
};

/// Per-draw metric values, `values[draw * rows.size() + row]`, plus the row descriptions.
/// The district's program-cut risk over the horizon, as the draws sample it.
struct cut_risk {
    double annual_probability = 0.0;
    double by_horizon = 0.0;     ///< probability the program is cut before the last year: 1 − (1 − p)^years at risk
    int first_year_at_risk = 0;  ///< calendar year
    std::size_t cut_draws = 0;   ///< draws in which the program was cut
};

struct projection_draws {
    std::vector<metric_row> rows;
    std::vector<double> values;
    std::size_t draws = 0;
    /// Each draw's sampled program cut (calendar year; none: not cut), as run_draws ran it, so that
    /// what follows from the cut (costs stop) needs no second sampling of the draw.
    std::vector<std::optional<int>> cut_years;
    bool cancelled = false;
    pathways::cut_risk cut;
};

struct projection_result {
    std::vector<metric_row> rows;
    std::vector<stats::summary> summaries;  ///< per row, across draws (central value when draws = 0)
    std::size_t draws = 0;
    pathways::cut_risk cut;
};

/// The metric rows a simulation reports, with suppression decided (subgroup head counts).
std::vector<metric_row> describe_rows(const simulation& sim, const scenario& spec, const projection_options& options);

/// Runs every draw (or the options' range of draws: then `draws` and `values` hold that range only)
/// and computes each row's value per draw.
projection_draws run_draws(const simulation& sim, const scenario& spec, const projection_options& options);

/// Summaries across draws for every row, in row order. `gap_years_to_close` is undefined in draws
/// where the gap does not narrow; those draws never close at their pace, so they rank after every
/// finite value: a quantile that falls among them is undefined (NaN), as are the mean and SD when
/// any draw is undefined, and prob_positive is always NaN for that metric (the share of draws
/// whose gap narrows is the mean of `gap_narrows`). Undefined values are written empty in CSV,
/// null in JSON and "not closing at this pace" in text.
projection_result summarize_draws(const projection_draws& draws);

/// The rows of `draws` that `keep` accepts, with every draw's values for them, in the same order.
projection_draws rows_where(const projection_draws& draws, const std::function<bool(const metric_row&)>& keep);

/// The rows paired comparisons across runs use: the with-cut-risk course, without
/// `gap_years_to_close` (undefined in some draws, so it has no paired difference) and without the
/// cost rows (no outcome, or undefined in some draws).
projection_draws comparable_rows(const projection_draws& draws);

/// Errors (to `found`) for every reported gap whose groups have no baseline offsets in the
/// district profile: such a gap starts at 0 by construction and its metrics would mean nothing.
void check_gap_baselines(const simulation& sim, const scenario& spec, diagnostics& found);

/// Paired difference `a − b` of two runs with the same rows and draws (common random numbers).
projection_draws paired_difference(const projection_draws& a, const projection_draws& b);

}  // namespace pathways
