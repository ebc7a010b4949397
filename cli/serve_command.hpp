#pragma once
// serve: the explorer, a local web page that edits a scenario's plan and projects it as it changes.

#include <string>
#include <vector>

#include "commands.hpp"

namespace pathways::cli {

struct serve_options {
    std::string scenario_file;  ///< empty: the page opens one from disk
    int port = 8321;            ///< 0: any free port
    std::string bind = "127.0.0.1";
    std::vector<std::string> allow_hosts;  ///< --allow-host: required with a bind that is not loopback
    unsigned threads = 0;
};
int serve_command(const serve_options& options, const plugin_options& plugins);

}  // namespace pathways::cli
