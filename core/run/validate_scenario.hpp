#pragma once
/// \file
/// The checks `pathways validate` makes on a scenario file, for every caller that validates one
/// (the validate command, the explorer's POST /api/validate): the same checks, the same messages.

#include "common/diagnostics.hpp"
#include "plugin/registry.hpp"
#include "scenario/scenario_reader.hpp"

namespace pathways {

/// A scenario is valid when its base and every variant load, their waves select schools and their
/// gaps have baselines. Each variant is merged onto the parsed file; a problem every variant
/// inherits is reported once, a variant's own problems prefixed "in variant 'NAME': ".
void validate_scenario(const scenario_file& file, const plugin_registry& plugins, diagnostics& found);

}  // namespace pathways
