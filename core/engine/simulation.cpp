#include "engine/simulation.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>
#include <stdexcept>
#include <string>

#include "plugin/checked_evaluation.hpp"
#include "stats/distributions.hpp"
#include "stats/normal.hpp"
#include "stats/random.hpp"

namespace pathways {
namespace {

using array_map = Eigen::Map<Eigen::ArrayXd>;
using const_array_map = Eigen::Map<const Eigen::ArrayXd>;

// The between-school spread of the PL effect: SD 0.10 SD/year across schools (heterogeneity in
// Pane et al. 2017 and Gnagey & Lavertu 2016 [A]) around a mean of 0.09 SD/year (Pane et al. 2017,
// RAND RR-2042 [S2]). The engine applies it to the dose every school's cells receive, as a multiplier
// with mean 1 and SD 0.10 / 0.09, so some schools' PL does nothing or harms, whatever the effect model.
constexpr double between_school_sd = 0.10;
constexpr double mean_school_effect = 0.09;
constexpr double school_dose_sd = between_school_sd / mean_school_effect;
// The spread of the ramp and fidelity assumptions used when they are drawn [A].
constexpr double years_to_half_sd = 0.5;
constexpr double decay_sd = 0.075;

/// The shift of years_to_half around the scenario's value, and the fidelity decay around its own.
sdk::prior ramp_shift_prior() { return {sdk::prior_kind::truncated_normal, 0.0, years_to_half_sd, -1.0, 1.5}; }
sdk::prior fidelity_prior(double decay) { return {sdk::prior_kind::truncated_normal, decay, decay_sd, 0.7, 1.0}; }

/// Nodes whose change is the PL "dose": what the plan sets, and the primary drivers built from it.
bool carries_dose(node_kind kind) {
    return kind == node_kind::secondary_driver || kind == node_kind::primary_driver ||
           kind == node_kind::foundational_practice;
}

/// `initial + factor[c] * (values - initial)`: a change since baseline, scaled cell by cell.
void scale_change(std::span<const double> values, std::span<const double> initial, std::span<const double> factor,
                  std::span<double> out) {
    const auto n = static_cast<Eigen::Index>(out.size());
    const const_array_map base(initial.data(), n);
    array_map(out.data(), n) = base + const_array_map(factor.data(), n) * (const_array_map(values.data(), n) - base);
}

bool is_evaluated(node_kind kind) {
    return kind == node_kind::student_outcome || kind == node_kind::academic_outcome || kind == node_kind::goal;
}

double weighted_mean(std::span<const double> values, std::span<const double> weights) {
    const const_array_map v(values.data(), static_cast<Eigen::Index>(values.size()));
    const const_array_map w(weights.data(), static_cast<Eigen::Index>(weights.size()));
    const double total = w.sum();
    return total > 0.0 ? (v * w).sum() / total : 0.0;
}

/// The cut score (SD) at which a share `proficient` of students in cells with means `levels` and
/// within-cell SD `sd` score above it; bisection because the share falls monotonically with the cut.
double solve_cut_score(std::span<const double> levels, std::span<const double> students, double sd, double proficient) {
    double low = -10.0;
    double high = 10.0;
    const double total = const_array_map(students.data(), static_cast<Eigen::Index>(students.size())).sum();
    for (int i = 0; i < 64; ++i) {  // 20 / 2^64: far below double resolution
        const double cut = 0.5 * (low + high);
        double above = 0.0;
        for (std::size_t c = 0; c < levels.size(); ++c) above += students[c] * stats::normal_cdf((levels[c] - cut) / sd);
        (above / total > proficient ? low : high) = cut;
    }
    return 0.5 * (low + high);
}

}  // namespace

struct simulation::workspace {
    implementation_schedule::result plan;
    std::vector<double> current;
    std::vector<double> previous;
    std::vector<double> implementation;
    std::vector<double> foundations;
    std::vector<double> exposure;
    std::vector<double> school_effect;
    std::vector<double> school_dose;       ///< per cell: this draw's multiplier on its school's dose
    std::vector<double> dose_current;      ///< [parent slot * cells]: scaled views of dose and age-bound parents
    std::vector<double> dose_previous;
    std::vector<bool> view_ready;          ///< per view: computed this year
    std::vector<double> factor;            ///< scratch: grade mask times dose multiplier
    std::vector<double> share;             ///< scratch: share proficient per cell
    std::vector<sdk::parent_values> parents;
};

simulation::simulation(const simulation_inputs& inputs, diagnostics& problems)
    : inputs_(inputs), schedule_(inputs.graph, inputs.district, inputs.schools, inputs.spec, problems) {
    const auto& nodes = inputs.graph.definition().nodes;
    const auto& edges = inputs.graph.definition().edges;
    for (std::size_t n : inputs.graph.topological_order()) {
        const node_kind kind = nodes[n].kind;
        if (!is_evaluated(kind) && kind != node_kind::primary_driver) continue;
        // A primary driver aggregates its composition edges; every other node evaluates its effect edges.
        const edge_role wanted = kind == node_kind::primary_driver ? edge_role::composition : edge_role::effect;
        std::vector<std::pair<std::size_t, std::size_t>> parents;
        for (std::size_t e : inputs.graph.incoming_edges(n)) {
            if (edges[e].role == wanted) parents.emplace_back(e, *inputs.graph.find(edges[e].from));
        }
        evaluated_.push_back(n);
        parent_edges_.push_back(std::move(parents));
    }
    prepare_baselines();
    prepare_parent_views();
    prepare_reporting(problems);
    prepare_baseline_levels();
    prepare_trends();
    prepare_parameters(problems);
}

simulation::~simulation() = default;

void simulation::prepare_baselines() {
    const auto& nodes = inputs_.graph.definition().nodes;
    const population_cells& cells = inputs_.cells;
    const std::size_t cell_count = cells.students.size();
    initial_values_.assign(nodes.size() * cell_count, 0.0);

    const auto& driven = schedule_.driven_nodes();
    for (std::size_t k = 0; k < driven.size(); ++k) {
        for (std::size_t c = 0; c < cell_count; ++c) {
            initial_values_[driven[k] * cell_count + c] = schedule_.start_level(cells.school[c], k);
        }
    }
    for (const outcome_baseline& baseline : inputs_.district.baselines) {
        const auto node = inputs_.graph.find(baseline.node);
        if (!node) continue;
        std::span<double> values(initial_values_.data() + *node * cell_count, cell_count);
        for (const auto& [term_text, offset] : baseline.offsets) {
            std::string error;
            const auto term = parse_subgroup(term_text, error);
            if (!term || term->terms.size() != 1) continue;
            for (std::size_t c = 0; c < cell_count; ++c) {
                if (cell_has_term(cells, c, term->terms.front())) values[c] += offset;
            }
        }
        // Offsets are partial effects; re-centring makes every outcome relative to the district mean.
        const double mean = weighted_mean(values, cells.students);
        for (double& v : values) v -= mean;
        if (baseline.proficient) {
            double variance = 0.0;
            for (std::size_t c = 0; c < cell_count; ++c) variance += cells.students[c] * values[c] * values[c];
            variance /= const_array_map(cells.students.data(), static_cast<Eigen::Index>(cell_count)).sum();
            // Student-level SD is 1 (DOMAIN.md §7): what the cells do not explain is within-cell spread.
            const double within = std::sqrt(std::max(0.1, 1.0 - variance));
            proficiency_cuts_.push_back(
                {*node, solve_cut_score(values, cells.students, within, *baseline.proficient), within});
        }
    }
    for (std::size_t n : inputs_.graph.topological_order()) {
        if (nodes[n].kind != node_kind::primary_driver) continue;
        std::span<double> values(initial_values_.data() + n * cell_count, cell_count);
        const auto members = inputs_.graph.members_of_group(nodes[n].id);
        for (std::size_t m : members) {
            for (std::size_t c = 0; c < cell_count; ++c) values[c] += initial_values_[m * cell_count + c];
        }
        if (!members.empty()) for (double& v : values) v /= static_cast<double>(members.size());
    }
    baseline_achievement_.assign(cell_count, 0.0);
    double subjects = 0.0;
    for (std::size_t n = 0; n < nodes.size(); ++n) {
        if (!nodes[n].id.starts_with("academic.achievement.")) continue;
        subjects += 1.0;
        for (std::size_t c = 0; c < cell_count; ++c) baseline_achievement_[c] += initial_values_[n * cell_count + c];
    }
    if (subjects > 0.0) for (double& v : baseline_achievement_) v /= subjects;
}

void simulation::prepare_parent_views() {
    const auto& nodes = inputs_.graph.definition().nodes;
    const auto& edges = inputs_.graph.definition().edges;
    const population_cells& cells = inputs_.cells;
    std::map<std::tuple<std::size_t, bool, std::uint8_t>, std::size_t> slots;
    for (std::size_t i = 0; i < evaluated_.size(); ++i) {
        const bool composes = nodes[evaluated_[i]].kind == node_kind::primary_driver;
        std::vector<std::optional<std::size_t>> slot_of;
        for (const auto& [e, parent] : parent_edges_[i]) {
            const bool dose = !composes && carries_dose(nodes[parent].kind);
            const std::uint8_t bands = edges[e].grade_bands;
            if (!dose && bands == all_grade_bands) {
                slot_of.emplace_back();
                continue;
            }
            const auto [it, inserted] = slots.try_emplace({parent, dose, bands}, parent_views_.size());
            if (inserted) {
                parent_view view{parent, dose, {}};
                if (bands != all_grade_bands) {
                    view.grade_mask.resize(cells.students.size());
                    for (std::size_t c = 0; c < view.grade_mask.size(); ++c) {
                        view.grade_mask[c] = (bands >> cells.grade_band[c]) & 1u ? 1.0 : 0.0;
                    }
                }
                parent_views_.push_back(std::move(view));
            }
            slot_of.push_back(it->second);
        }
        parent_view_slot_.push_back(std::move(slot_of));
    }
}

reported_subgroup simulation::select_reported(const subgroup& group) const {
    const auto head_count = [&](const std::vector<std::uint32_t>& cells) {
        double students = 0.0;
        for (std::uint32_t c : cells) students += inputs_.cells.students[c];
        return students;
    };
    reported_subgroup reported{group, {}, 0.0, {}, {}};
    if (uses_plan_reach(group)) {
        for (int y = 0; y < inputs_.spec.years; ++y) {
            const std::vector<bool> reached = schedule_.reached_by(y);
            reported.cells_by_year.push_back(select_cells(group, inputs_.cells, &reached));
            reported.students_by_year.push_back(head_count(reported.cells_by_year.back()));
        }
        reported.cells = reported.cells_by_year.back();
    } else {
        reported.cells = select_cells(group, inputs_.cells);
    }
    reported.students = head_count(reported.cells);
    return reported;
}

void simulation::prepare_reporting(diagnostics& problems) {
    const scenario& spec = inputs_.spec;
    for (const std::string& expression : spec.report.subgroups) {
        std::string error;
        auto group = parse_subgroup(expression, error);
        if (!group) {
            problems.error(spec.file, 0, 0, "/report/subgroups", error);
            continue;
        }
        subgroups_.push_back(select_reported(*group));
    }
    const auto& nodes = inputs_.graph.definition().nodes;
    auto add_outcome = [&](std::size_t n) {
        reported_outcome outcome{n, nodes[n].id, nodes[n].kind == node_kind::academic_outcome, std::nullopt};
        for (std::size_t p = 0; p < proficiency_cuts_.size(); ++p) {
            if (proficiency_cuts_[p].node == n) outcome.proficiency_index = p;
        }
        outcomes_.push_back(std::move(outcome));
    };
    if (spec.report.outcomes.empty()) {
        for (std::size_t n : inputs_.graph.topological_order()) {
            if (nodes[n].kind == node_kind::student_outcome || nodes[n].kind == node_kind::academic_outcome) add_outcome(n);
        }
        return;
    }
    for (const std::string& id : spec.report.outcomes) {
        if (const auto n = inputs_.graph.find(id)) add_outcome(*n);
        else problems.error(spec.file, 0, 0, "/report/outcomes", "unknown outcome '" + id + "'");
    }
}

std::vector<double> simulation::trend_per_cell(std::size_t node) const {
    std::vector<double> rates;
    const auto& id = inputs_.graph.definition().nodes[node].id;
    for (const outcome_trend& trend : inputs_.district.trends) {
        if (trend.node != id) continue;
        rates.assign(inputs_.cells.students.size(), 0.0);
        // Terms add up like baseline offsets: "all" applies to everyone, a group's term on top of it.
        for (const auto& [term_text, per_year] : trend.per_year) {
            std::string error;
            const auto group = parse_subgroup(term_text, error);
            if (!group) continue;
            for (const std::uint32_t c : select_cells(*group, inputs_.cells)) rates[c] += per_year;
        }
    }
    return rates;
}

void simulation::prepare_trends() {
    for (const reported_outcome& outcome : outcomes_) outcome_trends_.push_back(trend_per_cell(outcome.node));
    for (const proficiency_scale& scale : proficiency_cuts_) proficiency_trends_.push_back(trend_per_cell(scale.node));
}

void simulation::prepare_parameters(diagnostics& problems) {
    const model_handle& model = inputs_.model;
    pinned_parameters_.assign(model.parameters.size(), std::numeric_limits<double>::quiet_NaN());
    for (const auto& [name, value] : inputs_.spec.parameters) {
        const auto it = std::find_if(model.parameters.begin(), model.parameters.end(),
                                     [&](const parameter_info& p) { return p.name == name; });
        if (it == model.parameters.end()) {
            problems.error(inputs_.spec.file, 0, 0, "/effect_model/parameters",
                           "effect model '" + model.name + "' has no parameter '" + name + "'");
            continue;
        }
        pinned_parameters_[static_cast<std::size_t>(it - model.parameters.begin())] = value;
    }
    const std::size_t cell_count = inputs_.cells.students.size();
    baseline_implementation_.assign(cell_count, 0.0);
    const auto& driven = schedule_.driven_nodes();
    double secondary = 0.0;
    for (std::size_t k = 0; k < driven.size(); ++k) {
        if (inputs_.graph.definition().nodes[driven[k]].kind != node_kind::secondary_driver) continue;
        secondary += 1.0;
        for (std::size_t c = 0; c < cell_count; ++c) baseline_implementation_[c] += initial_values_[driven[k] * cell_count + c];
    }
    if (secondary > 0.0) for (double& v : baseline_implementation_) v /= secondary;
}

draw_parameters simulation::central_parameters() const {
    draw_parameters p;
    for (const model_edge& edge : inputs_.graph.definition().edges) p.edge_weights.push_back(edge.weight);
    for (std::size_t i = 0; i < inputs_.model.parameters.size(); ++i) {
        const double pinned = pinned_parameters_[i];
        p.model_parameters.push_back(std::isnan(pinned) ? inputs_.model.parameters[i].default_value : pinned);
    }
    const implementation_plan& plan = inputs_.spec.plan;
    p.years_to_half = plan.ramp.years_to_half;
    p.years_to_90 = plan.ramp.years_to_90;
    p.decay_per_doubling = plan.fidelity.decay_per_doubling;
    p.school_doses.assign(inputs_.schools.size(), 1.0);
    return p;
}

draw_parameters simulation::sample_parameters(std::uint64_t seed, std::uint64_t draw) const {
    draw_parameters p = central_parameters();
    const auto& edges = inputs_.graph.definition().edges;
    for (std::size_t e = 0; e < edges.size(); ++e) {
        stats::counter_rng rng(seed, draw, stats::stream_id("edge:" + edges[e].from + "->" + edges[e].to));
        p.edge_weights[e] = stats::sample(edges[e].uncertainty, rng);
    }
    for (std::size_t i = 0; i < inputs_.model.parameters.size(); ++i) {
        if (!std::isnan(pinned_parameters_[i])) continue;
        const parameter_info& info = inputs_.model.parameters[i];
        stats::counter_rng rng(seed, draw, stats::stream_id("parameter:" + info.name));
        p.model_parameters[i] = std::clamp(stats::sample(info.uncertainty, rng), info.min, info.max);
    }
    const implementation_plan& plan = inputs_.spec.plan;
    if (!plan.ramp.instant) {
        stats::counter_rng ramp(seed, draw, stats::stream_id("implementation:ramp"));
        const double shift = stats::sample(ramp_shift_prior(), ramp);
        p.years_to_half = std::max(0.5, plan.ramp.years_to_half + shift);
        p.years_to_90 = p.years_to_half + (plan.ramp.years_to_90 - plan.ramp.years_to_half);
    }
    // A decay of 1 means the scenario turned fidelity loss off; only a real decay is uncertain.
    if (plan.fidelity.decay_per_doubling < 1.0) {
        stats::counter_rng fidelity(seed, draw, stats::stream_id("implementation:fidelity"));
        p.decay_per_doubling = stats::sample(fidelity_prior(plan.fidelity.decay_per_doubling), fidelity);
    }
    for (std::size_t s = 0; s < inputs_.schools.size(); ++s) {
        stats::counter_rng rng(seed, draw, stats::stream_id("school-effect:" + inputs_.schools[s].id));
        p.school_doses[s] = stats::sample({sdk::prior_kind::normal, 1.0, school_dose_sd, 0.0, 0.0}, rng);
    }
    if (plan.program_cut.annual_probability > 0.0) {
        stats::counter_rng rng(seed, draw, stats::stream_id("implementation:program-cut"));
        const int first_at_risk = inputs_.spec.start_year + static_cast<int>(std::ceil(schedule_.protected_years()));
        for (int year = first_at_risk; year < inputs_.spec.start_year + inputs_.spec.years && !p.cut_year; ++year) {
            if (rng.next_uniform() < plan.program_cut.annual_probability) p.cut_year = year;
        }
    }
    return p;
}

std::vector<uncertain_input> simulation::uncertain_inputs() const {
    using target = uncertain_input::target;
    std::vector<uncertain_input> inputs;
    const auto& edges = inputs_.graph.definition().edges;
    for (std::size_t e = 0; e < edges.size(); ++e) {
        if (edges[e].uncertainty.kind == sdk::prior_kind::fixed) continue;
        inputs.push_back({"edge:" + edges[e].from + "->" + edges[e].to, edges[e].uncertainty, target::edge_weight, e});
    }
    for (std::size_t i = 0; i < inputs_.model.parameters.size(); ++i) {
        const parameter_info& info = inputs_.model.parameters[i];
        if (!std::isnan(pinned_parameters_[i]) || info.uncertainty.kind == sdk::prior_kind::fixed) continue;
        inputs.push_back({"parameter:" + info.name, info.uncertainty, target::model_parameter, i});
    }
    const implementation_plan& plan = inputs_.spec.plan;
    if (!plan.ramp.instant) {
        sdk::prior ramp = ramp_shift_prior();
        ramp.a += plan.ramp.years_to_half;
        ramp.lower += plan.ramp.years_to_half;
        ramp.upper += plan.ramp.years_to_half;
        inputs.push_back({"implementation:years_to_half", ramp, target::years_to_half, 0});
    }
    if (plan.fidelity.decay_per_doubling < 1.0) {
        inputs.push_back({"implementation:decay_per_doubling", fidelity_prior(plan.fidelity.decay_per_doubling),
                          target::decay_per_doubling, 0});
    }
    return inputs;
}

draw_parameters simulation::parameters_with(std::span<const double> values) const {
    using target = uncertain_input::target;
    const std::vector<uncertain_input> inputs = uncertain_inputs();
    if (values.size() != inputs.size()) {
        throw std::invalid_argument("parameters_with needs " + std::to_string(inputs.size()) + " values, got " +
                                    std::to_string(values.size()));
    }
    draw_parameters p = central_parameters();
    const implementation_plan& plan = inputs_.spec.plan;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const std::size_t index = inputs[i].index;
        switch (inputs[i].applies_to) {
            case target::edge_weight: p.edge_weights[index] = values[i]; break;
            case target::model_parameter: {
                const parameter_info& info = inputs_.model.parameters[index];
                p.model_parameters[index] = std::clamp(values[i], info.min, info.max);
                break;
            }
            case target::years_to_half:
                p.years_to_half = std::max(0.5, values[i]);
                p.years_to_90 = p.years_to_half + (plan.ramp.years_to_90 - plan.ramp.years_to_half);
                break;
            case target::decay_per_doubling: p.decay_per_doubling = values[i]; break;
        }
    }
    return p;
}

