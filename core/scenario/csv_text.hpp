#pragma once
/// \file
/// What the CSV readers of user files share: comment lines, and the line and column of every field,
/// so that each problem is reported at `file:line:col`.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pathways::csv_text {

/// `text` without leading and trailing spaces and tabs.
std::string_view trim(std::string_view text);

/// The text with every comment line (first non-blank character `#`) emptied, so that the CSV parser
/// drops it as a blank line and every other line keeps its number.
std::string without_comments(std::string_view text);

/// 1-based character column where each field of `line` starts (quotes respected), for messages that
/// point at a field. A record that spans lines gets the columns of its first line.
std::vector<std::size_t> field_columns(std::string_view line);

/// The text of every line, 1-based (entry 0 is empty).
std::vector<std::string_view> lines_of(std::string_view text);

}  // namespace pathways::csv_text
