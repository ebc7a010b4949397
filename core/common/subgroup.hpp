#pragma once
/// \file
/// Subgroup expressions ("race:black", "ell:ell&frl:yes"): parsing and spelling.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pathways {

/// One term of a subgroup expression: a dimension and the code it requires.
struct subgroup_term {
    /// `pl` is not a student attribute: it is whether the plan has reached the student's school by
    /// the year reported, so its cells change from year to year.
    enum class dimension : std::uint8_t { race, ell, frl, sped, grade, pl };
    dimension dim = dimension::race;
    std::uint8_t code = 0;
};

/// A parsed expression: the conjunction of its terms ("all" has none).
struct subgroup {
    std::string name;  ///< canonical spelling, as written in outputs
    std::vector<subgroup_term> terms;
};

/// Parses an expression; on failure returns nullopt and sets `error` to a message with a suggestion.
std::optional<subgroup> parse_subgroup(std::string_view expression, std::string& error);

/// Every single-term subgroup ("race:black", "ell:exited", ...), for suggestions and partitions.
const std::vector<std::string>& subgroup_terms();

/// Whether the expression selects by plan reach (`pl:yes`, `pl:no`), so its members depend on the year.
bool uses_plan_reach(const subgroup& group);

}  // namespace pathways
