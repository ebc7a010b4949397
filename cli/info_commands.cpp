// validate, graph, plugins, describe.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "common/evidence.hpp"
#include "engine/scenario_loader.hpp"
#include "engine/simulation.hpp"
#include "graph/graph_export.hpp"
#include "plugin/parameter_check.hpp"
#include "report/output_files.hpp"
#include "scenario/anchor_reader.hpp"
#include "scenario/parameter_file.hpp"
#include "scenario/model_reader.hpp"
#include "scenario/references_reader.hpp"
#include "scenario/scenario_reader.hpp"

namespace pathways::cli {
namespace {

std::string prior_text(const sdk::prior& p) {
    char buffer[160];
    switch (p.kind) {
        case sdk::prior_kind::fixed: std::snprintf(buffer, sizeof buffer, "fixed"); break;
        case sdk::prior_kind::normal: std::snprintf(buffer, sizeof buffer, "normal(%g, %g)", p.a, p.b); break;
        case sdk::prior_kind::truncated_normal:
            std::snprintf(buffer, sizeof buffer, "normal(%g, %g) in [%g, %g]", p.a, p.b, p.lower, p.upper);
            break;
        case sdk::prior_kind::lognormal: std::snprintf(buffer, sizeof buffer, "lognormal(%g, %g)", p.a, p.b); break;
        case sdk::prior_kind::uniform: std::snprintf(buffer, sizeof buffer, "uniform(%g, %g)", p.lower, p.upper); break;
        case sdk::prior_kind::beta:
            std::snprintf(buffer, sizeof buffer, "beta(%g, %g) on [%g, %g]", p.a, p.b, p.lower, p.upper);
            break;
    }
    return buffer;
}

void check_waves(const std::optional<loaded_scenario>& loaded, diagnostics& found) {
    if (!loaded) return;
    const simulation_inputs inputs{*loaded->graph, loaded->district, loaded->schools, loaded->cells, loaded->spec,
                                   *loaded->model};
    const simulation prepared(inputs, found);
}

/// A scenario is valid when its base and every variant load and their waves select schools.
void validate_scenario(const std::string& file, const plugin_registry& registry, diagnostics& found) {
    const auto base = load_scenario(file, "base", registry, {}, found);
    check_waves(base, found);
    if (!base) return;
    for (const std::string& variant : base->spec.variant_names) {
        diagnostics variant_found;
        check_waves(load_scenario(file, variant, registry, {}, variant_found), variant_found);
        for (diagnostic d : variant_found.items()) {
            // A problem the base already has is reported once, for the base.
            const bool inherited = std::any_of(found.items().begin(), found.items().end(), [&](const diagnostic& seen) {
                return seen.file == d.file && seen.pointer == d.pointer && seen.message == d.message;
            });
            if (inherited) continue;
            d.message = "in variant '" + variant + "': " + d.message;
            found.add(std::move(d));
        }
    }
}

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
    for (const parameter_value& value : parameters->parameters) check_parameter(*model, value.name, value.value, value.where, found);
}

}  // namespace

plugin_registry load_plugins(const plugin_options& options) {
    load_options load;
    diagnostics missing;
    for (const std::string& dir : options.plugin_dirs) {
        std::error_code error;
        if (!std::filesystem::is_directory(dir, error)) {
            missing.error("<command line>", 0, 0, "",
                          "--plugin-dir '" + dir + "' does not exist or is not a folder; expected a folder of "
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
            case input_file_kind::district: read_district(file, found); break;
            case input_file_kind::references: read_references_file(file, found); break;
            case input_file_kind::scenario: validate_scenario(file, registry, found); break;
            case input_file_kind::anchors: read_anchors_file(file, found); break;
            case input_file_kind::parameters: validate_parameter_file(file, registry, found); break;
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
    const std::string text = options.format == "mermaid" ? to_mermaid(*graph)
                             : options.format == "json"  ? to_json(*graph)
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
                  << prior_text(p.uncertainty) << "\n"
                  << "  " << p.description << "\n"
                  << "  source (evidence " << p.evidence << "): " << p.source << "\n";
    }
    if (model->parameters.empty()) std::cout << "(no parameters)\n";
    else std::cout << "\n" << evidence_legend() << "\nFull citations: pathways sources\n";
    return exit_ok;
}

}  // namespace pathways::cli
