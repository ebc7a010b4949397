#pragma once
/// \file
/// JSON string literals for the writers that assemble JSON text themselves.

#include <string>
#include <string_view>

namespace pathways {

/// `text` as a JSON string literal, quotes included: `"` and `\` escaped, control characters as
/// \b, \f, \n, \r, \t or \u00XX; other bytes (UTF-8 included) pass through unchanged.
std::string json_quote(std::string_view text);

}  // namespace pathways
