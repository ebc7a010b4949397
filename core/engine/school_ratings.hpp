#pragma once
/// \file
/// School ratings on the Driver Model turned into levels: a scenario's starting ratings and its
/// waves' goals, and one level per school, practice or driver and year from several raters.

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/scenario_types.hpp"
#include "graph/model_graph.hpp"
#include "population/school.hpp"
#include "scenario/ratings_reader.hpp"

namespace pathways {

/// One school's level on one practice or driver in one year, from its ratings that year.
struct rated_level {
    double level = 0.0;
    std::size_t ratings = 0;  ///< how many ratings it combines
    bool self_only = false;   ///< only the school's own ratings were there
};

/// (school, node, year) -> level. The level is the mean of the coach and walkthrough ratings, or of
/// the self-ratings where nobody else rated: an assumption (evidence A) that an outside rater's
/// rating, where there is one, is the better guide, since schools rating themselves tend to rate high.
using rated_levels = std::map<std::tuple<std::string, std::string, int>, rated_level>;
rated_levels combine_ratings(const ratings_data& data);

/// The context ratings of `schools` are read against: the model's rubric and the district's ids.
ratings_context ratings_context_for(const model_graph& graph, const std::vector<school>& schools,
                                    const district_profile& district, bool rater_required = true);

/// Each school's latest rated level up to `year` on every practice and driver rated, one rule per
/// node id (pattern = the id), keyed by school id.
std::map<std::string, std::vector<level_rule>> levels_up_to(const rated_levels& levels, int year);

/// Reads the scenario's ratings file (/implementation/ratings) and sets each school's `rated_levels`
/// to its latest ratings up to the scenario's first year; reads each wave's goals file and sets the
/// wave's `school_targets` to each school's latest goals. Problems go to `out`.
void apply_ratings_and_goals(scenario& spec, std::vector<school>& schools, const district_profile& district,
                             const model_graph& graph, diagnostics& out);

/// The wave goals part of the above alone, for a variant checked on its base's schools.
void apply_wave_goals(scenario& spec, const std::vector<school>& schools, const district_profile& district,
                      const model_graph& graph, diagnostics& out);

}  // namespace pathways
