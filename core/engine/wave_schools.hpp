#pragma once
/// \file
/// Which schools each wave of an implementation plan reaches, as the schedule resolved them: for a
/// wave that samples `count` of the schools its selector matches, the ones its seed chose. Manifests
/// and `run --detail` list them so a reader can see, and a rerun reproduce, the sample.

#include <string>
#include <vector>

#include "common/scenario_types.hpp"
#include "engine/schedule.hpp"
#include "population/school.hpp"

namespace pathways {

struct wave_schools {
    std::string name;
    int start_year = 0;
    bool sampled = false;                 ///< a seeded sample of `count` of the matching schools
    std::uint64_t seed = 0;               ///< the sample's seed (0 when not sampled)
    std::vector<std::string> school_ids;  ///< in the order of the district's schools CSV
};

/// Per wave of `plan`, in plan order, the ids of the schools `schedule` assigned to it.
/// `schools` and `plan` must be the ones `schedule` was built from.
std::vector<wave_schools> schools_of_waves(const implementation_schedule& schedule, const std::vector<school>& schools,
                                           const implementation_plan& plan);

}  // namespace pathways
