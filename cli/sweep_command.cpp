// sweep: every point of a grid over scenario numbers, run with the same draws (common random
// numbers), into one tidy table and optionally a SQLite database.
#include "sweep_command.hpp"

#include <charconv>
#include <cstdio>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>

#include "command_options.hpp"
#include "command_registry.hpp"
#include "common/csv.hpp"
#include "common/text_format.hpp"
#include "engine/suppression.hpp"
#include "report/output_files.hpp"
#include "report/run_writers.hpp"
#include "report/sqlite_store.hpp"
#include "run/manifest.hpp"
#include "run/ranks.hpp"
#include "run_options.hpp"
#include "scenario/results_writer.hpp"
#include "scenario/scenario_patch.hpp"
#include "thread_count.hpp"

namespace pathways::cli {
namespace {

using grid_point = std::vector<scenario_patch>;

/// Shortest text that reads back as `value` (grid values are echoed exactly, not to 6 digits).
std::string exact_number(double value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, result.ptr);
}

json::value grid_json(const grid_point& point) {
    json::value out = json::value::object{};
    for (const scenario_patch& patch : point) out.set(patch.pointer, patch.value);
    return out;
}

/// Every grid point read and checked before anything runs, so a bad value anywhere in the grid
/// stops the sweep up front. The same problem found at several points is reported once.
/// `settings`, after checking that none pins a parameter a grid axis varies: the setting would win
/// at every point and the axis would vary nothing.
std::vector<parameter_setting> pinned_outside_grid(std::vector<parameter_setting> settings,
                                                   const std::vector<grid_axis>& axes) {
    diagnostics found;
    for (const parameter_setting& setting : settings) {
        for (const grid_axis& axis : axes) {
            if (axis.pointer != "/effect_model/parameters/" + setting.name) continue;
            found.error(setting.where.file, setting.where.line, setting.where.column, setting.where.pointer,
                        "parameter '" + setting.name + "' is also a --grid axis (" + axis.pointer +
                            "); expected it pinned or swept, not both");
        }
    }
    if (found.has_errors()) throw input_error(found);
    return settings;
}

std::vector<scenario> read_points(const sweep_options& options, const std::vector<grid_point>& points) {
    diagnostics found;
    std::set<std::string> seen;
    std::vector<scenario> specs;
    for (const grid_point& point : points) {
        diagnostics problems;
        auto spec = read_patched_scenario(options.scenario_file, options.variant, point, problems);
        for (const diagnostic& d : problems.items()) {
            if (seen.insert(format_diagnostic(d)).second) found.add(d);
        }
        if (spec) specs.push_back(std::move(*spec));
    }
    if (found.has_errors()) throw input_error(found);
    return specs;
}

/// The rows a sweep reports: the final year only unless every year is asked for.
projection_result reported_rows(const projection_result& result, int years, bool all_years) {
    if (all_years) return result;
    projection_result kept;
    kept.draws = result.draws;
    for (std::size_t i = 0; i < result.rows.size(); ++i) {
        if (result.rows[i].year + 1 != years) continue;
        kept.rows.push_back(result.rows[i]);
        kept.summaries.push_back(result.summaries[i]);
    }
    return kept;
}

std::string prefixed_lines(const std::string& lines, const std::string& prefix) {
    std::string out;
    std::istringstream in(lines);
    for (std::string line; std::getline(in, line);) out += prefix + line + "\n";
    return out;
}

std::string sweep_csv_header(const std::vector<grid_axis>& axes) {
    std::string header = "point";
    for (const grid_axis& axis : axes) header += "," + csv_field(axis.pointer);
    return header + "," + projection_csv_header_text() + "\n";
}

/// What the compact table shows of one point: the final-year headline effect for "all" (with its 90%
/// interval) and the change of the first gap against business as usual.
struct point_summary {
    std::optional<stats::summary> effect_all;
    std::optional<double> gap_change;
    std::string gap_label;
};

point_summary summarize_point(const projection_result& result, const simulation& sim) {
    point_summary summary;
    const auto outcome = sim.headline_outcome();
    if (!outcome) return summary;
    std::optional<double> gap;
    std::optional<double> gap_bau;
    for (std::size_t i = 0; i < result.rows.size(); ++i) {
        const metric_row& row = result.rows[i];
        if (row.year + 1 != sim.years() || row.outcome != *outcome || row.suppressed) continue;
        const std::string& group = sim.subgroups()[row.subgroup].group.name;
        if (row.metric == metric::effect && group == "all") summary.effect_all = result.summaries[i];
        if (row.reference.empty() ||
            (!summary.gap_label.empty() && summary.gap_label != group + " vs " + row.reference))
            continue;
        if (row.metric == metric::gap_sd) gap = result.summaries[i].mean;
        if (row.metric == metric::gap_sd_bau) gap_bau = result.summaries[i].mean;
        summary.gap_label = group + " vs " + row.reference;
    }
    if (gap && gap_bau) summary.gap_change = *gap - *gap_bau;
    return summary;
}

void print_table(const std::vector<grid_axis>& axes, const std::vector<grid_point>& points,
                 const std::vector<point_summary>& summaries, const std::string& outcome, int year) {
    std::size_t width = 10;
    for (const grid_axis& axis : axes) width = std::max(width, axis.pointer.size() + 2);
    std::string gap_label;
    for (const point_summary& s : summaries) {
        if (!s.gap_label.empty()) gap_label = s.gap_label;
    }
    std::cout << "Year " << year << ", " << outcome << ": effect vs business as usual for all, mean [90% interval]"
              << (gap_label.empty() ? "" : "; gap change " + gap_label + " (SD, negative = closing)") << "\n";
    for (const grid_axis& axis : axes) std::cout << padded(axis.pointer, width);
    std::cout << padded("effect (all)", 33) << (gap_label.empty() ? "" : "gap change") << "\n";
    for (std::size_t p = 0; p < points.size(); ++p) {
        for (const scenario_patch& patch : points[p]) std::cout << padded(exact_number(patch.value), width);
        const point_summary& s = summaries[p];
        const std::string effect = s.effect_all ? stats::interval_text(*s.effect_all, 4) : "suppressed";
        std::cout << padded(effect, 33) << (s.gap_change ? signed_fixed(*s.gap_change, 4) : "") << "\n";
    }
}

/// One point's manifest, stored with its rows in the SQLite database.
std::string point_manifest(const sweep_options& options, const finished_run& run, const grid_point& point,
                           unsigned threads) {
    run_manifest manifest = manifest_of(*run.loaded, options.command_line, threads, true);
    return manifest_json_text(manifest, json::value().set("variant", options.variant).set("grid", grid_json(point)));
}

std::string sweep_manifest(const sweep_options& options, const std::vector<grid_axis>& axes, std::size_t points,
                           const finished_run& first, const std::string& csv, unsigned threads) {
    run_manifest manifest = manifest_of(*first.loaded, options.command_line, threads, true);
    add_output(manifest, "sweep.csv", csv);
    json::value::array grid;
    for (const grid_axis& axis : axes) {
        grid.push_back(json::value()
                           .set("pointer", axis.pointer)
                           .set("values", json::value::array(axis.values.begin(), axis.values.end())));
    }
    json::value details;
    details.set("variant", options.variant)
        .set("grid", std::move(grid))
        .set("points", points)
        .set("all_years", options.all_years);
    return manifest_json_text(manifest, details);
}

std::vector<std::string> conflicts(const sweep_options& options, const std::optional<output_set>& outputs) {
    if (!outputs) return {};
    std::vector<std::string> existing = outputs->conflicts({"sweep.csv", "sweep-manifest.json"});
    if (!options.db.empty() && !options.force && std::filesystem::exists(options.db)) existing.push_back(options.db);
    return existing;
}

/// The sweep's CSV and database publish every point together, so they are audited as one
/// publication (engine/suppression.hpp): each point is built once here for its strata, then let go.
std::vector<std::vector<std::vector<bool>>> audit_points(run_request request, const std::vector<scenario>& specs,
                                                         const plugin_registry& registry) {
    std::vector<std::vector<std::vector<bool>>> verdicts(specs.size());
    if (!request.suppression) return verdicts;
    publication_audit audit;
    for (const scenario& spec : specs) {
        request.scenario_spec = spec;
        diagnostics found;
        auto point = prepare(request, registry, found);
        if (!point) throw input_error(found);
        const prepared_run& run = point->runs.front();
        audit.add(*run.sim, run.loaded->spec.report.min_n);
    }
    for (std::size_t p = 0; p < specs.size(); ++p) verdicts[p] = audit.withheld(p);
    return verdicts;
}

/// Points [begin, end) of the grid, each loaded and built, as one plan, with the sweep's verdicts.
run_plan points_plan(run_request request, const std::vector<scenario>& specs, std::size_t begin, std::size_t end,
                     const plugin_registry& registry, const std::vector<std::vector<std::vector<bool>>>& verdicts) {
    run_plan plan{request, {}};
    for (std::size_t p = begin; p < end; ++p) {
        request.scenario_spec = specs[p];
        request.label = "point " + std::to_string(p + 1) + "/" + std::to_string(specs.size());
        diagnostics found;
        auto point = prepare(request, registry, found);
        if (p == begin) refuse_or_warn(point, found);  // every point draws from the same parameter files
        if (!point) throw input_error(found);
        point->runs.front().withheld = verdicts[p];
        plan.runs.push_back(std::move(point->runs.front()));
    }
    return plan;
}

}  // namespace

