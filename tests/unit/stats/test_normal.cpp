#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "stats/normal.hpp"

using namespace pathways::stats;

// Reference values below come from mpmath at 30 digits (ncdf and findroot on it).

TEST_CASE("normal_cdf reference values", "[normal]") {
    CHECK(normal_cdf(0.0) == 0.5);
    CHECK(normal_cdf(1.96) == Approx(0.9750021048517795).epsilon(1e-15));
    // Lower tail keeps relative precision: Φ(−8) = 6.22096057427178e-16, Φ(−30) = 4.90671392714819e-198.
    // Rounding x/√2 (relative 1e-16) moves erfc(t) by a relative 2t²·1e-16 ≈ 1e-13 at t = 21.
    CHECK(normal_cdf(-8.0) == Approx(6.22096057427178e-16).epsilon(1e-13));
    CHECK(normal_cdf(-30.0) == Approx(4.90671392714819e-198).epsilon(1e-12));
    CHECK(normal_cdf(-std::numeric_limits<double>::infinity()) == 0.0);
    CHECK(normal_cdf(std::numeric_limits<double>::infinity()) == 1.0);
}

TEST_CASE("normal_cdf over a span: the reference values, and normal_cdf's within 1e-15 across the range", "[normal]") {
    const std::vector<double> x{
        0.0, 1.96, -8.0, -30.0, -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
    std::vector<double> out(x.size());
    normal_cdf(x, out);
    CHECK(out[0] == 0.5);
    CHECK(out[1] == Approx(0.9750021048517795).epsilon(1e-15));
    CHECK(out[2] == Approx(6.22096057427178e-16).epsilon(1e-13));  // beyond 4·√2: the scalar function's
    CHECK(out[3] == Approx(4.90671392714819e-198).epsilon(1e-12));
    CHECK(out[4] == 0.0);
    CHECK(out[5] == 1.0);
    // Every 1e-3 from −8 to 8, across both of Cody's intervals (|x|/√2 = 0.46875 and 4) and the
    // scalar tail: within 1e-15 of normal_cdf relative to Φ(x) (the lower tail keeps relative precision).
    std::vector<double> grid;
    for (int i = -8000; i <= 8000; ++i) grid.push_back(i / 1000.0);
    std::vector<double> batch(grid.size());
    normal_cdf(grid, batch);
    double worst = 0.0;
    for (std::size_t i = 0; i < grid.size(); ++i) {
        const double exact = normal_cdf(grid[i]);
        worst = std::max(worst, std::fabs(batch[i] - exact) / exact);
    }
    CHECK(worst < 1.5e-15);
    std::vector<double> nan_out(1);
    normal_cdf(std::vector<double>{std::nan("")}, nan_out);
    CHECK(std::isnan(nan_out[0]));
    CHECK_THROWS_AS(normal_cdf(x, std::span<double>(out.data(), 2)), std::invalid_argument);
}

TEST_CASE("normal_pdf", "[normal]") {
    // φ(0) = 1/sqrt(2π) = 0.3989422804014327; φ(1) = φ(0)·e^-0.5 = 0.24197072451914337
    CHECK(normal_pdf(0.0) == Approx(0.3989422804014327).epsilon(1e-15));
    CHECK(normal_pdf(1.0) == Approx(0.24197072451914337).epsilon(1e-15));
}

TEST_CASE("normal_quantile (AS241) reference values", "[normal]") {
    CHECK(normal_quantile(0.5) == 0.0);
    CHECK(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-15));
    CHECK(normal_quantile(0.025) == Approx(-1.959963984540054).epsilon(1e-15));
    CHECK(normal_quantile(0.3) == Approx(-0.5244005127080408).epsilon(1e-15));   // central region
    CHECK(normal_quantile(1e-10) == Approx(-6.361340902404056).epsilon(1e-15));  // r <= 5 tail
    CHECK(normal_quantile(1e-20) == Approx(-9.262340089798408).epsilon(1e-14));  // r > 5 tail
    CHECK(normal_quantile(1e-300) == Approx(-37.04709629936120).epsilon(1e-14));
    // the double nearest 0.9999999 (not the decimal) has quantile 5.199337582290661
    CHECK(normal_quantile(0.9999999) == Approx(5.199337582290661).epsilon(1e-14));
}

