#include "engine/simulation.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>

#include "common/text_safety.hpp"
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

/// The prior of a draw's years to half way: a parameter file's, else the scenario's value plus the shift.
sdk::prior years_to_half_prior(const ramp_settings& ramp) {
    if (ramp.years_to_half_prior) return *ramp.years_to_half_prior;
    sdk::prior prior = ramp_shift_prior();
    prior.a += ramp.years_to_half;
    prior.lower += ramp.years_to_half;
    prior.upper += ramp.years_to_half;
    return prior;
}

// The spread of the after-cut assumptions when they are drawn [A]: practices' years to half way about
// the scenario's value (1 to 2 years in nine draws of ten at the default 1.5), and the persistence of
// gains about its value (above one third in about 3% of draws at the default 0.2, the bound Jacob,
// Lefgren & Sims 2010 give).
constexpr double practices_years_to_half_sd = 0.3;
constexpr double gain_persistence_sd = 0.07;

sdk::prior practices_years_to_half_prior(const program_cut_settings& cut) {
    return cut.practices_years_to_half_prior.value_or(
        sdk::prior{sdk::prior_kind::truncated_normal, cut.practices_years_to_half, practices_years_to_half_sd,
                   0.5 * cut.practices_years_to_half, 2.0 * cut.practices_years_to_half});
}

sdk::prior gain_persistence_prior(const program_cut_settings& cut) {
    return cut.gain_persistence_prior.value_or(
        sdk::prior{sdk::prior_kind::truncated_normal, cut.gain_persistence, gain_persistence_sd, 0.0, 1.0});
}

/// A school's own multiplier on its dose, about the average school's 1.
sdk::prior school_dose_prior() { return {sdk::prior_kind::normal, 1.0, school_dose_sd, 0.0, 0.0}; }

/// A school's dose in a draw. A school's deviation from the average school adds to the draw's average
/// effect (where the model draws one), so a draw in which the program harms on average still has
/// schools where it helps (and the reverse).
double school_dose(double school, bool average_is_drawn, double average_effect) {
    return average_is_drawn ? average_effect + (school - 1.0) : school;
}

/// The year a program is cut, from one uniform per year at risk in year order (`next_uniform`): the
/// first year whose uniform falls under the annual probability; none when no year's does. Draws and
/// sensitivity analysis both decide a cut by it, so a draw's uniforms and the analysis's mean the same.
template <class uniforms>
std::optional<int> first_cut_year(int first, int end, double annual_probability, uniforms next_uniform) {
    for (int year = first; year < end; ++year) {
        if (next_uniform() < annual_probability) return year;
    }
    return std::nullopt;
}

/// The prior of a draw's factor on every school's dose: a parameter file's, else normal about 1 with
/// the model's SD; nullopt when the model declares no spread of its average effect.
std::optional<sdk::prior> average_effect_prior(const implementation_plan& plan, const model_definition& model) {
    if (plan.average_effect_prior) return plan.average_effect_prior;
    if (!model.average_effect || !(model.average_effect->relative_sd > 0.0)) return std::nullopt;
    return sdk::prior{sdk::prior_kind::normal, 1.0, model.average_effect->relative_sd, 0.0, 0.0};
}

/// A decay of 1 means the scenario turned fidelity loss off: only a real decay, or one a parameter
/// file gives a prior, is uncertain.
bool decay_is_uncertain(const fidelity_settings& fidelity) {
    return fidelity.decay_prior || fidelity.decay_per_doubling < 1.0;
}

/// The prior of a draw's decay: a parameter file's, else a truncated normal about the scenario's value.
sdk::prior decay_prior(const fidelity_settings& fidelity) {
    return fidelity.decay_prior.value_or(
        sdk::prior{sdk::prior_kind::truncated_normal, fidelity.decay_per_doubling, decay_sd, 0.7, 1.0});
}

/// Nodes whose change is the PL "dose": what the plan sets, and the primary drivers built from it.
/// The exposure of every cell in business as usual, as a row every lane shares.
constexpr std::array<double, sdk::max_tile_cells> no_exposure{};

bool carries_dose(node_kind kind) {
    return kind == node_kind::secondary_driver || kind == node_kind::primary_driver ||
           kind == node_kind::foundational_practice;
}

