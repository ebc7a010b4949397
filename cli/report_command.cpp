// report: one self-contained HTML file from a results folder.
#include "report_command.hpp"

#include <cmath>
#include <iostream>
#include <memory>
#include <optional>

#include "command_options.hpp"
#include "command_registry.hpp"
#include "report/html_report.hpp"
#include "report/output_files.hpp"
#include "run/execute.hpp"
#include "run/rerun.hpp"
#include "scenario/results_reader.hpp"
#include "stats/summary.hpp"

namespace pathways::cli {
namespace {

/// Populations up to this many cells are run again for the paired comparison (Denver has about 8,000;
/// the national profile's 3.5 million would take minutes and gigabytes, so its report stays on summaries).
constexpr double max_cells_to_repeat = 100'000;

/// The request that made run `run` of the manifest: its variant, seed, draws, effect model, parameters,
/// small-group floor and suppression as recorded.
run_request repeat_request(const run_manifest& manifest, const manifest_run& run) {
    run_request request;
    request.scenario_file = manifest.input("scenario")->path;
    request.variant = run.variant;
    const source_location origin = option_origin("manifest.json");
    request.effect_model =
        setting<std::string>{run.effect_model.empty() ? manifest.effect_model : run.effect_model, origin};
    for (const auto& [name, value] : run.pinned.empty() ? manifest.pinned : run.pinned)
        request.parameters.push_back({"", name, value, origin});
    request.draws = setting<std::int64_t>{manifest.draws, origin};
    request.seed = setting<std::int64_t>{static_cast<std::int64_t>(manifest.seed), origin};
    if (run.min_n > 0 || manifest.min_n > 0)
        request.min_n = setting<std::int64_t>{run.min_n > 0 ? run.min_n : manifest.min_n, origin};
    request.suppression = manifest.suppression;
    request.threads = static_cast<unsigned>(std::max<std::int64_t>(manifest.threads, 1));
    return request;
}

/// Whether the draws give the final-year effect means the results file holds (to within the six
/// significant digits older folders were written with): the inputs have not changed since the run.
bool reproduces(const labelled_run& draws, const result_run& run) {
    int last = 0;
    for (const labelled_row& row : draws.rows) last = std::max(last, row.key.year);
    std::size_t compared = 0;
    for (std::size_t r = 0; r < draws.rows.size(); ++r) {
        const row_key& key = draws.rows[r].key;
        if (key.year != last || key.metric != metric::effect || draws.rows[r].suppressed) continue;
        std::vector<double> values(draws.draws);
        for (std::size_t d = 0; d < draws.draws; ++d) values[d] = draws.values[d * draws.rows.size() + r];
        const double mean = stats::summarize(values).mean;
        for (const result_row& row : run.rows) {
            if (row.year != last || row.metric != "effect" || row.subgroup != key.subgroup ||
                row.outcome != key.outcome || (row.course != "with_cut_risk" && !row.course.empty()))
                continue;
            if (std::abs(mean - row.mean) > 1e-5 * std::abs(row.mean) + 1e-9) return false;
            ++compared;
        }
    }
    return compared > 0;
}

/// Every run's final-year draws, made again from the inputs the folder keeps (so the report depends on
/// the folder alone); none when they do not reproduce the file's numbers.
std::optional<std::vector<labelled_run>> repeated_from_kept_inputs(const results_folder& results,
                                                                   const plugin_registry& registry,
                                                                   const run_hooks& hooks) {
    diagnostics ignored;  // a folder whose kept inputs no longer load is reported from its summaries
    auto request = rerun_request(results.folder, results.manifest, ignored);
    if (!request) return std::nullopt;
    request->threads = static_cast<unsigned>(std::max<std::int64_t>(results.manifest.threads, 1));
    try {
        run_results repeated = execute(*request, registry, hooks);
        if (repeated.cancelled || repeated.runs.size() != results.runs.size()) return std::nullopt;
        std::vector<labelled_run> draws;
        for (std::size_t r = 0; r < repeated.runs.size(); ++r) {
            if (!repeated.runs[r].draws || !reproduces(*repeated.runs[r].draws, results.runs[r])) return std::nullopt;
            draws.push_back(std::move(*repeated.runs[r].draws));
        }
        return draws;
    } catch (const input_error&) {
        return std::nullopt;
    }
}

/// Every run's final-year draws, made again from what the manifest records: the same inputs, seed
/// and draws give the same draws (common random numbers), so the report can pair the variants as
/// `run --report` does. None when the population is large, the runs cannot be repeated or they do
/// not reproduce the file's numbers (an input changed since); the report then compares summaries.
std::optional<std::vector<labelled_run>> repeated_draws(const results_folder& results,
                                                        const plugin_registry& registry) {
    const run_manifest& manifest = results.manifest;
    if (manifest.cells > max_cells_to_repeat || manifest.runs.size() != results.runs.size()) return std::nullopt;
    std::cerr << "Repeating " << manifest.runs.size() << (manifest.runs.size() == 1 ? " run" : " runs") << " of "
              << manifest.draws << " draws to compare them draw by draw\n";
    run_hooks hooks;
    hooks.cancel = &interrupted();
    hooks.keep = kept_draws::final_year;
    if (keeps_inputs(manifest)) return repeated_from_kept_inputs(results, registry, hooks);
    std::vector<labelled_run> draws;
    for (std::size_t r = 0; r < manifest.runs.size(); ++r) {
        try {
            run_results repeated = execute(repeat_request(manifest, manifest.runs[r]), registry, hooks);
            if (repeated.cancelled || repeated.runs.size() != 1 || !repeated.runs.front().draws) return std::nullopt;
            if (!reproduces(*repeated.runs.front().draws, results.runs[r])) return std::nullopt;
            draws.push_back(std::move(*repeated.runs.front().draws));
        } catch (const input_error&) {
            return std::nullopt;
        }
    }
    return draws;
}

}  // namespace

int report_command(const report_options& options, const plugin_options& plugins) {
    const plugin_registry registry = load_plugins(plugins);
    const std::filesystem::path output = options.output.empty()
                                             ? std::filesystem::path(options.results_dir) / "report.html"
                                             : std::filesystem::path(options.output);
    diagnostics found;
    // The default report.html joins the results folder, which is then committed as a whole.
    std::optional<output_set> folder;
    if (options.output.empty()) {
        folder.emplace(options.results_dir, options.force);
        for (const std::string& path : folder->conflicts({"report.html"}))
            found.error(path, 0, 0, "", "output exists; use --force to overwrite it");
    } else if (std::filesystem::exists(output) && !options.force) {
        found.error(output.string(), 0, 0, "", "output exists; use --force to overwrite it");
    }
    if (found.has_errors()) throw input_error(found);
    const auto results = read_results(options.results_dir, found);
    if (!results) throw input_error(found);
    const auto draws = repeated_draws(*results, registry);
    if (interrupted()) return interrupted_exit();
    if (!draws) std::cerr << "note: the runs were not repeated, so the report compares the variants' summaries\n";
    const auto html = html_report_for_results(*results, registry, draws ? &*draws : nullptr, found);
    if (!html) throw input_error(found);
    if (interrupted()) return interrupted_exit();
    if (folder) {
        folder->stage("report.html", *html);
        folder->commit();
    } else {
        write_file_atomically(output, *html, options.force);
    }
    std::cout << "Wrote " << output.string() << '\n';
    return exit_ok;
}

namespace {

const command_registration registration{{
    .order = 90,
    .name = "report",
    .description = "Write a self-contained HTML report of a results folder",
    .examples = "pathways report out/denver-scale-up",
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<report_options>();
        auto plugins = std::make_shared<plugin_options>();
        command.add_option("results", options->results_dir, "Folder written by `pathways run`")->required();
        command.add_option("-o,--output", options->output, "HTML file to write (default: RESULTS/report.html)");
        command.add_flag("--force", options->force, "Overwrite an existing report");
        add_plugin_options(command, *plugins);
        return [options, plugins](int, char**) { return report_command(*options, *plugins); };
    },
}};

}  // namespace

}  // namespace pathways::cli
