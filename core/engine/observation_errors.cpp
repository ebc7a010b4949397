#include "engine/observation_errors.hpp"

#include <Eigen/Core>
#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <tuple>
#include <utility>

#include "common/subgroup.hpp"

namespace pathways {
namespace {

using term_list = std::vector<subgroup_term>;

bool same_term(const subgroup_term& a, const subgroup_term& b) { return a.dim == b.dim && a.code == b.code; }

bool has_term(const term_list& terms, const subgroup_term& term) {
    return std::any_of(terms.begin(), terms.end(), [&](const subgroup_term& t) { return same_term(t, term); });
}

/// Every term of `inner` is a term of `outer`: the group `outer` lies within `inner`.
bool terms_within(const term_list& inner, const term_list& outer) {
    return std::all_of(inner.begin(), inner.end(), [&](const subgroup_term& t) { return has_term(outer, t); });
}

/// The groups ask for different codes of one dimension, so no student is in both.
bool disjoint(const term_list& a, const term_list& b) {
    for (const subgroup_term& ta : a)
        for (const subgroup_term& tb : b)
            if (ta.dim == tb.dim && ta.code != tb.code) return true;
    return false;
}

bool same_terms(const term_list& a, const term_list& b) {
    return a.size() == b.size() && terms_within(a, b) && terms_within(b, a);
}

/// The cells of one year and outcome, with what the overlaps need: each cell's terms and the number of
/// students in the whole population.
struct occasion {
    std::vector<std::size_t> cells;
    double students = 0.0;
};

term_list parsed_terms(const std::string& expression) {
    std::string error;
    const auto group = parse_subgroup(expression, error);
    if (!group) throw std::invalid_argument("observation_covariance: subgroup '" + expression + "': " + error);
    return group->terms;
}

/// The population of an occasion: the "all" cell's n when observed, else the most any one group or any
/// one dimension's groups together account for (a lower bound).
double population_of(const occasion& o, std::span<const observed_error_cell> cells,
                     const std::vector<term_list>& terms) {
    double largest = 0.0;
    std::map<subgroup_term::dimension, double> by_dimension;
    for (const std::size_t i : o.cells) {
        const auto n = static_cast<double>(cells[i].n);
        if (terms[i].empty()) return n;
        largest = std::max(largest, n);
        if (terms[i].size() == 1) largest = std::max(largest, by_dimension[terms[i].front().dim] += n);
    }
    return largest;
}

/// Students in both groups i and j of one occasion (see the file comment).
double shared_students(std::size_t i, std::size_t j, const occasion& o, std::span<const observed_error_cell> cells,
                       const std::vector<term_list>& terms) {
    const auto n_i = static_cast<double>(cells[i].n);
    const auto n_j = static_cast<double>(cells[j].n);
    if (disjoint(terms[i], terms[j])) return 0.0;
    if (terms_within(terms[i], terms[j])) return n_j;
    if (terms_within(terms[j], terms[i])) return n_i;
    term_list common;
    for (const subgroup_term& t : terms[i])
        if (has_term(terms[j], t)) common.push_back(t);
    // The share of the population in the terms both groups have: observed when that group is, else at
    // least the larger of the two groups' shares (which gives the larger, more cautious overlap).
    double common_share = std::max(n_i, n_j) / o.students;
    if (common.empty()) common_share = 1.0;
    for (const std::size_t k : o.cells)
        if (!common.empty() && same_terms(terms[k], common))
            common_share = static_cast<double>(cells[k].n) / o.students;
    return std::min({n_i * n_j / (o.students * common_share), n_i, n_j});
}

/// The part of a cell's se that is the sampling error of its students' mean (student SD 1, the
/// outcomes' unit), which groups sharing students share; a cell's se beyond it is the cell's own.
double sampling_se(const observed_error_cell& cell) {
    return std::min(cell.se, 1.0 / std::sqrt(static_cast<double>(cell.n)));
}

double own_variance(const observed_error_cell& cell) {
    const double sampling = sampling_se(cell);
    return cell.se * cell.se - sampling * sampling;
}

void check_inputs(std::span<const observed_error_cell> cells, const observation_error_model& errors) {
    for (const double sd : {errors.discrepancy_sd, errors.year_shock_sd, errors.persistent_sd})
        if (!(sd >= 0.0) || !std::isfinite(sd))
            throw std::invalid_argument("observation_covariance: a shock SD is negative or not finite");
    for (const observed_error_cell& cell : cells)
        if (cell.n <= 0 || !(cell.se > 0.0) || !std::isfinite(cell.se))
            throw std::invalid_argument("observation_covariance: cell " + cell.subgroup + " " +
                                        std::to_string(cell.year) + " needs n > 0 and a positive se");
}

/// The overlap correlations ρ_ab of the groups of one outcome: within each year (for the sampling
/// error of that year) and for the persistent term, from the latest year both groups are observed
/// (group sizes change as a plan reaches schools).
struct overlaps {
    std::map<std::tuple<int, std::string, std::string, std::string>, double> in_year;  ///< year, outcome, a, b
    std::map<std::tuple<std::string, std::string, std::string>, double> latest;        ///< outcome, a, b

