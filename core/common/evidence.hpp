#pragma once
/// \file
/// The four evidence tags every shipped default carries, and what each means in words. This is the
/// one place that defines them: readers check tags against it and every output that shows a tag
/// explains it from here.

#include <array>
#include <string>
#include <string_view>

namespace pathways {

struct evidence_tag_meaning {
    std::string_view tag;
    std::string_view meaning;
};

inline constexpr std::array<evidence_tag_meaning, 4> evidence_tags{{
    {"S", "sourced: the number appears in the cited study"},
    {"S2", "sourced second-hand: the number is quoted from the study by another document"},
    {"R", "recalled from the literature, not re-verified against the study"},
    {"A", "assumption: a modelling default, not a research finding"},
}};

/// True for S, S2, R and A.
[[nodiscard]] bool is_evidence_tag(std::string_view tag);
/// The meaning of `tag` in words; empty for an unknown tag.
[[nodiscard]] std::string_view evidence_meaning(std::string_view tag);
/// "A (assumption: a modelling default, not a research finding)"; the tag alone when unknown.
[[nodiscard]] std::string evidence_with_meaning(std::string_view tag);
/// "Evidence tags: S = sourced: ...; S2 = ...; R = ...; A = ...".
[[nodiscard]] std::string evidence_legend();
/// "expected S (sourced), S2 (sourced second-hand), R (recalled) or A (assumption)", for error messages.
[[nodiscard]] std::string expected_evidence_tags();

}  // namespace pathways
