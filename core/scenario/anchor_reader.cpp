#include "scenario/anchor_reader.hpp"

#include <algorithm>
#include <map>

#include "common/evidence.hpp"
#include "scenario/embedded_model.hpp"
#include "scenario/json_checks.hpp"
#include "scenario/json_reader.hpp"

namespace pathways {
namespace {

using json::object_reader;

bool is_anchor_id(std::string_view id) {
    const auto allowed = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '.';
    };
    return !id.empty() && allowed(id.front()) && id.front() != '.' && id.front() != '-' && id.front() != '_' &&
           std::all_of(id.begin(), id.end(), allowed);
}

std::string required_text(object_reader& reader, std::string_view key) {
    const auto text = reader.required_string(key);
    if (text && text->empty()) reader.error_at(key, std::string(key) + " is empty; expected text");
    return text.value_or("");
}

std::string evidence_tag(object_reader& reader, std::string_view key) {
    const auto tag = reader.required_string(key);
    if (!tag) return "";
    if (!is_evidence_tag(*tag)) {
        reader.error_at(key, "unknown evidence tag '" + *tag + "'; " + expected_evidence_tags());
    }
    return *tag;
}

std::optional<std::string> one_of(object_reader& reader, std::string_view key,
                                  std::initializer_list<std::string_view> allowed) {
    const auto value = reader.optional_string(key);
    if (!value) return std::nullopt;
    if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
        std::vector<std::string> words(allowed.begin(), allowed.end());
        std::string expected;
        for (const std::string& word : words) expected += (expected.empty() ? "'" : ", '") + word + "'";
        reader.error_at(key, "unknown " + std::string(key) + " '" + *value + "'" + did_you_mean(*value, words) +
                                 "; expected " + expected);
        return std::nullopt;
    }
    return value;
}

/// A published effect: one outcome, the effect and its standard error.
void read_point(object_reader& reader, anchor& a) {
    a.outcome = required_text(reader, "outcome");
    a.effect = reader.required_number("effect", -3.0, 3.0).value_or(0.0);
    if (const auto se = reader.required_number("standard_error", 0.0, 3.0)) {
        if (*se <= 0.0) reader.error_at("standard_error", "standard_error is 0; expected a positive number of SD");
        a.standard_error = *se;
    }
    a.standard_error_evidence = evidence_tag(reader, "standard_error_evidence");
}

/// A published bound: the outcomes it covers and the largest change in SD it allows.
void read_bound(object_reader& reader, anchor& a) {
    if (const auto bound = reader.required_number("bound", 0.0, 3.0)) {
        if (*bound <= 0.0) reader.error_at("bound", "bound is 0; expected a positive number of SD");
        a.bound = *bound;
    }
    const auto list = reader.array("outcomes");
    if (!list) return;
    if (list->size() == 0)
        reader.error_at("outcomes", "outcomes is empty; expected the outcome nodes the bound covers");
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto& item = (*list)[i];
        if (!item.is_string() || item.get<std::string>().empty()) {
            diagnostics& out = reader.out();
            const json::location at = reader.doc().where(list->pointer_of(i));
            out.error(reader.doc().file, at.line, at.column, list->pointer_of(i),
                      "expected an outcome node id such as \"agency.ownership\"");
            continue;
        }
        a.outcomes.push_back(item.get<std::string>());
    }
    for (const std::string_view point_key : {"outcome", "effect", "standard_error", "standard_error_evidence"}) {
        if (reader.has(point_key)) {
            reader.allow(point_key);
            reader.error_at(point_key, std::string(point_key) +
                                           " in a bound anchor; expected either a bound with outcomes or an "
                                           "effect with outcome and standard_error");
        }
    }
}

