#pragma once
/// \file
/// The cells a subgroup expression selects.

#include <cstdint>
#include <vector>

#include "common/subgroup.hpp"

namespace pathways {

struct population_cells;

/// The cells a subgroup selects, in cell order. `reached` (per school: has the plan reached it by the
/// year in question) decides `pl:` terms; without it a `pl:` term selects no cell.
std::vector<std::uint32_t> select_cells(const subgroup& group, const population_cells& cells,
                                        const std::vector<bool>* reached = nullptr);

/// Whether cell `c` carries `term`'s code (`pl:` terms as in `select_cells`).
bool cell_has_term(const population_cells& cells, std::size_t c, const subgroup_term& term,
                   const std::vector<bool>* reached = nullptr);

}  // namespace pathways
