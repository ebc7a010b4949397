// run: project a scenario (and its variants) against business as usual and write the tables.
#include <chrono>
#include <iostream>
#include <set>
#include <sstream>

#include "common/version.hpp"
#include "commands.hpp"
#include "compare_command.hpp"
#include "parameter_settings.hpp"
#include "common/sha256.hpp"
#include "engine/projection.hpp"
#include "engine/scenario_loader.hpp"
#include "engine/wave_schools.hpp"
#include "report/output_files.hpp"
#include "report/projection_writer.hpp"
#include "report_command.hpp"
#include "run_summary.hpp"

namespace pathways::cli {
namespace {

std::set<std::string> parse_formats(const std::string& text) {
    std::set<std::string> formats;
    std::stringstream stream(text);
    for (std::string item; std::getline(stream, item, ',');) {
        if (item != "csv" && item != "json") {
            diagnostics found;
            found.error("<command line>", 0, 0, "", "unknown output format '" + item + "'; expected csv, json or csv,json");
            throw input_error(found);
        }
        formats.insert(item);
    }
    return formats;
}

std::string file_entry(const std::string& role, const std::filesystem::path& path) {
    const auto digest = sha256_file(path);
    return "    " + json_quote(role) + ": {\"path\": " + json_quote(path.string()) +
           ", \"sha256\": " + json_quote(digest.value_or("unreadable")) + "}";
}

struct finished_run {
    std::string variant;
    projection_result result;
    double seconds = 0.0;
    std::int64_t min_n = 0;  ///< the threshold this run's outputs were suppressed at
    std::vector<wave_schools> waves;  ///< the schools each wave reached, sampled ones as chosen
};

/// `[{"name": …, "start_year": …, "sampled": …, "seed": …, "schools": [ids…]}, …]` for the manifest.
std::string waves_json(const std::vector<wave_schools>& waves) {
    std::string out = "[";
    for (std::size_t w = 0; w < waves.size(); ++w) {
        out += std::string(w ? ", " : "") + "{\"name\": " + json_quote(waves[w].name) +
               ", \"start_year\": " + std::to_string(waves[w].start_year) +
               ", \"sampled\": " + (waves[w].sampled ? "true" : "false") + ", \"seed\": " + std::to_string(waves[w].seed) +
               ", \"schools\": [";
        for (std::size_t s = 0; s < waves[w].school_ids.size(); ++s) out += (s ? ", " : "") + json_quote(waves[w].school_ids[s]);
        out += "]}";
    }
    return out + "]";
}

std::string manifest_json(const run_options& options, const loaded_scenario& base, const std::vector<finished_run>& runs,
                          const std::vector<std::pair<std::string, std::string>>& outputs, unsigned threads) {
    std::ostringstream out;
    out << "{\n  \"pathways_version\": " << json_quote(version) << ",\n  \"sdk_abi\": " << sdk::abi_version
        << ",\n  \"build\": " << json_quote(PATHWAYS_BUILD_FINGERPRINT) << ",\n  \"command_line\": [";
    for (std::size_t i = 0; i < options.command_line.size(); ++i) out << (i ? ", " : "") << json_quote(options.command_line[i]);
    out << "],\n  \"scenario\": " << json_quote(base.spec.name) << ",\n  \"effect_model\": {\"name\": "
        << json_quote(base.model->name) << ", \"version\": " << json_quote(base.model->version) << ", \"pinned\": {";
    for (std::size_t i = 0; i < base.spec.parameters.size(); ++i) {
        out << (i ? ", " : "") << json_quote(base.spec.parameters[i].first) << ": " << format_value(base.spec.parameters[i].second);
    }
    out << "}},\n  \"seed\": " << base.spec.seed << ",\n  \"draws\": " << base.spec.draws << ",\n  \"threads\": " << threads
        << ",\n  \"suppression\": " << (options.no_suppression ? "false" : "true") << ",\n  \"min_n\": " << base.spec.report.min_n
        << ",\n  \"public_release\": "
        << (!options.no_suppression && base.spec.report.min_n >= publication_floor_min_n ? "true" : "false")
        << ",\n  \"inputs\": {\n"
        << file_entry("scenario", base.spec.file) << ",\n" << file_entry("district", base.spec.district_path) << ",\n"
        << file_entry("schools_csv", base.district.schools_csv) << ",\n"
        << (base.spec.model_path.empty() ? "    \"model\": {\"path\": \"<embedded:dps-personalized-learning>\"}"
                                         : file_entry("model", base.spec.model_path))
        << ",\n" << file_entry("plugin", base.model->file) << "\n  },\n  \"population\": {\"cells\": " << base.cells.size()
        << ", \"students\": " << format_value(base.population.total_students)
        << ", \"ipf_max_iterations\": " << base.population.max_iterations
        << ", \"ipf_worst_error\": " << format_value(base.population.worst_max_error) << "},\n  \"runs\": [";
    for (std::size_t i = 0; i < runs.size(); ++i) {
        out << (i ? ", " : "") << "{\"variant\": " << json_quote(runs[i].variant) << ", \"min_n\": " << runs[i].min_n
            << ", \"seconds\": " << format_value(runs[i].seconds) << ", \"waves\": " << waves_json(runs[i].waves)
            << "}";
    }
    out << "],\n  \"outputs\": {";
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        out << (i ? ", " : "") << json_quote(outputs[i].first) << ": " << json_quote(sha256_hex(outputs[i].second));
    }
    out << "}\n}\n";
    return out.str();
}

}  // namespace

