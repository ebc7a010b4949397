#include "serve_command.hpp"

#include <iostream>

#include "common/environment_error.hpp"
#include "scenario/scenario_reader.hpp"
#include "serve/http_server.hpp"
#include "signals.hpp"

namespace pathways::cli {
namespace {

/// A served scenario must at least read: the page starts from it.
void check_served_scenario(const std::string& file) {
    if (file.empty()) return;
    diagnostics found;
    if (!scenario_file::parse(file, found)) throw input_error(found);
}

}  // namespace

int serve_command(const serve_options& options, const plugin_options& plugins) {
    check_served_scenario(options.scenario_file);
    const plugin_registry registry = load_plugins(plugins);
    if (!is_loopback_address(options.bind)) {
        if (options.allow_hosts.empty()) {
            diagnostics found;
            found.error("<command line>", 0, 0, "",
                        "--bind " + options.bind +
                            ": no --allow-host; expected the host names people's browsers reach this server by, as "
                            "in --allow-host explorer.district.org (a page of any site could otherwise read the API "
                            "through a DNS name rebound to this address)");
            throw input_error(found);
        }
        std::cerr << "warning: --bind " << options.bind
                  << ": the explorer is reachable from other machines; anyone who can reach this address can run "
                     "projections on this machine and read the served scenario, from a browser or a script\n";
    }
    explorer_api api(options.scenario_file, registry, explorer_limits{}, options.threads);
    const server_options listen{options.bind, options.port, options.allow_hosts};
    const std::string failed = serve_explorer(api, listen, interrupted(), [&options](int port) {
        const std::string host = options.bind.find(':') != std::string::npos ? "[" + options.bind + "]" : options.bind;
        std::cout << "pathways serve: http://" << host << ":" << port << "/ (Ctrl-C to stop)" << std::endl;
    });
    if (!failed.empty()) throw environment_error(failed);
    return interrupted_exit();
}

}  // namespace pathways::cli
