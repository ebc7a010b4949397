#include "engine/wave_schools.hpp"

namespace pathways {

std::vector<wave_schools> schools_of_waves(const implementation_schedule& schedule, const std::vector<school>& schools,
                                           const implementation_plan& plan) {
    std::vector<wave_schools> waves;
    waves.reserve(plan.waves.size());
    for (const wave& planned : plan.waves) {
        const bool sampled = planned.schools.count.has_value();
        waves.push_back({planned.name, planned.start_year, sampled, sampled ? planned.schools.seed : 0, {}});
    }
    const std::vector<int>& wave_of_school = schedule.wave_of_school();
    for (std::size_t s = 0; s < wave_of_school.size() && s < schools.size(); ++s) {
        const int w = wave_of_school[s];
        if (w >= 0 && static_cast<std::size_t>(w) < waves.size())
            waves[static_cast<std::size_t>(w)].school_ids.push_back(schools[s].id);
    }
    return waves;
}

}  // namespace pathways
