#include "scenario/parameter_file.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

#include "scenario/json_checks.hpp"
#include "scenario/json_reader.hpp"
#include "scenario/prior_reader.hpp"
#include "scenario/scenario_reader.hpp"

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

void read_priors(object_reader& root, parameter_file& file) {
    auto priors = root.optional_child("priors");
    if (!priors || !priors->valid()) return;
    const std::vector<std::string> names = priors->members();
    if (names.empty()) {
        priors->error(
            "no priors; expected at least one \"edge:FROM->TO\", \"parameter:NAME\" or \"implementation:FIELD\": "
            "prior");
    }
    for (const std::string& name : names) {
        const std::string pointer = priors->pointer_of(name);
        if (!is_prior_input_name(name)) {
            std::string expected = "\"edge:FROM->TO\", \"parameter:NAME\"";
            for (const std::string_view engine_input : engine_input_names) {
                expected += ", \"" + std::string(engine_input) + "\"";
            }
            priors->error_at_key(name, "'" + name + "' names no uncertain input; expected one of " + expected +
                                           ", as pathways sensitivity names them");
            continue;
        }
        if (const auto prior = json::read_prior(priors->doc(), pointer, priors->out())) {
            file.priors.push_back({name, *prior, location_of(priors->doc(), pointer)});
        }
    }
}

void read_values(object_reader& root, parameter_file& file) {
    object_reader values = root.child("parameters");
    if (!values.valid()) return;
    const std::vector<std::string> names = values.members();
    if (names.empty() && file.priors.empty()) {
        values.error("no parameters; expected at least one \"name\": number (or a \"priors\" object)");
    }
    for (const std::string& name : names) {
        const nlohmann::json* value = values.optional_value(name);
        if (value == nullptr) continue;
        const std::string pointer = values.pointer_of(name);
        if (const auto number = json::read_number(values.doc(), *value, pointer, values.out())) {
            file.parameters.push_back({name, *number, location_of(values.doc(), pointer)});
        }
    }
}

/// The weights: at least two, each finite and non-negative, summing to 1 within rounding.
std::vector<double> read_weights(object_reader& reader) {
    std::vector<double> weights;
    const auto items = reader.array("weights");
    if (!items) return weights;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const auto w = json::read_number(reader.doc(), (*items)[i], items->pointer_of(i), reader.out(), 0.0, 1.0);
        if (w) weights.push_back(*w);
    }
    if (weights.size() != items->size()) return {};
    double total = 0.0;
    for (const double w : weights) total += w;
    if (weights.size() < 2 || std::fabs(total - 1.0) > 1e-9) {
        reader.error_at("weights", "weights of " + std::to_string(weights.size()) + " draws summing to " +
                                       fmt::format("{:.6g}", total) +
                                       "; expected at least 2 non-negative weights summing to 1");
        return {};
    }
    return weights;
}

void read_posterior(object_reader& root, parameter_file& file) {
    auto section = root.optional_child("posterior_draws");
    if (!section || !section->valid()) return;
    posterior_draws posterior;
    posterior.where = location_of(section->doc(), section->pointer());
    const auto seed = section->required_integer("seed", 0, max_seed);
    const auto schools = section->required_integer("schools", 0, std::numeric_limits<std::int32_t>::max());
    if (const auto inputs = section->array("inputs")) {
        for (std::size_t i = 0; i < inputs->size(); ++i) {
            if (const auto name =
                    json::read_string(section->doc(), (*inputs)[i], inputs->pointer_of(i), section->out()))
                posterior.inputs.push_back(*name);
        }
    }
    posterior.weights = read_weights(*section);
    const auto ess = section->required_number("effective_sample_size", 0.0);
    if (!seed || !schools || !ess || posterior.weights.empty()) return;
    posterior.seed = static_cast<std::uint64_t>(*seed);
    posterior.schools = static_cast<std::size_t>(*schools);
    posterior.effective_sample_size = *ess;
    file.posterior = std::move(posterior);
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
    p.observed = optional_text(*provenance, "observed");
    p.observed_sha256 = optional_text(*provenance, "observed_sha256");
    p.method = optional_text(*provenance, "method");
    p.created = optional_text(*provenance, "created");
    p.draws = provenance->optional_integer("draws", 0, max_draws);
    p.effective_sample_size = provenance->optional_number("effective_sample_size", 0.0);
}

std::string quoted(const std::string& text) { return nlohmann::json(text).dump(); }

std::string number_member(const char* key, double value) {
    return ", " + quoted(key) + ": " + json::format_number(value);
}

