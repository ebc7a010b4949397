#pragma once
// report and effects: what people read after a run, and which drivers move which outcomes.

#include <filesystem>
#include <string>

#include "commands.hpp"
#include "engine/scenario_loader.hpp"

namespace pathways::cli {

struct report_options {
    std::string results_dir;
    std::string output;  ///< default: RESULTS_DIR/report.html
    bool force = false;
};
int report_command(const report_options& options, const plugin_options& plugins);

struct effects_options {
    std::string model_file;
    std::string scenario_file;
    std::string format = "table";
};
int effects_command(const effects_options& options, const plugin_options& plugins);

}  // namespace pathways::cli
