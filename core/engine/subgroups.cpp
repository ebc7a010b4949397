#include "engine/subgroups.hpp"

#include "population/cells.hpp"

namespace pathways {

bool cell_has_term(const population_cells& cells, std::size_t c, const subgroup_term& term,
                   const std::vector<bool>* reached) {
    switch (term.dim) {
        case subgroup_term::dimension::race: return cells.race[c] == term.code;
        case subgroup_term::dimension::ell: return cells.ell[c] == term.code;
        case subgroup_term::dimension::frl: return cells.frl[c] == term.code;
        case subgroup_term::dimension::sped: return cells.sped[c] == term.code;
        case subgroup_term::dimension::grade: return cells.grade_band[c] == term.code;
        case subgroup_term::dimension::pl:
            return reached != nullptr && static_cast<std::uint8_t>((*reached)[cells.school[c]]) == term.code;
    }
    return false;
}

std::vector<std::uint32_t> select_cells(const subgroup& group, const population_cells& cells,
                                        const std::vector<bool>* reached) {
    std::vector<std::uint32_t> selected;
    for (std::size_t i = 0; i < cells.students.size(); ++i) {
        bool member = true;
        for (const subgroup_term& term : group.terms) member = member && cell_has_term(cells, i, term, reached);
        if (member) selected.push_back(static_cast<std::uint32_t>(i));
    }
    return selected;
}

}  // namespace pathways
