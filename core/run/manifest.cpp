#include "run/manifest.hpp"

#include <algorithm>
#include <array>
#include <filesystem>

#include "common/sha256.hpp"
#include "common/version.hpp"
#include "pathways/sdk/build_config.hpp"
#include "pathways/sdk/effect_model.hpp"
#include "run/ranks.hpp"
#include "scenario/anchor_reader.hpp"
#include "scenario/embedded_model.hpp"
#include "scenario/json_reader.hpp"
#include "scenario/references_reader.hpp"

namespace pathways {
namespace {

constexpr const char* embedded_model = "<embedded:dps-personalized-learning>";

struct embedded_input {
    const char* role;
    std::string_view path;
    std::string_view bytes;
};

/// The data compiled into the binary that a run reads: the model (when the scenario names no file),
/// the anchors and the references.
std::array<embedded_input, 3> embedded_inputs() {
    return {{{"model", embedded_model, embedded_dps_model()},
             {"anchors", embedded_anchors_file, embedded_anchors()},
             {"references", embedded_references_file, embedded_references()}}};
}

/// The bytes of an embedded input named by its path, or nothing for a file on disk.
std::optional<std::string> embedded_bytes(std::string_view path) {
    for (const embedded_input& input : embedded_inputs())
        if (input.path == path) return std::string(input.bytes);
    return std::nullopt;
}

manifest_input file_input(const std::string& role, const std::filesystem::path& path) {
    return {role, path.string(), sha256_file(path).value_or("unreadable")};
}

manifest_run described_run(const finished_run& run) {
    const scenario& spec = run.loaded->spec;
    manifest_run entry;
    entry.name = run.name;
    entry.variant = spec.variant;
    entry.scenario = spec.name;
    entry.file = spec.file;
    entry.sha256 = sha256_file(spec.file).value_or("unreadable");
    entry.effect_model = run.loaded->model->name;
    entry.effect_model_version = run.loaded->model->version;
    entry.pinned = spec.parameters;
    return entry;
}

std::vector<manifest_wave> manifest_waves(const finished_run& run) {
    std::vector<manifest_wave> waves;
    for (wave_schools& wave : waves_of(run)) {
        const bool gated = run.gate && run.gate->wave == wave.name;
        waves.push_back({std::move(wave.name), wave.start_year, wave.sampled, wave.seed, std::move(wave.school_ids),
                         gated ? std::optional<double>(run.gate->open_share()) : std::nullopt,
                         gated ? run.gate->measurement_se : 0.0});
    }
    return waves;
}

}  // namespace

run_manifest manifest_header(const std::vector<std::string>& command_line) {
    run_manifest manifest;
    manifest.pathways_version = version;
    manifest.sdk_abi = sdk::abi_version;
    manifest.build = PATHWAYS_BUILD_FINGERPRINT;
    manifest.source_revision = source_revision;
    manifest.command_line = command_line;
    manifest.ranks = rank_count();
    return manifest;
}

run_manifest manifest_of(const loaded_scenario& loaded, const std::vector<std::string>& command_line, unsigned threads,
                         bool suppression) {
    const scenario& spec = loaded.spec;
    run_manifest manifest = manifest_header(command_line);
    manifest.scenario = spec.name;
    manifest.effect_model = loaded.model->name;
    manifest.effect_model_version = loaded.model->version;
    manifest.pinned = spec.parameters;
    manifest.seed = spec.seed;
    manifest.draws = spec.draws;
    manifest.threads = threads;
    manifest.suppression = suppression;
    manifest.min_n = spec.report.min_n;
    manifest.public_release = suppression && spec.report.min_n >= publication_floor_min_n;
    manifest.inputs = {file_input("scenario", spec.file), file_input("district", spec.district_path)};
    // Synthesized schools are a function of the district profile (and its seed), which is hashed above.
    if (!loaded.district.synthesized_schools)
        manifest.inputs.push_back(file_input("schools_csv", loaded.district.schools_csv));
    if (!spec.plan.ratings.empty()) manifest.inputs.push_back(file_input("ratings", spec.plan.ratings));
    for (const wave& w : spec.plan.waves) {
        if (!w.goals.empty()) manifest.inputs.push_back(file_input("goals", w.goals));
    }
    // The embedded model is hashed by its content, as a model file is: the hash changes when the model does.
    manifest.inputs.push_back(spec.model_path.empty()
                                  ? manifest_input{"model", embedded_model, sha256_hex(embedded_dps_model())}
                                  : file_input("model", spec.model_path));
    manifest.inputs.push_back(file_input("plugin", loaded.model->file));
    // The anchors and the references the binary carries: what `calibrate` fits to and what the report
    // cites. They change with the build, so their content identifies them as the model's does.
    for (const auto& [role, path, bytes] : embedded_inputs())
        if (path != embedded_model)
            manifest.inputs.push_back(manifest_input{role, std::string(path), sha256_hex(bytes), ""});
    manifest.cells = static_cast<double>(loaded.population.cells);
    manifest.students = loaded.population.total_students;
    manifest.ipf_max_iterations = static_cast<std::int64_t>(loaded.population.max_iterations);
    manifest.ipf_worst_error = loaded.population.worst_max_error;
    return manifest;
}

run_manifest manifest_of(const run_results& results, bool describe_each_run) {
    run_manifest manifest =
        manifest_of(*results.runs.front().loaded, results.command_line, results.threads, results.suppression);
    for (const finished_run& run : results.runs) {
        manifest_run entry = describe_each_run ? described_run(run) : manifest_run{};
        entry.name = run.name;
        entry.variant = run.loaded->spec.variant;
        entry.min_n = run.loaded->spec.report.min_n;
        entry.seconds = run.seconds;
        entry.waves = manifest_waves(run);
        manifest.runs.push_back(std::move(entry));
    }
    return manifest;
}

namespace {

/// The file name an input is kept under: its role and its file's extension, numbered from the second
/// input of a role on (several waves may name goals files).
std::string kept_name(const manifest_input& input, const std::vector<kept_input>& kept) {
    const std::string extension = std::filesystem::path(input.path).extension().string();
    const std::string role = input.role == "schools_csv" ? "schools" : input.role;
    std::string name = role + (extension.empty() || embedded_bytes(input.path) ? ".json" : extension);
    for (int n = 2; std::any_of(kept.begin(), kept.end(), [&](const kept_input& k) { return k.name == name; }); ++n)
        name = role + "-" + std::to_string(n) + (extension.empty() ? ".json" : extension);
    return name;
}

}  // namespace

std::vector<kept_input> keep_inputs(run_manifest& manifest, const std::vector<std::string>& parameter_files) {
    for (std::size_t i = 0; i < parameter_files.size(); ++i)
        manifest.inputs.push_back({"parameters-" + std::to_string(i + 1), parameter_files[i], "", ""});
    std::vector<kept_input> kept;
    diagnostics found;
    for (manifest_input& input : manifest.inputs) {
        if (input.role == "plugin") continue;
        std::optional<std::string> bytes = embedded_bytes(input.path);
        if (!bytes) bytes = json::read_text(input.path, found, json::limits{}.max_bytes, "input");
        if (!bytes) continue;
        const std::string name = kept_name(input, kept);
        input.copy = std::string(kept_inputs_folder) + "/" + name;
        input.sha256 = sha256_hex(*bytes);
        kept.push_back({name, std::move(*bytes)});
    }
    if (found.has_errors()) throw input_error(found);
    return kept;
}

void add_output(run_manifest& manifest, const std::string& name, std::string_view content) {
    manifest.outputs.emplace_back(name, sha256_hex(content));
}

}  // namespace pathways