void simulation::run(const draw_parameters& parameters, draw_result& out) const {
    // Megabytes of scratch per draw (every node for every cell); kept per thread and reused, since
    // allocating and faulting them in afresh for each draw cost a third of the run time.
    thread_local workspace ws;
    run_one(parameters, false, ws, out.scenario);
    run_one(parameters, true, ws, out.business_as_usual);
}

void simulation::run_one(const draw_parameters& parameters, bool business_as_usual, workspace& ws,
                         run_aggregates& out) const {
    const implementation_draw plan_draw{parameters.years_to_half, parameters.years_to_90, parameters.decay_per_doubling,
                                        parameters.cut_year, parameters.edge_weights};
    schedule_.compute(plan_draw, business_as_usual, ws.plan);
    ws.current = initial_values_;
    ws.previous = initial_values_;
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    out.levels.assign(years * subgroups_.size() * outcomes_.size(), 0.0);
    out.proficient.assign(years * subgroups_.size() * proficiency_cuts_.size(), 0.0);
    out.pl_schools = ws.plan.pl_schools;
    for (int y = 0; y < inputs_.spec.years; ++y) {
        evaluate_year(y, parameters, ws);
        aggregate_year(y, ws, out);
        ws.previous = ws.current;
    }
}

void simulation::evaluate_year(int year, const draw_parameters& parameters, workspace& ws) const {
    const population_cells& cells = inputs_.cells;
    const std::size_t cell_count = cells.students.size();
    const auto& nodes = inputs_.graph.definition().nodes;
    const auto& driven = schedule_.driven_nodes();
    const std::size_t y = static_cast<std::size_t>(year);
    const std::vector<double>& levels = ws.plan.levels[y];

    ws.implementation.assign(cell_count, 0.0);
    ws.foundations.assign(cell_count, 0.0);
    double secondary = 0.0;
    double foundational = 0.0;
    for (std::size_t k = 0; k < driven.size(); ++k) {
        double* values = ws.current.data() + driven[k] * cell_count;
        for (std::size_t c = 0; c < cell_count; ++c) values[c] = levels[cells.school[c] * driven.size() + k];
        const node_kind kind = nodes[driven[k]].kind;
        if (kind == node_kind::secondary_driver) {
            secondary += 1.0;
            array_map(ws.implementation.data(), static_cast<Eigen::Index>(cell_count)) +=
                const_array_map(values, static_cast<Eigen::Index>(cell_count));
        } else if (kind == node_kind::foundational_practice) {
            foundational += 1.0;
            array_map(ws.foundations.data(), static_cast<Eigen::Index>(cell_count)) +=
                const_array_map(values, static_cast<Eigen::Index>(cell_count));
        }
    }
    if (secondary > 0.0) array_map(ws.implementation.data(), static_cast<Eigen::Index>(cell_count)) /= secondary;
    if (foundational > 0.0) array_map(ws.foundations.data(), static_cast<Eigen::Index>(cell_count)) /= foundational;
    ws.exposure.resize(cell_count);
    ws.school_effect.resize(cell_count);
    ws.school_dose.resize(cell_count);
    for (std::size_t c = 0; c < cell_count; ++c) {
        ws.exposure[c] = ws.plan.exposure[y][cells.school[c]];
        ws.school_dose[c] = parameters.school_doses[cells.school[c]];
    }
    ws.school_effect = ws.school_dose;
    scale_change(ws.implementation, baseline_implementation_, ws.school_dose, ws.implementation);
    const std::size_t views = parent_views_.size();
    ws.dose_current.resize(views * cell_count);
    ws.dose_previous.resize(views * cell_count);
    ws.view_ready.assign(views, false);
    const sdk::cell_attributes attributes{cells.race, cells.ell, cells.frl, cells.sped, cells.grade_band,
                                          cells.students, baseline_achievement_, ws.exposure, ws.implementation,
                                          baseline_implementation_, ws.foundations, ws.school_effect};

    for (std::size_t i = 0; i < evaluated_.size(); ++i) {
        const std::size_t n = evaluated_[i];
        double* out = ws.current.data() + n * cell_count;
        ws.parents.clear();
        for (std::size_t k = 0; k < parent_edges_[i].size(); ++k) {
            const auto [e, parent] = parent_edges_[i][k];
            if (const auto slot = parent_view_slot_[i][k]; slot && !ws.view_ready[*slot]) fill_parent_view(*slot, ws);
            const std::size_t offset = (parent_view_slot_[i][k] ? *parent_view_slot_[i][k] : parent) * cell_count;
            const std::vector<double>& current = parent_view_slot_[i][k] ? ws.dose_current : ws.current;
            const std::vector<double>& previous = parent_view_slot_[i][k] ? ws.dose_previous : ws.previous;
            ws.parents.push_back({nodes[parent].id, nodes[parent].kind, parameters.edge_weights[e],
                                  {current.data() + offset, cell_count},
                                  {previous.data() + offset, cell_count},
                                  {initial_values_.data() + parent * cell_count, cell_count}});
        }
        if (nodes[n].kind == node_kind::primary_driver) {
            // A primary driver is the mean of its secondary drivers (DOMAIN.md §1.1 encoding [A]).
            array_map target(out, static_cast<Eigen::Index>(cell_count));
            target.setZero();
            for (const auto& parent : ws.parents) target += const_array_map(parent.current.data(), static_cast<Eigen::Index>(cell_count));
            if (!ws.parents.empty()) target /= static_cast<double>(ws.parents.size());
            continue;
        }
        const sdk::evaluation evaluation{nodes[n].id,
                                         nodes[n].kind,
                                         year,
                                         ws.plan.pl_schools[y],
                                         ws.parents,
                                         {ws.previous.data() + n * cell_count, cell_count},
                                         {initial_values_.data() + n * cell_count, cell_count},
                                         &attributes,
                                         parameters.model_parameters,
                                         {out, cell_count}};
        evaluate_checked(inputs_.model, evaluation, "evaluate");
    }
}

