// pathways: what-if projections for theories of change in schools.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <iostream>
#include <system_error>
#include <thread>

#include "calibrate_command.hpp"
#include "commands.hpp"
#include "common/diagnostics.hpp"
#include "common/environment_error.hpp"
#include "common/sha256.hpp"
#include "common/version.hpp"
#include "compare_command.hpp"
#include "costs_command.hpp"
#include "engine/worker_threads.hpp"
#include "implementation_command.hpp"
#include "observed_commands.hpp"
#include "plan_next_command.hpp"
#include "plugin/plugin_error.hpp"
#include "population_command.hpp"
#include "rank_output.hpp"
#include "report_command.hpp"
#include "rerun_command.hpp"
#include "rubric_command.hpp"
#include "run/ranks.hpp"
#include "scenario/scenario_reader.hpp"
#include "sensitivity_command.hpp"
#include "serve_command.hpp"
#include "sources_command.hpp"
#include "sweep_command.hpp"
#include "thread_count.hpp"
#include "value_of_information_command.hpp"

namespace {

using namespace pathways::cli;

/// --draws and --seed are read as text: the run layer checks them like the scenario file's values
/// (run/run_request.hpp), so the message names the option and the range is the file's.
void add_draws_option(CLI::App& command, std::optional<std::string>& draws, const std::string& description) {
    command.add_option("--draws", draws, description)->type_name("INT");
}

void add_seed_option(CLI::App& command, std::optional<std::string>& seed, const std::string& description) {
    command.add_option("--seed", seed, description)->type_name("INT");
}

void add_plugin_options(CLI::App& command, plugin_options& options) {
    command.add_option("--plugin-dir", options.plugin_dirs,
                       "Folder to search for effect-model plugins first (repeatable)");
    command.add_flag("--allow-untrusted-plugins", options.allow_untrusted,
                     "Load plugins from world-writable folders or through symlinks leaving the search path");
}

void add_parameter_options(CLI::App& command, parameter_options& options) {
    command.add_option(
        "--set", options.set,
        "Pin an effect-model parameter: --set NAME=VALUE or --set MODEL:NAME=VALUE (repeatable; wins over --set-file)");
    command.add_option("--set-file", options.set_files,
                       "Pin the parameters of a parameter file, e.g. one `pathways calibrate` wrote (repeatable)");
}

void add_split_options(CLI::App& command, split_options& options) {
    command
        .add_option("--split", options.split,
                    "Under MPI, what the ranks split: draws (default) or schools (each rank holds and runs only its "
                    "blocks of schools, for populations larger than one machine's memory)")
        ->check(CLI::IsMember({"draws", "schools"}));
    command
        .add_option("--schools-per-block", options.schools_per_block,
                    "Schools per block, the unit in which the population is summed and split (default: 2048); "
                    "results depend on it in the last digits only")
        ->type_name("INT");
}

void add_run_options(CLI::App& command, run_options& options) {
    command.add_option("scenario", options.scenario_file, "Scenario file (JSON, format v1)")->required();
    command.add_option("--variant", options.variant, "Variant to run (default: base)");
    command.add_flag("--all-variants", options.all_variants, "Run the base scenario and every variant");
    command.add_option("--model", options.model, "Effect model to use instead of the scenario's");
    add_parameter_options(command, options.parameters);
    command.add_option("--out", options.out_dir, "Output folder (default: out/<scenario name>)");
    command.add_flag("--force", options.force, "Overwrite existing outputs");
    command.add_option("--format", options.formats, "Output formats: csv, json or csv,json (default)");
    add_draws_option(command, options.draws, "Monte Carlo draws (0: one central run); overrides the scenario");
    add_seed_option(command, options.seed, "Random seed; overrides the scenario");
    command.add_option("--threads", options.threads, "Worker threads (default: all cores)");
    command.add_flag("--quiet", options.quiet, "No progress display");
    command.add_flag("--detail", options.detail,
                     "Print every subgroup, outcome and projection and the waves' schools, not the one-screen summary");
    command
        .add_option("--min-n", options.min_n,
                    "Withhold groups with fewer students (default: the scenario's); below 10 stamps every output "
                    "NOT FOR PUBLIC RELEASE")
        ->type_name("INT");
    command.add_flag("--no-suppression", options.no_suppression,
                     "Publish small groups too; stamps every output NOT FOR PUBLIC RELEASE");
    add_split_options(command, options.split);
}

/// "unknown command 'rn'; did you mean 'run'?" for a first argument that names no command (exit 2);
/// CLI11 alone would only say that an argument was not expected.
bool refuse_unknown_command(CLI::App& app, int argc, char** argv) {
    if (argc < 2 || argv[1][0] == '-') return false;
    std::vector<std::string> names;
    for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; }))
        names.push_back(command->get_name());
    const std::string word = argv[1];
    if (std::find(names.begin(), names.end(), word) != names.end()) return false;
    const std::string suggestion = pathways::did_you_mean(word, names);
    std::cerr << "pathways: error: unknown command '" << word << "'"
              << (suggestion.empty() ? "; see pathways --help for the commands" : suggestion) << '\n';
    return true;
}

