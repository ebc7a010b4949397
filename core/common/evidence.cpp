#include "common/evidence.hpp"

#include <algorithm>

namespace pathways {
namespace {

const evidence_tag_meaning* find_tag(std::string_view tag) {
    const auto found = std::find_if(evidence_tags.begin(), evidence_tags.end(),
                                    [&](const evidence_tag_meaning& e) { return e.tag == tag; });
    return found == evidence_tags.end() ? nullptr : &*found;
}

/// "assumption" from "assumption: a modelling default, ...": the meaning up to its first colon or comma.
std::string_view short_meaning(std::string_view meaning) { return meaning.substr(0, meaning.find_first_of(":,")); }

}  // namespace

bool is_evidence_tag(std::string_view tag) { return find_tag(tag) != nullptr; }

std::string_view evidence_meaning(std::string_view tag) {
    const evidence_tag_meaning* found = find_tag(tag);
    return found == nullptr ? std::string_view{} : found->meaning;
}

std::string evidence_with_meaning(std::string_view tag) {
    const std::string_view meaning = evidence_meaning(tag);
    if (meaning.empty()) return std::string(tag);
    return std::string(tag) + " (" + std::string(meaning) + ")";
}

std::string evidence_legend() {
    std::string text = "Evidence tags: ";
    for (std::size_t i = 0; i < evidence_tags.size(); ++i) {
        text += (i ? "; " : "") + std::string(evidence_tags[i].tag) + " = " + std::string(evidence_tags[i].meaning);
    }
    return text + ".";
}

std::string expected_evidence_tags() {
    std::string text = "expected ";
    for (std::size_t i = 0; i < evidence_tags.size(); ++i) {
        if (i > 0) text += i + 1 == evidence_tags.size() ? " or " : ", ";
        text += std::string(evidence_tags[i].tag) + " (" + std::string(short_meaning(evidence_tags[i].meaning)) + ")";
    }
    return text;
}

}  // namespace pathways