void simulation::fill_parent_view(std::size_t slot, workspace& ws) const {
    // Topological order guarantees the parent's values for this year are final when a child asks.
    const std::size_t cell_count = inputs_.cells.students.size();
    const parent_view& view = parent_views_[slot];
    std::span<const double> factor = view.grade_mask.empty() ? std::span<const double>(ws.school_dose) : view.grade_mask;
    if (view.dose && !view.grade_mask.empty()) {
        ws.factor.resize(cell_count);
        for (std::size_t c = 0; c < cell_count; ++c) ws.factor[c] = view.grade_mask[c] * ws.school_dose[c];
        factor = ws.factor;
    }
    const std::span<const double> initial(initial_values_.data() + view.node * cell_count, cell_count);
    scale_change({ws.current.data() + view.node * cell_count, cell_count}, initial, factor,
                 {ws.dose_current.data() + slot * cell_count, cell_count});
    scale_change({ws.previous.data() + view.node * cell_count, cell_count}, initial, factor,
                 {ws.dose_previous.data() + slot * cell_count, cell_count});
    ws.view_ready[slot] = true;
}

void simulation::aggregate_year(int year, workspace& ws, run_aggregates& out) const {
    const std::size_t cell_count = inputs_.cells.students.size();
    const auto& students = inputs_.cells.students;
    const std::size_t y = static_cast<std::size_t>(year);
    for (std::size_t g = 0; g < subgroups_.size(); ++g) {
        const reported_subgroup& group = subgroups_[g];
        const double members = group.students_in(year);
        if (members <= 0.0) continue;
        for (std::size_t o = 0; o < outcomes_.size(); ++o) {
            const double* values = ws.current.data() + outcomes_[o].node * cell_count;
            double sum = 0.0;
            for (std::uint32_t c : group.cells_in(year)) sum += students[c] * values[c];
            if (const auto& trend = outcome_trends_[o]; !trend.empty()) {
                for (std::uint32_t c : group.cells_in(year)) sum += students[c] * trend[c] * static_cast<double>(y + 1);
            }
            out.levels[(y * subgroups_.size() + g) * outcomes_.size() + o] = sum / members;
        }
    }
    for (std::size_t p = 0; p < proficiency_cuts_.size(); ++p) {
        const proficiency_scale& scale = proficiency_cuts_[p];
        const double* values = ws.current.data() + scale.node * cell_count;
        const std::vector<double>& trend = proficiency_trends_[p];
        const double years_of_trend = static_cast<double>(y + 1);
        std::vector<double>& share = ws.share;
        share.resize(cell_count);
        for (std::size_t c = 0; c < cell_count; ++c) {
            const double level = values[c] + (trend.empty() ? 0.0 : trend[c] * years_of_trend);
            share[c] = stats::normal_cdf((level - scale.cut) / scale.within_cell_sd);
        }
        for (std::size_t g = 0; g < subgroups_.size(); ++g) {
            const reported_subgroup& group = subgroups_[g];
            const double members = group.students_in(year);
            if (members <= 0.0) continue;
            double sum = 0.0;
            for (std::uint32_t c : group.cells_in(year)) sum += students[c] * share[c];
            out.proficient[(y * subgroups_.size() + g) * proficiency_cuts_.size() + p] = sum / members;
        }
    }
}

