#pragma once
/// \file
/// Which subgroups an output may publish: the one suppression rule every output path goes through
/// (run, compare, compare-models, sweep and SQLite, sensitivity, report, plan-next, the explorer).
///
/// Primary suppression withholds every group with fewer than `min_n` students behind that year's
/// numbers. Published head counts and means give published student-weighted sums, and sums of
/// overlapping groups can be added and subtracted — within one run, and across the runs published
/// together (variants, compared scenarios, sweep points), whose groups may hold different students
/// (a plan reaching one more school changes who is in `pl:yes`). Publishing American Indian students
/// (552), and those of them who are English learners (43) or not (506), gives away the 3 who exited
/// ELL services although that group is never reported. So the audit statistical agencies run for cell
/// suppression follows, over every group the published numbers imply: the cells are split into atoms
/// (cells that every published group holds whole or not at all), and no union of atoms with some but
/// fewer than `min_n` students may be a linear combination of the published groups' membership vectors.
/// While one is, the smallest published group that takes part is withheld too.

#include <cstdint>
#include <memory>
#include <vector>

namespace pathways {

class simulation;

/// The audit's view of one year of a publication: which published columns (a group of one run)
/// hold which atoms, and each atom's students.
struct audit_table {
    std::vector<std::vector<bool>> atoms;  ///< per atom, per column: whether the column's group holds it
    std::vector<double> students;          ///< per atom
    std::vector<bool> whole_population;    ///< per column: the "all" group, withheld only as a last resort
};

/// The columns to withhold: every column with fewer than `min_n` students, and then, smallest first
/// ("all" last; ties to the column listed first), published columns until no union of atoms with
/// 0 < students < min_n lies in the span of the published columns. Deterministic.
std::vector<bool> withheld_columns(const audit_table& table, std::int64_t min_n);

/// The runs published together in one output, audited as one: add every run, then ask each run's
/// verdict. A run's data are copied when it is added, so its simulation may go before the verdict.
/// Runs whose populations differ (a variant with another district) share no cells and are audited
/// apart. Runs are matched year by year on the calendar year. Under split schools every holder of
/// blocks must add the same runs in the same order (the atoms meet across holders).
class publication_audit {
public:
    publication_audit();
    ~publication_audit();
    publication_audit(publication_audit&&) noexcept;
    publication_audit& operator=(publication_audit&&) noexcept;

    /// Adds a run, audited at `min_n` or at the largest `min_n` of the runs added; returns its index.
    std::size_t add(const simulation& sim, std::int64_t min_n);
    /// Per year of run `run` (from its start year), per reported subgroup: whether it is withheld.
    /// Decides every run's verdict on the first call; adding a run afterwards is a logic error.
    [[nodiscard]] const std::vector<std::vector<bool>>& withheld(std::size_t run);

private:
    struct state;
    std::unique_ptr<state> state_;
};

/// Per reported subgroup (in `sim.subgroups()` order): whether year `year`'s numbers are withheld when
/// this run is published alone. "all" is withheld only when nothing else makes it safe.
std::vector<bool> suppressed_subgroups(const simulation& sim, int year, std::int64_t min_n);

}  // namespace pathways
