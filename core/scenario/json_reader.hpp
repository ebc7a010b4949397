#pragma once
/// \file
/// A JSON parser that remembers where every value and key starts, so that readers can report
/// errors as `file:line:col`. nlohmann/json alone cannot give positions, reliably detect duplicate
/// keys, or bound nesting depth; this parser does all three and builds an `nlohmann::json` tree.

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/diagnostics.hpp"

namespace pathways::json {

/// 1-based line and column (columns count characters, not bytes); 0 means unknown.
struct location {
    std::size_t line = 0;
    std::size_t column = 0;
};

/// A parsed file: the value tree plus where each value (and each object key) starts.
/// Positions are keyed by RFC 6901 JSON pointer; the root is "".
struct document {
    std::string file;
    nlohmann::json root;
    std::map<std::string, location, std::less<>> value_locations;
    std::map<std::string, location, std::less<>> key_locations;
    /// Pointers whose value was already diagnosed by the parser (for example a number out of
    /// range); readers stay silent about these so each problem is reported once.
    std::set<std::string, std::less<>> reported;
    /// True when the parser reported errors but still returned the document (duplicate keys,
    /// numbers out of range): a reader must not return a result read from it.
    bool has_errors = false;
    /// Numbers too small for a double, stored as zero, with their text: zero for a number, but
    /// never an integer (1e-400 is not 0).
    std::map<std::string, std::string, std::less<>> underflowed;

    /// Where the value at `pointer` starts; the nearest known ancestor when it is unknown.
    [[nodiscard]] location where(std::string_view pointer) const;
    /// Where the key naming the member at `pointer` starts; the value's location for array
    /// elements and the root.
    [[nodiscard]] location key_where(std::string_view pointer) const;
    [[nodiscard]] bool already_reported(std::string_view pointer) const;
};

struct limits {
    std::size_t max_depth = 128;        ///< nested arrays and objects
    std::size_t max_bytes = 32u << 20;  ///< checked before parsing starts
};

/// Parses `text`, reporting problems to `out` as coming from `file`.
///
/// Returns nullopt when the text is not usable JSON (syntax error, size or depth limit); parsing
/// stops at the first such error. Duplicate keys (the first value is kept) and numbers out of
/// range (the value is null and its pointer is in `document::reported`) are reported but parsing
/// goes on and the document is returned with `has_errors` set, so a reader can report further
/// errors in the same pass.
std::optional<document> parse(std::string_view text, std::string file, diagnostics& out, limits lim = {});

/// The bytes of a file of at most `max_bytes`; a directory, an unreadable or a larger file is an error
/// in `out` naming the `format` expected ("json": "is a directory; expected a json file").
std::optional<std::string> read_text(const std::filesystem::path& path, diagnostics& out, std::uintmax_t max_bytes,
                                     std::string_view format);

/// Reads and parses a file; a missing, unreadable or oversized file is reported to `out`.
std::optional<document> parse_file(const std::filesystem::path& path, diagnostics& out, limits lim = {});

/// `base` + "/" + `key`, with `~` and `/` escaped as `~0` and `~1`.
std::string pointer_append(std::string_view base, std::string_view key);
/// `base` + "/" + `index`.
std::string pointer_append(std::string_view base, std::size_t index);

}  // namespace pathways::json
