#pragma once
// costs: every plan's ingredients (quantities, prices, what they follow, present value) before any run.

#include <string>

#include "commands.hpp"

namespace pathways::cli {

struct costs_options {
    std::string scenario_file;
    std::string format = "text";  ///< text or csv
};
int costs_command(const costs_options& options, const plugin_options& plugins);

}  // namespace pathways::cli
