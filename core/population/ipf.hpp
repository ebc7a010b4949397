#pragma once
/// \file
/// Iterative proportional fitting (IPF) of one school's joint subgroup table
/// race (7) x ELL status (3) x FRL (2) x SPED (2) to the school's four marginals.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "common/diagnostics.hpp"
#include "common/model.hpp"
#include "pathways/sdk/effect_model.hpp"
#include "population/school.hpp"
#include "population/seed_table.hpp"

namespace pathways {

inline constexpr int frl_status_count = 2;   ///< 0 = not eligible, 1 = eligible
inline constexpr int sped_status_count = 2;  ///< 0 = no IEP, 1 = IEP
inline constexpr int joint_cell_count = sdk::race_count * sdk::ell_status_count * frl_status_count * sped_status_count;

/// Position of a cell in a joint table: race varies slowest, then ELL status, FRL, SPED.
constexpr std::size_t joint_index(int race, int ell, int frl, int sped) {
    const int race_ell = race * sdk::ell_status_count + ell;
    return static_cast<std::size_t>((race_ell * frl_status_count + frl) * sped_status_count + sped);
}

/// Shares of a school's enrollment in each joint cell (see joint_index); they sum to 1.
using joint_shares = std::array<double, joint_cell_count>;

/// The four one-way marginals IPF fits, each a distribution over its categories.
struct school_marginals {
    std::array<double, sdk::race_count> race{};       ///< by sdk::race
    std::array<double, sdk::ell_status_count> ell{};  ///< by sdk::ell_status: non_ell, ell, exited
    std::array<double, frl_status_count> frl{};       ///< no, yes
    std::array<double, sped_status_count> sped{};     ///< no, yes
};

/// The school's marginals: non_ell = 1 - ell - exited, frl/sped as (1 - share, share). Race
/// shares within 0.01 of summing to 1 (what the CSV reader accepts) are rescaled to sum to 1
/// exactly, so all four marginals describe the same total; other sums are passed through for
/// fit_joint_shares to reject.
school_marginals marginals_of(const school& s);

/// The unnormalised seed weight of one cell (formula in seed_table.hpp).
double seed_weight(const seed_table& seed, int race, int ell, int frl, int sped);

struct ipf_options {
    double tolerance = 1e-9;    ///< converged when every marginal is within this (as a share)
    int max_iterations = 1000;  ///< full cycles over the four marginals
};

struct ipf_report {
    int iterations = 0;      ///< full cycles run (0 when the seed already fits)
    double max_error = 0.0;  ///< largest absolute difference between a fitted and a target marginal share
    bool converged = false;  ///< max_error <= tolerance
};

struct ipf_result {
    joint_shares shares{};
    ipf_report report;
};

/// Adds an error to `found` for each seed weight that is negative, NaN or infinite; true when
/// the table is usable. Errors point at `seed.where`.
bool check_seed_table(const seed_table& seed, diagnostics& found);

/// Fits the joint table of one school by IPF, starting from `seed` and cycling race, ELL, FRL,
/// SPED until every marginal is within `options.tolerance` or `options.max_iterations` cycles
/// have run. Cells of a category whose target share is 0 start (and stay) at 0.
///
/// Returns std::nullopt, with an error in `found` at `where` naming `school_id`, when the
/// problem has no solution that can be found: a marginal share that is NaN, Inf or outside
/// 0..1, a marginal that does not sum to 1 (within 1e-6; sums that close are rescaled), an
/// unusable seed table, or a category with a positive target share whose seed cells are all
/// zero once the zero-share categories are removed. Non-convergence is not an error here: the
/// result carries `report.converged == false` and the caller decides (synthesize_population
/// rejects it). Throws std::invalid_argument when `options` are not a positive finite
/// tolerance and at least one iteration.
[[nodiscard]] std::optional<ipf_result> fit_joint_shares(const school_marginals& targets, const seed_table& seed,
                                                         const ipf_options& options, std::string_view school_id,
                                                         const source_location& where, diagnostics& found);

}  // namespace pathways
