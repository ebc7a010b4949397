#pragma once
/// \file
/// One scenario prepared for projection: cells, baselines, the implementation schedule and the
/// effect model, run a draw or a block of draws at a time (scenario and business as usual with the same draw).

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/scenario_types.hpp"
#include "engine/schedule.hpp"
#include "engine/school_blocks.hpp"
#include "engine/subgroups.hpp"
#include "graph/model_graph.hpp"
#include "plugin/registry.hpp"
#include "population/cells.hpp"
#include "population/school.hpp"

namespace pathways {

/// Every uncertain quantity of one Monte Carlo draw.
struct draw_parameters {
    std::vector<double> edge_weights;      ///< per model edge
    std::vector<double> model_parameters;  ///< per declared effect-model parameter
    double years_to_half = 2.0;
    double years_to_90 = 3.5;
    double decay_per_doubling = 0.85;
    std::optional<int> cut_year;
    double practices_years_to_half = 1.5;  ///< after a cut: years for practices to fall half way back
    double gain_persistence = 0.2;         ///< after a cut: share of an achievement gain kept each year
    double average_effect = 1.0;           ///< the draw's factor on every school's dose: the program's average effect
    std::vector<double> school_doses;      ///< per school: multiplier on its PL dose (1 = the average school)
};

/// An uncertain quantity of a draw with its prior, as sensitivity analysis varies it.
struct uncertain_input {
    enum class target : std::uint8_t {
        edge_weight,
        model_parameter,
        years_to_half,
        decay_per_doubling,
        practices_years_to_half,
        gain_persistence,
        average_effect,
    };
    std::string name;  ///< "edge:<from>-><to>", "parameter:<name>", "implementation:<field>"
    sdk::prior prior;
    target applies_to = target::edge_weight;
    std::size_t index = 0;  ///< the edge or parameter it sets
};

/// An uncertain quantity of a draw that is many numbers, varied by sensitivity analysis as one group:
/// whether and when the program is cut (one uniform per year at risk; the program is cut in the first
/// year whose uniform falls under the annual probability, the rule sample_parameters draws by), and
/// every school's own deviation from the average effect (one multiplier on its dose per school, about
/// 1, as sample_parameters draws it).
struct uncertain_group {
    enum class target : std::uint8_t { program_cut, school_deviations };
    std::string name;                ///< "program cut: whether and when", "schools: between-school spread"
    std::string description;         ///< what its numbers are, in a phrase
    std::vector<sdk::prior> priors;  ///< one per number
    target applies_to = target::program_cut;
};

/// The value a draw gives an uncertain input.
double input_value(const draw_parameters& parameters, const uncertain_input& input);

/// Student-weighted subgroup means of one run (scenario or business as usual).
/// `levels[(year * subgroups + g) * outcomes + o]`, `proficient` likewise over academic outcomes.
struct run_aggregates {
    std::vector<double> levels;
    std::vector<double> proficient;
    std::vector<double> pl_schools;  ///< [year]
    /// Where the cells hold only some school blocks (a rank of `--split schools`), the run's sums of
    /// them instead of `levels` and `proficient`: [b * simulation::sums_per_block() + i] for each
    /// block held, which simulation::finish_across_holders turns into means. Empty otherwise.
    std::vector<double> block_sums;
};

struct draw_result {
    run_aggregates scenario;
    run_aggregates business_as_usual;
};

/// A reported subgroup with its cells and head count. A group that selects by plan reach
/// (`pl:yes`) has members that change from year to year; `cells` and `students` are then the final
/// year's, and `cells_in`/`students_in` give any year's.
struct reported_subgroup {
    subgroup group;
    std::vector<std::uint32_t> cells;
    double students = 0.0;
    std::vector<std::vector<std::uint32_t>> cells_by_year;  ///< empty unless members change by year
    std::vector<double> students_by_year;

