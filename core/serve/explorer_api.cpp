#include "serve/explorer_api.hpp"
#include "report/evidence_caveat.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <condition_variable>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "common/model.hpp"
#include "engine/scenario_loader.hpp"
#include "report/run_writers.hpp"
#include "run/execute.hpp"
#include "run/manifest.hpp"
#include "run/validate_scenario.hpp"
#include "scenario/json_reader.hpp"
#include "scenario/json_writer.hpp"
#include "scenario/model_writer.hpp"
#include "scenario/results_writer.hpp"
#include "scenario/scenario_reader.hpp"

namespace pathways {
namespace {

constexpr const char* json_type = "application/json; charset=utf-8";

constexpr int status_ok = 200;
constexpr int status_bad_request = 400;
constexpr int status_not_found = 404;
constexpr int status_conflict = 409;
constexpr int status_too_large = 413;
constexpr int status_unavailable = 503;

api_reply json_reply(int status, const json::value& body) { return {status, json_type, json::to_text(body)}; }

json::value diagnostic_json(const diagnostic& d) {
    return json::value()
        .set("file", d.file)
        .set("line", d.line)
        .set("column", d.column)
        .set("pointer", d.pointer)
        .set("severity", std::string(severity_name(d.level)))
        .set("message", d.message)
        .set("text", format_diagnostic(d));
}

json::value diagnostics_json(diagnostics found) {
    found.sort();
    json::value::array items;
    for (const diagnostic& d : found.items()) items.push_back(diagnostic_json(d));
    return items;
}

/// 400 with every problem of the document, as `pathways validate --format json` lists them.
api_reply invalid_document(const diagnostics& found) {
    return json_reply(
        status_bad_request,
        json::value().set("error", "the scenario is not valid").set("diagnostics", diagnostics_json(found)));
}

/// The options of POST /api/run, read from its query.
struct run_query {
    std::int64_t draws = 0;
    bool draws_given = false;
    std::optional<std::int64_t> seed;
    std::string variant = "base";
    std::string format = "json";
    std::string token;
    std::set<std::string, std::less<>> metrics;  ///< rows of these metrics only; empty: every row
    std::set<std::string, std::less<>> courses;  ///< rows of these courses only; empty: every row
};

/// Adds each comma-separated name of `text` to `names`.
void add_names(const std::string& text, std::set<std::string, std::less<>>& names) {
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        if (comma > start) names.insert(text.substr(start, comma - start));
        start = comma + 1;
    }
}

std::optional<std::int64_t> integer_in(const std::string& text, std::int64_t min, std::int64_t max) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value < min || value > max) return std::nullopt;
    return value;
}

/// The run's options, or the message of a 400 naming the first bad parameter.
std::optional<run_query> read_run_query(const query_parameters& query, const explorer_limits& limits,
                                        std::string& problem) {
    run_query options;
    for (const auto& [name, value] : query) {
        if (name == "draws") {
            const auto draws = integer_in(value, 0, limits.max_draws);
            if (!draws) {
                problem = "draws: '" + value + "' is not an integer from 0 to " + std::to_string(limits.max_draws) +
                          "; expected 0 for one central run, or up to " + std::to_string(limits.max_draws) +
                          " Monte Carlo draws (run more with pathways run)";
                return std::nullopt;
            }
            options.draws = *draws;
            options.draws_given = true;
        } else if (name == "seed") {
            options.seed = integer_in(value, 0, max_seed);
            if (!options.seed) {
                problem = "seed: '" + value + "' is not an integer from 0 to " + std::to_string(max_seed);
                return std::nullopt;
            }
        } else if (name == "variant") {
            options.variant = value;
        } else if (name == "format" && (value == "json" || value == "csv" || value == "html")) {
            options.format = value;
        } else if (name == "format") {
            problem = "format: '" + value + "' is not an output format; expected json, csv or html";
            return std::nullopt;
        } else if (name == "token") {
            options.token = value;
        } else if (name == "metric") {
            add_names(value, options.metrics);
        } else if (name == "course") {
            add_names(value, options.courses);
        } else {
            problem = "unknown query parameter '" + name +
                      "'; expected draws, seed, variant, format, metric, course or token";
            return std::nullopt;
        }
    }
    return options;
}

