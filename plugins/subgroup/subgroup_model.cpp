// The `subgroup` effect model: the same dose moves different students by different amounts. A
// per-cell multiplier (race x language status x FRL x SPED x low starter) scales PL's effect.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "pathways/sdk/effect_model.hpp"
#include "support/plugin_support.hpp"

namespace {

namespace sdk = pathways::sdk;
using pathways::plugins::parameter_slot;

constexpr std::string_view on_par_source =
    "In Denver's pilot, ELL, FRL, SPED and Hispanic PL students did on par or better (Denver Public Schools "
    "2017, Early Impact Report; qualitative); the multiplier 1.0-1.1 is an assumption";
constexpr std::string_view no_evidence_source =
    "No personalized-learning study reports a different response for this group; 1 (no difference) is an "
    "assumption";

constexpr sdk::parameter_spec race_spec(std::string_view name) {
    return {.name = name,
            .type = sdk::parameter_type::real,
            .unit = "ratio",
            .default_value = 1.0,
            .min = 0.0,
            .max = 2.0,
            .uncertainty = {.kind = sdk::prior_kind::fixed, .a = 1.0},
            .description = "multiplier on PL's effect for students of this race/ethnicity",
            .source = no_evidence_source,
            .evidence = "A"};
}

// A multiplier of a group that the DPS pilot found on par or better: default `value`, 0.8..1.3.
constexpr sdk::parameter_spec on_par_spec(std::string_view name, double value, std::string_view description) {
    return {
        .name = name,
        .type = sdk::parameter_type::real,
        .unit = "ratio",
        .default_value = value,
        .min = 0.8,
        .max = 1.3,
        .uncertainty = {.kind = sdk::prior_kind::truncated_normal, .a = value, .b = 0.1, .lower = 0.8, .upper = 1.3},
        .description = description,
        .source = on_par_source,
        .evidence = "A"};
}

// Race multipliers are declared in pathways::sdk::race order.
constexpr std::array<sdk::parameter_spec, 14> parameters{{
    on_par_spec("multiplier.race.hispanic", 1.05, "multiplier on PL's effect for Hispanic/Latino students"),
    {.name = "multiplier.race.black",
     .type = sdk::parameter_type::real,
     .unit = "ratio",
     .default_value = 0.1,
     .min = -1.0,
     .max = 1.5,
     .uncertainty = {.kind = sdk::prior_kind::truncated_normal, .a = 0.1, .b = 0.5, .lower = -1.0, .upper = 1.0},
     .description = "multiplier on PL's effect for Black/African American students; its prior puts 43% of draws "
                    "below 0 (PL harms Black students there)",
     .source = "In Denver's pilot, Black students in PL classrooms underperformed their peers in non-PL classrooms "
               "and the district (Denver Public Schools 2017, Early Impact Report; descriptive, six schools that chose "
               "PL); Black students' gains were below the national average in Teach to One (Ready 2014, Teach to One: "
               "Math); low starters gained more (Pane et al. 2017, Informing Progress). A multiplier centred at 0.1, "
               "below 0 in 43% of draws, is an assumption informed by those findings",
     .evidence = "A"},
    race_spec("multiplier.race.white"),
    race_spec("multiplier.race.asian"),
    race_spec("multiplier.race.multiracial"),
    race_spec("multiplier.race.american_indian"),
    race_spec("multiplier.race.pacific_islander"),
    on_par_spec("multiplier.ell", 1.05, "multiplier on PL's effect for English language learners"),
    on_par_spec("multiplier.exited_ell", 1.0, "multiplier on PL's effect for students who exited ELL services"),
    on_par_spec("multiplier.frl", 1.0, "multiplier on PL's effect for students eligible for free/reduced-price lunch"),
    on_par_spec("multiplier.sped", 1.0, "multiplier on PL's effect for students with an IEP"),
    {.name = "multiplier.low_starter",
     .type = sdk::parameter_type::real,
     .unit = "ratio",
     .default_value = 1.3,
     .min = 1.0,
     .max = 1.6,
     .uncertainty = {.kind = sdk::prior_kind::truncated_normal, .a = 1.3, .b = 0.15, .lower = 1.0, .upper = 1.6},
     .description = "extra multiplier for cells whose baseline achievement is below low_starter_cutoff",
     .source = "Low starters gained more, especially in math (Pane et al. 2015, Continued Progress; Pane et al. "
               "2017, Informing Progress; qualitative); 1.3 (1.0-1.6) is an assumption",
     .evidence = "A"},
    {.name = "low_starter_cutoff",
     .type = sdk::parameter_type::real,
     .unit = "SD",
     .default_value = -0.674,
     .min = -3.0,
     .max = 3.0,
     .uncertainty = {.kind = sdk::prior_kind::fixed, .a = -0.674},
     .description = "baseline achievement below which a cell counts as low starters",
     .source = "Bottom quartile of prior achievement: Phi^-1(0.25) = -0.674 SD under the normal model (a "
               "standard conversion; the choice of quartile is an assumption)",
     .evidence = "A"},
    pathways::plugins::practice_scale_spec(1.062),
}};

constexpr std::size_t race_slot = parameter_slot(parameters, "multiplier.race.hispanic");
static_assert(parameter_slot(parameters, "multiplier.race.black") == race_slot + 1);
static_assert(parameter_slot(parameters, "multiplier.race.pacific_islander") == race_slot + sdk::race_count - 1);
constexpr std::size_t ell_slot = parameter_slot(parameters, "multiplier.ell");
constexpr std::size_t exited_ell_slot = parameter_slot(parameters, "multiplier.exited_ell");
constexpr std::size_t frl_slot = parameter_slot(parameters, "multiplier.frl");
constexpr std::size_t sped_slot = parameter_slot(parameters, "multiplier.sped");
constexpr std::size_t low_starter_slot = parameter_slot(parameters, "multiplier.low_starter");
constexpr std::size_t cutoff_slot = parameter_slot(parameters, "low_starter_cutoff");
constexpr std::size_t practice_scale_slot = parameter_slot(parameters, "practice_scale");

// This draw's multipliers, laid out so each cell looks its factors up by code.
struct multipliers {
    std::array<double, sdk::race_count> race{};
    std::array<double, sdk::ell_status_count> ell{};
    std::array<double, 2> frl{};
    std::array<double, 2> sped{};
    double low_starter = 1.0;
    double cutoff = 0.0;
};

multipliers read_multipliers(const sdk::evaluation& e, std::size_t draw) {
    const auto value = [&](std::size_t slot) { return e.parameter(slot)[draw]; };
    multipliers m;
    for (std::size_t r = 0; r < m.race.size(); ++r) m.race[r] = value(race_slot + r);
    m.ell[static_cast<std::size_t>(sdk::ell_status::non_ell)] = 1.0;
    m.ell[static_cast<std::size_t>(sdk::ell_status::ell)] = value(ell_slot);
    m.ell[static_cast<std::size_t>(sdk::ell_status::exited)] = value(exited_ell_slot);
    m.frl = {1.0, value(frl_slot)};
    m.sped = {1.0, value(sped_slot)};
    m.low_starter = value(low_starter_slot);
    m.cutoff = value(cutoff_slot);
    return m;
}

std::size_t checked_code(std::uint8_t code, std::size_t count, const char* what, std::size_t cell) {
    if (code >= count) {
        throw std::runtime_error(std::string(what) + " code " + std::to_string(code) + " of cell " +
                                 std::to_string(cell) + " is out of range; expected 0.." + std::to_string(count - 1));
    }
    return code;
}

// A cell's combination of race, ELL, FRL and SPED codes, checked once per evaluation: an index into
// the draw's table of their products.
std::size_t combination(const sdk::cell_attributes& a, std::size_t i) {
    const std::size_t race = checked_code(a.race[i], sdk::race_count, "race", i);
    const std::size_t ell = checked_code(a.ell[i], sdk::ell_status_count, "ell", i);
    const std::size_t frl = checked_code(a.frl[i], 2, "frl", i);
    const std::size_t sped = checked_code(a.sped[i], 2, "sped", i);
    return ((race * sdk::ell_status_count + ell) * 2 + frl) * 2 + sped;
}

constexpr std::size_t combinations = sdk::race_count * sdk::ell_status_count * 2 * 2;

// Whether every cell's codes are in range: one vectorisable pass; only when it fails are the cells
// checked one by one, to name the first bad one.
bool codes_in_range(const sdk::cell_attributes& a, std::size_t cells) {
    unsigned out_of_range = 0;
    for (std::size_t i = 0; i < cells; ++i) {
        out_of_range |= static_cast<unsigned>(a.race[i] >= sdk::race_count) |
                        static_cast<unsigned>(a.ell[i] >= sdk::ell_status_count) | static_cast<unsigned>(a.frl[i] > 1) |
                        static_cast<unsigned>(a.sped[i] > 1);
    }
    return out_of_range == 0;
}

// race x ell x frl x sped for every combination, multiplied in that order as for a single cell.
std::array<double, combinations> combination_table(const multipliers& m) {
    std::array<double, combinations> table{};
    for (std::size_t r = 0; r < m.race.size(); ++r) {
        for (std::size_t e = 0; e < m.ell.size(); ++e) {
            for (std::size_t f = 0; f < 2; ++f) {
                for (std::size_t s = 0; s < 2; ++s) {
                    table[((r * sdk::ell_status_count + e) * 2 + f) * 2 + s] =
                        m.race[r] * m.ell[e] * m.frl[f] * m.sped[s];
                }
            }
        }
    }
    return table;
}

// A parent outcome already carries this cell's multiplier from where PL practice reached it;
// scaling it again would compound the multiplier once per link of the path.
constexpr bool is_outcome(sdk::node_kind kind) {
    return kind == sdk::node_kind::student_outcome || kind == sdk::node_kind::academic_outcome ||
           kind == sdk::node_kind::goal;
}

PATHWAYS_VECTORISED void evaluate(const sdk::evaluation& e) {
    const std::size_t cells = pathways::plugins::checked_cell_count(e, parameters);
    const sdk::cell_attributes& a = pathways::plugins::required_cells(e);
    pathways::plugins::require_cell_count(a.race, cells, "race");
    pathways::plugins::require_cell_count(a.ell, cells, "ell");
    pathways::plugins::require_cell_count(a.frl, cells, "frl");
    pathways::plugins::require_cell_count(a.sped, cells, "sped");
    pathways::plugins::require_cell_count(a.baseline_achievement, cells, "baseline_achievement");

    double dose[sdk::max_tile_cells];
    double mediated[sdk::max_tile_cells];
    double multiplier[sdk::max_tile_cells];
    std::uint8_t code[sdk::max_tile_cells];
    if (!codes_in_range(a, cells)) {
        for (std::size_t i = 0; i < cells; ++i) combination(a, i);  // throws, naming the first bad cell
    }
    for (std::size_t i = 0; i < cells; ++i) {
        code[i] =
            static_cast<std::uint8_t>(((a.race[i] * sdk::ell_status_count + a.ell[i]) * 2 + a.frl[i]) * 2 + a.sped[i]);
    }
    const double* baseline = a.baseline_achievement.data();
    for (std::size_t d = 0; d < e.draw_count; ++d) {
        const multipliers m = read_multipliers(e, d);
        const std::array<double, combinations> table = combination_table(m);
        const double practice_scale = e.parameter(practice_scale_slot)[d];
        // The level the dose adds to: the baseline, or last year's level where gains accumulate.
        const double* from = e.accumulates ? e.previous.row(d) : e.initial.data();
        double* out = e.out.row(d);
        for (std::size_t i = 0; i < cells; ++i) {
            multiplier[i] = table[code[i]] * (baseline[i] < m.cutoff ? m.low_starter : 1.0);
        }
        sdk::weighted_change_since_baseline(e, d, dose);
        pathways::plugins::weighted_change_from(e, d, is_outcome, mediated);
        for (std::size_t i = 0; i < cells; ++i) {
            out[i] = from[i] + mediated[i] + practice_scale * multiplier[i] * (dose[i] - mediated[i]);
        }
    }
}

constexpr sdk::effect_model_info model{
    .name = "subgroup",
    .version = "1.0.0",
    .description = "linear dose scaled per cell by race, language, FRL, SPED and low-starter multipliers",
    .parameters = parameters,
    .evaluate = &evaluate,
    .calibration_parameter = "practice_scale",
};

void register_models(sdk::registrar& r) { r.add(model); }

}  // namespace

PATHWAYS_EFFECT_PLUGIN(register_models, model)
