#pragma once
// Terminal plumbing shared by the commands: diagnostics, exit codes, progress and Ctrl-C.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "common/diagnostics.hpp"
#include "signals.hpp"

namespace pathways::cli {

/// Exit codes: 0 success, 1 internal error, 2 invalid input, 3 the machine failed (disk full,
/// read-only folder, an output path that is not a folder), 130 SIGINT, 143 SIGTERM (signals.hpp).
/// exit_differs: `pathways rerun` repeated the run and some of its files differ from the folder's.
enum exit_code : int { exit_ok = 0, exit_internal = 1, exit_invalid_input = 2, exit_environment = 3, exit_differs = 4 };

/// A command that writes nothing and ignores `interrupted()` still ends with the signal's code.
int unless_interrupted(int code);

enum class diagnostic_format { text, json };

/// Prints findings sorted, as `file:line:col: error: /pointer: message` or as a JSON array. Text
/// shows 20 findings of one kind (the same message but for quoted names and numbers) and counts the
/// rest ("... and N more like this"); JSON lists every finding.
void print_diagnostics(diagnostics found, diagnostic_format format);

/// Control characters that reach std::cerr, or std::cout when it is a terminal, are written as
/// escapes (terminal_text) except newlines and tabs, so input strings cannot drive the terminal.
void escape_control_characters_on_terminal();

/// Draws done, rate and time left on stderr, redrawn in place; silent when stderr is not a
/// terminal or when `quiet`.
class progress_display {
public:
    progress_display(std::string label, bool quiet);
    ~progress_display();
    void update(std::size_t done, std::size_t total);
    [[nodiscard]] std::function<void(std::size_t, std::size_t)> callback();

private:
    std::string label_;
    bool enabled_ = false;
    std::chrono::steady_clock::time_point start_;
    std::atomic<long long> last_draw_ms_{-1000};
};

}  // namespace pathways::cli