/// `initial + factor[c] * (values - initial)`: a change since baseline, scaled cell by cell.
PATHWAYS_VECTORISED void scale_change(std::span<const double> values, std::span<const double> initial,
                                      std::span<const double> factor, std::span<double> out) {
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

/// Adds w·v over positions [from, to) of a stratum of `count` cells to its running sums `acc`
/// exactly as dot() adds them over the whole stratum (w[0] and v[0] are position `from`): a position
/// below `count` rounded down to a multiple of 4 goes to acc[position % 4], the rest to acc[0]. A
/// stratum cut by tile boundaries thus sums to dot()'s bits, whatever the tile size.
PATHWAYS_VECTORISED void accumulate_dot(double* acc, const double* w, const double* v, std::size_t from, std::size_t to,
                                        std::size_t count) {
    const std::size_t full = count & ~std::size_t{3};
    const std::size_t main_end = std::min(to, full);
    std::size_t j = from;
    for (; j < main_end && (j & 3) != 0; ++j) acc[j & 3] += w[j - from] * v[j - from];
    double a0 = acc[0];
    double a1 = acc[1];
    double a2 = acc[2];
    double a3 = acc[3];
    for (; j + 4 <= main_end; j += 4) {
        const std::size_t i = j - from;
        a0 += w[i] * v[i];
        a1 += w[i + 1] * v[i + 1];
        a2 += w[i + 2] * v[i + 2];
        a3 += w[i + 3] * v[i + 3];
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
    for (; j < main_end; ++j) acc[j & 3] += w[j - from] * v[j - from];
    for (; j < to; ++j) acc[0] += w[j - from] * v[j - from];
}

/// target[i] = (((0 + m0[i]) + m1[i]) + ...) / members over the members' rows of `lane`: the sum of
/// one member at a time from 0, then the division, in as few passes as that order allows (the first
/// member's pass writes, the last one's divides).
PATHWAYS_VECTORISED void compose_mean(double* target, std::size_t n, std::span<const sdk::parent_values> members,
                                      std::size_t lane) {
    const double count = static_cast<double>(members.size());
    const double* first = members.front().current.row(lane);
    if (members.size() == 1) {
        for (std::size_t i = 0; i < n; ++i) target[i] = (0.0 + first[i]) / count;
        return;
    }
    for (std::size_t i = 0; i < n; ++i) target[i] = 0.0 + first[i];
    for (std::size_t m = 1; m + 1 < members.size(); ++m) {
        const double* member = members[m].current.row(lane);
        for (std::size_t i = 0; i < n; ++i) target[i] += member[i];
    }
    const double* last = members.back().current.row(lane);
    for (std::size_t i = 0; i < n; ++i) target[i] = (target[i] + last[i]) / count;
}

/// Whether any of the first `n` values of `a` and `b` differ (by value), a block of 64 at a time: each
/// block's test vectorises (a 64-bit mask per value, as the comparison makes it), and the first block
/// that differs ends the search.
PATHWAYS_VECTORISED bool any_differ(const double* a, const double* b, std::size_t n) {
    if (a == b) return false;
    constexpr std::size_t block = 64;
    std::size_t i = 0;
    for (; i + block <= n; i += block) {
        std::uint64_t differ = 0;
        for (std::size_t j = i; j < i + block; ++j)
            differ |= std::uint64_t{0} - static_cast<std::uint64_t>(a[j] != b[j]);
        if (differ != 0) return true;
    }
    std::uint64_t differ = 0;
    for (; i < n; ++i) differ |= std::uint64_t{0} - static_cast<std::uint64_t>(a[i] != b[i]);
    return differ != 0;
}

bool is_evaluated(node_kind kind) {
    return kind == node_kind::student_outcome || kind == node_kind::academic_outcome || kind == node_kind::goal;
}

}  // namespace

/// Per cell, a row of bits (whether the plan reaches its school, then its membership of every
/// reported subgroup in every year), packed 64 to a word: a national population has millions of cells.
struct simulation::cell_keys {
    std::size_t words = 0;
    std::vector<std::uint64_t> bits;  ///< [cell * words + word]

    cell_keys(std::size_t cells, std::size_t bit_count) : words((bit_count + 63) / 64), bits(cells * words, 0) {}
    void set(std::size_t cell, std::size_t bit) { bits[cell * words + bit / 64] |= std::uint64_t{1} << (bit % 64); }
    [[nodiscard]] bool test(std::size_t cell, std::size_t bit) const {
        return (bits[cell * words + bit / 64] >> (bit % 64)) & 1u;
    }
    [[nodiscard]] bool equal(std::size_t a, std::size_t b) const {
        return std::equal(bits.begin() + static_cast<std::ptrdiff_t>(a * words),
                          bits.begin() + static_cast<std::ptrdiff_t>((a + 1) * words),
                          bits.begin() + static_cast<std::ptrdiff_t>(b * words));
    }
    /// Lexicographic by bit, a clear bit first (as std::vector<bool> compares): the cell whose bit is
    /// clear where the rows first differ comes first.
    [[nodiscard]] bool less(std::size_t a, std::size_t b) const {
        for (std::size_t w = 0; w < words; ++w) {
            const std::uint64_t differ = bits[a * words + w] ^ bits[b * words + w];
            if (differ != 0) return (bits[a * words + w] & (differ & (~differ + 1))) == 0;
        }
        return false;
    }
};

/// Scratch of one thread for a group of lanes (the draws of a block, business as usual or the
/// scenario, plus a lane per cut draw's sustained course) over one tile of cells, reused from block to
/// block. Tile arrays are rows of `stride` cells: [(node * lanes + lane) * stride + i], likewise the
/// parent views [(slot * lanes + lane) * stride + i], the per-draw attributes [lane * stride + i] and
/// the shares [(p * lanes + lane) * stride + i]; `current` and `previous` (and the views') swap at each
/// new year.
struct simulation::workspace {
    struct lane {
        const draw_parameters* parameters = nullptr;
        run_aggregates* out = nullptr;
        std::size_t draw = 0;         ///< its draw's position in the block (its business-as-usual lane)
        std::optional<int> cut_year;  ///< the cut this lane runs (none on a sustained course)
    };
    std::vector<lane> lanes;
    std::vector<implementation_schedule::result> plans;  ///< [lane]; grows, never shrinks
    bool lanes_are_bau = false;
    std::vector<double> edge_weights;  ///< [edge * lanes + lane]
    std::vector<double> parameters;    ///< [parameter * lanes + lane]
    std::vector<double> pl_schools;    ///< [year * lanes + lane]
    std::size_t stride = 0;
    std::vector<double> current;
    std::vector<double> previous;
    std::vector<double> view_current;  ///< scaled views of dose and age-bound parents
    std::vector<double> view_previous;
    std::vector<char> view_ready;  ///< per view: computed this year for this tile
    std::vector<double> implementation;
    std::vector<double> foundations;
    std::vector<double> exposure;
    std::vector<double> school_dose;  ///< this draw's multiplier on each cell's school's dose
    std::vector<double> factor;       ///< scratch: grade mask times dose multiplier
    std::vector<double> faded;        ///< scratch: an achievement node's last year, gains faded after a cut
    std::vector<double> shares;       ///< share proficient per cell
    std::vector<double> scores;       ///< scratch: one lane's z-scores of the cell means against a cut
    std::vector<double> tile_starts;  ///< [k * stride + i]: driven node k's start over the tile (initial_of)
    /// Scenario tiles: [k * stride + i] the plan's start of driven node k in the cell's school and the
    /// way from there to its target, filled for the nodes the plan moves; the cell's school's place
    /// among the planned schools; and scratch for one lane's ramp of the cells' schools this year.
    std::vector<double> plan_start;
    std::vector<double> plan_delta;
    std::vector<std::uint32_t> planned_slot;
    std::vector<double> foundation_progress;
    std::vector<double> driver_progress;
    /// The four running sums of the stratum open across a tile boundary: [((lane * years + year) *
    /// sums_per_stratum + k) * 4 + j].
    std::vector<double> open_sums;
    std::size_t next_stratum = 0;  ///< the first stratum not yet complete
    /// Stratum sums, [((lane * years + year) * strata + s) * sums_per_stratum + k]: the scenario's,
    /// and business as usual's (by draw), which give the scenario its strata the plan never reaches.
    std::vector<double> sums;
    std::vector<double> bau_sums;
    std::vector<double> group_sums;  ///< scratch: one subgroup's sums of every lane in one year
    std::vector<sdk::parent_values> parents;
    bool checking_rest = false;  ///< running business as usual once to see whether it stays at rest
    bool moved_at_rest = false;  ///< a node left its initial values in that run
};

simulation::simulation(const simulation_inputs& inputs, diagnostics& problems)
    : inputs_(checked_horizon(inputs)),
      schedule_(inputs.graph, inputs.district, inputs.schools, inputs.spec, problems) {
    prepare_blocks();
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
    prepare_constant_nodes();
    prepare_parent_views();
    prepare_reporting(problems);
    prepare_parameters(problems);
    prepare_trend_totals();
    for (const proficiency_scale& scale : proficiency_cuts_) proficiency_trends_.push_back(trend_per_cell(scale.node));
    prepare_streams();
    prepare_engine_order();
    prepare_baseline_levels();
    prepare_baseline_shares();
    prepare_baseline_proficient();
}

void simulation::prepare_blocks() {
    blocks_ = inputs_.blocks;
    blocks_.schools_per_block = std::max<std::size_t>(1, blocks_.schools_per_block);
    population_blocks_ = block_count(inputs_.schools.size(), blocks_.schools_per_block);
    if (blocks_.count == 0) blocks_.count = population_blocks_ - blocks_.first;
    const population_cells& cells = inputs_.cells;
    block_cell_begin_.assign(blocks_.count + 1, cells.size());
    std::size_t c = 0;
    for (std::size_t b = 0; b < blocks_.count; ++b) {
        block_cell_begin_[b] = c;
        while (c < cells.size() && block_of_cell(c) == b) ++c;
    }
    if (c != cells.size()) throw std::logic_error("simulation: cells are not in the order of their schools' blocks");
    std::vector<double> students(blocks_.count, 0.0);
    for (std::size_t b = 0; b < blocks_.count; ++b) {
        for (std::size_t i = block_cell_begin_[b]; i < block_cell_begin_[b + 1]; ++i) students[b] += cells.students[i];
    }
    population_students_ = over_blocks(students, 1).front();
}

std::vector<double> simulation::over_blocks(std::span<const double> partials, std::size_t per_block) const {
    std::vector<double> every_block;
    if (blocks_.exchange != nullptr) {
        every_block = blocks_.exchange->gather(partials);
        partials = every_block;
    }
    std::vector<double> totals(per_block, 0.0);
    if (partials.empty()) return totals;
    std::copy_n(partials.begin(), per_block, totals.begin());
    for (std::size_t b = 1; b * per_block < partials.size(); ++b) {
        for (std::size_t i = 0; i < per_block; ++i) totals[i] += partials[b * per_block + i];
    }
    return totals;
}

bool simulation::on_every_holder(bool mine) const {
    if (blocks_.exchange == nullptr) return mine;
    const std::vector<double> every = blocks_.exchange->gather(std::vector<double>{mine ? 1.0 : 0.0});
    return std::all_of(every.begin(), every.end(), [](double v) { return v != 0.0; });
}

double simulation::population_mean(std::span<const double> values) const {
    return population_students_ > 0.0 ? population_sum(values) / population_students_ : 0.0;
}

double simulation::population_sum(std::span<const double> values) const {
    std::vector<double> partials(blocks_.count);
    for (std::size_t b = 0; b < blocks_.count; ++b) {
        const std::size_t begin = block_cell_begin_[b];
        partials[b] =
            dot(inputs_.cells.students.data() + begin, values.data() + begin, block_cell_begin_[b + 1] - begin);
    }
    return over_blocks(partials, 1).front();
}

/// Bisection, because the share falls monotonically with the cut. Cells share a few distinct levels (a
/// baseline is a sum of subgroup offsets), so each step takes the normal CDF of the distinct levels
/// only and adds the cells' shares block by block in cell order: the same sum, to the bit, as taking
/// it cell by cell, for a national population in a fraction of the time.
double simulation::solve_cut_score(std::span<const double> levels, double sd, double proficient) const {
    const auto bits = [](double v) { return std::bit_cast<std::uint64_t>(v); };
    std::vector<double> distinct(levels.begin(), levels.end());
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end(),
                               [&](double a, double b) { return bits(a) == bits(b); }),
                   distinct.end());
    std::vector<std::uint32_t> level_of(levels.size());
    for (std::size_t c = 0; c < levels.size(); ++c) {
        level_of[c] = static_cast<std::uint32_t>(std::lower_bound(distinct.begin(), distinct.end(), levels[c]) -
                                                 distinct.begin());
        while (bits(distinct[level_of[c]]) != bits(levels[c])) ++level_of[c];
    }
    const std::vector<double>& students = inputs_.cells.students;
    double low = -10.0;
    double high = 10.0;
    std::vector<double> shares(distinct.size());
    std::vector<double> above(blocks_.count);
    for (int i = 0; i < 64; ++i) {  // 20 / 2^64: far below double resolution
        const double cut = 0.5 * (low + high);
        for (std::size_t k = 0; k < distinct.size(); ++k) shares[k] = (distinct[k] - cut) / sd;
        stats::normal_cdf(shares, shares);
        std::fill(above.begin(), above.end(), 0.0);
        for (std::size_t b = 0; b < blocks_.count; ++b) {
            for (std::size_t c = block_cell_begin_[b]; c < block_cell_begin_[b + 1]; ++c)
                above[b] += students[c] * shares[level_of[c]];
        }
        (over_blocks(above, 1).front() / population_students_ > proficient ? low : high) = cut;
    }
    return 0.5 * (low + high);
}

simulation::~simulation() = default;

void simulation::prepare_initial_rows() {
    // A plan-driven node starts at its school's start level (schedule_.start_level) unless the district
    // gives it a baseline: those need no row of their own, only a tile's worth, filled per tile. The
    // rows of a national population's 22 driven nodes alone would take over half a gigabyte.
    const auto& nodes = inputs_.graph.definition().nodes;
    const auto& driven = schedule_.driven_nodes();
    std::vector<char> has_baseline(nodes.size(), 0);
    for (const outcome_baseline& baseline : inputs_.district.baselines) {
        if (const auto node = inputs_.graph.find(baseline.node)) has_baseline[*node] = 1;
    }
    driven_index_.assign(nodes.size(), no_row);
    for (std::size_t k = 0; k < driven.size(); ++k) driven_index_[driven[k]] = k;
    initial_row_.assign(nodes.size(), no_row);
    stored_initial_rows_ = 0;
    for (std::size_t n = 0; n < nodes.size(); ++n) {
        if (driven_index_[n] == no_row || has_baseline[n]) initial_row_[n] = stored_initial_rows_++;
    }
}

double simulation::start_value(std::size_t node, std::size_t cell) const {
    if (initial_row_[node] != no_row) return initial_values_[initial_row_[node] * inputs_.cells.students.size() + cell];
    return schedule_.start_level(inputs_.cells.school[cell], driven_index_[node]);
}

const double* simulation::stored_initial(std::size_t node) const {
    if (initial_row_[node] == no_row) throw std::logic_error("node without a row of initial values");
    return initial_values_.data() + initial_row_[node] * all_cells_.size;
}

const double* simulation::initial_of(std::size_t node, const cell_range& tile, const workspace& ws) const {
    if (initial_row_[node] == no_row) return ws.tile_starts.data() + driven_index_[node] * ws.stride;
    return initial_values_.data() + initial_row_[node] * all_cells_.size + tile.begin;
}

void simulation::fill_tile_starts(const cell_range& tile, bool business_as_usual, workspace& ws) const {
    const std::uint32_t* school = ordered_.school.data() + tile.begin;
    const auto& driven = schedule_.driven_nodes();
    for (std::size_t k = 0; k < driven.size(); ++k) {
        if (initial_row_[driven[k]] != no_row) continue;
        double* starts = ws.tile_starts.data() + k * ws.stride;
        for (std::size_t i = 0; i < tile.size; ++i) starts[i] = schedule_.start_level(school[i], k);
    }
    if (business_as_usual) return;
    for (std::size_t i = 0; i < tile.size; ++i) ws.planned_slot[i] = schedule_.planned_index(school[i]);
    for (std::size_t k = 0; k < driven.size(); ++k) {
        if (stays_initial(driven[k], false)) continue;
        double* start = ws.plan_start.data() + k * ws.stride;
        double* delta = ws.plan_delta.data() + k * ws.stride;
        for (std::size_t i = 0; i < tile.size; ++i) {
            start[i] = schedule_.start_level(school[i], k);
            delta[i] = schedule_.target_level(school[i], k) - start[i];
        }
    }
}

