#include "run_options.hpp"

namespace pathways::cli {

run_request base_request(const std::string& scenario_file, const parameter_options& parameters,
                         const std::optional<std::string>& draws, const std::optional<std::string>& seed,
                         diagnostics& found) {
    run_request request;
    request.scenario_file = scenario_file;
    try {
        request.parameters = read_settings(parameters);
        add_priors(parameters, request);
    } catch (const input_error& e) {
        found.append(e.found());
    }
    apply_model_file(parameters, request, found);
    if (draws) request.draws = integer_option("--draws", *draws, draws_limits, found);
    if (seed) request.seed = integer_option("--seed", *seed, seed_limits, found);
    return request;
}

void refuse_or_warn(const std::optional<run_plan>& plan, const diagnostics& found) {
    if (!plan) throw input_error(found);
    print_diagnostics(found, diagnostic_format::text);
}

void apply_split(const split_options& options, run_request& request, diagnostics& found) {
    if (options.schools_per_block) {
        request.schools_per_block =
            integer_option("--schools-per-block", *options.schools_per_block, schools_per_block_limits, found);
    }
    request.split_schools = options.split == "schools";
}

run_hooks progress_by_run::hooks(kept_draws keep) {
    run_hooks hooks;
    hooks.started = [this](const std::string& run) {
        display_.reset();
        display_.emplace(run, quiet_);
    };
    hooks.progress = [this](std::size_t done, std::size_t total) {
        if (display_) display_->update(done, total);
    };
    hooks.cancel = &interrupted();
    hooks.keep = keep;
    return hooks;
}

}  // namespace pathways::cli
