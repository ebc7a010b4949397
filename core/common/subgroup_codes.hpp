#pragma once
/// \file
/// How subgroup expressions (common/subgroup.hpp) spell the codes of population cells' attributes,
/// for tables that name them: "black" for race 1, "yes" for frl 1.

#include <cstdint>
#include <string_view>

#include "common/subgroup.hpp"

namespace pathways {

/// The spelling of `code` of `dim`, as subgroup expressions write it; empty for a code out of range.
std::string_view code_name(subgroup_term::dimension dim, std::uint8_t code);

}  // namespace pathways