void simulation::prepare_baselines() {
    const auto& nodes = inputs_.graph.definition().nodes;
    const population_cells& cells = inputs_.cells;
    const std::size_t cell_count = cells.students.size();
    prepare_initial_rows();
    initial_values_.assign(stored_initial_rows_ * cell_count, 0.0);
    const auto& driven = schedule_.driven_nodes();
    for (std::size_t k = 0; k < driven.size(); ++k) {
        if (initial_row_[driven[k]] == no_row) continue;
        for (std::size_t c = 0; c < cell_count; ++c)
            initial_values_[initial_row_[driven[k]] * cell_count + c] = schedule_.start_level(cells.school[c], k);
    }
    for (const outcome_baseline& baseline : inputs_.district.baselines) {
        const auto node = inputs_.graph.find(baseline.node);
        if (!node) continue;
        std::span<double> values(initial_values_.data() + initial_row_[*node] * cell_count, cell_count);
        for (const auto& [term_text, offset] : baseline.offsets) {
            std::string error;
            const auto term = parse_subgroup(term_text, error);
            if (!term || term->terms.size() != 1) continue;
            for (std::size_t c = 0; c < cell_count; ++c) {
                if (cell_has_term(cells, c, term->terms.front())) values[c] += offset;
            }
        }
        // Offsets are partial effects; re-centring makes every outcome relative to the district mean.
        const double mean = population_mean(values);
        for (double& v : values) v -= mean;
        if (baseline.proficient) {
            std::vector<double> squares(values.begin(), values.end());
            for (double& v : squares) v *= v;
            const double variance = population_mean(squares);
            // Student-level SD is 1 (outcomes are in student-level SD units): what the cells do not explain is within-cell spread.
            const double within = std::sqrt(std::max(0.1, 1.0 - variance));
            proficiency_cuts_.push_back({*node, solve_cut_score(values, within, *baseline.proficient), within});
        }
    }
    for (std::size_t n : inputs_.graph.topological_order()) {
        if (nodes[n].kind != node_kind::primary_driver) continue;
        std::span<double> values(initial_values_.data() + initial_row_[n] * cell_count, cell_count);
        const auto members = inputs_.graph.members_of_group(nodes[n].id);
        for (std::size_t m : members) {
            for (std::size_t c = 0; c < cell_count; ++c) values[c] += start_value(m, c);
        }
        if (!members.empty())
            for (double& v : values) v /= static_cast<double>(members.size());
    }
    baseline_achievement_.assign(cell_count, 0.0);
    double subjects = 0.0;
    for (std::size_t n = 0; n < nodes.size(); ++n) {
        if (!nodes[n].has_role("achievement")) continue;
        subjects += 1.0;
        for (std::size_t c = 0; c < cell_count; ++c) baseline_achievement_[c] += start_value(n, c);
    }
    if (subjects > 0.0)
        for (double& v : baseline_achievement_) v /= subjects;
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
    reported_subgroup reported{group, {}, 0.0, {}, {}};
    if (uses_plan_reach(group)) {
        for (int y = 0; y < inputs_.spec.years; ++y) {
            const std::vector<bool> reached = schedule_.reached_by(y);
            reported.cells_by_year.push_back(select_cells(group, inputs_.cells, &reached));
        }
        reported.cells = reported.cells_by_year.back();
    } else {
        reported.cells = select_cells(group, inputs_.cells);
    }
    return reported;
}

void simulation::prepare_head_counts() {
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    const std::size_t per_block = subgroups_.size() * years;
    std::vector<double> partials(blocks_.count * per_block, 0.0);  // [b][g * years + y]
    for (std::size_t g = 0; g < subgroups_.size(); ++g) {
        // A group whose members stay the same is counted once, in the final year's slot.
        const bool by_year = !subgroups_[g].cells_by_year.empty();
        for (std::size_t y = by_year ? 0 : years - 1; y < years; ++y) {
            for (std::uint32_t c : subgroups_[g].cells_in(static_cast<int>(y)))
                partials[block_of_cell(c) * per_block + g * years + y] += inputs_.cells.students[c];
        }
    }
    const std::vector<double> totals = over_blocks(partials, per_block);
    for (std::size_t g = 0; g < subgroups_.size(); ++g) {
        reported_subgroup& group = subgroups_[g];
        if (!group.cells_by_year.empty())
            group.students_by_year.assign(totals.begin() + static_cast<std::ptrdiff_t>(g * years),
                                          totals.begin() + static_cast<std::ptrdiff_t>((g + 1) * years));
        group.students = years > 0 ? totals[g * years + years - 1] : 0.0;
    }
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
    prepare_head_counts();
    const auto& nodes = inputs_.graph.definition().nodes;
    auto add_outcome = [&](std::size_t n) {
        reported_outcome outcome{n, nodes[n].id, nodes[n].kind == node_kind::academic_outcome, std::nullopt, {}};
        for (std::size_t p = 0; p < proficiency_cuts_.size(); ++p) {
            if (proficiency_cuts_[p].node == n) outcome.proficiency_index = p;
        }
        outcomes_.push_back(std::move(outcome));
    };
    for (const std::string& id : inputs_.graph.reported_outcomes(spec.report.outcomes)) {
        if (const auto n = inputs_.graph.find(id)) add_outcome(*n);
        else problems.error(spec.file, 0, 0, "/report/outcomes", "unknown outcome '" + id + "'");
    }
    link_gap_components(problems);
}

std::optional<std::size_t> simulation::headline_outcome() const {
    std::vector<std::string> reported;
    for (const reported_outcome& outcome : outcomes_) reported.push_back(outcome.id);
    const std::string headline = inputs_.graph.headline_outcome(reported);
    const auto at = std::find(reported.begin(), reported.end(), headline);
    if (at == reported.end()) return std::nullopt;
    return static_cast<std::size_t>(at - reported.begin());
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
    const std::size_t per_block = years * subgroups_.size() * outcomes_.size();
    std::vector<double> partials(blocks_.count * per_block, 0.0);  // [b][(y * subgroups + g) * outcomes + o]
    for (std::size_t o = 0; o < outcomes_.size(); ++o) {
        const std::vector<double> trend = trend_per_cell(outcomes_[o].node);
        if (trend.empty()) continue;
        for (std::size_t y = 0; y < years; ++y) {
            for (std::size_t g = 0; g < subgroups_.size(); ++g) {
                const std::size_t at = (y * subgroups_.size() + g) * outcomes_.size() + o;
                for (std::uint32_t c : subgroups_[g].cells_in(static_cast<int>(y))) {
                    partials[block_of_cell(c) * per_block + at] +=
                        inputs_.cells.students[c] * trend[c] * static_cast<double>(y + 1);
                }
            }
        }
    }
    trend_totals_ = over_blocks(partials, per_block);
}

void simulation::prepare_streams() {
    for (const model_edge& edge : inputs_.graph.definition().edges) {
        edge_streams_.push_back(stats::stream_id("edge:" + edge.from + "->" + edge.to));
    }
    for (const parameter_info& info : inputs_.model.parameters)
        parameter_streams_.push_back(stats::stream_id("parameter:" + info.name));
    for (const school& s : inputs_.schools) school_streams_.push_back(stats::stream_id("school-effect:" + s.id));
}

namespace {

/// Puts `values` (per input cell, in blocks of `cells`) in engine order, position i holding cell
/// order[i], a block at a time through one block of scratch: the initial values of every node of a
/// national population are over a gigabyte, too much to hold twice.
template <class T>
void put_in_engine_order(std::vector<T>& values, const std::vector<std::uint32_t>& order) {
    const std::size_t cells = order.size();
    std::vector<T> block_values(cells);
    for (std::size_t block = 0; cells > 0 && block < values.size() / cells; ++block) {
        T* at = values.data() + block * cells;
        std::copy_n(at, cells, block_values.begin());
        for (std::size_t i = 0; i < cells; ++i) at[i] = block_values[order[i]];
    }
}

template <class T>
std::vector<T> in_engine_order(std::vector<T> values, const std::vector<std::uint32_t>& order) {
    put_in_engine_order(values, order);
    return values;
}

}  // namespace

void simulation::prepare_engine_order() {
    const population_cells& cells = inputs_.cells;
    const std::size_t cell_count = cells.students.size();
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    // A cell's key: whether the plan reaches its school within the horizon, then its membership of
    // every reported subgroup in every year. Cells with equal keys form a stratum.
    const std::vector<bool> reached = schedule_.reached_by(inputs_.spec.years - 1);
    cell_keys keys(cell_count, 1 + years * subgroups_.size());
    for (std::size_t c = 0; c < cell_count; ++c) {
        if (reached[cells.school[c]]) keys.set(c, 0);
    }
    for (std::size_t y = 0; y < years; ++y) {
        for (std::size_t g = 0; g < subgroups_.size(); ++g) {
            for (std::uint32_t c : subgroups_[g].cells_in(static_cast<int>(y)))
                keys.set(c, 1 + y * subgroups_.size() + g);
        }
    }
    std::vector<std::uint32_t> order(cell_count);
    for (std::size_t c = 0; c < cell_count; ++c) order[c] = static_cast<std::uint32_t>(c);
    // Unreached before reached, then by block, then by key: a block's strata are its own, so a subgroup
    // sums its strata block by block, as a holder of that block alone would.
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (keys.test(a, 0) != keys.test(b, 0) || block_of_cell(a) == block_of_cell(b)) return keys.less(a, b);
        return block_of_cell(a) < block_of_cell(b);
    });

    ordered_ = {in_engine_order(cells.race, order),       in_engine_order(cells.ell, order),
                in_engine_order(cells.frl, order),        in_engine_order(cells.sped, order),
                in_engine_order(cells.grade_band, order), in_engine_order(cells.students, order),
                in_engine_order(cells.school, order)};
    put_in_engine_order(initial_values_, order);
    put_in_engine_order(baseline_achievement_, order);
    put_in_engine_order(baseline_implementation_, order);
    put_in_engine_order(baseline_foundations_, order);
    for (parent_view& view : parent_views_) put_in_engine_order(view.grade_mask, order);
    for (std::vector<double>& trend : proficiency_trends_) put_in_engine_order(trend, order);
    prepare_strata(keys, order);
}

