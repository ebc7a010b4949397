// value-of-information: runs the scenario's plans on the same draws and prints EVPI and EVPPI per group
// of uncertain inputs at the stated willingness to pay.
#include "value_of_information_command.hpp"

#include <iostream>
#include <memory>
#include <stdexcept>

#include "command_options.hpp"
#include "command_registry.hpp"
#include "report/value_of_information_report.hpp"
#include "run_options.hpp"
#include "run_summary.hpp"
#include "thread_count.hpp"

namespace pathways::cli {

int value_of_information_command(const value_of_information_options& options, const plugin_options& plugins) {
    const plugin_registry registry = load_plugins(plugins);
    diagnostics found;
    run_request request = base_request(options.scenario_file, options.parameters, options.draws, options.seed, found);
    request.all_variants = true;
    request.threads = options.threads;
    request.command_line = options.command_line;
    if (!(options.willingness_to_pay >= 0.0)) {
        found.error("<command line>", 0, 0, "",
                    "--willingness-to-pay must be 0 or more (dollars per SD per student); expected e.g. 20000");
    }
    if (found.has_errors()) throw input_error(found);
    auto plan = prepare(request, registry, found);
    refuse_or_warn(plan, found);
    // Assumptions are how the world might be, not options: they are not run.
    std::erase_if(plan->runs, [](const prepared_run& run) {
        const scenario& spec = run.loaded->spec;
        return spec.variant_of(spec.variant).kind == variant_kind::assumption;
    });
    progress_by_run progress(options.quiet);
    const run_results results = execute(std::move(*plan), progress.hooks(kept_draws::final_year));
    progress.finish();
    if (results.cancelled) return interrupted_exit();
    try {
        const information_values values =
            value_of_information(results, headline_outcome(*results.runs.front().sim), options.willingness_to_pay);
        std::cout << information_values_text(values);
    } catch (const std::invalid_argument& e) {
        found.error(options.scenario_file, 0, 0, "", std::string(e.what()) + "; expected plans with costs");
        throw input_error(found);
    }
    return exit_ok;
}

namespace {

const command_registration registration{{
    .order = 200,
    .name = "value-of-information",
    .description =
        "What learning more before choosing among the plans would be worth: EVPI and EVPPI per group of inputs",
    .examples = "pathways value-of-information scenarios/denver-scale-up.json --draws 400\n"
                "  pathways value-of-information scenarios/denver-scale-up.json --willingness-to-pay 50000",
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<value_of_information_options>();
        auto plugins = std::make_shared<plugin_options>();
        command.add_option("scenario", options->scenario_file, "Scenario file (JSON, format v1)")->required();
        command.add_option("--willingness-to-pay", options->willingness_to_pay,
                           "Dollars the district would pay per SD gained per student (default 20000: 2,000 per "
                           "student for 0.1 SD)");
        add_draws_option(command, options->draws, "Monte Carlo draws; overrides the scenario (more draws, less bias)");
        add_seed_option(command, options->seed, "Random seed; overrides the scenario");
        add_parameter_options(command, options->parameters);
        add_threads_option(command, options->threads);
        add_quiet_flag(command, options->quiet);
        add_plugin_options(command, *plugins);
        return [options, plugins](int argc, char** argv) {
            options->threads = worker_threads(options->threads);
            options->command_line.assign(argv, argv + argc);
            return value_of_information_command(*options, *plugins);
        };
    },
}};

}  // namespace

}  // namespace pathways::cli
