#pragma once
// A district small enough to compute by hand, shared by the engine, sweep and sensitivity tests:
// one school of two cells (10 Hispanic FRL students, 30 white non-FRL), a two-year plan that moves
// every practice and driver from 1 to 3 at once, and the shipped plugins.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/simulation.hpp"
#include "plugin/registry.hpp"

namespace pathways::test {

/// A model edge of weight `w`; its prior is fixed at `w` unless one is given.
inline model_edge make_edge(std::string from, std::string to, edge_role role, double w,
                            std::optional<sdk::prior> prior = std::nullopt) {
    model_edge e;
    e.from = std::move(from);
    e.to = std::move(to);
    e.role = role;
    e.weight = w;
    e.range_low = e.range_high = w;
    e.uncertainty = prior.value_or(sdk::prior{sdk::prior_kind::fixed, w, 0, 0, 0});
    e.source = "test";
    e.evidence = "A";
    return e;
}

/// One secondary driver D (with its primary driver P), a student outcome O and achievement A:
/// D → O (0.5) → A (0.2).
inline model_definition tiny_model() {
    model_definition m;
    m.id = "tiny";
    m.file = "tiny.json";
    m.nodes = {{"p", "P", node_kind::primary_driver, "level 0-3", "", "", "", {}},
               {"p.d", "D", node_kind::secondary_driver, "level 0-3", "p", "", "", {}},
               {"o", "O", node_kind::student_outcome, "SD", "", "", "", {}},
               {"academic.achievement.math", "A", node_kind::academic_outcome, "SD", "", "", "", {}}};
    m.nodes[3].roles = {"achievement", "headline"};
    m.nodes[3].subject = "math";
    m.edges = {make_edge("p.d", "p", edge_role::composition, 1.0), make_edge("p.d", "o", edge_role::effect, 0.5),
               make_edge("o", "academic.achievement.math", edge_role::effect, 0.2)};
    return m;
}

inline plugin_registry shipped_plugins() {
    load_options options;
    options.plugin_dirs = {PATHWAYS_PLUGIN_BUILD_DIR};
    options.use_environment = false;
    options.use_executable_dir = false;
    diagnostics found;
    return plugin_registry::discover(options, found);
}

struct engine_fixture {
    model_graph graph;
    district_profile district;
    std::vector<school> schools;
    population_cells cells;
    scenario spec;
    plugin_registry registry;

    static model_graph build_graph(model_definition model) {
        diagnostics found;
        auto g = model_graph::build(std::move(model), found);
        REQUIRE(g);
        return std::move(*g);
    }

    explicit engine_fixture(model_definition model = tiny_model())
        : graph(build_graph(std::move(model))), registry(shipped_plugins()) {
        district.file = "district.json";
        district.starting_levels = {{"*", 1.0, {}}};
        school s;
        s.id = "s1";
        s.enrollment = 40;
        schools = {s};
        cells.school = {0, 0};
        cells.race = {static_cast<std::uint8_t>(sdk::race::hispanic), static_cast<std::uint8_t>(sdk::race::white)};
        cells.ell = {0, 0};
        cells.frl = {1, 0};
        cells.sped = {0, 0};
        cells.grade_band = {0, 0};
        cells.students = {10, 30};
        spec.name = "tiny";
        spec.file = "tiny-scenario.json";
        spec.start_year = 2020;
        spec.years = 2;
        spec.plan.ramp.instant = true;
        spec.plan.waves = {{"all", 2020, {{"s1"}, "", {}, {}, std::nullopt, 0}, {{"*", 3.0, {}}}, {}}};
        spec.report.subgroups = {"all", "race:white", "race:hispanic"};
        spec.report.outcomes = {"o", "academic.achievement.math"};
    }
};

}  // namespace pathways::test
