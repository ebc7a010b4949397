#include "command_registry.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace pathways::cli {
namespace {

/// Function-local, so it exists before the first registration whatever order the files' statics
/// are initialised in.
std::vector<command_entry>& entries() {
    static std::vector<command_entry> commands;
    return commands;
}

}  // namespace

const std::vector<command_entry>& registered_commands() { return entries(); }

command_registration::command_registration(command_entry entry) {
    auto& commands = entries();
    for (const command_entry& registered : commands) {
        // A shared order would leave the two commands' places in --help to the link order.
        if (registered.order == entry.order || registered.name == entry.name)
            throw std::logic_error("pathways: command '" + entry.name + "' has the order or name of '" +
                                   registered.name + "'");
    }
    // Kept sorted as they come, since the link order decides which file registers first.
    const auto place = std::upper_bound(commands.begin(), commands.end(), entry.order,
                                        [](int order, const command_entry& other) { return order < other.order; });
    commands.insert(place, std::move(entry));
}

}  // namespace pathways::cli
