#include <catch2/catch.hpp>

#include <cstdint>
#include <set>
#include <stdexcept>
#include <vector>

#include "stats/random.hpp"

using pathways::stats::counter_rng;
using pathways::stats::philox4x32_10;
using pathways::stats::stream_id;

TEST_CASE("philox4x32-10 matches the Random123 known-answer vectors", "[random]") {
    using counter = pathways::stats::philox_counter;
    CHECK(philox4x32_10({0, 0, 0, 0}, {0, 0}) == counter{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
    CHECK(philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}) ==
          counter{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
    CHECK(philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}) ==
          counter{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
}

TEST_CASE("stream_id is FNV-1a 64", "[random]") {
    // Published FNV-1a 64 test vectors: "" is the offset basis itself.
    CHECK(stream_id("") == 0xcbf29ce484222325ULL);
    CHECK(stream_id("a") == 0xaf63dc4c8601ec8cULL);
    CHECK(stream_id("foobar") == 0x85944171f73967e8ULL);
}

TEST_CASE("counter_rng follows the documented key and counter layout", "[random]") {
    // Expected words from an independent Python Philox4x32-10 (checked on the vectors above):
    // key = philox(ctr = {stream lo, stream hi, 0, 0}, key = {seed lo, seed hi})[0..1],
    // block b = philox(ctr = {b lo, b hi, draw lo, draw hi}, key); u64 = word0 | word1 << 32.
    counter_rng rng(2017, 5, stream_id("effect.rand_math"));
    CHECK(rng.next_u64() == 0x909198d6bec946c4ULL);
    CHECK(rng.next_u64() == 0x5fc622c4a8c71007ULL);
    CHECK(rng.next_u64() == 0x8e59acc63750d5f5ULL);  // first u64 of block 1
    counter_rng again(2017, 5, stream_id("effect.rand_math"));
    // ((0x909198d6bec946c4 >> 12) + 0.5) / 2^52
    CHECK(again.next_uniform() == 0.5647216343193452);
}

TEST_CASE("numbers of a draw do not depend on the order draws are requested", "[random]") {
    const std::uint64_t stream = stream_id("edge.weight");
    std::vector<double> backwards(100);
    for (std::uint64_t d = 100; d-- > 0;) backwards[d] = counter_rng(42, d, stream).next_uniform();
    for (std::uint64_t d = 0; d < 100; ++d) {
        counter_rng other(42, d, stream_id("other"));  // interleaved use of another stream changes nothing
        other.next_u64();
        CHECK(counter_rng(42, d, stream).next_uniform() == backwards[d]);
    }
}

TEST_CASE("seeds, draws and streams give different numbers", "[random]") {
    std::set<std::uint64_t> seen;
    for (std::uint64_t seed = 0; seed < 4; ++seed) {
        for (std::uint64_t draw = 0; draw < 4; ++draw) {
            for (std::uint64_t stream = 0; stream < 4; ++stream)
                seen.insert(counter_rng(seed, draw, stream).next_u64());
        }
    }
    CHECK(seen.size() == 64);
    CHECK(counter_rng(1, 0, stream_id("a")).next_u64() != counter_rng(1, 0, stream_id("b")).next_u64());
}

TEST_CASE("next_uniform stays inside (0, 1) and has mean 1/2", "[random]") {
    counter_rng rng(7, 0, 0);
    double sum = 0.0;
    const int n = 100000;
    for (int i = 0; i < n; ++i) {
        const double u = rng.next_uniform();
        REQUIRE(u > 0.0);
        REQUIRE(u < 1.0);
        sum += u;
    }
    // sd of U is 1/sqrt(12) = 0.2887; standard error over 1e5 draws 0.2887/316.2 = 0.00091; 4 SE = 0.0037
    CHECK(sum / n == Approx(0.5).margin(0.0037));
}

TEST_CASE("next_below is within range and rejects zero", "[random]") {
    counter_rng rng(3, 1, 2);
    std::vector<int> counts(3);
    for (int i = 0; i < 3000; ++i) {
        const std::uint64_t v = rng.next_below(3);
        REQUIRE(v < 3);
        ++counts[v];
    }
    // each count ~ Binomial(3000, 1/3): mean 1000, sd sqrt(3000·(1/3)·(2/3)) = 25.8; 4 sd = 103
    for (const int c : counts) CHECK(c == Approx(1000).margin(103));
    CHECK(rng.next_below(1) == 0);
    CHECK_THROWS_AS(rng.next_below(0), std::invalid_argument);
}
