// monitor --implementation: the scenario's ramp, draw by draw, against what schools' ratings say.
#include "implementation_command.hpp"

#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "common/sha256.hpp"
#include "common/text_format.hpp"
#include "engine/implementation_monitor.hpp"
#include "engine/scenario_loader.hpp"
#include "report/implementation_report.hpp"
#include "report/output_files.hpp"
#include "run/run_request.hpp"
#include "run_options.hpp"
#include "scenario/json_checks.hpp"
#include "signals.hpp"

namespace pathways::cli {
namespace {

/// Draws when neither --draws nor the scenario gives enough for a 90% interval.
constexpr std::int64_t minimum_draws = 20;

void print_tallies(const std::vector<implementation_tally>& tallies, const std::string& what) {
    std::size_t width = what.size() + 2;
    for (const implementation_tally& t : tallies) width = std::max(width, t.key.size() + 2);
    std::cout << "  " << cell(what, width) << cell("rated", 7) << cell("behind", 8) << cell("on track", 10)
              << cell("ahead", 7) << "mean rated - plan\n";
    for (const implementation_tally& t : tallies) {
        std::cout << "  " << cell(t.key, width) << cell(std::to_string(t.rows()), 7)
                  << cell(std::to_string(t.behind), 8) << cell(std::to_string(t.on_track), 10)
                  << cell(std::to_string(t.ahead), 7) << signed_fixed(t.mean_gap, 2) << "\n";
    }
}

void print_off_track(const implementation_table& table) {
    std::size_t shown = 0;
    for (const implementation_row& row : table.rows) {
        if (row.status == implementation_status::on_track) continue;
        if (shown++ == 0) {
            std::cout << "\nOff track (every row is in implementation.csv):\n  " << cell("school", 10)
                      << cell("year", 6) << cell("practice or driver", 56) << cell("rated", 7)
                      << cell("plan mean [90% interval]", 26) << cell("rating expected in", 20) << "status\n";
        }
        std::cout << "  " << cell(row.school, 10) << cell(std::to_string(row.year), 6) << cell(row.node, 56)
                  << cell(fixed(row.observed.level, 2) + (row.observed.self_only ? "*" : ""), 7)
                  << cell(stats::interval_text(row.planned, 2), 26)
                  << cell(fixed(row.predictive_p05, 2) + " to " + fixed(row.predictive_p95, 2), 20)
                  << to_string(row.status) << "\n";
    }
    if (shown > 0)
        std::cout << "  (* self-ratings only: expected to run " << fixed(table.measurement.self_bias, 2) << " high)\n";
}

}  // namespace

int monitor_implementation_command(const observed_options& options, const std::string& ratings_file,
                                   const plugin_options& plugins) {
    const plugin_registry registry = load_plugins(plugins);
    // Both files and their manifest are committed together: a full disk or a kill leaves the folder as it was.
    output_set outputs(monitor_folder(options), options.force);
    outputs.refuse_conflicts({"implementation.csv", "implementation.html", "implementation-manifest.json"});
    diagnostics found;
    run_request request = base_request(options.scenario_file, options.parameters, options.draws, options.seed, found);
    if (options.model) request.effect_model = setting<std::string>{*options.model, option_origin("--effect-model")};
    if (found.has_errors()) throw input_error(found);
    auto loaded = load_scenario(options.scenario_file, options.variant, registry, overrides_of(request), found);
    if (!loaded) throw input_error(found);
    const auto ratings =
        read_ratings_csv(ratings_file, ratings_context_for(*loaded->graph, loaded->schools, loaded->district), found);
    if (!ratings) throw input_error(found);
    const simulation sim(simulation_inputs{*loaded->graph, loaded->district, loaded->schools, loaded->cells,
                                           loaded->spec, *loaded->model},
                         found);
    if (found.has_errors()) throw input_error(found);
    const auto draws = static_cast<std::size_t>(std::max(loaded->spec.draws, minimum_draws));
    const implementation_table table =
        compare_implementation(sim, loaded->schools, combine_ratings(*ratings), draws, loaded->spec.seed);

    std::cout << "Implementation against the plan: " << loaded->spec.name << " (variant " << options.variant << ", "
              << draws << " draws, seed " << loaded->spec.seed << ")\nRatings: " << ratings_file << " ("
              << table.rows.size() << " school, practice-or-driver and year levels compared"
              << (table.outside_horizon ? fmt::format("; {} outside the projection left out", table.outside_horizon)
                                        : std::string())
              << ")\nA rating is taken to stray by " << fixed(table.measurement.rater_sd, 2)
              << " of a level (SD) and a self-rating to run " << fixed(table.measurement.self_bias, 2)
              << " high (assumptions); behind or ahead: outside the 90% interval the plan puts the rating in.\n\n";
    print_tallies(table.by_wave, "wave");
    std::cout << "\n";
    print_tallies(table.by_driver, "practice or driver");
    std::cout << "\n";
    print_tallies(table.by_school, "school");
    print_off_track(table);

    const implementation_context context{loaded->spec.name, options.variant, ratings_file,
                                         sha256_file(ratings_file).value_or(""), loaded->spec.seed};
    const std::vector<std::pair<std::string, std::string>> files{{"implementation.csv", implementation_csv(table)},
                                                                 {"implementation.html",
                                                                  implementation_html(table, context)}};
    for (const auto& [name, content] : files) outputs.stage(name, content);
    json::value details;
    details.set("variant", options.variant).set("ratings", ratings_file).set("ratings_sha256", context.ratings_sha);
    outputs.stage("implementation-manifest.json", monitor_manifest(*loaded, options, files, details));
    if (interrupted()) return interrupted_exit();
    outputs.commit();
    const std::filesystem::path& folder = outputs.folder();
    std::cout << "\nWrote " << (folder / "implementation.csv").string() << " "
              << (folder / "implementation.html").string() << " " << (folder / "implementation-manifest.json").string()
              << "\n";
    return exit_ok;
}

void weigh_by_ratings(importance_weights& weights, const finished_run& run, const std::string& ratings_file) {
    diagnostics found;
    const loaded_scenario& loaded = *run.loaded;
    const auto ratings =
        read_ratings_csv(ratings_file, ratings_context_for(*loaded.graph, loaded.schools, loaded.district), found);
    if (!ratings) throw input_error(found);
    const rated_points points = locate_ratings(*run.sim, loaded.schools, combine_ratings(*ratings));
    const std::vector<double> log_likelihoods =
        ratings_log_likelihoods(*run.sim, loaded.spec.seed, weights.weights.size(), points);
    weights.weights = reweighted(weights.weights, log_likelihoods);
    double sum_squares = 0.0;
    for (const double w : weights.weights) sum_squares += w * w;
    weights.effective_sample_size = sum_squares > 0.0 ? 1.0 / sum_squares : 0.0;
    std::cout << "Ratings: " << ratings_file << " (" << points.points.size()
              << " school, practice-or-driver and year levels in the likelihood"
              << (points.outside_horizon ? fmt::format("; {} outside the projection left out", points.outside_horizon)
                                         : std::string())
              << ")\n";
}

std::string ratings_method(const std::string& ratings_file) {
    const rating_measurement measurement;
    return fmt::format(
        "; times the likelihood of the ratings in {} (SHA-256 {}): each school's rated level of a practice or driver "
        "in a projected year is Normal(the draw's planned level, {}^2 / ratings), self-ratings expected {} higher "
        "(assumptions); coach and walkthrough ratings are used where there are any, self-ratings otherwise",
        ratings_file, sha256_file(ratings_file).value_or(""), json::format_number(measurement.rater_sd),
        json::format_number(measurement.self_bias));
}

}  // namespace pathways::cli