int sweep_command(const sweep_options& options, const plugin_options& plugins) {
    diagnostics found;
    const std::vector<grid_axis> axes = parse_grid(options.grid, found);
    if (found.has_errors()) throw input_error(found);
    const std::vector<grid_point> points = expand_grid(axes);
    const std::vector<scenario> specs = read_points(options, points);

    const std::filesystem::path folder =
        options.out_dir.empty() ? std::filesystem::path("out") / std::filesystem::path(options.scenario_file).stem()
                                : std::filesystem::path(options.out_dir);
    // Only rank 0 writes (under MPI the other ranks run their share of each point's draws).
    std::optional<output_set> outputs;
    if (is_root_rank()) outputs.emplace(folder, options.force);
    refuse_existing_outputs(conflicts(options, outputs));

    const plugin_registry registry = load_plugins(plugins);
    run_request request = base_request(options.scenario_file, options.parameters, options.draws, options.seed, found);
    if (found.has_errors()) throw input_error(found);
    request.parameters = pinned_outside_grid(request.parameters, axes);
    request.variant = options.variant;
    request.threads = options.threads;
    request.sustained_course = false;
    request.command_line = options.command_line;
    apply_split(options.split, request, found);
    if (found.has_errors()) throw input_error(found);
    if (options.per_draw && options.db.empty()) {
        found.error("<command line>", 0, 0, "", "--per-draw stores the draws in the database; expected --db FILE too");
        throw input_error(found);
    }
    std::optional<sqlite_store> store;
    if (!options.db.empty() && is_root_rank()) store.emplace(options.db, options.force);

    const auto verdicts = audit_points(request, specs, registry);
    std::string csv = sweep_csv_header(axes);
    std::vector<point_summary> summaries;
    std::optional<finished_run> first;  // described by the manifest
    std::string headline;
    int final_year = 0;
    progress_by_run progress(options.quiet);
    run_hooks hooks = progress.hooks();
    hooks.keep_every_draw = options.per_draw;
    // As many points at a time as there are ranks (one without MPI): their draws, end to end, are
    // split over the ranks, so a sweep of few draws a point keeps every rank busy. Ranks that split
    // the schools run every draw of a point together, one point at a time.
    const auto points_at_a_time = request.split_schools ? 1 : static_cast<std::size_t>(rank_count());
    for (std::size_t begin = 0; begin < points.size(); begin += points_at_a_time) {
        const std::size_t end = std::min(points.size(), begin + points_at_a_time);
        run_results results = execute(points_plan(request, specs, begin, end, registry, verdicts), hooks);
        if (results.cancelled || interrupted()) return interrupted_exit();
        // The points' draws are on rank 0: the other ranks' results hold no runs.
        for (std::size_t p = begin; p < begin + results.runs.size(); ++p) {
            finished_run& run = results.runs[p - begin];
            const simulation& sim = *run.sim;
            table_context context = context_of(run, true);
            context.variant = options.variant;
            std::string prefix = std::to_string(p + 1) + ",";
            for (const scenario_patch& patch : points[p]) prefix += exact_number(patch.value) + ",";
            csv +=
                prefixed_lines(projection_csv_rows(reported_rows(run.result, sim.years(), options.all_years), context),
                               prefix);
            const scenario& spec = run.loaded->spec;
            if (store) {
                const std::int64_t run_id =
                    store->add_run({spec.name, options.variant, run.loaded->model->name,
                                    json::to_text(grid_json(points[p]), -1), spec.seed, spec.draws,
                                    point_manifest(options, run, points[p], options.threads)},
                                   run.result, context);
                if (run.every_draw) store->add_draws(run_id, *run.every_draw, context);
            }
            summaries.push_back(summarize_point(run.result, sim));
            if (const auto o = sim.headline_outcome()) headline = sim.outcomes()[*o].id;
            final_year = spec.start_year + sim.years() - 1;
            if (!first) first = std::move(run);
        }
    }
    progress.finish();
    if (!outputs) return exit_ok;

    outputs->stage("sweep.csv", csv);
    outputs->stage("sweep-manifest.json", sweep_manifest(options, axes, points.size(), *first, csv, options.threads));
    if (interrupted()) {
        return interrupted_exit();
    }
    if (store) store->commit();
    outputs->commit();
    print_table(axes, points, summaries, headline, final_year);
    std::cout << "Wrote " << (folder / "sweep.csv").string() << ' ' << (folder / "sweep-manifest.json").string();
    if (store) std::cout << ' ' << store->path().string();
    std::cout << '\n';
    return exit_ok;
}

