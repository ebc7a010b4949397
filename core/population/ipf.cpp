#include "population/ipf.hpp"
#include "common/text_safety.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

#include <Eigen/Core>

namespace pathways {
namespace {

constexpr int dimension_count = 4;  // race, ELL status, FRL, SPED
constexpr std::array<int, dimension_count> category_counts{sdk::race_count, sdk::ell_status_count, frl_status_count,
                                                           sped_status_count};
constexpr std::array<std::string_view, dimension_count> dimension_names{"race", "ell", "frl", "sped"};
constexpr std::array<std::string_view, sdk::race_count> race_names{"hispanic",        "black",       "white",
                                                                   "asian",           "multiracial", "american_indian",
                                                                   "pacific_islander"};
constexpr std::array<std::string_view, sdk::ell_status_count> ell_names{"non_ell", "ell", "exited"};
constexpr std::array<std::string_view, 2> yes_no_names{"no", "yes"};

// Seed weights above this could overflow when three of them are multiplied.
constexpr double max_seed_weight = 1e12;
// How far a marginal may sum from 1 and still be taken as rounding (it is then rescaled).
constexpr double marginal_sum_tolerance = 1e-6;

using table = Eigen::Array<double, joint_cell_count, 1>;
// A marginal: at most seven categories (race), kept on the stack.
using margin_array = Eigen::Array<double, Eigen::Dynamic, 1, Eigen::ColMajor, sdk::race_count, 1>;

std::string_view category_name(int dimension, int category) {
    if (dimension == 0) return race_names[static_cast<std::size_t>(category)];
    if (dimension == 1) return ell_names[static_cast<std::size_t>(category)];
    return yes_no_names[static_cast<std::size_t>(category)];
}

// Category of `cell` along `dimension`, inverting joint_index.
int category_of(int cell, int dimension) {
    const int sped = cell % sped_status_count;
    const int frl = (cell / sped_status_count) % frl_status_count;
    const int ell = (cell / (sped_status_count * frl_status_count)) % sdk::ell_status_count;
    const int race = cell / (sped_status_count * frl_status_count * sdk::ell_status_count);
    const std::array<int, dimension_count> codes{race, ell, frl, sped};
    return codes[static_cast<std::size_t>(dimension)];
}

using category_map = std::array<std::array<int, joint_cell_count>, dimension_count>;

// category_of for every cell and dimension, computed once: the inner loops of IPF index it.
const category_map& categories() {
    static const category_map map = [] {
        category_map built{};
        for (int d = 0; d < dimension_count; ++d) {
            for (int cell = 0; cell < joint_cell_count; ++cell) {
                built[static_cast<std::size_t>(d)][static_cast<std::size_t>(cell)] = category_of(cell, d);
            }
        }
        return built;
    }();
    return map;
}

margin_array margin_of(const table& x, int dimension) {
    const auto& category = categories()[static_cast<std::size_t>(dimension)];
    margin_array margin = margin_array::Zero(category_counts[static_cast<std::size_t>(dimension)]);
    for (int cell = 0; cell < joint_cell_count; ++cell) margin(category[static_cast<std::size_t>(cell)]) += x(cell);
    return margin;
}

std::string format_number(double value) { return shortest_number(value); }

using target_arrays = std::array<margin_array, dimension_count>;

target_arrays to_arrays(const school_marginals& m) {
    const auto copy = [](const auto& values) {
        margin_array array(static_cast<Eigen::Index>(values.size()));
        for (std::size_t i = 0; i < values.size(); ++i) array(static_cast<Eigen::Index>(i)) = values[i];
        return array;
    };
    return {copy(m.race), copy(m.ell), copy(m.frl), copy(m.sped)};
}

class fit_problem {
public:
    fit_problem(const seed_table& seed, std::string_view school_id, const source_location& where, diagnostics& found)
        : seed_(seed), where_(where), found_(found), subject_("school '" + std::string(school_id) + "': ") {}

