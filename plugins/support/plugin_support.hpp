#pragma once
// Input checks and node classification shared by the bundled effect models. Header-only and
// std-only, so each plugin stays a self-contained MODULE that links the SDK alone; the models'
// own math lives in their .cpp files.

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "pathways/sdk/effect_model.hpp"

namespace pathways::plugins {

// Slot of a declared parameter, resolved at compile time: a misspelt name fails the build
// instead of reading the wrong value at run time.
consteval std::size_t parameter_slot(std::span<const sdk::parameter_spec> specs, std::string_view name) {
    const int index = sdk::parameter_index(specs, name);
    if (index < 0) throw std::logic_error("undeclared parameter");
    return static_cast<std::size_t>(index);
}

template <class T>
void require_cell_count(std::span<const T> values, std::size_t cells, std::string_view what) {
    if (values.size() != cells) {
        throw std::runtime_error(std::string(what) + " has " + std::to_string(values.size()) + " values for " +
                                 std::to_string(cells) + " cells");
    }
}

// A per-draw series must point somewhere; the host lays it out, so only a missing one is checked.
inline void require_block(const sdk::block_values& values, std::string_view what) {
    if (values.data == nullptr) throw std::runtime_error(std::string(what) + " is missing");
}

inline std::string format_number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

// The host validates scenario values before drawing, but a model must never compute with a
// value it did not declare (a phase-in time of 0 divides by zero), so the check is repeated here,
// for every draw of the block.
inline void require_parameters(const sdk::evaluation& e, std::span<const sdk::parameter_spec> specs) {
    if (e.parameters.size() != specs.size() * e.draw_count) {
        throw std::runtime_error("expected " + std::to_string(specs.size()) + " parameters for each of " +
                                 std::to_string(e.draw_count) + " draws, got " + std::to_string(e.parameters.size()) +
                                 " values");
    }
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const sdk::parameter_spec& spec = specs[i];
        for (const double value : e.parameter(i)) {
            if (!(value >= spec.min && value <= spec.max)) {
                throw std::runtime_error("parameter '" + std::string(spec.name) + "' is " + format_number(value) +
                                         "; expected a value in [" + format_number(spec.min) + ", " +
                                         format_number(spec.max) + "]");
            }
            if (spec.type != sdk::parameter_type::real && value != std::floor(value)) {
                throw std::runtime_error("parameter '" + std::string(spec.name) + "' is " + format_number(value) +
                                         "; expected a whole number");
            }
        }
    }
}

// Checks everything every model reads: the block's shape, parameters, the node's own series and
// each parent's weights, series and baseline values. Returns the number of cells in the tile.
inline std::size_t checked_cell_count(const sdk::evaluation& e, std::span<const sdk::parameter_spec> specs) {
    const std::size_t cells = e.cell_count;
    if (cells > sdk::max_tile_cells) {
        throw std::runtime_error("a tile of " + std::to_string(cells) + " cells; expected at most " +
                                 std::to_string(sdk::max_tile_cells));
    }
    require_parameters(e, specs);
    require_cell_count(e.pl_school_count, e.draw_count, "pl_school_count");
    if (e.out.data == nullptr || (e.draw_count > 1 && e.out.draw_stride < cells)) {
        throw std::runtime_error("the output block is missing or its rows overlap");
    }
    require_block(e.previous, "node's previous");
    require_cell_count(e.initial, cells, "node's initial");
    for (const sdk::parent_values& parent : e.parents) {
        // The parent's name is spelt out only on failure: this runs on every evaluation.
        if (parent.weight.size() == e.draw_count && parent.current.data != nullptr && parent.initial.size() == cells)
            continue;
        const std::string name = "parent '" + std::string(parent.id) + "'";
        require_cell_count(parent.weight, e.draw_count, name + " weight");
        require_block(parent.current, name + " current");
        require_cell_count(parent.initial, cells, name + " initial");
    }
    return cells;
}

// Cell attributes for the models that read them; each model then checks the spans it uses.
inline const sdk::cell_attributes& required_cells(const sdk::evaluation& e) {
    if (e.cells == nullptr) throw std::runtime_error("cell attributes are missing");
    return *e.cells;
}

// Weighted change since baseline of the parents whose kind `keep` accepts, for one draw over the
// tile (as sdk::weighted_change_since_baseline): the part of the SDK's dose that a model treats
// differently (a gate on drivers, a multiplier on PL practice).
template <class Keep>
PATHWAYS_SDK_INLINE void weighted_change_from(const sdk::evaluation& e, std::size_t draw, Keep keep, double* dose) {
    sdk::detail::weighted_change(e, draw, dose, keep);
}

// Achievement by subject is a level that carries over from year to year; the other academic
// outcomes (growth, acceleration) are rates, so they respond to this year's dose only.
inline bool is_achievement(const sdk::evaluation& e) { return e.accumulates; }

/// The knob `pathways calibrate` solves for in the models whose effect it scales: a factor on the share
/// of every node's dose that comes straight from PL practice (drivers and foundational practices).
/// `fitted` is the value `pathways calibrate --anchors all` found for the model at its other defaults.
constexpr sdk::parameter_spec practice_scale_spec(double fitted) {
    return {.name = "practice_scale",
            .type = sdk::parameter_type::real,
            .unit = "ratio",
            .default_value = fitted,
            .min = 0.0,
            .max = 5.0,
            .uncertainty = {.kind = sdk::prior_kind::fixed, .a = fitted},
            .description =
                "multiplies the change PL practice causes where it enters the graph; 1 applies the edge "
                "weights as given; `pathways calibrate` solves for it",
            .source =
                "A calibration knob (an assumption): the default is fitted to every anchor at once (Pane et al. "
                "2017, Informing Progress; Pane et al. 2015, Continued Progress; the null studies; Ready et al. "
                "2019, Teach to One i3) by pathways calibrate --anchors all",
            .evidence = "A"};
}

/// Drivers and foundational practices: the nodes whose change is PL practice itself.
constexpr bool is_practice(sdk::node_kind kind) {
    return kind == sdk::node_kind::primary_driver || kind == sdk::node_kind::secondary_driver ||
           kind == sdk::node_kind::foundational_practice;
}

}  // namespace pathways::plugins
