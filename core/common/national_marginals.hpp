#pragma once
/// \file
/// The published national figures a synthetic population of schools must reproduce, as plain data:
/// district profiles carry them (with their sources) and population/national_synthesis builds the
/// schools.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "pathways/sdk/effect_model.hpp"

namespace pathways {

/// One band of schools by their share of students eligible for free or reduced-price lunch, and the
/// share of all students who attend a school in that band.
struct frl_band {
    double lower = 0.0;  ///< FRL share of the band's poorest school, 0..1
    double upper = 0.0;
    double student_share = 0.0;
    /// How strongly a band's race mix leans away from the national mix: the race composition of
    /// schools in this band is the national one tilted by exp(lean × race_tilt[race]) and refitted
    /// so the national totals still hold. 0 for the middle of the range, negative below, positive above.
    double lean = 0.0;
};

/// What a national synthetic population must reproduce.
struct national_marginals {
    std::int64_t schools = 0;
    std::int64_t students = 0;
    std::array<double, sdk::race_count> race_shares{};  ///< of all students, indexed by sdk::race
    /// Per race, the direction of segregation by FRL band (positive: concentrated in high-FRL schools).
    std::array<double, sdk::race_count> race_tilt{};
    std::vector<frl_band> frl_bands;     ///< their student shares sum to 1 (a "missing" band included)
    double english_learner_share = 0.0;  ///< of all students
    double disability_share = 0.0;       ///< students served under IDEA, of all students
    double exited_ell_per_ell = 0.0;     ///< former English learners per current one
    /// Shares of schools by level, indexed by school_level (elementary, middle, high, k8).
    std::array<double, 4> level_shares{};
    /// Median enrollment and log-scale spread of a school of each level, before all sizes are scaled
    /// together to the national enrollment (only the shape of the size distribution is taken).
    std::array<double, 4> median_enrollment{};
    std::array<double, 4> enrollment_log_sd{};
};

/// No synthesized school takes more than these shares (a school of only English learners or only
/// students with an IEP exists, but not as a typical public school), so the national shares must be
/// below them.
inline constexpr double max_english_learner_share = 0.9;
inline constexpr double max_disability_share = 0.6;  // both written out in check_marginals's messages

/// Checks the marginals; an empty string when they are usable, else what is wrong (for a diagnostic).
std::string check_marginals(const national_marginals& marginals);

}  // namespace pathways
