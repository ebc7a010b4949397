#include "scenario/parameter_file.hpp"

#include <nlohmann/json.hpp>

#include "scenario/json_checks.hpp"
#include "scenario/json_reader.hpp"

namespace pathways {
namespace {

using json::object_reader;

source_location location_of(const json::document& doc, const std::string& pointer) {
    const json::location where = doc.where(pointer);
    return {doc.file, where.line, where.column, pointer};
}

void read_format(object_reader& root) {
    const auto format = root.required_integer("pathways_parameters");
    if (format && *format != parameter_file_format) {
        root.error_at("pathways_parameters", "parameter file format " + std::to_string(*format) +
                                                 " is not supported; expected " +
                                                 std::to_string(parameter_file_format));
    }
}

void read_values(object_reader& root, parameter_file& file) {
    object_reader values = root.child("parameters");
    if (!values.valid()) return;
    const std::vector<std::string> names = values.members();
    if (names.empty()) values.error("no parameters; expected at least one \"name\": number");
    for (const std::string& name : names) {
        const nlohmann::json* value = values.optional_value(name);
        if (value == nullptr) continue;
        const std::string pointer = values.pointer_of(name);
        if (const auto number = json::read_number(values.doc(), *value, pointer, values.out())) {
            file.parameters.push_back({name, *number, location_of(values.doc(), pointer)});
        }
    }
}

std::string optional_text(object_reader& reader, std::string_view key) {
    return reader.optional_string(key).value_or("");
}

void read_provenance(object_reader& root, parameter_file& file) {
    auto provenance = root.optional_child("provenance");
    if (!provenance || !provenance->valid()) return;
    parameter_provenance& p = file.provenance;
    p.anchor = optional_text(*provenance, "anchor");
    p.reference = optional_text(*provenance, "reference");
    p.outcome = optional_text(*provenance, "outcome");
    p.target_effect = provenance->optional_number("target_effect");
    p.achieved_effect = provenance->optional_number("achieved_effect");
    p.scenario = optional_text(*provenance, "scenario");
    p.pathways_version = optional_text(*provenance, "pathways_version");
}

std::string quoted(const std::string& text) { return nlohmann::json(text).dump(); }

}  // namespace

std::optional<parameter_file> read_parameter_file(const std::filesystem::path& path, diagnostics& out) {
    diagnostics found;
    const auto doc = json::parse_file(path, found);
    if (!doc) {
        out.append(found);
        return std::nullopt;
    }
    parameter_file file;
    {
        object_reader root(*doc, "", found);
        read_format(root);
        if (const auto model = root.required_string("model")) {
            file.model = *model;
            file.model_where = location_of(*doc, "/model");
        }
        read_values(root, file);
        read_provenance(root, file);
    }
    const bool failed = found.has_errors() || doc->has_errors;
    out.append(found);
    if (failed) return std::nullopt;
    return file;
}

std::string parameter_file_json(const parameter_file& file) {
    std::string out = "{\n  \"pathways_parameters\": " + std::to_string(parameter_file_format) +
                      ",\n  \"model\": " + quoted(file.model) + ",\n  \"parameters\": {";
    for (std::size_t i = 0; i < file.parameters.size(); ++i) {
        out += (i ? ", " : "") + quoted(file.parameters[i].name) + ": " + json::format_number(file.parameters[i].value);
    }
    const parameter_provenance& p = file.provenance;
    out += "},\n  \"provenance\": {\n    \"anchor\": " + quoted(p.anchor) +
           ",\n    \"reference\": " + quoted(p.reference) + ",\n    \"outcome\": " + quoted(p.outcome);
    if (p.target_effect) out += ",\n    \"target_effect\": " + json::format_number(*p.target_effect);
    if (p.achieved_effect) out += ",\n    \"achieved_effect\": " + json::format_number(*p.achieved_effect);
    out += ",\n    \"scenario\": " + quoted(p.scenario) + ",\n    \"pathways_version\": " + quoted(p.pathways_version) +
           "\n  }\n}\n";
    return out;
}

}  // namespace pathways
