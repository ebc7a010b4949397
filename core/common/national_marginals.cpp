#include "common/national_marginals.hpp"

#include <cmath>
#include <numeric>
#include <span>
#include <string>

namespace pathways {
namespace {

constexpr double share_tolerance = 1e-3;

bool is_share(double x) { return std::isfinite(x) && x >= 0.0 && x <= 1.0; }

std::string check_shares(std::span<const double> shares, const char* what) {
    for (const double s : shares) {
        if (!is_share(s)) return std::string(what) + " must each be between 0 and 1";
    }
    if (std::abs(std::accumulate(shares.begin(), shares.end(), 0.0) - 1.0) > share_tolerance) {
        return std::string(what) + " must sum to 1";
    }
    return {};
}

}  // namespace

std::string check_marginals(const national_marginals& m) {
    if (m.schools <= 0) return "the number of schools must be positive";
    if (m.students < m.schools) return "the number of students must be at least the number of schools";
    if (auto problem = check_shares(m.race_shares, "race shares"); !problem.empty()) return problem;
    if (m.frl_bands.empty()) return "at least one FRL band is needed";
    std::vector<double> band_shares;
    for (const frl_band& band : m.frl_bands) {
        if (!is_share(band.lower) || !is_share(band.upper) || band.lower > band.upper) {
            return "each FRL band needs 0 <= lower <= upper <= 1";
        }
        if (!std::isfinite(band.lean)) return "each FRL band's lean must be a finite number";
        band_shares.push_back(band.student_share);
    }
    if (auto problem = check_shares(band_shares, "the FRL bands' student shares"); !problem.empty()) return problem;
    if (auto problem = check_shares(m.level_shares, "school level shares"); !problem.empty()) return problem;
    for (const double tilt : m.race_tilt) {
        if (!std::isfinite(tilt)) return "race tilts must be finite numbers";
    }
    if (!is_share(m.english_learner_share) || m.english_learner_share >= max_english_learner_share) {
        return "the English-learner share must be at least 0 and below 0.9";
    }
    if (!is_share(m.disability_share) || m.disability_share >= max_disability_share) {
        return "the disability share must be at least 0 and below 0.6";
    }
    if (!std::isfinite(m.exited_ell_per_ell) || m.exited_ell_per_ell < 0.0) {
        return "former English learners per current one must be 0 or more";
    }
    for (std::size_t level = 0; level < m.median_enrollment.size(); ++level) {
        if (!(m.median_enrollment[level] > 0.0) || !std::isfinite(m.median_enrollment[level]) ||
            !(m.enrollment_log_sd[level] >= 0.0) || !std::isfinite(m.enrollment_log_sd[level])) {
            return "each level needs a positive median enrollment and a log-scale spread of 0 or more";
        }
    }
    return {};
}

}  // namespace pathways
