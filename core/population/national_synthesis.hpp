#pragma once
/// \file
/// A synthetic national population of schools built from published marginals: how many schools,
/// how many students, their race, FRL, English-learner and disability shares, school levels and
/// sizes. The marginals are data (a district profile carries them with their sources); this file
/// only turns them into schools, deterministically from a seed.

#include <array>
#include <cstdint>
#include <vector>

#include "population/school.hpp"

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
    std::vector<frl_band> frl_bands;          ///< their student shares sum to 1 (a "missing" band included)
    double english_learner_share = 0.0;       ///< of all students
    double disability_share = 0.0;            ///< students served under IDEA, of all students
    double exited_ell_per_ell = 0.0;          ///< former English learners per current one
    /// Shares of schools by level, indexed by school_level (elementary, middle, high, k8).
    std::array<double, 4> level_shares{};
    /// Median enrollment and log-scale spread of a school of each level, before all sizes are scaled
    /// together to the national enrollment (only the shape of the size distribution is taken).
    std::array<double, 4> median_enrollment{};
    std::array<double, 4> enrollment_log_sd{};
};

/// Checks the marginals; an empty string when they are usable, else what is wrong (for a diagnostic).
std::string check_marginals(const national_marginals& marginals);

/// The schools of a synthetic nation reproducing `marginals`: exactly `schools` schools enrolling
/// exactly `students` students; race, FRL band, English-learner and disability shares of all
/// students equal to the marginals (to rounding); race correlated with FRL band through the bands'
/// `lean`. The same marginals and seed give the same schools on every platform. Ids are
/// "us-000001"…; every school is tagged with its FRL band ("frl-0-25", …). Requires
/// check_marginals(marginals) to be empty (throws std::invalid_argument otherwise).
std::vector<school> synthesize_national_schools(const national_marginals& marginals, std::uint64_t seed);

}  // namespace pathways
