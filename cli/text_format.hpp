#pragma once
// Helpers for the commands' aligned text tables.

#include <cstddef>
#include <cstdio>
#include <string>

namespace pathways::cli {

/// `value` printed with a printf format for one double, e.g. "%+.4f".
inline std::string formatted(double value, const char* format) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, value);
    return buffer;
}

/// `text` padded with spaces to at least `width` characters.
inline std::string padded(std::string text, std::size_t width) {
    if (text.size() < width) text.append(width - text.size(), ' ');
    return text;
}

}  // namespace pathways::cli
