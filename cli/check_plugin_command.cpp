// check-plugin: proves an effect-model plugin keeps the SDK's contract. Each model is checked in a child
// process (this binary, started again with a hidden option), so a model that crashes or hangs fails its
// verdict instead of taking the checker down.
#include <CLI/CLI.hpp>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "command_registry.hpp"
#include "console.hpp"
#include "plugin/contract_check.hpp"

extern char** environ;

namespace pathways::cli {
namespace {

struct check_plugin_options {
    std::string library;
    std::uint64_t seed = 1;
    unsigned timeout_seconds = 120;
    std::string child_model;  ///< hidden: set in the child process, which checks this one model
};

constexpr std::size_t check_count = static_cast<std::size_t>(contract_check::count);

/// The protocol the child speaks on stdout, one line each: "start<TAB>i", "result<TAB>i<TAB>0|1<TAB>reason",
/// "time<TAB>nanoseconds". Reasons lose their tabs and newlines.
std::string one_line(std::string text) {
    for (char& c : text) {
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    }
    return text;
}

int child_main(const check_plugin_options& options) {
    std::string problem;
    const auto models = read_plugin_file(options.library, problem);
    if (!models) {
        std::cerr << options.library << ": error: " << problem << '\n';
        return exit_invalid_input;
    }
    for (const model_handle& model : *models) {
        if (model.name != options.child_model) continue;
        const contract_report report = check_contract(model, options.seed, [](contract_check check) {
            std::cout << "start\t" << static_cast<int>(check) << std::endl;  // flushed: the parent must see it
        });
        for (const contract_check_result& result : report.checks) {
            std::cout << "result\t" << static_cast<int>(result.check) << '\t' << (result.passed ? 1 : 0) << '\t'
                      << one_line(result.reason) << '\n';
        }
        if (report.nanoseconds_per_cell_year > 0.0) std::cout << "time\t" << report.nanoseconds_per_cell_year << '\n';
        std::cout.flush();
        return exit_ok;
    }
    std::cerr << options.library << ": error: no effect model '" << options.child_model << "' in this plugin\n";
    return exit_invalid_input;
}

// ---------------------------------------------------------------------------------------------------------
// The parent: one child per model, its output read with a deadline.

/// What one child process said and how it ended.
struct child_outcome {
    std::string out;
    std::string err;
    bool timed_out = false;
    int status = 0;  ///< as waitpid gives it
};

/// Closes a descriptor when it goes out of scope.
struct descriptor {
    int fd = -1;
    descriptor() = default;
    descriptor(descriptor&& other) noexcept : fd(std::exchange(other.fd, -1)) {}
    descriptor(const descriptor&) = delete;
    descriptor& operator=(const descriptor&) = delete;
    descriptor& operator=(descriptor&&) = delete;
    ~descriptor() { reset(); }
    void reset() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

struct pipe_pair {
    descriptor read, write;
};

pipe_pair make_pipe() {
    std::array<int, 2> fds{};
    if (::pipe2(fds.data(), O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
    pipe_pair p;
    p.read.fd = fds[0];
    p.write.fd = fds[1];
    return p;
}

/// Starts `argv` with stdout and stderr on the pipes' write ends and SIGINT and SIGTERM unblocked (this
/// process blocks them for its watcher thread, and a child inherits the mask).
pid_t spawn(const std::vector<std::string>& argv, const pipe_pair& out, const pipe_pair& err) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out.write.fd, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err.write.fd, STDERR_FILENO);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    const int error = ::posix_spawn(&pid, args[0], &actions, &attributes, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (error != 0) throw std::system_error(error, std::generic_category(), "starting " + argv[0]);
    return pid;
}

/// Reads both pipes until they close or `timeout` passes; then kills the child if it still runs.
child_outcome collect(pid_t pid, pipe_pair& out, pipe_pair& err, std::chrono::seconds timeout) {
    out.write.reset();
    err.write.reset();
    child_outcome outcome;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::array<pollfd, 2> fds{{{out.read.fd, POLLIN, 0}, {err.read.fd, POLLIN, 0}}};
    std::array<std::string*, 2> sinks{&outcome.out, &outcome.err};
    int open = 2;
    while (open > 0) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            outcome.timed_out = true;
            ::kill(pid, SIGKILL);
            break;
        }
        if (::poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(left.count(), 1000))) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            std::array<char, 4096> buffer{};
            const ssize_t n = ::read(fds[i].fd, buffer.data(), buffer.size());
            if (n > 0) {
                sinks[i]->append(buffer.data(), static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                fds[i].fd = -1;
                --open;
            }
        }
    }
    while (::waitpid(pid, &outcome.status, 0) < 0 && errno == EINTR) {
    }
    return outcome;
}

std::string executable_path() {
    std::error_code error;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) throw std::system_error(error, "finding the pathways executable");
    return self.string();
}

child_outcome run_child(const check_plugin_options& options, const std::string& model) {
    pipe_pair out = make_pipe();
    pipe_pair err = make_pipe();
    const pid_t pid = spawn({executable_path(), "check-plugin", "--child-model", model, "--seed",
                             std::to_string(options.seed), "--", options.library},
                            out, err);
    return collect(pid, out, err, std::chrono::seconds(options.timeout_seconds));
}

// ---------------------------------------------------------------------------------------------------------
// Verdicts

struct check_line {
    enum class state { passed, failed, not_run } result = state::not_run;
    std::string reason;
};

