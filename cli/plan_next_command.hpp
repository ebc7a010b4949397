#pragma once
// plan-next: which schools a next wave should add, chosen on common random numbers, written as a scenario.

#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "parameter_settings.hpp"

namespace pathways::cli {

struct plan_next_command_options {
    std::string scenario_file;
    std::string variant = "base";
    std::size_t schools = 0;
    std::optional<double> budget;
    std::string objective = "all";
    std::optional<std::string> draws;  ///< of the final evaluation; checked by the run layer
    std::optional<std::string> seed;
    parameter_options parameters;  ///< --set, --set-file, --model
    std::size_t random_sets = 20;
    unsigned threads = 0;
    std::string out_dir;
    bool force = false;
    std::vector<std::string> command_line;
};
int plan_next_command(const plan_next_command_options& options, const plugin_options& plugins);

}  // namespace pathways::cli
