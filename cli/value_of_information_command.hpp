#pragma once
// value-of-information: what learning more before choosing among a scenario's plans would be worth.

#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "parameter_settings.hpp"

namespace pathways::cli {

struct value_of_information_options {
    std::string scenario_file;
    double willingness_to_pay = 20000.0;  ///< dollars per SD per student
    std::optional<std::string> draws;     ///< checked by the run layer
    std::optional<std::string> seed;
    parameter_options parameters;  ///< --set, --set-file, --model
    unsigned threads = 0;
    bool quiet = false;
    std::vector<std::string> command_line;
};
int value_of_information_command(const value_of_information_options& options, const plugin_options& plugins);

}  // namespace pathways::cli