    // Rescales each marginal to sum to exactly 1; false (with errors) when one cannot be used.
    bool normalise_targets(target_arrays& targets) {
        bool usable = true;
        for (int d = 0; d < dimension_count; ++d) {
            auto& t = targets[static_cast<std::size_t>(d)];
            const std::string_view dimension = dimension_names[static_cast<std::size_t>(d)];
            bool in_range = true;
            for (Eigen::Index k = 0; k < t.size(); ++k) {
                if (!std::isfinite(t(k)) || t(k) < 0.0 || t(k) > 1.0) {
                    report(std::string(dimension) + " share " + format_number(t(k)) + " for '" +
                           std::string(category_name(d, static_cast<int>(k))) + "' is not valid; expected 0..1");
                    in_range = false;
                }
            }
            usable = usable && in_range;
            if (!in_range) continue;
            const double sum = t.sum();
            if (std::abs(sum - 1.0) > marginal_sum_tolerance) {
                report(std::string(dimension) + " shares sum to " + format_number(sum) + "; expected 1");
                usable = false;
                continue;
            }
            t /= sum;
        }
        return usable;
    }

    // The seed with cells of zero-share categories removed, scaled to sum to 1; std::nullopt
    // (with errors) when a category with a positive share has no seed cell left to hold it.
    std::optional<table> starting_table(const target_arrays& targets) {
        table x;
        for (int cell = 0; cell < joint_cell_count; ++cell) {
            bool allowed = true;
            for (int d = 0; d < dimension_count; ++d) {
                allowed = allowed && targets[static_cast<std::size_t>(d)](category_of(cell, d)) > 0.0;
            }
            x(cell) = allowed ? seed_weight(seed_, category_of(cell, 0), category_of(cell, 1), category_of(cell, 2),
                                            category_of(cell, 3))
                              : 0.0;
        }
        bool supported = true;
        for (int d = 0; d < dimension_count; ++d) {
            const auto& t = targets[static_cast<std::size_t>(d)];
            const margin_array margin = margin_of(x, d);
            for (Eigen::Index k = 0; k < t.size(); ++k) {
                if (t(k) > 0.0 && margin(k) <= 0.0) {
                    report(std::string(dimension_names[static_cast<std::size_t>(d)]) + " share " + format_number(t(k)) +
                           " for '" + std::string(category_name(d, static_cast<int>(k))) +
                           "' cannot be fitted: every seed cell that could hold it has weight 0 or lies in a "
                           "category whose share is 0; expected a seed table with positive weights there");
                    supported = false;
                }
            }
        }
        if (!supported) return std::nullopt;
        return x / x.sum();
    }

private:
    void report(const std::string& message) { found_.error(where_.file, where_.line, 0, "", subject_ + message); }

