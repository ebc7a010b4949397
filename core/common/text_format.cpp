#include "common/text_format.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

namespace pathways {

namespace {

// Means of SD-scale values carry summation residue around 1e-15; written as is, a business-as-usual
// level of exactly zero would read as -1.14722e-15.
constexpr double residue = 1e-12;

}  // namespace

std::string format_value(double value) {
    if (!std::isfinite(value)) return "";
    if (std::abs(value) < residue) return "0";
    std::string text = fmt::format("{:.6g}", value);
    return text == "-0" ? "0" : text;
}

std::string exact_value(double value) {
    if (!std::isfinite(value)) return "";
    if (std::abs(value) < residue) return "0";
    return fmt::format("{}", value);  // {fmt}'s default for a double is the shortest round-trip text
}

std::string fixed(double value, int decimals) { return fmt::format("{:.{}f}", value, decimals); }

std::string signed_fixed(double value, int decimals) { return fmt::format("{:+.{}f}", value, decimals); }

std::string padded(std::string_view text, std::size_t width) { return fmt::format("{:<{}}", text, width); }

std::string cell(std::string_view text, std::size_t width) { return fmt::format("{:<{}} ", text, width); }

std::optional<double> parse_number(std::string_view text) {
    if (text.empty()) return std::nullopt;
    const std::string terminated(text);
    char* end = nullptr;
    const double value = std::strtod(terminated.c_str(), &end);
    if (*end != '\0' || !std::isfinite(value)) return std::nullopt;
    return value;
}

}  // namespace pathways