void simulation::prepare_strata(const cell_keys& keys, const std::vector<std::uint32_t>& order) {
    const std::size_t cell_count = order.size();
    const std::size_t groups = subgroups_.size();
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    stratum_begin_.clear();
    stratum_block_.clear();
    for (std::size_t i = 0; i < cell_count; ++i) {
        if (i == 0 || !keys.equal(order[i], order[i - 1]) || block_of_cell(order[i]) != block_of_cell(order[i - 1])) {
            stratum_begin_.push_back(i);
            stratum_block_.push_back(static_cast<std::uint32_t>(block_of_cell(order[i])));
        }
    }
    const auto first_reached =
        std::find_if(order.begin(), order.end(), [&](std::uint32_t c) { return keys.test(c, 0); });
    const std::size_t reached_begin = static_cast<std::size_t>(first_reached - order.begin());
    first_reached_stratum_ = static_cast<std::size_t>(
        std::lower_bound(stratum_begin_.begin(), stratum_begin_.end(), reached_begin) - stratum_begin_.begin());
    stratum_begin_.push_back(cell_count);
    stratum_of_cell_.assign(cell_count, 0);
    for (std::size_t s = 0; s < stratum_count(); ++s) {
        for (std::size_t i = stratum_begin_[s]; i < stratum_begin_[s + 1]; ++i)
            stratum_of_cell_[order[i]] = static_cast<std::uint32_t>(s);
    }
    all_cells_ = {0, cell_count};
    reached_cells_ = {reached_begin, cell_count - reached_begin};
    group_strata_.assign(years * groups, {});
    for (std::size_t s = 0; s < stratum_count(); ++s) {
        const std::uint32_t first = order[stratum_begin_[s]];
        for (std::size_t k = 0; k < years * groups; ++k) {
            if (keys.test(first, 1 + k)) group_strata_[k].push_back(static_cast<std::uint32_t>(s));
        }
    }
}

void simulation::prepare_baseline_shares() {
    const std::size_t cell_count = all_cells_.size;
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    // Without a trend a cell's baseline share is the same every year: one row, not one a year (a
    // national population's rows a year take hundreds of megabytes).
    std::size_t rows = 0;
    baseline_share_row_.clear();
    for (const std::vector<double>& trend : proficiency_trends_) {
        baseline_share_row_.push_back(rows);
        rows += trend.empty() ? 1 : years;
    }
    baseline_shares_.assign(rows * cell_count, 0.0);
    for (std::size_t p = 0; p < proficiency_cuts_.size(); ++p) {
        const proficiency_scale& scale = proficiency_cuts_[p];
        const double* initial = stored_initial(scale.node);
        const std::vector<double>& trend = proficiency_trends_[p];
        for (std::size_t y = 0; y < (trend.empty() ? 1 : years); ++y) {
            const double years_of_trend = static_cast<double>(y + 1);
            double* shares = baseline_shares_.data() + (baseline_share_row_[p] + y) * cell_count;
            // Through the batch CDF, as compute_shares takes a moved cell's share.
            for (std::size_t i = 0; i < cell_count; ++i) {
                const double level = initial[i] + (trend.empty() ? 0.0 : trend[i] * years_of_trend);
                shares[i] = (level - scale.cut) / scale.within_cell_sd;
            }
            stats::normal_cdf({shares, cell_count}, {shares, cell_count});
        }
    }
    baseline_share_sums_.assign(rows * stratum_count(), 0.0);
    for (std::size_t row = 0; row < rows; ++row) {
        stratum_sums(baseline_shares_.data() + row * cell_count, baseline_share_sums_.data() + row * stratum_count());
    }
}

void simulation::stratum_sums(const double* values, double* sums) const {
    for (std::size_t s = 0; s < stratum_count(); ++s) {
        const std::size_t begin = stratum_begin_[s];
        sums[s] = dot(ordered_.students.data() + begin, values + begin, stratum_begin_[s + 1] - begin);
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
        for (std::size_t c = 0; c < cell_count; ++c) baseline_implementation_[c] += start_value(driven[k], c);
    }
    if (secondary > 0.0)
        for (double& v : baseline_implementation_) v /= secondary;
    prepare_baseline_foundations();
}

void simulation::prepare_baseline_foundations() {
    // The same additions, in the same order, as set_driven_nodes makes for a school at its start.
    const std::size_t cell_count = inputs_.cells.students.size();
    const auto& driven = schedule_.driven_nodes();
    baseline_foundations_.assign(cell_count, 0.0);
    double foundational = 0.0;
    for (std::size_t k = 0; k < driven.size(); ++k) {
        if (inputs_.graph.definition().nodes[driven[k]].kind != node_kind::foundational_practice) continue;
        foundational += 1.0;
        for (std::size_t c = 0; c < cell_count; ++c) baseline_foundations_[c] += start_value(driven[k], c);
    }
    if (foundational > 0.0)
        for (double& v : baseline_foundations_) v /= foundational;
    else std::fill(baseline_foundations_.begin(), baseline_foundations_.end(), 3.0);
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
            auto at = std::find_if(outcomes_.begin(), outcomes_.end(),
                                   [&](const reported_outcome& r) { return r.node == parent; });
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

const simulation_inputs& simulation::checked_horizon(const simulation_inputs& inputs) {
    // Callers stop at a scenario's read errors; a horizon of no year reaching here is a caller's bug,
    // refused before any per-year array is sized from it.
    if (inputs.spec.years < 1) {
        throw std::invalid_argument("a simulation needs a horizon of at least one year, got " +
                                    std::to_string(inputs.spec.years));
    }
    return inputs;
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
    p.practices_years_to_half = plan.program_cut.practices_years_to_half;
    p.gain_persistence = plan.program_cut.gain_persistence;
    p.average_effect = 1.0;
    p.school_doses.assign(inputs_.schools.size(), 1.0);
}

draw_parameters simulation::sample_parameters(std::uint64_t seed, std::uint64_t draw) const {
    draw_parameters p;
    sample_parameters(seed, draw, p);
    return p;
}

void simulation::sample_parameters(std::uint64_t seed, std::uint64_t draw, draw_parameters& p) const {
    if (posterior_cumulative_.empty()) sample_prior(seed, draw, p);
    else sample_prior(posterior_seed_, posterior_pick(seed, draw), p);
}

void simulation::draw_from_posterior(std::uint64_t prior_seed, std::span<const double> weights) {
    std::vector<double> cumulative;
    double total = 0.0;
    for (const double w : weights) {
        if (!(w >= 0.0) || !std::isfinite(w))
            throw std::invalid_argument("a posterior weight is negative or not finite");
        total += w;
        cumulative.push_back(total);
    }
    if (weights.size() < 2 || !(total > 0.0)) throw std::invalid_argument("a posterior needs two or more weights");
    posterior_seed_ = prior_seed;
    posterior_cumulative_ = std::move(cumulative);
}

std::uint64_t simulation::posterior_pick(std::uint64_t seed, std::uint64_t draw) const {
    if (posterior_cumulative_.empty()) return draw;
    static const std::uint64_t pick_stream = stats::stream_id("posterior:pick");
    stats::counter_rng rng(seed, draw, pick_stream);
    const double u = rng.next_uniform() * posterior_cumulative_.back();
    const auto at = std::upper_bound(posterior_cumulative_.begin(), posterior_cumulative_.end(), u);
    const auto k = static_cast<std::uint64_t>(at - posterior_cumulative_.begin());
    return std::min<std::uint64_t>(k, posterior_cumulative_.size() - 1);
}

void simulation::sample_prior(std::uint64_t seed, std::uint64_t draw, draw_parameters& p) const {
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
        const double years = plan.ramp.years_to_half_prior
                                 ? stats::sample(*plan.ramp.years_to_half_prior, ramp)
                                 : plan.ramp.years_to_half + stats::sample(ramp_shift_prior(), ramp);
        p.years_to_half = std::max(minimum_years_to_half, years);
        p.years_to_90 = p.years_to_half + (plan.ramp.years_to_90 - plan.ramp.years_to_half);
    }
    if (decay_is_uncertain(plan.fidelity)) {
        static const std::uint64_t fidelity_stream = stats::stream_id("implementation:fidelity");
        stats::counter_rng fidelity(seed, draw, fidelity_stream);
        p.decay_per_doubling = std::clamp(stats::sample(decay_prior(plan.fidelity), fidelity), 0.0, 1.0);
    }
    const std::optional<sdk::prior> average = average_effect_prior(plan, inputs_.graph.definition());
    if (average) {
        static const std::uint64_t average_stream = stats::stream_id("effect:average");
        stats::counter_rng rng(seed, draw, average_stream);
        p.average_effect = stats::sample(*average, rng);
    }
    for (std::size_t s = 0; s < inputs_.schools.size(); ++s) {
        stats::counter_rng rng(seed, draw, school_streams_[s]);
        p.school_doses[s] = school_dose(stats::sample(school_dose_prior(), rng), average.has_value(), p.average_effect);
    }
    if (plan.program_cut.annual_probability > 0.0) sample_program_cut(seed, draw, p);
}

simulation::years_at_risk simulation::cut_risk_years() const {
    const int first = inputs_.spec.start_year + static_cast<int>(std::ceil(schedule_.protected_years()));
    return {first, inputs_.spec.start_year + inputs_.spec.years};
}

void simulation::sample_program_cut(std::uint64_t seed, std::uint64_t draw, draw_parameters& p) const {
    const program_cut_settings& cut = inputs_.spec.plan.program_cut;
    static const std::uint64_t cut_stream = stats::stream_id("implementation:program-cut");
    stats::counter_rng rng(seed, draw, cut_stream);
    const years_at_risk risk = cut_risk_years();
    p.cut_year = first_cut_year(risk.first, risk.end, cut.annual_probability, [&rng] { return rng.next_uniform(); });
    static const std::uint64_t after_cut_stream = stats::stream_id("implementation:after-cut");
    stats::counter_rng after(seed, draw, after_cut_stream);
    p.practices_years_to_half = std::max(0.1, stats::sample(practices_years_to_half_prior(cut), after));
    p.gain_persistence = std::clamp(stats::sample(gain_persistence_prior(cut), after), 0.0, 1.0);
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
        inputs.push_back({"implementation:years_to_half", years_to_half_prior(plan.ramp), target::years_to_half, 0});
    }
    if (decay_is_uncertain(plan.fidelity)) {
        inputs.push_back(
            {"implementation:decay_per_doubling", decay_prior(plan.fidelity), target::decay_per_doubling, 0});
    }
    if (plan.program_cut.annual_probability > 0.0) {
        inputs.push_back({"implementation:practices_years_to_half", practices_years_to_half_prior(plan.program_cut),
                          target::practices_years_to_half, 0});
        inputs.push_back(
            {"implementation:gain_persistence", gain_persistence_prior(plan.program_cut), target::gain_persistence, 0});
    }
    if (const auto average = average_effect_prior(plan, inputs_.graph.definition())) {
        inputs.push_back({"effect:average", *average, target::average_effect, 0});
    }
    return inputs;
}

