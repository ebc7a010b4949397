#pragma once
/// \file
/// Reader for the schools CSV of a district profile (formats.md, "Schools CSV").

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.hpp"
#include "population/school.hpp"

namespace pathways {

/// Largest schools CSV accepted, so a wrong path cannot make the reader swallow a huge file.
inline constexpr std::size_t max_schools_csv_bytes = 64u * 1024u * 1024u;
/// Largest enrollment accepted for one school; checked on the parsed double before converting.
inline constexpr double max_school_enrollment = 1e9;

/// Reads and validates a schools CSV (RFC 4180; CRLF line ends and a UTF-8 BOM are tolerated).
///
/// Required columns: school_id, name, level, enrollment, the seven share_<race> columns,
/// share_ell, share_exited_ell, share_frl, share_sped. Optional columns: spf, tags, start_level,
/// academic_optimism, value_feasibility_gap; a blank optional field means "profile default".
/// Column order is free; unknown or repeated column names are errors.
///
/// Every problem is added to `found` as `file:line: column <name>: <what is wrong>` (column
/// number 0), all of them in one pass: malformed CSV, missing or misspelled header columns
/// (with a did-you-mean), wrong field count, non-numeric, NaN, Inf or out-of-range numbers,
/// shares outside 0..1, race shares not summing to 1 within 0.01, share_ell + share_exited_ell
/// above 1, enrollment that is not a whole number in 1..1e9, an unknown level or spf colour,
/// start_level outside 0..3, duplicate school ids, and a file without school rows.
///
/// Returns the schools whose rows are valid, in file order; when `found.has_errors()` the list
/// is incomplete and must not be used for a run.
std::vector<school> read_schools_csv(const std::filesystem::path& path, diagnostics& found);

/// The same as read_schools_csv on text already in memory; `file` names it in diagnostics.
std::vector<school> read_schools_csv_text(std::string_view text, std::string file, diagnostics& found);

}  // namespace pathways
