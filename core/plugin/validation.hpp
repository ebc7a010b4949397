#pragma once
/// \file
/// Rules for what a plugin may declare, applied before the host keeps any of it.

#include <string>
#include <string_view>
#include <vector>

#include "pathways/sdk/effect_model.hpp"
#include "plugin/model_handle.hpp"

namespace pathways {

/// True for `[A-Za-z_][A-Za-z0-9_-]*`. Such a name holds no '/', '\\' or '.', so it can never be taken
/// for a path (dlopen treats any name with '/' as one). Use it for model names wherever they come from.
bool is_bare_identifier(std::string_view name);

/// True for bare identifiers joined by single dots, e.g. "multiplier.race.black"; segments after the
/// first may also start with a digit ("grade.3").
bool is_parameter_name(std::string_view name);

/// Everything wrong with one declared model, each as a lowercase phrase such as
/// "parameter 'x': default 2 is outside the valid range [0, 1]", about the model itself (the caller names
/// plugin and model); empty when the model is valid.
/// Reads only `info`'s own fields (never calls `evaluate`).
std::vector<std::string> model_problems(const sdk::effect_model_info& info);

/// A host-owned copy of `info`, made right away so nothing points into plugin memory afterwards.
model_handle copy_model(const sdk::effect_model_info& info, std::string file);

}  // namespace pathways
