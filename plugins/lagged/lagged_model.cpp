// The `lagged` effect model: outcomes respond to PL practice gradually as a school gains years of
// exposure; achievement gains build up year on year and fade once exposure stops.

#include <array>
#include <cmath>
#include <cstddef>

#include "pathways/sdk/effect_model.hpp"
#include "support/plugin_support.hpp"

namespace {

namespace sdk = pathways::sdk;
using pathways::plugins::parameter_slot;

constexpr std::array<sdk::parameter_spec, 3> parameters{{
    {.name = "phase_in_years",
     .type = sdk::parameter_type::real,
     .unit = "years",
     .default_value = 0.5,
     .min = 0.1,
     .max = 6.0,
     .uncertainty = {.kind = sdk::prior_kind::truncated_normal, .a = 0.5, .b = 0.25, .lower = 0.2, .upper = 1.5},
     .description = "time constant tau of students' response 1 - exp(-years/tau) to the practice their school has "
                    "reached; the ramp of the practice itself is the implementation plan's",
     .source = "Fixsen et al. 2005, Implementation Research (NIRN): intended outcomes take 2 to 4 years, which the "
               "implementation ramp "
               "already spends on practice; students' response to practice met within the year is an "
               "assumption: tau = 0.5 gives 86% of the response after one year of exposure",
     .evidence = "A"},
    pathways::plugins::persistence_spec("share of an achievement gain kept each year after the school stops PL"),
    {.name = "annual_rate",
     .type = sdk::parameter_type::real,
     .unit = "1/year",
     .default_value = 1.0,
     .min = 0.0,
     .max = 3.0,
     .uncertainty = {.kind = sdk::prior_kind::fixed, .a = 1.0},
     .description = "achievement gained per year per unit of phased-in dose; 1 adds the dose once a year",
     .source = "The model's engagement and self-efficacy -> achievement weights are read as annual effects; the "
               "rate 1 is an assumption",
     .evidence = "A"},
}};

constexpr std::size_t phase_in_slot = parameter_slot(parameters, "phase_in_years");
constexpr std::size_t persistence_slot = parameter_slot(parameters, "persistence");
constexpr std::size_t annual_rate_slot = parameter_slot(parameters, "annual_rate");

PATHWAYS_VECTORISED void evaluate(const sdk::evaluation& e) {
    const std::size_t cells = pathways::plugins::checked_cell_count(e, parameters);
    const sdk::cell_attributes& attributes = pathways::plugins::required_cells(e);
    pathways::plugins::require_block(attributes.years_of_exposure, "years_of_exposure");

    const bool accumulates = pathways::plugins::is_achievement(e);
    const double* initial = e.initial.data();
    double practice[sdk::max_tile_cells];
    double dose[sdk::max_tile_cells];
    for (std::size_t d = 0; d < e.draw_count; ++d) {
        const double tau = e.parameter(phase_in_slot)[d];
        const double persistence = e.parameter(persistence_slot)[d];
        const double annual_rate = e.parameter(annual_rate_slot)[d];
        const double* exposure = attributes.years_of_exposure.row(d);
        const double* previous = e.previous.row(d);
        double* out = e.out.row(d);
        // The lag applies once, where PL practice enters: a parent outcome already carries the
        // phase-in of the practice that moved it, so phasing it in again would compound the lag.
        pathways::plugins::weighted_change_from(e, d, pathways::plugins::is_practice, practice);
        sdk::weighted_change_since_baseline(e, d, dose);
        for (std::size_t i = 0; i < cells; ++i) {
            const bool exposed = exposure[i] > 0.0;
            const double phase_in = exposed ? 1.0 - std::exp(-exposure[i] / tau) : 0.0;
            const double response = phase_in * practice[i] + (dose[i] - practice[i]);
            if (accumulates) {
                // Gains are kept while the school runs PL and decay geometrically once it stops.
                const double kept = exposed ? 1.0 : persistence;
                out[i] = initial[i] + kept * (previous[i] - initial[i]) + annual_rate * response;
            } else {
                out[i] = initial[i] + response;
            }
        }
    }
}

constexpr sdk::effect_model_info model{
    .name = "lagged",
    .version = "1.0.0",
    .description = "effects phase in with years of PL exposure; achievement accumulates and fades after PL stops",
    .parameters = parameters,
    .evaluate = &evaluate,
    .calibration_parameter = "annual_rate",
};

void register_models(sdk::registrar& r) { r.add(model); }

}  // namespace

PATHWAYS_EFFECT_PLUGIN(register_models, model)