/// Sets `cancel` once `limit` has passed, unless the run ends first; a limit of zero stops the run
/// before its first draw.
class run_deadline {
public:
    run_deadline(std::chrono::milliseconds limit, std::atomic<bool>& cancel)
        : watcher_([this, limit, &cancel] {
              std::unique_lock lock(mutex_);
              if (!ended_changed_.wait_for(lock, limit, [this] { return ended_; })) {
                  expired_ = true;
                  cancel = true;
              }
          }) {
        if (limit.count() > 0) return;
        std::lock_guard lock(mutex_);  // not left to the watcher, which may start after the run
        expired_ = true;
        cancel = true;
    }
    run_deadline(const run_deadline&) = delete;
    run_deadline& operator=(const run_deadline&) = delete;
    ~run_deadline() {
        {
            std::lock_guard lock(mutex_);
            ended_ = true;
        }
        ended_changed_.notify_one();
        watcher_.join();
    }
    /// Whether the limit passed before the run ended; read after the run.
    [[nodiscard]] bool expired() {
        std::lock_guard lock(mutex_);
        return expired_;
    }

private:
    std::mutex mutex_;
    std::condition_variable ended_changed_;
    bool ended_ = false;
    bool expired_ = false;
    std::thread watcher_;
};

/// The runs' rows of the metrics and courses asked for (a page that shows effects needs a fifth of them).
std::vector<result_run> selected_rows(const run_results& results, const run_query& options) {
    std::vector<result_run> runs = result_runs(results);
    if (options.metrics.empty() && options.courses.empty()) return runs;
    for (result_run& run : runs) {
        std::erase_if(run.rows, [&options](const result_row& row) {
            return (!options.metrics.empty() && !options.metrics.contains(row.metric)) ||
                   (!options.courses.empty() && !options.courses.contains(row.course));
        });
    }
    return runs;
}

std::string seconds_text(std::chrono::steady_clock::duration elapsed) {
    return std::to_string(std::chrono::duration<double, std::milli>(elapsed).count());
}

}  // namespace

api_reply error_reply(int status, const std::string& message) {
    return json_reply(status, json::value().set("error", message));
}

explorer_api::explorer_api(std::filesystem::path scenario_file, const plugin_registry& plugins, explorer_limits limits,
                           unsigned threads)
    : scenario_file_(std::move(scenario_file)), plugins_(plugins), limits_(limits), threads_(threads) {}

std::filesystem::path explorer_api::posted_path() const {
    if (!scenario_file_.empty()) return scenario_file_;
    return "posted-scenario.json";
}

api_reply explorer_api::scenario() const {
    if (scenario_file_.empty()) return error_reply(status_not_found, "no scenario is served; open one from disk");
    diagnostics found;
    const auto text = json::read_text(scenario_file_, found, limits_.max_body_bytes, "json");
    if (!text) return invalid_document(found);
    // The file name, for the page's "Save scenario": a name of this folder's files, percent-encoded.
    std::string name;
    for (const unsigned char c : scenario_file_.filename().string()) {
        if (std::isalnum(c) || c == '.' || c == '-' || c == '_') name += static_cast<char>(c);
        else name += fmt::format("%{:02X}", c);
    }
    return {status_ok, json_type, *text, {{"X-Scenario-File", name}}};
}