    [[nodiscard]] const std::vector<std::uint32_t>& cells_in(int year) const {
        return cells_by_year.empty() ? cells : cells_by_year[static_cast<std::size_t>(year)];
    }
    [[nodiscard]] double students_in(int year) const {
        return students_by_year.empty() ? students : students_by_year[static_cast<std::size_t>(year)];
    }
};

/// A reported outcome node; academic ones carry a proficiency cut score.
struct reported_outcome {
    std::size_t node = 0;
    std::string id;
    bool academic = false;
    std::optional<std::size_t> proficiency_index;  ///< position among outcomes with a cut score
    /// A derived subgroup-gap node: the outcomes (indices into `simulation::outcomes()`) whose
    /// subgroup gaps it averages, with their weights (summing to 1). It has no per-cell value.
    std::vector<std::pair<std::size_t, double>> gap_components;
    [[nodiscard]] bool derived_gap() const { return !gap_components.empty(); }
};

/// One draw of a block run: its parameters and where its runs go.
struct block_draw {
    const draw_parameters* parameters = nullptr;
    draw_result* out = nullptr;
    run_aggregates* sustained = nullptr;  ///< where a cut draw's sustained course goes; null: not wanted
    bool reran = false;                   ///< set by run_block: the draw was cut and its sustained course run
};

struct simulation_inputs {
    const model_graph& graph;
    const district_profile& district;
    const std::vector<school>& schools;
    const population_cells& cells;
    const scenario& spec;
    const model_handle& model;
    /// The school blocks the cells hold (default: every block at the default size).
    school_blocks blocks{};
};

class simulation {
public:
    /// Prepares everything that does not change between draws; problems go to `problems`.
    simulation(const simulation_inputs& inputs, diagnostics& problems);
    ~simulation();
    simulation(const simulation&) = delete;
    simulation& operator=(const simulation&) = delete;

    /// Central values: every edge at its weight, every parameter at its (pinned or declared)
    /// default, no program cut, no school random effects.
    [[nodiscard]] draw_parameters central_parameters() const;
    /// Draw `draw` of every uncertain quantity, keyed by (seed, draw, stream): independent of
    /// which other draws run and in what order.
    [[nodiscard]] draw_parameters sample_parameters(std::uint64_t seed, std::uint64_t draw) const;
    /// The same into `out`, reusing its storage (no allocation once it has held a draw).
    void sample_parameters(std::uint64_t seed, std::uint64_t draw, draw_parameters& out) const;

    /// From now on a draw is drawn from a joint posterior over the prior's draws: draw d of seed s is
    /// draw k of the prior under `prior_seed`, every input of it together (school effects and the cut
    /// included), k picked with probability weights[k] by a uniform of (s, d) on a stream of its own,
    /// so that a draw's pick depends on neither the number of draws nor the rank that runs it.
    /// Throws std::invalid_argument unless the weights are at least two, non-negative and sum to more than 0.
    void draw_from_posterior(std::uint64_t prior_seed, std::span<const double> weights);
    /// The prior draw that draw `draw` of `seed` is, under draw_from_posterior; `draw` itself otherwise.
    [[nodiscard]] std::uint64_t posterior_pick(std::uint64_t seed, std::uint64_t draw) const;
    [[nodiscard]] bool draws_from_posterior() const { return !posterior_cumulative_.empty(); }

