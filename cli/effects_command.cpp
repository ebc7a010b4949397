// effects: direct, indirect and total effects of each practice and driver on each outcome, and the
// strongest paths that carry them.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include "command_options.hpp"
#include "command_registry.hpp"
#include "common/csv.hpp"
#include "common/text_format.hpp"
#include "engine/effects.hpp"
#include "report/projection_writer.hpp"
#include "report_command.hpp"
#include "run/execute.hpp"
#include "scenario/json_writer.hpp"
#include "scenario/results_writer.hpp"

namespace pathways::cli {
namespace {

constexpr std::size_t paths_per_pair = 3;

std::string method_text(const effects_table& table) {
    return table.method == effects_method::linear_algebra
               ? "linear: total = (I - B)^-1 - I over effect and composition edges"
               : "finite differences: central, step 0.25 level points, through the engine";
}

std::string value_text(double value) { return std::isfinite(value) ? format_value(value) : ""; }

void print_table(const model_graph& graph, const effects_table& table) {
    const auto& nodes = graph.definition().nodes;
    std::printf("Effects of each practice and driver on each outcome (%s)\nunit: %s\nmethod: %s\n\n",
                graph.definition().id.c_str(), table.unit.c_str(), method_text(table).c_str());
    std::printf("%-48s %-30s %10s %10s %10s\n", "FROM", "TO", "DIRECT", "INDIRECT", "TOTAL");
    for (const effect_entry& e : table.entries) {
        if (e.total == 0.0 && !(e.direct != 0.0)) continue;  // unreachable pairs, and NaN direct with no total
        std::printf("%-48s %-30s %10s %10s %10s\n", nodes[e.source].id.c_str(), nodes[e.outcome].id.c_str(),
                    std::isfinite(e.direct) ? format_value(e.direct).c_str() : "-",
                    std::isfinite(e.indirect) ? format_value(e.indirect).c_str() : "-", format_value(e.total).c_str());
    }
    std::printf("\nStrongest paths to each outcome (product of link weights)\n");
    path_finder finder(graph);
    for (const std::size_t outcome : table.outcomes) {
        std::vector<ranked_path> all;
        for (const std::size_t source : table.sources) {
            auto paths = finder.strongest(source, outcome, paths_per_pair);
            all.insert(all.end(), paths.begin(), paths.end());
        }
        if (all.empty()) continue;
        std::stable_sort(all.begin(), all.end(), [](const ranked_path& a, const ranked_path& b) {
            return std::abs(a.strength) > std::abs(b.strength);
        });
        std::printf("\n%s\n", nodes[outcome].id.c_str());
        for (std::size_t i = 0; i < std::min<std::size_t>(all.size(), paths_per_pair); ++i) {
            std::printf("  %+.4f  %s\n", all[i].strength, describe_path(graph, all[i]).c_str());
        }
    }
}

void print_csv(const model_graph& graph, const effects_table& table) {
    const auto& nodes = graph.definition().nodes;
    std::cout << "source,outcome,direct,indirect,total,method,strongest_path,path_strength\n";
    path_finder finder(graph);
    for (const effect_entry& e : table.entries) {
        const auto paths = finder.strongest(e.source, e.outcome, 1);
        std::cout << csv_field(nodes[e.source].id) << ',' << csv_field(nodes[e.outcome].id) << ','
                  << value_text(e.direct) << ',' << value_text(e.indirect) << ',' << value_text(e.total) << ','
                  << (table.method == effects_method::linear_algebra ? "linear" : "finite_differences") << ','
                  << (paths.empty() ? "" : csv_field(describe_path(graph, paths.front()))) << ','
                  << (paths.empty() ? "" : format_value(paths.front().strength)) << '\n';
    }
}

void print_json(const model_graph& graph, const effects_table& table) {
    const auto& def = graph.definition();
    path_finder finder(graph);
    json::value::array effects;
    for (const effect_entry& e : table.entries) {
        json::value::array paths;
        for (const auto& path : finder.strongest(e.source, e.outcome, paths_per_pair)) {
            json::value::array nodes{def.edges[path.edges.front()].from};
            for (const std::size_t edge : path.edges) nodes.emplace_back(def.edges[edge].to);
            paths.push_back(json::value().set("nodes", std::move(nodes)).set("strength", as_written(path.strength)));
        }
        effects.push_back(json::value()
                              .set("source", def.nodes[e.source].id)
                              .set("outcome", def.nodes[e.outcome].id)
                              .set("direct", as_written(e.direct))
                              .set("indirect", as_written(e.indirect))
                              .set("total", as_written(e.total))
                              .set("paths", std::move(paths)));
    }
    std::cout << json::to_text(json::value()
                                   .set("model", def.id)
                                   .set("method", method_text(table))
                                   .set("unit", table.unit)
                                   .set("effects", std::move(effects)));
}

}  // namespace

int effects_command(const effects_options& options, const plugin_options& plugins) {
    diagnostics found;
    if (options.format != "table" && options.format != "csv" && options.format != "json") {
        found.error("<command line>", 0, 0, "", "unknown format '" + options.format + "'; expected table, csv or json");
        throw input_error(found);
    }
    if (!options.scenario_file.empty() && !options.model_file.empty()) {
        found.error("<command line>", 0, 0, "",
                    "--model and --scenario both given; expected one (a scenario names its model)");
        throw input_error(found);
    }
    std::optional<plugin_registry> registry;  // declared before `loaded`: models point into its libraries
    std::optional<run_plan> plan;
    const loaded_scenario* loaded = nullptr;
    std::unique_ptr<model_graph> own_graph;
    if (!options.scenario_file.empty()) {
        registry.emplace(load_plugins(plugins));
        run_request request;
        request.scenario_file = options.scenario_file;
        plan = prepare(request, *registry, found);
        if (!plan) throw input_error(found);
        loaded = plan->runs.front().loaded.get();
    } else {
        own_graph = load_model_graph(options.model_file, found);
        if (!own_graph) throw input_error(found);
        if (!found.items().empty()) print_diagnostics(found, diagnostic_format::text);  // notes on an imported graph
    }
    const model_graph& graph = loaded ? *loaded->graph : *own_graph;
    const effects_table table = loaded ? scenario_effects(*loaded, found) : linear_effects(graph);
    if (found.has_errors()) throw input_error(found);
    if (options.format == "csv") print_csv(graph, table);
    else if (options.format == "json") print_json(graph, table);
    else print_table(graph, table);
    return exit_ok;
}

namespace {

const command_registration registration{{
    .order = 100,
    .name = "effects",
    .description = "Direct, indirect and total effects of each practice and driver on each outcome",
    .examples = "pathways effects\n  pathways effects --scenario scenarios/denver-scale-up.json --format csv",
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<effects_options>();
        auto plugins = std::make_shared<plugin_options>();
        command.add_option("--model", options->model_file,
                           "Model file: JSON, lavaan (.lav) or DAGitty (.dag); default: the embedded DPS model");
        command.add_option("--scenario", options->scenario_file, "Scenario: its model, effect model and levels");
        command.add_option("--format", options->format, "table, csv or json")
            ->check(CLI::IsMember({"table", "csv", "json"}));
        add_plugin_options(command, *plugins);
        return [options, plugins](int, char**) { return unless_interrupted(effects_command(*options, *plugins)); };
    },
}};

}  // namespace

}  // namespace pathways::cli
