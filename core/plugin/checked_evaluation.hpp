#pragma once
/// \file
/// Calling plugin code so that its failures become errors that name plugin, node and operation.

#include <string_view>

#include "pathways/sdk/effect_model.hpp"
#include "plugin/model_handle.hpp"
#include "plugin/plugin_error.hpp"
#include "plugin/plugin_library.hpp"

namespace pathways {

/// The model's evaluate function, loading its plugin if that has not happened yet. Throws plugin_error
/// "plugin 'x' (libpathways_x.so): <why>" when the plugin cannot be loaded or registered.
evaluate_function resolve_evaluate(const model_handle& model);

/// Calls the model's evaluate function (`resolve_evaluate`) on `e` and checks what it wrote.
///
/// Before the call every cell of every draw of `e.out` is set to NaN, so a cell the model leaves
/// unwritten is caught like one it sets to NaN. Throws plugin_error when the model throws anything, or when any output is
/// NaN or infinite, e.g. "plugin 'evidence' (libpathways_evidence.so): node 'x': evaluate in year 3
/// returned NaN for cell 12" (year is `e.year_index` and cell the 0-based index into the tile; with
/// more than one draw in the block, " of block draw 3" follows; only the first bad cell is named). `operation` names what the host was doing ("evaluate"). Safe to call from
/// many threads at once for models that follow the SDK's contract.
void evaluate_checked(const model_handle& model, const sdk::evaluation& e, std::string_view operation);

}  // namespace pathways