    /// The inputs `sample_parameters` draws that vary smoothly, in a fixed order: edges with a
    /// non-fixed prior (model order), effect-model parameters neither pinned nor fixed, then the
    /// ramp's years_to_half and the fidelity decay when they are drawn, the after-cut assumptions
    /// when the plan has a cut risk, and the program's average effect when the model declares its
    /// spread. School random effects and the cut year, many numbers each, are `uncertain_groups()`.
    [[nodiscard]] std::vector<uncertain_input> uncertain_inputs() const;
    /// Central parameters with input i of `uncertain_inputs()` set to `values[i]`, transformed and
    /// clamped as `sample_parameters` does. Throws std::invalid_argument when the sizes differ.
    [[nodiscard]] draw_parameters parameters_with(std::span<const double> values) const;
    /// The quantities `uncertain_inputs()` leaves central that are many numbers each, in a fixed order:
    /// the program cut when the plan has a cut risk within the horizon, then the schools' deviations.
    [[nodiscard]] std::vector<uncertain_group> uncertain_groups() const;
    /// As parameters_with, with the numbers of `groups` (some of `uncertain_groups()`) following the
    /// inputs' values in `values`, group by group; a group not given stays central (no cut, every
    /// school at the average). Throws std::invalid_argument when the sizes differ.
    [[nodiscard]] draw_parameters parameters_with(std::span<const double> values,
                                                  std::span<const uncertain_group> groups) const;

    /// Runs scenario and business as usual for one draw. Thread-safe: each thread passes its own result.
    /// With `sustained`, a draw whose program is cut also runs its scenario as if the district never
    /// cut it (the "if the plan is sustained" course) into `*sustained`; returns whether it did.
    /// Business as usual has no program, so it needs no rerun.
    bool run(const draw_parameters& parameters, draw_result& out, run_aggregates* sustained = nullptr) const;
    /// Cells of a tile when a caller names none: with 8 draws a block, a tile of every node stays in a
    /// core's L2 cache.
    static constexpr std::size_t default_tile_cells = 256;
    /// Runs a block of draws at once, as `run` runs each (the same bits for any block and tile size):
    /// every model evaluation covers the block's draws over a tile of `tile_cells` cells (clamped to
    /// 1..sdk::max_tile_cells), and every year of a tile is evaluated and summed before the next tile.
    /// Thread-safe: each thread passes its own draws.
    void run_block(std::span<block_draw> draws, std::size_t tile_cells = default_tile_cells) const;

    [[nodiscard]] const std::vector<reported_subgroup>& subgroups() const { return subgroups_; }
    [[nodiscard]] const std::vector<reported_outcome>& outcomes() const { return outcomes_; }
    /// Position in outcomes() of the outcome summaries lead with (model_graph::headline_outcome over the
    /// reported outcomes); nullopt when the run reports none.
    [[nodiscard]] std::optional<std::size_t> headline_outcome() const;
    [[nodiscard]] std::size_t proficiency_outcomes() const { return proficiency_cuts_.size(); }
    /// Baseline share proficient of a subgroup's members in `year` (default: the final year) for a
    /// proficiency outcome.
    [[nodiscard]] double baseline_proficient(std::size_t subgroup, std::size_t proficiency_index, int year = -1) const;
    /// Baseline level of a subgroup's members in `year` (default: the final year).
    [[nodiscard]] double baseline_level(std::size_t subgroup, std::size_t outcome, int year = -1) const;
    [[nodiscard]] int years() const { return inputs_.spec.years; }
    [[nodiscard]] std::size_t cell_count() const { return inputs_.cells.students.size(); }
    [[nodiscard]] std::size_t evaluated_node_count() const { return evaluated_.size(); }
    [[nodiscard]] const implementation_schedule& schedule() const { return schedule_; }
    [[nodiscard]] const model_graph& graph() const { return inputs_.graph; }
    /// Whether business as usual stays at rest: every node the model evaluates keeps its initial values
    /// when the plan moves nothing (the SDK's at-rest contract), checked under the central parameters
    /// and one drawn set.
    /// Then business as usual is run once and every draw reuses it. Runs it if no run has yet.
    [[nodiscard]] bool business_as_usual_at_rest() const;
    [[nodiscard]] const district_profile& district() const { return inputs_.district; }
    /// The scenario the simulation runs (its plan, horizon, seed and report settings).
    [[nodiscard]] const scenario& spec() const { return inputs_.spec; }

