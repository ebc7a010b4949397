#pragma once
/// \file
/// District-level associations between race and the other subgroup dimensions, used as the
/// starting table of iterative proportional fitting (formats.md, district `seed_table`).

#include <array>
#include <cstddef>

#include "common/model.hpp"
#include "pathways/sdk/effect_model.hpp"

namespace pathways {

namespace detail {
template <std::size_t n>
constexpr std::array<double, n> filled(double value) {
    std::array<double, n> values{};
    values.fill(value);
    return values;
}

template <std::size_t rows, std::size_t columns>
constexpr std::array<std::array<double, columns>, rows> filled_rows(double value) {
    std::array<std::array<double, columns>, rows> values{};
    for (auto& row : values) row.fill(value);
    return values;
}
}  // namespace detail

/// Relative weights, not shares: only ratios within a race matter, because IPF rescales the
/// table to each school's marginals. The seed weight of a cell is
/// `ell_given_race[race][ell] * (frl ? frl_odds[race] : 1) * (sped ? sped_odds[race] : 1)`.
/// The defaults (all 1) make the dimensions independent within a school. Weights must be
/// finite and >= 0; a zero weight is a structural zero that IPF keeps at zero.
struct seed_table {
    /// [sdk::race][sdk::ell_status]
    std::array<std::array<double, sdk::ell_status_count>, sdk::race_count> ell_given_race =
        detail::filled_rows<sdk::race_count, sdk::ell_status_count>(1.0);
    std::array<double, sdk::race_count> frl_odds = detail::filled<sdk::race_count>(1.0);   ///< by sdk::race
    std::array<double, sdk::race_count> sped_odds = detail::filled<sdk::race_count>(1.0);  ///< by sdk::race
    source_location where;  ///< where the table was read from, for diagnostics; may be empty
};

}  // namespace pathways
