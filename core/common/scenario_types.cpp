#include "common/scenario_types.hpp"

namespace pathways {

source_location position_index::at(std::string_view pointer) const {
    std::string probe(pointer);
    while (true) {
        if (const auto it = positions.find(probe); it != positions.end()) {
            return {file, it->second.first, it->second.second, std::string(pointer)};
        }
        if (probe.empty()) return {file, 0, 0, std::string(pointer)};
        probe.erase(probe.rfind('/'));
    }
}

void position_index::error(diagnostics& out, std::string_view pointer, std::string message) const {
    const source_location where = at(pointer);
    out.error(where.file, where.line, where.column, where.pointer, std::move(message));
}

std::string_view cost_basis_name(cost_basis basis) {
    switch (basis) {
        case cost_basis::student: return "student";
        case cost_basis::teacher: return "teacher";
        case cost_basis::district: return "district";
        case cost_basis::school: break;
    }
    return "school";
}

std::string_view variant_kind_name(variant_kind kind) {
    return kind == variant_kind::assumption ? "assumption" : "plan";
}

variant_info scenario::variant_of(std::string_view name) const {
    for (const variant_info& v : variants) {
        if (v.name == name) return v;
    }
    // The base scenario, or a variant a results folder names that the file no longer declares: a plan.
    variant_info base;
    base.name = std::string(name);
    if (name == "base") base.description = "the plan as the scenario writes it";
    return base;
}

}  // namespace pathways
