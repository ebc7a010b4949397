#pragma once
/// \file
/// Numbers as messages show them.

#include <string>

namespace pathways {

/// Shortest text that reads back as `value` ("0.1", "2", "1e+300"); "NaN", "Inf" and "-Inf" for the
/// non-finite values.
std::string format_number(double value);

}  // namespace pathways
