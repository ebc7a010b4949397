#include "run/rerun.hpp"

#include <string>

#include "scenario/parameter_file.hpp"

namespace pathways {
namespace {

/// Where the folder keeps each input the scenario reads besides itself.
scenario_overrides::input_files kept_files(const std::filesystem::path& folder, const run_manifest& manifest) {
    scenario_overrides::input_files files;
    for (const manifest_input& input : manifest.inputs) {
        if (input.copy.empty()) continue;
        const std::filesystem::path path = folder / input.copy;
        if (input.role == "district") files.district = path;
        if (input.role == "schools_csv") files.schools_csv = path;
        if (input.role == "model") files.model = path;
        if (input.role == "ratings") files.ratings = path;
        if (input.role == "goals") files.goals.push_back(path);
    }
    return files;
}

/// The replaced priors (or joint posterior) of the parameter files the run read, from the folder's
/// copies, in their order.
void add_kept_priors(const std::filesystem::path& folder, const run_manifest& manifest, run_request& request,
                     diagnostics& out) {
    for (const manifest_input& input : manifest.inputs) {
        if (input.copy.empty() || input.role.rfind("parameters-", 0) != 0) continue;
        if (const auto file = read_parameter_file(folder / input.copy, out)) add_priors_of(*file, request, out);
    }
}

}  // namespace

bool keeps_inputs(const run_manifest& manifest) {
    const manifest_input* scenario = manifest.input("scenario");
    return scenario != nullptr && !scenario->copy.empty();
}

std::optional<run_request> rerun_request(const std::filesystem::path& folder, const run_manifest& manifest,
                                         diagnostics& out) {
    if (!keeps_inputs(manifest) || manifest.runs.empty()) {
        out.error((folder / "manifest.json").string(), 0, 0, "/inputs/scenario",
                  "the folder keeps no copy of its inputs; expected a results folder written by pathways run "
                  "(folders written before results kept their inputs cannot be rerun)");
        return std::nullopt;
    }
    run_request request;
    request.scenario_file = folder / manifest.input("scenario")->copy;
    request.inputs = kept_files(folder, manifest);
    if (manifest.runs.size() == 1) request.variant = manifest.runs.front().variant;
    else request.all_variants = true;
    const source_location origin = option_origin("manifest.json");
    request.effect_model = setting<std::string>{manifest.effect_model, origin};
    for (const auto& [name, value] : manifest.pinned) request.parameters.push_back({"", name, value, origin});
    diagnostics found;
    add_kept_priors(folder, manifest, request, found);
    request.draws = setting<std::int64_t>{manifest.draws, origin};
    request.seed = setting<std::int64_t>{static_cast<std::int64_t>(manifest.seed), origin};
    if (manifest.min_n > 0) request.min_n = setting<std::int64_t>{manifest.min_n, origin};
    request.suppression = manifest.suppression;
    request.sustained_course = true;
    const bool failed = found.has_errors();
    out.append(found);
    if (failed) return std::nullopt;
    return request;
}

}  // namespace pathways
