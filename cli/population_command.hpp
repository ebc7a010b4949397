#pragma once
// population: what pathways builds from a district profile (schools with starting levels, or cells).

#include <string>

#include "commands.hpp"

namespace pathways::cli {

struct population_options {
    std::string district_file;
    std::string model_file;       ///< empty: the embedded DPS model
    std::string format = "text";  ///< text, csv or json
    bool cells = false;           ///< the cell table instead of the school table
};
int population_command(const population_options& options);

}  // namespace pathways::cli
