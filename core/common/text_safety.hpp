#pragma once
/// \file
/// Text from input files as it leaves the program: in CSV cells a spreadsheet must not run as a
/// formula, on the terminal control characters must not move the cursor or recolour it, and
/// numbers in messages are shown exactly as they are.

#include <string>
#include <string_view>

namespace pathways {

/// One CSV text cell (a name, a variant, a subgroup, an id; never a number). A cell that a
/// spreadsheet would read as a formula, one starting with =, +, -, @, a tab or a carriage return,
/// gets a leading single quote (the OWASP advice on CSV injection); then cells with a comma, a
/// quote or a line break are quoted as RFC 4180 says.
std::string csv_text_field(std::string_view text);

/// `text` with every control character (below 0x20, and 0x7f) written as \n, \t, \r
/// or \xNN, so that input strings cannot drive the terminal.
std::string terminal_text(std::string_view text);

/// The shortest text that reads back as `value` ("0.1", "1.0000001", "1e-300"); NaN, Inf, -Inf.
std::string shortest_number(double value);

}  // namespace pathways
