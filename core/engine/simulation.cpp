#include "engine/simulation.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <array>
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

/// Σ w[i]·v[i] in a fixed order (four interleaved partial sums, then the rest) whatever the arrays'
/// alignment, unlike a vectorised library reduction: the same cells sum to the same bits in every
/// run, thread and workspace.
double dot(const double* w, const double* v, std::size_t n) {
    double a0 = 0.0;
    double a1 = 0.0;
    double a2 = 0.0;
    double a3 = 0.0;
    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        a0 += w[i] * v[i];
        a1 += w[i + 1] * v[i + 1];
        a2 += w[i + 2] * v[i + 2];
        a3 += w[i + 3] * v[i + 3];
    }
    for (; i < n; ++i) a0 += w[i] * v[i];
    return (a0 + a1) + (a2 + a3);
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

/// Scratch of one thread, sized for the run's cell range and reused from draw to draw. Node arrays
/// are [node * range + i]; `current` and `previous` (and the views') swap at each new year.
struct simulation::workspace {
    implementation_schedule::result plan;
    std::vector<double> current;
    std::vector<double> previous;
    std::vector<double> implementation;
    std::vector<double> foundations;
    std::vector<double> exposure;
    std::vector<double> school_dose;       ///< per cell: this draw's multiplier on its school's dose
    std::vector<double> view_current;      ///< [parent slot * range]: scaled views of dose and age-bound parents
    std::vector<double> view_previous;
    std::vector<char> view_ready;          ///< per view: computed this year
    std::vector<double> factor;            ///< scratch: grade mask times dose multiplier
    std::vector<double> shares;            ///< scratch: [p * range + i] share proficient per cell
    std::vector<double> sums;              ///< the scenario's stratum sums of one year
    /// This draw's business-as-usual stratum sums, [(year * strata + s) * sums_per_stratum + k]: the
    /// scenario's for the strata it never reaches.
    std::vector<double> bau_sums;
    std::vector<sdk::parent_values> parents;
    std::vector<std::array<const double*, 3>> parent_rows;  ///< per parent: current, previous, initial
    /// The scenario's state where the sustained course forks from the one with the cut.
    std::vector<double> saved_current, saved_previous, saved_view_current, saved_view_previous;
};

simulation::simulation(const simulation_inputs& inputs, diagnostics& problems)
    : inputs_(inputs), schedule_(inputs.graph, inputs.district, inputs.schools, inputs.spec, problems) {
    const auto& nodes = inputs.graph.definition().nodes;
    const auto& edges = inputs.graph.definition().edges;
    for (std::size_t n : inputs.graph.topological_order()) {
        const node_kind kind = nodes[n].kind;
        if (!is_evaluated(kind) && kind != node_kind::primary_driver) continue;
        if (nodes[n].derived != derived_metric::none) continue;  // computed from subgroup means in the projection
        // A primary driver aggregates its composition edges; every other node evaluates its effect edges.
        const edge_role wanted = kind == node_kind::primary_driver ? edge_role::composition : edge_role::effect;
        std::vector<std::pair<std::size_t, std::size_t>> parents;
        for (std::size_t e : inputs.graph.incoming_edges(n)) {
            if (edges[e].role == wanted) parents.emplace_back(e, *inputs.graph.find(edges[e].from));
        }
        evaluated_.push_back(n);
        parent_edges_.push_back(std::move(parents));
    }
    driven_.assign(nodes.size(), 0);
    for (std::size_t n : schedule_.driven_nodes()) driven_[n] = 1;
    prepare_baselines();
    prepare_parent_views();
    prepare_reporting(problems);
    prepare_parameters(problems);
    prepare_trend_totals();
    for (const proficiency_scale& scale : proficiency_cuts_) proficiency_trends_.push_back(trend_per_cell(scale.node));
    prepare_streams();
    prepare_engine_order();
    prepare_baseline_levels();
    prepare_baseline_shares();
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
            // Student-level SD is 1 (outcomes are in student-level SD units): what the cells do not explain is within-cell spread.
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
        if (!nodes[n].has_role("achievement")) continue;
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
        reported_outcome outcome{n, nodes[n].id, nodes[n].kind == node_kind::academic_outcome, std::nullopt, {}};
        for (std::size_t p = 0; p < proficiency_cuts_.size(); ++p) {
            if (proficiency_cuts_[p].node == n) outcome.proficiency_index = p;
        }
        outcomes_.push_back(std::move(outcome));
    };
    if (spec.report.outcomes.empty()) {
        for (std::size_t n : inputs_.graph.topological_order()) {
            if (nodes[n].kind == node_kind::student_outcome || nodes[n].kind == node_kind::academic_outcome ||
                nodes[n].derived != derived_metric::none) {
                add_outcome(n);
            }
        }
    } else {
        for (const std::string& id : spec.report.outcomes) {
            if (const auto n = inputs_.graph.find(id)) add_outcome(*n);
            else problems.error(spec.file, 0, 0, "/report/outcomes", "unknown outcome '" + id + "'");
        }
    }
    link_gap_components(problems);
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

