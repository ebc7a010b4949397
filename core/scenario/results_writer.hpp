#pragma once
/// \file
/// Writes what results_reader.hpp reads: projection.json, projection.csv and manifest.json, from
/// the same structs and through the same column and key names (result_columns.hpp), so that a
/// results folder reads back into exactly what was written.

#include <string>
#include <vector>

#include "scenario/json_writer.hpp"
#include "scenario/results_reader.hpp"

namespace pathways {

/// What outputs that publish small groups say about themselves.
inline constexpr const char* not_for_release_note =
    "NOT FOR PUBLIC RELEASE: small groups are published (suppression off, or a threshold below the publication floor)";

/// `value` as results files write it (exact_value, common/text_format.hpp): the same double, except
/// summation residue and -0, which read as 0.
double as_written(double value);

/// projection.json: one object per run with its labels, draws, suppression and cut risk, and its
/// rows (suppressed and undefined values are null); runs not for public release say so.
std::string projection_json_text(const std::vector<result_run>& runs);

/// One run's object of projection.json.
std::string projection_run_json_text(const result_run& run);

/// projection.csv: the header (result_columns.hpp) and every run's rows; suppressed rows keep their
/// labels and leave the numbers empty. Outputs not for public release start with a comment line.
std::string projection_csv_text(const std::vector<result_run>& runs, bool for_release);

/// The header line of projection.csv (no newline) and one run's rows, one per line.
std::string projection_csv_header_text();
std::string projection_csv_rows_text(const result_run& run);

/// manifest.json, the same shape for every command: `details` (an object, or null) adds the
/// command's own fields after the shared ones.
std::string manifest_json_text(const run_manifest& manifest, const json::value& details = {});

}  // namespace pathways
