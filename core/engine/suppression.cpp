#include "engine/suppression.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "engine/simulation.hpp"

namespace pathways {
namespace {

using matrix = Eigen::MatrixXd;
using index = Eigen::Index;

/// Membership vectors are 0/1 and head counts whole, so ranks are exact well above this.
constexpr double rank_threshold = 1e-9;
/// How far from the published span a union's indicator may lie and still count as recoverable.
constexpr double span_tolerance = 1e-7;
/// Unions of small atoms tried before the search gives up and withholds conservatively instead.
constexpr std::size_t max_unions_tried = 200'000;

double column_students(const audit_table& table, std::size_t column) {
    double sum = 0.0;
    for (std::size_t a = 0; a < table.atoms.size(); ++a) {
        if (table.atoms[a][column]) sum += table.students[a];
    }
    return sum;
}

/// Rows: the `columns`' membership vectors; matrix columns: the `atoms`.
matrix membership_rows(const audit_table& table, const std::vector<std::size_t>& columns,
                       const std::vector<std::size_t>& atoms) {
    matrix rows = matrix::Zero(static_cast<index>(columns.size()), static_cast<index>(atoms.size()));
    for (std::size_t r = 0; r < columns.size(); ++r) {
        for (std::size_t a = 0; a < atoms.size(); ++a) {
            if (table.atoms[atoms[a]][columns[r]]) rows(static_cast<index>(r), static_cast<index>(a)) = 1.0;
        }
    }
    return rows;
}

index rank_of(const matrix& rows) {
    if (rows.rows() == 0 || rows.cols() == 0) return 0;
    Eigen::FullPivLU<matrix> lu(rows);
    lu.setThreshold(rank_threshold);
    return lu.rank();
}

std::vector<std::size_t> all_atoms(const audit_table& table) {
    std::vector<std::size_t> atoms;
    for (std::size_t a = 0; a < table.atoms.size(); ++a) {
        if (table.students[a] > 0.0) atoms.push_back(a);  // an empty atom adds nothing to any published sum
    }
    return atoms;
}

/// Whether the indicator of the union of `target` atoms is a combination of the published columns.
bool recoverable(const audit_table& table, const std::vector<std::size_t>& published,
                 const std::vector<std::size_t>& target) {
    const std::vector<std::size_t> atoms = all_atoms(table);
    matrix rows = membership_rows(table, published, atoms);
    const index base = rank_of(rows);
    rows.conservativeResize(rows.rows() + 1, Eigen::NoChange);
    rows.row(rows.rows() - 1).setZero();
    for (const std::size_t a : target) {
        const auto at = std::find(atoms.begin(), atoms.end(), a);
        rows(rows.rows() - 1, static_cast<index>(at - atoms.begin())) = 1.0;
    }
    return rank_of(rows) == base;
}

/// The published span's vectors that vanish on every atom of `large`, restricted to the atoms of
/// `small`: an orthonormal basis (one matrix column a vector). Only such vectors can be the indicator
/// of a union of small atoms.
matrix small_span(const audit_table& table, const std::vector<std::size_t>& published,
                  const std::vector<std::size_t>& small, const std::vector<std::size_t>& large) {
    const matrix on_small = membership_rows(table, published, small);
    matrix coefficients = matrix::Identity(on_small.rows(), on_small.rows());
    if (!large.empty()) {
        // Combinations c of the published rows with c·R = 0 on every large atom.
        Eigen::FullPivLU<matrix> lu(membership_rows(table, published, large).transpose());
        lu.setThreshold(rank_threshold);
        if (lu.rank() == on_small.rows()) return matrix(static_cast<index>(small.size()), 0);
        coefficients = lu.kernel();
    }
    const matrix spanning = on_small.transpose() * coefficients;
    Eigen::ColPivHouseholderQR<matrix> qr(spanning);
    qr.setThreshold(rank_threshold);
    const index rank = qr.rank();
    matrix basis = qr.householderQ() * matrix::Identity(spanning.rows(), rank);
    return basis;
}

enum class search { none, found, undecided };

struct union_search {
    search result = search::none;
    std::vector<std::size_t> atoms;  ///< the union found
    index span_dimension = 0;
};

/// Depth-first over unions of `candidates` (students ascending) with fewer than `min_n` students,
/// keeping each union's distance from the span: `residual_of[i]` is candidate i's indicator minus its
/// projection on the span.
class union_finder {
public:
    union_finder(const matrix& residual_of, const std::vector<double>& students, double min_n)
        : residual_of_(residual_of), students_(students), min_n_(min_n) {}