namespace {

const command_registration registration{{
    .order = 110,
    .name = "sweep",
    .description = "Run a grid over numeric scenario fields into one table (and SQLite)",
    .examples =
        "pathways sweep scenarios/denver-scale-up.json --grid /implementation/ramp/years_to_half=1,2,3 --draws 50",
    .projects = true,
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<sweep_options>();
        auto plugins = std::make_shared<plugin_options>();
        command.add_option("scenario", options->scenario_file, "Scenario file (JSON, format v1)")->required();
        command
            .add_option("--grid", options->grid,
                        "Axis /json/pointer=v1,v2,... over a number of the scenario (repeatable)")
            ->required();
        add_parameter_options(command, options->parameters);
        command.add_option("--variant", options->variant,
                           "Variant to sweep (default: base); pointers address it merged");
        add_draws_option(command, options->draws, "Monte Carlo draws per point; overrides the scenario");
        add_seed_option(command, options->seed, "Random seed, the same at every point; overrides the scenario");
        add_threads_option(command, options->threads);
        command.add_option("--out", options->out_dir, "Output folder for sweep.csv (default: out/<scenario name>)");
        command.add_option("--db", options->db, "Also store every point's rows and manifest in this SQLite file");
        command.add_flag("--all-years", options->all_years, "Every year in sweep.csv, not only the final one");
        command.add_flag("--per-draw", options->per_draw,
                         "With --db, also store every draw's value of every unsuppressed row (table draws)");
        command.add_flag("--force", options->force, "Overwrite existing outputs");
        add_quiet_flag(command, options->quiet);
        add_split_options(command, options->split);
        add_plugin_options(command, *plugins);
        return [options, plugins](int argc, char** argv) {
            options->command_line.assign(argv, argv + argc);
            options->threads = worker_threads(options->threads);
            return sweep_command(*options, *plugins);
        };
    },
}};

}  // namespace

}  // namespace pathways::cli
