#pragma once
// sensitivity: a tornado and Sobol indices for one projected value.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"

namespace pathways::cli {

struct sensitivity_command_options {
    std::string scenario_file;
    std::string variant = "base";
    parameter_options parameters;  ///< --set and --set-file
    std::string outcome;
    std::string subgroup;
    std::optional<int> year;
    std::string metric = "effect";
    std::string course = "with_cut_risk";  ///< with_cut_risk or if_sustained
    std::size_t base_samples = 256;
    std::size_t bootstrap = 200;
    std::optional<std::string> seed;
    std::vector<std::string> command_line;
    unsigned threads = 0;
    std::string out_dir;
    bool force = false;
    bool quiet = false;
    split_options split;
};
int sensitivity_command(const sensitivity_command_options& options, const plugin_options& plugins);

}  // namespace pathways::cli
