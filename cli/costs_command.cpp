// costs: the ingredients table of the base plan and every variant, at central prices if sustained.
#include "costs_command.hpp"

#include <iostream>
#include <memory>

#include "command_options.hpp"
#include "command_registry.hpp"
#include "engine/costs.hpp"
#include "engine/scenario_loader.hpp"
#include "report/ingredients_table.hpp"

namespace pathways::cli {
namespace {

labelled_cost_table table_of(const std::string& file, const std::string& variant, const plugin_registry& registry) {
    diagnostics found;
    const auto loaded = load_scenario(file, variant, registry, scenario_overrides{}, found);
    if (!loaded) throw input_error(found);
    labelled_cost_table out{loaded->spec.variant_of(variant),
                            cost_table(*loaded->graph, loaded->district, loaded->schools, loaded->spec, found)};
    if (found.has_errors()) throw input_error(found);
    return out;
}

}  // namespace

int costs_command(const costs_options& options, const plugin_options& plugins) {
    const plugin_registry registry = load_plugins(plugins);
    std::vector<labelled_cost_table> plans{table_of(options.scenario_file, "base", registry)};
    // The base scenario names the variants; each is loaded on its own, as `run --all-variants` does.
    diagnostics found;
    const auto base = load_scenario(options.scenario_file, "base", registry, scenario_overrides{}, found);
    if (!base) throw input_error(found);
    for (const std::string& variant : base->spec.variant_names)
        plans.push_back(table_of(options.scenario_file, variant, registry));
    std::cout << (options.format == "csv" ? ingredients_csv(plans) : ingredients_text(plans));
    return exit_ok;
}

namespace {

const command_registration registration{{
    .order = 190,
    .name = "costs",
    .description = "Show every plan's cost ingredients: quantities, prices, what they follow, present value",
    .examples =
        "pathways costs scenarios/denver-scale-up.json\n  pathways costs scenarios/denver-scale-up.json --format csv",
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<costs_options>();
        auto plugins = std::make_shared<plugin_options>();
        command.add_option("scenario", options->scenario_file, "Scenario file (JSON, format v1)")->required();
        command.add_option("--format", options->format, "text or csv")->check(CLI::IsMember({"text", "csv"}));
        add_plugin_options(command, *plugins);
        return [options, plugins](int, char**) { return unless_interrupted(costs_command(*options, *plugins)); };
    },
}};

}  // namespace

}  // namespace pathways::cli
