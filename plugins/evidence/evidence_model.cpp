// The `evidence` effect model: PL's net effect on achievement per year at full implementation,
// fitted to the published anchors rather than built up from the graph's edges. Other nodes follow the
// edges linearly.

#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "pathways/sdk/effect_model.hpp"
#include "support/plugin_support.hpp"

namespace {

namespace sdk = pathways::sdk;
using pathways::plugins::parameter_slot;

constexpr double full_implementation = 3.0;

constexpr std::array<sdk::parameter_spec, 5> parameters{{
    {.name = "effect.math",
     .type = sdk::parameter_type::real,
     .unit = "SD/year",
     .default_value = 0.08,
     .min = -0.10,
     .max = 0.40,
     .uncertainty = {.kind = sdk::prior_kind::truncated_normal, .a = 0.08, .b = 0.045, .lower = -0.10, .upper = 0.40},
     .description = "math achievement gained per year at full implementation",
     .source = "Fitted to every math anchor at once by pathways calibrate --anchors all: Pane et al. 2017, Informing "
               "Progress (about 0.09 SD in a year, statistically significant), Pane et al. 2015, Continued Progress "
               "(0.27 over two years), the null studies (Somers & Garcia 2016, Ninth Grade Academies; Gnagey & "
               "Lavertu 2016, Inclusive STEM High Schools) and Ready et al. 2019, Teach to One i3, each a "
               "quasi-experiment weighed with its standard error x sqrt(2) (Cheung & Slavin 2016, Methodological "
               "Features and Effect Sizes); the prior's sd 0.045 is an assumption",
     .evidence = "A"},
    {.name = "effect.reading",
     .type = sdk::parameter_type::real,
     .unit = "SD/year",
     .default_value = 0.075,
     .min = -0.10,
     .max = 0.40,
     .uncertainty = {.kind = sdk::prior_kind::truncated_normal, .a = 0.075, .b = 0.045, .lower = -0.10, .upper = 0.40},
     .description = "ELA achievement gained per year at full implementation",
     .source = "The random-effects mean of the reading anchors (pathways anchors): Pane et al. 2017, Informing "
               "Progress (about 0.07 SD, not statistically significant), Pane et al. 2015, Continued Progress (0.19 "
               "over two years) and the null studies; the prior's sd 0.045 is an assumption",
     .evidence = "A"},
    {.name = "effect.science",
     .type = sdk::parameter_type::real,
     .unit = "SD/year",
     .default_value = 0.0775,
     .min = -0.10,
     .max = 0.40,
     .uncertainty = {.kind = sdk::prior_kind::truncated_normal, .a = 0.0775, .b = 0.045, .lower = -0.10, .upper = 0.40},
     .description = "science achievement gained per year at full implementation",
     .source = "No study estimates PL's effect on science; Denver's pilot PL schools did better than traditional "
               "schools in science, with no size given (Denver Public Schools 2017, Early Impact Report); the "
               "mean of the math and reading defaults is an assumption",
     .evidence = "A"},
    {.name = "scale_discount_per_doubling",
     .type = sdk::parameter_type::real,
     .unit = "ratio per doubling",
     .default_value = 1.0,
     .min = 0.5,
     .max = 1.0,
     .uncertainty = {.kind = sdk::prior_kind::fixed, .a = 1.0},
     .description = "factor on gains for each doubling of PL schools beyond scale_reference_schools; 1 = none, "
                    "because the engine already discounts implementation fidelity by school count",
     .source = "Effects shrink at scale: small trials report about twice the effect of large ones (Cheung & "
               "Slavin 2016, Methodological Features and Effect Sizes); the engine already lowers fidelity x0.85 "
               "per doubling of PL schools (an assumption), so 1 here avoids discounting twice",
     .evidence = "A"},
    {.name = "scale_reference_schools",
     .type = sdk::parameter_type::integer,
     .unit = "schools",
     .default_value = 6.0,
     .min = 1.0,
     .max = 1000.0,
     .uncertainty = {.kind = sdk::prior_kind::fixed, .a = 6.0},
     .description = "number of PL schools up to which the calibrated effects apply undiscounted",
     .source = "Denver's six 2015 pilot PL schools (Denver Public Schools 2017, Early Impact Report); using them "
               "as the reference scale is an assumption",
     .evidence = "A"},
}};

constexpr std::size_t math_slot = parameter_slot(parameters, "effect.math");
constexpr std::size_t reading_slot = parameter_slot(parameters, "effect.reading");
constexpr std::size_t science_slot = parameter_slot(parameters, "effect.science");
constexpr std::size_t discount_slot = parameter_slot(parameters, "scale_discount_per_doubling");
constexpr std::size_t reference_slot = parameter_slot(parameters, "scale_reference_schools");

std::span<const double> annual_effect(const sdk::evaluation& e) {
    if (e.subject == "math") return e.parameter(math_slot);
    if (e.subject == "ela") return e.parameter(reading_slot);
    if (e.subject == "science") return e.parameter(science_slot);
    throw std::runtime_error("no calibrated effect for subject '" + std::string(e.subject) +
                             "'; expected a node with \"subject\": math, ela or science in the model file");
}

// Share of the way from the school's baseline level to full implementation (level 3). The host has
// scaled the change by the school's dose multiplier, so the share can exceed 1 or fall below 0.
double implementation_fraction(double implementation, double baseline) {
    if (baseline >= full_implementation) return 0.0;
    return (implementation - baseline) / (full_implementation - baseline);
}

double scale_factor(double pl_schools, double discount_per_doubling, double reference_schools) {
    if (!(pl_schools >= 0.0)) {
        throw std::runtime_error("pl_school_count is " + pathways::plugins::format_number(pl_schools) +
                                 "; expected a count >= 0");
    }
    if (pl_schools <= reference_schools) return 1.0;
    return std::pow(discount_per_doubling, std::log2(pl_schools / reference_schools));
}

// A year's gain is the calibrated effect times how far the school's practice is from its baseline
// towards full implementation, so practices that linger after a cut keep adding a shrinking gain; the
// host fades the gains already made once the program is cut.
PATHWAYS_VECTORISED void evaluate_achievement(const sdk::evaluation& e, std::size_t cells) {
    const sdk::cell_attributes& a = pathways::plugins::required_cells(e);
    pathways::plugins::require_block(a.implementation, "implementation");
    pathways::plugins::require_cell_count(a.baseline_implementation, cells, "baseline_implementation");

    const std::span<const double> effects = annual_effect(e);
    const double* baseline_implementation = a.baseline_implementation.data();
    for (std::size_t d = 0; d < e.draw_count; ++d) {
        const double effect = effects[d];
        const double scale =
            scale_factor(e.pl_school_count[d], e.parameter(discount_slot)[d], e.parameter(reference_slot)[d]);
        const double* implementation = a.implementation.row(d);
        const double* previous = e.previous.row(d);
        double* out = e.out.row(d);
        for (std::size_t i = 0; i < cells; ++i) {
            const double fraction = implementation_fraction(implementation[i], baseline_implementation[i]);
            out[i] = previous[i] + scale * fraction * effect;
        }
    }
}

PATHWAYS_VECTORISED void evaluate(const sdk::evaluation& e) {
    const std::size_t cells = pathways::plugins::checked_cell_count(e, parameters);
    if (pathways::plugins::is_achievement(e)) {
        evaluate_achievement(e, cells);
        return;
    }
    const double* initial = e.initial.data();
    for (std::size_t d = 0; d < e.draw_count; ++d) {
        // The dose, turned into the level as its last parent is added.
        sdk::weighted_change_since_baseline(e, d, e.out.row(d),
                                            [&](std::size_t i, double dose) { return initial[i] + dose; });
    }
}

constexpr sdk::effect_model_info model{
    .name = "evidence",
    .version = "1.0.0",
    .description = "achievement gains per year fitted to the anchors, scaled by implementation; others linear",
    .parameters = parameters,
    .evaluate = &evaluate,
    .calibration_parameter = "effect.math",
};

void register_models(sdk::registrar& r) { r.add(model); }

}  // namespace

PATHWAYS_EFFECT_PLUGIN(register_models, model)
