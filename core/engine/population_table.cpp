#include "engine/population_table.hpp"

#include "engine/schedule.hpp"

namespace pathways {

school_start_table starting_level_table(const loaded_district& loaded, diagnostics& problems) {
    // A scenario without waves: every school stays at the level the profile starts it at.
    const scenario business_as_usual;
    const implementation_schedule schedule(*loaded.graph, loaded.district, loaded.schools, business_as_usual, problems);
    school_start_table table;
    const auto& nodes = loaded.graph->definition().nodes;
    for (std::size_t n : schedule.driven_nodes()) table.node_ids.push_back(nodes[n].id);
    table.levels.resize(loaded.schools.size());
    for (std::size_t s = 0; s < loaded.schools.size(); ++s) {
        for (std::size_t k = 0; k < table.node_ids.size(); ++k) table.levels[s].push_back(schedule.start_level(s, k));
    }
    return table;
}

}  // namespace pathways
