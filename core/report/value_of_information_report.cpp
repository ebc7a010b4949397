#include "report/value_of_information_report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "engine/cost_effectiveness.hpp"
#include "engine/costs.hpp"
#include "report/cost_effectiveness_report.hpp"
#include "report/cost_summary.hpp"
#include "report/draw_writers.hpp"

namespace pathways {
namespace {

/// Every input the first run sampled, named, in every draw: `values[input][draw]`. A draw whose program
/// is never cut within the horizon has cut year "the year after the horizon", so the cut year stays a
/// number whose size says how long the program ran.
struct sampled_table {
    std::vector<std::string> names;
    std::vector<std::vector<double>> values;
};

sampled_table inputs_of(const finished_run& run) {
    sampled_table table;
    const scenario& spec = run.loaded->spec;
    const cost_settings costs = plan_costs(run.loaded->district, spec);
    const double never_cut = static_cast<double>(spec.start_year + spec.years);
    for (std::size_t d = 0; d < run.result.draws; ++d) {
        std::vector<sampled_input> inputs = sampled_inputs(run, d);
        const std::vector<double> factors = cost_factors(costs.items, spec.seed, d, spec.draws <= 0);
        for (std::size_t i = 0; i < costs.items.size(); ++i) {
            if (costs.items[i].uncertainty_factor > 1.0) inputs.push_back({"cost:" + costs.items[i].name, factors[i]});
        }
        if (d == 0) {
            for (const sampled_input& input : inputs) table.names.push_back(input.name);
            table.values.assign(inputs.size(), std::vector<double>(run.result.draws, 0.0));
        }
        for (std::size_t i = 0; i < inputs.size() && i < table.values.size(); ++i)
            table.values[i][d] = std::isnan(inputs[i].value) ? never_cut : inputs[i].value;
    }
    return table;
}

std::string per_student_and_district(double per_student, double students, const std::string& currency) {
    return money_text(per_student, currency) + " per student, " + money_text(per_student * students, currency) +
           " for the district";
}

}  // namespace

information_values value_of_information(const run_results& results, const std::string& outcome,
                                        double willingness_to_pay) {
    const plans_for_analysis plans = plans_of(results, outcome);
    if (plans.plans.empty()) throw std::invalid_argument("no plan with costs kept its draws: nothing to choose among");
    const finished_run& first = results.runs.front();
    information_values out;
    out.willingness_to_pay = willingness_to_pay;
    out.currency = plan_costs(first.loaded->district, first.loaded->spec).currency;
    out.outcome = outcome;
    out.draws = plans.plans.front().cost.size();
    out.students = plans.plans.front().students;
    net_benefits values;
    for (const plan_draws& plan : plans.plans) {
        out.options.push_back(plan.name);
        std::vector<double> nb(out.draws);
        for (std::size_t d = 0; d < out.draws; ++d)
            nb[d] = net_benefit(willingness_to_pay, plan.effect[d], plan.cost[d], plan.students);
        values.push_back(std::move(nb));
    }
    out.options.emplace_back("business as usual");
    values.emplace_back(out.draws, 0.0);
    for (const auto& option : values) {
        double mean = 0.0;
        for (const double v : option) mean += v / static_cast<double>(out.draws);
        out.expected_net_benefit.push_back(mean);
    }
    for (std::size_t o = 1; o < values.size(); ++o) {
        if (out.expected_net_benefit[o] > out.expected_net_benefit[out.best]) out.best = o;
    }
    out.evpi_per_student = expected_value_of_perfect_information(values);
    const sampled_table sampled = inputs_of(first);
    for (const input_group& group : input_groups(sampled.names)) {
        group_information_value value;
        value.group = group.name;
        std::vector<std::vector<double>> inputs;
        for (const std::size_t c : group.columns) {
            value.inputs.push_back(sampled.names[c]);
            inputs.push_back(sampled.values[c]);
        }
        try {
            value.per_student = expected_value_of_partial_information(values, inputs);
        } catch (const std::invalid_argument& e) {
            value.problem = e.what();
        }
        out.groups.push_back(std::move(value));
    }
    return out;
}

std::string information_values_text(const information_values& v) {
    const std::string& cur = v.currency;
    std::string out = fmt::format(
        "Value of information: choosing among {} plans and business as usual at a willingness to pay of {} per SD\n"
        "per student on {} (all students; {} per student for 0.1 SD), over {} draws\n",
        v.options.size() - 1, money_text(v.willingness_to_pay, cur), v.outcome,
        money_text(v.willingness_to_pay / 10.0, cur), v.draws);
    out += "Expected net benefit per student (willingness to pay x effect - cost per student):\n";
    for (std::size_t o = 0; o < v.options.size(); ++o) {
        out += fmt::format("  {:<22} {}{}\n", v.options[o], money_text(v.expected_net_benefit[o], cur),
                           o == v.best ? "  <- the choice today" : "");
    }
    out += "Perfect information about everything (EVPI): " +
           per_student_and_district(v.evpi_per_student, v.students, cur) + "\n";
    out += "Perfect information about one group of inputs (EVPPI; +- the outer mean's standard error):\n";
    const group_information_value* top = nullptr;
    for (const group_information_value& g : v.groups) {
        if (!g.problem.empty()) {
            out += fmt::format("  {:<30} not estimated: {}\n", g.group, g.problem);
            continue;
        }
        out += fmt::format("  {:<30} {} (+- {}), {} ({} inputs)\n", g.group, money_text(g.per_student.value, cur),
                           money_text(g.per_student.standard_error, cur),
                           money_text(g.per_student.value * v.students, cur), g.inputs.size());
        if (top == nullptr || g.per_student.value > top->per_student.value) top = &g;
    }
    if (v.evpi_per_student <= 0.0 || top == nullptr) {
        out += "In no draw would another option beat " + v.options[v.best] +
               ": learning more before deciding is worth nothing at this willingness to pay.\n";
    } else {
        out += fmt::format(
            "Knowing the {} before deciding is worth up to {}; knowing everything, up to {}. A pilot or "
            "study that costs more than that is not worth waiting for at this willingness to pay.\n",
            top->group, per_student_and_district(top->per_student.value, v.students, cur),
            money_text(v.evpi_per_student * v.students, cur));
    }
    out +=
        "Estimated by regressing each plan's net benefit on the group's inputs (additive cubic splines; Strong,\n"
        "Oakley & Brennan 2014); few draws make it overstate the value: rerun with more --draws to check.\n";
    return out;
}

}  // namespace pathways
