#pragma once
/// \file
/// Each school's own starting levels: the district profile's starting levels, spread between
/// schools where the profile gives a between-school SD.

#include <cstddef>
#include <vector>

#include "common/scenario_types.hpp"

namespace pathways {

/// The starting-level rules of each of `school_count` schools (in the schools' order).
///
/// A rule without a between-school SD is copied unchanged. A rule with SD `sd` gives school s
/// the level clamp(value + sd * z, 0, 3), where z is a stratified normal score: the schools are
/// ranked by a latent score x = sqrt(rho) * u_s + sqrt(1 - rho) * e_s,rule (rho = the profile's
/// correlation; u_s and e_s,rule standard normal from the profile's seed, the school's index and,
/// for e, the rule's pattern) and the school of rank k (0-based) of n gets z = Phi^-1((k + 0.5) / n).
/// So the share of schools above any level follows the normal distribution however the seed falls,
/// and a school that is far along on one pattern tends to be far along on the others.
std::vector<std::vector<level_rule>> school_starting_levels(const district_profile& district, std::size_t school_count);

}  // namespace pathways