void simulation::prepare_trend_totals() {
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    trend_totals_.assign(years * subgroups_.size() * outcomes_.size(), 0.0);
    for (std::size_t o = 0; o < outcomes_.size(); ++o) {
        const std::vector<double> trend = trend_per_cell(outcomes_[o].node);
        if (trend.empty()) continue;
        for (std::size_t y = 0; y < years; ++y) {
            for (std::size_t g = 0; g < subgroups_.size(); ++g) {
                double sum = 0.0;
                for (std::uint32_t c : subgroups_[g].cells_in(static_cast<int>(y))) {
                    sum += inputs_.cells.students[c] * trend[c] * static_cast<double>(y + 1);
                }
                trend_totals_[(y * subgroups_.size() + g) * outcomes_.size() + o] = sum;
            }
        }
    }
}

void simulation::prepare_streams() {
    for (const model_edge& edge : inputs_.graph.definition().edges) {
        edge_streams_.push_back(stats::stream_id("edge:" + edge.from + "->" + edge.to));
    }
    for (const parameter_info& info : inputs_.model.parameters) parameter_streams_.push_back(stats::stream_id("parameter:" + info.name));
    for (const school& s : inputs_.schools) school_streams_.push_back(stats::stream_id("school-effect:" + s.id));
}

namespace {

/// `values` (per input cell, in blocks of `cells`) in engine order: position i holds cell order[i].
template <class T>
std::vector<T> in_engine_order(const std::vector<T>& values, const std::vector<std::uint32_t>& order) {
    std::vector<T> out(values.size());
    const std::size_t cells = order.size();
    for (std::size_t block = 0; cells > 0 && block < values.size() / cells; ++block) {
        for (std::size_t i = 0; i < cells; ++i) out[block * cells + i] = values[block * cells + order[i]];
    }
    return out;
}

}  // namespace

void simulation::prepare_engine_order() {
    const population_cells& cells = inputs_.cells;
    const std::size_t cell_count = cells.students.size();
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    // A cell's key: whether the plan reaches its school within the horizon, then its membership of
    // every reported subgroup in every year. Cells with equal keys form a stratum.
    const std::vector<bool> reached = schedule_.reached_by(inputs_.spec.years - 1);
    std::vector<std::vector<bool>> keys(cell_count, std::vector<bool>(1 + years * subgroups_.size(), false));
    for (std::size_t c = 0; c < cell_count; ++c) keys[c][0] = reached[cells.school[c]];
    for (std::size_t y = 0; y < years; ++y) {
        for (std::size_t g = 0; g < subgroups_.size(); ++g) {
            for (std::uint32_t c : subgroups_[g].cells_in(static_cast<int>(y))) keys[c][1 + y * subgroups_.size() + g] = true;
        }
    }
    std::vector<std::uint32_t> order(cell_count);
    for (std::size_t c = 0; c < cell_count; ++c) order[c] = static_cast<std::uint32_t>(c);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return keys[a] < keys[b]; });
    engine_position_.assign(cell_count, 0);
    for (std::size_t i = 0; i < cell_count; ++i) engine_position_[order[i]] = static_cast<std::uint32_t>(i);

    ordered_ = {in_engine_order(cells.race, order),       in_engine_order(cells.ell, order),
                in_engine_order(cells.frl, order),        in_engine_order(cells.sped, order),
                in_engine_order(cells.grade_band, order), in_engine_order(cells.students, order),
                in_engine_order(cells.school, order)};
    initial_values_ = in_engine_order(initial_values_, order);
    baseline_achievement_ = in_engine_order(baseline_achievement_, order);
    baseline_implementation_ = in_engine_order(baseline_implementation_, order);
    for (parent_view& view : parent_views_) view.grade_mask = in_engine_order(view.grade_mask, order);
    for (std::vector<double>& trend : proficiency_trends_) trend = in_engine_order(trend, order);

    std::vector<std::vector<bool>> sorted_keys(cell_count);
    for (std::size_t i = 0; i < cell_count; ++i) sorted_keys[i] = std::move(keys[order[i]]);
    prepare_strata(sorted_keys);
}