anchor read_anchor(object_reader& reader) {
    anchor a;
    const json::location where = reader.doc().where(reader.pointer());
    a.where = {reader.doc().file, where.line, where.column, reader.pointer()};
    a.id = reader.required_string("id").value_or("");
    if (reader.has("id") && !a.id.empty() && !is_anchor_id(a.id)) {
        reader.error_at("id", "anchor id '" + a.id +
                                  "' is not a name; expected letters, digits, '_', '-' or '.', "
                                  "starting with a letter or digit");
    } else if (reader.has("id") && a.id.empty()) {
        reader.error_at("id", "id is empty; expected a name such as rand2017-math");
    }
    a.reference = required_text(reader, "reference");
    a.design = required_text(reader, "design");
    a.design_type = one_of(reader, "design_type", {"quasi-experimental", "randomised"}).value_or(a.design_type);
    a.use = one_of(reader, "use", {"fit", "context"}).value_or(a.use);
    a.years = static_cast<int>(reader.required_integer("years", 1, 50).value_or(1));
    a.evidence = evidence_tag(reader, "evidence");
    if (reader.has("bound")) {
        read_bound(reader, a);
    } else {
        read_point(reader, a);
    }
    a.note = reader.required_string("note").value_or("");
    return a;
}

std::vector<anchor> read_anchor_list(object_reader& root) {
    std::vector<anchor> anchors;
    const auto list = root.array("anchors");
    if (!list) return anchors;
    if (list->size() == 0) root.error_at("anchors", "anchors is empty; expected at least one anchor");
    std::map<std::string, std::string> first_pointer;
    for (std::size_t i = 0; i < list->size(); ++i) {
        object_reader item(root.doc(), list->pointer_of(i), root.out());
        if (!item.valid()) continue;
        anchor a = read_anchor(item);
        if (!a.id.empty()) {
            const auto [earlier, inserted] = first_pointer.emplace(a.id, item.pointer());
            if (!inserted) item.error_at("id", "anchor id '" + a.id + "' is used twice; first at " + earlier->second);
        }
        anchors.push_back(std::move(a));
    }
    return anchors;
}

std::optional<std::vector<anchor>> read_document(const json::document& doc, diagnostics& out) {
    diagnostics found;
    std::vector<anchor> anchors;
    {
        object_reader root(doc, "", found);
        const auto format = root.required_integer("pathways_anchors");
        if (format && *format != anchors_file_format) {
            root.error_at("pathways_anchors", "anchors file format " + std::to_string(*format) +
                                                  " is not supported; expected " + std::to_string(anchors_file_format));
        }
        root.optional_string("description");
        anchors = read_anchor_list(root);
    }
    const bool failed = found.has_errors() || doc.has_errors;
    out.append(found);
    if (failed) return std::nullopt;
    return anchors;
}

}  // namespace

std::optional<std::vector<anchor>> read_anchors_file(const std::filesystem::path& path, diagnostics& out) {
    const auto doc = json::parse_file(path, out);
    if (!doc) return std::nullopt;
    return read_document(*doc, out);
}

std::optional<std::vector<anchor>> read_anchors(std::string_view text, const std::string& file, diagnostics& out) {
    const auto doc = json::parse(text, file, out);
    if (!doc) return std::nullopt;
    return read_document(*doc, out);
}

std::optional<std::vector<anchor>> read_embedded_anchors(diagnostics& out) {
    return read_anchors(embedded_anchors(), std::string(embedded_anchors_file), out);
}

const anchor* find_anchor(const std::vector<anchor>& anchors, std::string_view id) {
    const auto found = std::find_if(anchors.begin(), anchors.end(), [&](const anchor& a) { return a.id == id; });
    return found == anchors.end() ? nullptr : &*found;
}

std::string unknown_anchor_message(const std::vector<anchor>& anchors, std::string_view id) {
    std::vector<std::string> ids;
    for (const anchor& a : anchors) ids.push_back(a.id);
    std::string text = "unknown anchor '" + std::string(id) + "'" + did_you_mean(id, ids) + "; known anchors: ";
    for (std::size_t i = 0; i < ids.size(); ++i) text += (i ? ", " : "") + ids[i];
    return text;
}

}  // namespace pathways
