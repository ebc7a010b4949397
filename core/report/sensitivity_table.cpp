#include "report/sensitivity_table.hpp"

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

}  // namespace pathways
