// population: prints the school table (starting level of every plan-driven node) or the cell table.
#include "population_command.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include "command_registry.hpp"
#include "common/csv.hpp"
#include "common/subgroup_codes.hpp"
#include "common/text_format.hpp"
#include "engine/population_table.hpp"
#include "engine/scenario_loader.hpp"
#include "report/projection_writer.hpp"
#include "scenario/json_writer.hpp"

namespace pathways::cli {
namespace {

/// Rows of text cells under a header; `numeric[c]` says whether column c holds numbers (for JSON).
struct text_table {
    std::vector<std::string> header;
    std::vector<bool> numeric;
    std::vector<std::vector<std::string>> rows;
};

std::string joined_tags(const school& s) {
    std::string text;
    for (const std::string& tag : s.tags) text += (text.empty() ? "" : ";") + tag;
    return text;
}

text_table school_table(const loaded_district& loaded, const school_start_table& levels) {
    text_table table{{"school_id", "name", "level", "enrollment", "tags"}, {false, false, false, true, false}, {}};
    for (const std::string& id : levels.node_ids) {
        table.header.push_back(id);
        table.numeric.push_back(true);
    }
    for (std::size_t s = 0; s < loaded.schools.size(); ++s) {
        const school& sc = loaded.schools[s];
        std::vector<std::string> row{sc.id, sc.name, std::string(to_string(sc.level)), std::to_string(sc.enrollment),
                                     joined_tags(sc)};
        for (double level : levels.levels[s]) row.push_back(fixed(level, 3));
        table.rows.push_back(std::move(row));
    }
    return table;
}

text_table cell_table(const loaded_district& loaded) {
    using dimension = subgroup_term::dimension;
    text_table table{{"school_id", "race", "ell", "frl", "sped", "grade_band", "students"},
                     {false, false, false, false, false, false, true},
                     {}};
    const population_cells& cells = loaded.cells;
    for (std::size_t c = 0; c < cells.size(); ++c) {
        table.rows.push_back(
            {loaded.schools[cells.school[c]].id, std::string(code_name(dimension::race, cells.race[c])),
             std::string(code_name(dimension::ell, cells.ell[c])), std::string(code_name(dimension::frl, cells.frl[c])),
             std::string(code_name(dimension::sped, cells.sped[c])),
             std::string(code_name(dimension::grade, cells.grade_band[c])), fixed(cells.students[c], 0)});
    }
    return table;
}

std::string as_csv(const text_table& table) {
    std::ostringstream out;
    auto line = [&](const std::vector<std::string>& cells) {
        for (std::size_t c = 0; c < cells.size(); ++c) out << (c ? "," : "") << csv_field(cells[c]);
        out << '\n';
    };
    line(table.header);
    for (const auto& row : table.rows) line(row);
    return out.str();
}

/// Columns padded to their widest cell; numbers right-aligned.
std::string as_text(const text_table& table) {
    std::vector<std::size_t> width(table.header.size());
    for (std::size_t c = 0; c < width.size(); ++c) {
        width[c] = table.header[c].size();
        for (const auto& row : table.rows) width[c] = std::max(width[c], row[c].size());
    }
    std::ostringstream out;
    auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const std::string pad(width[c] - cells[c].size(), ' ');
            text += (c ? "  " : "") + (table.numeric[c] ? pad + cells[c] : cells[c] + pad);
        }
        out << text.substr(0, text.find_last_not_of(' ') + 1) << '\n';
    };
    line(table.header);
    for (const auto& row : table.rows) line(row);
    return out.str();
}

/// A numeric column's cell as a JSON number (the table's text reads back to it), an empty one as null.
json::value numeric_cell(const std::string& cell) { return cell.empty() ? json::value() : json::from_text(cell); }

std::string as_json(const text_table& table, const loaded_district& loaded, const char* rows_name) {
    json::value::array rows;
    rows.reserve(table.rows.size());
    for (const auto& cells : table.rows) {
        json::value row;
        for (std::size_t c = 0; c < table.header.size(); ++c)
            row.set(table.header[c], table.numeric[c] ? numeric_cell(cells[c]) : json::value(cells[c]));
        rows.push_back(std::move(row));
    }
    return json::to_text(json::value()
                             .set("district", loaded.district.id)
                             .set("model", loaded.graph->definition().id)
                             .set(rows_name, std::move(rows)));
}

}  // namespace

int population_command(const population_options& options) {
    diagnostics found;
    const auto loaded = load_district(options.district_file, options.model_file, found);
    if (!loaded) throw input_error(found);
    const text_table table =
        options.cells ? cell_table(*loaded) : school_table(*loaded, starting_level_table(*loaded, found));
    if (found.has_errors()) throw input_error(found);
    if (options.format == "csv") std::cout << as_csv(table);
    else if (options.format == "json") std::cout << as_json(table, *loaded, options.cells ? "cells" : "schools");
    else std::cout << as_text(table);
    return exit_ok;
}

namespace {

const command_registration registration{{
    .order = 180,
    .name = "population",
    .description = "Show what pathways builds from a district profile: schools or cells",
    .examples = "pathways population scenarios/districts/denver-2018.json\n"
                "  pathways population scenarios/districts/denver-2018.json --cells --format csv",
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<population_options>();
        command.add_option("district", options->district_file, "District profile (JSON)")->required();
        command.add_option("--model", options->model_file,
                           "Model file: JSON, lavaan (.lav) or DAGitty (.dag); default: the embedded DPS model");
        command.add_option("--format", options->format, "text, csv or json")
            ->check(CLI::IsMember({"text", "csv", "json"}));
        command.add_flag("--cells", options->cells, "Print the population cells instead of the schools");
        return [options](int, char**) { return unless_interrupted(population_command(*options)); };
    },
}};

}  // namespace

}  // namespace pathways::cli
