// report: one self-contained HTML file from a results folder.
#include "report_command.hpp"

#include <iostream>
#include <optional>

#include "report/html_report.hpp"
#include "report/output_files.hpp"
#include "scenario/results_reader.hpp"

namespace pathways::cli {

int report_command(const report_options& options, const plugin_options& plugins) {
    const plugin_registry registry = load_plugins(plugins);
    const std::filesystem::path output = options.output.empty()
                                             ? std::filesystem::path(options.results_dir) / "report.html"
                                             : std::filesystem::path(options.output);
    diagnostics found;
    // The default report.html joins the results folder, which is then committed as a whole.
    std::optional<output_set> folder;
    if (options.output.empty()) {
        folder.emplace(options.results_dir, options.force);
        for (const std::string& path : folder->conflicts({"report.html"}))
            found.error(path, 0, 0, "", "output exists; use --force to overwrite it");
    } else if (std::filesystem::exists(output) && !options.force) {
        found.error(output.string(), 0, 0, "", "output exists; use --force to overwrite it");
    }
    if (found.has_errors()) throw input_error(found);
    const auto html = html_report_for_folder(options.results_dir, registry, found);
    if (!html) throw input_error(found);
    if (interrupted()) return interrupted_exit();
    if (folder) {
        folder->stage("report.html", *html);
        folder->commit();
    } else {
        write_file_atomically(output, *html, options.force);
    }
    std::cout << "Wrote " << output.string() << '\n';
    return exit_ok;
}

}  // namespace pathways::cli
