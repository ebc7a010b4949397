#pragma once
/// \file
/// Reads scenario files (format v1) and district profiles, checking structure, types and
/// ranges like a compiler. Checks that need the model, the schools or the plugins come later
/// (engine/scenario_loader.hpp and run/validate_scenario.hpp), with the same `file:line:col` locations.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/scenario_types.hpp"

namespace pathways::json {
struct document;
}  // namespace pathways::json

namespace pathways {

/// The id of the model compiled into the binary.
inline constexpr std::string_view embedded_model_id = "dps-personalized-learning";

/// The range of /uncertainty/draws (0: one central run) and of /uncertainty/seed; values given on
/// the command line are held to the same ranges.
inline constexpr std::int64_t max_draws = 1'000'000;
inline constexpr std::int64_t max_seed = std::numeric_limits<std::int64_t>::max();

/// Reads `path` with `variant` ("base" or a name under /variants) merged in as an RFC 7386
/// merge patch. Every problem is reported to `out`; returns nullopt when any was an error.
std::optional<scenario> read_scenario(const std::filesystem::path& path, const std::string& variant, diagnostics& out);

/// Like `read_scenario`, with `edit` applied to the document (the variant merged in) before it is
/// read, so a change goes through every check of the format. `edit` reports its own problems to
/// the diagnostics it is given; when it reports an error, the scenario is not read.
using scenario_edit = std::function<void(json::document& merged, diagnostics& out)>;
std::optional<scenario> read_scenario(const std::filesystem::path& path, const std::string& variant,
                                      const scenario_edit& edit, diagnostics& out);

/// A scenario file parsed once, so that its base and any number of variants are read without
/// parsing the file again; reading one variant costs the base's size plus that variant's.
class scenario_file {
public:
    /// Parses `path`; nullopt, with the problem in `out`, when it is not readable JSON.
    static std::optional<scenario_file> parse(const std::filesystem::path& path, diagnostics& out);
    /// Parses `text` as if it were the file at `path`: diagnostics name `path`, and the paths the
    /// scenario names resolve against its folder (a document posted to `pathways serve`).
    static std::optional<scenario_file> parse_text(std::string_view text, const std::filesystem::path& path,
                                                   diagnostics& out);

    /// Every variant the file declares, in the file's key order.
    [[nodiscard]] const std::vector<std::string>& variant_names() const;

    /// Like `read_scenario(path, variant, edit, out)` on the parsed file.
    std::optional<scenario> read(const std::string& variant, const scenario_edit& edit, diagnostics& out) const;

private:
    struct contents;
    explicit scenario_file(std::shared_ptr<const contents> parsed) : contents_(std::move(parsed)) {}
    static scenario_file from_document(json::document doc, const std::filesystem::path& path);
    [[nodiscard]] json::document merge_variant(const std::string& variant) const;

    std::shared_ptr<const contents> contents_;
};

/// Reads a district profile.
std::optional<district_profile> read_district(const std::filesystem::path& path, diagnostics& out);

}  // namespace pathways

namespace pathways {

enum class input_file_kind { scenario, model, district, references, anchors, parameters, json_schema, schools_csv };

/// What a file is: a schools CSV by its `.csv` name; otherwise by its version key (`pathways`,
/// `pathways_model`, `pathways_district`, `pathways_references`, `pathways_anchors`,
/// `pathways_parameters`); a JSON Schema by a `$schema` key and no version key. Files that are none of
/// these are read as scenarios so that their errors are reported.
input_file_kind detect_file_kind(const std::filesystem::path& path);

/// Why a JSON Schema is not an input `validate` checks, naming the schema by its title.
std::string json_schema_message(const std::filesystem::path& path);

}  // namespace pathways
