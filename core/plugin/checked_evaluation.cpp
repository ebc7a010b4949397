#include "plugin/checked_evaluation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <limits>
#include <string>

#include "common/text_safety.hpp"

namespace pathways {

namespace {

std::string context(const model_handle& model, const sdk::evaluation& e, std::string_view operation) {
    return "plugin '" + model.name + "' (" + model.file_name() + "): node '" + std::string(e.node_id) +
           "': " + std::string(operation) + " in year " + std::to_string(e.year_index);
}

/// Whether no value is NaN or infinite: x - x is +0 (all bits clear) for every finite x and NaN
/// otherwise, and OR-ing the bits vectorises where a search with std::isfinite does not (every
/// output of every evaluation passes through here).
PATHWAYS_VECTORISED bool all_finite(const double* values, std::size_t count) {
    std::uint64_t non_finite = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const double difference = values[i] - values[i];
        std::uint64_t bits;
        std::memcpy(&bits, &difference, sizeof bits);
        non_finite |= bits;
    }
    return non_finite == 0;
}

/// NaN in every value: a cell the model leaves unwritten is then caught like one it sets to NaN.
PATHWAYS_VECTORISED void fill_nan(double* values, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) values[i] = std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

evaluate_function resolve_evaluate(const model_handle& model) {
    if (model.library == nullptr) return model.evaluate;
    try {
        return model.library->evaluate_of(model.name);
    } catch (const plugin_error& error) {
        throw plugin_error("plugin '" + model.name + "' (" + model.file_name() + "): " + error.what());
    }
}

void evaluate_checked(const model_handle& model, const sdk::evaluation& e, std::string_view operation) {
    evaluate_function evaluate = nullptr;
    try {
        evaluate = model.library == nullptr ? model.evaluate : model.library->evaluate_of(model.name);
    } catch (const plugin_error& error) {
        throw plugin_error(context(model, e, operation) + " failed: loading the plugin: " + error.what());
    }
    if (evaluate == nullptr) throw plugin_error(context(model, e, operation) + " failed: evaluate is null");
    for (std::size_t d = 0; d < e.draw_count; ++d) {
        fill_nan(e.out.row(d), e.cell_count);
    }
    try {
        evaluate(e);
    } catch (const std::exception& error) {
        throw plugin_error(context(model, e, operation) + " failed: " + error.what());
    } catch (...) {
        throw plugin_error(context(model, e, operation) + " failed: it threw something that is not a std::exception");
    }
    for (std::size_t d = 0; d < e.draw_count; ++d) {
        const double* row = e.out.row(d);
        if (all_finite(row, e.cell_count)) continue;
        const double* bad = std::find_if(row, row + e.cell_count, [](double value) { return !std::isfinite(value); });
        const std::string draw = e.draw_count > 1 ? " of block draw " + std::to_string(d) : "";
        throw plugin_error(context(model, e, operation) + " returned " + shortest_number(*bad) + " for cell " +
                           std::to_string(bad - row) + draw);
    }
}

}  // namespace pathways
