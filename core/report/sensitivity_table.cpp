#include "report/sensitivity_table.hpp"

#include <fmt/format.h>

#include "common/csv.hpp"
#include "common/text_format.hpp"
#include "report/projection_writer.hpp"
#include "stats/distributions.hpp"

namespace pathways {

std::string sensitivity_csv(const sensitivity_report& report) {
    std::vector<std::size_t> tornado_rank(report.inputs.size());
    for (std::size_t r = 0; r < report.tornado.size(); ++r) tornado_rank[report.tornado[r].input] = r + 1;
    std::string csv;
    for (std::size_t c = 0; c < sensitivity_columns::all.size(); ++c)
        csv += (c ? "," : "") + std::string(sensitivity_columns::all[c]);
    csv += "\n";
    for (std::size_t i = 0; i < report.inputs.size(); ++i) {
        const stats::tornado_bar& bar = report.tornado[tornado_rank[i] - 1];
        const stats::input_sensitivity& s = report.sobol.inputs[i];
        // In the order of sensitivity_columns::all.
        csv += csv_field(report.inputs[i].name) + "," + csv_field(stats::prior_text(report.inputs[i].prior)) + "," +
               format_value(bar.input_low) + "," + format_value(bar.input_high) + "," + format_value(bar.output_low) +
               "," + format_value(bar.output_high) + "," + format_value(bar.swing) + "," +
               std::to_string(tornado_rank[i]) + "," + format_value(s.first_order.estimate) + "," +
               format_value(s.first_order.low) + "," + format_value(s.first_order.high) + "," +
               format_value(s.total.estimate) + "," + format_value(s.total.low) + "," + format_value(s.total.high) +
               "\n";
    }
    return csv;
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