void simulation::prepare_strata(const std::vector<std::vector<bool>>& keys) {
    const std::size_t cell_count = keys.size();
    const std::size_t groups = subgroups_.size();
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    stratum_begin_.clear();
    for (std::size_t i = 0; i < cell_count; ++i) {
        if (i == 0 || keys[i] != keys[i - 1]) stratum_begin_.push_back(i);
    }
    const auto first_reached = std::find_if(keys.begin(), keys.end(), [](const std::vector<bool>& key) { return key[0]; });
    const std::size_t reached_begin = static_cast<std::size_t>(first_reached - keys.begin());
    first_reached_stratum_ = static_cast<std::size_t>(
        std::lower_bound(stratum_begin_.begin(), stratum_begin_.end(), reached_begin) - stratum_begin_.begin());
    stratum_begin_.push_back(cell_count);
    all_cells_ = {0, cell_count};
    reached_cells_ = {reached_begin, cell_count - reached_begin};
    group_strata_.assign(years * groups, {});
    for (std::size_t s = 0; s < stratum_count(); ++s) {
        const std::vector<bool>& key = keys[stratum_begin_[s]];
        for (std::size_t k = 0; k < years * groups; ++k) {
            if (key[1 + k]) group_strata_[k].push_back(static_cast<std::uint32_t>(s));
        }
    }
}

void simulation::prepare_baseline_shares() {
    const std::size_t cell_count = all_cells_.size;
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    baseline_shares_.assign(proficiency_cuts_.size() * years * cell_count, 0.0);
    for (std::size_t p = 0; p < proficiency_cuts_.size(); ++p) {
        const proficiency_scale& scale = proficiency_cuts_[p];
        const double* initial = initial_values_.data() + scale.node * cell_count;
        const std::vector<double>& trend = proficiency_trends_[p];
        for (std::size_t y = 0; y < years; ++y) {
            const double years_of_trend = static_cast<double>(y + 1);
            double* shares = baseline_shares_.data() + (p * years + y) * cell_count;
            for (std::size_t i = 0; i < cell_count; ++i) {
                const double level = initial[i] + (trend.empty() ? 0.0 : trend[i] * years_of_trend);
                shares[i] = stats::normal_cdf((level - scale.cut) / scale.within_cell_sd);
            }
        }
    }
}

