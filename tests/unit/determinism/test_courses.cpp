// The engine's shortcuts give the runs they stand for, bit for bit: the sustained course of a cut
// draw forks from the course with the cut at the cut year, and the cells of schools the plan never
// reaches have business-as-usual values in the scenario.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "engine/projection.hpp"
#include "engine/scenario_loader.hpp"
#include "plugin/registry.hpp"

namespace {

using namespace pathways;

struct denver {
    diagnostics found;
    plugin_registry plugins =
        plugin_registry::discover(load_options{{PATHWAYS_PLUGIN_BUILD_DIR}, false, false, false}, found);
    std::optional<loaded_scenario> loaded =
        load_scenario(std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-scale-up.json", "base", plugins,
                      scenario_overrides{}, found);
};

std::size_t subgroup_index(const simulation& sim, const std::string& name) {
    for (std::size_t g = 0; g < sim.subgroups().size(); ++g) {
        if (sim.subgroups()[g].group.name == name) return g;
    }
    FAIL("no subgroup " << name);
    return 0;
}

}  // namespace

TEST_CASE("a cut draw's sustained course is its scenario run without the cut", "[determinism][engine]") {
    denver d;
    REQUIRE(d.loaded);
    const loaded_scenario& l = *d.loaded;
    const simulation sim({*l.graph, l.district, l.schools, l.cells, l.spec, *l.model}, d.found);
    REQUIRE_FALSE(d.found.has_errors());
    std::uint64_t draw = 0;
    while (!sim.sample_parameters(l.spec.seed, draw).cut_year) ++draw;  // 15% a year from 2020: a few draws in
    const draw_parameters parameters = sim.sample_parameters(l.spec.seed, draw);
    draw_result both;
    run_aggregates sustained;
    REQUIRE(sim.run(parameters, both, &sustained));

    draw_parameters never_cut = parameters;
    never_cut.cut_year.reset();
    draw_result alone;
    run_aggregates not_needed;
    CHECK_FALSE(sim.run(never_cut, alone, &not_needed));  // no cut: nothing to fork
    CHECK(sustained.levels == alone.scenario.levels);
    CHECK(sustained.proficient == alone.scenario.proficient);
    CHECK(sustained.pl_schools == alone.scenario.pl_schools);
    CHECK(both.business_as_usual.levels == alone.business_as_usual.levels);

    // Before the cut both courses are one run; from the cut year on they part.
    const std::size_t per_year = sim.subgroups().size() * sim.outcomes().size();
    const auto fork = static_cast<std::size_t>(*parameters.cut_year - l.spec.start_year) * per_year;
    REQUIRE(fork > 0);
    CHECK(std::equal(both.scenario.levels.begin(), both.scenario.levels.begin() + static_cast<std::ptrdiff_t>(fork),
                     sustained.levels.begin()));
    CHECK(both.scenario.levels != sustained.levels);
}

TEST_CASE("schools the plan never reaches keep business-as-usual means in the scenario", "[determinism][engine]") {
    denver d;
    REQUIRE(d.loaded);
    const loaded_scenario& l = *d.loaded;
    const simulation sim({*l.graph, l.district, l.schools, l.cells, l.spec, *l.model}, d.found);
    REQUIRE_FALSE(d.found.has_errors());
    draw_result result;
    sim.run(sim.central_parameters(), result);  // no cut: the reached schools still run PL at the end
    // In the final year "pl:no" holds exactly the cells no wave reaches; "pl:yes" those it does.
    const int last = sim.years() - 1;
    const std::size_t outcomes = sim.outcomes().size();
    const auto at = [&](std::size_t g, std::size_t o) {
        return (static_cast<std::size_t>(last) * sim.subgroups().size() + g) * outcomes + o;
    };
    const std::size_t never = subgroup_index(sim, "pl:no");
    const std::size_t reached = subgroup_index(sim, "pl:yes");
    REQUIRE(sim.subgroups()[never].students_in(last) > 0.0);
    for (std::size_t o = 0; o < outcomes; ++o) {
        INFO(sim.outcomes()[o].id);
        CHECK(result.scenario.levels[at(never, o)] == result.business_as_usual.levels[at(never, o)]);
    }
    CHECK(result.scenario.levels[at(reached, 0)] != result.business_as_usual.levels[at(reached, 0)]);
}
