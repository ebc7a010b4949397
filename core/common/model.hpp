#pragma once
/// \file
/// A theory-of-change model as plain data, independent of the file format and of Boost.Graph.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pathways/sdk/effect_model.hpp"

namespace pathways {

/// Limits on a model's size, checked by every reader and before a graph is built or anything is allocated
/// for it. A theory of change has tens of nodes (the shipped DPS model has under 100); these leave a
/// hundredfold room while bounding what a run allocates (values per node x cell x year).
inline constexpr std::size_t max_model_nodes = 10'000;
inline constexpr std::size_t max_model_edges = 100'000;

using sdk::node_kind;
using sdk::prior;
using sdk::prior_kind;

/// The kinds in causal order, left to right as diagrams draw them: what the plan sets, then what it
/// changes, then what follows.
inline constexpr std::array<node_kind, 7> causal_order{node_kind::condition,
                                                       node_kind::foundational_practice,
                                                       node_kind::secondary_driver,
                                                       node_kind::primary_driver,
                                                       node_kind::student_outcome,
                                                       node_kind::academic_outcome,
                                                       node_kind::goal};

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
    std::string scale;  ///< e.g. "level 0-3", "SD", "0-1"
    std::string group;  ///< primary driver of a secondary driver, block of an outcome
    std::string description;
    std::string leap;  ///< LEAP alignment codes, where one applies
    source_location where;
    /// Measured context with no quantified causal path: carried and shown, never evaluated.
    bool descriptive = false;
    /// What the engine does with the node beyond its kind (see `node_role`), so that no code knows a
    /// model's node ids.
    std::vector<std::string> roles{};
    std::string subject{};                          ///< for achievement nodes: the tested subject ("math", "ela", ...)
    derived_metric derived = derived_metric::none;  ///< the file's "derived" attribute

    [[nodiscard]] bool has_role(std::string_view role) const;
};

/// The roles a node may play, spelled as in model files:
/// - achievement: a test score whose level carries over from year to year (effects accumulate);
/// - headline: the outcome reports lead with;
/// - alignment: a district condition whose moderator edges set how fast a misaligned district ramps;
/// - community: a condition whose moderator edges raise the levels they point at;
/// - value_feasibility_gap: a school condition, read from each school's CSV column of that name, whose
///   moderator edges slow the ramp;
/// - academic_optimism: a school condition read from each school's CSV column of that name;
/// - program_runway: the condition giving the years a program runs before a cut becomes possible.
const std::vector<std::string>& node_role_names();

/// A named block of nodes (`group` of a node), e.g. the outcome block "Student Agency".
struct model_group {
    std::string id;
    std::string label;
};

/// How an edge acts. `effect` edges are evaluated by the effect model; `composition` edges
/// make a primary driver the mean of its secondary drivers; `moderator` edges change how
/// implementation ramps (conditions, foundational practices) and are used by the engine.
enum class edge_role { effect, composition, moderator };

inline constexpr std::uint8_t all_grade_bands = (1u << sdk::grade_band_count) - 1u;
std::string_view to_string(edge_role role);

struct model_edge {
    std::string from;
    std::string to;
    edge_role role = edge_role::effect;
    double weight = 0.0;  ///< SD of the target per unit of the source
    double range_low = 0.0;
    double range_high = 0.0;
    prior uncertainty;  ///< fixed at `weight` when the file gives none
    /// Grade bands in which the edge acts (bit `1 << grade_band`); all bands when the file names none.
    /// Evidence can hold for some ages only: self-efficacy predicts achievement in adolescents, not children.
    std::uint8_t grade_bands = all_grade_bands;
    std::string source;
    std::string evidence;  ///< S, S2, R or A
    source_location where;
};

/// How uncertain the program's average effect is in a district that adopts it, relative to the
/// model's central effect: each draw multiplies every school's PL dose by one common factor with mean 1
/// and this SD, on top of the schools' own spread, so that a draw can be one in which the program does
/// nothing or harms on average. Without it the model's own priors carry all of the uncertainty.
struct average_effect_uncertainty {
    double relative_sd = 0.0;
    std::string source;
    std::string evidence;  ///< S, S2, R or A
};

/// One stage of a rubric's continuum: a name a rating may use and the level on the tool's 0..3 scale
/// that the name stands for.
struct rubric_stage {
    std::string name;    ///< lowercase words, e.g. "learner centered"
    double level = 0.0;  ///< 0..3
    /// Whether the stage is one of the rubric's descriptor columns (in order); a named point between
    /// columns ("learner centered" between the two middle columns) is not.
    bool column = true;
};

/// How the practices or drivers of one node kind are rated: the continuum's stages, and where the
/// mapping of stages to levels comes from (the tool's own mapping carries evidence A).
struct rubric_continuum {
    node_kind kind = node_kind::secondary_driver;
    std::vector<rubric_stage> stages;
    std::string source;
    std::string evidence;
    source_location where;

    /// The stages that are descriptor columns, in order.
    [[nodiscard]] std::vector<const rubric_stage*> columns() const;
};

/// A practice's or driver's descriptor text for each column of its continuum, quoted from the
/// rubric's source. An empty text is a descriptor the source as carried does not give (see `note`).
struct rubric_descriptor {
    std::string node;
    std::vector<std::string> stages;
    std::string note;  ///< what is missing or cut short, where anything is
    source_location where;
};

/// The rubric a model's practices and drivers are rated against (the Driver Model's stage descriptors).
struct rubric_definition {
    std::string source;  ///< the document the descriptors quote
    std::string evidence;
    std::vector<rubric_continuum> continua;
    std::vector<rubric_descriptor> descriptors;  ///< in file order

    [[nodiscard]] const rubric_continuum* continuum_of(node_kind kind) const;
    [[nodiscard]] const rubric_descriptor* descriptor_of(std::string_view node) const;
};

/// A stage name as ratings and the rubric compare it: lowercase, with '-', '_' and runs of spaces as one
/// space ("Learner-Centered" and "learner_centered" are "learner centered").
std::string normalized_stage_name(std::string_view text);

struct model_definition {
    std::string id;
    std::string name;
    std::string description;
    std::vector<model_group> groups;
    std::vector<model_node> nodes;
    std::vector<model_edge> edges;
    std::optional<average_effect_uncertainty> average_effect;
    /// One or two plain sentences on what kind of evidence the model's numbers rest on, shown wherever
    /// its results are read.
    std::string evidence_summary;
    /// The stage descriptors practices and drivers are rated against; absent when the model has none.
    std::optional<rubric_definition> rubric;
    std::string file;  ///< where it was read from ("<embedded>" for the shipped copy)
};

}  // namespace pathways
