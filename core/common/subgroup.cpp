#include "common/subgroup.hpp"

#include <algorithm>
#include <array>

#include "common/diagnostics.hpp"
#include "common/subgroup_codes.hpp"

namespace pathways {
namespace {

struct dimension_spelling {
    std::string_view name;
    subgroup_term::dimension dim;
    std::vector<std::string_view> codes;  ///< position = code
};

const std::vector<dimension_spelling>& spellings() {
    using dim = subgroup_term::dimension;
    static const std::vector<dimension_spelling> table{
        {"race",
         dim::race,
         {"hispanic", "black", "white", "asian", "multiracial", "american_indian", "pacific_islander"}},
        {"ell", dim::ell, {"non_ell", "ell", "exited"}},
        {"frl", dim::frl, {"no", "yes"}},
        {"sped", dim::sped, {"no", "yes"}},
        {"grade", dim::grade, {"elementary", "middle", "high"}},
        {"pl", dim::pl, {"no", "yes"}},
    };
    return table;
}

std::optional<subgroup_term> parse_term(std::string_view text, std::string& error) {
    const auto colon = text.find(':');
    if (colon != std::string_view::npos) {
        const std::string_view name = text.substr(0, colon);
        const std::string_view code = text.substr(colon + 1);
        for (const auto& spelling : spellings()) {
            if (spelling.name != name) continue;
            for (std::size_t i = 0; i < spelling.codes.size(); ++i) {
                if (spelling.codes[i] == code) return subgroup_term{spelling.dim, static_cast<std::uint8_t>(i)};
            }
        }
    }
    error = "unknown subgroup '" + std::string(text) +
            "'; expected 'all', 'race:<group>', 'ell:<ell|non_ell|exited>', 'frl:<yes|no>', 'sped:<yes|no>', "
            "'grade:<elementary|middle|high>', 'pl:<yes|no>' (schools the plan has reached) or terms joined by '&'" +
            did_you_mean(text, subgroup_terms());
    return std::nullopt;
}

}  // namespace

const std::vector<std::string>& subgroup_terms() {
    static const std::vector<std::string> terms = [] {
        std::vector<std::string> all{"all"};
        for (const auto& spelling : spellings()) {
            for (std::string_view code : spelling.codes)
                all.push_back(std::string(spelling.name) + ":" + std::string(code));
        }
        return all;
    }();
    return terms;
}

std::optional<subgroup> parse_subgroup(std::string_view expression, std::string& error) {
    subgroup group{std::string(expression), {}};
    if (expression == "all") return group;
    std::size_t begin = 0;
    while (begin <= expression.size()) {
        const std::size_t end = std::min(expression.find('&', begin), expression.size());
        const auto term = parse_term(expression.substr(begin, end - begin), error);
        if (!term) return std::nullopt;
        for (const subgroup_term& seen : group.terms) {
            if (seen.dim == term->dim) {
                error = "subgroup '" + std::string(expression) +
                        "' names the same dimension twice; expected one term per dimension";
                return std::nullopt;
            }
        }
        group.terms.push_back(*term);
        begin = end + 1;
    }
    return group;
}

std::string_view code_name(subgroup_term::dimension dim, std::uint8_t code) {
    for (const auto& spelling : spellings()) {
        if (spelling.dim == dim) return code < spelling.codes.size() ? spelling.codes[code] : std::string_view{};
    }
    return {};
}

bool uses_plan_reach(const subgroup& group) {
    return std::any_of(group.terms.begin(), group.terms.end(),
                       [](const subgroup_term& term) { return term.dim == subgroup_term::dimension::pl; });
}

}  // namespace pathways