    /// Whether these cells hold every school block; else other holders (ranks) hold the rest, and
    /// runs leave their sums in run_aggregates::block_sums.
    [[nodiscard]] bool holds_every_block() const { return blocks_.exchange == nullptr; }
    /// Blocks of the whole population.
    [[nodiscard]] std::size_t population_blocks() const { return population_blocks_; }
    /// Sums a run keeps per block: [(year * subgroups + g) * (outcomes + proficiency outcomes) + k].
    [[nodiscard]] std::size_t sums_per_block() const;
    /// A run's aggregates from every block's sums, [b * sums_per_block() + i] in block order: each
    /// sum over the blocks in order, plus the trend, over the subgroup's students.
    void finish_from_blocks(std::span<const double> sums, run_aggregates& out) const;
    /// For cells that hold some blocks only: every holder's block sums of `runs` (the same runs, in
    /// the same order, on every holder) meet on the first holder, which finishes each run's means
    /// there (finish_from_blocks). Returns whether this is the first holder; on the others the runs
    /// keep their own block sums only. Every holder must call it alike.
    bool finish_across_holders(std::span<run_aggregates* const> runs) const;
    /// What the publication audit (engine/suppression.hpp) needs of the population: each cell's stratum
    /// (cells of a stratum share every membership in every year), in the input cells' order, and per
    /// stratum its membership of each reported subgroup in `year`.
    [[nodiscard]] const std::vector<std::uint32_t>& stratum_of_cells() const { return stratum_of_cell_; }
    [[nodiscard]] std::vector<std::vector<bool>> stratum_memberships(int year) const;
    [[nodiscard]] std::size_t stratum_count() const { return stratum_begin_.size() - 1; }
    [[nodiscard]] const std::vector<double>& cell_students() const { return inputs_.cells.students; }
    /// How these cells meet the other blocks' holders; null when they hold every block.
    [[nodiscard]] const block_exchange* exchange() const { return blocks_.exchange; }

private:
    struct workspace;
    /// A contiguous run of cells in engine order: [begin, begin + size).
    struct cell_range {
        std::size_t begin = 0;
        std::size_t size = 0;
    };
    void prepare_baselines();
    void prepare_reporting(diagnostics& problems);
    void prepare_parameters(diagnostics& problems);
    void prepare_baseline_levels();
    void link_gap_components(diagnostics& problems);
    void prepare_streams();
    void prepare_engine_order();
    struct cell_keys;
    /// Strata of cells with equal keys, from the keys of the input cells and the engine order.
    void prepare_strata(const cell_keys& keys, const std::vector<std::uint32_t>& order);
    void prepare_trend_totals();
    void prepare_baseline_shares();
    /// sums[s] = the students-weighted sum of `values` (every cell, engine order) over stratum s, for each stratum.
    void stratum_sums(const double* values, double* sums) const;
    void set_central(draw_parameters& p) const;
    static workspace& thread_workspace();
    /// Adds a lane (one run of one draw) to the group `ws` runs next, with its plan.
    void add_lane(workspace& ws, const draw_parameters& parameters, bool business_as_usual, std::optional<int> cut_year,
                  run_aggregates& out, std::size_t draw) const;
    /// Runs every lane of `ws` over `range`, tile by tile, and writes their aggregates.
    void run_lanes(bool business_as_usual, const cell_range& range, std::size_t tile, workspace& ws) const;
    void run_tile(const cell_range& tile, bool business_as_usual, workspace& ws) const;
    /// The plan's levels of this year in the scenario's lanes, and the implementation and foundations they make.
    void set_driven_nodes(int year, const cell_range& tile, workspace& ws) const;
    /// One lane's exposure and ramp of the tile's cells' schools this year, from its plan.
    void ramp_of_cells(int year, std::size_t n, const implementation_schedule::result& plan, std::size_t lane,
                       workspace& ws) const;
    /// Lane `lane`'s level of plan-moved driven node `k` over the tile this year, written to its row
    /// and, unless `total` is null, added to `total`.
    void plan_level(int year, std::size_t k, std::size_t n, const implementation_schedule::result& plan,
                    std::size_t lane, double* total, workspace& ws) const;
    void evaluate_year(int year, const cell_range& tile, bool business_as_usual, workspace& ws) const;
    void compose_primary_driver(double* out, std::size_t n, workspace& ws) const;
    /// An achievement node's last-year rows as the effect model receives them: faded by the lane's gain
    /// persistence in the lanes whose program has been cut by `year`, as they were in the others.
    [[nodiscard]] sdk::block_values faded_after_cut(int year, const sdk::block_values& previous, const double* initial,
                                                    std::size_t n, workspace& ws) const;
    /// The cut year and the after-cut assumptions of draw `draw` into `p`.
    void sample_program_cut(std::uint64_t seed, std::uint64_t draw, draw_parameters& p) const;
    /// The calendar years in which the program may be cut: [first, end).
    struct years_at_risk {
        int first = 0;
        int end = 0;
    };
    [[nodiscard]] years_at_risk cut_risk_years() const;
    void sample_prior(std::uint64_t seed, std::uint64_t draw, draw_parameters& p) const;
    /// `inputs`, or std::invalid_argument when its scenario's horizon has no year.
    static const simulation_inputs& checked_horizon(const simulation_inputs& inputs);
    /// Per-stratum sums of quantity `quantity` (an outcome's level, then each share proficient) at the
    /// baseline, when lane `lane`'s row of it over `tile` this year is the baseline's; else null.
    [[nodiscard]] const double* baseline_sums_if_unmoved(std::size_t quantity, std::size_t lane, int year,
                                                         const cell_range& tile, const workspace& ws) const;
    /// Whether a node keeps its initial values in every lane and year of a run: a node nothing
    /// rewrites, a plan-driven node in business as usual (every school stays at its start) or a
    /// condition (its target is its start), and in business as usual a primary driver whose members
    /// all stay initial and whose mean of them is its initial value. Such a node is read from the
    /// initial values, shared by every lane, and never written.
    [[nodiscard]] bool stays_initial(std::size_t node, bool business_as_usual) const {
        return (business_as_usual ? constant_in_bau_ : constant_in_scenario_)[node] != 0;
    }
    /// Lane `lane`'s values of `node` this year over `tile`.
    [[nodiscard]] const double* this_year(std::size_t node, std::size_t lane, const cell_range& tile,
                                          bool business_as_usual, const workspace& ws) const;
    void prepare_constant_nodes();
    void prepare_baseline_foundations();
    void compute_shares(int year, const cell_range& tile, workspace& ws) const;
    /// Adds the tile's cells to the stratum sums of every lane (fixed order: dot()'s, whatever the tile).
    void accumulate_strata(int year, const cell_range& tile, workspace& ws) const;
    /// Subgroup means of every lane from its stratum sums.
    void finish_lanes(bool business_as_usual, workspace& ws) const;

