#include "scenario/references_reader.hpp"

#include <algorithm>
#include <map>

#include "scenario/embedded_model.hpp"
#include "scenario/json_checks.hpp"
#include "scenario/json_reader.hpp"

namespace pathways {
namespace {

using json::object_reader;

bool is_reference_id(std::string_view id) {
    const auto allowed = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; };
    return !id.empty() && id.front() >= 'a' && id.front() <= 'z' && std::all_of(id.begin(), id.end(), allowed);
}

std::string required_text(object_reader& reader, std::string_view key) {
    const auto text = reader.required_string(key);
    if (text && text->empty()) reader.error_at(key, std::string(key) + " is empty; expected text");
    return text.value_or("");
}

reference read_reference(object_reader& reader) {
    reference r;
    r.id = required_text(reader, "id");
    if (!r.id.empty() && !is_reference_id(r.id)) {
        reader.error_at("id", "reference id '" + r.id +
                                  "' is not a name; expected lowercase letters, digits or '-', "
                                  "starting with a letter, such as pane2017");
    }
    r.short_form = required_text(reader, "short");
    r.authors = required_text(reader, "authors");
    r.year = required_text(reader, "year");
    r.title = required_text(reader, "title");
    r.journal = reader.optional_string("journal").value_or("");
    r.volume = reader.optional_string("volume").value_or("");
    r.issue = reader.optional_string("issue").value_or("");
    r.pages = reader.optional_string("pages").value_or("");
    r.publisher = reader.optional_string("publisher").value_or("");
    r.report_number = reader.optional_string("report_number").value_or("");
    r.url = reader.optional_string("url").value_or("");
    r.note = reader.optional_string("note").value_or("");
    if (r.journal.empty() && r.publisher.empty() && reader.valid()) {
        reader.error("reference '" + r.id + "' names neither a journal nor a publisher; expected one of them");
    }
    return r;
}

/// Ids and short forms must each name one reference: a short form is how a source cites it.
void check_unique(object_reader& item, const reference& r, std::map<std::string, std::string>& first_id,
                  std::map<std::string, std::string>& first_short) {
    if (!r.id.empty()) {
        const auto [earlier, inserted] = first_id.emplace(r.id, item.pointer());
        if (!inserted) item.error_at("id", "reference id '" + r.id + "' is used twice; first at " + earlier->second);
    }
    if (!r.short_form.empty()) {
        const auto [earlier, inserted] = first_short.emplace(r.short_form, item.pointer());
        if (!inserted) {
            item.error_at("short", "short form '" + r.short_form + "' is used twice; first at " + earlier->second);
        }
    }
}

std::vector<reference> read_reference_list(object_reader& root) {
    std::vector<reference> references;
    const auto list = root.array("references");
    if (!list) return references;
    if (list->size() == 0) root.error_at("references", "references is empty; expected at least one reference");
    std::map<std::string, std::string> first_id;
    std::map<std::string, std::string> first_short;
    for (std::size_t i = 0; i < list->size(); ++i) {
        object_reader item(root.doc(), list->pointer_of(i), root.out());
        if (!item.valid()) continue;
        reference r = read_reference(item);
        check_unique(item, r, first_id, first_short);
        references.push_back(std::move(r));
    }
    return references;
}

std::optional<std::vector<reference>> read_document(const json::document& doc, diagnostics& out) {
    diagnostics found;
    std::vector<reference> references;
    {
        object_reader root(doc, "", found);
        const auto format = root.required_integer("pathways_references");
        if (format && *format != references_file_format) {
            root.error_at("pathways_references", "references file format " + std::to_string(*format) +
                                                     " is not supported; expected " +
                                                     std::to_string(references_file_format));
        }
        root.optional_string("description");
        references = read_reference_list(root);
    }
    const bool failed = found.has_errors() || doc.has_errors;
    out.append(found);
    if (failed) return std::nullopt;
    return references;
}

/// `text` with a full stop after it unless it already ends in punctuation.
std::string sentence(const std::string& text) {
    if (text.empty()) return text;
    const char last = text.back();
    return (last == '.' || last == '?' || last == '!') ? text : text + ".";
}

}  // namespace

std::optional<std::vector<reference>> read_references_file(const std::filesystem::path& path, diagnostics& out) {
    const auto doc = json::parse_file(path, out);
    if (!doc) return std::nullopt;
    return read_document(*doc, out);
}

std::optional<std::vector<reference>> read_references(std::string_view text, const std::string& file,
                                                      diagnostics& out) {
    const auto doc = json::parse(text, file, out);
    if (!doc) return std::nullopt;
    return read_document(*doc, out);
}

std::optional<std::vector<reference>> read_embedded_references(diagnostics& out) {
    return read_references(embedded_references(), std::string(embedded_references_file), out);
}

const reference* find_reference(const std::vector<reference>& references, std::string_view id) {
    const auto found =
        std::find_if(references.begin(), references.end(), [&](const reference& r) { return r.id == id; });
    return found == references.end() ? nullptr : &*found;
}

std::string unknown_reference_message(const std::vector<reference>& references, std::string_view id) {
    std::vector<std::string> ids;
    for (const reference& r : references) ids.push_back(r.id);
    return "unknown reference '" + std::string(id) + "'" + did_you_mean(id, ids) +
           " (run `pathways sources` for the list)";
}

std::string full_citation(const reference& r) {
    std::string text = sentence(r.authors) + " (" + r.year + "). " + r.title;
    if (!r.journal.empty()) {
        text += ". " + r.journal;
        if (!r.volume.empty()) text += ", " + r.volume + (r.issue.empty() ? "" : "(" + r.issue + ")");
        if (!r.pages.empty()) text += ", " + r.pages;
        text += ".";
    } else {
        if (!r.report_number.empty()) text += " (" + r.report_number + ")";
        text += ". " + sentence(r.publisher);
    }
    if (!r.url.empty()) text += " " + r.url;
    return text;
}

std::vector<const reference*> cited_references(std::string_view text, const std::vector<reference>& references) {
    std::vector<const reference*> cited;
    for (const reference& r : references) {
        if (!r.short_form.empty() && text.find(r.short_form) != std::string_view::npos) cited.push_back(&r);
    }
    return cited;
}

}  // namespace pathways
