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
     .source = "Fixsen et al. 2005, Implementation Research (NIRN): intended outcomes take 2 to 4 years, which the implementation ramp "
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

void evaluate(const sdk::evaluation& e) {
    const std::size_t cells = pathways::plugins::checked_cell_count(e, parameters);
    const sdk::cell_attributes& attributes = pathways::plugins::required_cells(e);
    pathways::plugins::require_cell_count(attributes.years_of_exposure, cells, "years_of_exposure");

    const double tau = e.parameters[phase_in_slot];
    const double persistence = e.parameters[persistence_slot];
    const double annual_rate = e.parameters[annual_rate_slot];
    const bool accumulates = pathways::plugins::is_achievement(e);
    for (std::size_t i = 0; i < cells; ++i) {
        const double exposure = attributes.years_of_exposure[i];
        const bool exposed = exposure > 0.0;
        const double phase_in = exposed ? 1.0 - std::exp(-exposure / tau) : 0.0;
        // The lag applies once, where PL practice enters: a parent outcome already carries the
        // phase-in of the practice that moved it, so phasing it in again would compound the lag.
        const double practice = pathways::plugins::weighted_change_from(e, i, pathways::plugins::is_practice);
        const double response = phase_in * practice + (sdk::weighted_change_since_baseline(e, i) - practice);
        if (accumulates) {
            // Gains are kept while the school runs PL and decay geometrically once it stops.
            const double kept = exposed ? 1.0 : persistence;
            e.out[i] = e.initial[i] + kept * (e.previous[i] - e.initial[i]) + annual_rate * response;
        } else {
            e.out[i] = e.initial[i] + response;
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
