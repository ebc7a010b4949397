#pragma once
// The commands of `pathways`: each registers itself from the file that implements it (its options,
// examples and what it runs), so main only builds the command line from this list and dispatches.

#include <functional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace pathways::cli {

/// Runs a command once the command line parsed; gets main's arguments (for the manifest's command line).
using command_action = std::function<int(int argc, char** argv)>;

struct command_entry {
    int order;  ///< place in `pathways --help`, ascending; unique
    std::string name;
    std::string description;  ///< the line under "Subcommands:" in `pathways --help`
    std::string examples;     ///< the footer of `pathways NAME --help`, as a user would type them
    /// Under MPI a command that projects runs on every rank (they split its draws or schools); any
    /// other runs on rank 0 alone and the other ranks exit 0.
    bool projects = false;
    /// Adds the command's options to `command` (the subcommand main made with name and description),
    /// binds them to state it owns, and returns what runs the command with those values.
    std::function<command_action(CLI::App& command)> declare;
};

/// Every registered command, by `order`.
const std::vector<command_entry>& registered_commands();

/// Registers a command; defined at namespace scope in the command's file, so it runs before main.
/// Throws std::logic_error for an order or name another command has.
struct command_registration {
    explicit command_registration(command_entry entry);
};

}  // namespace pathways::cli