/// A prior as model files write it: `{"dist": "normal", "mean": 0.2, "sd": 0.05}`.
std::string prior_json(const sdk::prior& prior) {
    const std::string bounds = number_member("lower", prior.lower) + number_member("upper", prior.upper);
    switch (prior.kind) {
        case sdk::prior_kind::fixed: return "{\"dist\": \"fixed\"" + number_member("value", prior.a) + "}";
        case sdk::prior_kind::normal:
            return "{\"dist\": \"normal\"" + number_member("mean", prior.a) + number_member("sd", prior.b) + "}";
        case sdk::prior_kind::truncated_normal:
            return "{\"dist\": \"truncated_normal\"" + number_member("mean", prior.a) + number_member("sd", prior.b) +
                   bounds + "}";
        case sdk::prior_kind::lognormal:
            return "{\"dist\": \"lognormal\"" + number_member("mu", prior.a) + number_member("sigma", prior.b) + "}";
        case sdk::prior_kind::uniform: return "{\"dist\": \"uniform\"" + bounds + "}";
        case sdk::prior_kind::beta:
            return "{\"dist\": \"beta\"" + number_member("alpha", prior.a) + number_member("beta", prior.b) + bounds +
                   "}";
    }
    return "{}";
}

std::string observed_provenance(const parameter_provenance& p) {
    if (p.observed.empty()) return "";
    std::string out = ",\n    \"observed\": " + quoted(p.observed) +
                      ",\n    \"observed_sha256\": " + quoted(p.observed_sha256) +
                      ",\n    \"method\": " + quoted(p.method) + ",\n    \"created\": " + quoted(p.created);
    if (p.draws) out += ",\n    \"draws\": " + std::to_string(*p.draws);
    if (p.effective_sample_size) {
        out += ",\n    \"effective_sample_size\": " + json::format_number(*p.effective_sample_size);
    }
    return out;
}

}  // namespace

bool is_prior_input_name(std::string_view input) {
    for (const std::string_view engine_input : engine_input_names) {
        if (input == engine_input) return true;
    }
    if (input.starts_with("parameter:")) return input.size() > std::string_view("parameter:").size();
    if (!input.starts_with("edge:")) return false;
    const auto arrow = input.find("->");
    return arrow != std::string_view::npos && arrow > 5 && arrow + 2 < input.size();
}

std::optional<parameter_file> read_parameter_file(const std::filesystem::path& path, diagnostics& out) {
    diagnostics found;
    const auto text = json::read_text(path, found, json::limits{}.max_bytes, "json");
    if (!text) {
        out.append(found);
        return std::nullopt;
    }
    return read_parameter_text(*text, path.string(), out);
}

std::optional<parameter_file> read_parameter_text(std::string_view text, const std::string& file_name,
                                                  diagnostics& out) {
    diagnostics found;
    const auto doc = json::parse(text, file_name, found);
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
        read_priors(root, file);
        read_posterior(root, file);
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
    out += "}";
    if (!file.priors.empty()) {
        out += ",\n  \"priors\": {";
        for (std::size_t i = 0; i < file.priors.size(); ++i) {
            out += std::string(i ? "," : "") + "\n    " + quoted(file.priors[i].input) + ": " +
                   prior_json(file.priors[i].prior);
        }
        out += "\n  }";
    }
    if (file.posterior) {
        const posterior_draws& d = *file.posterior;
        out += ",\n  \"posterior_draws\": {\n    \"seed\": " + std::to_string(d.seed) +
               ",\n    \"schools\": " + std::to_string(d.schools) +
               ",\n    \"effective_sample_size\": " + json::format_number(d.effective_sample_size) +
               ",\n    \"inputs\": " + nlohmann::json(d.inputs).dump() + ",\n    \"weights\": [";
        for (std::size_t i = 0; i < d.weights.size(); ++i) out += (i ? ", " : "") + json::format_number(d.weights[i]);
        out += "]\n  }";
    }
    const parameter_provenance& p = file.provenance;
    out += ",\n  \"provenance\": {\n    \"anchor\": " + quoted(p.anchor) +
           ",\n    \"reference\": " + quoted(p.reference) + ",\n    \"outcome\": " + quoted(p.outcome);
    if (p.target_effect) out += ",\n    \"target_effect\": " + json::format_number(*p.target_effect);
    if (p.achieved_effect) out += ",\n    \"achieved_effect\": " + json::format_number(*p.achieved_effect);
    out += ",\n    \"scenario\": " + quoted(p.scenario) + ",\n    \"pathways_version\": " + quoted(p.pathways_version) +
           observed_provenance(p) + "\n  }\n}\n";
    return out;
}

}  // namespace pathways