    simulation_inputs inputs_;
    implementation_schedule schedule_;
    std::vector<std::size_t> evaluated_;  ///< nodes in topological order that are computed
    std::vector<char> driven_;            ///< per node: set by the plan (schedule_.driven_nodes())
    std::vector<std::vector<std::pair<std::size_t, std::size_t>>> parent_edges_;  ///< per evaluated: (edge, parent)
    /// A parent seen through a per-cell factor on its change: the school's dose multiplier (PL
    /// practice), a grade-band mask (edges that act at some ages only), or both.
    struct parent_view {
        std::size_t node = 0;
        bool dose = false;
        std::vector<double> grade_mask;  ///< per cell 0/1 (engine order); empty = every grade band
    };
    std::vector<parent_view> parent_views_;
    std::vector<std::vector<std::optional<std::size_t>>> parent_view_slot_;  ///< per evaluated, per parent
    void prepare_parent_views();
    [[nodiscard]] reported_subgroup select_reported(const subgroup& group) const;
    [[nodiscard]] int year_or_final(int year) const;

    // School blocks (engine/school_blocks.hpp). The input cells come school by school, so each block's
    // cells are a contiguous range of them.
    school_blocks blocks_;
    std::size_t population_blocks_ = 1;
    std::vector<std::size_t> block_cell_begin_;  ///< per block held, and one past the last: its first input cell
    std::vector<std::uint32_t> stratum_block_;   ///< per stratum: the block (among those held) of its cells
    double population_students_ = 0.0;           ///< every holder's
    void prepare_blocks();
    [[nodiscard]] std::size_t block_of_cell(std::size_t cell) const {
        return inputs_.cells.school[cell] / blocks_.schools_per_block - blocks_.first;
    }
    /// Per-block partial sums of the blocks held, [b * per_block + i], summed over every block of the
    /// population in block order (with the other holders' blocks when there are other holders).
    [[nodiscard]] std::vector<double> over_blocks(std::span<const double> partials, std::size_t per_block) const;
    /// Whether `mine` holds on every holder.
    [[nodiscard]] bool on_every_holder(bool mine) const;
    /// The students-weighted sum of `values` (per input cell) over the population, block by block.
    [[nodiscard]] double population_sum(std::span<const double> values) const;
    /// The same over the population's students (0 when it has none).
    [[nodiscard]] double population_mean(std::span<const double> values) const;
    /// The cut score (SD) at which a share `proficient` of the population's students, in cells with
    /// means `levels` (per input cell) and within-cell SD `sd`, score above it.
    [[nodiscard]] double solve_cut_score(std::span<const double> levels, double sd, double proficient) const;
    void prepare_head_counts();
    std::vector<std::uint32_t> stratum_of_cell_;  ///< per input cell: its stratum
    /// Baseline shares proficient, [(year * subgroups + g) * proficiency outcomes + p].
    std::vector<double> baseline_proficient_;
    void prepare_baseline_proficient();
    void fill_parent_view(std::size_t slot, int year, const cell_range& tile, workspace& ws) const;
    /// [initial_row_[node] * cells + position]: baseline of every node that has a row, engine order.
    std::vector<double> initial_values_;
    static constexpr std::size_t no_row = static_cast<std::size_t>(-1);
    std::vector<std::size_t>
        initial_row_;  ///< per node: its row of initial_values_, or no_row (see prepare_initial_rows)
    std::vector<std::size_t> driven_index_;  ///< per node: its index among the driven nodes, or no_row
    std::size_t stored_initial_rows_ = 0;
    void prepare_initial_rows();
    /// A node's initial value in an input cell (before the engine order is taken).
    [[nodiscard]] double start_value(std::size_t node, std::size_t cell) const;
    /// The initial values of a node that has a row, engine order; throws std::logic_error for one without.
    [[nodiscard]] const double* stored_initial(std::size_t node) const;
    /// A node's initial values over `tile`, from its row or from the tile's start levels.
    [[nodiscard]] const double* initial_of(std::size_t node, const cell_range& tile, const workspace& ws) const;
    void fill_tile_starts(const cell_range& tile, bool business_as_usual, workspace& ws) const;
    std::vector<double> baseline_achievement_;  ///< per cell, engine order
    /// A fixed cut score (SD) and the within-cell SD that turn cell means into shares proficient.
    struct proficiency_scale {
        std::size_t node = 0;
        double cut = 0.0;
        double within_cell_sd = 1.0;
    };
    std::vector<proficiency_scale> proficiency_cuts_;
    std::vector<double> baseline_implementation_;  ///< per cell, engine order
    /// Per cell, engine order: the mean foundational-practice level at the start (3 when the model has
    /// none), which is every lane's `foundations` in business as usual.
    std::vector<double> baseline_foundations_;
    std::vector<char> constant_in_bau_;       ///< per node: see stays_initial
    std::vector<char> constant_in_scenario_;  ///< per node: see stays_initial
    std::vector<reported_subgroup> subgroups_;
    std::vector<reported_outcome> outcomes_;
    std::vector<double> pinned_parameters_;  ///< NaN where the parameter is uncertain
    std::vector<double> baseline_levels_;    ///< [(year * subgroups + subgroup) * outcomes + outcome]
    /// Business-as-usual secular trend (SD per year) per cell for each proficiency scale (engine
    /// order); empty where the profile gives none. Added to both runs, so never an effect.
    std::vector<std::vector<double>> proficiency_trends_;
    /// The trend's share of each subgroup mean: [(year * subgroups + g) * outcomes + o], students x
    /// trend x years summed over the members (the same in every draw, so summed once).
    std::vector<double> trend_totals_;
    [[nodiscard]] std::vector<double> trend_per_cell(std::size_t node) const;

