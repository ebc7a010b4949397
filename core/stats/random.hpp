#pragma once
/// \file
/// Counter-based random numbers: Philox4x32-10 (Salmon, Moraes, Dror & Shaw 2011, "Parallel random
/// numbers: as easy as 1, 2, 3", SC'11), keyed by (seed, draw, stream).
///
/// The numbers for one (seed, draw, stream) are a pure function of those three values: they never
/// depend on which other draws or streams were generated, in what order, or on which thread, and they
/// are identical on every platform (only 32-bit integer arithmetic is involved).
///
/// Layout of the Philox inputs (part of the output contract; changing it changes every result):
/// - stream key: the first two output words of Philox4x32-10 with key = (seed low, seed high) and
///   counter = (stream low, stream high, 0, 0);
/// - block counter: (block low, block high, draw low, draw high), encrypted under the stream key,
///   where block = 0, 1, 2, ... counts the 128-bit blocks already used by this generator.

#include <array>
#include <cstdint>
#include <string_view>

namespace pathways::stats {

using philox_counter = std::array<std::uint32_t, 4>;
using philox_key = std::array<std::uint32_t, 2>;

/// One Philox4x32 block with 10 rounds, as in Random123's `philox4x32_R(10, ctr, key)`.
philox_counter philox4x32_10(philox_counter counter, philox_key key);

/// Stable 64-bit id of a named stream: FNV-1a 64 (offset basis 0xcbf29ce484222325, prime
/// 0x100000001b3) over the name's bytes. Each uncertain quantity draws from its own stream by name.
std::uint64_t stream_id(std::string_view name);

/// The random numbers of one (seed, draw, stream). Cheap to construct; make one where needed.
class counter_rng {
public:
    counter_rng(std::uint64_t seed, std::uint64_t draw, std::uint64_t stream);

    /// Next 32 random bits.
    std::uint32_t next_u32();
    /// Next 64 random bits (two 32-bit words, the first one in the low half).
    std::uint64_t next_u64();
    /// Uniform on the open interval (0, 1): ((next_u64() >> 12) + 0.5) / 2^52, i.e. one of the 2^52
    /// odd multiples of 2^-53 (53-bit resolution). Never 0 or 1, so log(u) and quantiles stay finite.
    double next_uniform();
    /// Uniform integer in [0, n), without modulo bias (rejection). Throws std::invalid_argument if n == 0.
    std::uint64_t next_below(std::uint64_t n);

private:
    void refill();

    philox_key key_{};
    std::uint64_t draw_ = 0;
    std::uint64_t block_ = 0;
    philox_counter buffer_{};
    unsigned used_ = 4;  // words of buffer_ already handed out; 4 means "empty"
};

}  // namespace pathways::stats
