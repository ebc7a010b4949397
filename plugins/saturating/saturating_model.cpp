// The `saturating` effect model: diminishing returns on the dose, and drivers that move outcomes
// only as far as the school's foundational practices allow (Denver Public Schools 2017, Personalized Learning Driver Model).

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "pathways/sdk/effect_model.hpp"
#include "support/plugin_support.hpp"

namespace {

namespace sdk = pathways::sdk;
using pathways::plugins::parameter_slot;

constexpr std::array<sdk::parameter_spec, 4> parameters{{
    {.name = "emax.student",
     .type = sdk::parameter_type::real,
     .unit = "SD",
     .default_value = 0.5,
     .min = 0.05,
     .max = 4.0,
     .uncertainty = {.kind = sdk::prior_kind::truncated_normal, .a = 0.5, .b = 0.15, .lower = 0.25, .upper = 1.0},
     .description = "largest change a student outcome or goal can reach, however large the dose; at full "
                    "implementation the model's edges move agency and engagement by about 0.2 SD, which 0.5 "
                    "bends a little",
     .source = "Social-emotional learning programmes move social-emotional skills about 0.57 SD and attitudes "
               "about 0.23 SD (Durlak et al. 2011, SEL Meta-analysis); a ceiling of 0.5 SD for a whole-school "
               "model that is not a social-emotional curriculum is an assumption",
     .evidence = "A"},
    {.name = "emax.academic",
     .type = sdk::parameter_type::real,
     .unit = "SD",
     .default_value = 0.25,
     .min = 0.05,
     .max = 1.0,
     .uncertainty = {.kind = sdk::prior_kind::truncated_normal, .a = 0.25, .b = 0.08, .lower = 0.1, .upper = 0.5},
     .description = "largest change an academic outcome can reach in a year (an achievement node's yearly gain), "
                    "however large the dose",
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
    pathways::plugins::practice_scale_spec(1.046),
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

// Adds each parent's change over cells [begin, begin + count) to the sums its share belongs to, in
// parent order, starting from 0: the additions sdk::weighted_change_since_baseline and
// weighted_change_from make (the same bits). `Count` is the width of a chunk whose three sums stay in
// registers across the parents (only the parents' values are loaded), or 0 for a shorter remainder.
template <std::size_t Count>
PATHWAYS_SDK_INLINE void add_doses(const sdk::evaluation& e, std::size_t draw, std::size_t begin, std::size_t count,
                                   double* dose_out, double* practice_out, double* driver_out) {
    constexpr std::size_t width = Count == 0 ? sdk::max_tile_cells : Count;
    const std::size_t n = Count == 0 ? count : Count;
    double dose[width];
    double practice[width];
    double driver[width];
    for (std::size_t i = 0; i < n; ++i) dose[i] = practice[i] = driver[i] = 0.0;
    for (const sdk::parent_values& parent : e.parents) {
        const double w = parent.weight[draw];
        const double* current = parent.current.row(draw) + begin;
        const double* initial = parent.initial.data() + begin;
        if (is_driver(parent.kind)) {  // drivers are practice too
            for (std::size_t i = 0; i < n; ++i) {
                const double change = w * (current[i] - initial[i]);
                dose[i] += change;
                practice[i] += change;
                driver[i] += change;
            }
        } else if (pathways::plugins::is_practice(parent.kind)) {
            for (std::size_t i = 0; i < n; ++i) {
                const double change = w * (current[i] - initial[i]);
                dose[i] += change;
                practice[i] += change;
            }
        } else {
            for (std::size_t i = 0; i < n; ++i) dose[i] += w * (current[i] - initial[i]);
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        dose_out[begin + i] = dose[i];
        practice_out[begin + i] = practice[i];
        driver_out[begin + i] = driver[i];
    }
}

// The whole dose, its practice share and its drivers' share for one draw, 16 cells at a time.
PATHWAYS_SDK_INLINE void doses_by_share(const sdk::evaluation& e, std::size_t draw, std::size_t cells, double* dose,
                                        double* practice, double* driver) {
    constexpr std::size_t chunk = 16;
    std::size_t begin = 0;
    for (; begin + chunk <= cells; begin += chunk) add_doses<chunk>(e, draw, begin, chunk, dose, practice, driver);
    if (begin < cells) add_doses<0>(e, draw, begin, cells - begin, dose, practice, driver);
}

// True when every value is +0 or -0 (a NaN is not): one OR over the bits but the sign, which vectorises.
PATHWAYS_SDK_INLINE bool all_zero(const double* values, std::size_t count) {
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < count; ++i) bits |= std::bit_cast<std::uint64_t>(values[i]) << 1;
    return bits == 0;
}

// True when no value is NaN.
PATHWAYS_SDK_INLINE bool none_nan(const double* values, std::size_t count) {
    std::uint64_t nan = 0;
    for (std::size_t i = 0; i < count; ++i) nan |= static_cast<std::uint64_t>(values[i] != values[i]);
    return nan == 0;
}

// gated_dose[i] = (dose - practice) + practice_scale * (practice - (1 - gate) * driver), with
// gate = clamp(foundations / foundation_full, 0, 1). Where every driver dose is ±0 and no foundation
// is NaN, the gate is in [0, 1] and (1 - gate) * driver is that very zero, so the division and the
// clamp are skipped with the same bits (business as usual, cells a wave has not reached).
PATHWAYS_SDK_INLINE void gate_dose(const double* foundations, double foundation_full, double practice_scale,
                                   std::size_t cells, const double* practice_dose, const double* driver_dose,
                                   double* dose, double* gate) {
    if (all_zero(driver_dose, cells) && none_nan(foundations, cells)) {
        for (std::size_t i = 0; i < cells; ++i) {
            dose[i] = (dose[i] - practice_dose[i]) + practice_scale * (practice_dose[i] - driver_dose[i]);
        }
        return;
    }
    // Three passes, each of which vectorises: GCC turns a clamp followed by more arithmetic, or
    // preceded by a division, into branches and leaves such a loop scalar.
    for (std::size_t i = 0; i < cells; ++i) gate[i] = foundations[i] / foundation_full;
    for (std::size_t i = 0; i < cells; ++i) gate[i] = std::clamp(gate[i], 0.0, 1.0);
    for (std::size_t i = 0; i < cells; ++i) {
        const double gated_practice = practice_dose[i] - (1.0 - gate[i]) * driver_dose[i];
        dose[i] = (dose[i] - practice_dose[i]) + practice_scale * gated_practice;
    }
}

PATHWAYS_VECTORISED void evaluate(const sdk::evaluation& e) {
    const std::size_t cells = pathways::plugins::checked_cell_count(e, parameters);
    const sdk::cell_attributes& attributes = pathways::plugins::required_cells(e);
    pathways::plugins::require_block(attributes.foundations, "foundations");

    double dose[sdk::max_tile_cells];
    double practice_dose[sdk::max_tile_cells];
    double driver_dose[sdk::max_tile_cells];
    double gate[sdk::max_tile_cells];
    for (std::size_t d = 0; d < e.draw_count; ++d) {
        const double emax = e.parameter(sdk::is_academic(e.kind) ? emax_academic_slot : emax_student_slot)[d];
        // The level the dose adds to: the baseline, or last year's level where gains accumulate.
        const double* from = e.accumulates ? e.previous.row(d) : e.initial.data();
        double* out = e.out.row(d);
        doses_by_share(e, d, cells, dose, practice_dose, driver_dose);
        double* gated_dose = dose;  // in place
        gate_dose(attributes.foundations.row(d), e.parameter(foundation_full_slot)[d],
                  e.parameter(practice_scale_slot)[d], cells, practice_dose, driver_dose, gated_dose, gate);
        if (all_zero(gated_dose, cells)) {
            // Most rows: emax > 0 (a checked parameter), so emax * tanh(±0 / emax) is the very zero of
            // the dose, and the sum below has the same bits as the one after it.
            for (std::size_t i = 0; i < cells; ++i) out[i] = from[i] + gated_dose[i];
            continue;
        }
        for (std::size_t i = 0; i < cells; ++i) {
            out[i] = from[i] + emax * sdk::tanh_vectorisable(gated_dose[i] / emax);
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
