// rubric: prints each practice's and driver's stage descriptors and the levels the stages stand for.
#include "rubric_command.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <iostream>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "command_registry.hpp"
#include "common/text_format.hpp"
#include "console.hpp"
#include "engine/scenario_loader.hpp"
#include "scenario/json_writer.hpp"
#include "scenario/rubric_reader.hpp"

namespace pathways::cli {
namespace {

bool rated(const model_node& node, const rubric_definition& rubric) {
    return rubric.continuum_of(node.kind) != nullptr;
}

/// The nodes `wanted` names: a node by id or label (any case), or every rated node of a group.
std::vector<const model_node*> chosen_nodes(const model_definition& model, const std::string& wanted) {
    std::vector<const model_node*> nodes;
    const std::string key = normalized_stage_name(wanted);
    for (const model_node& node : model.nodes) {
        if (!rated(node, *model.rubric)) continue;
        const bool all = wanted.empty();
        const bool named = node.id == wanted || normalized_stage_name(node.label) == key;
        const bool in_group = node.group == wanted;
        if (all || named || in_group) nodes.push_back(&node);
    }
    return nodes;
}

std::vector<std::string> rated_names(const model_definition& model) {
    std::vector<std::string> names;
    for (const model_node& node : model.nodes) {
        if (!rated(node, *model.rubric)) continue;
        names.push_back(node.id);
        if (!node.group.empty() && std::find(names.begin(), names.end(), node.group) == names.end())
            names.push_back(node.group);
    }
    return names;
}

/// Text wrapped at `width` columns, every line after the first indented by `indent` spaces.
std::string wrapped(const std::string& text, std::size_t indent, std::size_t width = 100) {
    std::string out;
    std::size_t column = indent;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        const std::string word = text.substr(start, end - start);
        if (column > indent && column + 1 + word.size() > width) {
            out += "\n" + std::string(indent, ' ');
            column = indent;
        } else if (column > indent) {
            out += ' ';
            ++column;
        }
        out += word;
        column += word.size();
        start = end + 1;
    }
    return out;
}

std::string kind_name(node_kind kind) {
    return kind == node_kind::foundational_practice ? "foundational practices" : "secondary drivers";
}

void print_continua(const rubric_definition& rubric) {
    std::cout << "Stages and the levels pathways reads them as:\n";
    for (const rubric_continuum& continuum : rubric.continua) {
        std::string stages;
        for (const rubric_stage& stage : continuum.stages) {
            stages += fmt::format("{}{} = {}", stages.empty() ? "" : ", ", stage.name, format_value(stage.level));
        }
        std::cout << "  " << kind_name(continuum.kind) << ": " << stages << "\n    "
                  << wrapped(continuum.source + " (evidence " + continuum.evidence + ")", 4) << "\n";
    }
}

void print_node(const model_node& node, const rubric_definition& rubric) {
    std::cout << "\n" << node.label << " (" << node.id << ")";
    if (!node.leap.empty()) std::cout << "; LEAP alignment " << node.leap;
    std::cout << "\n  " << wrapped(node.description, 2) << "\n";
    const rubric_descriptor* descriptor = rubric.descriptor_of(node.id);
    const auto columns = rubric.continuum_of(node.kind)->columns();
    if (descriptor == nullptr) {
        std::cout << "  The model carries no stage descriptors for it.\n";
        return;
    }
    for (std::size_t i = 0; i < columns.size() && i < descriptor->stages.size(); ++i) {
        const std::string& text = descriptor->stages[i];
        const std::string head = fmt::format("  {} ({}): ", columns[i]->name, format_value(columns[i]->level));
        std::cout << head << wrapped(text.empty() ? "(not in the text this tool carries)" : text, 4) << "\n";
    }
    if (!descriptor->note.empty()) std::cout << "  Note: " << wrapped(descriptor->note, 8) << "\n";
}

json::value rubric_json(const rubric_definition& rubric, const std::vector<const model_node*>& nodes) {
    json::value::array continua;
    for (const rubric_continuum& continuum : rubric.continua) {
        json::value::array stages;
        for (const rubric_stage& stage : continuum.stages)
            stages.push_back(
                json::value().set("name", stage.name).set("level", stage.level).set("column", stage.column));
        continua.push_back(json::value()
                               .set("kind", to_string(continuum.kind))
                               .set("stages", std::move(stages))
                               .set("source", continuum.source)
                               .set("evidence", continuum.evidence));
    }
    json::value::array items;
    for (const model_node* node : nodes) {
        json::value item =
            json::value().set("node", node->id).set("label", node->label).set("kind", to_string(node->kind));
        if (const rubric_descriptor* d = rubric.descriptor_of(node->id)) {
            item.set("stages", json::value::array(d->stages.begin(), d->stages.end()));
            if (!d->note.empty()) item.set("note", d->note);
        }
        items.push_back(std::move(item));
    }
    return json::value()
        .set("source", rubric.source)
        .set("evidence", rubric.evidence)
        .set("continua", std::move(continua))
        .set("descriptors", std::move(items));
}

}  // namespace

int rubric_command(const rubric_options& options) {
    diagnostics found;
    const auto graph = load_model_graph(options.model_file, found);
    if (!graph) throw input_error(found);
    const model_definition& model = graph->definition();
    if (!model.rubric) {
        found.error(model.file, 0, 0, "/rubric",
                    "model '" + model.id + "' has no rubric; expected a model file with stage descriptors");
        throw input_error(found);
    }
    const auto nodes = chosen_nodes(model, options.node);
    if (nodes.empty()) {
        const auto names = rated_names(model);
        found.error("<command line>", 0, 0, "",
                    "'" + options.node + "' is no practice or driver of model '" + model.id +
                        "'; expected a node id, a label or a primary driver" + did_you_mean(options.node, names));
        throw input_error(found);
    }
    if (options.format == "json") {
        std::cout << json::to_text(rubric_json(*model.rubric, nodes));
        return exit_ok;
    }
    std::cout << wrapped("Stage descriptors: " + model.rubric->source, 2) << "\n\n";
    print_continua(*model.rubric);
    for (const model_node* node : nodes) print_node(*node, *model.rubric);
    return exit_ok;
}

namespace {

const command_registration registration{{
    .order = 60,
    .name = "rubric",
    .description = "Print the stage descriptors practices and drivers are rated against",
    .examples = "pathways rubric\n  pathways rubric culture\n  pathways rubric --format json",
    .declare = [](CLI::App& command) -> command_action {
        auto options = std::make_shared<rubric_options>();
        command.add_option("node", options->node,
                           "A practice or driver (id or label) or a primary driver (default: all)");
        command.add_option("--model", options->model_file, "Model file (default: the embedded DPS model)");
        command.add_option("--format", options->format, "text or json")->check(CLI::IsMember({"text", "json"}));
        return [options](int, char**) { return unless_interrupted(rubric_command(*options)); };
    },
}};

}  // namespace

}  // namespace pathways::cli