int run_command(const run_options& options, const plugin_options& plugins) {
    const plugin_registry registry = load_plugins(plugins);
    scenario_overrides overrides{options.model, read_settings(options.parameters), options.draws, options.seed};
    overrides.min_n = options.min_n;
    // Outputs are for public release only when small groups are withheld at the publication floor or above.
    const bool for_release = !options.no_suppression && options.min_n.value_or(publication_floor_min_n) >= publication_floor_min_n;
    const std::set<std::string> formats = parse_formats(options.formats);

    diagnostics found;
    auto base = load_scenario(options.scenario_file, "base", registry, overrides, found);
    if (!base) throw input_error(found);
    std::vector<std::string> variants{options.all_variants ? "base" : options.variant};
    if (options.all_variants) variants.insert(variants.end(), base->spec.variant_names.begin(), base->spec.variant_names.end());

    const std::filesystem::path folder =
        options.out_dir.empty() ? std::filesystem::path("out") / std::filesystem::path(options.scenario_file).stem()
                                : std::filesystem::path(options.out_dir);
    output_set outputs(folder, options.force);
    std::vector<std::string> names{"manifest.json"};
    for (const std::string& format : formats) names.push_back("projection." + format);
    if (options.report) names.push_back("report.html");
    if (const auto existing = outputs.conflicts(names); !existing.empty()) {
        for (const std::string& path : existing) found.error(path, 0, 0, "", "output exists; use --force to overwrite it");
        throw input_error(found);
    }

    std::string csv = projection_csv_header() + "\n";
    if (!for_release) csv = "# NOT FOR PUBLIC RELEASE: small groups are published\n" + csv;
    std::string json = "{\"runs\": [\n";
    std::vector<finished_run> runs;
    std::string summaries;
    std::optional<loaded_scenario> first_run;  // described by the manifest
    std::vector<labelled_run> variant_draws;   // for the side-by-side comparison of variants
    std::vector<summarized_run> summary_runs;  // the one-screen summary's final-year draws
    run_summary_context summary_context;
    for (const std::string& variant : variants) {
        std::optional<loaded_scenario> loaded;
        if (variant == "base") loaded.swap(base);
        else loaded = load_scenario(options.scenario_file, variant, registry, overrides, found);
        if (!loaded) throw input_error(found);
        const simulation sim({*loaded->graph, loaded->district, loaded->schools, loaded->cells, loaded->spec, *loaded->model}, found);
        if (found.has_errors()) throw input_error(found);

        progress_display progress(variant, options.quiet);
        projection_options projection{loaded->spec.draws, loaded->spec.seed, options.threads, loaded->spec.report.min_n,
                                      !options.no_suppression, progress.callback(), &interrupted()};
        projection.sustained_course = true;  // every run reports the plan sustained and with the district's cut risk
        const auto start = std::chrono::steady_clock::now();
        const projection_draws draws = run_draws(sim, loaded->spec, projection);
        if (draws.cancelled) {
            return interrupted_exit();
        }
        if (variants.size() > 1) {
            // Only the horizon is compared, so only its rows are kept across variants.
            variant_draws.push_back(final_year_rows(label_draws(variant, comparable_rows(draws), sim, loaded->spec.start_year)));
        }
        if (summary_runs.empty()) {
            summary_context = {loaded->spec.name, loaded->model->name, headline_outcome(sim), draws.cut, draws.draws, for_release};
        }
        summary_runs.push_back(final_year_for_summary(variant, draws, sim, loaded->spec.start_year));
        finished_run run{variant, summarize_draws(draws),
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                         loaded->spec.report.min_n, schools_of_waves(sim.schedule(), loaded->schools, loaded->spec.plan)};
        const table_context context{loaded->spec.name, variant, loaded->model->name, loaded->spec.start_year, &sim,
                                    for_release};
        csv += projection_csv_rows(run.result, context);
        json += (runs.empty() ? "" : ",\n") + projection_json(run.result, context);
        summaries += projection_summary(run.result, context) + waves_text(run.waves) + "\n";
        runs.push_back(std::move(run));
        if (!first_run) first_run = std::move(loaded);
    }
    json += "]}\n";
    if (variant_draws.size() > 1) summaries += comparison_table(compare_runs(variant_draws)) + "\n";

    std::vector<std::pair<std::string, std::string>> written;
    if (formats.contains("csv")) written.emplace_back("projection.csv", csv);
    if (formats.contains("json")) written.emplace_back("projection.json", json);
    if (options.report) {
        // The report shows the manifest as it stands before the report's own hash is added to it.
        const std::string manifest_so_far = manifest_json(options, *first_run, runs, written, options.threads);
        written.emplace_back("report.html", run_report_html(json, manifest_so_far, folder, *first_run));
    }
    for (const auto& [name, content] : written) outputs.stage(name, content);
    outputs.stage("manifest.json", manifest_json(options, *first_run, runs, written, options.threads));
    if (interrupted()) {
        return interrupted_exit();
    }
    outputs.commit();
    if (!options.detail) {
        std::cout << run_summary(summary_runs, summary_context) << "\nEvery subgroup, outcome and projection: --detail, "
                  << "or the files.\nWrote to " << folder.string() << ":";
        for (const auto& [name, content] : written) std::cout << ' ' << name;
        std::cout << " manifest.json\n";
        return exit_ok;
    }
    std::cout << summaries << "Wrote";
    for (const auto& [name, content] : written) std::cout << ' ' << (folder / name).string();
    std::cout << ' ' << (folder / "manifest.json").string() << '\n';
    return exit_ok;
}

}  // namespace pathways::cli
