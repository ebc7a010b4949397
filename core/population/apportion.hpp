#pragma once
/// \file
/// Whole-number apportionment by the largest-remainder (Hamilton) method.

#include <cstdint>
#include <span>
#include <vector>

namespace pathways {

/// Largest total accepted, so every count is exact in a double as well.
inline constexpr std::int64_t max_apportion_total = std::int64_t{1} << 53;

/// Splits `total` whole units among entries in proportion to `weights` by the
/// largest-remainder (Hamilton) method, so the counts sum to `total` exactly:
///   1. each entry's quota is `total * weight / sum(weights)`;
///   2. each entry gets the integer part of its quota;
///   3. the units still left (fewer than the number of entries) go one each to the entries with
///      the largest fractional parts; equal fractional parts go to the lower index first.
///      Entries with zero weight never receive a unit, so structural zeros stay zero.
/// Example: weights 0.335, 0.333, 0.332 of 10 → quotas 3.35, 3.33, 3.32 → 3, 3, 3 plus the one
/// unit left to the largest remainder (0.35) → 4, 3, 3.
/// Throws std::invalid_argument for a weight that is negative, NaN or infinite, for weights that
/// sum to zero while `total` > 0, and for `total` outside 0..max_apportion_total.
std::vector<std::int64_t> apportion_largest_remainder(std::span<const double> weights, std::int64_t total);

}  // namespace pathways
