#pragma once
/// \file
/// Scenario, district profile and implementation plan as plain data: what the readers
/// produce and the engine consumes, independent of the JSON library.

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/model.hpp"
#include "common/national_marginals.hpp"

namespace pathways {

/// Where each value of a file was (JSON pointer → line and column), for checks made after
/// reading, so that they still report `file:line:col`.
struct position_index {
    std::string file;
    std::map<std::string, std::pair<std::size_t, std::size_t>, std::less<>> positions;

    /// The location of `pointer`, or of its nearest ancestor that has one.
    [[nodiscard]] source_location at(std::string_view pointer) const;
    /// Reports `message` at `pointer` into `out`.
    void error(diagnostics& out, std::string_view pointer, std::string message) const;
};

/// A number shipped as a default, with where it comes from (evidence tags S, S2, R, A).
struct sourced_value {
    double value = 0.0;
    std::string source;
    std::string evidence;
};

/// `pattern` is `*`, `<primary>.*`, `foundational.*` or an exact node id.
struct level_rule {
    std::string pattern;
    double level = 0.0;
    source_location where;
    /// Between-school SD of a district's starting level (0: every school starts at `level`);
    /// always 0 in wave targets.
    double between_school_sd = 0.0;
};

/// How schools' starting levels spread around the district's (see school_starting_levels).
struct level_spread_settings {
    std::uint64_t seed = 0;    ///< the spread depends on this seed and the schools' order only
    double correlation = 0.0;  ///< between a school's levels on different patterns, 0..1
    std::string source;
    std::string evidence;
};

/// District-level associations that seed iterative proportional fitting.
struct seed_associations {
    std::array<std::array<double, 3>, 7> ell_given_race{};  ///< [race][non_ell, ell, exited]
    std::array<double, 7> frl_odds{};
    std::array<double, 7> sped_odds{};
};

/// Baseline of one outcome node: additive subgroup offsets (SD), re-centred on the district.
struct outcome_baseline {
    std::string node;
    std::optional<double> proficient;                     ///< district share proficient at baseline (academic outcomes)
    std::vector<std::pair<std::string, double>> offsets;  ///< subgroup term ("race:black") → SD
    std::string source;
    std::string evidence;
};

/// Business-as-usual secular trend of one outcome: the change per year (SD) of every student in
/// a subgroup, whether or not the school runs PL.
struct outcome_trend {
    std::string node;                                      ///< outcome node id
    std::vector<std::pair<std::string, double>> per_year;  ///< (subgroup term, SD per year), in file order
    std::string source;
    std::string evidence;
};

/// What one unit of an ingredient is counted per: a school the plan reaches, each of its students or
/// teachers, or the district (once while any school runs the program: a central PL office).
enum class cost_basis : std::uint8_t { school, student, teacher, district };

/// "school", "student", "teacher" or "district", as files spell it.
std::string_view cost_basis_name(cost_basis basis);

/// What an ingredient's quantity follows beyond its basis: nothing, how far the plan moves a school's
/// practices (mean levels climbed from its start to the wave's targets: all practices and drivers, the
/// foundational practices only, or the drivers only), or how far the plan raises a district condition
/// above the district's own value (alignment and community work).
enum class cost_scaling : std::uint8_t { none, practice_change, foundation_change, driver_change, condition_change };

/// One ingredient of the program (Levin & McEwan's ingredients method): per school, student, teacher
/// or the district, a one-time amount in the first program year and/or a recurring amount every year
/// the program runs (none after a program cut); given as amounts, or as quantities of `quantity_unit`
/// at `price` each. With a scaling, the amounts are for a change of `reference` and scale in proportion.
struct cost_item {
    std::string name;
    double one_time = 0.0;  ///< amount per basis unit (quantity × price when priced)
    double per_year = 0.0;
    cost_basis basis = cost_basis::school;
    /// Priced ingredients: `one_time` and `per_year` are `one_time_quantity` and `per_year_quantity`
    /// units at `price`; 0: given as amounts.
    double price = 0.0;
    double one_time_quantity = 0.0;
    double per_year_quantity = 0.0;
    std::string quantity_unit;  ///< e.g. "teacher-day", "FTE"
    cost_scaling scales_with = cost_scaling::none;
    std::string condition;   ///< condition_change: the condition's name
    double reference = 1.0;  ///< the change the amounts are for (levels, or condition points)
    /// 90% of draws lie within [amount / factor, amount × factor] (lognormal, median the amount); 1: certain.
    double uncertainty_factor = 1.0;
    std::string source;
    std::string evidence;
};

/// What a district pays for the program, in one currency and price year, discounted to the plan's first
/// year at `discount_rate` a year.
struct cost_settings {
    std::string currency;  ///< empty: the profile gives no costs
    int price_year = 0;
    std::vector<cost_item> items;
    sourced_value discount_rate{};                        ///< 0: no discounting
    std::optional<sourced_value> students_per_teacher{};  ///< needed by items per teacher
};

struct district_profile {
    std::string id;
    std::string name;
    std::string file;
    std::filesystem::path schools_csv;  ///< empty when the schools are synthesized
    /// Schools synthesized from national marginals instead of read from a CSV (a profile has one or the other).
    std::optional<national_marginals> synthesized_schools;
    std::uint64_t synthesis_seed = 0;
    sourced_value enrollment;
    seed_associations seed;
    std::vector<outcome_baseline> baselines;
    std::vector<level_rule> starting_levels;
    level_spread_settings level_spread;
    std::map<std::string, sourced_value> conditions;  ///< condition name (node id after the first dot) → value
    std::vector<outcome_trend> trends;                ///< empty: no secular trend
    cost_settings costs;
    position_index where;
};

/// Which schools a wave takes: by id, by tag, or a (seeded) sample by level and SPF colour.
struct school_selector {
    std::vector<std::string> ids;
    std::string tag;
    std::vector<std::string> levels;
    std::vector<std::string> spf;
    std::optional<std::int64_t> count;
    std::uint64_t seed = 0;
};

/// A wave that starts only if what earlier waves achieved, as a district would measure it, passes a
/// threshold: per draw, the projected `metric` effect of `outcome` for `subgroup` (students of the schools
/// earlier waves reached) in `year`, plus measurement noise of `measurement_se`, must be at least `at_least`.
struct stage_gate {
    std::string outcome;
    std::string subgroup = "pl:yes";
    int year = 0;
    double at_least = 0.0;
    /// The standard error of the district's estimate; unset: from the pilot's students and schools
    /// with a design effect (engine/stage_gate.hpp).
    std::optional<double> measurement_se{};
    source_location where;
};

struct wave {
    std::string name;
    int start_year = 0;
    school_selector schools;
    std::vector<level_rule> targets;
    source_location where;
    /// A goals file (the ratings file's shape): each school's own targets, which win over `targets` for
    /// the practices and drivers it names. Empty: none.
    std::filesystem::path goals{};
    /// The goals read from it: school id -> one rule per node id (the school's latest goal for it).
    std::map<std::string, std::vector<level_rule>> school_targets{};
    std::optional<stage_gate> gate{};  ///< none: the wave starts in its year whatever happened before
};

/// The soonest a drawn ramp reaches half way (years): draws below it are held there.
inline constexpr double minimum_years_to_half = 0.5;

struct ramp_settings {
    bool instant = false;
    double years_to_half = 2.0;  ///< logistic, 50% at year 2 (Fixsen et al. 2005, NIRN)
    double years_to_90 = 3.5;    ///< 90% at year 3.5 (Fixsen et al. 2005, NIRN)
    /// A prior of years_to_half itself, from a parameter file's `implementation:years_to_half` (the
    /// posterior `pathways calibrate --observed` writes); unset: years_to_half plus a drawn shift.
    std::optional<prior> years_to_half_prior{};
};

struct fidelity_settings {
    double decay_per_doubling = 0.85;  ///< each doubling of PL schools × 0.85 (Cheung & Slavin 2016; assumed)
    double reference_schools = 6.0;    ///< the six 2015 Denver pilot schools (Early Impact Report)
    /// A prior of the decay, from a parameter file's `implementation:decay_per_doubling`; unset: a
    /// truncated normal about decay_per_doubling.
    std::optional<prior> decay_prior{};
};

struct program_cut_settings {
    double annual_probability = 0.0;        ///< 0.10–0.20 is plausible without institutional patience (assumed)
    std::optional<double> protected_years;  ///< default: the district's institutional patience
    /// After a cut, practices fall back half way to their starting levels in this many years: no study
    /// measures de-implementation; "half way within 1 to 2 years" is an assumption (tag A).
    double practices_years_to_half = 1.5;
    /// Share of an achievement gain kept a year after the program stops: about one fifth, and above one
    /// third ruled out, for teacher-induced gains (Jacob, Lefgren & Sims 2010, tag S).
    double gain_persistence = 0.2;
    /// Priors of the two, from a parameter file's `implementation:practices_years_to_half` and
    /// `implementation:gain_persistence`; unset: truncated normals about the values above.
    std::optional<prior> practices_years_to_half_prior{};
    std::optional<prior> gain_persistence_prior{};
};

/// The longest program runway in years (the condition with role program_runway, and protected_years);
/// every other condition lies in 0 to 1.
inline constexpr double max_runway_years = 50.0;

struct implementation_plan {
    std::map<std::string, double> conditions;  ///< overrides of the district's conditions, by condition name
    ramp_settings ramp;
    fidelity_settings fidelity;
    program_cut_settings program_cut;
    /// A prior of the draw's factor on every school's dose (the program's average effect), from a
    /// parameter file's `effect:average`; unset: normal with mean 1 and the model's `average_effect` SD.
    std::optional<prior> average_effect_prior{};
    std::vector<wave> waves;
    /// A ratings file: each school starts at its latest rating up to the scenario's first year, on every
    /// practice and driver it was rated on. Empty: none.
    std::filesystem::path ratings;
    /// Cost items of this plan: each replaces the district's item of the same name or adds one. Its
    /// currency and price year, when given, must be the district's (needed when the district has none).
    cost_settings costs;
};

/// Files may not set a suppression threshold below this: a smaller one can only come from the command
/// line, and outputs made with it say they are not for public release.
inline constexpr std::int64_t publication_floor_min_n = 10;

struct report_settings {
    std::vector<std::string> subgroups{"all"};
    std::vector<std::string> outcomes;  ///< empty: every student and academic outcome
    std::int64_t min_n = 16;            ///< groups with fewer students are withheld (README "Privacy")
    std::vector<std::pair<std::string, std::string>> reference_groups;  ///< focal → reference
};

/// What a variant of a scenario stands for. A plan is something the district chooses (schools, waves,
/// targets, supports, a commitment such as protecting the program); an assumption is how the world
/// might be (effect sizes, pace) with the base scenario's plan. Decisions rank plans against one
/// another and show assumptions as "if ..." rows beside the plan they change.
enum class variant_kind : std::uint8_t { plan, assumption };

/// "plan" or "assumption", as scenario files spell it.
std::string_view variant_kind_name(variant_kind kind);

/// One variant as the scenario file declares it (the base scenario is the plan "base").
struct variant_info {
    std::string name;
    variant_kind kind = variant_kind::plan;
    /// One line a board member reads beside the name; empty when the file gives none.
    std::string description;
    bool labelled = false;  ///< whether the file says its kind (an unlabelled variant counts as a plan)
};

/// One runnable scenario: the base file with at most one variant merged in.
struct scenario {
    std::string file;
    std::string name;
    std::string description;
    std::string variant = "base";
    std::string model_ref;                ///< embedded model id, or the path as written
    std::filesystem::path model_path;     ///< resolved path; empty for the embedded model
    std::filesystem::path district_path;  ///< resolved path
    int start_year = 0;
    int years = 0;
    std::string effect_model;
    std::vector<std::pair<std::string, double>> parameters;  ///< pinned effect-model parameters
    std::map<std::string, source_location> parameter_locations;
    std::int64_t draws = 0;
    std::uint64_t seed = 0;
    implementation_plan plan;
    report_settings report;
    std::vector<std::string> variant_names;  ///< every variant the file declares
    /// What every variant the file declares stands for, in the order of `variant_names`.
    std::vector<variant_info> variants;
    /// The variant this scenario runs ("base": the plan as written).
    [[nodiscard]] variant_info variant_of(std::string_view name) const;
    position_index where;
};

}  // namespace pathways