    [[nodiscard]] double within_year(const observed_error_cell& a, const observed_error_cell& b) const {
        const auto found = in_year.find({a.year, a.outcome, a.subgroup, b.subgroup});
        return found == in_year.end() ? 0.0 : found->second;
    }
    [[nodiscard]] double across_years(const observed_error_cell& a, const observed_error_cell& b) const {
        const auto found = latest.find({a.outcome, a.subgroup, b.subgroup});
        return found == latest.end() ? 0.0 : found->second;
    }
};

overlaps overlap_correlations(std::span<const observed_error_cell> cells, const std::vector<term_list>& terms) {
    std::map<std::pair<int, std::string>, occasion> occasions;  // in year order, so later years overwrite
    for (std::size_t i = 0; i < cells.size(); ++i) occasions[{cells[i].year, cells[i].outcome}].cells.push_back(i);
    overlaps rho;
    for (auto& [key, o] : occasions) {
        o.students = population_of(o, cells, terms);
        for (const std::size_t i : o.cells)
            for (const std::size_t j : o.cells) {
                const observed_error_cell& a = cells[i];
                const observed_error_cell& b = cells[j];
                const double value = shared_students(i, j, o, cells, terms) /
                                     std::sqrt(static_cast<double>(a.n) * static_cast<double>(b.n));
                rho.in_year[{a.year, a.outcome, a.subgroup, b.subgroup}] = value;
                rho.latest[{a.outcome, a.subgroup, b.subgroup}] = value;
            }
    }
    return rho;
}

}  // namespace

std::vector<double> observation_covariance(std::span<const observed_error_cell> cells,
                                           const observation_error_model& errors) {
    check_inputs(cells, errors);
    std::vector<term_list> terms;
    for (const observed_error_cell& cell : cells) terms.push_back(parsed_terms(cell.subgroup));
    const auto rho = overlap_correlations(cells, terms);
    const std::size_t size = cells.size();
    std::vector<double> covariance(size * size, 0.0);
    for (std::size_t i = 0; i < size; ++i) {
        for (std::size_t j = 0; j < size; ++j) {
            const observed_error_cell& a = cells[i];
            const observed_error_cell& b = cells[j];
            if (a.outcome != b.outcome) continue;
            double value = rho.across_years(a, b) * errors.persistent_sd * errors.persistent_sd;
            if (a.year == b.year)
                value += rho.within_year(a, b) * sampling_se(a) * sampling_se(b) +
                         errors.year_shock_sd * errors.year_shock_sd;
            if (i == j) value += own_variance(a) + errors.discrepancy_sd * errors.discrepancy_sd;
            covariance[i * size + j] = value;
        }
    }
    return covariance;
}

observation_likelihood::observation_likelihood(std::span<const observed_error_cell> cells,
                                               const observation_error_model& errors)
    : size_(cells.size()) {
    const std::vector<double> covariance = observation_covariance(cells, errors);
    const auto n = static_cast<Eigen::Index>(size_);
    const Eigen::Map<const Eigen::MatrixXd> sigma(covariance.data(), n, n);
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(sigma);
    if (eigen.info() != Eigen::Success || n == 0) {
        rank_ = 0;
        return;
    }
    const Eigen::VectorXd& values = eigen.eigenvalues();  // ascending
    const double floor = relative_rank_tolerance * values(n - 1);
    // Rows of W = Λ^(−1/2) Vᵀ over the directions kept, so that rᵀ Σ⁺ r = ‖W r‖².
    for (Eigen::Index k = 0; k < n; ++k) {
        if (!(values(k) > floor)) continue;
        const Eigen::VectorXd row = eigen.eigenvectors().col(k) / std::sqrt(values(k));
        whitening_.insert(whitening_.end(), row.data(), row.data() + n);
        ++rank_;
    }
}

double observation_likelihood::log_density(std::span<const double> residuals) const {
    if (residuals.size() != size_) throw std::invalid_argument("observation_likelihood: one residual per cell");
    const auto n = static_cast<Eigen::Index>(size_);
    const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> whitening(
        whitening_.data(), static_cast<Eigen::Index>(rank_), n);
    return -0.5 * (whitening * Eigen::Map<const Eigen::VectorXd>(residuals.data(), n)).squaredNorm();
}

}  // namespace pathways
