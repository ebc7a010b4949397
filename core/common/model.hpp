#pragma once
/// \file
/// A theory-of-change model as plain data, independent of the file format and of Boost.Graph.

#include <cstddef>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "pathways/sdk/effect_model.hpp"

namespace pathways {

using sdk::node_kind;
using sdk::prior;
using sdk::prior_kind;

/// Every kind's spelling in files and output.
std::string_view to_string(node_kind kind);
std::optional<node_kind> node_kind_from_string(std::string_view text);
const std::vector<std::string>& node_kind_names();

/// Where a value in a file came from, for diagnostics that point at it.
struct source_location {
    std::string file;
    std::size_t line = 0;
    std::size_t column = 0;
    std::string pointer;
};

/// A node whose value the engine derives from reported subgroup aggregates instead of evaluating
/// it cell by cell. `subgroup_gap`: reference group minus focal group, the edge-weighted mean of
/// its parents' gaps (in SD), so it grows when a gap widens.
enum class derived_metric { none, subgroup_gap };
std::string_view to_string(derived_metric metric);
std::optional<derived_metric> derived_metric_from_string(std::string_view text);

struct model_node {
    std::string id;
    std::string label;
    node_kind kind = node_kind::condition;
    std::string scale;        ///< e.g. "level 0-3", "SD", "0-1"
    std::string group;        ///< primary driver of a secondary driver, block of an outcome
    std::string description;
    std::string leap;         ///< LEAP alignment codes, where one applies
    source_location where;
    derived_metric derived = derived_metric::none;  ///< the file's "derived" attribute
};

/// How an edge acts. `effect` edges are evaluated by the effect model; `composition` edges
/// make a primary driver the mean of its secondary drivers; `moderator` edges change how
/// implementation ramps (conditions, foundational practices) and are used by the engine.
enum class edge_role { effect, composition, moderator };
std::string_view to_string(edge_role role);

struct model_edge {
    std::string from;
    std::string to;
    edge_role role = edge_role::effect;
    double weight = 0.0;          ///< SD of the target per unit of the source
    double range_low = 0.0;
    double range_high = 0.0;
    prior uncertainty;            ///< fixed at `weight` when the file gives none
    std::string source;
    std::string evidence;         ///< S, S2, R or A
    source_location where;
};

struct model_definition {
    std::string id;
    std::string name;
    std::string description;
    std::vector<model_node> nodes;
    std::vector<model_edge> edges;
    std::string file;  ///< where it was read from ("<embedded>" for the shipped copy)
};

}  // namespace pathways