/// Examples after each command's options in --help: the commands as a user would type them.
void add_examples(CLI::App& app) {
    const std::vector<std::pair<std::string, std::string>> examples{
        {"validate",
         "pathways validate scenarios/denver-scale-up.json\n"
         "  pathways validate --format json scenarios/*.json scenarios/districts/*.json"},
        {"graph",
         "pathways graph --format mermaid\n  pathways graph -o model.dot\n"
         "  pathways graph --format lavaan -o dps.lav\n  pathways effects --model dps.lav"},
        {"plugins", "pathways plugins\n  pathways plugins --plugin-dir my-models/build"},
        {"describe", "pathways describe lagged"},
        {"sources", "pathways sources\n  pathways sources pane2017"},
        {"rubric", "pathways rubric\n  pathways rubric culture\n  pathways rubric --format json"},
        {"run",
         "pathways run scenarios/denver-scale-up.json --all-variants --force\n"
         "  pathways run scenarios/denver-scale-up.json --variant pilot_only --detail --out out/pilot-only\n"
         "  pathways run scenarios/rand-2017-check.json --model linear --draws 0 --out out/central\n"
         "  pathways run scenarios/denver-scale-up.json --variant patient_district --draws 1000 --seed 7 --report"},
        {"report", "pathways report out/denver-scale-up"},
        {"rerun", "pathways rerun out/denver-scale-up\n  pathways rerun out/denver-scale-up --out out/check --force"},
        {"effects", "pathways effects\n  pathways effects --scenario scenarios/denver-scale-up.json --format csv"},
        {"plan-next", "pathways plan-next scenarios/denver-scale-up.json --schools 5 --budget 10000000 --draws 50"},
        {"sweep",
         "pathways sweep scenarios/denver-scale-up.json --grid /implementation/ramp/years_to_half=1,2,3 --draws 50"},
        {"sensitivity",
         "pathways sensitivity scenarios/denver-scale-up.json --outcome academic.achievement.math "
         "--subgroup all --n 64"},
        {"anchors", "pathways anchors\n  pathways anchors --check scenarios/rand-2017-check.json"},
        {"calibrate",
         "pathways calibrate scenarios/rand-2017-check.json --anchors all --model linear\n"
         "  pathways calibrate scenarios/rand-2017-check.json --anchor rand2017-math --model linear\n"
         "  pathways calibrate scenarios/denver-scale-up.json "
         "--observed scenarios/observed/denver-pilot-2017-2019-synthetic.csv"},
        {"monitor",
         "pathways monitor scenarios/denver-scale-up.json "
         "--observed scenarios/observed/denver-pilot-2017-2019-synthetic.csv\n"
         "  pathways monitor scenarios/denver-pilot-2015.json "
         "--implementation scenarios/observed/denver-pilot-ratings-2015-2019-synthetic.csv"},
        {"compare",
         "pathways compare scenarios/denver-scale-up.json scenarios/denver-pilot-2015.json --draws 200\n"
         "  pathways compare scenarios/denver-scale-up.json scenarios/national-baseline.json --detail"},
        {"compare-models", "pathways compare-models scenarios/rand-2017-check.json --models linear,lagged"},
        {"costs",
         "pathways costs scenarios/denver-scale-up.json\n  pathways costs scenarios/denver-scale-up.json --format csv"},
        {"value-of-information",
         "pathways value-of-information scenarios/denver-scale-up.json --draws 400\n"
         "  pathways value-of-information scenarios/denver-scale-up.json --willingness-to-pay 50000"},
        {"population",
         "pathways population scenarios/districts/denver-2018.json\n"
         "  pathways population scenarios/districts/denver-2018.json --cells --format csv"},
        {"serve",
         "pathways serve scenarios/denver-scale-up.json\n  pathways serve scenarios/denver-scale-up.json --port 0"},
    };
    for (const auto& [name, text] : examples) app.get_subcommand(name)->footer("\nExamples:\n  " + text + "\n");
    app.footer(
        "\nExamples:\n"
        "  pathways validate scenarios/denver-scale-up.json\n"
        "  pathways run scenarios/denver-scale-up.json --all-variants --force\n"
        "  pathways describe lagged\n"
        "  pathways COMMAND --help   (examples of each command)\n");
}

/// A command that writes nothing and ignores `interrupted()` still ends with the signal's code.
int unless_interrupted(int code) { return code == exit_ok && interrupted() ? interrupted_exit() : code; }

}  // namespace

