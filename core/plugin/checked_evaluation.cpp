#include "plugin/checked_evaluation.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
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

/// Whether no value is NaN or infinite: x·0 is ±0 for every finite x and NaN otherwise, so OR-ing
/// the bits of the products leaves at most the sign bit set. One multiply (which takes its operand
/// straight from memory) and one OR per vector, where x - x needs a load, a subtraction and an OR;
/// it vectorises where a search with std::isfinite does not (every output passes through here).
PATHWAYS_VECTORISED bool all_finite(const double* values, std::size_t count) {
    std::uint64_t non_finite = 0;
#pragma GCC unroll 4  // four vectors an iteration: the loop's own compare and branch are most of the rest
    for (std::size_t i = 0; i < count; ++i) non_finite |= std::bit_cast<std::uint64_t>(values[i] * 0.0);
    constexpr std::uint64_t sign_bit = std::uint64_t{1} << 63;
    return (non_finite & ~sign_bit) == 0;
}

/// NaN in every value: a cell the model leaves unwritten is then caught like one it sets to NaN.
PATHWAYS_VECTORISED void fill_nan(double* values, std::size_t count) {
#pragma GCC unroll 4
    for (std::size_t i = 0; i < count; ++i) values[i] = std::numeric_limits<double>::quiet_NaN();
}

/// The rows of `e.out` as spans of cells: one span over every draw when the rows follow each other
/// (a full tile, the usual case), so the fill and the check make one pass, not one call per draw.
template <typename Visit>
void for_each_output_span(const sdk::evaluation& e, Visit visit) {
    if (e.out.draw_stride == e.cell_count) {
        visit(e.out.data, e.draw_count * e.cell_count);
        return;
    }
    for (std::size_t d = 0; d < e.draw_count; ++d) visit(e.out.row(d), e.cell_count);
}

/// Names the first NaN or infinite output, by cell and (with more than one) draw of the block.
[[noreturn]] void throw_first_non_finite(const model_handle& model, const sdk::evaluation& e,
                                         std::string_view operation) {
    for (std::size_t d = 0; d < e.draw_count; ++d) {
        const double* row = e.out.row(d);
        const double* bad = std::find_if(row, row + e.cell_count, [](double value) { return !std::isfinite(value); });
        if (bad == row + e.cell_count) continue;
        const std::string draw = e.draw_count > 1 ? " of block draw " + std::to_string(d) : "";
        throw plugin_error(context(model, e, operation) + " returned " + shortest_number(*bad) + " for cell " +
                           std::to_string(bad - row) + draw);
    }
    throw plugin_error(context(model, e, operation) + " returned a value that is not finite");
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
    for_each_output_span(e, fill_nan);
    try {
        evaluate(e);
    } catch (const std::exception& error) {
        throw plugin_error(context(model, e, operation) + " failed: " + error.what());
    } catch (...) {
        throw plugin_error(context(model, e, operation) + " failed: it threw something that is not a std::exception");
    }
    bool finite = true;
    for_each_output_span(e, [&finite](const double* values, std::size_t count) {
        finite = finite && all_finite(values, count);
    });
    if (!finite) throw_first_non_finite(model, e, operation);
}

}  // namespace pathways
