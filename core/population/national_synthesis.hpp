#pragma once
/// \file
/// A synthetic national population of schools built from published marginals: how many schools,
/// how many students, their race, FRL, English-learner and disability shares, school levels and
/// sizes. The marginals are data (a district profile carries them with their sources); this file
/// turns them into schools, deterministically from a seed.

#include <cstdint>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/national_marginals.hpp"
#include "common/scenario_types.hpp"
#include "population/school.hpp"

namespace pathways {

/// The schools of a synthetic nation reproducing `marginals`: exactly `schools` schools enrolling
/// exactly `students` students; race, FRL band, English-learner and disability shares of all
/// students equal to the marginals (to rounding); race correlated with FRL band through the bands'
/// `lean`. The same marginals and seed give the same schools on every platform. Ids are
/// "us-000001"…; every school is tagged with its FRL band ("frl-0-25", …). Requires
/// check_marginals(marginals) to be empty (throws std::invalid_argument otherwise).
std::vector<school> synthesize_national_schools(const national_marginals& marginals, std::uint64_t seed);

/// The schools of `district`: synthesized when the profile gives national marginals, else read from
/// its schools CSV (problems go to `found`).
std::vector<school> district_schools(const district_profile& district, diagnostics& found);

}  // namespace pathways
