#pragma once
/// \file
/// One school of a district profile: level, enrollment and the subgroup shares that the
/// population synthesizer turns into cells.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/model.hpp"
#include "common/scenario_types.hpp"
#include "pathways/sdk/effect_model.hpp"

namespace pathways {

/// School level as written in the `level` column. `k8` schools enrol 6/9 of their students in
/// the elementary grade band and 3/9 in the middle band (K-5 and 6-8).
enum class school_level : std::uint8_t { elementary, middle, high, k8 };

/// The spelling used in files: "elementary", "middle", "high", "k8".
std::string_view to_string(school_level level);
/// Parses the file spelling; std::nullopt for anything else (case-sensitive).
std::optional<school_level> school_level_from_string(std::string_view text);
/// All spellings, in enum order, for did-you-mean suggestions.
const std::vector<std::string>& school_level_names();

struct school {
    std::string id;
    std::string name;
    school_level level = school_level::elementary;
    std::int64_t enrollment = 0;
    /// Shares of enrollment by race, indexed by `sdk::race`; they sum to 1 within 0.01.
    std::array<double, sdk::race_count> race_shares{};
    double ell_share = 0.0;         ///< currently English language learners
    double exited_ell_share = 0.0;  ///< former ELLs who exited the program; ell + exited <= 1
    double frl_share = 0.0;         ///< eligible for free or reduced-price lunch
    double sped_share = 0.0;        ///< students with an IEP
    std::string spf;                ///< SPF colour (green, yellow, red, blue, orange) or empty
    std::vector<std::string> tags;
    std::optional<double> start_level;            ///< 0..3; empty means the profile default
    std::optional<double> academic_optimism;      ///< z-score; empty means the profile default
    std::optional<double> value_feasibility_gap;  ///< SD units; empty means the profile default
    source_location where;  ///< file and line the school was read from (column and pointer unused)
    /// Starting levels from a ratings file, one rule per rated node id; they win over `start_level`.
    std::vector<level_rule> rated_levels{};
};

}  // namespace pathways
