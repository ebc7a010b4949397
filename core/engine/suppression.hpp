#pragma once
/// \file
/// Which subgroups an output may publish: the one suppression rule every output path goes through
/// (run, compare, compare-models, sweep and SQLite, sensitivity, report).
///
/// Primary suppression withholds every group with fewer than `min_n` students behind that year's
/// numbers. Published head counts and means give published student-weighted sums, and sums of
/// overlapping groups can be added and subtracted: publishing American Indian students (552), and
/// those of them who are English learners (43) or not (506), gives away the 3 who exited ELL
/// services. So the audit statistical agencies run for cell suppression follows: a withheld group is
/// safe only when its membership vector (over the cells' membership patterns) is not a linear
/// combination of the published groups' vectors; while one is, the smallest published group that
/// takes part is withheld too.

#include <cstdint>
#include <vector>

namespace pathways {

class simulation;

/// Per reported subgroup (in `sim.subgroups()` order): whether year `year`'s numbers are withheld.
/// "all" is withheld only when it is itself too small. Deterministic: ties go to the group listed first.
std::vector<bool> suppressed_subgroups(const simulation& sim, int year, std::int64_t min_n);

}  // namespace pathways