api_reply explorer_api::graph() const {
    if (scenario_file_.empty()) return error_reply(status_not_found, "no scenario is served; open one from disk");
    diagnostics found;
    const auto spec = read_scenario(scenario_file_, "base", found);
    if (!spec) return invalid_document(found);
    const auto graph = load_model_graph(spec->model_path, found);
    if (!graph) return invalid_document(found);
    json::value::array order;
    for (const node_kind kind : causal_order) order.emplace_back(to_string(kind));
    // The outcome the terminal's summary of this scenario leads with.
    const std::string headline = graph->headline_outcome(graph->reported_outcomes(spec->report.outcomes));
    // The model's JSON as `pathways graph --format json` writes it, as a member of the answer.
    const std::string body = json::to_text(json::value()
                                               .set("causal_order", std::move(order))
                                               .set("headline", headline)
                                               .set("evidence", evidence_caveat_text(graph->definition()))
                                               .set("model", json::from_text(model_export_json(graph->definition()))),
                                           -1);
    return {status_ok, json_type, body + "\n"};
}

api_reply explorer_api::plugins() const {
    json::value::array models;
    for (const model_handle& model : plugins_.models()) {
        json::value::array parameters;
        for (const parameter_info& parameter : model.parameters) {
            parameters.push_back(json::value()
                                     .set("name", parameter.name)
                                     .set("unit", parameter.unit)
                                     .set("default", parameter.default_value)
                                     .set("min", parameter.min)
                                     .set("max", parameter.max)
                                     .set("description", parameter.description));
        }
        models.push_back(json::value()
                             .set("name", model.name)
                             .set("version", model.version)
                             .set("description", model.description)
                             .set("parameters", std::move(parameters)));
    }
    return json_reply(status_ok, json::value().set("models", std::move(models)));
}

namespace {

api_reply too_many_variants(const scenario_file& file, const explorer_limits& limits) {
    return error_reply(status_too_large, fmt::format("the document declares {} variants, more than the explorer's "
                                                     "limit of {}; expected fewer (`pathways validate` and `pathways "
                                                     "run` take any number)",
                                                     file.variant_names().size(), limits.max_variants));
}

}  // namespace

api_reply explorer_api::validate(std::string_view body) const {
    if (body.size() > limits_.max_body_bytes)
        return error_reply(status_too_large,
                           "the document is larger than " + std::to_string(limits_.max_body_bytes) + " bytes");
    diagnostics found;
    const auto file = scenario_file::parse_text(body, posted_path(), found);
    if (file && file->variant_names().size() > limits_.max_variants) return too_many_variants(*file, limits_);
    if (file) validate_scenario(*file, plugins_, found);
    return json_reply(status_ok,
                      json::value().set("valid", !found.has_errors()).set("diagnostics", diagnostics_json(found)));
}

namespace {

/// Cells x years x draws (at least one) summed over the plan's runs: what a run's time and memory grow with.
double projected_work(const run_plan& plan) {
    double work = 0.0;
    for (const prepared_run& run : plan.runs) {
        const double draws = static_cast<double>(std::max<std::int64_t>(1, run.loaded->spec.draws));
        work += static_cast<double>(run.sim->cell_count()) * run.sim->years() * draws;
    }
    return work;
}

}  // namespace

