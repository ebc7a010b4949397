#include "parameter_settings.hpp"

#include <algorithm>
#include <cstdlib>

#include "scenario/model_reader.hpp"
#include "scenario/parameter_file.hpp"

namespace pathways::cli {
namespace {

constexpr const char* command_line = "<command line>";

/// `[MODEL:]NAME=NUMBER`; nullopt (with an error) when malformed.
std::optional<parameter_setting> parse_setting(const std::string& text, diagnostics& found) {
    const auto equals = text.find('=');
    const std::string target = text.substr(0, equals);
    const auto colon = target.find(':');
    const std::string value_text = equals == std::string::npos ? "" : text.substr(equals + 1);
    char* end = nullptr;
    const double value = std::strtod(value_text.c_str(), &end);
    const bool empty_part = target.empty() || colon == 0 || (colon != std::string::npos && colon + 1 == target.size());
    if (equals == std::string::npos || empty_part || value_text.empty() || *end != '\0') {
        found.error(command_line, 0, 0, "",
                    "--set '" + text + "' is malformed; expected NAME=NUMBER or MODEL:NAME=NUMBER");
        return std::nullopt;
    }
    parameter_setting setting;
    if (colon != std::string::npos) setting.model = target.substr(0, colon);
    setting.name = colon == std::string::npos ? target : target.substr(colon + 1);
    setting.value = value;
    setting.where = {command_line, 0, 0, "--set " + target};
    return setting;
}

}  // namespace

std::vector<parameter_setting> read_settings(const parameter_options& options) {
    std::vector<parameter_setting> settings;
    diagnostics found;
    for (const std::string& path : options.set_files) {
        const auto file = read_parameter_file(path, found);
        if (!file) continue;
        for (const parameter_value& value : file->parameters) {
            settings.push_back({file->model, value.name, value.value, value.where});
        }
    }
    for (const std::string& text : options.set) {
        if (auto setting = parse_setting(text, found)) settings.push_back(std::move(*setting));
    }
    if (found.has_errors()) throw input_error(found);
    return settings;
}

void add_priors(const parameter_options& options, run_request& request, joint_posterior use) {
    diagnostics found;
    for (const std::string& path : options.set_files) {
        if (const auto file = read_parameter_file(path, found)) add_priors_of(*file, request, found, use);
    }
    if (found.has_errors()) throw input_error(found);
}

void check_settings_apply(const std::vector<parameter_setting>& settings,
                          const std::vector<const model_handle*>& models) {
    diagnostics found;
    std::string names;
    for (const model_handle* model : models) names += (names.empty() ? "" : ", ") + model->name;
    for (const parameter_setting& setting : settings) {
        const auto named = [&](const model_handle* model) { return model->name == setting.model; };
        const auto declares = [&](const model_handle* model) { return model->find_parameter(setting.name) != nullptr; };
        // A setting for one compared model is checked when that model loads (with a did-you-mean).
        if (!setting.model.empty() && std::any_of(models.begin(), models.end(), named)) continue;
        if (setting.model.empty() && std::any_of(models.begin(), models.end(), declares)) continue;
        const std::string message = setting.model.empty()
                                        ? "no compared effect model declares parameter '" + setting.name +
                                              "'; the models are " + names + " (see pathways describe MODEL)"
                                        : "parameter '" + setting.name + "' is for effect model '" + setting.model +
                                              "', which is not compared; expected one of " + names;
        found.error(setting.where.file, setting.where.line, setting.where.column, setting.where.pointer, message);
    }
    if (found.has_errors()) throw input_error(found);
}

std::optional<std::filesystem::path> model_file_of(const parameter_options& options, diagnostics& found) {
    if (!options.model_file) return std::nullopt;
    const std::string& file = *options.model_file;
    if (is_model_file_name(file)) return std::filesystem::path(file);
    found.error("<command line>", 0, 0, "",
                "--model: '" + file +
                    "' is not a model file; expected a theory of change ending in .json, .lav, .lavaan, .dag or "
                    ".dagitty (the effect model is now --effect-model, e.g. --effect-model " +
                    file + ")");
    return std::nullopt;
}

void apply_model_file(const parameter_options& options, run_request& request, diagnostics& found) {
    if (const auto file = model_file_of(options, found)) request.inputs.model = *file;
}

}  // namespace pathways::cli