    const seed_table& seed_;
    const source_location& where_;
    diagnostics& found_;
    std::string subject_;
};

double max_marginal_error(const table& x, const target_arrays& targets) {
    double worst = 0.0;
    for (int d = 0; d < dimension_count; ++d) {
        worst = std::max(worst, (margin_of(x, d) - targets[static_cast<std::size_t>(d)]).abs().maxCoeff());
    }
    return worst;
}

// One IPF step: scale every cell so that the table's marginal along `dimension` matches.
void rake(table& x, const margin_array& target, int dimension) {
    const margin_array margin = margin_of(x, dimension);
    // A zero margin only occurs where the target is zero too (the starting table ensures it).
    const margin_array factor = (margin > 0.0).select(target / margin, 0.0);
    const auto& category = categories()[static_cast<std::size_t>(dimension)];
    for (int cell = 0; cell < joint_cell_count; ++cell) x(cell) *= factor(category[static_cast<std::size_t>(cell)]);
}

bool valid_weight(double weight) { return std::isfinite(weight) && weight >= 0.0 && weight <= max_seed_weight; }

void check_weight(const seed_table& seed, double weight, const std::string& pointer, diagnostics& found) {
    if (valid_weight(weight)) return;
    found.error(seed.where.file, seed.where.line, seed.where.column, seed.where.pointer + pointer,
                "seed weight " + format_number(weight) + " is not valid; expected a finite number from 0 to 1e12");
}

}  // namespace

school_marginals marginals_of(const school& s) {
    school_marginals m;
    double race_sum = 0.0;
    for (const double share : s.race_shares) race_sum += share;
    const bool rounding_only = std::abs(race_sum - 1.0) <= 0.01;
    for (std::size_t r = 0; r < m.race.size(); ++r) {
        m.race[r] = rounding_only ? s.race_shares[r] / race_sum : s.race_shares[r];
    }
    // The CSV allows ell + exited to exceed 1 by rounding noise; the remainder cannot go negative.
    m.ell = {std::max(0.0, 1.0 - s.ell_share - s.exited_ell_share), s.ell_share, s.exited_ell_share};
    m.frl = {1.0 - s.frl_share, s.frl_share};
    m.sped = {1.0 - s.sped_share, s.sped_share};
    return m;
}

double seed_weight(const seed_table& seed, int race, int ell, int frl, int sped) {
    const auto r = static_cast<std::size_t>(race);
    return seed.ell_given_race[r][static_cast<std::size_t>(ell)] * (frl != 0 ? seed.frl_odds[r] : 1.0) *
           (sped != 0 ? seed.sped_odds[r] : 1.0);
}

bool check_seed_table(const seed_table& seed, diagnostics& found) {
    // The common case, a valid table, is checked without building any pointer strings.
    bool all_valid = true;
    for (std::size_t r = 0; r < race_names.size(); ++r) {
        for (const double weight : seed.ell_given_race[r]) all_valid = all_valid && valid_weight(weight);
        all_valid = all_valid && valid_weight(seed.frl_odds[r]) && valid_weight(seed.sped_odds[r]);
    }
    if (all_valid) return true;
    diagnostics local;
    for (std::size_t r = 0; r < race_names.size(); ++r) {
        const std::string race = std::string(race_names[r]);
        for (std::size_t e = 0; e < ell_names.size(); ++e) {
            check_weight(seed, seed.ell_given_race[r][e], "/ell_given_race/" + race + "/" + std::string(ell_names[e]),
                         local);
        }
        check_weight(seed, seed.frl_odds[r], "/frl_given_race/" + race, local);
        check_weight(seed, seed.sped_odds[r], "/sped_given_race/" + race, local);
    }
    found.append(local);
    return !local.has_errors();
}

std::optional<ipf_result> fit_joint_shares(const school_marginals& targets, const seed_table& seed,
                                           const ipf_options& options, std::string_view school_id,
                                           const source_location& where, diagnostics& found) {
    if (!(std::isfinite(options.tolerance) && options.tolerance > 0.0) || options.max_iterations < 1) {
        throw std::invalid_argument("ipf options need a positive finite tolerance and at least one iteration");
    }
    if (!check_seed_table(seed, found)) return std::nullopt;
    fit_problem problem(seed, school_id, where, found);
    target_arrays goal = to_arrays(targets);
    if (!problem.normalise_targets(goal)) return std::nullopt;
    std::optional<table> start = problem.starting_table(goal);
    if (!start) return std::nullopt;

    table& x = *start;
    ipf_report report;
    report.max_error = max_marginal_error(x, goal);
    while (report.max_error > options.tolerance && report.iterations < options.max_iterations) {
        for (int d = 0; d < dimension_count; ++d) {
            rake(x, goal[static_cast<std::size_t>(d)], d);
        }
        ++report.iterations;
        report.max_error = max_marginal_error(x, goal);
    }
    report.converged = report.max_error <= options.tolerance;

    ipf_result result;
    result.report = report;
    for (int cell = 0; cell < joint_cell_count; ++cell) result.shares[static_cast<std::size_t>(cell)] = x(cell);
    return result;
}

}  // namespace pathways
