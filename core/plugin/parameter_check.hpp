#pragma once
/// \file
/// Checking the parameter values a scenario gives against the ones a model declares.

#include <string_view>

#include "common/diagnostics.hpp"
#include "common/model.hpp"
#include "plugin/model_handle.hpp"

namespace pathways {

/// Checks the scenario value `value` for `model`'s parameter `name`. Adds one error at `where` and
/// returns false when the name is not declared ("unknown parameter 'x' of effect model 'm'; did you mean
/// 'y'?"), or the value is not finite, outside the declared [min, max], fractional for an integer
/// parameter, or neither 0 nor 1 for a boolean one. Returns true (adding nothing) otherwise.
bool check_parameter(const model_handle& model, std::string_view name, double value, const source_location& where,
                     diagnostics& problems);

}  // namespace pathways
