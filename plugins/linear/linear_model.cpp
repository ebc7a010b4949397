// The `linear` effect model: edge weights are standardized path coefficients, so a node moves by
// the weighted sum of its parents' moves since baseline; an achievement node, whose level carries over
// from year to year, gains that sum each year instead.

#include <array>
#include <cstddef>
#include <span>

#include "pathways/sdk/effect_model.hpp"
#include "support/plugin_support.hpp"

namespace {

namespace sdk = pathways::sdk;
using pathways::plugins::parameter_slot;

constexpr std::array<sdk::parameter_spec, 1> parameters{{
    {.name = "scale",
     .type = sdk::parameter_type::real,
     .unit = "ratio",
     .default_value = 1.0,
     .min = 0.0,
     .max = 3.0,
     .uncertainty = {.kind = sdk::prior_kind::fixed, .a = 1.0},
     .description = "multiplies every node's change; 1 applies the edge weights as given",
     .source =
         "A calibration knob (an assumption): the model's edge weights are standardized path coefficients "
         "(SD of the target per unit of the source) and the default is fitted to every anchor at once (Pane "
         "et al. 2017, Informing Progress; Pane et al. 2015, Continued Progress; the null studies; Ready et "
         "al. 2019, Teach to One i3): pathways calibrate --anchors all gives 1.001, and the default 1 is within 0.1% "
         "of it",
     .evidence = "A"},
}};

constexpr std::size_t scale_slot = parameter_slot(parameters, "scale");

PATHWAYS_VECTORISED void evaluate(const sdk::evaluation& e) {
    pathways::plugins::checked_cell_count(e, parameters);  // the cells are e.cell_count, checked
    const std::span<const double> scale = e.parameter(scale_slot);
    for (std::size_t d = 0; d < e.draw_count; ++d) {
        const double s = scale[d];
        // The level the dose adds to: the baseline, or last year's level where gains accumulate.
        const double* from = e.accumulates ? e.previous.row(d) : e.initial.data();
        // The dose, turned into the level as its last parent is added.
        sdk::weighted_change_since_baseline(e, d, e.out.row(d),
                                            [&](std::size_t i, double dose) { return from[i] + s * dose; });
    }
}

constexpr sdk::effect_model_info model{
    .name = "linear",
    .version = "1.0.0",
    .description =
        "standardized path coefficients: a node's change (an achievement node's yearly gain) is the "
        "weighted sum of its parents' changes",
    .parameters = parameters,
    .evaluate = &evaluate,
    .calibration_parameter = "scale",
};

void register_models(sdk::registrar& r) { r.add(model); }

}  // namespace

PATHWAYS_EFFECT_PLUGIN(register_models, model)
