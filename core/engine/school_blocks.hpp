#pragma once
/// \file
/// School blocks: a population's schools in fixed blocks of consecutive schools, the unit in which a
/// simulation sums its cells. Every population-wide sum (a subgroup's students, a baseline's mean, a
/// run's subgroup means) is summed block by block and then over the blocks in order, so the same
/// blocks give the same bits whether one process holds every block or ranks hold a share each.

#include <cstddef>
#include <span>
#include <vector>

namespace pathways {

/// Schools per block unless a run names another size: a district of up to this many schools is one
/// block; the nation's 98,469 schools are 49 blocks, so up to 49 ranks can split them.
inline constexpr std::size_t default_schools_per_block = 2048;

/// How the holder of some blocks meets the holders of the others (ranks under MPI, in core/run).
/// Every holder calls the same exchanges in the same order.
class block_exchange {
public:
    virtual ~block_exchange() = default;
    /// Every holder's values, concatenated in holder order (holders hold consecutive blocks in
    /// order, so per-block values come out in block order), on every holder.
    [[nodiscard]] virtual std::vector<double> gather(std::span<const double> mine) const = 0;
    /// The same on the first holder only (the one that writes); empty on the others.
    [[nodiscard]] virtual std::vector<double> gather_on_first(std::span<const double> mine) const = 0;
    /// Whether this is the first holder.
    [[nodiscard]] virtual bool is_first() const = 0;
};

/// Which blocks of a population a simulation's cells hold.
struct school_blocks {
    std::size_t schools_per_block = default_schools_per_block;
    std::size_t first = 0;  ///< the first block held
    std::size_t count = 0;  ///< blocks held; 0: every block of the schools
    /// How to reach the other blocks' holders; null when these cells hold every block.
    const block_exchange* exchange = nullptr;
};

/// Blocks of `schools_per_block` that `schools` schools make (at least one).
[[nodiscard]] std::size_t block_count(std::size_t schools, std::size_t schools_per_block);

/// A contiguous range of items (draws, sample rows, school blocks) one part of the work takes.
struct work_share {
    std::size_t first = 0;
    std::size_t count = 0;
};

/// Part `part`'s share of `items` split over `parts`: contiguous ranges in part order, the first
/// `items % parts` parts one item more.
[[nodiscard]] work_share share_of(std::size_t items, std::size_t part, std::size_t parts);

}  // namespace pathways