double input_value(const draw_parameters& parameters, const uncertain_input& input) {
    using target = uncertain_input::target;
    switch (input.applies_to) {
        case target::edge_weight: return parameters.edge_weights.at(input.index);
        case target::model_parameter: return parameters.model_parameters.at(input.index);
        case target::years_to_half: return parameters.years_to_half;
        case target::decay_per_doubling: return parameters.decay_per_doubling;
        case target::practices_years_to_half: return parameters.practices_years_to_half;
        case target::gain_persistence: return parameters.gain_persistence;
        case target::average_effect: return parameters.average_effect;
    }
    return std::numeric_limits<double>::quiet_NaN();
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
                p.years_to_half = std::max(minimum_years_to_half, values[i]);
                p.years_to_90 = p.years_to_half + (plan.ramp.years_to_90 - plan.ramp.years_to_half);
                break;
            case target::decay_per_doubling: p.decay_per_doubling = std::clamp(values[i], 0.0, 1.0); break;
            case target::practices_years_to_half: p.practices_years_to_half = std::max(0.1, values[i]); break;
            case target::gain_persistence: p.gain_persistence = std::clamp(values[i], 0.0, 1.0); break;
            case target::average_effect:
                p.average_effect = values[i];
                std::fill(p.school_doses.begin(), p.school_doses.end(), values[i]);
                break;
        }
    }
    return p;
}

std::vector<uncertain_group> simulation::uncertain_groups() const {
    using target = uncertain_group::target;
    std::vector<uncertain_group> groups;
    const program_cut_settings& cut = inputs_.spec.plan.program_cut;
    const years_at_risk risk = cut_risk_years();
    if (cut.annual_probability > 0.0 && risk.end > risk.first) {
        const auto years = static_cast<std::size_t>(risk.end - risk.first);
        groups.push_back({"program cut: whether and when",
                          "one uniform a year at risk (" + std::to_string(risk.first) + " to " +
                              std::to_string(risk.end - 1) + "); cut in the first year whose uniform is under " +
                              shortest_number(cut.annual_probability),
                          std::vector<sdk::prior>(years, sdk::prior{sdk::prior_kind::uniform, 0.0, 0.0, 0.0, 1.0}),
                          target::program_cut});
    }
    if (!inputs_.schools.empty()) {
        groups.push_back({"schools: between-school spread",
                          "each school's own multiplier on its dose, " + stats::prior_text(school_dose_prior()) + ", " +
                              std::to_string(inputs_.schools.size()) + " schools",
                          std::vector<sdk::prior>(inputs_.schools.size(), school_dose_prior()),
                          target::school_deviations});
    }
    return groups;
}

draw_parameters simulation::parameters_with(std::span<const double> values,
                                            std::span<const uncertain_group> groups) const {
    const std::size_t inputs = uncertain_inputs().size();
    std::size_t expected = inputs;
    for (const uncertain_group& group : groups) expected += group.priors.size();
    if (values.size() != expected) {
        throw std::invalid_argument("parameters_with needs " + std::to_string(expected) + " values, got " +
                                    std::to_string(values.size()));
    }
    draw_parameters p = parameters_with(values.first(inputs));
    const bool average_is_drawn = average_effect_prior(inputs_.spec.plan, inputs_.graph.definition()).has_value();
    std::size_t next = inputs;
    for (const uncertain_group& group : groups) {
        const std::span<const double> numbers = values.subspan(next, group.priors.size());
        next += group.priors.size();
        if (group.applies_to == uncertain_group::target::program_cut) {
            const years_at_risk risk = cut_risk_years();
            std::size_t year = 0;
            p.cut_year = first_cut_year(risk.first, risk.end, inputs_.spec.plan.program_cut.annual_probability,
                                        [&] { return numbers[year++]; });
        } else {
            for (std::size_t s = 0; s < p.school_doses.size(); ++s)
                p.school_doses[s] = school_dose(numbers[s], average_is_drawn, p.average_effect);
        }
    }
    return p;
}

simulation::workspace& simulation::thread_workspace() {
    // Scratch for a block of draws over one tile (every node, every lane) plus the stratum sums; kept
    // per thread and reused, so a run allocates nothing per draw once the first block has grown it.
    thread_local workspace ws;
    return ws;
}

bool simulation::run(const draw_parameters& parameters, draw_result& out, run_aggregates* sustained) const {
    block_draw draw{&parameters, &out, sustained, false};
    run_block(std::span(&draw, 1));
    return draw.reran;
}

// Business as usual evaluates every cell; the scenario only the cells of schools a wave reaches
// within the horizon, and takes the others' sums from business as usual. That is exact under the
// SDK's contract: a plugin's output for a cell and draw depends only on that cell's inputs in that
// draw (its attributes, its parents' and its own values) and that draw's scalars (year, parameters,
// edge weights). A never-reached cell has the same inputs in both runs (no exposure, drivers at
// their start levels, so no change for its school's dose to scale); the one scalar that differs,
// pl_school_count, describes the schools running PL (a scale effect on their PL), which such a
// cell's school is not. The same contract makes every lane of a block independent of the others,
// and every tile of the cells independent of the rest, so block and tile sizes change no bit.
void simulation::run_block(std::span<block_draw> draws, std::size_t tile_cells) const {
    workspace& ws = thread_workspace();
    const std::size_t tile = std::clamp<std::size_t>(tile_cells, 1, sdk::max_tile_cells);
    if (business_as_usual_at_rest()) {
        reuse_resting_run(draws, ws);
    } else {
        ws.lanes.clear();
        for (std::size_t d = 0; d < draws.size(); ++d) {
            add_lane(ws, *draws[d].parameters, true, draws[d].parameters->cut_year, draws[d].out->business_as_usual, d);
        }
        run_lanes(true, all_cells_, tile, ws);
    }
    ws.lanes.clear();
    for (std::size_t d = 0; d < draws.size(); ++d) {
        add_lane(ws, *draws[d].parameters, false, draws[d].parameters->cut_year, draws[d].out->scenario, d);
    }
    // A draw whose program is cut also runs as if the district never cut it, as a lane of its own.
    // Business as usual has no program, so it needs no rerun.
    for (std::size_t d = 0; d < draws.size(); ++d) {
        draws[d].reran = draws[d].sustained != nullptr && draws[d].parameters->cut_year.has_value();
        if (draws[d].reran) add_lane(ws, *draws[d].parameters, false, std::nullopt, *draws[d].sustained, d);
    }
    run_lanes(false, reached_cells_, tile, ws);
}

// Business as usual moves nothing the model reads: no school runs PL, every driver stays at its start.
// Under the SDK's at-rest contract every node then keeps its initial values whatever the draw's
// parameters and weights, so every draw's business as usual is the central one, to the bit. The
// central run checks that it did stay at rest (a model that drifts on its own is run every draw).
bool simulation::business_as_usual_at_rest() const {
    std::call_once(resting_once_, [this] { prepare_resting_run(); });
    return resting_.at_rest;
}

void simulation::prepare_resting_run() const {
    workspace& ws = thread_workspace();
    const draw_parameters central = central_parameters();
    // A second lane with drawn parameters (a fixed draw, whatever the run's seed) also catches a model
    // that stays at rest only at its defaults.
    const draw_parameters drawn = sample_parameters(0, 0);
    resting_run run;
    run_aggregates drawn_run;
    ws.lanes.clear();
    add_lane(ws, central, true, std::nullopt, run.aggregates, 0);
    add_lane(ws, drawn, true, std::nullopt, drawn_run, 1);
    ws.checking_rest = true;
    ws.moved_at_rest = false;
    try {
        run_lanes(true, all_cells_, default_tile_cells, ws);
    } catch (...) {
        ws.checking_rest = false;
        throw;
    }
    ws.checking_rest = false;
    run.at_rest = on_every_holder(!ws.moved_at_rest);
    run.sums.assign(ws.bau_sums.begin(),
                    ws.bau_sums.begin() +
                        static_cast<std::ptrdiff_t>(inputs_.spec.years * stratum_count() * sums_per_stratum()));
    resting_ = std::move(run);
}

bool simulation::moved_at_rest(const cell_range& tile, const workspace& ws) const {
    for (const std::size_t node : evaluated_) {
        if (stays_initial(node, true)) continue;
        const double* initial = initial_of(node, tile, ws);
        for (std::size_t l = 0; l < ws.lanes.size(); ++l) {
            if (any_differ(ws.current.data() + (node * ws.lanes.size() + l) * ws.stride, initial, tile.size))
                return true;
        }
    }
    return false;
}

void simulation::reuse_resting_run(std::span<block_draw> draws, workspace& ws) const {
    const std::size_t per_lane = resting_.sums.size();
    ws.bau_sums.resize(draws.size() * per_lane);
    for (std::size_t d = 0; d < draws.size(); ++d) {
        draws[d].out->business_as_usual = resting_.aggregates;
        std::copy(resting_.sums.begin(), resting_.sums.end(),
                  ws.bau_sums.begin() + static_cast<std::ptrdiff_t>(d * per_lane));
    }
}

void simulation::add_lane(workspace& ws, const draw_parameters& parameters, bool business_as_usual,
                          std::optional<int> cut_year, run_aggregates& out, std::size_t draw) const {
    const std::size_t lane = ws.lanes.size();
    if (ws.plans.size() <= lane) ws.plans.resize(lane + 1);
    const implementation_draw plan_draw{parameters.years_to_half,      parameters.years_to_90,
                                        parameters.decay_per_doubling, cut_year,
                                        parameters.edge_weights,       parameters.practices_years_to_half};
    schedule_.compute(plan_draw, business_as_usual, ws.plans[lane]);
    // Its levels and shares are written once, when the lane's sums are finished (finish_from_blocks).
    out.pl_schools = ws.plans[lane].pl_schools;
    ws.lanes.push_back({&parameters, &out, draw, cut_year});
}

void simulation::run_lanes(bool business_as_usual, const cell_range& range, std::size_t tile, workspace& ws) const {
    const std::size_t lanes = ws.lanes.size();
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    // Per-draw scalars, laid out as the SDK wants them: [quantity * lanes + lane].
    const std::size_t edges = inputs_.graph.definition().edges.size();
    const std::size_t parameter_count = inputs_.model.parameters.size();
    ws.edge_weights.resize(edges * lanes);
    ws.parameters.resize(parameter_count * lanes);
    ws.pl_schools.resize(years * lanes);
    for (std::size_t l = 0; l < lanes; ++l) {
        const draw_parameters& p = *ws.lanes[l].parameters;
        for (std::size_t e = 0; e < edges; ++e) ws.edge_weights[e * lanes + l] = p.edge_weights[e];
        for (std::size_t i = 0; i < parameter_count; ++i) ws.parameters[i * lanes + l] = p.model_parameters[i];
        for (std::size_t y = 0; y < years; ++y) ws.pl_schools[y * lanes + l] = ws.plans[l].pl_schools[y];
    }
    const std::size_t nodes = inputs_.graph.definition().nodes.size();
    const std::size_t per_stratum = sums_per_stratum();
    ws.stride = tile;
    ws.current.resize(nodes * lanes * tile);
    ws.previous.resize(nodes * lanes * tile);
    ws.view_current.resize(parent_views_.size() * lanes * tile);
    ws.view_previous.resize(parent_views_.size() * lanes * tile);
    for (std::vector<double>* v :
         {&ws.implementation, &ws.foundations, &ws.exposure, &ws.school_dose, &ws.factor, &ws.faded}) {
        v->resize(lanes * tile);
    }
    ws.shares.resize(proficiency_cuts_.size() * lanes * tile);
    ws.scores.resize(tile);
    ws.tile_starts.resize(schedule_.driven_nodes().size() * tile);
    if (!business_as_usual) {
        for (std::vector<double>* v : {&ws.plan_start, &ws.plan_delta})
            v->resize(schedule_.driven_nodes().size() * tile);
        for (std::vector<double>* v : {&ws.foundation_progress, &ws.driver_progress}) v->resize(tile);
        ws.planned_slot.resize(tile);
    }
    ws.open_sums.resize(lanes * years * per_stratum * 4);
    std::vector<double>& sums = business_as_usual ? ws.bau_sums : ws.sums;
    sums.resize(lanes * years * stratum_count() * per_stratum);
    ws.lanes_are_bau = business_as_usual;
    ws.next_stratum = business_as_usual ? 0 : first_reached_stratum_;
    for (std::size_t begin = 0; begin < range.size; begin += tile) {
        run_tile({range.begin + begin, std::min(tile, range.size - begin)}, business_as_usual, ws);
    }
    finish_lanes(business_as_usual, ws);
}

