// pathways: what-if projections for theories of change in schools.
#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <thread>

#include "commands.hpp"
#include "report_command.hpp"
#include "common/diagnostics.hpp"
#include "plugin/plugin_error.hpp"

namespace {

using namespace pathways::cli;

void add_plugin_options(CLI::App& command, plugin_options& options) {
    command.add_option("--plugin-dir", options.plugin_dirs, "Folder to search for effect-model plugins first (repeatable)");
    command.add_flag("--allow-untrusted-plugins", options.allow_untrusted,
                     "Load plugins from world-writable folders or through symlinks leaving the search path");
}

void add_run_options(CLI::App& command, run_options& options) {
    command.add_option("scenario", options.scenario_file, "Scenario file (JSON, format v1)")->required();
    command.add_option("--variant", options.variant, "Variant to run (default: base)");
    command.add_flag("--all-variants", options.all_variants, "Run the base scenario and every variant");
    command.add_option("--model", options.model, "Effect model to use instead of the scenario's");
    command.add_option("--set", options.set, "Pin an effect-model parameter: --set NAME=VALUE (repeatable)");
    command.add_option("--out", options.out_dir, "Output folder (default: out/<scenario name>)");
    command.add_flag("--force", options.force, "Overwrite existing outputs");
    command.add_option("--format", options.formats, "Output formats: csv, json or csv,json (default)");
    command.add_option("--draws", options.draws, "Monte Carlo draws (0: one central run); overrides the scenario");
    command.add_option("--seed", options.seed, "Random seed; overrides the scenario");
    command.add_option("--threads", options.threads, "Worker threads (default: all cores)");
    command.add_flag("--quiet", options.quiet, "No progress display");
    command.add_flag("--no-suppression", options.no_suppression,
                     "Publish small groups too; stamps every output NOT FOR PUBLIC RELEASE");
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"pathways: project every student subgroup's outcomes under a theory of change"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "pathways 0.1.0");

    plugin_options plugins;
    validate_options validate;
    std::string validate_format = "text";
    auto* validate_cmd = app.add_subcommand("validate", "Check scenario, model and district files; report every error");
    validate_cmd->add_option("files", validate.files, "Files to check")->required();
    validate_cmd->add_option("--format", validate_format, "text or json")->check(CLI::IsMember({"text", "json"}));
    add_plugin_options(*validate_cmd, plugins);

    graph_options graph;
    auto* graph_cmd = app.add_subcommand("graph", "Print the theory-of-change graph");
    graph_cmd->add_option("--model", graph.model_file, "Model file (default: the embedded DPS model)");
    graph_cmd->add_option("--format", graph.format, "dot, mermaid or json")->check(CLI::IsMember({"dot", "mermaid", "json"}));
    graph_cmd->add_option("-o,--output", graph.output, "Write to a file instead of stdout");

    auto* plugins_cmd = app.add_subcommand("plugins", "List the effect models found on the plugin search path");
    add_plugin_options(*plugins_cmd, plugins);

    std::string describe_model;
    auto* describe_cmd = app.add_subcommand("describe", "Show an effect model's parameters, defaults, priors and sources");
    describe_cmd->add_option("model", describe_model, "Effect model name")->required();
    add_plugin_options(*describe_cmd, plugins);

    run_options run;
    auto* run_cmd = app.add_subcommand("run", "Project a scenario against business as usual");
    add_run_options(*run_cmd, run);
    add_plugin_options(*run_cmd, plugins);
    run_cmd->add_flag("--report", run.report, "Also write report.html, a self-contained report to read in a browser");

    // report and effects (issue 6)
    report_options report;
    auto* report_cmd = app.add_subcommand("report", "Write a self-contained HTML report of a results folder");
    report_cmd->add_option("results", report.results_dir, "Folder written by `pathways run`")->required();
    report_cmd->add_option("-o,--output", report.output, "HTML file to write (default: RESULTS/report.html)");
    report_cmd->add_flag("--force", report.force, "Overwrite an existing report");
    add_plugin_options(*report_cmd, plugins);
    effects_options effects;
    auto* effects_cmd = app.add_subcommand("effects", "Direct, indirect and total effects of each practice and driver on each outcome");
    effects_cmd->add_option("--model", effects.model_file, "Model file (default: the embedded DPS model)");
    effects_cmd->add_option("--scenario", effects.scenario_file, "Scenario: its model, effect model and levels");
    effects_cmd->add_option("--format", effects.format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}));
    add_plugin_options(*effects_cmd, plugins);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? exit_ok : exit_invalid_input;
    }
    if (run.threads == 0) run.threads = std::max(1u, std::thread::hardware_concurrency());
    run.command_line.assign(argv, argv + argc);
    validate.format = validate_format == "json" ? diagnostic_format::json : diagnostic_format::text;
    install_interrupt_handler();

    try {
        if (*validate_cmd) return validate_command(validate, plugins);
        if (*graph_cmd) return graph_command(graph);
        if (*plugins_cmd) return plugins_command(plugins);
        if (*describe_cmd) return describe_command(describe_model, plugins);
        if (*run_cmd) return run_command(run, plugins);
        if (*report_cmd) return report_command(report, plugins);
        if (*effects_cmd) return effects_command(effects, plugins);
    } catch (const pathways::input_error& e) {
        print_diagnostics(e.found(), diagnostic_format::text);
        return exit_invalid_input;
    } catch (const pathways::plugin_error& e) {
        // The input was valid but a model failed while running: not the user's file to fix.
        std::cerr << "pathways: error: " << e.what() << '\n';
        return exit_internal;
    } catch (const std::exception& e) {
        std::cerr << "pathways: internal error: " << e.what() << '\n';
        return exit_internal;
    }
    return exit_internal;
}
