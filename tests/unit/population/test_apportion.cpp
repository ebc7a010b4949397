#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "population/apportion.hpp"

using namespace pathways;
using counts = std::vector<std::int64_t>;

TEST_CASE("apportion: largest remainder on hand-computed examples", "[population][apportion]") {
    // 10 * (0.335, 0.333, 0.332) = 3.35, 3.33, 3.32 -> 3, 3, 3 and 1 left -> largest remainder 0.35.
    CHECK(apportion_largest_remainder(std::vector<double>{0.335, 0.333, 0.332}, 10) == counts{4, 3, 3});
    // 7 * (0.45, 0.30, 0.25) = 3.15, 2.1, 1.75 -> 3, 2, 1 and 1 left -> remainder 0.75 wins.
    CHECK(apportion_largest_remainder(std::vector<double>{0.45, 0.30, 0.25}, 7) == counts{3, 2, 2});
    // Weights need not sum to 1: 10 * 2/3 = 6.67, 10 * 1/3 = 3.33 -> 6, 3 and 1 left -> 7, 3.
    CHECK(apportion_largest_remainder(std::vector<double>{2.0, 1.0}, 10) == counts{7, 3});
    // Exact quotas leave nothing over: 8 * (0.5, 0.25, 0.25) = 4, 2, 2.
    CHECK(apportion_largest_remainder(std::vector<double>{0.5, 0.25, 0.25}, 8) == counts{4, 2, 2});
}

TEST_CASE("apportion: equal remainders go to the lower index first", "[population][apportion]") {
    // 10 / 3 = 3.33 each -> 3, 3, 3 and 1 left; all remainders tie -> index 0.
    CHECK(apportion_largest_remainder(std::vector<double>{1.0, 1.0, 1.0}, 10) == counts{4, 3, 3});
    // 11 / 3 = 3.67 each -> 2 left -> indices 0 and 1.
    CHECK(apportion_largest_remainder(std::vector<double>{1.0, 1.0, 1.0}, 11) == counts{4, 4, 3});
}

TEST_CASE("apportion: zero weights never receive a unit", "[population][apportion]") {
    // 3 * (0, 0.5, 0.5) = 0, 1.5, 1.5 -> 0, 1, 1 and 1 left; index 0 has the lowest index but no
    // weight, so the tie between 1 and 2 goes to 1.
    CHECK(apportion_largest_remainder(std::vector<double>{0.0, 1.0, 1.0}, 3) == counts{0, 2, 1});
    CHECK(apportion_largest_remainder(std::vector<double>{0.0, 0.0, 1.0, 0.0}, 5) == counts{0, 0, 5, 0});
}

TEST_CASE("apportion: totals are conserved for awkward weights", "[population][apportion]") {
    // Deterministic weights from a linear congruential sequence; the sum must be exact.
    std::uint64_t state = 12345;
    for (int trial = 0; trial < 200; ++trial) {
        std::vector<double> weights(168);
        for (double& w : weights) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            const auto draw = static_cast<double>(state >> 40) / static_cast<double>(1ULL << 24);
            w = draw < 0.3 ? 0.0 : draw;  // about 30% structural zeros
        }
        const std::int64_t total = 1 + trial * 37;
        const counts got = apportion_largest_remainder(weights, total);
        std::int64_t sum = 0;
        for (std::size_t i = 0; i < got.size(); ++i) {
            CHECK(got[i] >= 0);
            if (weights[i] == 0.0) CHECK(got[i] == 0);
            sum += got[i];
        }
        CHECK(sum == total);
    }
}

TEST_CASE("apportion: zero total and invalid input", "[population][apportion]") {
    CHECK(apportion_largest_remainder(std::vector<double>{0.2, 0.8}, 0) == counts{0, 0});
    CHECK(apportion_largest_remainder(std::vector<double>{}, 0).empty());
    CHECK_THROWS_AS(apportion_largest_remainder(std::vector<double>{-0.1, 1.1}, 5), std::invalid_argument);
    CHECK_THROWS_AS(apportion_largest_remainder(std::vector<double>{std::nan(""), 1.0}, 5), std::invalid_argument);
    CHECK_THROWS_AS(apportion_largest_remainder(std::vector<double>{INFINITY, 1.0}, 5), std::invalid_argument);
    CHECK_THROWS_AS(apportion_largest_remainder(std::vector<double>{0.0, 0.0}, 5), std::invalid_argument);
    CHECK_THROWS_AS(apportion_largest_remainder(std::vector<double>{}, 5), std::invalid_argument);
    CHECK_THROWS_AS(apportion_largest_remainder(std::vector<double>{1.0}, -1), std::invalid_argument);
    CHECK_THROWS_AS(apportion_largest_remainder(std::vector<double>{1.0}, max_apportion_total + 1),
                    std::invalid_argument);
}
