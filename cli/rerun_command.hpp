#pragma once
// rerun: repeat the run a results folder holds, from the inputs it keeps, and say whether its files
// come out the same.

#include <string>
#include <vector>

#include "commands.hpp"

namespace pathways::cli {

struct rerun_options {
    std::string results_dir;
    std::string out_dir;  ///< default: RESULTS_DIR-rerun
    bool force = false;
    unsigned threads = 0;
    bool quiet = false;
    std::vector<std::string> command_line;
};

/// Exit 0 when every data file of the folder comes out byte for byte the same, 4 (exit_differs) when
/// one differs or is missing, 2 when the folder keeps no inputs.
int rerun_command(const rerun_options& options, const plugin_options& plugins);

}  // namespace pathways::cli
