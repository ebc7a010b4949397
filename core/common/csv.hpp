#pragma once
/// \file
/// CSV as every reader and writer of pathways handles it: RFC 4180 records with the line each one
/// starts on, and text cells that a spreadsheet cannot run.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.hpp"

namespace pathways {

struct csv_record {
    std::size_t line = 0;  ///< 1-based line the record starts on
    std::vector<std::string> fields;
    bool malformed = false;  ///< a syntax error (already reported) cut the record short
};

/// Splits `text` into records. Fields may be quoted (`"a, ""b"""` is `a, "b"`), quoted fields
/// may span lines, and records end at LF, CRLF or a lone CR. A leading UTF-8 byte order mark
/// is skipped, and blank lines are dropped. A quote inside an unquoted field, text after a
/// closing quote, or an unterminated quote is reported in `found` (at `file`); the record is
/// still returned, marked `malformed`, so that the caller can skip it without mistaking the
/// next record for it (a malformed header must not make the first data row a header).
std::vector<csv_record> parse_csv(std::string_view text, const std::string& file, diagnostics& found);

/// One CSV text cell (a name, a variant, a subgroup, an id; never a number). A cell that a
/// spreadsheet would read as a formula, one starting with =, +, -, @, a tab or a carriage return,
/// gets a leading single quote (the OWASP advice on CSV injection); then cells with a comma, a
/// quote or a line break are quoted as RFC 4180 says.
std::string csv_field(std::string_view text);

}  // namespace pathways
