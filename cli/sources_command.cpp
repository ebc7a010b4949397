// sources: lists the shipped references (short form and id) or prints one reference's full citation.
#include "sources_command.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <memory>
#include <vector>

#include "command_registry.hpp"
#include "common/evidence.hpp"
#include "console.hpp"
#include "scenario/json_writer.hpp"
#include "scenario/references_reader.hpp"

namespace pathways::cli {
namespace {

json::value reference_json(const reference& r) {
    json::value j = json::value()
                        .set("id", r.id)
                        .set("short", r.short_form)
                        .set("authors", r.authors)
                        .set("year", r.year)
                        .set("title", r.title);
    const auto add_if_set = [&j](const char* key, const std::string& value) {
        if (!value.empty()) j.set(key, value);
    };
    add_if_set("journal", r.journal);
    add_if_set("volume", r.volume);
    add_if_set("issue", r.issue);
    add_if_set("pages", r.pages);
    add_if_set("publisher", r.publisher);
    add_if_set("report_number", r.report_number);
    add_if_set("url", r.url);
    add_if_set("note", r.note);
    j.set("citation", full_citation(r));
    return j;
}

void print_list(const std::vector<reference>& references) {
    std::size_t id_width = 0;
    for (const reference& r : references) id_width = std::max(id_width, r.id.size());
    for (const reference& r : references) {
        std::cout << r.id << std::string(id_width + 2 - r.id.size(), ' ') << r.short_form << '\n';
    }
    std::cout << '\n' << evidence_legend() << "\nRun `pathways sources ID` for a full citation.\n";
}

void print_one(const reference& r) {
    std::cout << r.short_form << "\n  " << full_citation(r) << '\n';
    if (!r.note.empty()) std::cout << "  Note: " << r.note << '\n';
}

}  // namespace

int sources_command(const sources_options& options) {
    diagnostics found;
    const auto references = read_embedded_references(found);
    if (!references) throw input_error(found);
    const bool as_json = options.format == "json";
    if (options.id.empty()) {
        if (!as_json) {
            print_list(*references);
            return exit_ok;
        }
        json::value::array list;
        for (const reference& r : *references) list.push_back(reference_json(r));
        std::cout << json::to_text(list);
        return exit_ok;
    }
    const reference* r = find_reference(*references, options.id);
    if (r == nullptr) {
        std::cerr << "pathways: error: " << unknown_reference_message(*references, options.id) << '\n';
        return exit_invalid_input;
    }
    if (as_json) std::cout << json::to_text(reference_json(*r));
    else print_one(*r);
    return exit_ok;
}

namespace {

const command_registration registration{{
    .order = 50,
    .name = "sources",
    .description = "List the studies the defaults cite, or print one's full citation",
    .examples = "pathways sources\n  pathways sources pane2017",
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<sources_options>();
        command.add_option("id", options->id, "Reference id, e.g. pane2017 (default: list every reference)");
        command.add_option("--format", options->format, "text or json")->check(CLI::IsMember({"text", "json"}));
        return [options](int, char**) { return unless_interrupted(sources_command(*options)); };
    },
}};

}  // namespace

}  // namespace pathways::cli
