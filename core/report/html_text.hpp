#pragma once
/// \file
/// Text helpers for the HTML report: escaping and numbers as people read them.

#include <string>
#include <string_view>

namespace pathways::html {

/// Escapes `&`, `<`, `>`, `"` and `'` so that any text (URLs in sources included) renders as plain text.
std::string escape(std::string_view text);

/// `value` with `decimals` decimals and a real minus sign; "+" in front of positives when `sign`.
std::string number(double value, int decimals, bool sign = false);

/// "mean [p05 to p95]" with a real minus sign.
std::string interval(double mean, double low, double high, int decimals, bool sign = true);

/// A coordinate for SVG: two decimals, no exponent.
std::string coordinate(double value);

/// "race:black" → "Black", "ell:ell&frl:yes" → "English learners & free/reduced lunch", first letter capital.
std::string subgroup_label(std::string_view expression);

/// The Okabe–Ito colour-blind-safe palette.
namespace palette {
inline constexpr std::string_view black = "#000000";
inline constexpr std::string_view orange = "#E69F00";
inline constexpr std::string_view sky_blue = "#56B4E9";
inline constexpr std::string_view bluish_green = "#009E73";
inline constexpr std::string_view yellow = "#F0E442";
inline constexpr std::string_view blue = "#0072B2";
inline constexpr std::string_view vermillion = "#D55E00";
inline constexpr std::string_view reddish_purple = "#CC79A7";
}  // namespace palette

}  // namespace pathways::html
