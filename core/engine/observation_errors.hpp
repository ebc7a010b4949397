#pragma once
/// \file
/// How the errors of observed group means are correlated, for the likelihood of `pathways calibrate
/// --observed`. A district's observed cells are not independent: "all", "pl:yes" and "frl:yes" of one
/// year average over many of the same students; every group of a year shares that year's test form and
/// cohort; a group's schools carry their own deviations from year to year. Treating the cells as
/// independent counts the same information several times and gives intervals that are too narrow.
///
/// The error of cell i (group a, year t, outcome o) against a draw's true level is
///   e_i = sampling_i + own_i + year_(t,o) + persistent_(a,o) + discrepancy_i
/// with covariances, for cells i (a, t, o) and j (b, t', o') of the same outcome (o = o'):
///   sampling    ρ_ab · s_i · s_j        when t = t'   (ρ_ab: the students a and b share, below)
///   own         se_i² − s_i²            when i = j
///   (s_i = min(se_i, 1/sqrt(n_i)): the sampling error of n_i students' mean, student SD 1 in the
///    outcomes' units; an se above it — year-to-year noise a publisher folded in — is the cell's own)
///   year        year_shock_sd²          when t = t'   (every group of the year)
///   persistent  ρ_ab · persistent_sd²   any t, t'     (schools and cohorts that stay in a group)
///   discrepancy discrepancy_sd²         when i = j    (the model's own miss, independent)
/// and 0 between outcomes (their correlation is not modelled: a stated simplification).
/// ρ_ab = n_ab / sqrt(n_a · n_b) is the correlation of two means of student scores with a common
/// SD when n_ab students are in both: 1 for the same group, 0 for groups that differ on a dimension
/// ("race:black" and "race:white", "pl:yes" and "pl:no"), sqrt(n_b / n_a) when b lies within a ("all"
/// and any group), and otherwise n_ab from independence of the dimensions, n_a · n_b / n_all, divided by
/// the share of the terms they have in common when that group is observed.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace pathways {

/// The sizes of the shocks beside each cell's own standard error, in the outcome's SD units.
struct observation_error_model {
    double discrepancy_sd = 0.0;  ///< independent per cell: how far the model may miss with the right inputs
    double year_shock_sd = 0.0;   ///< shared by every group of a year and outcome
    double persistent_sd = 0.0;   ///< shared by a group across years (and by overlapping groups)
};

/// What the covariance needs of one observed cell.
struct observed_error_cell {
    std::string subgroup;  ///< canonical subgroup expression ("all", "race:black", "ell:ell&frl:yes")
    int year = 0;
    std::string outcome;
    long long n = 0;  ///< students behind the mean
    double se = 0.0;  ///< standard error of the mean
};

/// The covariance matrix of the cells' errors, row-major (cells.size()²). Throws std::invalid_argument
/// for a negative or non-finite shock SD, a cell without students or without a positive se, or a
/// subgroup that does not parse.
std::vector<double> observation_covariance(std::span<const observed_error_cell> cells,
                                           const observation_error_model& errors);

/// The Gaussian log-likelihood of residual vectors under the covariance of `cells`, up to a constant
/// that is the same for every residual vector (so importance weights can be formed from it).
///
/// Observed groups are often redundant: "all" is the weighted mean of "pl:yes" and "pl:no", so the
/// three say what two say and their covariance is singular. The density is therefore taken on the
/// directions the covariance spans (a pseudo-inverse): eigen-directions whose variance is below
/// `relative_rank_tolerance` of the largest are dropped, and a residual along them (rounding of the
/// published means) carries no weight.
class observation_likelihood {
public:
    static constexpr double relative_rank_tolerance = 1e-6;

    /// Decomposes the covariance once. Throws std::invalid_argument as observation_covariance does.
    observation_likelihood(std::span<const observed_error_cell> cells, const observation_error_model& errors);

    /// −½ rᵀ Σ⁺ r for the residuals r (observed − projected), one per cell in the cells' order.
    [[nodiscard]] double log_density(std::span<const double> residuals) const;

    [[nodiscard]] std::size_t cells() const { return size_; }
    /// Independent directions of the data: the cells less those another combination of cells repeats.
    [[nodiscard]] std::size_t rank() const { return rank_; }

private:
    std::size_t size_ = 0;
    std::size_t rank_ = 0;
    std::vector<double> whitening_;  ///< rank × cells, row-major: rᵀ Σ⁺ r = ‖whitening · r‖²
};

}  // namespace pathways
