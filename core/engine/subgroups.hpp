#pragma once
/// \file
/// The cells a subgroup expression selects.

#include <cstdint>
#include <vector>

#include "common/subgroup.hpp"

namespace pathways {

struct population_cells;

/// The cells a subgroup selects, in cell order.
std::vector<std::uint32_t> select_cells(const subgroup& group, const population_cells& cells);

/// Whether cell `c` carries `term`'s code.
bool cell_has_term(const population_cells& cells, std::size_t c, const subgroup_term& term);

}  // namespace pathways
