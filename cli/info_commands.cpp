// validate, graph, plugins, describe.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <unordered_set>

#include "commands.hpp"
#include "common/evidence.hpp"
#include "engine/projection.hpp"
#include "engine/scenario_loader.hpp"
#include "engine/schedule.hpp"
#include "engine/simulation.hpp"
#include "graph/graph_export.hpp"
#include "plugin/parameter_check.hpp"
#include "population/schools_csv.hpp"
#include "report/output_files.hpp"
#include "scenario/anchor_reader.hpp"
#include "scenario/graph_syntax.hpp"
#include "scenario/model_reader.hpp"
#include "scenario/observed_reader.hpp"
#include "scenario/parameter_file.hpp"
#include "scenario/references_reader.hpp"
#include "scenario/scenario_reader.hpp"
#include "stats/distributions.hpp"

namespace pathways::cli {
namespace {

/// The checks a run makes before its first draw: which schools each wave selects, the reported
/// subgroups and outcomes, and gaps against the profile's baselines.
void check_prepared_run(const simulation_inputs& inputs, diagnostics& found) {
    const simulation prepared(inputs, found);
    check_gap_baselines(prepared, inputs.spec, found);
}

void check_prepared_run(const loaded_scenario& loaded, diagnostics& found) {
    check_prepared_run({*loaded.graph, loaded.district, loaded.schools, loaded.cells, loaded.spec, *loaded.model},
                       found);
}

bool same_report(const report_settings& a, const report_settings& b) {
    return a.subgroups == b.subgroups && a.outcomes == b.outcomes && a.reference_groups == b.reference_groups;
}

/// Findings already reported for a scenario file (its base or an earlier variant), so that a
/// problem every variant inherits is reported once; a hash set keeps 10,000 variants linear.
class reported_once {
public:
    /// Adds `from` to `found` except findings seen before; `variant` (when not empty) prefixes the new ones.
    void add(const diagnostics& from, const std::string& variant, diagnostics& found) {
        for (diagnostic d : from.items()) {
            const std::string key = d.file + '\n' + std::to_string(d.line) + ':' + std::to_string(d.column) + '\n' +
                                    d.pointer + '\n' + d.message;
            if (!seen_.insert(key).second) continue;
            if (!variant.empty()) d.message = "in variant '" + variant + "': " + d.message;
            found.add(std::move(d));
        }
    }

private:
    std::unordered_set<std::string> seen_;
};

/// District, schools, population and model graph loaded once per pair of district and model files
/// the scenario's variants name; nullopt for a pair that failed to load (its errors are reported once).
using loaded_inputs = std::map<std::pair<std::filesystem::path, std::filesystem::path>, std::optional<loaded_scenario>>;

/// Checks one variant, rebuilding only what it changes: a variant on the same district and model
/// file is checked against what was loaded for them, and its waves against the schools alone
/// unless it changes what is reported.
void check_variant(scenario spec, loaded_inputs& loaded, const plugin_registry& registry, diagnostics& found) {
    const auto key = std::pair{spec.district_path, spec.model_path};
    const auto known = loaded.find(key);
    if (known == loaded.end()) {
        auto& fresh = loaded[key];
        fresh = load_scenario(std::move(spec), registry, {}, found);
        if (fresh) check_prepared_run(*fresh, found);
        return;
    }
    if (!known->second) return;
    const loaded_scenario& base = *known->second;
    const model_handle* model = check_scenario_on(spec, base, registry, found);
    if (model == nullptr) return;
    if (same_report(spec.report, base.spec.report) && model == base.model) {
        const implementation_schedule waves(*base.graph, base.district, base.schools, spec, found);
        return;
    }
    check_prepared_run({*base.graph, base.district, base.schools, base.cells, spec, *model}, found);
}

/// A scenario is valid when its base and every variant load, their waves select schools and
/// their gaps have baselines. The file is parsed once and each variant merged onto it.
void validate_scenario(const std::string& path, const plugin_registry& registry, diagnostics& found) {
    const auto file = scenario_file::parse(path, found);
    if (!file) return;
    reported_once reported;
    loaded_inputs loaded;
    diagnostics base_found;
    if (auto base = file->read("base", {}, base_found)) check_variant(std::move(*base), loaded, registry, base_found);
    reported.add(base_found, "", found);
    for (const std::string& variant : file->variant_names()) {
        diagnostics variant_found;
        if (auto spec = file->read(variant, {}, variant_found))
            check_variant(std::move(*spec), loaded, registry, variant_found);
        reported.add(variant_found, variant, found);
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
    for (const parameter_value& value : parameters->parameters)
        check_parameter(*model, value.name, value.value, value.where, found);
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
                if (const auto district = read_district(file, found)) check_district_schools(*district, found);
                break;
            case input_file_kind::references: read_references_file(file, found); break;
            case input_file_kind::scenario: validate_scenario(file, registry, found); break;
            case input_file_kind::anchors: read_anchors_file(file, found); break;
            case input_file_kind::parameters: validate_parameter_file(file, registry, found); break;
            case input_file_kind::json_schema: found.error(file, 0, 0, "", json_schema_message(file)); break;
            case input_file_kind::schools_csv:
                // An observed-data CSV is checked against its scenario by monitor and calibrate --observed;
                // on its own, everything but its outcomes and years.
                if (is_observed_csv(file)) read_observed_csv(file, observed_context{"", {}, 0, 0, false}, found);
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
                             : options.format == "json"    ? to_json(*graph)
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
    return exit_ok;
}

}  // namespace pathways::cli
