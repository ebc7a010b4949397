// rerun: a results folder's run repeated from the inputs it keeps, its files compared by hash.
#include "rerun_command.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include "command_options.hpp"
#include "command_registry.hpp"
#include "run/manifest.hpp"
#include "run/rerun.hpp"
#include "scenario/results_reader.hpp"
#include "thread_count.hpp"

namespace pathways::cli {
namespace {

/// Files whose bytes depend on when and how the run was made (the manifest's timings and command line,
/// the report that shows them), not on what it computed: not compared.
bool compared(const std::string& name) { return name != "manifest.json" && name != "report.html"; }

/// `run`'s options that write the files the folder holds, into `out`.
run_options options_like(const run_manifest& manifest, const std::filesystem::path& folder,
                         const rerun_options& rerun) {
    run_options run;
    run.out_dir = rerun.out_dir.empty() ? folder.string() + "-rerun" : rerun.out_dir;
    run.force = rerun.force;
    run.threads = rerun.threads;
    run.quiet = rerun.quiet;
    run.command_line = rerun.command_line;
    const auto holds = [&](const std::string& name) {
        return std::any_of(manifest.outputs.begin(), manifest.outputs.end(),
                           [&](const auto& output) { return output.first == name; });
    };
    run.formats.clear();
    for (const char* format : {"csv", "json"}) {
        if (holds(std::string("projection.") + format))
            run.formats += (run.formats.empty() ? "" : ",") + std::string(format);
    }
    run.per_draw = holds("draws.csv");
    run.report = holds("report.html");
    for (const manifest_input& input : manifest.inputs) {
        if (input.role.rfind("parameters-", 0) == 0 && !input.copy.empty())
            run.parameters.set_files.push_back((folder / input.copy).string());
    }
    return run;
}

}  // namespace

int rerun_command(const rerun_options& options, const plugin_options& plugins) {
    const plugin_registry registry = load_plugins(plugins);
    const std::filesystem::path folder(options.results_dir);
    diagnostics found;
    const auto manifest = read_run_manifest(folder, found);
    if (!manifest) throw input_error(found);
    auto request = rerun_request(folder, *manifest, found);
    if (!request) throw input_error(found);
    const run_options run = options_like(*manifest, folder, options);
    request->threads = run.threads;
    request->command_line = options.command_line;
    if (const int status = run_into_folder(*request, run, registry); status != exit_ok) return status;

    const auto repeated = read_run_manifest(run.out_dir, found);
    if (!repeated) throw input_error(found);
    std::size_t same = 0;
    std::size_t differ = 0;
    std::cout << "\nRerun of " << folder.string() << " from the inputs it keeps, into " << run.out_dir << ":\n";
    for (const auto& [name, hash] : manifest->outputs) {
        if (!compared(name)) continue;
        const auto again = std::find_if(repeated->outputs.begin(), repeated->outputs.end(),
                                        [&](const auto& output) { return output.first == name; });
        const bool equal = again != repeated->outputs.end() && again->second == hash;
        (equal ? same : differ) += 1;
        std::cout << "  " << name << ": "
                  << (equal                              ? "the same bytes"
                      : again == repeated->outputs.end() ? "not written"
                                                         : "differs")
                  << "\n";
    }
    std::cout << (differ == 0 ? "Reproduced: " : "Not reproduced: ") << same << " of " << same + differ
              << " files the same (manifest.json and report.html record when and how, and are not compared)\n";
    return differ == 0 ? exit_ok : exit_differs;
}

namespace {

const command_registration registration{{
    .order = 80,
    .name = "rerun",
    .description = "Repeat the run a results folder holds from the inputs it keeps, and compare its files",
    .examples = "pathways rerun out/denver-scale-up\n  pathways rerun out/denver-scale-up --out out/check --force",
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<rerun_options>();
        auto plugins = std::make_shared<plugin_options>();
        command.add_option("results", options->results_dir, "Folder written by `pathways run`")->required();
        command.add_option("-o,--out", options->out_dir,
                           "Folder to write the repeated run to (default: RESULTS-rerun)");
        command.add_flag("--force", options->force, "Replace that folder");
        command.add_option("--threads", options->threads,
                           "Worker threads (default: all cores; the bytes do not depend on it)");
        command.add_flag("--quiet", options->quiet, "No progress bar");
        add_plugin_options(command, *plugins);
        return [options, plugins](int argc, char** argv) {
            options->threads = worker_threads(options->threads);
            options->command_line.assign(argv, argv + argc);
            return unless_interrupted(rerun_command(*options, *plugins));
        };
    },
}};

}  // namespace

}  // namespace pathways::cli
