#include "report/draw_writers.hpp"

#include <cmath>
#include <limits>

#include "common/csv.hpp"
#include "common/text_format.hpp"
#include "report/run_writers.hpp"
#include "scenario/result_columns.hpp"

namespace pathways {
namespace {

constexpr double undefined = std::numeric_limits<double>::quiet_NaN();

template <std::size_t N>
std::string header_line(const std::array<std::string_view, N>& names) {
    std::string line;
    for (std::size_t c = 0; c < names.size(); ++c) line += (c ? "," : "") + std::string(names[c]);
    return line + "\n";
}

std::string release_line(const run_results& results) {
    return results.for_release ? "" : "# NOT FOR PUBLIC RELEASE: small groups are published\n";
}

std::string run_labels(const result_run& run) {
    return csv_field(run.scenario) + "," + csv_field(run.variant) + "," + csv_field(run.model) + ",";
}

std::string row_labels(const result_row& row) {
    return std::to_string(row.year) + "," + csv_field(row.subgroup) + "," + csv_field(row.outcome) + "," + row.metric +
           "," + row.course + "," + csv_field(row.reference) + ",";
}

/// The mean and SD (over schools, unweighted) of a draw's school dose multipliers.
std::pair<double, double> dose_spread(const std::vector<double>& doses) {
    double sum = 0.0;
    for (const double dose : doses) sum += dose;
    const double mean = sum / static_cast<double>(doses.size());
    double squares = 0.0;
    for (const double dose : doses) squares += (dose - mean) * (dose - mean);
    const double sd = doses.size() > 1 ? std::sqrt(squares / static_cast<double>(doses.size() - 1)) : 0.0;
    return {mean, sd};
}

}  // namespace

std::vector<sampled_input> sampled_inputs(const finished_run& run, std::size_t draw) {
    const scenario& spec = run.loaded->spec;
    const draw_parameters p =
        spec.draws <= 0 ? run.sim->central_parameters() : run.sim->sample_parameters(spec.seed, draw);
    std::vector<sampled_input> inputs;
    // Which of the calibration's prior draws this draw is, so a reader can pair it with that draw.
    if (spec.draws > 0 && run.sim->draws_from_posterior())
        inputs.push_back({"posterior:prior_draw", static_cast<double>(run.sim->posterior_pick(spec.seed, draw))});
    for (const uncertain_input& input : run.sim->uncertain_inputs())
        inputs.push_back({input.name, input_value(p, input)});
    if (spec.plan.program_cut.annual_probability > 0.0)
        inputs.push_back({"program:cut_year", p.cut_year ? static_cast<double>(*p.cut_year) : undefined});
    if (!p.school_doses.empty()) {
        const auto [mean, sd] = dose_spread(p.school_doses);
        inputs.push_back({"schools:dose_mean", mean});
        inputs.push_back({"schools:dose_sd", sd});
    }
    return inputs;
}

std::string draws_csv(const run_results& results) {
    std::string out = release_line(results) + header_line(columns::draws_csv);
    for (const finished_run& run : results.runs) {
        const projection_draws& every = run.every_draw.value();
        const result_run labelled = result_run_of(run.result, context_of(run, results.for_release));
        const std::string labels = run_labels(labelled);
        for (std::size_t r = 0; r < every.rows.size(); ++r) {
            if (every.rows[r].suppressed) continue;  // as projection.csv withholds it
            const std::string prefix = labels + row_labels(labelled.rows[r]);
            for (std::size_t d = 0; d < every.draws; ++d)
                out += prefix + std::to_string(d) + "," + exact_value(every.values[d * every.rows.size() + r]) + "\n";
        }
    }
    return out;
}

std::string inputs_csv(const run_results& results) {
    std::string out = header_line(columns::inputs_csv);
    for (const finished_run& run : results.runs) {
        const result_run labelled = result_run_of(run.result, context_of(run, results.for_release));
        const std::string labels = run_labels(labelled);
        for (std::size_t d = 0; d < run.result.draws; ++d) {
            for (const sampled_input& input : sampled_inputs(run, d))
                out += labels + std::to_string(d) + "," + csv_field(input.name) + "," + exact_value(input.value) + "\n";
        }
    }
    return out;
}

}  // namespace pathways
