// The `saturating` effect model: diminishing returns on the dose, and drivers that move outcomes
// only as far as the school's foundational practices allow (Denver Public Schools 2017, Personalized Learning Driver Model).

#include <algorithm>
#include <array>
#include <cstddef>

#include "pathways/sdk/effect_model.hpp"
#include "support/plugin_support.hpp"

namespace {

namespace sdk = pathways::sdk;
using pathways::plugins::parameter_slot;

constexpr std::array<sdk::parameter_spec, 4> parameters{{
    {.name = "emax.student",
     .type = sdk::parameter_type::real,
     .unit = "SD",
     .default_value = 2.0,
     .min = 0.05,
     .max = 4.0,
     .uncertainty = {.kind = sdk::prior_kind::truncated_normal, .a = 2.0, .b = 0.5, .lower = 1.0, .upper = 3.0},
     .description = "largest change a student outcome or goal can reach, however large the dose; at full "
                    "implementation the model's edges move engagement by about 1.3 SD, so 2 bends that change "
                    "without capping it, and lower values express doubt that practice moves engagement more than "
                    "social-emotional learning programmes do",
     .source = "Durlak et al. 2011, SEL Meta-analysis: about 0.57 SD on social-emotional skills; a ceiling of "
               "2 SD, above any mean effect reported for non-academic outcomes, is an assumption; at 0.5 the "
               "model misses Pane et al. 2017, Informing Progress (RAND RR-2042) by half",
     .evidence = "A"},
    {.name = "emax.academic",
     .type = sdk::parameter_type::real,
     .unit = "SD",
     .default_value = 0.25,
     .min = 0.05,
     .max = 1.0,
     .uncertainty = {.kind = sdk::prior_kind::truncated_normal, .a = 0.25, .b = 0.08, .lower = 0.1, .upper = 0.5},
     .description = "largest change an academic outcome can reach, however large the dose",
     .source = "Kraft 2020, Interpreting Effect Sizes: the 75th percentile of causal effects on standardized "
               "tests is 0.25 SD (quoted second-hand); using it as the ceiling is an assumption",
     .evidence = "A"},
    {.name = "foundation_full",
     .type = sdk::parameter_type::real,
     .unit = "level (0-3)",
     .default_value = 2.0,
     .min = 0.5,
     .max = 3.0,
     .uncertainty = {.kind = sdk::prior_kind::truncated_normal, .a = 2.0, .b = 0.4, .lower = 1.0, .upper = 3.0},
     .description = "mean foundational-practice level at which drivers act with their full weight",
     .source = "Foundational practices gate the drivers: \"if a foundational practice is missing ... plan to "
               "improve\" (Denver Public Schools 2017, Driver Model; qualitative); the level 2 is an assumption",
     .evidence = "A"},
    pathways::plugins::practice_scale_spec(),
}};

constexpr std::size_t emax_student_slot = parameter_slot(parameters, "emax.student");
constexpr std::size_t emax_academic_slot = parameter_slot(parameters, "emax.academic");
constexpr std::size_t foundation_full_slot = parameter_slot(parameters, "foundation_full");
constexpr std::size_t practice_scale_slot = parameter_slot(parameters, "practice_scale");

// Only the drivers' share of the dose is gated: a parent outcome was gated where it met the
// drivers, and gating it again would shrink effects by one more gate per link of the path.
constexpr bool is_driver(sdk::node_kind kind) {
    return kind == sdk::node_kind::primary_driver || kind == sdk::node_kind::secondary_driver;
}

// The whole dose, its practice share and its drivers' share for one draw, in one pass per parent:
// each parent's change is added, in parent order and starting from 0, to the sums it belongs to,
// the same additions as sdk::weighted_change_since_baseline and weighted_change_from make in three
// passes (the same bits), with a third of the loads.
PATHWAYS_SDK_INLINE void doses_by_share(const sdk::evaluation& e, std::size_t draw, std::size_t cells, double* dose,
                                        double* practice, double* driver) {
    std::fill_n(dose, cells, 0.0);
    std::fill_n(practice, cells, 0.0);
    std::fill_n(driver, cells, 0.0);
    for (const sdk::parent_values& parent : e.parents) {
        const double w = parent.weight[draw];
        const double* current = parent.current.row(draw);
        const double* initial = parent.initial.data();
        if (is_driver(parent.kind)) {  // drivers are practice too
            for (std::size_t i = 0; i < cells; ++i) {
                const double change = w * (current[i] - initial[i]);
                dose[i] += change;
                practice[i] += change;
                driver[i] += change;
            }
        } else if (pathways::plugins::is_practice(parent.kind)) {
            for (std::size_t i = 0; i < cells; ++i) {
                const double change = w * (current[i] - initial[i]);
                dose[i] += change;
                practice[i] += change;
            }
        } else {
            for (std::size_t i = 0; i < cells; ++i) dose[i] += w * (current[i] - initial[i]);
        }
    }
}

PATHWAYS_VECTORISED void evaluate(const sdk::evaluation& e) {
    const std::size_t cells = pathways::plugins::checked_cell_count(e, parameters);
    const sdk::cell_attributes& attributes = pathways::plugins::required_cells(e);
    pathways::plugins::require_block(attributes.foundations, "foundations");

    const double* initial = e.initial.data();
    double dose[sdk::max_tile_cells];
    double practice_dose[sdk::max_tile_cells];
    double driver_dose[sdk::max_tile_cells];
    double gate[sdk::max_tile_cells];
    for (std::size_t d = 0; d < e.draw_count; ++d) {
        const double emax = e.parameter(sdk::is_academic(e.kind) ? emax_academic_slot : emax_student_slot)[d];
        const double foundation_full = e.parameter(foundation_full_slot)[d];
        const double practice_scale = e.parameter(practice_scale_slot)[d];
        const double* foundations = attributes.foundations.row(d);
        double* out = e.out.row(d);
        doses_by_share(e, d, cells, dose, practice_dose, driver_dose);
        // Four passes, each of which vectorises: GCC turns a clamp followed by more arithmetic, or
        // preceded by a division, into branches and leaves such a loop scalar.
        for (std::size_t i = 0; i < cells; ++i) gate[i] = foundations[i] / foundation_full;
        for (std::size_t i = 0; i < cells; ++i) gate[i] = std::clamp(gate[i], 0.0, 1.0);
        double* gated_dose = dose;  // in place
        for (std::size_t i = 0; i < cells; ++i) {
            const double gated_practice = practice_dose[i] - (1.0 - gate[i]) * driver_dose[i];
            gated_dose[i] = (dose[i] - practice_dose[i]) + practice_scale * gated_practice;
        }
        for (std::size_t i = 0; i < cells; ++i) {
            out[i] = initial[i] + emax * sdk::tanh_vectorisable(gated_dose[i] / emax);
        }
    }
}

constexpr sdk::effect_model_info model{
    .name = "saturating",
    .version = "1.0.0",
    .description = "logistic-family dose-response with a ceiling, drivers gated by foundational practices",
    .parameters = parameters,
    .evaluate = &evaluate,
    .calibration_parameter = "practice_scale",
};

void register_models(sdk::registrar& r) { r.add(model); }

}  // namespace

PATHWAYS_EFFECT_PLUGIN(register_models, model)
