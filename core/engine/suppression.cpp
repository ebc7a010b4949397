#include "engine/suppression.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <optional>

#include "engine/simulation.hpp"

namespace pathways {
namespace {

/// Group × pattern incidence: which membership patterns (atoms) make up each group. Two cells with
/// the same membership in every reported group are indistinguishable by any published sum, so
/// the audit works over patterns, not cells.
Eigen::MatrixXd group_patterns(const simulation& sim, int year) {
    const auto& groups = sim.subgroups();
    const auto& patterns = sim.membership_patterns(year);
    Eigen::MatrixXd incidence =
        Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(groups.size()), static_cast<Eigen::Index>(patterns.size()));
    for (std::size_t column = 0; column < patterns.size(); ++column) {
        for (std::size_t g = 0; g < groups.size(); ++g) {
            if (patterns[column][g]) incidence(static_cast<Eigen::Index>(g), static_cast<Eigen::Index>(column)) = 1.0;
        }
    }
    return incidence;
}

Eigen::Index rank_of(const Eigen::MatrixXd& rows) {
    if (rows.rows() == 0) return 0;
    Eigen::FullPivLU<Eigen::MatrixXd> lu(rows);
    lu.setThreshold(1e-9);
    return lu.rank();
}

Eigen::MatrixXd rows_of(const Eigen::MatrixXd& incidence, const std::vector<std::size_t>& which) {
    Eigen::MatrixXd out(static_cast<Eigen::Index>(which.size()), incidence.cols());
    for (std::size_t i = 0; i < which.size(); ++i)
        out.row(static_cast<Eigen::Index>(i)) = incidence.row(static_cast<Eigen::Index>(which[i]));
    return out;
}

/// Whether group `hidden`'s vector lies in the span of the `published` groups' vectors.
bool recoverable(const Eigen::MatrixXd& incidence, const std::vector<std::size_t>& published, std::size_t hidden) {
    Eigen::MatrixXd with = rows_of(incidence, published);
    const Eigen::Index base = rank_of(with);
    with.conservativeResize(with.rows() + 1, Eigen::NoChange);
    with.row(with.rows() - 1) = incidence.row(static_cast<Eigen::Index>(hidden));
    return rank_of(with) == base;
}

std::vector<std::size_t> published_of(const std::vector<bool>& hidden) {
    std::vector<std::size_t> published;
    for (std::size_t g = 0; g < hidden.size(); ++g) {
        if (!hidden[g]) published.push_back(g);
    }
    return published;
}

/// The published group to withhold so that `target` is no longer recoverable: the smallest one
/// whose removal does it, "all" last; when no single removal suffices, the smallest published group,
/// and the caller looks again. nullopt when nothing is published.
std::optional<std::size_t> complement_for(const simulation& sim, int year, const Eigen::MatrixXd& incidence,
                                          const std::vector<bool>& hidden, std::size_t target) {
    std::vector<std::size_t> candidates = published_of(hidden);
    if (candidates.empty()) return std::nullopt;
    const auto& groups = sim.subgroups();
    std::stable_sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
        const bool a_all = groups[a].group.terms.empty();
        const bool b_all = groups[b].group.terms.empty();
        if (a_all != b_all) return b_all;
        return groups[a].students_in(year) < groups[b].students_in(year);
    });
    for (const std::size_t candidate : candidates) {
        std::vector<bool> trial = hidden;
        trial[candidate] = true;
        if (!recoverable(incidence, published_of(trial), target)) return candidate;
    }
    return candidates.front();
}

}  // namespace

std::vector<bool> suppressed_subgroups(const simulation& sim, int year, std::int64_t min_n) {
    const auto& groups = sim.subgroups();
    std::vector<bool> hidden(groups.size(), false);
    bool any = false;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        hidden[g] = groups[g].students_in(year) < static_cast<double>(min_n);
        any = any || hidden[g];
    }
    if (!any) return hidden;
    const Eigen::MatrixXd incidence = group_patterns(sim, year);
    // Each pass withholds at least one more group, so this ends within groups.size() passes.
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t g = 0; g < groups.size(); ++g) {
            // A group with no students has nothing to give away.
            if (!hidden[g] || groups[g].students_in(year) <= 0.0) continue;
            if (!recoverable(incidence, published_of(hidden), g)) continue;
            const auto complement = complement_for(sim, year, incidence, hidden, g);
            if (!complement) break;
            hidden[*complement] = true;
            changed = true;
        }
    }
    return hidden;
}

}  // namespace pathways
