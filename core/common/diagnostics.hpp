#pragma once
/// \file
/// Compiler-style diagnostics shared by every reader: `file:line:col: error: /pointer: message`.

#include <cstddef>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace pathways {

enum class severity { error, warning, note };

/// "error", "warning" or "note", as messages and JSON output spell it.
std::string_view severity_name(severity level);

/// One finding about an input file. `line` and `column` are 1-based; 0 means unknown.
struct diagnostic {
    std::string file;
    std::size_t line = 0;
    std::size_t column = 0;
    std::string pointer;  ///< RFC 6901 JSON pointer, or empty when the finding is not about JSON
    severity level = severity::error;
    std::string message;  ///< lowercase, says what is wrong and what is expected
};

/// Collects findings so that a reader can report every error in one pass.
class diagnostics {
public:
    void add(diagnostic d) { items_.push_back(std::move(d)); }
    void error(std::string file, std::size_t line, std::size_t column, std::string pointer, std::string message);
    [[nodiscard]] bool has_errors() const;
    [[nodiscard]] const std::vector<diagnostic>& items() const { return items_; }
    /// Orders findings by file, line, column, then message, so output is deterministic.
    void sort();
    void append(const diagnostics& other);

private:
    std::vector<diagnostic> items_;
};

/// `file:line:col: error: /pointer: message` (parts that are unknown are left out).
std::string format_diagnostic(const diagnostic& d);

/// The candidates closest to `word` by edit distance, nearest first; empty when none is close.
std::vector<std::string> closest_matches(std::string_view word, const std::vector<std::string>& candidates,
                                         std::size_t max_results = 1);

/// "; did you mean 'x'?" or an empty string.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// Thrown for bad input that is found outside a reader (exit code 2).
class input_error : public std::exception {
public:
    explicit input_error(diagnostics found) : found_(std::move(found)) {}
    [[nodiscard]] const diagnostics& found() const { return found_; }
    [[nodiscard]] const char* what() const noexcept override { return "invalid input"; }

private:
    diagnostics found_;
};

}  // namespace pathways
