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

}  // namespace pathways
