#include "run/run_request.hpp"

#include <charconv>

#include "run/ranks.hpp"

namespace pathways {
namespace {

constexpr const char* command_line_file = "<command line>";

std::string expected_text(integer_limits limits) {
    return "expected an integer from " + std::to_string(limits.min) + " to " + std::to_string(limits.max);
}

void error_at(diagnostics& out, const source_location& where, const std::string& message) {
    // An option's name leads its message; a file's value is located by its pointer.
    const bool option = where.file == command_line_file;
    out.error(where.file, where.line, where.column, option ? "" : where.pointer,
              option ? where.pointer + ": " + message : message);
}

void check_range(const std::optional<setting<std::int64_t>>& value, integer_limits limits, diagnostics& out) {
    if (!value || (value->value >= limits.min && value->value <= limits.max)) return;
    error_at(out, value->origin, std::to_string(value->value) + " is out of range; " + expected_text(limits));
}

}  // namespace

source_location option_origin(const std::string& option) { return {command_line_file, 0, 0, option}; }

std::optional<setting<std::int64_t>> integer_option(const std::string& option, const std::string& text,
                                                    integer_limits limits, diagnostics& out) {
    std::int64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    if (error == std::errc::invalid_argument || stop != end) {
        error_at(out, option_origin(option), "'" + text + "' is not an integer; " + expected_text(limits));
        return std::nullopt;
    }
    if (error == std::errc::result_out_of_range || value < limits.min || value > limits.max) {
        error_at(out, option_origin(option), text + " is out of range; " + expected_text(limits));
        return std::nullopt;
    }
    return setting<std::int64_t>{value, option_origin(option)};
}

bool check(const run_request& request, const plugin_registry& plugins, diagnostics& out) {
    diagnostics found;
    if (request.scenario_file.empty() && !request.scenario_spec) {
        found.error(command_line_file, 0, 0, "", "no scenario file; expected the path of a scenario (JSON)");
    }
    check_range(request.draws, draws_limits, found);
    check_range(request.seed, seed_limits, found);
    check_range(request.min_n, min_n_limits, found);
    check_range(request.schools_per_block, schools_per_block_limits, found);
    if (request.effect_model && plugins.find(request.effect_model->value) == nullptr) {
        error_at(found, request.effect_model->origin, plugins.unknown_model_message(request.effect_model->value));
    }
    if (request.threads == 0) found.error(command_line_file, 0, 0, "", "--threads: 0 threads; expected at least 1");
    const bool ok = !found.has_errors();
    out.append(found);
    return ok;
}

void add_priors_of(const parameter_file& file, run_request& request, diagnostics& out, joint_posterior use) {
    if (!file.posterior || use == joint_posterior::summarise) {
        for (const prior_value& value : file.priors)
            request.priors.push_back({file.model, value.input, value.prior, value.where});
        return;
    }
    if (request.posterior) {
        error_at(out, file.posterior->where,
                 "a second joint posterior (the first is in " + request.posterior->where.file +
                     "); expected one parameter file with posterior_draws per run");
        return;
    }
    request.posterior = file.posterior;
}

scenario_overrides overrides_of(const run_request& request) {
    scenario_overrides overrides;
    if (request.effect_model) overrides.effect_model = request.effect_model->value;
    overrides.parameters = request.parameters;
    overrides.priors = request.priors;
    overrides.inputs = request.inputs;
    if (request.draws) overrides.draws = request.draws->value;
    if (request.seed) overrides.seed = static_cast<std::uint64_t>(request.seed->value);
    overrides.skip_settings_of_other_models = request.skip_settings_of_other_models;
    if (request.min_n) overrides.min_n = request.min_n->value;
    if (request.schools_per_block)
        overrides.schools_per_block = static_cast<std::size_t>(request.schools_per_block->value);
    if (request.split_schools)
        overrides.split = scenario_overrides::school_split{static_cast<std::size_t>(this_rank()),
                                                           static_cast<std::size_t>(rank_count())};
    return overrides;
}

bool for_public_release(const run_request& request) {
    return request.suppression && (!request.min_n || request.min_n->value >= publication_floor_min_n);
}

}  // namespace pathways