int simulation::year_or_final(int year) const { return year < 0 ? inputs_.spec.years - 1 : year; }

double simulation::baseline_level(std::size_t subgroup, std::size_t outcome, int year) const {
    const auto y = static_cast<std::size_t>(year_or_final(year));
    return baseline_levels_[(y * subgroups_.size() + subgroup) * outcomes_.size() + outcome];
}

void simulation::prepare_baseline_levels() {
    const std::size_t cell_count = inputs_.cells.students.size();
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    baseline_levels_.assign(years * subgroups_.size() * outcomes_.size(), 0.0);
    for (std::size_t y = 0; y < years; ++y) {
        for (std::size_t g = 0; g < subgroups_.size(); ++g) {
            const reported_subgroup& group = subgroups_[g];
            const double members = group.students_in(static_cast<int>(y));
            if (members <= 0.0) continue;
            for (std::size_t o = 0; o < outcomes_.size(); ++o) {
                const double* values = initial_values_.data() + outcomes_[o].node * cell_count;
                double sum = 0.0;
                for (std::uint32_t c : group.cells_in(static_cast<int>(y))) sum += inputs_.cells.students[c] * values[c];
                baseline_levels_[(y * subgroups_.size() + g) * outcomes_.size() + o] = sum / members;
            }
        }
    }
}

double simulation::baseline_proficient(std::size_t subgroup, std::size_t proficiency_index, int year) const {
    const reported_subgroup& group = subgroups_[subgroup];
    const int y = year_or_final(year);
    const double members = group.students_in(y);
    if (members <= 0.0) return 0.0;
    const proficiency_scale& scale = proficiency_cuts_[proficiency_index];
    const std::size_t cell_count = inputs_.cells.students.size();
    const double* values = initial_values_.data() + scale.node * cell_count;
    double sum = 0.0;
    for (std::uint32_t c : group.cells_in(y)) {
        sum += inputs_.cells.students[c] * stats::normal_cdf((values[c] - scale.cut) / scale.within_cell_sd);
    }
    return sum / members;
}

}  // namespace pathways
