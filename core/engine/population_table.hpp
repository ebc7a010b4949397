#pragma once
/// \file
/// What pathways builds from a district profile, as tables: one row per school with its starting
/// level on every plan-driven node, and one row per population cell.

#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "engine/scenario_loader.hpp"

namespace pathways {

/// Starting (business-as-usual) levels of every plan-driven node (conditions, foundational
/// practices, secondary drivers) in every school, exactly as a run starts from them.
struct school_start_table {
    std::vector<std::string> node_ids;        ///< plan-driven nodes, in model order
    std::vector<std::vector<double>> levels;  ///< [school][node], schools in CSV order
};

/// The table for `loaded`; problems (none for a district that loaded) go to `problems`.
school_start_table starting_level_table(const loaded_district& loaded, diagnostics& problems);

}  // namespace pathways
