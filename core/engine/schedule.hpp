#pragma once
/// \file
/// The implementation plan turned into levels: which schools run PL from when, and how far each
/// practice and driver has ramped in every school in every year of one draw.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/scenario_types.hpp"
#include "graph/model_graph.hpp"
#include "population/school.hpp"

namespace pathways {

/// The uncertain implementation quantities of one draw (central values in a deterministic run).
struct implementation_draw {
    double years_to_half = 2.0;
    double years_to_90 = 3.5;
    double decay_per_doubling = 0.85;
    std::optional<int> cut_year;           ///< calendar year the district cuts the program, if it does
    std::span<const double> edge_weights;  ///< this draw's weight of every model edge
    double practices_years_to_half = 1.5;  ///< after a cut, years for practices to fall half way back to the start
};

/// Levels of the plan-driven nodes (conditions, foundational practices, secondary drivers).
class implementation_schedule {
public:
    /// Resolves waves to schools and starting/target levels; problems go to `problems`.
    implementation_schedule(const model_graph& graph, const district_profile& district,
                            const std::vector<school>& schools, const scenario& sc, diagnostics& problems);

    /// Plan-driven nodes, in the order used by `levels`.
    [[nodiscard]] const std::vector<std::size_t>& driven_nodes() const { return driven_nodes_; }
    [[nodiscard]] int years() const { return years_; }
    [[nodiscard]] std::size_t school_count() const { return wave_of_school_.size(); }
    /// Wave index per school, -1 for schools outside the plan.
    [[nodiscard]] const std::vector<int>& wave_of_school() const { return wave_of_school_; }
    [[nodiscard]] double protected_years() const { return protected_years_; }
    /// Per school: whether a wave has reached it by year `year_index` (0 = first projected year),
    /// whatever a draw's program cut does afterwards.
    [[nodiscard]] std::vector<bool> reached_by(int year_index) const;
    /// Starting level of driven node `k` in `school` (its business-as-usual level every year).
    [[nodiscard]] double start_level(std::size_t school, std::size_t k) const {
        return start_levels_[school * driven_nodes_.size() + k];
    }

    /// Target level of driven node `k` in `school`: its start, or the target of the wave that reaches it.
    [[nodiscard]] double target_level(std::size_t school, std::size_t k) const {
        return target_levels_[school * driven_nodes_.size() + k];
    }
    /// Schools some wave reaches (within the horizon or later), in school order: the only schools whose
    /// levels a plan moves. `planned_index(school)` is a school's position among them, or
    /// `planned_schools().size()` for a school no wave reaches.
    [[nodiscard]] const std::vector<std::uint32_t>& planned_schools() const { return planned_schools_; }
    [[nodiscard]] std::uint32_t planned_index(std::size_t school) const { return planned_index_[school]; }

    /// Output of `compute`: how far each planned school has ramped in every year of one draw, a few
    /// numbers per school and year rather than a level per driven node, so that a national plan of
    /// 50,000 schools costs megabytes, not hundreds of them, per draw. Rows are
    /// [year * (planned + 1) + p]; the last slot of each year is a school no wave reaches (zeros).
    /// Business as usual leaves the rows empty: every school stays at its start.
    struct result {
        std::vector<double> pl_schools;           ///< [year] schools running PL
        std::vector<double> ceiling;              ///< [year] share of its target a school can reach, given the scale
        std::vector<double> exposure;             ///< years the school has run PL, 0 when it does not this year
        std::vector<double> foundation_progress;  ///< how far its foundational practices have ramped (0..1)
        std::vector<double> driver_progress;      ///< how far its drivers have ramped (0..1)
        /// (driven index, factor) in model order: community involvement caps the practices that depend on
        /// families and partners, keeping `factor` of their change.
        std::vector<std::pair<std::size_t, double>> community;
        /// Scratch of `compute`, kept here so a reused result allocates nothing per draw.
        std::vector<double> foundation_years, driver_years, gate_weights, school_levels;

