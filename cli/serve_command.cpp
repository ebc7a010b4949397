#include "serve_command.hpp"

#include <iostream>
#include <memory>

#include "command_options.hpp"
#include "command_registry.hpp"
#include "common/environment_error.hpp"
#include "scenario/scenario_reader.hpp"
#include "serve/http_server.hpp"
#include "signals.hpp"
#include "thread_count.hpp"

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

namespace {

const command_registration registration{{
    .order = 220,
    .name = "serve",
    .description = "Explore a scenario's plan in the browser: a local web page and JSON API",
    .examples =
        "pathways serve scenarios/denver-scale-up.json\n  pathways serve scenarios/denver-scale-up.json --port 0",
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<serve_options>();
        auto plugins = std::make_shared<plugin_options>();
        command.add_option("scenario", options->scenario_file, "Scenario file to explore (JSON, format v1)");
        command.add_option("--port", options->port, "Port to listen on (default 8321; 0: any free port)")
            ->check(CLI::Range(0, 65535));
        command.add_option("--bind", options->bind,
                           "Address to listen on (default 127.0.0.1, this machine only; another address is "
                           "reachable from other machines)");
        command.add_option("--allow-host", options->allow_hosts,
                           "Host name browsers reach the server by (repeatable); required with a --bind that is not "
                           "loopback, and the only names answered there");
        command.add_option("--threads", options->threads, "Worker threads per run (default: all cores)");
        add_plugin_options(command, *plugins);
        return [options, plugins](int, char**) {
            options->threads = worker_threads(options->threads);
            return serve_command(*options, *plugins);
        };
    },
}};

}  // namespace

}  // namespace pathways::cli
