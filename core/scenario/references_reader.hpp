#pragma once
/// \file
/// The references file: the full citation of every study and document that a shipped default cites.
/// Sources cite a reference by its short form ("Pane et al. 2017, Informing Progress"); the shipped
/// file is `scenarios/references.json`, compiled in so that `pathways sources` works from any folder.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.hpp"

namespace pathways {

inline constexpr int references_file_format = 1;
inline constexpr std::string_view embedded_references_file = "<embedded:references>";

struct reference {
    std::string id;          ///< e.g. pane2017
    std::string short_form;  ///< "Pane et al. 2017, Informing Progress": how sources cite it
    std::string authors;     ///< "Pane, J. F., Steiner, E. D., ..." or an organisation
    std::string year;        ///< "2017", or "c. 2018" when the date is approximate
    std::string title;
    std::string journal;  ///< a journal article's journal; empty for reports and web pages
    std::string volume;
    std::string issue;
    std::string pages;
    std::string publisher;      ///< "Santa Monica, CA: RAND Corporation"
    std::string report_number;  ///< "RR-2042"
    std::string url;
    std::string note;  ///< e.g. that the citation was recalled rather than copied
};

/// Reads a references file; every problem is reported to `out` and nullopt returned when there was any.
std::optional<std::vector<reference>> read_references_file(const std::filesystem::path& path, diagnostics& out);
/// Reads references from `text`, reporting every problem as coming from `file`; nullopt when there was any.
std::optional<std::vector<reference>> read_references(std::string_view text, const std::string& file, diagnostics& out);
/// The shipped references (scenarios/references.json as it was at build time).
std::optional<std::vector<reference>> read_embedded_references(diagnostics& out);

/// The reference called `id`, or null.
const reference* find_reference(const std::vector<reference>& references, std::string_view id);
/// "unknown reference 'x'; did you mean 'y'? (run `pathways sources` for the list)".
std::string unknown_reference_message(const std::vector<reference>& references, std::string_view id);

/// The full citation in APA style: "Authors (year). Title. Journal, volume(issue), pages." or
/// "Authors (year). Title (report number). Publisher. URL".
std::string full_citation(const reference& r);

/// The references whose short form `text` contains, in the order of `references`.
std::vector<const reference*> cited_references(std::string_view text, const std::vector<reference>& references);

}  // namespace pathways