void simulation::run_tile(const cell_range& tile, bool business_as_usual, workspace& ws) const {
    const std::size_t lanes = ws.lanes.size();
    const std::size_t stride = ws.stride;
    // Every node that moves is rewritten each year before it is read; the first year reads last
    // year's values from the initial values (evaluate_year), so nothing is copied per lane.
    fill_tile_starts(tile, business_as_usual, ws);
    const std::uint32_t* school = ordered_.school.data() + tile.begin;
    for (std::size_t l = 0; l < lanes; ++l) {
        const std::vector<double>& doses = ws.lanes[l].parameters->school_doses;
        double* dose = ws.school_dose.data() + l * stride;
        for (std::size_t i = 0; i < tile.size; ++i) dose[i] = doses[school[i]];
    }
    for (int y = 0; y < inputs_.spec.years; ++y) {
        if (y > 0) {
            // Last year's values become `previous`; every value `current` is read for is rewritten.
            std::swap(ws.current, ws.previous);
            std::swap(ws.view_current, ws.view_previous);
        }
        // Business as usual keeps every school at its start: its drivers, implementation and
        // foundations are the initial values and its exposure none, the same in every lane and year.
        if (!business_as_usual) set_driven_nodes(y, tile, ws);
        evaluate_year(y, tile, business_as_usual, ws);
        if (ws.checking_rest && !ws.moved_at_rest) ws.moved_at_rest = moved_at_rest(tile, ws);
        accumulate_strata(y, tile, ws);
    }
}

void simulation::prepare_constant_nodes() {
    const auto& nodes = inputs_.graph.definition().nodes;
    const std::size_t cell_count = inputs_.cells.students.size();
    std::vector<char> evaluated(nodes.size(), 0);
    for (const std::size_t node : evaluated_) evaluated[node] = 1;
    constant_in_bau_.assign(nodes.size(), 0);
    constant_in_scenario_.assign(nodes.size(), 0);
    for (std::size_t n = 0; n < nodes.size(); ++n) {
        const bool rewritten = evaluated[n] || driven_[n];
        constant_in_bau_[n] = !rewritten || driven_[n];
        constant_in_scenario_[n] = !rewritten || (driven_[n] && nodes[n].kind == node_kind::condition);
    }
    // A primary driver is the mean of its members (compose_primary_driver); where they all stay at
    // their start, so does it, provided the mean of their starts is its start to the bit (it is
    // when the model lists the members in the same order as their composition edges).
    for (std::size_t e = 0; e < evaluated_.size(); ++e) {
        if (nodes[evaluated_[e]].kind != node_kind::primary_driver) continue;
        const auto& parents = parent_edges_[e];
        if (!std::all_of(parents.begin(), parents.end(), [&](const auto& p) { return constant_in_bau_[p.second]; }))
            continue;
        bool same = true;
        for (std::size_t c = 0; c < cell_count && same; ++c) {
            double mean = 0.0;
            for (const auto& parent : parents) mean += start_value(parent.second, c);
            if (!parents.empty()) mean /= static_cast<double>(parents.size());
            same = std::bit_cast<std::uint64_t>(mean) == std::bit_cast<std::uint64_t>(start_value(evaluated_[e], c));
        }
        constant_in_bau_[evaluated_[e]] = on_every_holder(same);
    }
}

const double* simulation::this_year(std::size_t node, std::size_t lane, const cell_range& tile, bool business_as_usual,
                                    const workspace& ws) const {
    if (stays_initial(node, business_as_usual)) return initial_of(node, tile, ws);
    return ws.current.data() + (node * ws.lanes.size() + lane) * ws.stride;
}

void simulation::set_driven_nodes(int year, const cell_range& tile, workspace& ws) const {
    const auto& driven = schedule_.driven_nodes();
    const std::size_t lanes = ws.lanes.size();
    const std::size_t stride = ws.stride;
    const std::size_t n = tile.size;
    const double* baseline_implementation = baseline_implementation_.data() + tile.begin;
    for (std::size_t l = 0; l < lanes; ++l) {
        const implementation_schedule::result& plan = ws.plans[l];
        double* implementation = ws.implementation.data() + l * stride;
        double* foundations = ws.foundations.data() + l * stride;
        std::fill_n(implementation, n, 0.0);
        std::fill_n(foundations, n, 0.0);
        ramp_of_cells(year, n, plan, l, ws);
        double secondary = 0.0;
        double foundational = 0.0;
        for (std::size_t k = 0; k < driven.size(); ++k) {
            double* total = nullptr;  // the mean this node counts towards, if any
            if (inputs_.graph.definition().nodes[driven[k]].kind == node_kind::secondary_driver) {
                secondary += 1.0;
                total = implementation;
            } else if (schedule_.ramps_as_foundation(k)) {
                foundational += 1.0;
                total = foundations;
            }
            if (!stays_initial(driven[k], false)) {
                plan_level(year, k, n, plan, l, total, ws);
                continue;
            }
            const double* values = this_year(driven[k], l, tile, false, ws);
            if (total != nullptr)
                for (std::size_t i = 0; i < n; ++i) total[i] += values[i];
        }
        if (secondary > 0.0)
            for (std::size_t i = 0; i < n; ++i) implementation[i] /= secondary;
        if (foundational > 0.0) {
            for (std::size_t i = 0; i < n; ++i) foundations[i] /= foundational;
        } else {
            // A model without foundational practices has nothing to gate its drivers: report the top level (3).
            std::fill_n(foundations, n, 3.0);
        }
        const double* dose = ws.school_dose.data() + l * stride;
        scale_change({implementation, n}, {baseline_implementation, n}, {dose, n}, {implementation, n});
    }
}

void simulation::ramp_of_cells(int year, std::size_t n, const implementation_schedule::result& plan, std::size_t lane,
                               workspace& ws) const {
    const std::size_t first = plan.row(year, 0, schedule_.planned_schools().size());
    const std::uint32_t* slot = ws.planned_slot.data();
    double* exposure = ws.exposure.data() + lane * ws.stride;
    for (std::size_t i = 0; i < n; ++i) exposure[i] = plan.exposure[first + slot[i]];
    for (std::size_t i = 0; i < n; ++i) ws.foundation_progress[i] = plan.foundation_progress[first + slot[i]];
    for (std::size_t i = 0; i < n; ++i) ws.driver_progress[i] = plan.driver_progress[first + slot[i]];
}

void simulation::plan_level(int year, std::size_t k, std::size_t n, const implementation_schedule::result& plan,
                            std::size_t lane, double* total, workspace& ws) const {
    // implementation_schedule::level over a tile, in the same operations, so the same bits. A school not
    // running PL this year has progress 0, so its level is its start.
    const std::size_t stride = ws.stride;
    double* row = ws.current.data() + (schedule_.driven_nodes()[k] * ws.lanes.size() + lane) * stride;
    const double* start = ws.plan_start.data() + k * stride;
    const double* delta = ws.plan_delta.data() + k * stride;
    const double* progress =
        schedule_.ramps_as_foundation(k) ? ws.foundation_progress.data() : ws.driver_progress.data();
    const double ceiling = plan.ceiling[static_cast<std::size_t>(year)];
    const bool capped = std::any_of(plan.community.begin(), plan.community.end(),
                                    [&](const auto& community) { return community.first == k; });
    if (!capped && total != nullptr) {
        for (std::size_t i = 0; i < n; ++i) {
            row[i] = start[i] + delta[i] * progress[i] * ceiling;
            total[i] += row[i];
        }
        return;
    }
    for (std::size_t i = 0; i < n; ++i) row[i] = start[i] + delta[i] * progress[i] * ceiling;
    for (const auto& [community_k, factor] : plan.community) {
        if (community_k != k) continue;
        for (std::size_t i = 0; i < n; ++i) row[i] = start[i] + (row[i] - start[i]) * factor;
    }
    if (total != nullptr)
        for (std::size_t i = 0; i < n; ++i) total[i] += row[i];
}

