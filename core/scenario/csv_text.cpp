#include "scenario/csv_text.hpp"

namespace pathways::csv_text {

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

std::string without_comments(std::string_view text) {
    std::string kept;
    kept.reserve(text.size());
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        const std::size_t stop = end == std::string_view::npos ? text.size() : end + 1;
        const std::string_view line = text.substr(start, stop - start);
        if (trim(line).starts_with('#')) kept += end == std::string_view::npos ? "" : "\n";
        else kept += line;
        start = stop;
    }
    return kept;
}

std::vector<std::size_t> field_columns(std::string_view line) {
    std::vector<std::size_t> columns{1};
    bool quoted = false;
    for (std::size_t i = 0; i < line.size() && line[i] != '\n' && line[i] != '\r'; ++i) {
        if (line[i] == '"') quoted = !quoted;
        else if (line[i] == ',' && !quoted) columns.push_back(i + 2);
    }
    return columns;
}

std::vector<std::string_view> lines_of(std::string_view text) {
    std::vector<std::string_view> lines{std::string_view{}};
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) {
            lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

}  // namespace pathways::csv_text
