#include "report/sensitivity_table.hpp"

#include <fmt/format.h>

#include "common/csv.hpp"
#include "common/text_format.hpp"
#include "report/projection_writer.hpp"
#include "stats/distributions.hpp"

namespace pathways {

namespace {

std::string tornado_fields(const sensitivity_row& row) {
    if (!row.tornado) return ",,,,";  // five empty fields
    const stats::tornado_bar& bar = *row.tornado;
    return format_value(bar.input_low) + "," + format_value(bar.input_high) + "," + format_value(bar.output_low) + "," +
           format_value(bar.output_high) + "," + format_value(bar.swing);
}

std::string sobol_fields(const sensitivity_row& row) {
    if (!row.sobol) return ",,,,,";  // six empty fields
    const stats::input_sensitivity& s = *row.sobol;
    return format_value(s.first_order.estimate) + "," + format_value(s.first_order.low) + "," +
           format_value(s.first_order.high) + "," + format_value(s.total.estimate) + "," + format_value(s.total.low) +
           "," + format_value(s.total.high);
}

std::string header_line() {
    std::string line;
    for (std::size_t c = 0; c < sensitivity_columns::all.size(); ++c)
        line += (c ? "," : "") + std::string(sensitivity_columns::all[c]);
    return line + "\n";
}

}  // namespace

std::vector<sensitivity_row> sensitivity_rows(const sensitivity_report& report) {
    std::vector<std::size_t> tornado_rank(report.inputs.size());
    for (std::size_t r = 0; r < report.tornado.size(); ++r) tornado_rank[report.tornado[r].input] = r + 1;
    const std::string course(to_string(report.course));
    std::vector<sensitivity_row> rows;
    for (std::size_t i = 0; i < report.inputs.size(); ++i) {
        rows.push_back({report.inputs[i].name, stats::prior_text(report.inputs[i].prior),
                        report.tornado[tornado_rank[i] - 1], tornado_rank[i], report.sobol.inputs[i], "input", course});
    }
    for (std::size_t g = 0; g < report.groups.size(); ++g) {
        rows.push_back({report.groups[g].name, report.groups[g].description, std::nullopt, std::nullopt,
                        report.sobol.inputs[report.inputs.size() + g], "group", course});
    }
    for (const held_fixed_quantity& held : report.held_fixed)
        rows.push_back({held.name, held.held_at, std::nullopt, std::nullopt, std::nullopt, "held_fixed", course});
    return rows;
}

std::string sensitivity_csv(const sensitivity_report& report) {
    std::string csv = header_line();
    for (const sensitivity_row& row : sensitivity_rows(report)) {
        const std::string rank = row.tornado_rank ? std::to_string(*row.tornado_rank) : "";
        csv += csv_field(row.input) + "," + csv_field(row.prior) + "," + tornado_fields(row) + "," + rank + "," +
               sobol_fields(row) + "," + row.kind + "," + row.course + "\n";
    }
    return csv;
}

std::string sensitivity_held_fixed(const sensitivity_report& report) {
    if (report.held_fixed.empty()) {
        return "Held fixed: nothing. Every uncertain quantity of a draw is an input, the program cut and the schools' "
               "own deviations\nincluded, so Var(Y) is the variance of the value over a run's draws on this course (" +
               std::string(to_string(report.course)) + ").";
    }
    std::string text = "Held fixed (course " + std::string(to_string(report.course)) + "):";
    for (const held_fixed_quantity& held : report.held_fixed) text += "\n  " + held.name + ": " + held.held_at;
    return text + "\nVar(Y) is the variance of the value over a run's draws on this course.";
}

std::vector<std::string> sobol_warnings(const stats::sobol_result& sobol, std::size_t base_samples) {
    std::size_t negative = 0;
    std::size_t inverted = 0;
    double first_order_sum = 0.0;
    for (const stats::input_sensitivity& input : sobol.inputs) {
        negative += input.first_order.estimate < 0.0 ? 1 : 0;
        inverted += input.total.estimate < input.first_order.estimate ? 1 : 0;
        first_order_sum += input.first_order.estimate;
    }
    const std::size_t inputs = sobol.inputs.size();
    std::vector<std::string> warnings;
    if (base_samples < inputs) {
        warnings.push_back(
            fmt::format("--n {} base samples for {} inputs: the indices are a screen at best; "
                        "expected --n of at least the number of inputs, better several hundred",
                        base_samples, inputs));
    }
    if (negative > 0 || inverted > 0) {
        warnings.push_back(fmt::format(
            "{} of {} first-order indices are below 0 and {} totals are below their first-order index, which the "
            "true indices never are: sampling noise of this size hides the ranking; raise --n",
            negative, inputs, inverted));
    }
    constexpr double sum_tolerance = 1.05;  // the first-order indices of independent inputs sum to at most 1
    if (first_order_sum > sum_tolerance) {
        warnings.push_back(
            fmt::format("the first-order indices sum to {:.2f}, above 1, which the true indices never "
                        "do: sampling noise; raise --n",
                        first_order_sum));
    }
    return warnings;
}

}  // namespace pathways
