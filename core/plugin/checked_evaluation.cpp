#include "plugin/checked_evaluation.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <string>

#include "plugin/number_text.hpp"

namespace pathways {

namespace {

std::string context(const model_handle& model, const sdk::evaluation& e, std::string_view operation) {
    return "plugin '" + model.name + "' (" + model.file_name() + "): node '" + std::string(e.node_id) + "': " +
           std::string(operation) + " in year " + std::to_string(e.year_index);
}

}  // namespace

void evaluate_checked(const model_handle& model, const sdk::evaluation& e, std::string_view operation) {
    if (model.evaluate == nullptr) throw plugin_error(context(model, e, operation) + " failed: evaluate is null");
    std::fill(e.out.begin(), e.out.end(), std::numeric_limits<double>::quiet_NaN());
    try {
        model.evaluate(e);
    } catch (const std::exception& error) {
        throw plugin_error(context(model, e, operation) + " failed: " + error.what());
    } catch (...) {
        throw plugin_error(context(model, e, operation) + " failed: it threw something that is not a std::exception");
    }
    const auto bad = std::find_if(e.out.begin(), e.out.end(), [](double value) { return !std::isfinite(value); });
    if (bad != e.out.end()) {
        throw plugin_error(context(model, e, operation) + " returned " + format_number(*bad) + " for cell " +
                           std::to_string(bad - e.out.begin()));
    }
}

}  // namespace pathways