void simulation::evaluate_year(int year, const cell_range& tile, bool business_as_usual, workspace& ws) const {
    const std::size_t lanes = ws.lanes.size();
    const std::size_t stride = ws.stride;
    const std::size_t n = tile.size;
    const auto& nodes = inputs_.graph.definition().nodes;
    const auto y = static_cast<std::size_t>(year);
    ws.view_ready.assign(parent_views_.size(), 0);
    const auto initial_of_node = [&](std::size_t node) { return initial_of(node, tile, ws); };
    const auto rows = [&](const std::vector<double>& values, std::size_t slot) {
        return sdk::block_values{values.data() + slot * lanes * stride, stride};
    };
    const auto part = [&](const auto& values) { return std::span(values.data() + tile.begin, n); };
    sdk::cell_attributes attributes{part(ordered_.race),
                                    part(ordered_.ell),
                                    part(ordered_.frl),
                                    part(ordered_.sped),
                                    part(ordered_.grade_band),
                                    part(ordered_.students),
                                    part(baseline_achievement_),
                                    part(baseline_implementation_),
                                    {ws.exposure.data(), stride},
                                    {ws.implementation.data(), stride},
                                    {ws.foundations.data(), stride},
                                    {ws.school_dose.data(), stride}};
    // In business as usual every lane's implementation is its baseline (a change of 0 scaled by any
    // dose), its foundations their start and its exposure none: rows shared by the lanes.
    if (business_as_usual) {
        attributes.years_of_exposure = {no_exposure.data(), 0};
        attributes.implementation = {baseline_implementation_.data() + tile.begin, 0};
        attributes.foundations = {baseline_foundations_.data() + tile.begin, 0};
    }
    const std::span<const double> pl_schools(ws.pl_schools.data() + y * lanes, lanes);

    for (std::size_t e = 0; e < evaluated_.size(); ++e) {
        const std::size_t node = evaluated_[e];
        if (stays_initial(node, business_as_usual)) continue;
        ws.parents.clear();
        for (std::size_t k = 0; k < parent_edges_[e].size(); ++k) {
            const auto [edge, parent] = parent_edges_[e][k];
            const auto slot = parent_view_slot_[e][k];
            const std::span<const double> weight(ws.edge_weights.data() + edge * lanes, lanes);
            const std::span<const double> initial(initial_of_node(parent), n);
            // An unchanged parent, and a scaled view of one, is the parent's initial values, in every draw.
            if (stays_initial(parent, business_as_usual)) {
                ws.parents.push_back(
                    {nodes[parent].id, nodes[parent].kind, weight, {initial.data(), 0}, {initial.data(), 0}, initial});
                continue;
            }
            if (slot && !ws.view_ready[*slot]) fill_parent_view(*slot, year, tile, ws);
            const std::size_t row = slot ? *slot : parent;
            // Before the first year, last year's value of a node is its initial value, in every draw.
            const sdk::block_values previous = slot        ? rows(ws.view_previous, row)
                                               : year == 0 ? sdk::block_values{initial.data(), 0}
                                                           : rows(ws.previous, row);
            ws.parents.push_back({nodes[parent].id, nodes[parent].kind, weight,
                                  rows(slot ? ws.view_current : ws.current, row), previous, initial});
        }
        double* out = ws.current.data() + node * lanes * stride;
        if (nodes[node].kind == node_kind::primary_driver) {
            compose_primary_driver(out, n, ws);
            continue;
        }
        const bool achievement = nodes[node].has_role("achievement");
        const sdk::block_values previous =
            year == 0 ? sdk::block_values{initial_of_node(node), 0}
            : achievement && !business_as_usual
                ? faded_after_cut(year, rows(ws.previous, node), initial_of_node(node), n, ws)
                : rows(ws.previous, node);
        const sdk::evaluation evaluation{nodes[node].id,
                                         nodes[node].kind,
                                         year,
                                         lanes,
                                         n,
                                         pl_schools,
                                         ws.parents,
                                         previous,
                                         {initial_of_node(node), n},
                                         &attributes,
                                         ws.parameters,
                                         {out, stride},
                                         achievement,
                                         nodes[node].subject};
        evaluate_checked(inputs_.model, evaluation, "evaluate");
    }
}

sdk::block_values simulation::faded_after_cut(int year, const sdk::block_values& previous, const double* initial,
                                              std::size_t n, workspace& ws) const {
    const int calendar = inputs_.spec.start_year + year;
    const auto cut_by_now = [&](const workspace::lane& lane) { return lane.cut_year && *lane.cut_year <= calendar; };
    if (std::none_of(ws.lanes.begin(), ws.lanes.end(), cut_by_now)) return previous;
    // Once the program is cut, a gain already made fades: a year later the node keeps only the draw's
    // persistence of its distance from the start (Jacob, Lefgren & Sims 2010), whatever the effect model
    // then adds for the practices that linger. Lanes still running the program keep last year as it was.
    for (std::size_t l = 0; l < ws.lanes.size(); ++l) {
        const double* last = previous.row(l);
        double* faded = ws.faded.data() + l * ws.stride;
        if (!cut_by_now(ws.lanes[l])) {
            std::copy_n(last, n, faded);
            continue;
        }
        const double kept = ws.lanes[l].parameters->gain_persistence;
        for (std::size_t i = 0; i < n; ++i) faded[i] = initial[i] + kept * (last[i] - initial[i]);
    }
    return {ws.faded.data(), ws.stride};
}

void simulation::compose_primary_driver(double* out, std::size_t n, workspace& ws) const {
    // A primary driver is the mean of its secondary drivers (a modelling choice for the Driver Model's 0–3 encoding).
    const std::size_t stride = ws.stride;
    const std::size_t members = ws.parents.size();
    for (std::size_t l = 0; l < ws.lanes.size(); ++l) {
        double* target = out + l * stride;
        if (members == 0) {
            std::fill_n(target, n, 0.0);
            continue;
        }
        compose_mean(target, n, ws.parents, l);
    }
}

void simulation::fill_parent_view(std::size_t slot, int year, const cell_range& tile, workspace& ws) const {
    // Topological order guarantees the parent's values for this year are final when a child asks.
    const std::size_t lanes = ws.lanes.size();
    const std::size_t stride = ws.stride;
    const std::size_t n = tile.size;
    const parent_view& view = parent_views_[slot];
    const double* mask = view.grade_mask.empty() ? nullptr : view.grade_mask.data() + tile.begin;
    const std::span<const double> initial(initial_of(view.node, tile, ws), n);
    for (std::size_t l = 0; l < lanes; ++l) {
        const double* dose = ws.school_dose.data() + l * stride;
        const double* factor = mask == nullptr ? dose : mask;
        if (view.dose && mask != nullptr) {
            double* product = ws.factor.data() + l * stride;
            for (std::size_t i = 0; i < n; ++i) product[i] = mask[i] * dose[i];
            factor = product;
        }
        const std::size_t parent_row = (view.node * lanes + l) * stride;
        const std::size_t view_row = (slot * lanes + l) * stride;
        scale_change({ws.current.data() + parent_row, n}, initial, {factor, n}, {ws.view_current.data() + view_row, n});
        // Later years' previous view is last year's current one (swapped in): same values, same factor.
        if (year == 0) scale_change(initial, initial, {factor, n}, {ws.view_previous.data() + view_row, n});
    }
    ws.view_ready[slot] = 1;
}

void simulation::compute_shares(int year, const cell_range& tile, workspace& ws) const {
    const std::size_t lanes = ws.lanes.size();
    const std::size_t stride = ws.stride;
    const auto y = static_cast<std::size_t>(year);
    for (std::size_t p = 0; p < proficiency_cuts_.size(); ++p) {
        const proficiency_scale& scale = proficiency_cuts_[p];
        const double* initial = initial_of(scale.node, tile, ws);
        const std::vector<double>& trend = proficiency_trends_[p];
        const std::size_t row = baseline_share_row_[p] + (trend.empty() ? 0 : y);
        const double* at_baseline = baseline_shares_.data() + row * all_cells_.size + tile.begin;
        const double years_of_trend = static_cast<double>(y + 1);
        for (std::size_t l = 0; l < lanes; ++l) {
            const double* values = this_year(scale.node, l, tile, ws.lanes_are_bau, ws);
            double* share = ws.shares.data() + (p * lanes + l) * stride;
            // A cell still at its baseline reads its share instead of evaluating the CDF; a tile whose
            // cells all are (every tile of business as usual with the shipped models) evaluates none.
            if (!any_differ(values, initial, tile.size)) {
                std::copy_n(at_baseline, tile.size, share);
                continue;
            }
            double* score = ws.scores.data();
            if (trend.empty()) {
                for (std::size_t i = 0; i < tile.size; ++i)
                    score[i] = (values[i] + 0.0 - scale.cut) / scale.within_cell_sd;
            } else {
                const double* rate = trend.data() + tile.begin;
                for (std::size_t i = 0; i < tile.size; ++i)
                    score[i] = (values[i] + rate[i] * years_of_trend - scale.cut) / scale.within_cell_sd;
            }
            stats::normal_cdf({score, tile.size}, {share, tile.size});
            for (std::size_t i = 0; i < tile.size; ++i) share[i] = values[i] == initial[i] ? at_baseline[i] : share[i];
        }
    }
}

const double* simulation::baseline_sums_if_unmoved(std::size_t quantity, std::size_t lane, int year,
                                                   const cell_range& tile, const workspace& ws) const {
    const bool is_level = quantity < outcomes_.size();
    const std::size_t node = is_level ? outcomes_[quantity].node : proficiency_cuts_[quantity - outcomes_.size()].node;
    const double* values = this_year(node, lane, tile, ws.lanes_are_bau, ws);
    // compute_shares' own test: a share row is the baseline's exactly when its node's row is, by value.
    // A level row equal by value has the baseline's sums to the bit: it can differ only in the sign of
    // a zero, and dot() adds every product to a sum that starts at +0.
    if (any_differ(values, initial_of(node, tile, ws), tile.size)) return nullptr;
    if (is_level) return baseline_level_sums_.data() + quantity * stratum_count();
    const std::size_t p = quantity - outcomes_.size();
    const std::size_t row =
        baseline_share_row_[p] + (proficiency_trends_[p].empty() ? 0 : static_cast<std::size_t>(year));
    return baseline_share_sums_.data() + row * stratum_count();
}

void simulation::accumulate_strata(int year, const cell_range& tile, workspace& ws) const {
    compute_shares(year, tile, ws);
    const std::size_t lanes = ws.lanes.size();
    const std::size_t stride = ws.stride;
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    const std::size_t per_stratum = sums_per_stratum();
    const auto y = static_cast<std::size_t>(year);
    const std::size_t tile_end = tile.begin + tile.size;
    std::vector<double>& sums = ws.lanes_are_bau ? ws.bau_sums : ws.sums;
    for (std::size_t l = 0; l < lanes; ++l) {
        for (std::size_t k = 0; k < per_stratum; ++k) {
            const double* values = k < outcomes_.size()
                                       ? this_year(outcomes_[k].node, l, tile, ws.lanes_are_bau, ws)
                                       : ws.shares.data() + ((k - outcomes_.size()) * lanes + l) * stride;
            // Every row of business as usual with the shipped models: its strata's sums are known.
            const double* baseline = baseline_sums_if_unmoved(k, l, year, tile, ws);
            double* lane_sums = sums.data() + (l * years + y) * stratum_count() * per_stratum + k;
            // Strata are contiguous and tiles run in order, so at most one stratum is open across a tile
            // boundary: its four running sums per lane, year and quantity wait in `open_sums`.
            for (std::size_t s = ws.next_stratum; s < stratum_count() && stratum_begin_[s] < tile_end; ++s) {
                const std::size_t begin = stratum_begin_[s];
                const std::size_t end = stratum_begin_[s + 1];
                const std::size_t from = std::max(begin, tile.begin) - begin;
                const std::size_t to = std::min(end, tile_end) - begin;
                double& sum = lane_sums[s * per_stratum];
                if (from == 0 && begin + to == end) {  // the whole stratum in this tile: dot()'s bits directly
                    sum = baseline != nullptr
                              ? baseline[s]
                              : dot(ordered_.students.data() + begin, values + (begin - tile.begin), end - begin);
                    continue;
                }
                double* open = ws.open_sums.data() + ((l * years + y) * per_stratum + k) * 4;
                if (from == 0) std::fill_n(open, 4, 0.0);
                accumulate_dot(open, ordered_.students.data() + begin + from, values + (begin + from - tile.begin),
                               from, to, end - begin);
                if (begin + to == end) sum = (open[0] + open[1]) + (open[2] + open[3]);
            }
        }
    }
    if (year + 1 == inputs_.spec.years) {
        while (ws.next_stratum < stratum_count() && stratum_begin_[ws.next_stratum + 1] <= tile_end) ++ws.next_stratum;
    }
}

