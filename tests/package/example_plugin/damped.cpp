// "damped": path effects scaled down by a damping factor at every node, a worked example of an effect
// model written outside the pathways tree.
#include <pathways/sdk/effect_model.hpp>

#include <array>
#include <stdexcept>

namespace {

using namespace pathways::sdk;

constexpr std::array<parameter_spec, 1> parameters{{
    {"damping", parameter_type::real, "ratio", 0.5, 0.0, 1.0, prior{prior_kind::uniform, 0.0, 0.0, 0.25, 0.75},
     "multiplies the change of every node it evaluates, so compounds along paths: damping^k through k "
     "such nodes, the outcome included (implementation dilution)",
     "illustrative value for the plugin author's guide", "A"},
}};

// out = initial + damping · Σ w · (parent − parent at baseline), for each draw of the block over the
// tile's cells; the inner loops run over contiguous cells and vectorise. Every node the model evaluates
// is damped, and a parent's change already is, so an effect reaching an outcome through k such nodes is
// scaled by damping^k. Unlike `linear`, an achievement node does not add the dose to last year's level.
void evaluate(const evaluation& e) {
    if (e.parameters.size() != parameters.size() * e.draw_count)
        throw std::invalid_argument("damped: expected 1 parameter");
    for (std::size_t d = 0; d < e.draw_count; ++d) {
        const double damping = e.parameter(0)[d];
        double* out = e.out.row(d);
        weighted_change_since_baseline(e, d, out);  // the dose, turned into the level in place
        for (std::size_t cell = 0; cell < e.cell_count; ++cell) out[cell] = e.initial[cell] + damping * out[cell];
    }
}

constexpr effect_model_info model{"damped",   "1.0.0",   "path effects damped at every node (example plugin)",
                                  parameters, &evaluate, "damping"};

void register_models(registrar& r) { r.add(model); }

}  // namespace

// The models listed after the registration function are also written into the file's metadata, which
// pathways reads without loading the plugin.
PATHWAYS_EFFECT_PLUGIN(register_models, model)