TEST_CASE("normal_quantile inverts normal_cdf across the range", "[normal]") {
    // Above x = 1, Φ(x) nears 1 and its rounding (not Φ⁻¹) dominates, so the round trip stops there;
    // the upper tail is the mirror image of the lower one in both functions.
    for (double x = -37.0; x <= 1.0; x += 0.25) {
        CHECK(normal_quantile(normal_cdf(x)) == Approx(x).epsilon(1e-13).margin(1e-13));
    }
}

TEST_CASE("normal_quantile edges and errors", "[normal]") {
    CHECK(normal_quantile(0.0) == -std::numeric_limits<double>::infinity());
    CHECK(normal_quantile(1.0) == std::numeric_limits<double>::infinity());
    CHECK_THROWS_AS(normal_quantile(-0.1), std::domain_error);
    CHECK_THROWS_AS(normal_quantile(1.5), std::domain_error);
    CHECK_THROWS_AS(normal_quantile(std::nan("")), std::domain_error);
}

TEST_CASE("percentile_shift at the median matches the normal-model conversion table", "[normal]") {
    // 100·(Φ(d) − 0.5): mpmath gives 1.99388, 3.58564, 3.98278, 7.53454, 7.92597, 10.64199, 13.68307, 15.54217;
    // The table rounds them to +2.0, +3.6, +4.0, +7.5, +7.9, +10.6, +13.7, +15.5.
    CHECK(percentile_shift(0.5, 0.05) == Approx(1.99388058383725).epsilon(1e-12));
    CHECK(percentile_shift(0.5, 0.09) == Approx(3.58563925851721).epsilon(1e-12));
    CHECK(percentile_shift(0.5, 0.10) == Approx(3.98278372770290).epsilon(1e-12));
    CHECK(percentile_shift(0.5, 0.19) == Approx(7.53454347347954).epsilon(1e-12));
    CHECK(percentile_shift(0.5, 0.20) == Approx(7.92597094391030).epsilon(1e-12));
    CHECK(percentile_shift(0.5, 0.27) == Approx(10.6419873198040).epsilon(1e-12));
    CHECK(percentile_shift(0.5, 0.35) == Approx(13.6830651175619).epsilon(1e-12));
    CHECK(percentile_shift(0.5, 0.40) == Approx(15.5421741610324).epsilon(1e-12));
    CHECK(percentile_shift(0.5, 0.0) == 0.0);
    CHECK(percentile_shift(0.5, -0.09) == Approx(-3.58563925851721).epsilon(1e-12));  // symmetric
}

TEST_CASE("shifted_share matches the normal-model proficiency table", "[normal]") {
    // Φ(Φ⁻¹(0.44) + 0.09) = 0.475691862951991 (47.6%)
    CHECK(shifted_share(0.44, 0.09) == Approx(0.475691862951991).epsilon(1e-12));
    // Table rows, in percentage points 100·(p1 − p0), against the table's one-decimal values:
    struct row {
        double p0, d, pp;
    };
    const row table[] = {
        {0.44, 0.05, 2.0}, {0.44, 0.09, 3.6}, {0.44, 0.20, 8.0},  {0.44, 0.27, 10.7}, {0.33, 0.05, 1.8},
        {0.33, 0.09, 3.3}, {0.33, 0.20, 7.5}, {0.33, 0.27, 10.3}, {0.25, 0.05, 1.6},  {0.25, 0.09, 2.9},
        {0.25, 0.20, 6.8}, {0.25, 0.27, 9.3}, {0.28, 0.05, 1.7},  {0.28, 0.09, 3.1},  {0.28, 0.20, 7.1},
        {0.28, 0.27, 9.7}, {0.75, 0.05, 1.6}, {0.75, 0.09, 2.8},  {0.75, 0.20, 5.9},  {0.75, 0.27, 7.8},
    };
    for (const row& r : table) {
        INFO("p0 = " << r.p0 << ", d = " << r.d);
        CHECK(100.0 * (shifted_share(r.p0, r.d) - r.p0) == Approx(r.pp).margin(0.05));
    }
    // Gap in SD implied by two rates (the table: 75% vs 28% → 1.26 SD)
    CHECK(normal_quantile(0.75) - normal_quantile(0.28) == Approx(1.26).margin(0.005));
}

TEST_CASE("shifted_share edges and errors", "[normal]") {
    CHECK(shifted_share(0.0, 0.5) == 0.0);
    CHECK(shifted_share(1.0, -0.5) == 1.0);
    CHECK_THROWS_AS(shifted_share(1.2, 0.1), std::domain_error);
    CHECK_THROWS_AS(percentile_shift(-0.2, 0.1), std::domain_error);
}
