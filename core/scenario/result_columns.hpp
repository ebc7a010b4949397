#pragma once
/// \file
/// The one definition of the columns of projection.csv, which are also the keys of each row of
/// projection.json. Writers and readers both take the names from here, so a renamed column cannot
/// leave one of them behind.

#include <array>
#include <string_view>

namespace pathways::columns {

inline constexpr std::string_view scenario = "scenario";
inline constexpr std::string_view variant = "variant";
inline constexpr std::string_view model = "model";
inline constexpr std::string_view year = "year";
inline constexpr std::string_view subgroup = "subgroup";
inline constexpr std::string_view outcome = "outcome";
inline constexpr std::string_view metric = "metric";
inline constexpr std::string_view course = "course";
inline constexpr std::string_view reference = "reference";
inline constexpr std::string_view mean = "mean";
inline constexpr std::string_view sd = "sd";
inline constexpr std::string_view p05 = "p05";
inline constexpr std::string_view p50 = "p50";
inline constexpr std::string_view p95 = "p95";
inline constexpr std::string_view prob_positive = "prob_positive";
inline constexpr std::string_view n_students = "n_students";
inline constexpr std::string_view suppressed = "suppressed";

/// projection.csv, in order: the run's labels, then the row's.
inline constexpr std::array projection_csv{scenario, variant, model,         year,       subgroup,  outcome,
                                           metric,   course,  reference,     mean,       sd,        p05,
                                           p50,      p95,     prob_positive, n_students, suppressed};

inline constexpr std::string_view draw = "draw";
inline constexpr std::string_view value = "value";
inline constexpr std::string_view input = "input";

/// draws.csv (`run --per-draw`), in order: a row's labels as projection.csv has them, the draw, its value.
inline constexpr std::array draws_csv{scenario, variant, model,     year, subgroup, outcome,
                                      metric,   course,  reference, draw, value};

/// inputs.csv (`run --per-draw`): every sampled input of every draw.
inline constexpr std::array inputs_csv{scenario, variant, model, draw, input, value};

/// The summary numbers of a row, in column order (null or empty when suppressed).
inline constexpr std::array summary_numbers{mean, sd, p05, p50, p95, prob_positive};

}  // namespace pathways::columns

/// The keys of manifest.json that readers use (results_reader.cpp) and every command writes
/// (results_writer.cpp).
namespace pathways::manifest_keys {

inline constexpr std::string_view pathways_version = "pathways_version";
inline constexpr std::string_view sdk_abi = "sdk_abi";
inline constexpr std::string_view build = "build";
inline constexpr std::string_view source_revision = "source_revision";
inline constexpr std::string_view copy = "copy";
inline constexpr std::string_view command_line = "command_line";
inline constexpr std::string_view scenario = "scenario";
inline constexpr std::string_view effect_model = "effect_model";
inline constexpr std::string_view name = "name";
inline constexpr std::string_view version = "version";
inline constexpr std::string_view pinned = "pinned";
inline constexpr std::string_view seed = "seed";
inline constexpr std::string_view draws = "draws";
inline constexpr std::string_view threads = "threads";
inline constexpr std::string_view ranks = "ranks";
inline constexpr std::string_view suppression = "suppression";
inline constexpr std::string_view min_n = "min_n";
inline constexpr std::string_view public_release = "public_release";
inline constexpr std::string_view inputs = "inputs";
inline constexpr std::string_view path = "path";
inline constexpr std::string_view sha256 = "sha256";
inline constexpr std::string_view population = "population";
inline constexpr std::string_view cells = "cells";
inline constexpr std::string_view students = "students";
inline constexpr std::string_view ipf_max_iterations = "ipf_max_iterations";
inline constexpr std::string_view ipf_worst_error = "ipf_worst_error";
inline constexpr std::string_view runs = "runs";
inline constexpr std::string_view variant = "variant";
inline constexpr std::string_view file = "file";
inline constexpr std::string_view seconds = "seconds";
inline constexpr std::string_view waves = "waves";
inline constexpr std::string_view start_year = "start_year";
inline constexpr std::string_view sampled = "sampled";
inline constexpr std::string_view schools = "schools";
inline constexpr std::string_view outputs = "outputs";
inline constexpr std::string_view gate = "gate";
inline constexpr std::string_view open_share = "open_share";
inline constexpr std::string_view measurement_se = "measurement_se";

}  // namespace pathways::manifest_keys