    search find(std::vector<std::size_t>& chosen) {
        Eigen::VectorXd residual = Eigen::VectorXd::Zero(residual_of_.rows());
        return extend(0, 0.0, residual, chosen);
    }

private:
    search extend(std::size_t from, double total, Eigen::VectorXd& residual, std::vector<std::size_t>& chosen) {
        for (std::size_t i = from; i < students_.size(); ++i) {
            if (total + students_[i] >= min_n_) break;  // ascending: every later union is as large
            if (++tried_ > max_unions_tried) return search::undecided;
            residual += residual_of_.col(static_cast<index>(i));
            chosen.push_back(i);
            if (residual.norm() < span_tolerance) return search::found;
            const search deeper = extend(i + 1, total + students_[i], residual, chosen);
            if (deeper != search::none) return deeper;
            chosen.pop_back();
            residual -= residual_of_.col(static_cast<index>(i));
        }
        return search::none;
    }

    const matrix& residual_of_;
    const std::vector<double>& students_;
    double min_n_;
    std::size_t tried_ = 0;
};

/// A union of atoms with some but fewer than `min_n` students that the published columns recover.
union_search small_recoverable_union(const audit_table& table, const std::vector<std::size_t>& published,
                                     double min_n) {
    std::vector<std::size_t> small;
    std::vector<std::size_t> large;
    for (const std::size_t a : all_atoms(table)) (table.students[a] < min_n ? small : large).push_back(a);
    if (small.empty() || published.empty()) return {};
    const matrix basis = small_span(table, published, small, large);
    if (basis.cols() == 0) return {};
    // Atoms on which every such vector vanishes can be in no recovered union.
    std::vector<std::size_t> support;
    for (std::size_t i = 0; i < small.size(); ++i) {
        if (basis.row(static_cast<index>(i)).norm() > span_tolerance) support.push_back(i);
    }
    std::stable_sort(support.begin(), support.end(),
                     [&](std::size_t x, std::size_t y) { return table.students[small[x]] < table.students[small[y]]; });
    matrix on_support(static_cast<index>(support.size()), basis.cols());
    std::vector<double> students;
    for (std::size_t i = 0; i < support.size(); ++i) {
        on_support.row(static_cast<index>(i)) = basis.row(static_cast<index>(support[i]));
        students.push_back(table.students[small[support[i]]]);
    }
    const matrix residual_of =
        matrix::Identity(on_support.rows(), on_support.rows()) - on_support * on_support.transpose();
    std::vector<std::size_t> chosen;
    union_search out;
    out.span_dimension = basis.cols();
    out.result = union_finder(residual_of, students, min_n).find(chosen);
    for (const std::size_t i : chosen) out.atoms.push_back(small[support[i]]);
    return out;
}

std::vector<std::size_t> published_of(const std::vector<bool>& hidden) {
    std::vector<std::size_t> published;
    for (std::size_t c = 0; c < hidden.size(); ++c) {
        if (!hidden[c]) published.push_back(c);
    }
    return published;
}

/// The published column to withhold next: the smallest ("all" last) whose removal makes the union
/// `found` unrecoverable — or, when the search gave up, shrinks the span over small atoms; when no
/// single removal does, the smallest, and the caller looks again.
std::size_t column_to_withhold(const audit_table& table, const std::vector<bool>& hidden, const union_search& found,
                               double min_n) {
    std::vector<std::size_t> candidates = published_of(hidden);
    std::vector<double> size(hidden.size(), 0.0);
    for (const std::size_t c : candidates) size[c] = column_students(table, c);
    std::stable_sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
        if (table.whole_population[a] != table.whole_population[b]) return table.whole_population[b];
        return size[a] < size[b];
    });
    for (const std::size_t candidate : candidates) {
        std::vector<bool> trial = hidden;
        trial[candidate] = true;
        const std::vector<std::size_t> published = published_of(trial);
        if (found.result == search::found) {
            if (!recoverable(table, published, found.atoms)) return candidate;
        } else if (small_recoverable_union(table, published, min_n).span_dimension < found.span_dimension) {
            return candidate;
        }
    }
    return candidates.front();
}

}  // namespace