int run_pathways(int argc, char** argv) {
    escape_control_characters_on_terminal();
    CLI::App app{"pathways: project every student subgroup's outcomes under a theory of change"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("pathways ") + pathways::version);

    plugin_options plugins;
    validate_options validate;
    std::string validate_format = "text";
    auto* validate_cmd = app.add_subcommand("validate", "Check scenario, model and district files; report every error");
    validate_cmd->add_option("files", validate.files, "Files to check")->required();
    validate_cmd->add_option("--format", validate_format, "text or json")->check(CLI::IsMember({"text", "json"}));
    add_plugin_options(*validate_cmd, plugins);

    graph_options graph;
    auto* graph_cmd = app.add_subcommand("graph", "Print the theory-of-change graph");
    graph_cmd->add_option("--model", graph.model_file,
                          "Model file: JSON, lavaan (.lav) or DAGitty (.dag); default: the embedded DPS model");
    graph_cmd->add_option("--format", graph.format, "dot, mermaid, json, lavaan or dagitty")
        ->check(CLI::IsMember({"dot", "mermaid", "json", "lavaan", "dagitty"}));
    graph_cmd->add_option("-o,--output", graph.output, "Write to a file instead of stdout");

    auto* plugins_cmd = app.add_subcommand("plugins", "List the effect models found on the plugin search path");
    add_plugin_options(*plugins_cmd, plugins);

    std::string describe_model;
    auto* describe_cmd =
        app.add_subcommand("describe", "Show an effect model's parameters, defaults, priors and sources");
    describe_cmd->add_option("model", describe_model, "Effect model name")->required();
    add_plugin_options(*describe_cmd, plugins);

    sources_options sources;
    auto* sources_cmd =
        app.add_subcommand("sources", "List the studies the defaults cite, or print one's full citation");
    sources_cmd->add_option("id", sources.id, "Reference id, e.g. pane2017 (default: list every reference)");
    sources_cmd->add_option("--format", sources.format, "text or json")->check(CLI::IsMember({"text", "json"}));

    // rubric (issue 27): the Driver Model's stage descriptors, to rate a school against
    rubric_options rubric;
    auto* rubric_cmd =
        app.add_subcommand("rubric", "Print the stage descriptors practices and drivers are rated against");
    rubric_cmd->add_option("node", rubric.node,
                           "A practice or driver (id or label) or a primary driver (default: all)");
    rubric_cmd->add_option("--model", rubric.model_file, "Model file (default: the embedded DPS model)");
    rubric_cmd->add_option("--format", rubric.format, "text or json")->check(CLI::IsMember({"text", "json"}));

    run_options run;
    auto* run_cmd = app.add_subcommand("run", "Project a scenario against business as usual");
    add_run_options(*run_cmd, run);
    add_plugin_options(*run_cmd, plugins);
    run_cmd->add_flag("--report", run.report, "Also write report.html, a self-contained report to read in a browser");
    run_cmd->add_flag("--per-draw", run.per_draw,
                      "Also write draws.csv (every row's value in every draw, suppressed rows left out) and "
                      "inputs.csv (what every draw sampled)");

    rerun_options rerun;
    auto* rerun_cmd =
        app.add_subcommand("rerun",
                           "Repeat the run a results folder holds from the inputs it keeps, and compare its files");
    rerun_cmd->add_option("results", rerun.results_dir, "Folder written by `pathways run`")->required();
    rerun_cmd->add_option("-o,--out", rerun.out_dir, "Folder to write the repeated run to (default: RESULTS-rerun)");
    rerun_cmd->add_flag("--force", rerun.force, "Replace that folder");
    rerun_cmd->add_option("--threads", rerun.threads,
                          "Worker threads (default: all cores; the bytes do not depend on it)");
    rerun_cmd->add_flag("--quiet", rerun.quiet, "No progress bar");
    add_plugin_options(*rerun_cmd, plugins);

    // report and effects (issue 6)
    report_options report;
    auto* report_cmd = app.add_subcommand("report", "Write a self-contained HTML report of a results folder");
    report_cmd->add_option("results", report.results_dir, "Folder written by `pathways run`")->required();
    report_cmd->add_option("-o,--output", report.output, "HTML file to write (default: RESULTS/report.html)");
    report_cmd->add_flag("--force", report.force, "Overwrite an existing report");
    add_plugin_options(*report_cmd, plugins);
    effects_options effects;
    auto* effects_cmd =
        app.add_subcommand("effects", "Direct, indirect and total effects of each practice and driver on each outcome");
    effects_cmd->add_option("--model", effects.model_file,
                            "Model file: JSON, lavaan (.lav) or DAGitty (.dag); default: the embedded DPS model");
    effects_cmd->add_option("--scenario", effects.scenario_file, "Scenario: its model, effect model and levels");
    effects_cmd->add_option("--format", effects.format, "table, csv or json")
        ->check(CLI::IsMember({"table", "csv", "json"}));
    add_plugin_options(*effects_cmd, plugins);

    // sweep and sensitivity (issue 5)
    sweep_options sweep;
    auto* sweep_cmd =
        app.add_subcommand("sweep", "Run a grid over numeric scenario fields into one table (and SQLite)");
    sweep_cmd->add_option("scenario", sweep.scenario_file, "Scenario file (JSON, format v1)")->required();
    sweep_cmd
        ->add_option("--grid", sweep.grid, "Axis /json/pointer=v1,v2,... over a number of the scenario (repeatable)")
        ->required();
    add_parameter_options(*sweep_cmd, sweep.parameters);
    sweep_cmd->add_option("--variant", sweep.variant, "Variant to sweep (default: base); pointers address it merged");
    add_draws_option(*sweep_cmd, sweep.draws, "Monte Carlo draws per point; overrides the scenario");
    add_seed_option(*sweep_cmd, sweep.seed, "Random seed, the same at every point; overrides the scenario");
    sweep_cmd->add_option("--threads", sweep.threads, "Worker threads (default: all cores)");
    sweep_cmd->add_option("--out", sweep.out_dir, "Output folder for sweep.csv (default: out/<scenario name>)");
    sweep_cmd->add_option("--db", sweep.db, "Also store every point's rows and manifest in this SQLite file");
    sweep_cmd->add_flag("--all-years", sweep.all_years, "Every year in sweep.csv, not only the final one");
    sweep_cmd->add_flag("--per-draw", sweep.per_draw,
                        "With --db, also store every draw's value of every unsuppressed row (table draws)");
    sweep_cmd->add_flag("--force", sweep.force, "Overwrite existing outputs");
    sweep_cmd->add_flag("--quiet", sweep.quiet, "No progress display");
    add_split_options(*sweep_cmd, sweep.split);
    add_plugin_options(*sweep_cmd, plugins);
    sensitivity_command_options sensitivity;
    auto* sensitivity_cmd =
        app.add_subcommand("sensitivity", "Which uncertain input drives a value: tornado and Sobol indices");
    sensitivity_cmd->add_option("scenario", sensitivity.scenario_file, "Scenario file (JSON, format v1)")->required();
    sensitivity_cmd->add_option("--outcome", sensitivity.outcome, "Reported outcome, e.g. academic.achievement.math")
        ->required();
    sensitivity_cmd->add_option("--subgroup", sensitivity.subgroup, "Reported subgroup, e.g. all or race:black")
        ->required();
    sensitivity_cmd->add_option("--year", sensitivity.year, "Calendar year (default: the final year)");
    sensitivity_cmd->add_option("--metric", sensitivity.metric,
                                "effect (default), level, bau_level, percentile_shift or gap_sd");
    add_parameter_options(*sensitivity_cmd, sensitivity.parameters);
    sensitivity_cmd->add_option("--variant", sensitivity.variant, "Variant to study (default: base)");
    sensitivity_cmd->add_option("--n", sensitivity.base_samples, "Base samples N of the Saltelli design (default 256)");
    sensitivity_cmd->add_option("--bootstrap", sensitivity.bootstrap,
                                "Bootstrap resamples for the intervals (default 200)");
    add_seed_option(*sensitivity_cmd, sensitivity.seed, "Random seed; overrides the scenario");
    sensitivity_cmd->add_option("--threads", sensitivity.threads, "Worker threads (default: all cores)");
    sensitivity_cmd->add_option("--out", sensitivity.out_dir, "Folder for sensitivity.csv (default: print only)");
    sensitivity_cmd->add_flag("--force", sensitivity.force, "Overwrite an existing sensitivity.csv");
    sensitivity_cmd->add_flag("--quiet", sensitivity.quiet, "No progress display");
    add_split_options(*sensitivity_cmd, sensitivity.split);
    add_plugin_options(*sensitivity_cmd, plugins);

    anchors_options anchors;
    auto* anchors_cmd = app.add_subcommand("anchors",
                                           "List the published effects models are checked against; "
                                           "--check compares every model with them");
    anchors_cmd->add_option("--anchors-file", anchors.anchors_file, "More anchors (JSON) besides the shipped ones");
    anchors_cmd->add_option("--check", anchors.check_scenarios,
                            "Scenario to run every installed model on at its defaults (repeatable)");
    add_plugin_options(*anchors_cmd, plugins);

    calibrate_options calibrate;
    auto* calibrate_cmd = app.add_subcommand("calibrate",
                                             "Fit an effect model's knob to published effects (--anchors all, or one "
                                             "--anchor), or update its priors from observed outcomes (--observed)");
    calibrate_cmd->add_option("scenario", calibrate.scenario_file, "Scenario file (JSON, format v1)")->required();
    calibrate_cmd->add_option("--anchor", calibrate.anchor, "Anchor to reproduce, e.g. rand2017-math");
    calibrate_cmd->add_option("--anchors", calibrate.anchor_selection,
                              "Anchors to fit at once: all, or ids separated by commas");
    calibrate_cmd->add_option("--model", calibrate.model, "Effect model to calibrate instead of the scenario's");
    calibrate_cmd->add_option("--anchors-file", calibrate.anchors_file, "More anchors (JSON) besides the shipped ones");
    add_parameter_options(*calibrate_cmd, calibrate.parameters);
    calibrate_cmd->add_option("--out", calibrate.out,
                              "Parameter file to write (default: out/<scenario>/calibration-<anchor>-<model>.json)");
    calibrate_cmd->add_flag("--force", calibrate.force, "Overwrite an existing parameter file");
    add_plugin_options(*calibrate_cmd, plugins);
    // calibrate --observed and monitor (issue 14): the projection against observed outcomes.
    observed_options calibrate_observed;
    double discrepancy_sd = 0.0;
    calibrate_cmd->add_option("--observed", calibrate_observed.observed_file,
                              "Observed outcomes (CSV): update the priors of every uncertain input from them instead "
                              "of solving for an anchor");
    calibrate_cmd->add_option("--ratings", calibrate_observed.ratings_file,
                              "With --observed: schools' ratings on the practices and drivers (CSV), whose "
                              "likelihood under each draw's ramp also weighs the draws");
    calibrate_cmd->add_option("--discrepancy-sd", discrepancy_sd,
                              "With --observed: model discrepancy SD added to every cell's standard error (default 0)");
    calibrate_cmd->add_option("--variant", calibrate_observed.variant,
                              "With --observed: variant to run (default: base)");
    add_draws_option(*calibrate_cmd, calibrate_observed.draws, "With --observed: prior draws (default: 2000)");
    add_seed_option(*calibrate_cmd, calibrate_observed.seed, "With --observed: random seed; overrides the scenario");
    calibrate_cmd->add_option("--threads", calibrate_observed.threads, "Worker threads (default: all cores)");
    calibrate_cmd->add_flag("--quiet", calibrate_observed.quiet, "No progress display");
    observed_options monitor;
    auto* monitor_cmd =
        app.add_subcommand("monitor", "Compare a scenario's projection with observed outcomes, cell by cell");
    monitor_cmd->add_option("scenario", monitor.scenario_file, "Scenario file (JSON, format v1)")->required();
    monitor_cmd->add_option("--observed", monitor.observed_file, "Observed outcomes (CSV)");
    std::string monitor_ratings;
    monitor_cmd->add_option("--implementation", monitor_ratings,
                            "Schools' ratings on the practices and drivers (CSV): each against the plan's ramp");
    monitor_cmd->add_option("--variant", monitor.variant, "Variant to compare (default: base)");
    monitor_cmd->add_option("--model", monitor.model, "Effect model to use instead of the scenario's");
    add_parameter_options(*monitor_cmd, monitor.parameters);
    add_draws_option(*monitor_cmd, monitor.draws, "Monte Carlo draws; overrides the scenario");
    add_seed_option(*monitor_cmd, monitor.seed, "Random seed; overrides the scenario");
    monitor_cmd->add_option("--threads", monitor.threads, "Worker threads (default: all cores)");
    monitor_cmd->add_option("--out", monitor.out,
                            "Folder for monitor.csv and monitor.html (default: out/<scenario>-monitor)");
    monitor_cmd->add_flag("--force", monitor.force, "Overwrite existing outputs");
    monitor_cmd->add_flag("--quiet", monitor.quiet, "No progress display");
    add_plugin_options(*monitor_cmd, plugins);

    // compare and compare-models (issue 5)
    compare_options compare;
    auto* compare_cmd =
        app.add_subcommand("compare", "Run several scenarios on the same draws, side by side with paired differences");
    compare_cmd
        ->add_option("scenarios", compare.scenario_files,
                     "Scenario files; the first is what the others are compared with")
        ->required();
    add_parameter_options(*compare_cmd, compare.parameters);
    compare_cmd->add_option("--variant", compare.variant, "Variant of every scenario to run (default: base)");
    add_draws_option(*compare_cmd, compare.draws, "Monte Carlo draws; overrides the scenarios");
    add_seed_option(*compare_cmd, compare.seed, "Random seed for every run (default: the first scenario's)");
    compare_cmd->add_option("--threads", compare.threads, "Worker threads (default: all cores)");
    compare_cmd->add_option("--out", compare.out_dir,
                            "Folder for comparison.csv and manifest.json (default: print only)");
    compare_cmd->add_flag("--force", compare.force, "Overwrite existing outputs");
    compare_cmd->add_flag("--quiet", compare.quiet, "No progress display");
    compare_cmd->add_flag("--detail", compare.detail,
                          "Print every subgroup and outcome side by side, not the one-screen summary");
    add_split_options(*compare_cmd, compare.split);
    add_plugin_options(*compare_cmd, plugins);
    compare_models_options compare_models;
    auto* compare_models_cmd =
        app.add_subcommand("compare-models", "Run one scenario under several effect models on the same draws");
    compare_models_cmd->add_option("scenario", compare_models.scenario_file, "Scenario file (JSON, format v1)")
        ->required();
    compare_models_cmd->add_option(
        "--models", compare_models.models,
        "Effect models, comma-separated (default: linear,saturating,lagged,subgroup,evidence)");
    compare_models_cmd->add_option(
        "--weights", compare_models.weights,
        "Weights of the models in the mixture, e.g. linear=0.5,evidence=0.5, or equal (default: each model's "
        "likelihood of the published anchors)");
    add_parameter_options(*compare_models_cmd, compare_models.parameters);
    compare_models_cmd->add_option("--variant", compare_models.variant, "Variant to run (default: base)");
    add_draws_option(*compare_models_cmd, compare_models.draws, "Monte Carlo draws; overrides the scenario");
    add_seed_option(*compare_models_cmd, compare_models.seed, "Random seed; overrides the scenario");
    compare_models_cmd->add_option("--threads", compare_models.threads, "Worker threads (default: all cores)");
    compare_models_cmd->add_option("--out", compare_models.out_dir,
                                   "Folder for models.csv and manifest.json (default: print only)");
    compare_models_cmd->add_flag("--force", compare_models.force, "Overwrite existing outputs");
    compare_models_cmd->add_flag("--quiet", compare_models.quiet, "No progress display");
    add_split_options(*compare_models_cmd, compare_models.split);
    add_plugin_options(*compare_models_cmd, plugins);

    population_options population;
    auto* population_cmd =
        app.add_subcommand("population", "Show what pathways builds from a district profile: schools or cells");
    population_cmd->add_option("district", population.district_file, "District profile (JSON)")->required();
    population_cmd->add_option("--model", population.model_file,
                               "Model file: JSON, lavaan (.lav) or DAGitty (.dag); default: the embedded DPS model");
    population_cmd->add_option("--format", population.format, "text, csv or json")
        ->check(CLI::IsMember({"text", "csv", "json"}));
    population_cmd->add_flag("--cells", population.cells, "Print the population cells instead of the schools");

    costs_options costs;
    auto* costs_cmd =
        app.add_subcommand("costs",
                           "Show every plan's cost ingredients: quantities, prices, what they follow, present value");
    costs_cmd->add_option("scenario", costs.scenario_file, "Scenario file (JSON, format v1)")->required();
    costs_cmd->add_option("--format", costs.format, "text or csv")->check(CLI::IsMember({"text", "csv"}));
    add_plugin_options(*costs_cmd, plugins);

    value_of_information_options voi;
    auto* voi_cmd = app.add_subcommand(
        "value-of-information",
        "What learning more before choosing among the plans would be worth: EVPI and EVPPI per group of inputs");
    voi_cmd->add_option("scenario", voi.scenario_file, "Scenario file (JSON, format v1)")->required();
    voi_cmd->add_option("--willingness-to-pay", voi.willingness_to_pay,
                        "Dollars the district would pay per SD gained per student (default 20000: 2,000 per "
                        "student for 0.1 SD)");
    add_draws_option(*voi_cmd, voi.draws, "Monte Carlo draws; overrides the scenario (more draws, less bias)");
    add_seed_option(*voi_cmd, voi.seed, "Random seed; overrides the scenario");
    voi_cmd->add_option("--threads", voi.threads, "Worker threads (default: all cores)");
    voi_cmd->add_flag("--quiet", voi.quiet, "No progress display");
    add_plugin_options(*voi_cmd, plugins);

    // plan-next (issue 15): where to scale next
    plan_next_command_options plan_next;
    auto* plan_next_cmd =
        app.add_subcommand("plan-next",
                           "Choose the schools a next wave should add to raise an objective (common random numbers)");
    plan_next_cmd->add_option("scenario", plan_next.scenario_file, "Scenario file (JSON, format v1)")->required();
    plan_next_cmd->add_option("--schools", plan_next.schools, "Schools to add (K)")->required();
    plan_next_cmd->add_option("--budget", plan_next.budget, "Most the added schools may cost over the horizon");
    plan_next_cmd->add_option("--objective", plan_next.objective,
                              "all (default), gap:<reference>-<focal> or per-dollar");
    plan_next_cmd->add_option("--variant", plan_next.variant, "Variant to extend (default: base)");
    add_draws_option(*plan_next_cmd, plan_next.draws, "Draws of the final evaluation; overrides the scenario");
    add_seed_option(*plan_next_cmd, plan_next.seed, "Random seed of every evaluation; overrides the scenario");
    plan_next_cmd->add_option("--random-sets", plan_next.random_sets, "Random K-sets the choice is compared with");
    plan_next_cmd->add_option("--threads", plan_next.threads, "Worker threads (default: all cores)");
    plan_next_cmd->add_option("--out", plan_next.out_dir, "Folder for plan-next.json (default: out/<scenario>-next)");
    plan_next_cmd->add_flag("--force", plan_next.force, "Overwrite an existing plan-next.json");
    add_plugin_options(*plan_next_cmd, plugins);
    // serve (issue 15): the explorer in the browser
    serve_options serve;
    auto* serve_cmd =
        app.add_subcommand("serve", "Explore a scenario's plan in the browser: a local web page and JSON API");
    serve_cmd->add_option("scenario", serve.scenario_file, "Scenario file to explore (JSON, format v1)");
    serve_cmd->add_option("--port", serve.port, "Port to listen on (default 8321; 0: any free port)")
        ->check(CLI::Range(0, 65535));
    serve_cmd->add_option("--bind", serve.bind,
                          "Address to listen on (default 127.0.0.1, this machine only; another address is "
                          "reachable from other machines)");
    serve_cmd->add_option("--allow-host", serve.allow_hosts,
                          "Host name browsers reach the server by (repeatable); required with a --bind that is not "
                          "loopback, and the only names answered there");
    serve_cmd->add_option("--threads", serve.threads, "Worker threads per run (default: all cores)");
    add_plugin_options(*serve_cmd, plugins);

    add_examples(app);
    if (refuse_unknown_command(app, argc, argv)) return exit_invalid_input;
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? exit_ok : exit_invalid_input;
    }
    // Under MPI the commands that project split their draws over the ranks; any other runs on rank 0 alone.
    const bool projects = *run_cmd || *sweep_cmd || *sensitivity_cmd || *compare_cmd || *compare_models_cmd;
    if (!pathways::is_root_rank() && !projects) return exit_ok;
    run.threads = worker_threads(run.threads);
    run.command_line.assign(argv, argv + argc);
    validate.format = validate_format == "json" ? diagnostic_format::json : diagnostic_format::text;

    try {
        if (*validate_cmd) return unless_interrupted(validate_command(validate, plugins));
        if (*graph_cmd) return graph_command(graph);
        if (*plugins_cmd) return unless_interrupted(plugins_command(plugins));
        if (*describe_cmd) return unless_interrupted(describe_command(describe_model, plugins));
        if (*sources_cmd) return unless_interrupted(sources_command(sources));
        if (*rubric_cmd) return unless_interrupted(rubric_command(rubric));
        if (*run_cmd) return run_command(run, plugins);
        if (*plan_next_cmd) {
            plan_next.command_line.assign(argv, argv + argc);
            plan_next.threads = worker_threads(plan_next.threads);
            return plan_next_command(plan_next, plugins);
        }
        if (*sweep_cmd) {
            sweep.command_line.assign(argv, argv + argc);
            sweep.threads = worker_threads(sweep.threads);
            return sweep_command(sweep, plugins);
        }
        if (*sensitivity_cmd) {
            sensitivity.threads = worker_threads(sensitivity.threads);
            sensitivity.command_line.assign(argv, argv + argc);
            return sensitivity_command(sensitivity, plugins);
        }
        if (*compare_cmd) {
            compare.command_line.assign(argv, argv + argc);
            return compare_command(compare, plugins);
        }
        if (*compare_models_cmd) {
            compare_models.command_line.assign(argv, argv + argc);
            return compare_models_command(compare_models, plugins);
        }
        if (*calibrate_cmd && calibrate_observed.observed_file.empty() && !calibrate_observed.ratings_file.empty()) {
            pathways::diagnostics found;
            found.error("<command line>", 0, 0, "",
                        "--ratings without --observed; expected the observed outcomes the ratings go beside");
            throw pathways::input_error(found);
        }
        if (*calibrate_cmd && !calibrate_observed.observed_file.empty()) {
            if (!calibrate.anchor.empty()) {
                pathways::diagnostics found;
                found.error("<command line>", 0, 0, "",
                            "--anchor and --observed both given; expected one: an anchor to solve a knob for, or "
                            "observed outcomes to update the priors from");
                throw pathways::input_error(found);
            }
            calibrate_observed.scenario_file = calibrate.scenario_file;
            calibrate_observed.model = calibrate.model;
            calibrate_observed.parameters = calibrate.parameters;
            calibrate_observed.out = calibrate.out;
            calibrate_observed.force = calibrate.force;
            calibrate_observed.threads = worker_threads(calibrate_observed.threads);
            return calibrate_observed_command(calibrate_observed, discrepancy_sd, plugins);
        }
        if (*calibrate_cmd) return unless_interrupted(calibrate_command(calibrate, plugins));
        if (*monitor_cmd) {
            monitor.threads = worker_threads(monitor.threads);
            monitor.command_line.assign(argv, argv + argc);
            if (monitor_ratings.empty() && monitor.observed_file.empty()) {
                pathways::diagnostics found;
                found.error("<command line>", 0, 0, "",
                            "nothing to monitor; expected --observed (outcomes), --implementation (ratings) or both");
                throw pathways::input_error(found);
            }
            if (monitor_ratings.empty() || !monitor.observed_file.empty()) {
                const int code = monitor_command(monitor, plugins);
                if (code != exit_ok || monitor_ratings.empty()) return code;
            }
            return monitor_implementation_command(monitor, monitor_ratings, plugins);
        }
        if (*anchors_cmd) return unless_interrupted(anchors_command(anchors, plugins));
        if (*report_cmd) return report_command(report, plugins);
        if (*rerun_cmd) {
            rerun.threads = worker_threads(rerun.threads);
            rerun.command_line.assign(argv, argv + argc);
            return unless_interrupted(rerun_command(rerun, plugins));
        }
        if (*effects_cmd) return unless_interrupted(effects_command(effects, plugins));
        if (*population_cmd) return unless_interrupted(population_command(population));
        if (*costs_cmd) return unless_interrupted(costs_command(costs, plugins));
        if (*voi_cmd) {
            voi.threads = worker_threads(voi.threads);
            voi.command_line.assign(argv, argv + argc);
            return value_of_information_command(voi, plugins);
        }
        if (*serve_cmd) {
            serve.threads = worker_threads(serve.threads);
            return serve_command(serve, plugins);
        }
    } catch (const pathways::rank_failed&) {
        throw;  // rank 0 reported it; every rank leaves with the failed rank's code
    } catch (const pathways::input_error& e) {
        print_diagnostics(e.found(), diagnostic_format::text);
        return exit_invalid_input;
    } catch (const pathways::plugin_error& e) {
        // The input was valid but a model failed while running: not the user's file to fix.
        std::cerr << "pathways: error: " << e.what() << '\n';
        return exit_internal;
    } catch (const pathways::environment_error& e) {
        std::cerr << "pathways: error: " << e.what() << '\n';
        return exit_environment;
    } catch (const std::filesystem::filesystem_error& e) {
        std::cerr << "pathways: error: " << e.what() << '\n';
        return exit_environment;
    } catch (const pathways::resource_error& e) {
        // The machine refused a thread or similar: the user can fix it with fewer threads or higher limits.
        std::cerr << "pathways: error: " << e.what() << '\n';
        return exit_environment;
    } catch (const std::system_error& e) {
        // A thread, mutex or similar the system refused (EAGAIN under `ulimit -v` or `ulimit -u`).
        std::cerr << "pathways: error: the system refused a resource: " << e.what()
                  << "; raise the process limits (ulimit -v, ulimit -u) or use fewer --threads\n";
        return exit_environment;
    } catch (const std::exception& e) {
        std::cerr << "pathways: internal error: " << e.what() << '\n';
        return exit_internal;
    }
    return exit_internal;
}

