#include "common/diagnostics.hpp"
#include "common/text_safety.hpp"

#include <algorithm>
#include <tuple>

namespace pathways {

void diagnostics::error(std::string file, std::size_t line, std::size_t column, std::string pointer,
                        std::string message) {
    items_.push_back({std::move(file), line, column, std::move(pointer), severity::error, std::move(message)});
}

bool diagnostics::has_errors() const {
    return std::any_of(items_.begin(), items_.end(), [](const diagnostic& d) { return d.level == severity::error; });
}

void diagnostics::sort() {
    std::stable_sort(items_.begin(), items_.end(), [](const diagnostic& a, const diagnostic& b) {
        return std::tie(a.file, a.line, a.column, a.pointer, a.message) <
               std::tie(b.file, b.line, b.column, b.pointer, b.message);
    });
}

void diagnostics::append(const diagnostics& other) {
    items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

std::string_view severity_name(severity level) {
    switch (level) {
        case severity::error: return "error";
        case severity::warning: return "warning";
        case severity::note: return "note";
    }
    return "error";
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            const std::size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::string format_diagnostic(const diagnostic& d) {
    std::string text = d.file.empty() ? std::string("<input>") : terminal_text(d.file);
    if (d.line > 0) {
        text += ':' + std::to_string(d.line);
        if (d.column > 0) text += ':' + std::to_string(d.column);
    }
    text += ": ";
    text += severity_name(d.level);
    text += ": ";
    if (!d.pointer.empty()) text += terminal_text(d.pointer) + ": ";
    text += terminal_text(d.message);
    return text;
}

std::vector<std::string> closest_matches(std::string_view word, const std::vector<std::string>& candidates,
                                         std::size_t max_results) {
    // A suggestion further away than a third of the word is noise rather than help.
    const std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
    std::vector<std::pair<std::size_t, std::string>> scored;
    for (const std::string& candidate : candidates) {
        const std::size_t distance = edit_distance(word, candidate);
        if (distance <= limit) scored.emplace_back(distance, candidate);
    }
    std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> best;
    for (std::size_t i = 0; i < scored.size() && i < max_results; ++i) best.push_back(scored[i].second);
    return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    const auto best = closest_matches(word, candidates);
    return best.empty() ? std::string() : "; did you mean '" + best.front() + "'?";
}

}  // namespace pathways