std::vector<bool> withheld_columns(const audit_table& table, std::int64_t min_n) {
    const double floor = static_cast<double>(min_n);
    std::vector<bool> hidden(table.whole_population.size(), false);
    for (std::size_t c = 0; c < hidden.size(); ++c) hidden[c] = column_students(table, c) < floor;
    // Each pass withholds one more column, so this ends within as many passes as there are columns.
    for (;;) {
        const union_search found = small_recoverable_union(table, published_of(hidden), floor);
        if (found.result == search::none) break;
        hidden[column_to_withhold(table, hidden, found, floor)] = true;
    }
    return hidden;
}

namespace {

/// A run as the audit keeps it.
struct audited_run {
    std::size_t population = 0;
    int start_year = 0;
    std::vector<std::vector<std::vector<bool>>> stratum_members;  ///< [year][stratum][subgroup]
    std::vector<bool> whole;                                      ///< per subgroup: "all"
    std::vector<std::vector<bool>> verdict;                       ///< [year][subgroup]
};

/// Cells of one population split by every run's strata: the atoms over all its runs.
struct population_atoms {
    std::vector<double> cell_students;
    std::vector<std::uint32_t> atom_of_cell;
    std::vector<std::vector<std::uint32_t>> strata_of_atom;  ///< [atom][k]: its stratum in the k-th run
    std::vector<double> atom_students;
    std::vector<std::size_t> runs;  ///< the audit's runs of this population, in order
    const block_exchange* exchange = nullptr;
};

void refine(population_atoms& population, const std::vector<std::uint32_t>& stratum_of_cell) {
    std::unordered_map<std::uint64_t, std::uint32_t> atom_of_pair;
    std::vector<std::vector<std::uint32_t>> strata;
    for (std::size_t c = 0; c < stratum_of_cell.size(); ++c) {
        const std::uint32_t old = population.atom_of_cell[c];
        const std::uint64_t key = (static_cast<std::uint64_t>(old) << 32U) | stratum_of_cell[c];
        const auto [at, inserted] = atom_of_pair.try_emplace(key, static_cast<std::uint32_t>(strata.size()));
        if (inserted) {
            strata.push_back(population.strata_of_atom[old]);
            strata.back().push_back(stratum_of_cell[c]);
        }
        population.atom_of_cell[c] = at->second;
    }
    population.strata_of_atom = std::move(strata);
}

void count_students(population_atoms& population) {
    population.atom_students.assign(population.strata_of_atom.size(), 0.0);
    for (std::size_t c = 0; c < population.atom_of_cell.size(); ++c)
        population.atom_students[population.atom_of_cell[c]] += population.cell_students[c];
}

/// Atoms with the same membership of every column merged; under split schools, every holder's.
std::map<std::vector<bool>, double> merged_atoms(const population_atoms& population,
                                                 const std::vector<std::vector<bool>>& pattern_of_atom) {
    std::map<std::vector<bool>, double> merged;
    for (std::size_t a = 0; a < pattern_of_atom.size(); ++a) merged[pattern_of_atom[a]] += population.atom_students[a];
    if (population.exchange == nullptr) return merged;
    const std::size_t width = pattern_of_atom.empty() ? 0 : pattern_of_atom.front().size();
    std::vector<double> mine;
    for (const auto& [pattern, students] : merged) {
        for (const bool member : pattern) mine.push_back(member ? 1.0 : 0.0);
        mine.push_back(students);
    }
    const std::vector<double> every = population.exchange->gather(mine);
    std::map<std::vector<bool>, double> across;
    for (std::size_t at = 0; at + width < every.size(); at += width + 1) {
        std::vector<bool> pattern(width);
        for (std::size_t k = 0; k < width; ++k) pattern[k] = every[at + k] != 0.0;
        across[pattern] += every[at + width];
    }
    return across;
}

}  // namespace

struct publication_audit::state {
    std::int64_t min_n = 0;
    std::vector<audited_run> runs;
    std::vector<population_atoms> populations;
    bool decided = false;

