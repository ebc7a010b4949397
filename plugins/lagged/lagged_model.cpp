// The `lagged` effect model: outcomes respond to PL practice gradually as a school gains years of
// exposure; achievement gains build up year on year (the host fades them once the program is cut).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "pathways/sdk/effect_model.hpp"
#include "support/plugin_support.hpp"

namespace {

namespace sdk = pathways::sdk;
using pathways::plugins::parameter_slot;

constexpr std::array<sdk::parameter_spec, 2> parameters{{
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
    {.name = "annual_rate",
     .type = sdk::parameter_type::real,
     .unit = "1/year",
     .default_value = 1.131,
     .min = 0.0,
     .max = 3.0,
     .uncertainty = {.kind = sdk::prior_kind::fixed, .a = 1.131},
     .description = "achievement gained per year per unit of phased-in dose; 1 adds the dose once a year",
     .source = "The model's engagement, self-efficacy and direct-practice -> achievement weights are read as annual "
               "effects; the rate is a calibration knob (an assumption) fitted to every anchor at once (Pane et al. "
               "2017, Informing Progress; Pane et al. 2015, Continued Progress; the null studies; Ready et al. 2019, "
               "Teach to One i3) by pathways calibrate --anchors all",
     .evidence = "A"},
}};

constexpr std::size_t phase_in_slot = parameter_slot(parameters, "phase_in_years");
constexpr std::size_t annual_rate_slot = parameter_slot(parameters, "annual_rate");

// Years of exposure below this whole number take 1 - exp(-years/tau) from a table made once a draw.
constexpr std::size_t tabulated_years = 32;

// phase_in[i] = 1 - exp(-exposure[i] / tau) where the school has exposure, else 0. The engine's
// exposures are whole years, whose values come from a table of the same expressions (the same bits,
// one exp a year rather than one a cell); any other value is computed where it stands.
// Forced inline into the vectorised evaluate, where its first test vectorises.
PATHWAYS_SDK_INLINE void phase_in_of(const double* exposure, std::size_t cells, double tau, double* phase_in) {
    std::uint64_t exposed = 0;
    for (std::size_t i = 0; i < cells; ++i) exposed |= std::uint64_t{0} - static_cast<std::uint64_t>(exposure[i] > 0.0);
    if (exposed == 0) {  // business as usual, and schools no wave has reached yet
        std::fill_n(phase_in, cells, 0.0);
        return;
    }
    std::array<double, tabulated_years> by_year{};
    std::size_t tabulated = 1;  // by_year[0] is unused: no exposure has no phase-in
    for (std::size_t i = 0; i < cells; ++i) {
        const double years = exposure[i];
        if (!(years > 0.0)) {
            phase_in[i] = 0.0;
            continue;
        }
        const auto whole = static_cast<std::size_t>(years < static_cast<double>(tabulated_years) ? years : 0.0);
        if (whole == 0 || static_cast<double>(whole) != years) {
            phase_in[i] = 1.0 - std::exp(-years / tau);
            continue;
        }
        for (; tabulated <= whole; ++tabulated)
            by_year[tabulated] = 1.0 - std::exp(-static_cast<double>(tabulated) / tau);
        phase_in[i] = by_year[whole];
    }
}

PATHWAYS_VECTORISED void evaluate(const sdk::evaluation& e) {
    const std::size_t cells = pathways::plugins::checked_cell_count(e, parameters);
    const sdk::cell_attributes& attributes = pathways::plugins::required_cells(e);
    pathways::plugins::require_block(attributes.years_of_exposure, "years_of_exposure");

    const bool accumulates = pathways::plugins::is_achievement(e);
    const double* initial = e.initial.data();
    double practice[sdk::max_tile_cells];
    double dose[sdk::max_tile_cells];
    double phase_in[sdk::max_tile_cells];
    for (std::size_t d = 0; d < e.draw_count; ++d) {
        const double tau = e.parameter(phase_in_slot)[d];
        const double annual_rate = e.parameter(annual_rate_slot)[d];
        const double* exposure = attributes.years_of_exposure.row(d);
        const double* previous = e.previous.row(d);
        double* out = e.out.row(d);
        // The lag applies once, where PL practice enters: a parent outcome already carries the
        // phase-in of the practice that moved it, so phasing it in again would compound the lag.
        pathways::plugins::weighted_change_from(e, d, pathways::plugins::is_practice, practice);
        sdk::weighted_change_since_baseline(e, d, dose);
        phase_in_of(exposure, cells, tau, phase_in);
        if (accumulates) {
            // Gains add up year on year; once the program is cut the host fades those already made.
            for (std::size_t i = 0; i < cells; ++i) {
                const double response = phase_in[i] * practice[i] + (dose[i] - practice[i]);
                out[i] = previous[i] + annual_rate * response;
            }
        } else {
            for (std::size_t i = 0; i < cells; ++i) {
                out[i] = initial[i] + (phase_in[i] * practice[i] + (dose[i] - practice[i]));
            }
        }
    }
}

constexpr sdk::effect_model_info model{
    .name = "lagged",
    .version = "1.0.0",
    .description = "effects phase in with years of PL exposure; achievement accumulates",
    .parameters = parameters,
    .evaluate = &evaluate,
    .calibration_parameter = "annual_rate",
};

void register_models(sdk::registrar& r) { r.add(model); }

}  // namespace

PATHWAYS_EFFECT_PLUGIN(register_models, model)