    // Engine order of the cells. The per-cell arrays above (initial values, baseline achievement and
    // implementation, grade masks, trends) are permuted into it after they are built: cells whose
    // school the plan never reaches come first, then the reached ones, so the scenario run can
    // evaluate the reached cells alone as one contiguous range; within each part, cells that belong
    // to the same reported subgroups in every year (a stratum) are adjacent, so a subgroup mean is a
    // sum of a few contiguous per-stratum sums.
    struct ordered_cells {
        std::vector<std::uint8_t> race, ell, frl, sped, grade_band;
        std::vector<double> students;
        std::vector<std::uint32_t> school;
    };
    ordered_cells ordered_;
    cell_range all_cells_;
    cell_range reached_cells_;                ///< cells of schools a wave reaches within the horizon
    std::vector<std::size_t> stratum_begin_;  ///< per stratum, and one past the last: first position
    std::size_t first_reached_stratum_ = 0;
    /// Business as usual run once, under the central parameters, with its stratum sums
    /// [(year * strata + s) * sums_per_stratum + k]; used for every draw when `at_rest`.
    struct resting_run {
        bool at_rest = false;
        run_aggregates aggregates;
        std::vector<double> sums;
    };
    mutable std::once_flag resting_once_;
    mutable resting_run resting_;
    /// Runs business as usual under the central parameters and one drawn set, and records whether both
    /// stayed at rest (the central run is the one reused).
    void prepare_resting_run() const;
    /// Every draw's business as usual from the resting run: its aggregates and, by draw, its stratum sums.
    void reuse_resting_run(std::span<block_draw> draws, workspace& ws) const;
    /// Whether any node the model evaluated this year left its initial values in any lane of the tile.
    [[nodiscard]] bool moved_at_rest(const cell_range& tile, const workspace& ws) const;
    std::vector<std::vector<std::uint32_t>> group_strata_;  ///< [year * subgroups + g]: its strata
    /// Shares proficient at the baseline level plus the trend: [(baseline_share_row_[p] + year) * cells +
    /// position], one row only (year 0) for a scale without a trend.
    /// A cell whose value is still its baseline reads its share here instead of evaluating the CDF.
    std::vector<double> baseline_shares_;
    std::vector<std::size_t> baseline_share_row_;  ///< per proficiency scale: its first row (one a year with a trend)
    /// Per-stratum sums (dot(), as a run sums a whole stratum) of the baseline values: [outcome * strata +
    /// stratum] of each outcome's initial values, [share row * strata + stratum] of baseline_shares_.
    /// A lane whose row over a tile is still the baseline takes its strata's sums from here.
    std::vector<double> baseline_level_sums_;
    std::vector<double> baseline_share_sums_;
    [[nodiscard]] std::size_t sums_per_stratum() const { return outcomes_.size() + proficiency_cuts_.size(); }

    // Random stream of every drawn quantity, hashed once rather than per draw.
    std::vector<std::uint64_t> edge_streams_;
    std::vector<std::uint64_t> parameter_streams_;
    std::vector<std::uint64_t> school_streams_;
    std::uint64_t posterior_seed_ = 0;
    std::vector<double> posterior_cumulative_;  ///< running sums of the posterior's weights; empty: the prior
};

}  // namespace pathways
