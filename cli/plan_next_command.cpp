// plan-next: screen every school the plan does not reach (central run), choose the best K within the
// budget, evaluate the choice and random K-sets on the same draws, and write the plan with the new
// wave as a scenario file that `pathways run` takes unchanged.
#include "plan_next_command.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "command_options.hpp"
#include "command_registry.hpp"
#include "common/csv.hpp"
#include "engine/costs.hpp"
#include "engine/plan_next.hpp"
#include "report/cost_summary.hpp"
#include "report/output_files.hpp"
#include "run/execute.hpp"
#include "run_options.hpp"
#include "scenario/json_reader.hpp"
#include "scenario/scenario_patch.hpp"
#include "thread_count.hpp"

namespace pathways::cli {
namespace {

/// The largest input copied beside the written scenario (the national schools CSV is about 10 MB).
constexpr std::uintmax_t max_copied_bytes = 256u << 20;

[[noreturn]] void fail(const std::string& file, const std::string& message) {
    diagnostics found;
    found.error(file, 0, 0, "", message);
    throw input_error(found);
}

/// Copies `file` to `folder`/`name` (paths in files must stay inside the scenario's folder) and
/// returns `name`. Written as every output file is: whole or not at all, never through a link.
std::string copy_into(const std::filesystem::path& file, const std::filesystem::path& folder, const std::string& name) {
    const std::filesystem::path target = folder / name;
    std::filesystem::create_directories(target.parent_path());
    diagnostics found;
    const auto content = json::read_text(file, found, max_copied_bytes, "input");
    if (!content) throw input_error(found);
    write_file_atomically(target, *content, true);
    return name;
}

/// The district profile (and its schools CSV) copied into `folder`/districts; returns the profile's
/// path as the written scenario names it.
std::string copy_district(const scenario& spec, const district_profile& district, const std::filesystem::path& folder) {
    const std::string name = "districts/" + spec.district_path.filename().string();
    copy_into(spec.district_path, folder, name);
    if (!district.schools_csv.empty())
        copy_into(district.schools_csv, folder, "districts/" + district.schools_csv.filename().string());
    return name;
}

/// The scenario file with the variant merged in, the variants dropped, the next wave appended and
/// the district (and a model file) copied into `folder`, next to it.
std::string plan_file(const plan_next_command_options& options, const loaded_scenario& loaded, const wave& added,
                      const std::filesystem::path& folder) {
    const scenario& spec = loaded.spec;
    next_wave_edit edit{.variant = options.variant,
                        .name = spec.name + " + next wave",
                        .description = "Written by pathways plan-next from " + options.scenario_file +
                                       (options.variant == "base" ? "" : " (variant " + options.variant + ")") +
                                       ": the plan with " + std::to_string(added.schools.ids.size()) +
                                       " more schools from " + std::to_string(added.start_year) +
                                       ", chosen for the objective " + options.objective + ".",
                        .district = copy_district(spec, loaded.district, folder),
                        .model = std::nullopt,
                        .wave_name = added.name,
                        .start_year = added.start_year,
                        .school_ids = added.schools.ids};
    if (!spec.model_path.empty()) edit.model = copy_into(spec.model_path, folder, spec.model_path.filename().string());
    diagnostics found;
    auto text = scenario_with_next_wave(options.scenario_file, edit, found);
    if (!text) throw input_error(found);
    return std::move(*text);
}

/// Every candidate with what a district weighs beside the gain: size, level, who it serves, where it
/// starts (its starting level when the schools CSV gives one) and its SPF rating.
std::string candidates_csv(const plan_next_result& result, const std::vector<school>& schools) {
    std::string out =
        "rank,school_id,school_name,level,enrollment,spf,start_level,frl_share,ell_share,sped_share,"
        "black_share,hispanic_share,white_share,gain,unit,cost,cost_per_student\n";
    const auto share = [](const school& s, sdk::race r) { return s.race_shares[static_cast<std::size_t>(r)]; };
    for (std::size_t i = 0; i < result.ranked.size(); ++i) {
        const candidate_score& c = result.ranked[i];
        const school& s = schools[c.school];
        out += fmt::format("{},{},{},{},{},{},{},{:.4g},{:.4g},{:.4g},{:.4g},{:.4g},{:.4g},{:.6g},{},{:.0f},{}\n",
                           i + 1, csv_field(s.id), csv_field(s.name), to_string(s.level), s.enrollment,
                           csv_field(s.spf), s.start_level ? fmt::format("{:.3g}", *s.start_level) : std::string(),
                           s.frl_share, s.ell_share, s.sped_share, share(s, sdk::race::black),
                           share(s, sdk::race::hispanic), share(s, sdk::race::white), c.gain, result.unit, c.cost,
                           s.enrollment > 0 ? fmt::format("{:.0f}", c.cost / static_cast<double>(s.enrollment))
                                            : std::string());
    }
    return out;
}

void print_result(const plan_next_result& result, const plan_next_command_options& options,
                  const loaded_scenario& loaded, std::size_t candidates) {
    const auto& schools = loaded.schools;
    const std::string currency = plan_costs(loaded.district, loaded.spec).currency;
    const int final_year = loaded.spec.start_year + loaded.spec.years - 1;
    std::cout << loaded.spec.name << ": where next\n"
              << "Objective: " << options.objective << " on " << result.outcome << " in " << final_year
              << ", the plan with the new wave minus the plan without it (" << result.unit << ")\n"
              << "Screened " << candidates << " schools the plan does not reach, each alone as a wave from "
              << result.added.start_year << " (central run); evaluated the choice on " << result.draws
              << (result.draws == 1 ? " run" : " draws") << " and " << options.random_sets << " random sets of "
              << options.schools << " schools on the same draws.\n\n";
    std::cout << "Chosen schools (screening gain each alone):\n";
    for (const std::size_t s : result.chosen) {
        const auto it = std::find_if(result.ranked.begin(), result.ranked.end(),
                                     [&](const candidate_score& c) { return c.school == s; });
        std::cout << fmt::format("  {:<10} {:<34} {:+.5f} {}", schools[s].id, schools[s].name, it->gain, result.unit)
                  << (currency.empty() ? "" : "  cost " + money_text(it->cost, currency)) << "\n";
    }
    std::cout << fmt::format("\nExpected gain of the wave: {:+.5f} {} [90% interval {:+.5f}, {:+.5f}]\n",
                             result.gain.mean, result.unit, result.gain.p05, result.gain.p95);
    if (!currency.empty()) {
        std::cout << "Cost of the wave to " << final_year << ": " << money_text(result.added_cost, currency)
                  << " if sustained (central prices); " << money_text(result.added_cost_draws.mean, currency)
                  << " expected with the cut risk, the course the gain is on [90% "
                  << money_text(result.added_cost_draws.p05, currency) << ", "
                  << money_text(result.added_cost_draws.p95, currency) << "]\n"
                  << "Per student reached (" << fmt::format("{:.0f}", result.students_reached)
                  << " in the chosen schools): " << money_text(result.cost_per_student_reached, currency);
        if (std::isfinite(result.cost_per_student_per_tenth_sd))
            std::cout << "; per student of the district for 0.1 SD: "
                      << money_text(result.cost_per_student_per_tenth_sd, currency);
        std::cout << " (expected cost over expected gain, every draw)\n";
    }
    std::cout << fmt::format(
        "Beats a random choice of {} school{} in {:.0f}% of draws and random sets, ties in {:.0f}% (the same gain: "
        "a random set that is the choice, or a draw that cuts the program before the wave starts); random sets "
        "gain {:+.5f} on average; the choice's margin over them {:+.5f} [90% {:+.5f}, {:+.5f}]\n",
        options.schools, options.schools == 1 ? "" : "s", 100.0 * result.beats_random, 100.0 * result.ties_random,
        result.random_mean_gain, result.margin_over_random.mean, result.margin_over_random.p05,
        result.margin_over_random.p95);
}

}  // namespace

int plan_next_command(const plan_next_command_options& options, const plugin_options& plugins) {
    diagnostics found;
    std::string error;
    const auto objective = parse_objective(options.objective, error);
    if (!objective) fail("<command line>", "--objective: " + error);
    const std::filesystem::path folder =
        // Not out/plan-next: that is where `pathways run` of the written plan-next.json writes its results.
        options.out_dir.empty()
            ? std::filesystem::path("out") / (std::filesystem::path(options.scenario_file).stem().string() + "-next")
            : std::filesystem::path(options.out_dir);
    const std::filesystem::path plan_path = folder / "plan-next.json";
    const std::filesystem::path candidates_path = folder / "plan-next-candidates.csv";
    for (const std::filesystem::path& path : {plan_path, candidates_path}) {
        check_replaceable_file(path);  // a link or a folder is never replaced, --force or not
        if (std::filesystem::exists(path) && !options.force)
            fail(path.string(), "output exists; use --force to overwrite it");
    }

    const plugin_registry registry = load_plugins(plugins);
    run_request request = base_request(options.scenario_file, options.parameters, options.draws, options.seed, found);
    if (found.has_errors()) throw input_error(found);
    request.variant = options.variant;
    request.threads = options.threads;
    request.command_line = options.command_line;
    auto prepared = prepare(request, registry, found);
    refuse_or_warn(prepared, found);
    const loaded_scenario& loaded = *prepared->runs.front().loaded;

    plan_next_options settings;
    settings.schools = options.schools;
    settings.budget = options.budget;
    settings.objective = *objective;
    settings.draws = loaded.spec.draws;
    settings.seed = loaded.spec.seed;
    settings.random_sets = options.random_sets;
    settings.threads = options.threads;
    const plan_next_result result =
        plan_next({*loaded.graph, loaded.district, loaded.schools, loaded.cells, loaded.spec, *loaded.model}, settings);

    std::filesystem::create_directories(folder);
    // Each file whole or not at all (written beside its place, fsynced, renamed), the scenario last: it
    // names the copies, so it exists only once they do.
    const std::string plan_text = plan_file(options, loaded, result.added, folder);
    write_file_atomically(candidates_path, candidates_csv(result, loaded.schools), options.force);
    write_file_atomically(plan_path, plan_text, options.force);
    print_result(result, options, loaded, result.ranked.size());
    std::cout << "\nWrote " << plan_path.string() << " (run it: pathways run " << plan_path.string() << ") and "
              << (folder / "plan-next-candidates.csv").string() << "\n";
    return 0;
}

namespace {

const command_registration registration{{
    .order = 210,
    .name = "plan-next",
    .description = "Choose the schools a next wave should add to raise an objective (common random numbers)",
    .examples = "pathways plan-next scenarios/denver-scale-up.json --schools 5 --budget 10000000 --draws 50",
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<plan_next_command_options>();
        auto plugins = std::make_shared<plugin_options>();
        command.add_option("scenario", options->scenario_file, "Scenario file (JSON, format v1)")->required();
        command.add_option("--schools", options->schools, "Schools to add (K)")->required();
        command.add_option("--budget", options->budget, "Most the added schools may cost over the horizon");
        command.add_option("--objective", options->objective, "all (default), gap:<reference>-<focal> or per-dollar");
        command.add_option("--variant", options->variant, "Variant to extend (default: base)");
        add_draws_option(command, options->draws, "Draws of the final evaluation; overrides the scenario");
        add_seed_option(command, options->seed, "Random seed of every evaluation; overrides the scenario");
        add_parameter_options(command, options->parameters);
        command.add_option("--random-sets", options->random_sets, "Random K-sets the choice is compared with");
        add_threads_option(command, options->threads);
        command.add_option("--out", options->out_dir, "Folder for plan-next.json (default: out/<scenario>-next)");
        command.add_flag("--force", options->force, "Overwrite an existing plan-next.json");
        add_plugin_options(command, *plugins);
        return [options, plugins](int argc, char** argv) {
            options->command_line.assign(argv, argv + argc);
            options->threads = worker_threads(options->threads);
            return plan_next_command(*options, *plugins);
        };
    },
}};

}  // namespace

}  // namespace pathways::cli
