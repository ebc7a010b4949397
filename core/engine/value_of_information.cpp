#include "engine/value_of_information.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace pathways {
namespace {

void check_sizes(const net_benefits& values) {
    if (values.empty() || values.front().empty())
        throw std::invalid_argument("value of information needs at least one option and one draw");
    for (const auto& option : values) {
        if (option.size() != values.front().size())
            throw std::invalid_argument("value of information needs every option's net benefit in the same draws");
    }
}

double mean_of(const std::vector<double>& values) {
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

/// Knots at evenly spaced quantiles of `x` (type 7), without repeats: fewer when `x` takes few values.
std::vector<double> knots_of(std::vector<double> x, std::size_t count) {
    std::sort(x.begin(), x.end());
    std::vector<double> knots;
    for (std::size_t k = 0; k < count; ++k) {
        const double h = static_cast<double>(x.size() - 1) * static_cast<double>(k) / static_cast<double>(count - 1);
        const auto low = static_cast<std::size_t>(std::floor(h));
        const std::size_t high = std::min(low + 1, x.size() - 1);
        const double knot = x[low] + (h - static_cast<double>(low)) * (x[high] - x[low]);
        if (knots.empty() || knot > knots.back()) knots.push_back(knot);
    }
    return knots;
}

double cube_plus(double v) { return v > 0.0 ? v * v * v : 0.0; }

/// Natural cubic spline basis of one input without its constant (Hastie, Tibshirani & Friedman, The
/// Elements of Statistical Learning, eq. 5.4-5.5): x, then d_k(x) − d_{K−1}(x) for k < K − 1, with
/// d_k(x) = ((x − ξ_k)³₊ − (x − ξ_K)³₊) / (ξ_K − ξ_k). Each column is scaled by the knots' span so the
/// columns stay of similar size.
void add_spline_columns(const std::vector<double>& x, const std::vector<double>& knots, Eigen::MatrixXd& basis,
                        Eigen::Index& column) {
    const std::size_t n = x.size();
    const double span = knots.back() - knots.front();
    for (std::size_t i = 0; i < n; ++i) basis(static_cast<Eigen::Index>(i), column) = (x[i] - knots.front()) / span;
    ++column;
    const std::size_t K = knots.size();
    const auto d = [&](std::size_t k, double v) {
        return (cube_plus(v - knots[k]) - cube_plus(v - knots[K - 1])) / (knots[K - 1] - knots[k]);
    };
    for (std::size_t k = 0; k + 2 < K; ++k) {
        for (std::size_t i = 0; i < n; ++i)
            basis(static_cast<Eigen::Index>(i), column) = (d(k, x[i]) - d(K - 2, x[i])) / (span * span);
        ++column;
    }
}

/// Knots per input so that the regression keeps at least min_draws_per_column draws per column.
std::size_t knots_per_input(std::size_t draws, std::size_t inputs) {
    for (std::size_t knots = max_knots_per_input; knots >= 2; --knots) {
        if (draws >= min_draws_per_column * (1 + inputs * (knots - 1))) return knots;
    }
    return 0;
}

Eigen::MatrixXd design_matrix(const std::vector<std::vector<double>>& inputs, std::size_t draws) {
    std::vector<const std::vector<double>*> varying;
    for (const auto& x : inputs) {
        if (x.size() != draws) throw std::invalid_argument("every input needs a value in every draw");
        if (std::any_of(x.begin(), x.end(), [&](double v) { return v != x.front(); })) varying.push_back(&x);
    }
    const std::size_t knots = knots_per_input(draws, varying.size());
    if (knots == 0) {
        throw std::invalid_argument(std::to_string(varying.size()) + " inputs need at least " +
                                    std::to_string(min_draws_per_column * (1 + varying.size())) +
                                    " draws for their value of information; the run has " + std::to_string(draws));
    }
    std::vector<std::vector<double>> knot_sets;
    std::size_t columns = 1;
    for (const auto* x : varying) {
        knot_sets.push_back(knots_of(*x, knots));
        columns += knot_sets.back().size() - 1;
    }
    Eigen::MatrixXd basis(static_cast<Eigen::Index>(draws), static_cast<Eigen::Index>(columns));
    basis.col(0).setOnes();
    Eigen::Index column = 1;
    for (std::size_t k = 0; k < varying.size(); ++k) add_spline_columns(*varying[k], knot_sets[k], basis, column);
    return basis;
}

}  // namespace

double expected_value_of_perfect_information(const net_benefits& values) {
    check_sizes(values);
    const std::size_t draws = values.front().size();
    double mean_of_max = 0.0;
    for (std::size_t d = 0; d < draws; ++d) {
        double best = values.front()[d];
        for (const auto& option : values) best = std::max(best, option[d]);
        mean_of_max += best / static_cast<double>(draws);
    }
    double max_of_mean = mean_of(values.front());
    for (const auto& option : values) max_of_mean = std::max(max_of_mean, mean_of(option));
    return std::max(0.0, mean_of_max - max_of_mean);
}

evppi_estimate expected_value_of_partial_information(const net_benefits& values,
                                                     const std::vector<std::vector<double>>& inputs) {
    check_sizes(values);
    const std::size_t draws = values.front().size();
    const Eigen::MatrixXd basis = design_matrix(inputs, draws);
    evppi_estimate out;
    out.basis_columns = static_cast<std::size_t>(basis.cols());
    if (basis.cols() == 1) return out;  // nothing varies: knowing it changes nothing
    const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(basis);
    // Fitted net benefit of each option relative to option 0 (whose own is 0 by construction).
    std::vector<Eigen::VectorXd> fitted;
    for (std::size_t o = 1; o < values.size(); ++o) {
        Eigen::VectorXd y(static_cast<Eigen::Index>(draws));
        for (std::size_t d = 0; d < draws; ++d) y(static_cast<Eigen::Index>(d)) = values[o][d] - values[0][d];
        fitted.push_back(basis * qr.solve(y));
    }
    std::vector<double> best(draws, 0.0);
    for (const Eigen::VectorXd& f : fitted) {
        for (std::size_t d = 0; d < draws; ++d) best[d] = std::max(best[d], f(static_cast<Eigen::Index>(d)));
    }
    double max_of_mean = 0.0;
    for (const Eigen::VectorXd& f : fitted) max_of_mean = std::max(max_of_mean, f.mean());
    const double mean_best = mean_of(best);
    double squares = 0.0;
    for (const double b : best) squares += (b - mean_best) * (b - mean_best);
    out.value = std::max(0.0, mean_best - max_of_mean);
    out.standard_error =
        draws > 1 ? std::sqrt(squares / static_cast<double>(draws - 1) / static_cast<double>(draws)) : 0.0;
    return out;
}

std::vector<input_group> input_groups(const std::vector<std::string>& names) {
    struct rule {
        const char* name;
        bool (*matches)(const std::string&);
    };
    static const rule rules[] = {
        {"average PL effect", [](const std::string& n) { return n == "effect:average"; }},
        {"subgroup multipliers", [](const std::string& n) { return n.starts_with("parameter:multiplier."); }},
        {"other effect-model parameters", [](const std::string& n) { return n.starts_with("parameter:"); }},
        {"ramp and fidelity",
         [](const std::string& n) {
             return n == "implementation:years_to_half" || n == "implementation:decay_per_doubling";
         }},
        {"cut risk",
         [](const std::string& n) {
             return n == "program:cut_year" || n == "implementation:practices_years_to_half" ||
                    n == "implementation:gain_persistence";
         }},
        {"costs", [](const std::string& n) { return n.starts_with("cost:"); }},
        {"theory-of-change links", [](const std::string& n) { return n.starts_with("edge:"); }},
        {"school doses", [](const std::string& n) { return n.starts_with("schools:"); }},
    };
    std::vector<input_group> groups;
    std::vector<bool> taken(names.size(), false);
    for (const rule& r : rules) {
        input_group group{r.name, {}};
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (!taken[i] && r.matches(names[i])) {
                group.columns.push_back(i);
                taken[i] = true;
            }
        }
        if (!group.columns.empty()) groups.push_back(std::move(group));
    }
    return groups;
}

}  // namespace pathways
