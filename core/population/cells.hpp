#pragma once
/// \file
/// The synthetic population: one cell per school x race x ELL status x FRL x SPED x grade band
/// with at least one student. std-only, so the engine and writers need no Eigen through it.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/diagnostics.hpp"
#include "population/ipf.hpp"
#include "population/school.hpp"
#include "population/seed_table.hpp"

namespace pathways {

/// Cells as parallel arrays (struct of arrays), all of the same length. Codes are those of the
/// SDK enums, so the arrays can be handed to plugins as `sdk::cell_attributes` spans.
struct population_cells {
    std::vector<std::uint32_t> school;     ///< index into the schools the cells were made from
    std::vector<std::uint8_t> race;        ///< sdk::race
    std::vector<std::uint8_t> ell;         ///< sdk::ell_status
    std::vector<std::uint8_t> frl;         ///< 1 = eligible for free/reduced-price lunch
    std::vector<std::uint8_t> sped;        ///< 1 = has an IEP
    std::vector<std::uint8_t> grade_band;  ///< sdk::grade_band
    std::vector<double> students;          ///< whole number of students, >= 1

    [[nodiscard]] std::size_t size() const { return students.size(); }
};

/// How IPF went for one school.
struct school_fit_summary {
    std::uint32_t school = 0;  ///< index into the schools
    ipf_report fit;
};

struct population_report {
    std::vector<school_fit_summary> schools;  ///< one per school that reached IPF, in input order
    int max_iterations = 0;                   ///< most IPF cycles any school needed
    double worst_max_error = 0.0;             ///< largest marginal error of any school
    std::uint32_t worst_school = 0;           ///< the school with that error (0 when there are none)
    double total_students = 0.0;              ///< sum of all cells' students
    std::size_t cells = 0;                    ///< cells made
};

/// Turns schools into cells. For each school, in order:
///   1. IPF fits the race x ELL x FRL x SPED table to the school's marginals (marginals_of),
///      starting from `seed` (fit_joint_shares);
///   2. the table is split by grade band: elementary, middle and high schools have one band;
///      k8 schools put 6/9 of every cell in elementary and 3/9 in middle;
///   3. the school's enrollment is apportioned over the resulting cells by the largest-remainder
///      method (apportion_largest_remainder), so the school's cells sum to its enrollment
///      exactly. Ties between equal remainders go to the lower cell index, where cells are
///      numbered band by band (elementary before middle) and, within a band, by joint_index
///      (race, then ELL status, FRL, SPED);
///   4. cells with zero students are dropped; the rest are appended in that cell order.
/// Errors go to `found` naming the school: an invalid seed table (then no cell is made),
/// enrollment outside 1..1e9, inconsistent marginals, and IPF that does not converge within
/// `options`. Schools with errors contribute no cells; when `found` has errors the population
/// is incomplete and must not be used for a run. `report` is overwritten.
population_cells synthesize_population(const std::vector<school>& schools, const seed_table& seed,
                                       const ipf_options& options, population_report& report, diagnostics& found);

}  // namespace pathways