api_reply explorer_api::run(std::string_view body, const query_parameters& query) {
    const auto start = std::chrono::steady_clock::now();
    if (body.size() > limits_.max_body_bytes)
        return error_reply(status_too_large,
                           "the document is larger than " + std::to_string(limits_.max_body_bytes) + " bytes");
    std::string problem;
    const auto options = read_run_query(query, limits_, problem);
    if (!options) return error_reply(status_bad_request, problem);

    diagnostics found;
    const auto file = scenario_file::parse_text(body, posted_path(), found);
    if (!file) return invalid_document(found);
    if (file->variant_names().size() > limits_.max_variants) return too_many_variants(*file, limits_);
    // A reader may record an error and still return what it could read: the CLI stops on any error, so here too.
    auto spec = file->read(options->variant, {}, found);
    if (!spec || found.has_errors()) return invalid_document(found);
    if (!options->draws_given && spec->draws > limits_.max_draws)
        return error_reply(status_bad_request, "uncertainty.draws: " + std::to_string(spec->draws) +
                                                   " in the document is more than this server runs; expected at most " +
                                                   std::to_string(limits_.max_draws) +
                                                   " (ask for fewer with ?draws=N, or run it with pathways run)");

    run_request request;
    request.scenario_file = posted_path();
    request.scenario_spec = std::move(*spec);
    request.variant = options->variant;
    if (options->draws_given) request.draws = setting<std::int64_t>{options->draws, option_origin("draws")};
    if (options->seed) request.seed = setting<std::int64_t>{*options->seed, option_origin("seed")};
    request.threads = threads_;
    request.suppression = true;  // never turned off over HTTP: the page and scripts see what may be published
    request.command_line = {"pathways", "serve", "POST /api/run"};
    auto plan = prepare(request, plugins_, found);
    if (!plan || found.has_errors()) return invalid_document(found);
    if (const double work = projected_work(*plan); work > limits_.max_cell_draw_years)
        return error_reply(
            status_too_large,
            fmt::format("the run would project {:.3g} cell-years over its draws and variants, more than this "
                        "server runs ({:.3g}); expected a smaller district, fewer draws or one variant (or "
                        "run it with pathways run)",
                        work, limits_.max_cell_draw_years));

    const std::string token = options->token;
    const auto cancel = register_run(token);
    run_results results;
    bool expired = false;
    {
        run_deadline deadline(limits_.max_run_time, *cancel);
        run_hooks hooks;
        hooks.cancel = cancel.get();
        // The report compares variants draw by draw at the horizon, as `pathways run --report` does.
        if (options->format == "html") hooks.keep = kept_draws::final_year;
        results = execute(std::move(*plan), hooks);
        expired = deadline.expired();
    }
    unregister_run(token);
    if (results.cancelled && expired) {
        return error_reply(status_unavailable,
                           "the run took longer than " + std::to_string(limits_.max_run_time.count() / 1000) +
                               " s and was stopped; ask for fewer draws, or run it with pathways run");
    }
    if (results.cancelled) return error_reply(status_conflict, "the run was cancelled");
    api_reply reply{status_ok, json_type, ""};
    const std::vector<result_run> runs = selected_rows(results, *options);
    if (options->format == "csv") {
        reply.content_type = "text/csv; charset=utf-8";
        reply.body = projection_csv_text(runs, results.for_release);
    } else if (options->format == "html") {
        // The whole report of the run (every row, whatever `metric` and `course` select), as
        // `pathways run --report` writes it.
        reply.content_type = "text/html; charset=utf-8";
        reply.body = html_report(results, manifest_of(results), posted_path().parent_path());
    } else {
        reply.body = projection_json_text(runs);
    }
    reply.headers.emplace_back("Server-Timing", "run;dur=" + seconds_text(std::chrono::steady_clock::now() - start));
    return reply;
}

api_reply explorer_api::cancel(const query_parameters& query) {
    const auto token = query.find("token");
    if (token == query.end() || token->second.empty())
        return error_reply(status_bad_request, "token: missing; expected the token the run was started with");
    std::lock_guard lock(runs_mutex_);
    const auto running = running_.find(token->second);
    const bool found = running != running_.end();
    if (found) *running->second = true;
    return json_reply(status_ok, json::value().set("cancelled", found));
}

std::shared_ptr<std::atomic<bool>> explorer_api::register_run(const std::string& token) {
    auto flag = std::make_shared<std::atomic<bool>>(false);
    if (token.empty()) return flag;
    std::lock_guard lock(runs_mutex_);
    running_[token] = flag;
    return flag;
}

void explorer_api::unregister_run(const std::string& token) {
    if (token.empty()) return;
    std::lock_guard lock(runs_mutex_);
    running_.erase(token);
}

}  // namespace pathways
