#include "scenario/results_reader.hpp"

#include <limits>

#include "scenario/json_checks.hpp"
#include "scenario/json_reader.hpp"
#include "scenario/result_columns.hpp"

namespace pathways {
namespace {

using json::array_ref;
using json::document;
using json::object_reader;

/// Results files may gain fields in later versions: every key is accepted, the ones read are checked.
object_reader tolerant_reader(const document& doc, const std::string& pointer, diagnostics& out) {
    object_reader reader(doc, pointer, out);
    if (reader.valid()) reader.members();
    return reader;
}

/// A number that suppressed rows leave null, and so do rows whose value can be undefined in the
/// draws (`undefined_allowed`: years to close a gap that does not narrow); those read as NaN.
double nullable_number(object_reader& row, std::string_view key, bool suppressed, bool undefined_allowed = false) {
    const nlohmann::json* value = row.optional_value(key);
    if (value == nullptr || value->is_null()) {
        if (!suppressed && !(undefined_allowed && value != nullptr)) {
            row.error_at(key, "missing number; expected a number in every row that is not suppressed");
        }
        return std::numeric_limits<double>::quiet_NaN();
    }
    return json::read_number(row.doc(), *value, row.pointer_of(key), row.out()).value_or(0.0);
}

result_row read_row(const document& doc, const std::string& pointer, diagnostics& out) {
    object_reader reader = tolerant_reader(doc, pointer, out);
    result_row row;
    if (!reader.valid()) return row;
    row.suppressed = reader.required_bool(columns::suppressed).value_or(false);
    row.year = static_cast<int>(reader.required_integer(columns::year, -100000, 100000).value_or(0));
    row.subgroup = reader.required_string(columns::subgroup).value_or("");
    row.outcome = reader.required_string(columns::outcome).value_or("");
    row.metric = reader.required_string(columns::metric).value_or("");
    row.course = reader.optional_string(columns::course).value_or("");
    if (row.course != "" && row.course != "sustained" && row.course != "with_cut_risk") {
        reader.error_at(columns::course,
                        "unknown course '" + row.course + "'; expected sustained, with_cut_risk or \"\"");
    }
    row.reference = reader.optional_string(columns::reference).value_or("");
    // A cost per unit of effect is undefined when no draw gains (engine/costs.hpp).
    const bool may_be_undefined =
        row.metric == "gap_years_to_close" || row.metric == "cost_per_tenth_sd" || row.metric == "cost_per_gap_pp";
    row.mean = nullable_number(reader, columns::mean, row.suppressed, may_be_undefined);
    row.sd = nullable_number(reader, columns::sd, row.suppressed, may_be_undefined);
    row.p05 = nullable_number(reader, columns::p05, row.suppressed, may_be_undefined);
    row.p50 = nullable_number(reader, columns::p50, row.suppressed, may_be_undefined);
    row.p95 = nullable_number(reader, columns::p95, row.suppressed, may_be_undefined);
    row.prob_positive = nullable_number(reader, columns::prob_positive, row.suppressed, may_be_undefined);
    row.n_students = nullable_number(reader, columns::n_students, row.suppressed);
    return row;
}

std::vector<result_run> read_projection(const document& doc, diagnostics& out) {
    object_reader root = tolerant_reader(doc, "", out);
    std::vector<result_run> runs;
    const auto items = root.array("runs");
    if (!items) return runs;
    for (std::size_t i = 0; i < items->size(); ++i) {
        object_reader reader = tolerant_reader(doc, items->pointer_of(i), out);
        if (!reader.valid()) continue;
        result_run run;
        run.scenario = reader.required_string(columns::scenario).value_or("");
        run.variant = reader.required_string(columns::variant).value_or("");
        run.model = reader.required_string(columns::model).value_or("");
        run.draws = reader.required_integer("draws", 0).value_or(0);
        run.suppression = reader.optional_bool("suppression").value_or(true);
        if (auto cut = reader.optional_child("cut_risk"); cut && cut->valid()) {
            cut->members();
            result_cut_risk risk;
            risk.annual_probability = cut->required_number("annual_probability").value_or(0.0);
            risk.first_year_at_risk =
                static_cast<int>(cut->required_integer("first_year_at_risk", -100000, 100000).value_or(0));
            risk.by_horizon = cut->required_number("by_horizon").value_or(0.0);
            risk.cut_draws = cut->required_integer("cut_draws", 0).value_or(0);
            run.cut_risk = risk;
        }
        if (const auto rows = reader.array("rows")) {
            for (std::size_t r = 0; r < rows->size(); ++r) run.rows.push_back(read_row(doc, rows->pointer_of(r), out));
        }
        runs.push_back(std::move(run));
    }
    if (runs.empty()) root.error_at("runs", "no runs; expected at least one run");
    return runs;
}

std::vector<std::string> read_strings(object_reader& reader, std::string_view key) {
    std::vector<std::string> items;
    if (const auto list = reader.optional_array(key)) {
        for (std::size_t i = 0; i < list->size(); ++i) {
            items.push_back(
                json::read_string(reader.doc(), (*list)[i], list->pointer_of(i), reader.out()).value_or(""));
        }
    }
    return items;
}

namespace key = manifest_keys;

/// `effect_model` of a manifest or of one of its runs: name, version and pinned parameters.
void read_effect_model(object_reader& parent, std::string& name, std::string& version,
                       std::vector<std::pair<std::string, double>>& pinned) {
    auto model = parent.optional_child(key::effect_model);
    if (!model || !model->valid()) return;
    model->members();
    name = model->required_string(key::name).value_or("");
    version = model->optional_string(key::version).value_or("");
    if (auto values = model->optional_child(key::pinned); values && values->valid()) {
        for (const std::string& parameter : values->members()) {
            const nlohmann::json* value = values->optional_value(parameter);
            const auto number = json::read_number(parent.doc(), *value, values->pointer_of(parameter), parent.out());
            if (number) pinned.emplace_back(parameter, *number);
        }
    }
}

void read_inputs(object_reader& root, run_manifest& manifest) {
    auto inputs = root.optional_child(key::inputs);
    if (!inputs || !inputs->valid()) return;
    for (const std::string& role : inputs->members()) {
        object_reader entry = tolerant_reader(root.doc(), inputs->pointer_of(role), root.out());
        if (!entry.valid()) continue;
        manifest.inputs.push_back({role, entry.required_string(key::path).value_or(""),
                                   entry.optional_string(key::sha256).value_or(""),
                                   entry.optional_string(key::copy).value_or("")});
    }
}

/// `waves` of a manifest run: each wave's name, start year, how its schools were chosen and their ids.
std::vector<manifest_wave> read_waves(object_reader& run) {
    std::vector<manifest_wave> waves;
    const auto items = run.optional_array(key::waves);
    if (!items) return waves;
    for (std::size_t i = 0; i < items->size(); ++i) {
        object_reader reader = tolerant_reader(run.doc(), items->pointer_of(i), run.out());
        if (!reader.valid()) continue;
        manifest_wave wave;
        wave.name = reader.required_string(key::name).value_or("");
        wave.start_year = static_cast<int>(reader.required_integer(key::start_year, -100000, 100000).value_or(0));
        wave.sampled = reader.required_bool(key::sampled).value_or(false);
        wave.seed = static_cast<std::uint64_t>(reader.required_integer(key::seed, 0).value_or(0));
        if (const auto ids = reader.array(key::schools)) {
            for (std::size_t s = 0; s < ids->size(); ++s) {
                wave.schools.push_back(
                    json::read_string(run.doc(), (*ids)[s], ids->pointer_of(s), run.out()).value_or(""));
            }
        }
        if (auto gate = reader.optional_child(key::gate); gate && gate->valid()) {
            wave.gate_open_share = gate->required_number(key::open_share, 0.0, 1.0);
            wave.gate_measurement_se = gate->required_number(key::measurement_se, 0.0).value_or(0.0);
        }
        waves.push_back(std::move(wave));
    }
    return waves;
}

manifest_run read_run(object_reader& run) {
    manifest_run entry;
    entry.variant = run.required_string(key::variant).value_or("");
    entry.name = run.optional_string(key::name).value_or(entry.variant);
    entry.scenario = run.optional_string(key::scenario).value_or("");
    entry.file = run.optional_string(key::file).value_or("");
    entry.sha256 = run.optional_string(key::sha256).value_or("");
    read_effect_model(run, entry.effect_model, entry.effect_model_version, entry.pinned);
    entry.min_n = run.optional_integer(key::min_n, 0).value_or(0);
    entry.seconds = run.optional_number(key::seconds).value_or(0.0);
    entry.waves = read_waves(run);
    return entry;
}

void read_runs_and_outputs(object_reader& root, run_manifest& manifest) {
    if (const auto runs = root.optional_array(key::runs)) {
        for (std::size_t i = 0; i < runs->size(); ++i) {
            object_reader run = tolerant_reader(root.doc(), runs->pointer_of(i), root.out());
            if (run.valid()) manifest.runs.push_back(read_run(run));
        }
    }
    if (auto outputs = root.optional_child(key::outputs); outputs && outputs->valid()) {
        for (const std::string& name : outputs->members()) {
            const nlohmann::json* value = outputs->optional_value(name);
            const auto hash = json::read_string(root.doc(), *value, outputs->pointer_of(name), root.out());
            manifest.outputs.emplace_back(name, hash.value_or(""));
        }
    }
}

void read_population(object_reader& root, run_manifest& manifest) {
    auto population = root.optional_child(key::population);
    if (!population || !population->valid()) return;
    population->members();
    manifest.cells = population->optional_number(key::cells).value_or(0.0);
    manifest.students = population->optional_number(key::students).value_or(0.0);
    manifest.ipf_max_iterations = population->optional_integer(key::ipf_max_iterations, 0).value_or(0);
    manifest.ipf_worst_error = population->optional_number(key::ipf_worst_error).value_or(0.0);
}

run_manifest read_manifest(const document& doc, diagnostics& out) {
    object_reader root = tolerant_reader(doc, "", out);
    run_manifest manifest;
    if (!root.valid()) return manifest;
    manifest.pathways_version = root.optional_string(key::pathways_version).value_or("");
    manifest.sdk_abi = static_cast<std::uint32_t>(root.optional_integer(key::sdk_abi, 0, 1'000'000).value_or(0));
    manifest.build = root.optional_string(key::build).value_or("");
    manifest.source_revision = root.optional_string(key::source_revision).value_or("");
    manifest.command_line = read_strings(root, key::command_line);
    manifest.scenario = root.required_string(key::scenario).value_or("");
    read_effect_model(root, manifest.effect_model, manifest.effect_model_version, manifest.pinned);
    manifest.seed = static_cast<std::uint64_t>(root.optional_integer(key::seed, 0).value_or(0));
    manifest.draws = root.optional_integer(key::draws, 0).value_or(0);
    manifest.threads = root.optional_integer(key::threads, 0).value_or(0);
    manifest.ranks = root.optional_integer(key::ranks, 1).value_or(1);
    manifest.suppression = root.optional_bool(key::suppression).value_or(true);
    manifest.min_n = root.optional_integer(key::min_n, 0).value_or(16);
    manifest.public_release = root.optional_bool(key::public_release).value_or(false);
    read_inputs(root, manifest);
    read_population(root, manifest);
    read_runs_and_outputs(root, manifest);
    if (manifest.input("scenario") == nullptr) {
        root.error_at(key::inputs, "no scenario input; expected inputs.scenario.path naming the scenario file");
    }
    return manifest;
}

}  // namespace

const manifest_input* run_manifest::input(std::string_view role) const {
    for (const manifest_input& entry : inputs) {
        if (entry.role == role) return &entry;
    }
    return nullptr;
}

namespace {

std::optional<results_folder> read_documents(const std::optional<json::document>& projection,
                                             const std::optional<json::document>& manifest,
                                             const std::filesystem::path& folder, diagnostics& found,
                                             diagnostics& out) {
    results_folder results;
    results.folder = folder;
    if (projection) results.runs = read_projection(*projection, found);
    if (manifest) results.manifest = read_manifest(*manifest, found);
    const bool failed = found.has_errors();
    out.append(found);
    if (failed) return std::nullopt;
    return results;
}

}  // namespace

std::optional<run_manifest> read_run_manifest(const std::filesystem::path& folder, diagnostics& out) {
    diagnostics found;
    const auto doc = json::parse_file(folder / "manifest.json", found);
    run_manifest manifest = doc ? read_manifest(*doc, found) : run_manifest{};
    const bool failed = found.has_errors();
    out.append(found);
    if (failed) return std::nullopt;
    return manifest;
}

std::vector<std::string> files_of_run(const std::filesystem::path& folder) {
    diagnostics ignored;  // a folder without a readable manifest lists nothing
    const auto doc = json::parse_file(folder / "manifest.json", ignored);
    if (!doc) return {};
    const run_manifest manifest = read_manifest(*doc, ignored);
    std::vector<std::string> files{"manifest.json"};
    for (const auto& output : manifest.outputs) files.push_back(output.first);
    return files;
}

std::optional<results_folder> read_results(const std::filesystem::path& folder, diagnostics& out) {
    diagnostics found;
    const auto projection = json::parse_file(folder / "projection.json", found);
    const auto manifest = json::parse_file(folder / "manifest.json", found);
    return read_documents(projection, manifest, folder, found, out);
}

std::optional<results_folder> read_results_text(std::string_view projection_json, std::string_view manifest_json,
                                                const std::filesystem::path& folder, diagnostics& out) {
    diagnostics found;
    const auto projection = json::parse(projection_json, (folder / "projection.json").string(), found);
    const auto manifest = json::parse(manifest_json, (folder / "manifest.json").string(), found);
    return read_documents(projection, manifest, folder, found, out);
}

}  // namespace pathways
