#pragma once
/// \file
/// Text from input files as it leaves the program: on the terminal control characters must not
/// move the cursor or recolour it, and numbers in messages are shown exactly as they are (CSV
/// cells that a spreadsheet must not run as a formula: common/csv.hpp).

#include <string>
#include <string_view>

namespace pathways {

/// `text` with every control character (below 0x20, and 0x7f) written as \n, \t, \r
/// or \xNN, so that input strings cannot drive the terminal.
std::string terminal_text(std::string_view text);

/// The shortest text that reads back as `value` ("0.1", "1.0000001", "1e-300"); NaN, Inf, -Inf.
std::string shortest_number(double value);

}  // namespace pathways