namespace {

std::string command_line_of(int argc, char** argv) {
    std::string line;
    for (int i = 0; i < argc; ++i) line += (i == 0 ? "" : " ") + std::string(argv[i]);
    return line;
}

/// What the ranks of an MPI run must agree on: the command line, and the bytes of every argument that
/// names a file (the scenario, observed data, parameter files...).
std::string request_fingerprint(int argc, char** argv) {
    std::string request;
    for (int i = 1; i < argc; ++i) {
        request += std::string(argv[i]) + '\0';
        std::error_code error;
        if (std::filesystem::is_regular_file(argv[i], error))
            request += pathways::sha256_file(argv[i]).value_or("unreadable") + '\0';
    }
    return pathways::sha256_hex(request);
}

}  // namespace

int main(int argc, char** argv) {
    install_signal_handling();  // first: the signal mask is inherited by every thread started later, MPI's too
    const pathways::rank_session ranks(argc, argv);
    quiet_unless_rank_0();
    if (pathways::request_differs_from_first_rank(request_fingerprint(argc, argv))) {
        // The other ranks stop at their first agreement, and rank 0 prints this.
        return pathways::conclude(exit_invalid_input,
                                  "pathways: error: this rank was started as `" + command_line_of(argc, argv) +
                                      "`, which differs from rank 0's command line or inputs; expected "
                                      "every rank to run the same command on the same inputs\n");
    }
    try {
        const int code = run_pathways(argc, argv);
        return pathways::conclude(code, captured_errors());
    } catch (const pathways::rank_failed& failed) {
        return failed.exit_code();
    }
}