        [[nodiscard]] std::size_t row(int year, std::size_t planned_slot, std::size_t planned_count) const {
            return static_cast<std::size_t>(year) * (planned_count + 1) + planned_slot;
        }
    };

    /// Ramps every planned school through every year of one draw. With `business_as_usual` every
    /// school stays at its start.
    void compute(const implementation_draw& draw, bool business_as_usual, result& out) const;
    /// Level of driven node `k` in `school` in `year` under a computed plan: the start plus the ramped
    /// share of the way to the target, capped by the scale ceiling and community involvement.
    [[nodiscard]] double level(const result& plan, int year, std::size_t school, std::size_t k) const;
    /// Whether driven node `k` is a foundational practice (it ramps at the foundation pace).
    [[nodiscard]] bool ramps_as_foundation(std::size_t k) const;

private:
    /// Ramp speed of a school in a fully misaligned district (both alignment conditions 0): the mean
    /// weight of the alignment moderator edges this draw, 1 when the model has none.
    double misaligned_floor(std::span<const double> edge_weights) const;
    /// Weight of each driven node in the foundation gate: the sum of its moderator edges into the
    /// drivers this draw (nonzero only for foundational practices).
    void foundation_weights(std::span<const double> edge_weights, std::vector<double>& weights) const;
    double speed_multiplier(std::size_t school, double misaligned_floor, std::span<const double> edge_weights) const;
    /// The school's levels with its drivers at `progress_driver` and practices at `progress_foundation`.
    void ramp_school(std::size_t school, double progress_driver, double progress_foundation, double ceiling,
                     std::span<const std::pair<std::size_t, double>> community, std::span<double> levels) const;
    /// Advances every planned school running PL in `year` by one year of ramp (out.exposure and
    /// out.ceiling of the year already set); after a cut, lets the practices of the schools that ran PL
    /// fall back towards their start instead.
    void ramp_year(const implementation_draw& draw, int year, bool cut, double misaligned_floor, result& out) const;
    double foundation_gate(std::span<const double> school_levels, std::span<const double> weights) const;

    const model_graph& graph_;
    int start_year_ = 0;
    int years_ = 0;
    std::vector<std::size_t> driven_nodes_;
    std::vector<std::uint8_t> driven_kind_;  ///< node_kind of each driven node
    std::vector<double> start_levels_;       ///< [school * driven + k]
    std::vector<double> target_levels_;      ///< [school * driven + k]
    std::vector<int> wave_of_school_;
    std::vector<std::uint32_t> planned_schools_;
    std::vector<std::uint32_t> planned_index_;  ///< per school
    std::vector<int> wave_start_;
    std::vector<double> value_feasibility_gap_;  ///< per school, SD
    double alignment_ = 0.5;                     ///< mean of the two alignment conditions
    double protected_years_ = 3.0;
    double fidelity_reference_ = 6.0;
    bool ramp_instant_ = false;
    std::vector<std::pair<std::size_t, std::size_t>> community_edges_;  ///< (edge, driven index)
    double community_involvement_ = 0.5;
    std::vector<std::size_t> gap_edges_;        ///< value–feasibility gap moderator edges
    std::vector<std::size_t> alignment_edges_;  ///< accountability and central-office moderator edges
    std::vector<std::pair<std::size_t, std::size_t>> foundation_edges_;  ///< (edge, driven index of the practice)
};

/// Resolves `rules` for a node: the most specific matching pattern wins (exact id, then
/// `<group>.*`, then `*`); nullopt when none matches.
std::optional<double> resolve_level(const std::vector<level_rule>& rules, const model_node& node);

/// True when `pattern` (a target key) names at least one node of the model.
bool pattern_matches_any(const model_graph& graph, std::string_view pattern);

/// A condition's name in scenario and profile files: its id after the first dot
/// ("program.tutor_recruitment" → "tutor_recruitment").
std::string condition_key(const model_node& node);

/// Whether scenario and profile files may set the condition: not a descriptive one, and not one read
/// per school from the schools CSV (roles academic_optimism and value_feasibility_gap).
bool is_settable_condition(const model_node& node);

}  // namespace pathways
