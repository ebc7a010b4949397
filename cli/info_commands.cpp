// validate, graph, plugins, describe.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "command_options.hpp"
#include "command_registry.hpp"
#include "commands.hpp"
#include "common/evidence.hpp"
#include "engine/projection.hpp"
#include "engine/scenario_loader.hpp"
#include "graph/graph_export.hpp"
#include "plugin/parameter_check.hpp"
#include "population/schools_csv.hpp"
#include "report/evidence_caveat.hpp"
#include "report/output_files.hpp"
#include "run/validate_scenario.hpp"
#include "scenario/anchor_reader.hpp"
#include "scenario/graph_syntax.hpp"
#include "scenario/model_reader.hpp"
#include "scenario/model_writer.hpp"
#include "scenario/observed_reader.hpp"
#include "scenario/parameter_file.hpp"
#include "scenario/ratings_reader.hpp"
#include "scenario/references_reader.hpp"
#include "scenario/scenario_reader.hpp"
#include "stats/distributions.hpp"

namespace pathways::cli {
namespace {

/// A parameter file: its format, and its values against the model it names when that model is installed.
void validate_parameter_file(const std::string& file, const plugin_registry& registry, diagnostics& found) {
    const auto parameters = read_parameter_file(file, found);
    if (!parameters) return;
    const model_handle* model = registry.find(parameters->model);
    if (model == nullptr) {
        const source_location& at = parameters->model_where;
        found.error(at.file, at.line, at.column, at.pointer, registry.unknown_model_message(parameters->model));
        return;
    }
    for (const parameter_value& value : parameters->parameters)
        check_parameter(*model, value.name, value.value, value.where, found);
}

/// A ratings or goals CSV is checked against its district by the scenario or monitor that names it; on its
/// own, against the embedded model's rubric, any school and with or without raters.
void validate_ratings_alone(const std::string& file, diagnostics& found) {
    const auto graph = load_model_graph({}, found);
    if (!graph) return;
    ratings_context context;
    context.model = &graph->definition();
    context.schools_known = false;
    context.rater_required = false;
    read_ratings_csv(file, context, found);
}

}  // namespace

plugin_registry load_plugins(const plugin_options& options) {
    load_options load;
    diagnostics missing;
    for (const std::string& dir : options.plugin_dirs) {
        std::error_code error;
        if (!std::filesystem::is_directory(dir, error)) {
            missing.error("<command line>", 0, 0, "",
                          "--plugin-dir '" + dir +
                              "' does not exist or is not a folder; expected a folder of "
                              "libpathways_*.so plugins");
        }
        load.plugin_dirs.emplace_back(dir);
    }
    // A mistyped folder would otherwise silently run with other plugins than the user meant.
    if (missing.has_errors()) throw input_error(missing);
    load.allow_untrusted = options.allow_untrusted;
    diagnostics problems;
    plugin_registry registry = plugin_registry::discover(load, problems);
    for (diagnostic d : problems.items()) {
        d.level = severity::warning;
        std::cerr << format_diagnostic(d) << '\n';
    }
    return registry;
}

int validate_command(const validate_options& options, const plugin_options& plugins) {
    const plugin_registry registry = load_plugins(plugins);
    diagnostics found;
    for (const std::string& file : options.files) {
        switch (detect_file_kind(file)) {
            case input_file_kind::model: load_model_graph(file, found); break;
            case input_file_kind::district:
                if (const auto district = read_district(file, found)) check_district_alone(*district, found);
                break;
            case input_file_kind::references: read_references_file(file, found); break;
            case input_file_kind::scenario:
                if (const auto scenario = scenario_file::parse(file, found))
                    validate_scenario(*scenario, registry, found);
                break;
            case input_file_kind::anchors: read_anchors_file(file, found); break;
            case input_file_kind::parameters: validate_parameter_file(file, registry, found); break;
            case input_file_kind::json_schema: found.error(file, 0, 0, "", json_schema_message(file)); break;
            case input_file_kind::schools_csv:
                // An observed-data CSV is checked against its scenario by monitor and calibrate --observed;
                // on its own, everything but its outcomes and years.
                if (is_observed_csv(file)) read_observed_csv(file, observed_context{"", {}, 0, 0, false}, found);
                else if (is_ratings_csv(file)) validate_ratings_alone(file, found);
                else read_schools_csv(file, found);
                break;
        }
    }
    const bool failed = found.has_errors();
    print_diagnostics(found, options.format);
    if (!failed && options.format == diagnostic_format::text) {
        std::cout << options.files.size() << (options.files.size() == 1 ? " file" : " files") << " valid\n";
    }
    return failed ? exit_invalid_input : exit_ok;
}

int graph_command(const graph_options& options) {
    diagnostics found;
    const auto graph = load_model_graph(options.model_file, found);
    if (!graph) throw input_error(found);
    if (!found.items().empty()) print_diagnostics(found, diagnostic_format::text);  // notes on an imported graph
    const model_definition& model = graph->definition();
    const std::string text = options.format == "mermaid"   ? to_mermaid(*graph)
                             : options.format == "json"    ? model_export_json(model)
                             : options.format == "lavaan"  ? to_lavaan(model)
                             : options.format == "dagitty" ? to_dagitty(model)
                                                           : to_dot(*graph);
    if (options.output.empty()) std::cout << text;
    else write_file_atomically(options.output, text, true);
    return exit_ok;
}

int plugins_command(const plugin_options& plugins) {
    const plugin_registry registry = load_plugins(plugins);
    std::printf("%-12s %-8s %-4s %-40s %s\n", "NAME", "VERSION", "ABI", "FILE", "DESCRIPTION");
    for (const model_handle& model : registry.models()) {
        std::printf("%-12s %-8s %-4u %-40s %s\n", model.name.c_str(), model.version.c_str(), sdk::abi_version,
                    model.file.c_str(), model.description.c_str());
    }
    if (registry.models().empty()) std::cerr << registry.unknown_model_message("") << '\n';
    return registry.models().empty() ? exit_invalid_input : exit_ok;
}

int describe_command(const std::string& name, const plugin_options& plugins) {
    const plugin_registry registry = load_plugins(plugins);
    const model_handle* model = registry.find(name);
    if (model == nullptr) {
        std::cerr << "pathways: error: " << registry.unknown_model_message(name) << '\n';
        return exit_invalid_input;
    }
    std::cout << model->name << " " << model->version << " — " << model->description << "\n"
              << "file: " << model->file << "\n\n";
    for (const parameter_info& p : model->parameters) {
        std::cout << p.name << " [" << p.unit << "]\n"
                  << "  default " << p.default_value << ", range [" << p.min << ", " << p.max << "], prior "
                  << stats::prior_text(p.uncertainty) << "\n"
                  << "  " << p.description << "\n"
                  << "  source (evidence " << p.evidence << "): " << p.source << "\n";
    }
    if (model->parameters.empty()) std::cout << "(no parameters)\n";
    else std::cout << "\n" << evidence_legend() << "\nFull citations: pathways sources\n";
    diagnostics found;
    if (const auto graph = load_model_graph("", found)) {
        std::cout << "\nWhat the shipped theory of change's numbers rest on: "
                  << evidence_caveat_text(graph->definition()) << "\n";
    }
    return exit_ok;
}

namespace {

const command_registration validate_registration{{
    .order = 10,
    .name = "validate",
    .description = "Check scenario, model and district files; report every error",
    .examples = "pathways validate scenarios/denver-scale-up.json\n"
                "  pathways validate --format json scenarios/*.json scenarios/districts/*.json",
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<validate_options>();
        auto format = std::make_shared<std::string>("text");
        auto plugins = std::make_shared<plugin_options>();
        command.add_option("files", options->files, "Files to check")->required();
        command.add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
        add_plugin_options(command, *plugins);
        return [options, format, plugins](int, char**) {
            options->format = *format == "json" ? diagnostic_format::json : diagnostic_format::text;
            return unless_interrupted(validate_command(*options, *plugins));
        };
    },
}};

const command_registration graph_registration{{
    .order = 20,
    .name = "graph",
    .description = "Print the theory-of-change graph",
    .examples = "pathways graph --format mermaid\n  pathways graph -o model.dot\n"
                "  pathways graph --format lavaan -o dps.lav\n  pathways effects --model dps.lav",
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<graph_options>();
        command.add_option("--model", options->model_file,
                           "Model file: JSON, lavaan (.lav) or DAGitty (.dag); default: the embedded DPS model");
        command.add_option("--format", options->format, "dot, mermaid, json, lavaan or dagitty")
            ->check(CLI::IsMember({"dot", "mermaid", "json", "lavaan", "dagitty"}));
        command.add_option("-o,--output", options->output, "Write to a file instead of stdout");
        return [options](int, char**) { return graph_command(*options); };
    },
}};

const command_registration plugins_registration{{
    .order = 30,
    .name = "plugins",
    .description = "List the effect models found on the plugin search path",
    .examples = "pathways plugins\n  pathways plugins --plugin-dir my-models/build",
    .declare = [](CLI::App& command) -> command_action {
        auto plugins = std::make_shared<plugin_options>();
        add_plugin_options(command, *plugins);
        return [plugins](int, char**) { return unless_interrupted(plugins_command(*plugins)); };
    },
}};

const command_registration describe_registration{{
    .order = 40,
    .name = "describe",
    .description = "Show an effect model's parameters, defaults, priors and sources",
    .examples = "pathways describe lagged",
    .declare = [](CLI::App& command) -> command_action {
        auto model = std::make_shared<std::string>();
        auto plugins = std::make_shared<plugin_options>();
        command.add_option("model", *model, "Effect model name")->required();
        add_plugin_options(command, *plugins);
        return [model, plugins](int, char**) { return unless_interrupted(describe_command(*model, *plugins)); };
    },
}};

}  // namespace

}  // namespace pathways::cli
