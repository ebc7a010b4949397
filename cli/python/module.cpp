// The Python module `pathways`: load a scenario, run it through the same run layer as `pathways run`
// (request, prepare, execute), and read the results as tables and NumPy arrays. See README "Python".
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "common/subgroup_codes.hpp"
#include "common/version.hpp"
#include "engine/effects.hpp"
#include "engine/sensitivity_analysis.hpp"
#include "python_run.hpp"
#include "python_tables.hpp"
#include "report/draw_writers.hpp"
#include "report/output_files.hpp"
#include "report/run_writers.hpp"
#include "report/sensitivity_table.hpp"
#include "run/manifest.hpp"

namespace py = pybind11;

namespace pathways::python {
namespace {

/// A row asked for by Results.draws that the run suppresses: its draws are withheld as its summaries are.
struct suppressed_row : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A scenario file, loaded and checked once with its own settings (names, population, effects).
struct scenario_object {
    std::string path;
    std::shared_ptr<const run_plan> base;
    [[nodiscard]] const loaded_scenario& loaded() const { return *base->runs.front().loaded; }
};

/// The finished runs of Scenario.run, every draw of every row kept.
struct results_object {
    std::shared_ptr<const run_results> results;
    std::vector<std::string> set_files;  ///< the parameter files it read, which a results folder keeps
};

/// prepare() on a worker thread; input_error with every problem of the inputs. Warnings (a joint
/// posterior from a collapsed sample) are issued as Python warnings, as the CLI prints them before it runs.
run_plan prepare_interruptibly(const run_request& request) {
    const plugin_registry& plugins = registry();
    std::atomic<bool> cancel{false};
    std::optional<run_plan> plan;
    diagnostics found;
    run_interruptibly(
        [&] {
            plan = prepare(request, plugins, found);
            if (!plan) throw input_error(found);
        },
        cancel);
    warn(found);
    return std::move(*plan);
}

/// prepare() and execute() on a worker thread, stopped by Ctrl-C.
run_results execute_interruptibly(const run_request& request, run_hooks hooks) {
    run_plan plan = prepare_interruptibly(request);
    std::atomic<bool> cancel{false};
    hooks.cancel = &cancel;
    run_results results;
    run_interruptibly([&] { results = execute(std::move(plan), hooks); }, cancel);
    return results;
}

scenario_object load(const std::string& path) {
    return {path, std::make_shared<const run_plan>(prepare_interruptibly(request_of(path, {})))};
}

results_object run(const scenario_object& scenario, const run_arguments& arguments) {
    run_hooks hooks;
    hooks.keep_every_draw = true;
    return {std::make_shared<const run_results>(execute_interruptibly(request_of(scenario.path, arguments), hooks)),
            arguments.set_files};
}

metric metric_named(const std::string& name) {
    for (int m = 0; m <= static_cast<int>(metric::gap_years_to_close); ++m) {
        if (to_string(static_cast<metric>(m)) == name) return static_cast<metric>(m);
    }
    throw py::value_error("unknown metric '" + name + "'; expected a metric of projection.csv, e.g. effect");
}

// --- Results -------------------------------------------------------------------------------------

const finished_run& run_named(const run_results& results, const std::optional<std::string>& variant) {
    if (!variant) return results.runs.front();
    std::string names;
    for (const finished_run& run : results.runs) {
        if (run.name == *variant) return run;
        names += (names.empty() ? "" : ", ") + run.name;
    }
    throw py::key_error("no run named '" + *variant + "'; the results hold " + names);
}

/// projection.csv as a table: the same columns in the same order, suppressed values NaN.
py::object projection_table(const results_object& self) {
    std::vector<std::string> scenario, variant, model, subgroup, outcome, metric_names, course, reference;
    std::vector<long long> year;
    std::vector<double> mean, sd, p05, p50, p95, prob_positive, n_students;
    std::vector<bool> suppressed;
    for (const result_run& run : result_runs(*self.results)) {
        for (const result_row& row : run.rows) {
            scenario.push_back(run.scenario);
            variant.push_back(run.variant);
            model.push_back(run.model);
            year.push_back(row.year);
            subgroup.push_back(row.subgroup);
            outcome.push_back(row.outcome);
            metric_names.push_back(row.metric);
            course.push_back(row.course);
            reference.push_back(row.reference);
            mean.push_back(row.mean);
            sd.push_back(row.sd);
            p05.push_back(row.p05);
            p50.push_back(row.p50);
            p95.push_back(row.p95);
            prob_positive.push_back(row.prob_positive);
            n_students.push_back(row.n_students);
            suppressed.push_back(row.suppressed);
        }
    }
    table_builder table;
    table.text("scenario", scenario);
    table.text("variant", variant);
    table.text("model", model);
    table.integers("year", year);
    table.text("subgroup", subgroup);
    table.text("outcome", outcome);
    table.text("metric", metric_names);
    table.text("course", course);
    table.text("reference", reference);
    table.numbers("mean", mean);
    table.numbers("sd", sd);
    table.numbers("p05", p05);
    table.numbers("p50", p50);
    table.numbers("p95", p95);
    table.numbers("prob_positive", prob_positive);
    table.numbers("n_students", n_students);
    table.flags("suppressed", suppressed);
    return table.build();
}

struct row_query {
    std::string outcome;
    std::string subgroup;
    std::string metric;
    std::optional<int> year;               ///< default: the final year
    std::optional<std::string> course;     ///< default: with_cut_risk (or none, for business-as-usual rows)
    std::optional<std::string> reference;  ///< default: any (an error when several match)
};

bool matches(const result_row& row, const row_query& query, int year) {
    const bool course_ok = query.course ? row.course == *query.course : row.course != "sustained";
    return row.outcome == query.outcome && row.subgroup == query.subgroup && row.metric == query.metric &&
           row.year == year && course_ok && (!query.reference || row.reference == *query.reference);
}

/// The index of the one row `query` names; KeyError when none does, ValueError when several do.
std::size_t row_index(const result_run& run, const row_query& query) {
    int last_year = 0;
    for (const result_row& row : run.rows) last_year = std::max(last_year, row.year);
    const int year = query.year.value_or(last_year);
    std::vector<std::size_t> found;
    for (std::size_t r = 0; r < run.rows.size(); ++r) {
        if (matches(run.rows[r], query, year)) found.push_back(r);
    }
    if (found.empty()) {
        throw py::key_error("no row for outcome '" + query.outcome + "', subgroup '" + query.subgroup + "', metric '" +
                            query.metric + "' in " + std::to_string(year) +
                            "; see results.table() for the rows this run reports");
    }
    if (found.size() > 1) {
        std::string references;
        for (const std::size_t r : found) references += (references.empty() ? "" : ", ") + run.rows[r].reference;
        throw py::value_error("several rows match (references " + references + "); pass reference=");
    }
    return found.front();
}

/// Every draw's value of one row, in draw order; SuppressedError for a suppressed row.
py::array_t<double> row_draws(const results_object& self, const row_query& query,
                              const std::optional<std::string>& variant) {
    const finished_run& run = run_named(*self.results, variant);
    const result_run labelled = result_run_of(run.result, context_of(run, self.results->for_release));
    const std::size_t r = row_index(labelled, query);
    if (labelled.rows[r].suppressed) {
        throw suppressed_row(
            "the row is suppressed (a group below the run's min_n): its draws are withheld as "
            "projection.csv withholds its summaries; run with suppression=False for internal use");
    }
    const projection_draws& every = run.every_draw.value();
    py::array_t<double> values(static_cast<py::ssize_t>(every.draws));
    for (std::size_t d = 0; d < every.draws; ++d)
        values.mutable_at(static_cast<py::ssize_t>(d)) = every.values[d * every.rows.size() + r];
    return values;
}

/// What each draw sampled: a `draw` column, then one column per input (draw_writers.hpp).
py::object sampled_table(const results_object& self, const std::optional<std::string>& variant) {
    const finished_run& run = run_named(*self.results, variant);
    std::vector<long long> draws;
    std::vector<std::string> names;
    std::vector<std::vector<double>> values;
    for (std::size_t d = 0; d < run.result.draws; ++d) {
        const std::vector<sampled_input> inputs = sampled_inputs(run, d);
        if (d == 0) {
            for (const sampled_input& input : inputs) names.push_back(input.name);
            values.resize(names.size());
        }
        draws.push_back(static_cast<long long>(d));
        for (std::size_t i = 0; i < inputs.size(); ++i) values[i].push_back(inputs[i].value);
    }
    table_builder table;
    table.integers("draw", draws);
    for (std::size_t i = 0; i < names.size(); ++i) table.numbers(names[i], values[i]);
    return table.build();
}

// --- Results.write: a results folder as `pathways run --out` writes it ----------------------------

/// Writes the results folder `folder` as `pathways run` writes it (committed whole, refused when files
/// exist unless `force`): projection.csv/.json, with `per_draw` draws.csv and inputs.csv, the inputs as
/// read (`inputs/`, what `pathways rerun` repeats the run from) and manifest.json from the one manifest
/// builder. Returns the names written, the manifest last.
std::vector<std::string> write_folder(const results_object& self, const std::string& folder, const std::string& format,
                                      bool per_draw, bool force) {
    // csv, json or csv,json, as `pathways run --format` reads it; an error names the argument.
    const std::set<std::string> formats = parse_output_formats(format, {python_origin, 0, 0, "format"}, "");
    const run_results& results = *self.results;
    std::vector<std::pair<std::string, std::string>> files;
    if (formats.contains("csv")) files.emplace_back("projection.csv", projection_csv(results));
    if (formats.contains("json")) files.emplace_back("projection.json", projection_json(results));
    if (per_draw) {
        files.emplace_back("draws.csv", draws_csv(results));
        files.emplace_back("inputs.csv", inputs_csv(results));
    }
    std::vector<std::string> names;
    for (const auto& [name, content] : files) names.push_back(name);
    names.emplace_back("manifest.json");
    output_set outputs(folder, force);
    outputs.refuse_conflicts(names);
    run_manifest manifest = manifest_of(results);
    const std::vector<kept_input> kept = keep_inputs(manifest, self.set_files);
    for (const auto& [name, content] : files) add_output(manifest, name, content);
    for (const kept_input& input : kept) outputs.stage(kept_inputs_folder, input.name, input.content);
    for (const auto& [name, content] : files) outputs.stage(name, content);
    outputs.stage("manifest.json", manifest_json_text(manifest));
    // A new run replaces the folder's old one whole, as the CLI's run does.
    outputs.drop_on_commit(every_run_file());
    outputs.drop_on_commit(files_of_run(folder));
    outputs.commit();
    return names;
}

// --- Scenario: model comparison, effects, population, sensitivity ------------------------------

void add_summary(table_builder& table, const std::vector<stats::summary>& summaries) {
    const auto column = [&](const char* name, double stats::summary::*field) {
        std::vector<double> values;
        for (const stats::summary& s : summaries) values.push_back(s.*field);
        table.numbers(name, values);
    };
    column("mean", &stats::summary::mean);
    column("sd", &stats::summary::sd);
    column("p05", &stats::summary::p05);
    column("p50", &stats::summary::p50);
    column("p95", &stats::summary::p95);
}

/// The scenario under each model with the same draws (`pathways compare-models`): one row per model
/// and (outcome, subgroup) of the final year, then the models' mixture as model "mixture".
py::object compare_models_table(const scenario_object& self, const std::vector<std::string>& models,
                                run_arguments arguments, const std::map<std::string, double>& weights,
                                const std::string& metric_name) {
    if (models.empty()) throw py::value_error("no models; expected a list of effect model names");
    const metric chosen = metric_named(metric_name);
    std::vector<labelled_run> runs;
    for (const std::string& model : models) {
        arguments.effect_model = model;
        run_request request = request_of(self.path, arguments, "compare_models");
        request.label = model;
        request.skip_settings_of_other_models = true;
        request.sustained_course = false;
        run_hooks hooks;
        hooks.keep = kept_draws::all;
        run_results results = execute_interruptibly(request, hooks);
        runs.push_back(std::move(*results.runs.front().draws));
    }
    const model_comparison compared =
        compare_models(runs, chosen, std::vector<std::pair<std::string, double>>(weights.begin(), weights.end()));
    std::vector<std::string> model, outcome, subgroup;
    std::vector<double> spread, weight;
    std::vector<bool> suppressed;
    std::vector<stats::summary> summaries;
    for (std::size_t m = 0; m <= compared.models.size(); ++m) {
        const bool mixture = m == compared.models.size();
        for (const model_row& row : compared.rows) {
            model.push_back(mixture ? "mixture" : compared.models[m]);
            weight.push_back(mixture ? 1.0 : compared.weights[m]);
            outcome.push_back(row.outcome);
            subgroup.push_back(row.subgroup);
            summaries.push_back(mixture ? row.mixture : row.models[m]);
            spread.push_back(row.spread);
            suppressed.push_back(row.suppressed);
        }
    }
    if (compared.rows.empty()) return table_builder().build();
    table_builder table;
    table.text("model", model);
    table.numbers("weight", weight);
    table.integers("year", std::vector<long long>(model.size(), compared.year));
    table.text("outcome", outcome);
    table.text("subgroup", subgroup);
    table.text("metric", std::vector<std::string>(model.size(), metric_name));
    add_summary(table, summaries);
    table.numbers("spread", spread);
    table.flags("suppressed", suppressed);
    return table.build();
}

/// Direct, indirect and total effects of each practice and driver on each outcome (`pathways effects`).
py::object effects_table_of(const scenario_object& self) {
    const loaded_scenario& loaded = self.loaded();
    diagnostics found;
    effects_table table;
    {
        py::gil_scoped_release unlocked;
        table = scenario_effects(loaded, found);
    }
    if (found.has_errors()) throw input_error(found);
    const auto& nodes = loaded.graph->definition().nodes;
    std::vector<std::string> source, outcome;
    std::vector<double> direct, indirect, total;
    for (const effect_entry& entry : table.entries) {
        source.push_back(nodes[entry.source].id);
        outcome.push_back(nodes[entry.outcome].id);
        direct.push_back(entry.direct);
        indirect.push_back(entry.indirect);
        total.push_back(entry.total);
    }
    table_builder out;
    out.text("source", source);
    out.text("outcome", outcome);
    out.numbers("direct", direct);
    out.numbers("indirect", indirect);
    out.numbers("total", total);
    out.text("method", std::vector<std::string>(source.size(), table.method == effects_method::linear_algebra
                                                                   ? "linear algebra"
                                                                   : "finite differences"));
    out.text("unit", std::vector<std::string>(source.size(), table.unit));
    return out.build();
}

std::string joined_tags(const school& s) {
    std::string text;
    for (const std::string& tag : s.tags) text += (text.empty() ? "" : ";") + tag;
    return text;
}

/// The district's schools as the scenario loads them (`pathways population`).
py::object schools_table(const scenario_object& self) {
    const loaded_scenario& loaded = self.loaded();
    std::vector<std::string> id, name, level, spf, tags;
    std::vector<long long> enrollment;
    std::vector<double> ell, exited_ell, frl, sped;
    for (const school& s : loaded.schools) {
        id.push_back(s.id);
        name.push_back(s.name);
        level.emplace_back(to_string(s.level));
        enrollment.push_back(s.enrollment);
        ell.push_back(s.ell_share);
        exited_ell.push_back(s.exited_ell_share);
        frl.push_back(s.frl_share);
        sped.push_back(s.sped_share);
        spf.push_back(s.spf);
        tags.push_back(joined_tags(s));
    }
    table_builder table;
    table.text("school_id", id);
    table.text("name", name);
    table.text("level", level);
    table.integers("enrollment", enrollment);
    table.numbers("ell_share", ell);
    table.numbers("exited_ell_share", exited_ell);
    table.numbers("frl_share", frl);
    table.numbers("sped_share", sped);
    table.text("spf", spf);
    table.text("tags", tags);
    return table.build();
}

/// The population cells (school × race × ELL × FRL × SPED × grade band), as `pathways population --cells`.
py::object cells_table(const scenario_object& self) {
    using dimension = subgroup_term::dimension;
    const loaded_scenario& loaded = self.loaded();
    const population_cells& cells = loaded.cells;
    std::vector<std::string> school_id, race, ell, frl, sped, band;
    for (std::size_t c = 0; c < cells.size(); ++c) {
        school_id.push_back(loaded.schools[cells.school[c]].id);
        race.emplace_back(code_name(dimension::race, cells.race[c]));
        ell.emplace_back(code_name(dimension::ell, cells.ell[c]));
        frl.emplace_back(code_name(dimension::frl, cells.frl[c]));
        sped.emplace_back(code_name(dimension::sped, cells.sped[c]));
        band.emplace_back(code_name(dimension::grade, cells.grade_band[c]));
    }
    table_builder table;
    table.text("school_id", school_id);
    table.text("race", race);
    table.text("ell", ell);
    table.text("frl", frl);
    table.text("sped", sped);
    table.text("grade_band", band);
    table.numbers("students", cells.students);
    return table.build();
}

struct sensitivity_arguments {
    std::string outcome;
    std::string subgroup;
    std::string metric = "effect";
    std::optional<int> year;
    std::string course = "with_cut_risk";  ///< as `pathways sensitivity --course`
    std::size_t samples = 256;
    std::size_t bootstrap = 200;
    std::optional<std::uint64_t> seed;  ///< none: the scenario's seed, as `pathways sensitivity` uses
};

/// course= as --course reads it; an unknown name is an input error naming both courses.
sensitivity_course course_named(const std::string& name) {
    if (const auto course = parse_sensitivity_course(name)) return *course;
    diagnostics found;
    found.error(python_origin, 0, 0, "course", "course " + not_a_course_text(name));
    throw input_error(found);
}

/// A numeric column of sensitivity.csv: NaN where the file's field is empty, as a CSV reader reads it.
template <typename Field>
std::vector<double> numbers_of(const std::vector<sensitivity_row>& rows, Field field) {
    std::vector<double> values;
    for (const sensitivity_row& row : rows) values.push_back(field(row).value_or(std::nan("")));
    return values;
}

/// sensitivity.csv as a table: the same columns in the same order and the same rows (scalar inputs,
/// groups, then what is held fixed), empty fields NaN.
py::object sensitivity_rows_table(const std::vector<sensitivity_row>& rows) {
    using bar = stats::tornado_bar;
    using interval = stats::interval_estimate;
    const auto tornado = [&](double bar::*value) {
        return numbers_of(rows, [=](const sensitivity_row& row) {
            return row.tornado ? std::optional<double>((*row.tornado).*value) : std::nullopt;
        });
    };
    const auto sobol = [&](interval stats::input_sensitivity::*index, double interval::*value) {
        return numbers_of(rows, [=](const sensitivity_row& row) {
            return row.sobol ? std::optional<double>(((*row.sobol).*index).*value) : std::nullopt;
        });
    };
    const auto text = [&](std::string sensitivity_row::*field) {
        std::vector<std::string> values;
        for (const sensitivity_row& row : rows) values.push_back(row.*field);
        return values;
    };
    const std::vector<double> rank = numbers_of(rows, [](const sensitivity_row& row) {
        return row.tornado_rank ? std::optional<double>(static_cast<double>(*row.tornado_rank)) : std::nullopt;
    });
    using stats::input_sensitivity;
    namespace column = sensitivity_columns;
    table_builder table;
    // In the order of sensitivity_columns::all, so a table from Python and the command's file read alike.
    table.text(std::string(column::input), text(&sensitivity_row::input));
    table.text(std::string(column::prior), text(&sensitivity_row::prior));
    table.numbers(std::string(column::input_p05), tornado(&bar::input_low));
    table.numbers(std::string(column::input_p95), tornado(&bar::input_high));
    table.numbers(std::string(column::value_at_p05), tornado(&bar::output_low));
    table.numbers(std::string(column::value_at_p95), tornado(&bar::output_high));
    table.numbers(std::string(column::swing), tornado(&bar::swing));
    table.numbers(std::string(column::tornado_rank), rank);
    table.numbers(std::string(column::first_order), sobol(&input_sensitivity::first_order, &interval::estimate));
    table.numbers(std::string(column::first_order_low), sobol(&input_sensitivity::first_order, &interval::low));
    table.numbers(std::string(column::first_order_high), sobol(&input_sensitivity::first_order, &interval::high));
    table.numbers(std::string(column::total), sobol(&input_sensitivity::total, &interval::estimate));
    table.numbers(std::string(column::total_low), sobol(&input_sensitivity::total, &interval::low));
    table.numbers(std::string(column::total_high), sobol(&input_sensitivity::total, &interval::high));
    table.text(std::string(column::kind), text(&sensitivity_row::kind));
    table.text(std::string(column::course), text(&sensitivity_row::course));
    return table.build();
}

/// Tornado swings and Sobol indices of one projected value (`pathways sensitivity`): the rows and
/// columns of its sensitivity.csv.
py::object sensitivity_table(const scenario_object& self, const sensitivity_arguments& target_arguments,
                             const run_arguments& arguments) {
    const sensitivity_course course = course_named(target_arguments.course);
    if (target_arguments.samples < 2) throw py::value_error("samples must be at least 2");
    const run_request request = request_of(self.path, arguments, "sensitivity");
    const run_plan plan = prepare_interruptibly(request);
    const prepared_run& prepared = plan.runs.front();
    diagnostics found;
    const auto target =
        find_sensitivity_target(*prepared.sim, prepared.loaded->spec, target_arguments.outcome,
                                target_arguments.subgroup, target_arguments.year, target_arguments.metric, found);
    if (!target) throw input_error(found);
    std::atomic<bool> cancel{false};
    // The module runs in one process: every Sobol row is evaluated here (no spread over ranks).
    const std::uint64_t seed = target_arguments.seed.value_or(prepared.loaded->spec.seed);
    sensitivity_options options{
        target_arguments.samples, target_arguments.bootstrap, seed, request.threads, {}, &cancel, {}, course};
    sensitivity_report report;
    run_interruptibly([&] { report = analyse_sensitivity(*prepared.sim, *target, options); }, cancel);
    return sensitivity_rows_table(sensitivity_rows(report));
}

/// The theory of change (model=) and the effect plugin (effect_model=) of a call, as --model FILE and
/// --effect-model NAME on the command line.
struct model_choice {
    std::optional<std::string> file;
    std::optional<std::string> effect_model;
};

run_arguments arguments_of(std::optional<std::int64_t> draws, std::optional<std::int64_t> seed, model_choice models,
                           std::string variant, std::optional<std::map<std::string, double>> settings,
                           std::optional<std::int64_t> min_n, bool suppression, unsigned threads) {
    run_arguments arguments;
    arguments.draws = draws;
    arguments.seed = seed;
    arguments.model_file = std::move(models.file);
    arguments.effect_model = std::move(models.effect_model);
    arguments.variant = std::move(variant);
    arguments.settings = settings.value_or(std::map<std::string, double>{});
    arguments.min_n = min_n;
    arguments.suppression = suppression;
    arguments.threads = threads;
    return arguments;
}

void bind_results(py::module_& m) {
    py::class_<results_object>(m, "Results", "The finished runs of Scenario.run, every draw of every row kept.")
        .def("table", &projection_table,
             "projection.csv as a table: a pandas DataFrame when pandas is installed, else a dict of NumPy arrays "
             "(the same columns; suppressed rows have NaN values)")
        .def(
            "draws",
            [](const results_object& self, std::string outcome, std::string subgroup, std::string metric,
               std::optional<int> year, std::optional<std::string> course, std::optional<std::string> reference,
               std::optional<std::string> variant) {
                return row_draws(self, {outcome, subgroup, metric, year, course, reference}, variant);
            },
            py::arg("outcome"), py::arg("subgroup") = "all", py::arg("metric") = "effect", py::kw_only(),
            py::arg("year") = py::none(), py::arg("course") = py::none(), py::arg("reference") = py::none(),
            py::arg("variant") = py::none(),
            "Every draw's value of one row (default: the final year, the with-cut-risk course) as a NumPy array")
        .def("write", &write_folder, py::arg("folder"), py::kw_only(), py::arg("format") = "csv,json",
             py::arg("per_draw") = false, py::arg("force") = false,
             "Write the results folder `pathways run --out FOLDER` writes: projection.csv/.json (format, as "
             "--format), with per_draw=True draws.csv and inputs.csv (as --per-draw), the inputs as read and "
             "manifest.json (the CLI's manifest, recording this call), so `pathways rerun FOLDER` repeats it; "
             "existing files are replaced only with force=True. Returns the names written")
        .def("inputs", &sampled_table, py::arg("variant") = py::none(),
             "What each draw sampled: a draw column and one column per uncertain input")
        .def_property_readonly("variants",
                               [](const results_object& self) {
                                   std::vector<std::string> names;
                                   for (const finished_run& run : self.results->runs) names.push_back(run.name);
                                   return names;
                               })
        .def_property_readonly("draw_count",
                               [](const results_object& self) { return self.results->runs.front().result.draws; })
        .def_property_readonly("seed",
                               [](const results_object& self) { return self.results->runs.front().loaded->spec.seed; })
        .def_property_readonly("for_release", [](const results_object& self) { return self.results->for_release; })
        .def("__repr__", [](const results_object& self) {
            const finished_run& first = self.results->runs.front();
            return "<pathways.Results " + first.loaded->spec.name + ", variant " + first.name + ", " +
                   std::to_string(first.result.draws) + " draws, " + std::to_string(first.result.rows.size()) +
                   " rows>";
        });
}

void bind_scenario(py::module_& m) {
    py::class_<scenario_object>(m, "Scenario", "A scenario file, loaded and checked (pathways.load).")
        .def(
            "run",
            [](const scenario_object& self, std::optional<std::int64_t> draws, std::optional<std::int64_t> seed,
               std::optional<std::string> model, std::optional<std::string> effect_model, std::string variant,
               bool all_variants, std::optional<std::map<std::string, double>> settings,
               std::vector<std::string> set_files, std::optional<std::int64_t> min_n, bool suppression,
               unsigned threads) {
                run_arguments arguments =
                    arguments_of(draws, seed, {std::move(model), std::move(effect_model)}, std::move(variant),
                                 std::move(settings), min_n, suppression, threads);
                arguments.all_variants = all_variants;
                arguments.set_files = std::move(set_files);
                return run(self, arguments);
            },
            py::kw_only(), py::arg("draws") = py::none(), py::arg("seed") = py::none(), py::arg("model") = py::none(),
            py::arg("effect_model") = py::none(), py::arg("variant") = "base", py::arg("all_variants") = false,
            py::arg("set") = py::none(), py::arg("set_files") = std::vector<std::string>{},
            py::arg("min_n") = py::none(), py::arg("suppression") = true, py::arg("threads") = 0,
            "Project the scenario as `pathways run` does; model=FILE is --model FILE (the theory of change: a "
            ".json, .lav/.lavaan or .dag/.dagitty file), effect_model=NAME is --effect-model NAME (the effect "
            "plugin); set={'NAME': value} is --set NAME=value, "
            "set_files=[path, ...] is --set-file (a calibration's parameter file: values and priors; set wins), "
            "all_variants=True is --all-variants (every variant on the same draws, one Results)")
        .def(
            "compare_models",
            [](const scenario_object& self, std::vector<std::string> models, std::optional<std::int64_t> draws,
               std::optional<std::int64_t> seed, std::optional<std::string> model, std::string variant,
               std::optional<std::map<std::string, double>> settings, std::vector<std::string> set_files,
               std::optional<std::map<std::string, double>> weights, std::string metric, unsigned threads) {
                run_arguments arguments =
                    arguments_of(draws, seed, {std::move(model), std::nullopt}, std::move(variant), std::move(settings),
                                 std::nullopt, true, threads);
                arguments.set_files = std::move(set_files);
                return compare_models_table(self, models, arguments, weights.value_or(std::map<std::string, double>{}),
                                            metric);
            },
            py::arg("models"), py::kw_only(), py::arg("draws") = py::none(), py::arg("seed") = py::none(),
            py::arg("model") = py::none(), py::arg("variant") = "base", py::arg("set") = py::none(),
            py::arg("set_files") = std::vector<std::string>{}, py::arg("weights") = py::none(),
            py::arg("metric") = "effect", py::arg("threads") = 0,
            "The scenario under each effect model with the same draws, and their mixture (`pathways compare-models`); "
            "model=FILE is --model FILE, the theory of change each effect model runs on")
        .def("effects", &effects_table_of,
             "Direct, indirect and total effects of each practice and driver on each outcome (`pathways effects`)")
        .def(
            "population",
            [](const scenario_object& self, bool cells) { return cells ? cells_table(self) : schools_table(self); },
            py::arg("cells") = false, "The district's schools, or with cells=True its population cells")
        .def(
            "sensitivity",
            [](const scenario_object& self, std::string outcome, std::string subgroup, std::string metric,
               std::optional<int> year, std::string course, std::size_t samples, std::size_t bootstrap,
               std::optional<std::uint64_t> sobol_seed, std::optional<std::string> model,
               std::optional<std::string> effect_model, std::string variant,
               std::optional<std::map<std::string, double>> settings, std::vector<std::string> set_files,
               unsigned threads) {
                run_arguments arguments =
                    arguments_of(std::nullopt, std::nullopt, {std::move(model), std::move(effect_model)},
                                 std::move(variant), std::move(settings), std::nullopt, true, threads);
                arguments.set_files = std::move(set_files);
                // As `pathways sensitivity --set-file`: a joint posterior enters through its one-input summaries.
                arguments.posterior_use = joint_posterior::summarise;
                return sensitivity_table(self,
                                         {outcome, subgroup, metric, year, course, samples, bootstrap, sobol_seed},
                                         arguments);
            },
            py::arg("outcome"), py::arg("subgroup") = "all", py::arg("metric") = "effect", py::kw_only(),
            py::arg("year") = py::none(), py::arg("course") = "with_cut_risk", py::arg("samples") = 256,
            py::arg("bootstrap") = 200, py::arg("seed") = py::none(), py::arg("model") = py::none(),
            py::arg("effect_model") = py::none(), py::arg("variant") = "base", py::arg("set") = py::none(),
            py::arg("set_files") = std::vector<std::string>{}, py::arg("threads") = 0,
            "Tornado swings and Sobol indices of one projected value (`pathways sensitivity`): the rows and columns "
            "of its sensitivity.csv (scalar inputs, the groups of inputs varied together, what is held fixed); "
            "course='with_cut_risk' (default) or 'if_sustained' is --course")
        .def_readonly("path", &scenario_object::path)
        .def_property_readonly("name", [](const scenario_object& self) { return self.loaded().spec.name; })
        .def_property_readonly("effect_model", [](const scenario_object& self) { return self.loaded().model->name; })
        // The name it had before model= meant the theory of change; kept so that old code still reads it.
        .def_property_readonly("model", [](const scenario_object& self) { return self.loaded().model->name; })
        .def_property_readonly("draws", [](const scenario_object& self) { return self.loaded().spec.draws; })
        .def_property_readonly("seed", [](const scenario_object& self) { return self.loaded().spec.seed; })
        .def_property_readonly("start_year", [](const scenario_object& self) { return self.loaded().spec.start_year; })
        .def_property_readonly("years", [](const scenario_object& self) { return self.loaded().spec.years; })
        .def_property_readonly("variants",
                               [](const scenario_object& self) {
                                   std::vector<std::string> names{"base"};
                                   const auto& declared = self.loaded().spec.variant_names;
                                   names.insert(names.end(), declared.begin(), declared.end());
                                   return names;
                               })
        .def("__repr__", [](const scenario_object& self) {
            return "<pathways.Scenario " + self.loaded().spec.name + " from " + self.path + ">";
        });
}

}  // namespace
}  // namespace pathways::python

PYBIND11_MODULE(pathways, m) {
    using namespace pathways::python;
    m.doc() = "pathways: what-if projections of theories of change in schools (the engine of the pathways CLI)";
    m.attr("__version__") = pathways::version;
    register_input_error(m);
    py::register_exception<suppressed_row>(m, "SuppressedError", PyExc_ValueError);
    bind_scenario(m);
    bind_results(m);
    m.def("load", &load, py::arg("path"), "Load and check a scenario file; raises pathways.InputError");
}
