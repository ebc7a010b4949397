#pragma once
/// \file
/// Reads a theory-of-change model file into `pathways::model_definition`, reporting every
/// problem with a field (types, unknown or missing keys, kinds, roles, evidence tags, priors,
/// ranges, node ids) in one pass. Checks over the whole graph (duplicate ids, unknown node
/// references, cycles) belong to the graph subsystem, which uses the stored source locations.

#include <filesystem>
#include <optional>
#include <string_view>

#include "common/diagnostics.hpp"
#include "common/model.hpp"

namespace pathways {

namespace json {
struct document;
}

/// The file name diagnostics use for the model compiled into the program.
inline constexpr std::string_view embedded_model_file = "<embedded:dps-personalized-learning>";

/// Whether `id` is dotted snake_case: `[a-z0-9_]+(\.[a-z0-9_]+)*`.
bool is_valid_node_id(std::string_view id);

/// Reads a parsed model; nullopt when any error was reported (all of them are in `out`).
std::optional<model_definition> read_model(const json::document& doc, diagnostics& out);

/// Parses and reads a model file.
std::optional<model_definition> read_model_file(const std::filesystem::path& path, diagnostics& out);

/// Whether `name` ends as a model file read_model_file reads: .json, lavaan (.lav, .lavaan) or DAGitty
/// (.dag, .dagitty).
bool is_model_file_name(std::string_view name);

/// Parses and reads the shipped DPS model compiled into the program.
std::optional<model_definition> read_embedded_model(diagnostics& out);

}  // namespace pathways