    std::size_t population_of(const simulation& sim) {
        for (std::size_t p = 0; p < populations.size(); ++p) {
            if (populations[p].cell_students == sim.cell_students()) {
                refine(populations[p], sim.stratum_of_cells());
                return p;
            }
        }
        population_atoms fresh;
        fresh.cell_students = sim.cell_students();
        fresh.atom_of_cell = sim.stratum_of_cells();
        fresh.strata_of_atom.resize(sim.stratum_count());
        for (std::uint32_t s = 0; s < fresh.strata_of_atom.size(); ++s) fresh.strata_of_atom[s] = {s};
        fresh.exchange = sim.exchange();
        populations.push_back(std::move(fresh));
        return populations.size() - 1;
    }

    void decide_year(population_atoms& population, int calendar_year) {
        // The columns: every subgroup of every run of this population that has this year.
        std::vector<std::pair<std::size_t, std::size_t>> columns;  // (position in population.runs, subgroup)
        audit_table table;
        for (std::size_t k = 0; k < population.runs.size(); ++k) {
            const audited_run& run = runs[population.runs[k]];
            const int year = calendar_year - run.start_year;
            if (year < 0 || year >= static_cast<int>(run.stratum_members.size())) continue;
            for (std::size_t g = 0; g < run.whole.size(); ++g) {
                columns.emplace_back(k, g);
                table.whole_population.push_back(run.whole[g]);
            }
        }
        if (columns.empty()) return;
        std::vector<std::vector<bool>> pattern_of_atom(population.strata_of_atom.size());
        for (std::size_t a = 0; a < pattern_of_atom.size(); ++a) {
            for (const auto& [k, g] : columns) {
                const audited_run& run = runs[population.runs[k]];
                const auto& members = run.stratum_members[static_cast<std::size_t>(calendar_year - run.start_year)];
                pattern_of_atom[a].push_back(members[population.strata_of_atom[a][k]][g]);
            }
        }
        for (auto& [pattern, students] : merged_atoms(population, pattern_of_atom)) {
            table.atoms.push_back(pattern);
            table.students.push_back(students);
        }
        const std::vector<bool> hidden = withheld_columns(table, min_n);
        for (std::size_t c = 0; c < columns.size(); ++c) {
            audited_run& run = runs[population.runs[columns[c].first]];
            run.verdict[static_cast<std::size_t>(calendar_year - run.start_year)][columns[c].second] = hidden[c];
        }
    }

    void decide() {
        std::set<int> calendar_years;
        for (const audited_run& run : runs) {
            for (std::size_t y = 0; y < run.stratum_members.size(); ++y)
                calendar_years.insert(run.start_year + static_cast<int>(y));
        }
        for (population_atoms& population : populations) {
            count_students(population);
            for (const int year : calendar_years) decide_year(population, year);
        }
        decided = true;
    }
};

publication_audit::publication_audit() : state_(std::make_unique<state>()) {}
publication_audit::~publication_audit() = default;
publication_audit::publication_audit(publication_audit&&) noexcept = default;
publication_audit& publication_audit::operator=(publication_audit&&) noexcept = default;

std::size_t publication_audit::add(const simulation& sim, std::int64_t min_n) {
    if (state_->decided) throw std::logic_error("publication_audit: a run added after the verdict");
    state_->min_n = std::max(state_->min_n, min_n);
    audited_run run;
    run.population = state_->population_of(sim);
    run.start_year = sim.spec().start_year;
    for (int y = 0; y < sim.years(); ++y) run.stratum_members.push_back(sim.stratum_memberships(y));
    for (const reported_subgroup& group : sim.subgroups()) run.whole.push_back(group.group.terms.empty());
    run.verdict.assign(static_cast<std::size_t>(sim.years()), std::vector<bool>(run.whole.size(), false));
    state_->runs.push_back(std::move(run));
    state_->populations[state_->runs.back().population].runs.push_back(state_->runs.size() - 1);
    return state_->runs.size() - 1;
}

const std::vector<std::vector<bool>>& publication_audit::withheld(std::size_t run) {
    if (!state_->decided) state_->decide();
    return state_->runs.at(run).verdict;
}

std::vector<bool> suppressed_subgroups(const simulation& sim, int year, std::int64_t min_n) {
    publication_audit audit;
    audit.add(sim, min_n);
    const auto& verdict = audit.withheld(0);
    return verdict.at(static_cast<std::size_t>(year < 0 ? sim.years() - 1 : year));
}

}  // namespace pathways
