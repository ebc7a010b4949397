#pragma once
// sweep: a what-if grid over a scenario's numbers, one tidy table (and optionally SQLite) for all of it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"

namespace pathways::cli {

struct sweep_options {
    std::string scenario_file;
    std::vector<std::string> grid;  ///< `/json/pointer=v1,v2,...`, one per axis
    parameter_options parameters;   ///< --set and --set-file
    std::string variant = "base";
    std::optional<std::string> draws;  ///< checked by the run layer (run_request.hpp)
    std::optional<std::string> seed;
    unsigned threads = 0;
    std::string out_dir;
    bool force = false;
    std::string db;
    bool all_years = false;
    bool per_draw = false;  ///< also store every draw of every unsuppressed row in the database (--db)
    bool quiet = false;
    split_options split;
    std::vector<std::string> command_line;
};
int sweep_command(const sweep_options& options, const plugin_options& plugins);

}  // namespace pathways::cli