struct model_verdict {
    std::array<check_line, check_count> checks;
    std::optional<double> nanoseconds;
    [[nodiscard]] bool passed() const {
        return std::all_of(checks.begin(), checks.end(),
                           [](const check_line& c) { return c.result == check_line::state::passed; });
    }
};

/// The last line the child wrote on stderr, which often names what went wrong before it died.
std::string last_words(const std::string& err) {
    std::string text = err;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    const std::size_t newline = text.rfind('\n');
    text = newline == std::string::npos ? text : text.substr(newline + 1);
    if (text.size() > 200) text = text.substr(0, 200) + "...";
    return text.empty() ? "" : " (its last words: " + one_line(text) + ")";
}

std::string how_it_ended(const child_outcome& outcome, unsigned timeout_seconds) {
    if (outcome.timed_out) return "it did not finish within " + std::to_string(timeout_seconds) + " s (a hang?)";
    if (WIFSIGNALED(outcome.status)) {
        const int signal = WTERMSIG(outcome.status);
        return "the plugin crashed: killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")" +
               last_words(outcome.err);
    }
    return "the check process exited with status " + std::to_string(WEXITSTATUS(outcome.status)) +
           " before it finished" + last_words(outcome.err);
}

model_verdict verdict_of(const child_outcome& outcome, unsigned timeout_seconds) {
    model_verdict verdict;
    std::size_t running = check_count;  // the check started and not finished; none
    std::istringstream lines(outcome.out);
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string kind;
        std::getline(fields, kind, '\t');
        std::string index_text, passed, reason;
        std::getline(fields, index_text, '\t');
        if (kind == "time") {
            verdict.nanoseconds = std::strtod(index_text.c_str(), nullptr);
            continue;
        }
        const std::size_t index = std::strtoul(index_text.c_str(), nullptr, 10);
        if (index >= check_count) continue;
        if (kind == "start") running = index;
        if (kind != "result") continue;
        std::getline(fields, passed, '\t');
        std::getline(fields, reason);
        verdict.checks[index] = {passed == "1" ? check_line::state::passed : check_line::state::failed, reason};
        if (running == index) running = check_count;
    }
    const bool finished = !outcome.timed_out && WIFEXITED(outcome.status) && WEXITSTATUS(outcome.status) == 0;
    if (finished) return verdict;
    const std::string ending = how_it_ended(outcome, timeout_seconds);
    if (running < check_count) verdict.checks[running] = {check_line::state::failed, ending};
    else if (verdict.checks.front().result == check_line::state::not_run)
        verdict.checks.front() = {check_line::state::failed, ending};
    return verdict;
}

void print_verdict(const model_handle& model, const model_verdict& verdict) {
    std::cout << model.name << ' ' << model.version << ": " << (verdict.passed() ? "PASS" : "FAIL") << '\n';
    for (std::size_t c = 0; c < check_count; ++c) {
        const check_line& line = verdict.checks[c];
        const char* word = line.result == check_line::state::passed   ? "PASS"
                           : line.result == check_line::state::failed ? "FAIL"
                                                                      : "SKIP";
        const std::string reason =
            line.result == check_line::state::not_run ? "not run after the failure above" : line.reason;
        std::cout << "  " << word << "  " << check_name(static_cast<contract_check>(c)) << ": " << reason << '\n';
    }
    if (verdict.nanoseconds) {
        char text[64];
        std::snprintf(text, sizeof text, "%.3g", *verdict.nanoseconds);
        std::cout << "  time  " << text << " ns per cell-year (one node, one draw; not a pass/fail criterion)\n";
    }
}

int check_plugin_command(const check_plugin_options& options) {
    if (!options.child_model.empty()) return child_main(options);
    std::string problem;
    const auto models = read_plugin_file(options.library, problem);  // reads the file; runs none of its code
    if (!models) {
        std::cerr << options.library << ": error: " << problem << '\n';
        return exit_invalid_input;
    }
    if (models->empty()) {
        std::cerr << options.library << ": error: the plugin declares no effect model\n";
        return exit_invalid_input;
    }
    bool all_passed = true;
    for (const model_handle& model : *models) {
        if (interrupted()) return interrupted_exit();
        const model_verdict verdict = verdict_of(run_child(options, model.name), options.timeout_seconds);
        print_verdict(model, verdict);
        all_passed = all_passed && verdict.passed();
    }
    return all_passed ? exit_ok : exit_internal;
}

const command_registration registration{{
    .order = 45,
    .name = "check-plugin",
    .description = "Prove an effect-model plugin keeps the SDK's contract, model by model",
    .examples = "pathways check-plugin build/lib/pathways/plugins/libpathways_linear.so\n"
                "  pathways check-plugin my-models/build/libpathways_damped.so --timeout 30",
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<check_plugin_options>();
        command.add_option("library", options->library, "The plugin file (a libpathways_*.so)")->required();
        command.add_option("--seed", options->seed, "Seed of the synthetic cells, parents and draws (default 1)");
        command
            .add_option("--timeout", options->timeout_seconds,
                        "Seconds each model's checks may take before it counts as hung (default 120)")
            ->check(CLI::Range(1u, 86400u));
        // The child process's mode: not for users, so not in --help.
        command.add_option("--child-model", options->child_model)->group("");
        return [options](int, char**) { return check_plugin_command(*options); };
    },
}};

}  // namespace
}  // namespace pathways::cli
