#pragma once
/// \file
/// Numbers and table cells as the terminal, CSV and report text print them ({fmt} underneath).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace pathways {

/// A number as the tables print it: 6 significant digits; magnitudes below 1e-12 (summation
/// residue on a scale of standard deviations) and "-0" are written "0"; NaN and infinities "".
std::string format_value(double value);

/// A number as the data files write it (projection.csv, draws.csv, inputs.csv): the shortest text that
/// reads back as the same double, so a reader re-computes a summary from the draws to the last bit;
/// residue below 1e-12 and "-0" are written "0", NaN and infinities "".
std::string exact_value(double value);

/// `value` with `decimals` digits after the point: "0.120".
std::string fixed(double value, int decimals);

/// `value` with `decimals` digits after the point and always a sign: "+0.120", "-1.5".
std::string signed_fixed(double value, int decimals);

/// `text` left-aligned in at least `width` columns (counted as the terminal shows UTF-8, so "β"
/// takes one); longer text is kept whole.
std::string padded(std::string_view text, std::size_t width);

/// A table cell: `text` padded to `width` and then one space, so that a cell longer than its
/// column still stands apart from the next.
std::string cell(std::string_view text, std::size_t width);

/// The whole of `text` as a finite number (strtod's syntax); nullopt when it is empty, has
/// anything after the number, or is NaN or infinite.
std::optional<double> parse_number(std::string_view text);

}  // namespace pathways