void simulation::finish_lanes(bool business_as_usual, workspace& ws) const {
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    const std::size_t per_stratum = sums_per_stratum();
    const std::size_t groups = subgroups_.size();
    const std::size_t lanes = ws.lanes.size();
    const std::size_t year_sums = stratum_count() * per_stratum;
    const std::size_t per_block = sums_per_block();
    const std::size_t per_lane = blocks_.count * per_block;
    ws.group_sums.assign(lanes * per_lane, 0.0);
    for (std::size_t y = 0; y < years; ++y) {
        for (std::size_t g = 0; g < groups; ++g) {
            if (subgroups_[g].students_in(static_cast<int>(y)) <= 0.0) continue;
            const std::size_t at = (y * groups + g) * per_stratum;
            // Each lane's quantity sums its strata in ascending order into its stratum's block. The
            // lanes are interleaved stratum by stratum: each running sum is added to once per stratum
            // and lane, so the additions do not wait on one another.
            for (std::uint32_t s : group_strata_[y * groups + g]) {
                // The scenario's strata the plan never reaches are business as usual's, in the same draw.
                const bool unreached = !business_as_usual && s < first_reached_stratum_;
                const double* sums = business_as_usual || unreached ? ws.bau_sums.data() : ws.sums.data();
                double* block_sum = ws.group_sums.data() + stratum_block_[s] * per_block + at;
                for (std::size_t l = 0; l < lanes; ++l) {
                    const std::size_t row = unreached ? ws.lanes[l].draw : l;
                    const double* stratum = sums + (row * years + y) * year_sums + s * per_stratum;
                    double* lane_sum = block_sum + l * per_lane;
                    for (std::size_t k = 0; k < per_stratum; ++k) lane_sum[k] += stratum[k];
                }
            }
        }
    }
    for (std::size_t l = 0; l < lanes; ++l) {
        const std::span<const double> lane_sums(ws.group_sums.data() + l * per_lane, per_lane);
        run_aggregates& out = *ws.lanes[l].out;
        if (holds_every_block()) finish_from_blocks(lane_sums, out);
        else out.block_sums.assign(lane_sums.begin(), lane_sums.end());
    }
}

std::size_t simulation::sums_per_block() const {
    return static_cast<std::size_t>(inputs_.spec.years) * subgroups_.size() * sums_per_stratum();
}

void simulation::finish_from_blocks(std::span<const double> sums, run_aggregates& out) const {
    const std::size_t per_block = sums_per_block();
    if (sums.size() != population_blocks_ * per_block) {
        throw std::invalid_argument("finish_from_blocks: " + std::to_string(sums.size()) + " sums for " +
                                    std::to_string(population_blocks_) + " blocks of " + std::to_string(per_block));
    }
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    const std::size_t groups = subgroups_.size();
    const std::size_t outcomes = outcomes_.size();
    const std::size_t scales = proficiency_cuts_.size();
    out.levels.assign(years * groups * outcomes, 0.0);
    out.proficient.assign(years * groups * scales, 0.0);
    for (std::size_t y = 0; y < years; ++y) {
        for (std::size_t g = 0; g < groups; ++g) {
            const double members = subgroups_[g].students_in(static_cast<int>(y));
            if (members <= 0.0) continue;
            const std::size_t at = (y * groups + g) * (outcomes + scales);
            for (std::size_t k = 0; k < outcomes + scales; ++k) {
                double total = sums[at + k];
                for (std::size_t b = 1; b < population_blocks_; ++b) total += sums[b * per_block + at + k];
                if (k < outcomes) {
                    const std::size_t level = (y * groups + g) * outcomes + k;
                    out.levels[level] = (total + trend_totals_[level]) / members;
                } else {
                    out.proficient[(y * groups + g) * scales + (k - outcomes)] = total / members;
                }
            }
        }
    }
}

bool simulation::finish_across_holders(std::span<run_aggregates* const> runs) const {
    const std::size_t per_block = sums_per_block();
    // Block-major, so that the holders' values concatenated in holder order are in block order.
    std::vector<double> mine(blocks_.count * runs.size() * per_block);
    for (std::size_t b = 0; b < blocks_.count; ++b) {
        for (std::size_t r = 0; r < runs.size(); ++r) {
            const auto from = runs[r]->block_sums.begin() + static_cast<std::ptrdiff_t>(b * per_block);
            std::copy(from, from + static_cast<std::ptrdiff_t>(per_block),
                      mine.begin() + static_cast<std::ptrdiff_t>((b * runs.size() + r) * per_block));
        }
    }
    const std::vector<double> every = blocks_.exchange->gather_on_first(mine);
    if (!blocks_.exchange->is_first()) return false;
    std::vector<double> run_sums(population_blocks_ * per_block);
    for (std::size_t r = 0; r < runs.size(); ++r) {
        for (std::size_t b = 0; b < population_blocks_; ++b) {
            const auto from = every.begin() + static_cast<std::ptrdiff_t>((b * runs.size() + r) * per_block);
            std::copy(from, from + static_cast<std::ptrdiff_t>(per_block),
                      run_sums.begin() + static_cast<std::ptrdiff_t>(b * per_block));
        }
        finish_from_blocks(run_sums, *runs[r]);
    }
    return true;
}

int simulation::year_or_final(int year) const { return year < 0 ? inputs_.spec.years - 1 : year; }

double simulation::baseline_level(std::size_t subgroup, std::size_t outcome, int year) const {
    const auto y = static_cast<std::size_t>(year_or_final(year));
    return baseline_levels_[(y * subgroups_.size() + subgroup) * outcomes_.size() + outcome];
}

void simulation::prepare_baseline_levels() {
    // Summed stratum by stratum exactly as a run's means are, so a run whose values are still the
    // baseline reproduces the baseline means bit for bit: its gaps neither narrow nor widen.
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    const std::size_t groups = subgroups_.size();
    const std::size_t strata = stratum_count();
    baseline_level_sums_.assign(outcomes_.size() * strata, 0.0);
    for (std::size_t o = 0; o < outcomes_.size(); ++o) {
        stratum_sums(stored_initial(outcomes_[o].node), baseline_level_sums_.data() + o * strata);
    }
    const std::size_t per_block = years * groups * outcomes_.size();
    std::vector<double> partials(blocks_.count * per_block, 0.0);  // [b][(y * groups + g) * outcomes + o]
    for (std::size_t y = 0; y < years; ++y) {
        for (std::size_t g = 0; g < groups; ++g) {
            for (std::size_t o = 0; o < outcomes_.size(); ++o) {
                const std::size_t at = (y * groups + g) * outcomes_.size() + o;
                for (std::uint32_t s : group_strata_[y * groups + g])
                    partials[stratum_block_[s] * per_block + at] += baseline_level_sums_[o * strata + s];
            }
        }
    }
    baseline_levels_ = over_blocks(partials, per_block);
    for (std::size_t y = 0; y < years; ++y) {
        for (std::size_t g = 0; g < groups; ++g) {
            const double members = subgroups_[g].students_in(static_cast<int>(y));
            for (std::size_t o = 0; o < outcomes_.size(); ++o) {
                double& level = baseline_levels_[(y * groups + g) * outcomes_.size() + o];
                level = members > 0.0 ? level / members : 0.0;
            }
        }
    }
}

double simulation::baseline_proficient(std::size_t subgroup, std::size_t proficiency_index, int year) const {
    const auto y = static_cast<std::size_t>(year_or_final(year));
    return baseline_proficient_[(y * subgroups_.size() + subgroup) * proficiency_cuts_.size() + proficiency_index];
}

void simulation::prepare_baseline_proficient() {
    const std::size_t years = static_cast<std::size_t>(inputs_.spec.years);
    const std::size_t groups = subgroups_.size();
    const std::size_t scales = proficiency_cuts_.size();
    const std::size_t strata = stratum_count();
    const std::size_t per_block = years * groups * scales;
    std::vector<double> partials(blocks_.count * per_block, 0.0);  // [b][(y * groups + g) * scales + p]
    std::vector<double> shares;
    std::vector<double> sums(strata);
    for (std::size_t p = 0; p < scales; ++p) {
        // The share at the baseline level itself: the first baseline share row where the scale has no
        // trend, else the CDF of the initial values (the rows add the trend).
        const double* stratum_shares = baseline_share_sums_.data() + baseline_share_row_[p] * strata;
        if (!proficiency_trends_[p].empty()) {
            const proficiency_scale& scale = proficiency_cuts_[p];
            const double* initial = stored_initial(scale.node);
            shares.resize(all_cells_.size);
            for (std::size_t i = 0; i < shares.size(); ++i) shares[i] = (initial[i] - scale.cut) / scale.within_cell_sd;
            stats::normal_cdf(shares, shares);
            stratum_sums(shares.data(), sums.data());
            stratum_shares = sums.data();
        }
        for (std::size_t y = 0; y < years; ++y) {
            for (std::size_t g = 0; g < groups; ++g) {
                const std::size_t at = (y * groups + g) * scales + p;
                for (std::uint32_t s : group_strata_[y * groups + g])
                    partials[stratum_block_[s] * per_block + at] += stratum_shares[s];
            }
        }
    }
    baseline_proficient_ = over_blocks(partials, per_block);
    for (std::size_t y = 0; y < years; ++y) {
        for (std::size_t g = 0; g < groups; ++g) {
            const double members = subgroups_[g].students_in(static_cast<int>(y));
            for (std::size_t p = 0; p < scales; ++p) {
                double& share = baseline_proficient_[(y * groups + g) * scales + p];
                share = members > 0.0 ? share / members : 0.0;
            }
        }
    }
}

std::vector<std::vector<bool>> simulation::stratum_memberships(int year) const {
    const std::size_t groups = subgroups_.size();
    std::vector<std::vector<bool>> of_stratum(stratum_count(), std::vector<bool>(groups, false));
    for (std::size_t g = 0; g < groups; ++g) {
        for (std::uint32_t s : group_strata_[static_cast<std::size_t>(year) * groups + g]) of_stratum[s][g] = true;
    }
    return of_stratum;
}

}  // namespace pathways