void simulation::prepare_parameters(diagnostics& problems) {
    const model_handle& model = inputs_.model;
    pinned_parameters_.assign(model.parameters.size(), std::numeric_limits<double>::quiet_NaN());
    for (const auto& [name, value] : inputs_.spec.parameters) {
        const auto it = std::find_if(model.parameters.begin(), model.parameters.end(),
                                     [&name = name](const parameter_info& p) { return p.name == name; });
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

void simulation::link_gap_components(diagnostics& problems) {
    const auto& definition = inputs_.graph.definition();
    // Indices are taken before any parent is appended, so a reference into outcomes_ never dangles.
    const std::size_t listed = outcomes_.size();
    for (std::size_t o = 0; o < listed; ++o) {
        const std::size_t node = outcomes_[o].node;
        if (definition.nodes[node].derived != derived_metric::subgroup_gap) continue;
        std::vector<std::pair<std::size_t, double>> components;
        double total = 0.0;
        for (std::size_t e : inputs_.graph.incoming_edges(node)) {
            const model_edge& edge = definition.edges[e];
            const std::size_t parent = *inputs_.graph.find(edge.from);
            auto at = std::find_if(outcomes_.begin(), outcomes_.end(), [&](const reported_outcome& r) { return r.node == parent; });
            // A gap is computed from the parents' subgroup means, so every parent is aggregated (and reported).
            if (at == outcomes_.end()) {
                const node_kind kind = definition.nodes[parent].kind;
                outcomes_.push_back({parent, edge.from, kind == node_kind::academic_outcome, std::nullopt, {}});
                for (std::size_t p = 0; p < proficiency_cuts_.size(); ++p) {
                    if (proficiency_cuts_[p].node == parent) outcomes_.back().proficiency_index = p;
                }
                at = outcomes_.end() - 1;
            }
            components.emplace_back(static_cast<std::size_t>(at - outcomes_.begin()), edge.weight);
            total += edge.weight;
        }
        if (components.empty() || total <= 0.0) {
            problems.error(definition.file, definition.nodes[node].where.line, definition.nodes[node].where.column,
                           definition.nodes[node].where.pointer,
                           "subgroup_gap node '" + definition.nodes[node].id +
                               "' has no positive edge weights; expected effect edges from the outcomes it averages");
            continue;
        }
        for (auto& component : components) component.second /= total;  // a weighted mean, even if weights are rounded
        outcomes_[o].gap_components = std::move(components);
    }
}

draw_parameters simulation::central_parameters() const {
    draw_parameters p;
    set_central(p);
    return p;
}

void simulation::set_central(draw_parameters& p) const {
    const auto& edges = inputs_.graph.definition().edges;
    p.edge_weights.resize(edges.size());
    for (std::size_t e = 0; e < edges.size(); ++e) p.edge_weights[e] = edges[e].weight;
    p.model_parameters.resize(inputs_.model.parameters.size());
    for (std::size_t i = 0; i < inputs_.model.parameters.size(); ++i) {
        const double pinned = pinned_parameters_[i];
        p.model_parameters[i] = std::isnan(pinned) ? inputs_.model.parameters[i].default_value : pinned;
    }
    const implementation_plan& plan = inputs_.spec.plan;
    p.years_to_half = plan.ramp.years_to_half;
    p.years_to_90 = plan.ramp.years_to_90;
    p.decay_per_doubling = plan.fidelity.decay_per_doubling;
    p.cut_year.reset();
    p.school_doses.assign(inputs_.schools.size(), 1.0);
}

draw_parameters simulation::sample_parameters(std::uint64_t seed, std::uint64_t draw) const {
    draw_parameters p;
    sample_parameters(seed, draw, p);
    return p;
}

void simulation::sample_parameters(std::uint64_t seed, std::uint64_t draw, draw_parameters& p) const {
    set_central(p);
    const auto& edges = inputs_.graph.definition().edges;
    for (std::size_t e = 0; e < edges.size(); ++e) {
        stats::counter_rng rng(seed, draw, edge_streams_[e]);
        p.edge_weights[e] = stats::sample(edges[e].uncertainty, rng);
    }
    for (std::size_t i = 0; i < inputs_.model.parameters.size(); ++i) {
        if (!std::isnan(pinned_parameters_[i])) continue;
        const parameter_info& info = inputs_.model.parameters[i];
        stats::counter_rng rng(seed, draw, parameter_streams_[i]);
        p.model_parameters[i] = std::clamp(stats::sample(info.uncertainty, rng), info.min, info.max);
    }
    const implementation_plan& plan = inputs_.spec.plan;
    if (!plan.ramp.instant) {
        static const std::uint64_t ramp_stream = stats::stream_id("implementation:ramp");
        stats::counter_rng ramp(seed, draw, ramp_stream);
        const double shift = stats::sample(ramp_shift_prior(), ramp);
        p.years_to_half = std::max(0.5, plan.ramp.years_to_half + shift);
        p.years_to_90 = p.years_to_half + (plan.ramp.years_to_90 - plan.ramp.years_to_half);
    }
    // A decay of 1 means the scenario turned fidelity loss off; only a real decay is uncertain.
    if (plan.fidelity.decay_per_doubling < 1.0) {
        static const std::uint64_t fidelity_stream = stats::stream_id("implementation:fidelity");
        stats::counter_rng fidelity(seed, draw, fidelity_stream);
        p.decay_per_doubling = stats::sample(fidelity_prior(plan.fidelity.decay_per_doubling), fidelity);
    }
    for (std::size_t s = 0; s < inputs_.schools.size(); ++s) {
        stats::counter_rng rng(seed, draw, school_streams_[s]);
        p.school_doses[s] = stats::sample({sdk::prior_kind::normal, 1.0, school_dose_sd, 0.0, 0.0}, rng);
    }
    if (plan.program_cut.annual_probability > 0.0) {
        static const std::uint64_t cut_stream = stats::stream_id("implementation:program-cut");
        stats::counter_rng rng(seed, draw, cut_stream);
        const int first_at_risk = inputs_.spec.start_year + static_cast<int>(std::ceil(schedule_.protected_years()));
        for (int year = first_at_risk; year < inputs_.spec.start_year + inputs_.spec.years && !p.cut_year; ++year) {
            if (rng.next_uniform() < plan.program_cut.annual_probability) p.cut_year = year;
        }
    }
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

simulation::workspace& simulation::thread_workspace() {
    // Megabytes of scratch per draw (every node for every cell); kept per thread and reused, since
    // allocating and faulting them in afresh for each draw cost a third of the run time.
    thread_local workspace ws;
    return ws;
}

bool simulation::run(const draw_parameters& parameters, draw_result& out, run_aggregates* sustained) const {
    workspace& ws = thread_workspace();
    // Business as usual first: the scenario takes its stratum sums for the cells the plan never reaches.
    run_one(parameters, true, ws, out.business_as_usual);
    if (sustained == nullptr || !parameters.cut_year) {
        run_one(parameters, false, ws, out.scenario);
        return false;
    }
    run_both_courses(parameters, ws, out.scenario, *sustained);
    return true;
}

// Business as usual evaluates every cell; the scenario only the cells of schools a wave reaches
// within the horizon, and takes the others' sums from business as usual. That is exact under the
// SDK's contract: a plugin's output for a cell depends only on that cell's inputs (its attributes,
// its parents' and its own values) and the evaluation's scalars (year, parameters, edge weights).
// A never-reached cell has the same inputs in both runs (no exposure, drivers at their start
// levels, so no change for its school's dose to scale); the one scalar that differs,
// pl_school_count, describes the schools running PL (a scale effect on their PL), which such a
// cell's school is not.
void simulation::run_one(const draw_parameters& parameters, bool business_as_usual, workspace& ws,
                         run_aggregates& out) const {
    const run_context run = start_run(parameters, business_as_usual, ws, out);
    run_years(0, inputs_.spec.years, run, parameters, ws, out);
}

void simulation::run_both_courses(const draw_parameters& parameters, workspace& ws, run_aggregates& with_cut,
                                  run_aggregates& sustained) const {
    // The two courses are the same run until the cut: the years before it are evaluated once, and
    // the state they leave is kept to continue the sustained course from.
    const int fork = std::clamp(*parameters.cut_year - inputs_.spec.start_year, 0, inputs_.spec.years);
    const run_context run = start_run(parameters, false, ws, with_cut);
    run_years(0, fork, run, parameters, ws, with_cut);
    ws.saved_current = ws.current;
    ws.saved_previous = ws.previous;
    ws.saved_view_current = ws.view_current;
    ws.saved_view_previous = ws.view_previous;
    run_years(fork, inputs_.spec.years, run, parameters, ws, with_cut);

    std::swap(ws.current, ws.saved_current);
    std::swap(ws.previous, ws.saved_previous);
    std::swap(ws.view_current, ws.saved_view_current);
    std::swap(ws.view_previous, ws.saved_view_previous);
    compute_plan(parameters, false, ws, std::nullopt);
    sustained.levels = with_cut.levels;
    sustained.proficient = with_cut.proficient;
    sustained.pl_schools = ws.plan.pl_schools;
    run_years(fork, inputs_.spec.years, run, parameters, ws, sustained);  // past the plan, nothing reads the cut
}

void simulation::compute_plan(const draw_parameters& parameters, bool business_as_usual, workspace& ws,
                              std::optional<int> cut_year) const {
    const implementation_draw plan_draw{parameters.years_to_half, parameters.years_to_90, parameters.decay_per_doubling,
                                        cut_year, parameters.edge_weights};
    schedule_.compute(plan_draw, business_as_usual, ws.plan);
}

simulation::run_context simulation::start_run(const draw_parameters& parameters, bool business_as_usual, workspace& ws,
                                              run_aggregates& out) const {
    compute_plan(parameters, business_as_usual, ws, parameters.cut_year);
    const cell_range& range = business_as_usual ? all_cells_ : reached_cells_;
    reset_state(range, parameters, ws);
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    out.levels.assign(years * subgroups_.size() * outcomes_.size(), 0.0);
    out.proficient.assign(years * subgroups_.size() * proficiency_cuts_.size(), 0.0);
    out.pl_schools = ws.plan.pl_schools;
    return {range, business_as_usual};
}

void simulation::run_years(int first, int last, const run_context& run, const draw_parameters& parameters, workspace& ws,
                           run_aggregates& out) const {
    for (int y = first; y < last; ++y) {
        if (y > 0) {
            // Last year's values become `previous`; every value `current` is read for is rewritten.
            std::swap(ws.current, ws.previous);
            std::swap(ws.view_current, ws.view_previous);
        }
        evaluate_year(y, run, parameters, ws);
        aggregate_year(y, run.range, run.business_as_usual, ws, out);
    }
}

void simulation::reset_state(const cell_range& range, const draw_parameters& parameters, workspace& ws) const {
    const std::size_t nodes = inputs_.graph.definition().nodes.size();
    const std::size_t cell_count = all_cells_.size;
    ws.current.resize(nodes * range.size);
    ws.previous.resize(nodes * range.size);
    for (std::size_t n = 0; n < nodes; ++n) {
        const double* initial = initial_values_.data() + n * cell_count + range.begin;
        std::copy(initial, initial + range.size, ws.previous.data() + n * range.size);
        std::copy(initial, initial + range.size, ws.current.data() + n * range.size);
    }
    ws.view_current.resize(parent_views_.size() * range.size);
    ws.view_previous.resize(parent_views_.size() * range.size);
    ws.school_dose.resize(range.size);
    const std::uint32_t* school = ordered_.school.data() + range.begin;
    for (std::size_t i = 0; i < range.size; ++i) ws.school_dose[i] = parameters.school_doses[school[i]];
}

bool simulation::stays_initial(std::size_t node, bool business_as_usual) const {
    // Business as usual keeps every school at its start levels, and a condition never ramps (its
    // target is its start): such a node keeps the initial values reset_state put in both buffers.
    return driven_[node] && (business_as_usual || inputs_.graph.definition().nodes[node].kind == node_kind::condition);
}

void simulation::set_driven_nodes(int year, const run_context& run, workspace& ws) const {
    const cell_range& range = run.range;
    const auto& nodes = inputs_.graph.definition().nodes;
    const auto& driven = schedule_.driven_nodes();
    const std::size_t n = range.size;
    const std::vector<double>& levels = ws.plan.levels[static_cast<std::size_t>(year)];
    const std::uint32_t* school = ordered_.school.data() + range.begin;
    ws.implementation.assign(n, 0.0);
    ws.foundations.assign(n, 0.0);
    double secondary = 0.0;
    double foundational = 0.0;
    for (std::size_t k = 0; k < driven.size(); ++k) {
        double* values = ws.current.data() + driven[k] * n;
        if (!stays_initial(driven[k], run.business_as_usual)) {
            for (std::size_t i = 0; i < n; ++i) values[i] = levels[school[i] * driven.size() + k];
        }
        const node_kind kind = nodes[driven[k]].kind;
        if (kind == node_kind::secondary_driver) {
            secondary += 1.0;
            array_map(ws.implementation.data(), static_cast<Eigen::Index>(n)) += const_array_map(values, static_cast<Eigen::Index>(n));
        } else if (kind == node_kind::foundational_practice) {
            foundational += 1.0;
            array_map(ws.foundations.data(), static_cast<Eigen::Index>(n)) += const_array_map(values, static_cast<Eigen::Index>(n));
        }
    }
    if (secondary > 0.0) array_map(ws.implementation.data(), static_cast<Eigen::Index>(n)) /= secondary;
    if (foundational > 0.0) array_map(ws.foundations.data(), static_cast<Eigen::Index>(n)) /= foundational;
}

void simulation::evaluate_year(int year, const run_context& run, const draw_parameters& parameters, workspace& ws) const {
    const cell_range& range = run.range;
    const std::size_t n = range.size;
    const std::size_t cell_count = all_cells_.size;
    const auto& nodes = inputs_.graph.definition().nodes;
    const std::size_t y = static_cast<std::size_t>(year);
    set_driven_nodes(year, run, ws);
    ws.exposure.resize(n);
    const std::uint32_t* school = ordered_.school.data() + range.begin;
    for (std::size_t i = 0; i < n; ++i) ws.exposure[i] = ws.plan.exposure[y][school[i]];
    const std::span<const double> baseline_implementation(baseline_implementation_.data() + range.begin, n);
    scale_change(ws.implementation, baseline_implementation, ws.school_dose, ws.implementation);
    ws.view_ready.assign(parent_views_.size(), 0);
    const auto initial_of = [&](std::size_t node) { return initial_values_.data() + node * cell_count + range.begin; };
    const auto per_draw = [](const double* values) { return sdk::block_values{values, 0}; };

    for (std::size_t e = 0; e < evaluated_.size(); ++e) {
        const std::size_t node = evaluated_[e];
        double* out = ws.current.data() + node * n;
        // Parents as (current, previous, initial) over the whole range; each tile shifts them.
        ws.parent_rows.clear();
        for (std::size_t k = 0; k < parent_edges_[e].size(); ++k) {
            const auto [edge, parent] = parent_edges_[e][k];
            const auto slot = parent_view_slot_[e][k];
            // A scaled view of an unchanged parent is the parent's initial values: no change to scale.
            if (slot && stays_initial(parent, run.business_as_usual)) {
                ws.parent_rows.push_back({initial_of(parent), initial_of(parent), initial_of(parent)});
                continue;
            }
            if (slot && !ws.view_ready[*slot]) fill_parent_view(*slot, year, range, ws);
            const std::size_t offset = (slot ? *slot : parent) * n;
            const std::vector<double>& current = slot ? ws.view_current : ws.current;
            const std::vector<double>& previous = slot ? ws.view_previous : ws.previous;
            ws.parent_rows.push_back({current.data() + offset, previous.data() + offset, initial_of(parent)});
        }
        if (nodes[node].kind == node_kind::primary_driver) {
            // A primary driver is the mean of its secondary drivers (a modelling choice for the Driver Model's 0–3 encoding).
            array_map target(out, static_cast<Eigen::Index>(n));
            target.setZero();
            for (const auto& parent : ws.parent_rows) target += const_array_map(parent[0], static_cast<Eigen::Index>(n));
            if (!ws.parent_rows.empty()) target /= static_cast<double>(ws.parent_rows.size());
            continue;
        }
        for (std::size_t begin = 0; begin < n; begin += sdk::max_tile_cells) {
            const std::size_t tile = std::min(sdk::max_tile_cells, n - begin);
            const auto part = [&](const auto& values) { return std::span(values.data() + range.begin + begin, tile); };
            const sdk::cell_attributes attributes{part(ordered_.race),
                                                  part(ordered_.ell),
                                                  part(ordered_.frl),
                                                  part(ordered_.sped),
                                                  part(ordered_.grade_band),
                                                  part(ordered_.students),
                                                  part(baseline_achievement_),
                                                  part(baseline_implementation_),
                                                  per_draw(ws.exposure.data() + begin),
                                                  per_draw(ws.implementation.data() + begin),
                                                  per_draw(ws.foundations.data() + begin),
                                                  per_draw(ws.school_dose.data() + begin)};
            ws.parents.clear();
            for (std::size_t k = 0; k < parent_edges_[e].size(); ++k) {
                const auto [edge, parent] = parent_edges_[e][k];
                const auto& rows = ws.parent_rows[k];
                ws.parents.push_back({nodes[parent].id, nodes[parent].kind, std::span(&parameters.edge_weights[edge], 1),
                                      per_draw(rows[0] + begin), per_draw(rows[1] + begin),
                                      std::span(rows[2] + begin, tile)});
            }
            const sdk::evaluation evaluation{nodes[node].id,
                                             nodes[node].kind,
                                             year,
                                             1,
                                             tile,
                                             std::span(&ws.plan.pl_schools[y], 1),
                                             ws.parents,
                                             per_draw(ws.previous.data() + node * n + begin),
                                             std::span(initial_of(node) + begin, tile),
                                             &attributes,
                                             parameters.model_parameters,
                                             {out + begin, tile},
                                             nodes[node].has_role("achievement"),
                                             nodes[node].subject};
            evaluate_checked(inputs_.model, evaluation, "evaluate");
        }
    }
}

void simulation::fill_parent_view(std::size_t slot, int year, const cell_range& range, workspace& ws) const {
    // Topological order guarantees the parent's values for this year are final when a child asks.
    const std::size_t n = range.size;
    const parent_view& view = parent_views_[slot];
    const std::span<const double> mask =
        view.grade_mask.empty() ? std::span<const double>() : std::span<const double>(view.grade_mask.data() + range.begin, n);
    std::span<const double> factor = mask.empty() ? std::span<const double>(ws.school_dose) : mask;
    if (view.dose && !mask.empty()) {
        ws.factor.resize(n);
        for (std::size_t i = 0; i < n; ++i) ws.factor[i] = mask[i] * ws.school_dose[i];
        factor = ws.factor;
    }
    const std::span<const double> initial(initial_values_.data() + view.node * all_cells_.size + range.begin, n);
    scale_change({ws.current.data() + view.node * n, n}, initial, factor, {ws.view_current.data() + slot * n, n});
    // Later years' previous view is last year's current one (swapped in): same values, same factor.
    if (year == 0) scale_change({ws.previous.data() + view.node * n, n}, initial, factor, {ws.view_previous.data() + slot * n, n});
    ws.view_ready[slot] = 1;
}

void simulation::sum_strata(int year, const cell_range& range, std::size_t first_stratum, workspace& ws, double* sums) const {
    const std::size_t n = range.size;
    const std::size_t per_stratum = sums_per_stratum();
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    const std::size_t y = static_cast<std::size_t>(year);
    ws.shares.resize(proficiency_cuts_.size() * n);
    for (std::size_t p = 0; p < proficiency_cuts_.size(); ++p) {
        const proficiency_scale& scale = proficiency_cuts_[p];
        const double* values = ws.current.data() + scale.node * n;
        const double* initial = initial_values_.data() + scale.node * all_cells_.size + range.begin;
        const double* at_baseline = baseline_shares_.data() + (p * years + y) * all_cells_.size + range.begin;
        const std::vector<double>& trend = proficiency_trends_[p];
        const double years_of_trend = static_cast<double>(y + 1);
        double* share = ws.shares.data() + p * n;
        for (std::size_t i = 0; i < n; ++i) {
            if (values[i] == initial[i]) {
                share[i] = at_baseline[i];
                continue;
            }
            const double level = values[i] + (trend.empty() ? 0.0 : trend[range.begin + i] * years_of_trend);
            share[i] = stats::normal_cdf((level - scale.cut) / scale.within_cell_sd);
        }
    }
    const double* students = ordered_.students.data() + range.begin;
    const auto weighted_sum = [&](const double* values, std::size_t begin, std::size_t end) {
        return dot(students + begin, values + begin, end - begin);
    };
    for (std::size_t s = first_stratum; s < stratum_count(); ++s) {
        const std::size_t begin = stratum_begin_[s] - range.begin;
        const std::size_t end = stratum_begin_[s + 1] - range.begin;
        double* out = sums + s * per_stratum;
        for (std::size_t o = 0; o < outcomes_.size(); ++o) out[o] = weighted_sum(ws.current.data() + outcomes_[o].node * n, begin, end);
        for (std::size_t p = 0; p < proficiency_cuts_.size(); ++p) {
            out[outcomes_.size() + p] = weighted_sum(ws.shares.data() + p * n, begin, end);
        }
    }
}

void simulation::aggregate_year(int year, const cell_range& range, bool business_as_usual, workspace& ws,
                                run_aggregates& out) const {
    const std::size_t y = static_cast<std::size_t>(year);
    const std::size_t per_stratum = sums_per_stratum();
    const std::size_t year_sums = stratum_count() * per_stratum;
    double* sums = nullptr;
    if (business_as_usual) {
        ws.bau_sums.resize(static_cast<std::size_t>(inputs_.spec.years) * year_sums);
        sums = ws.bau_sums.data() + y * year_sums;
        sum_strata(year, range, 0, ws, sums);
    } else {
        ws.sums.resize(year_sums);
        sums = ws.sums.data();
        const double* unreached = ws.bau_sums.data() + y * year_sums;
        std::copy(unreached, unreached + first_reached_stratum_ * per_stratum, sums);
        sum_strata(year, range, first_reached_stratum_, ws, sums);
    }
    const std::size_t groups = subgroups_.size();
    for (std::size_t g = 0; g < groups; ++g) {
        const double members = subgroups_[g].students_in(year);
        if (members <= 0.0) continue;
        const std::vector<std::uint32_t>& strata = group_strata_[y * groups + g];
        const auto group_sum = [&](std::size_t k) {
            double sum = 0.0;
            for (std::uint32_t s : strata) sum += sums[s * per_stratum + k];
            return sum;
        };
        for (std::size_t o = 0; o < outcomes_.size(); ++o) {
            const std::size_t at = (y * groups + g) * outcomes_.size() + o;
            out.levels[at] = (group_sum(o) + trend_totals_[at]) / members;
        }
        for (std::size_t p = 0; p < proficiency_cuts_.size(); ++p) {
            out.proficient[(y * groups + g) * proficiency_cuts_.size() + p] = group_sum(outcomes_.size() + p) / members;
        }
    }
}

int simulation::year_or_final(int year) const { return year < 0 ? inputs_.spec.years - 1 : year; }

double simulation::baseline_level(std::size_t subgroup, std::size_t outcome, int year) const {
    const auto y = static_cast<std::size_t>(year_or_final(year));
    return baseline_levels_[(y * subgroups_.size() + subgroup) * outcomes_.size() + outcome];
}

void simulation::prepare_baseline_levels() {
    // Summed stratum by stratum exactly as a run's means are, so a run whose values are still the
    // baseline reproduces the baseline means bit for bit: its gaps neither narrow nor widen.
    const std::size_t cell_count = all_cells_.size;
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    const std::size_t groups = subgroups_.size();
    std::vector<double> sums(stratum_count() * outcomes_.size());
    for (std::size_t s = 0; s < stratum_count(); ++s) {
        const std::size_t begin = stratum_begin_[s];
        const std::size_t count = stratum_begin_[s + 1] - begin;
        for (std::size_t o = 0; o < outcomes_.size(); ++o) {
            const double* values = initial_values_.data() + outcomes_[o].node * cell_count;
            sums[s * outcomes_.size() + o] = dot(ordered_.students.data() + begin, values + begin, count);
        }
    }
    baseline_levels_.assign(years * groups * outcomes_.size(), 0.0);
    for (std::size_t y = 0; y < years; ++y) {
        for (std::size_t g = 0; g < groups; ++g) {
            const double members = subgroups_[g].students_in(static_cast<int>(y));
            if (members <= 0.0) continue;
            for (std::size_t o = 0; o < outcomes_.size(); ++o) {
                double sum = 0.0;
                for (std::uint32_t s : group_strata_[y * groups + g]) sum += sums[s * outcomes_.size() + o];
                baseline_levels_[(y * groups + g) * outcomes_.size() + o] = sum / members;
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
        const double value = values[engine_position_[c]];
        sum += inputs_.cells.students[c] * stats::normal_cdf((value - scale.cut) / scale.within_cell_sd);
    }
    return sum / members;
}

}  // namespace pathways
