#include "engine/stage_gate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "common/diagnostics.hpp"
#include "engine/simulation.hpp"
#include "graph/model_graph.hpp"
#include "stats/distributions.hpp"
#include "stats/random.hpp"

namespace pathways {
namespace {

bool names_reached_students(const std::string& subgroup) {
    std::size_t start = 0;
    while (start <= subgroup.size()) {
        const std::size_t end = std::min(subgroup.find('&', start), subgroup.size());
        if (subgroup.compare(start, end - start, "pl:yes") == 0) return true;
        start = end + 1;
    }
    return false;
}

bool is_reported(const std::vector<std::string>& reported, const std::string& name) {
    return std::find(reported.begin(), reported.end(), name) != reported.end();
}

/// Whether the projection reports `node`: one of the outcomes named, or, when none is named, an outcome
/// as the simulation's default reports every student and academic outcome.
bool outcome_reported(const scenario& spec, const model_node& node) {
    if (!spec.report.outcomes.empty()) return is_reported(spec.report.outcomes, node.id);
    return node.kind == node_kind::student_outcome || node.kind == node_kind::academic_outcome;
}

void check_gate(const scenario& spec, const wave& gated, const model_graph& graph, diagnostics& out) {
    const stage_gate& gate = *gated.gate;
    const std::string at = gate.where.pointer;
    const auto node = graph.find(gate.outcome);
    if (!node) {
        std::vector<std::string> outcomes;
        for (const model_node& n : graph.definition().nodes) {
            if (n.kind == node_kind::student_outcome || n.kind == node_kind::academic_outcome) outcomes.push_back(n.id);
        }
        spec.where.error(out, at + "/outcome",
                         "unknown outcome '" + gate.outcome + "'; expected an outcome of the model" +
                             did_you_mean(gate.outcome, outcomes));
    } else if (!outcome_reported(spec, graph.definition().nodes[*node])) {
        spec.where.error(out, at + "/outcome",
                         "outcome '" + gate.outcome +
                             "' is not reported; expected it in /report/outcomes (the gate "
                             "reads its projected effect)");
    }
    if (!names_reached_students(gate.subgroup)) {
        spec.where.error(out, at + "/subgroup",
                         "subgroup '" + gate.subgroup +
                             "' is not the reached schools' students; expected pl:yes or an intersection with it "
                             "(a gate measures what earlier waves achieved)");
    } else if (!is_reported(spec.report.subgroups, gate.subgroup)) {
        spec.where.error(out, at + "/subgroup",
                         "subgroup '" + gate.subgroup + "' is not reported; expected it in /report/subgroups");
    }
    const int last_year = spec.start_year + std::max(spec.years, 1) - 1;
    const bool measured_before = std::any_of(spec.plan.waves.begin(), spec.plan.waves.end(),
                                             [&](const wave& w) { return &w != &gated && w.start_year <= gate.year; });
    if (gate.year < spec.start_year || gate.year > last_year) {
        spec.where.error(out, at + "/year",
                         fmt::format("{} is outside the horizon; expected a year from {} to {}", gate.year,
                                     spec.start_year, last_year));
    } else if (gate.year >= gated.start_year) {
        spec.where.error(out, at + "/year",
                         fmt::format("the gate is measured in {}, when its wave has started ({}); expected a year "
                                     "before {}",
                                     gate.year, gated.start_year, gated.start_year));
    } else if (!measured_before) {
        spec.where.error(out, at + "/year",
                         fmt::format("no other wave has started by {}; expected a year when an earlier wave's "
                                     "schools can be measured",
                                     gate.year));
    }
}

/// The row of `draws` that holds the gate's measure: its outcome's effect for its subgroup in its
/// year, on the course with the cut risk (what the district would see).
std::size_t gate_row(const projection_draws& draws, const simulation& sim, const stage_gate& gate, int start_year) {
    for (std::size_t i = 0; i < draws.rows.size(); ++i) {
        const metric_row& row = draws.rows[i];
        if (row.metric != metric::effect || row.course != plan_course::with_cut_risk) continue;
        if (start_year + row.year != gate.year || row.outcome >= sim.outcomes().size()) continue;
        if (sim.outcomes()[row.outcome].id == gate.outcome &&
            sim.subgroups().at(row.subgroup).group.name == gate.subgroup)
            return i;
    }
    throw std::logic_error("stage gate: no effect row for " + gate.subgroup + " " + gate.outcome + " in " +
                           std::to_string(gate.year) + " (check_gates lets none through)");
}

bool same_row(const metric_row& a, const metric_row& b) {
    return a.year == b.year && a.subgroup == b.subgroup && a.outcome == b.outcome && a.metric == b.metric &&
           a.reference == b.reference && a.course == b.course;
}

}  // namespace

double gate_measurement_se(double students, double schools) {
    if (students <= 0.0 || schools <= 0.0) return 0.0;
    const double per_school = students / schools;
    const double design_effect = 1.0 + (per_school - 1.0) * school_icc;
    return std::sqrt(2.0 * design_effect / students);
}

void check_gates(const scenario& spec, const model_graph& graph, diagnostics& out) {
    std::size_t gated = 0;
    for (const wave& w : spec.plan.waves) {
        if (!w.gate) continue;
        if (++gated > 1) {
            spec.where.error(out, w.gate->where.pointer,
                             "a second gated wave; expected at most one wave with a gate in a plan");
            continue;
        }
        check_gate(spec, w, graph, out);
    }
}

std::optional<std::size_t> gated_wave(const scenario& spec) {
    for (std::size_t i = 0; i < spec.plan.waves.size(); ++i)
        if (spec.plan.waves[i].gate) return i;
    return std::nullopt;
}

scenario with_gate_closed(const scenario& spec) {
    scenario closed = spec;
    if (const auto gated = gated_wave(spec))
        closed.plan.waves.erase(closed.plan.waves.begin() + static_cast<std::ptrdiff_t>(*gated));
    return closed;
}

gate_decisions decide_gate(const projection_draws& closed, const simulation& closed_sim, const wave& gated,
                           double pilot_schools, int start_year, std::uint64_t seed, std::size_t first_draw,
                           bool central) {
    const stage_gate& gate = *gated.gate;
    const std::size_t row = gate_row(closed, closed_sim, gate, start_year);
    gate_decisions decisions;
    decisions.students = closed.rows[row].students;
    decisions.schools = pilot_schools;
    decisions.measurement_se = gate.measurement_se.value_or(gate_measurement_se(decisions.students, pilot_schools));
    decisions.open.resize(closed.draws);
    const std::uint64_t stream = stats::stream_id("stage-gate:" + gated.name);
    for (std::size_t d = 0; d < closed.draws; ++d) {
        stats::counter_rng rng(seed, first_draw + d, stream);
        const double noise = central ? 0.0 : decisions.measurement_se * stats::sample_standard_normal(rng);
        const double projected = closed.values[d * closed.rows.size() + row];
        decisions.projected_mean += projected / static_cast<double>(closed.draws);
        decisions.open[d] = projected + noise >= gate.at_least ? 1 : 0;
    }
    return decisions;
}

projection_draws mix_by_gate(projection_draws open, const projection_draws& closed, const gate_decisions& gate) {
    if (open.rows.size() != closed.rows.size() || open.draws != closed.draws || gate.open.size() != open.draws)
        throw std::logic_error("stage gate: the open and closed runs differ in their rows or draws");
    const std::size_t rows = open.rows.size();
    for (std::size_t i = 0; i < rows; ++i) {
        if (!same_row(open.rows[i], closed.rows[i]))
            throw std::logic_error("stage gate: the open and closed runs report different rows");
        open.rows[i].suppressed = open.rows[i].suppressed || closed.rows[i].suppressed;
    }
    for (std::size_t d = 0; d < open.draws; ++d) {
        if (gate.open[d]) continue;
        std::copy_n(closed.values.begin() + static_cast<std::ptrdiff_t>(d * rows), rows,
                    open.values.begin() + static_cast<std::ptrdiff_t>(d * rows));
        if (d < open.cut_years.size() && d < closed.cut_years.size()) open.cut_years[d] = closed.cut_years[d];
    }
    return open;
}

}  // namespace pathways
