// pathways: what-if projections for theories of change in schools.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>
#include <vector>

#include "command_registry.hpp"
#include "common/diagnostics.hpp"
#include "common/environment_error.hpp"
#include "common/sha256.hpp"
#include "common/version.hpp"
#include "console.hpp"
#include "engine/worker_threads.hpp"
#include "plugin/plugin_error.hpp"
#include "rank_output.hpp"
#include "run/ranks.hpp"

namespace {

using namespace pathways::cli;

/// "unknown command 'rn'; did you mean 'run'?" for a first argument that names no command (exit 2);
/// CLI11 alone would only say that an argument was not expected.
bool refuse_unknown_command(CLI::App& app, int argc, char** argv) {
    if (argc < 2 || argv[1][0] == '-') return false;
    std::vector<std::string> names;
    for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; }))
        names.push_back(command->get_name());
    const std::string word = argv[1];
    if (std::find(names.begin(), names.end(), word) != names.end()) return false;
    const std::string suggestion = pathways::did_you_mean(word, names);
    std::cerr << "pathways: error: unknown command '" << word << "'"
              << (suggestion.empty() ? "; see pathways --help for the commands" : suggestion) << '\n';
    return true;
}

/// A command as main declared it: its subcommand, whether it projects, and what runs it.
struct declared_command {
    CLI::App* command;
    bool projects;
    command_action action;
};

}  // namespace

int run_pathways(int argc, char** argv) {
    escape_control_characters_on_terminal();
    CLI::App app{"pathways: project every student subgroup's outcomes under a theory of change"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("pathways ") + pathways::version);
    app.footer(
        "\nExamples:\n"
        "  pathways validate scenarios/denver-scale-up.json\n"
        "  pathways run scenarios/denver-scale-up.json --all-variants --force\n"
        "  pathways describe lagged\n"
        "  pathways COMMAND --help   (examples of each command)\n");
    // Each command registers itself from its own file (command_registry.hpp), in `order`.
    std::vector<declared_command> commands;
    for (const command_entry& entry : registered_commands()) {
        CLI::App* command = app.add_subcommand(entry.name, entry.description);
        command->footer("\nExamples:\n  " + entry.examples + "\n");
        commands.push_back({command, entry.projects, entry.declare(*command)});
    }

    if (refuse_unknown_command(app, argc, argv)) return exit_invalid_input;
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? exit_ok : exit_invalid_input;
    }
    const auto chosen = std::find_if(commands.begin(), commands.end(),
                                     [](const declared_command& declared) { return declared.command->parsed(); });
    if (chosen == commands.end()) return exit_internal;  // require_subcommand(1) leaves none unchosen
    // Under MPI the commands that project split their draws over the ranks; any other runs on rank 0 alone.
    if (!pathways::is_root_rank() && !chosen->projects) return exit_ok;

    try {
        return chosen->action(argc, argv);
    } catch (const pathways::rank_failed&) {
        throw;  // rank 0 reported it; every rank leaves with the failed rank's code
    } catch (const pathways::input_error& e) {
        print_diagnostics(e.found(), diagnostic_format::text);
        return exit_invalid_input;
    } catch (const pathways::plugin_error& e) {
        // The input was valid but a model failed while running: not the user's file to fix.
        std::cerr << "pathways: error: " << e.what() << '\n';
        return exit_internal;
    } catch (const pathways::environment_error& e) {
        std::cerr << "pathways: error: " << e.what() << '\n';
        return exit_environment;
    } catch (const std::filesystem::filesystem_error& e) {
        std::cerr << "pathways: error: " << e.what() << '\n';
        return exit_environment;
    } catch (const pathways::resource_error& e) {
        // The machine refused a thread or similar: the user can fix it with fewer threads or higher limits.
        std::cerr << "pathways: error: " << e.what() << '\n';
        return exit_environment;
    } catch (const std::system_error& e) {
        // A thread, mutex or similar the system refused (EAGAIN under `ulimit -v` or `ulimit -u`).
        std::cerr << "pathways: error: the system refused a resource: " << e.what()
                  << "; raise the process limits (ulimit -v, ulimit -u) or use fewer --threads\n";
        return exit_environment;
    } catch (const std::exception& e) {
        std::cerr << "pathways: internal error: " << e.what() << '\n';
        return exit_internal;
    }
}

namespace {

std::string command_line_of(int argc, char** argv) {
    std::string line;
    for (int i = 0; i < argc; ++i) line += (i == 0 ? "" : " ") + std::string(argv[i]);
    return line;
}

/// What the ranks of an MPI run must agree on: the command line, and the bytes of every argument that
/// names a file (the scenario, observed data, parameter files...).
std::string request_fingerprint(int argc, char** argv) {
    std::string request;
    for (int i = 1; i < argc; ++i) {
        request += std::string(argv[i]) + '\0';
        std::error_code error;
        if (std::filesystem::is_regular_file(argv[i], error))
            request += pathways::sha256_file(argv[i]).value_or("unreadable") + '\0';
    }
    return pathways::sha256_hex(request);
}

}  // namespace

int main(int argc, char** argv) {
    install_signal_handling();  // first: the signal mask is inherited by every thread started later, MPI's too
    const pathways::rank_session ranks(argc, argv);
    quiet_unless_rank_0();
    if (pathways::request_differs_from_first_rank(request_fingerprint(argc, argv))) {
        // The other ranks stop at their first agreement, and rank 0 prints this.
        return pathways::conclude(exit_invalid_input,
                                  "pathways: error: this rank was started as `" + command_line_of(argc, argv) +
                                      "`, which differs from rank 0's command line or inputs; expected "
                                      "every rank to run the same command on the same inputs\n");
    }
    try {
        const int code = run_pathways(argc, argv);
        return pathways::conclude(code, captured_errors());
    } catch (const pathways::rank_failed& failed) {
        return failed.exit_code();
    }
}
