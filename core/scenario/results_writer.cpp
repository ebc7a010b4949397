#include "scenario/results_writer.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/csv.hpp"
#include "common/text_format.hpp"
#include "common/text_safety.hpp"
#include "scenario/result_columns.hpp"

namespace pathways {
namespace {

constexpr const char* sustained_meaning = "if the plan is sustained: the same draws with no program cut";
constexpr const char* with_cut_risk_meaning =
    "with the district's cut risk: each draw with the program cut it samples, if any (the plan's expected course)";

std::string key(std::string_view name) { return std::string(name); }

/// A summary number of a row: null when the row is suppressed or the value undefined (NaN).
json::value row_number(const result_row& row, double v) {
    if (row.suppressed || !std::isfinite(v)) return nullptr;
    return as_written(v);
}

json::value row_json(const result_row& row) {
    json::value out;
    out.set(key(columns::year), row.year)
        .set(key(columns::subgroup), row.subgroup)
        .set(key(columns::outcome), row.outcome)
        .set(key(columns::metric), row.metric)
        .set(key(columns::course), row.course)
        .set(key(columns::reference), row.reference)
        .set(key(columns::mean), row_number(row, row.mean))
        .set(key(columns::sd), row_number(row, row.sd))
        .set(key(columns::p05), row_number(row, row.p05))
        .set(key(columns::p50), row_number(row, row.p50))
        .set(key(columns::p95), row_number(row, row.p95))
        .set(key(columns::prob_positive), row_number(row, row.prob_positive))
        .set(key(columns::n_students), row_number(row, row.n_students))
        .set(key(columns::suppressed), row.suppressed);
    return out;
}

json::value run_json(const result_run& run) {
    json::value out;
    out.set(key(columns::scenario), run.scenario)
        .set(key(columns::variant), run.variant)
        .set(key(columns::model), run.model)
        .set("draws", run.draws)
        .set("suppression", run.suppression);
    if (!run.suppression) out.set("release", not_for_release_note);
    out.set("courses", json::value().set("sustained", sustained_meaning).set("with_cut_risk", with_cut_risk_meaning));
    if (run.cut_risk) {
        out.set("cut_risk", json::value()
                                .set("annual_probability", as_written(run.cut_risk->annual_probability))
                                .set("first_year_at_risk", run.cut_risk->first_year_at_risk)
                                .set("by_horizon", as_written(run.cut_risk->by_horizon))
                                .set("cut_draws", run.cut_risk->cut_draws));
    }
    json::value::array rows;
    rows.reserve(run.rows.size());
    for (const result_row& row : run.rows) rows.push_back(row_json(row));
    out.set("rows", std::move(rows));
    return out;
}

std::string csv_row(const result_run& run, const result_row& row) {
    std::string line = csv_field(run.scenario) + "," + csv_field(run.variant) + "," + csv_field(run.model) + "," +
                       std::to_string(row.year) + "," + csv_field(row.subgroup) + "," + csv_field(row.outcome) + "," +
                       row.metric + "," + row.course + "," + csv_field(row.reference) + ",";
    if (row.suppressed) return line + ",,,,,,,1\n";
    for (const double v : {row.mean, row.sd, row.p05, row.p50, row.p95, row.prob_positive, row.n_students}) {
        line += exact_value(v) + ",";
    }
    return line + "0\n";
}

json::value effect_model_json(const std::string& name, const std::string& version,
                              const std::vector<std::pair<std::string, double>>& pinned) {
    json::value values = json::value::object{};
    for (const auto& [parameter, value] : pinned) values.set(parameter, value);
    return json::value()
        .set(key(manifest_keys::name), name)
        .set(key(manifest_keys::version), version)
        .set(key(manifest_keys::pinned), std::move(values));
}

json::value manifest_wave_json(const manifest_wave& wave) {
    namespace k = manifest_keys;
    json::value out = json::value()
                          .set(key(k::name), wave.name)
                          .set(key(k::start_year), wave.start_year)
                          .set(key(k::sampled), wave.sampled)
                          .set(key(k::seed), wave.seed)
                          .set(key(k::schools), json::value::array(wave.schools.begin(), wave.schools.end()));
    if (wave.gate_open_share) {
        out.set(key(k::gate), json::value()
                                  .set(key(k::open_share), *wave.gate_open_share)
                                  .set(key(k::measurement_se), wave.gate_measurement_se));
    }
    return out;
}

json::value manifest_run_json(const manifest_run& run) {
    namespace k = manifest_keys;
    json::value out;
    out.set(key(k::variant), run.variant);
    if (run.name != run.variant) out.set(key(k::name), run.name);
    if (!run.scenario.empty()) out.set(key(k::scenario), run.scenario);
    if (!run.file.empty()) out.set(key(k::file), run.file).set(key(k::sha256), run.sha256);
    if (!run.effect_model.empty())
        out.set(key(k::effect_model), effect_model_json(run.effect_model, run.effect_model_version, run.pinned));
    if (run.min_n != 0) out.set(key(k::min_n), run.min_n);
    out.set(key(k::seconds), run.seconds);
    if (!run.waves.empty()) {
        json::value::array waves;
        for (const manifest_wave& wave : run.waves) waves.push_back(manifest_wave_json(wave));
        out.set(key(k::waves), std::move(waves));
    }
    return out;
}

}  // namespace

double as_written(double value) {
    if (!std::isfinite(value)) return value;
    return std::strtod(exact_value(value).c_str(), nullptr);
}

std::string projection_run_json_text(const result_run& run) { return json::to_text(run_json(run)); }

std::string projection_json_text(const std::vector<result_run>& runs) {
    json::value::array items;
    for (const result_run& run : runs) items.push_back(run_json(run));
    return json::to_text(json::value().set("runs", std::move(items)));
}

std::string projection_csv_header_text() {
    std::string out;
    for (std::size_t c = 0; c < columns::projection_csv.size(); ++c)
        out += (c ? "," : "") + key(columns::projection_csv[c]);
    return out;
}

std::string projection_csv_rows_text(const result_run& run) {
    std::string out;
    for (const result_row& row : run.rows) out += csv_row(run, row);
    return out;
}

std::string projection_csv_text(const std::vector<result_run>& runs, bool for_release) {
    std::string out = for_release ? "" : "# NOT FOR PUBLIC RELEASE: small groups are published\n";
    out += projection_csv_header_text() + "\n";
    for (const result_run& run : runs) out += projection_csv_rows_text(run);
    return out;
}

std::string manifest_json_text(const run_manifest& m, const json::value& details) {
    namespace k = manifest_keys;
    json::value out;
    // pathways_version first: is_results_folder looks for it at the start of the file.
    out.set(key(k::pathways_version), m.pathways_version).set(key(k::sdk_abi), m.sdk_abi).set(key(k::build), m.build);
    if (!m.source_revision.empty()) out.set(key(k::source_revision), m.source_revision);
    json::value::array command_line(m.command_line.begin(), m.command_line.end());
    out.set(key(k::command_line), std::move(command_line)).set(key(k::scenario), m.scenario);
    if (!m.effect_model.empty())
        out.set(key(k::effect_model), effect_model_json(m.effect_model, m.effect_model_version, m.pinned));
    out.set(key(k::seed), m.seed)
        .set(key(k::draws), m.draws)
        .set(key(k::threads), m.threads)
        .set(key(k::ranks), m.ranks)
        .set(key(k::suppression), m.suppression)
        .set(key(k::min_n), m.min_n)
        .set(key(k::public_release), m.public_release);
    json::value inputs = json::value::object{};
    for (const manifest_input& input : m.inputs) {
        json::value entry;
        entry.set(key(k::path), input.path);
        if (!input.sha256.empty()) entry.set(key(k::sha256), input.sha256);
        if (!input.copy.empty()) entry.set(key(k::copy), input.copy);
        inputs.set(input.role, std::move(entry));
    }
    out.set(key(k::inputs), std::move(inputs));
    if (m.cells > 0.0) {
        out.set(key(k::population), json::value()
                                        .set(key(k::cells), static_cast<std::int64_t>(m.cells))
                                        .set(key(k::students), m.students)
                                        .set(key(k::ipf_max_iterations), m.ipf_max_iterations)
                                        .set(key(k::ipf_worst_error), m.ipf_worst_error));
    }
    json::value::array runs;
    for (const manifest_run& run : m.runs) runs.push_back(manifest_run_json(run));
    out.set(key(k::runs), std::move(runs));
    if (const auto* extra = std::get_if<json::value::object>(&details.data())) {
        for (const auto& [name, value] : *extra) out.set(name, value);
    }
    json::value outputs = json::value::object{};
    for (const auto& [name, hash] : m.outputs) outputs.set(name, hash);
    return json::to_text(out.set(key(k::outputs), std::move(outputs)));
}

}  // namespace pathways
