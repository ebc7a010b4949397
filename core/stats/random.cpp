#include "stats/random.hpp"

#include <stdexcept>

namespace pathways::stats {

namespace {

// Constants from Salmon et al. 2011 / Random123 philox.h.
constexpr std::uint32_t philox_m0 = 0xD2511F53U;
constexpr std::uint32_t philox_m1 = 0xCD9E8D57U;
constexpr std::uint32_t philox_w0 = 0x9E3779B9U;  // golden ratio
constexpr std::uint32_t philox_w1 = 0xBB67AE85U;  // sqrt(3) - 1
constexpr int philox_rounds = 10;

struct hi_lo {
    std::uint32_t hi;
    std::uint32_t lo;
};

hi_lo multiply_hi_lo(std::uint32_t a, std::uint32_t b) {
    const std::uint64_t product = static_cast<std::uint64_t>(a) * b;
    return {static_cast<std::uint32_t>(product >> 32U), static_cast<std::uint32_t>(product)};
}

philox_counter philox_round(const philox_counter& c, const philox_key& k) {
    const hi_lo p0 = multiply_hi_lo(philox_m0, c[0]);
    const hi_lo p1 = multiply_hi_lo(philox_m1, c[2]);
    return {p1.hi ^ c[1] ^ k[0], p1.lo, p0.hi ^ c[3] ^ k[1], p0.lo};
}

constexpr std::uint32_t low_word(std::uint64_t v) { return static_cast<std::uint32_t>(v); }
constexpr std::uint32_t high_word(std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32U); }

philox_key stream_key(std::uint64_t seed, std::uint64_t stream) {
    const philox_counter out =
        philox4x32_10({low_word(stream), high_word(stream), 0U, 0U}, {low_word(seed), high_word(seed)});
    return {out[0], out[1]};
}

}  // namespace

philox_counter philox4x32_10(philox_counter counter, philox_key key) {
    for (int round = 0; round < philox_rounds; ++round) {
        if (round > 0) {
            key[0] += philox_w0;
            key[1] += philox_w1;
        }
        counter = philox_round(counter, key);
    }
    return counter;
}

std::uint64_t stream_id(std::string_view name) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : name) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

counter_rng::counter_rng(std::uint64_t seed, std::uint64_t draw, std::uint64_t stream)
    : key_(stream_key(seed, stream)), draw_(draw) {}

void counter_rng::refill() {
    buffer_ = philox4x32_10({low_word(block_), high_word(block_), low_word(draw_), high_word(draw_)}, key_);
    ++block_;
    used_ = 0;
}

std::uint32_t counter_rng::next_u32() {
    if (used_ == buffer_.size()) refill();
    return buffer_[used_++];
}

std::uint64_t counter_rng::next_u64() {
    const std::uint64_t low = next_u32();
    const std::uint64_t high = next_u32();
    return low | (high << 32U);
}

double counter_rng::next_uniform() {
    // 52 bits plus one half: every result is an odd multiple of 2^-53, exactly representable, so
    // neither end of (0, 1) can be reached by rounding (53 bits plus a half could round up to 1).
    constexpr double two_to_minus_52 = 1.0 / 4503599627370496.0;
    return (static_cast<double>(next_u64() >> 12U) + 0.5) * two_to_minus_52;
}

std::uint64_t counter_rng::next_below(std::uint64_t n) {
    if (n == 0) throw std::invalid_argument("next_below needs n > 0");
    // 2^64 mod n values at the bottom would be over-represented; redraw them.
    const std::uint64_t threshold = (0 - n) % n;
    std::uint64_t r = next_u64();
    while (r < threshold) r = next_u64();
    return r % n;
}

}  // namespace pathways::stats
