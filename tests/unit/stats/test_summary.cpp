#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "stats/summary.hpp"

using namespace pathways::stats;

TEST_CASE("summarize by hand on five values", "[summary]") {
    // values 3, −1, 4, 1, 5 → sorted −1, 1, 3, 4, 5
    // mean = 12/5 = 2.4
    // squared deviations 0.36, 11.56, 2.56, 1.96, 6.76 → sum 23.2; sd = sqrt(23.2/4) = sqrt(5.8) = 2.40832
    // type 7: h = 4p; p05: h = 0.2 → −1 + 0.2·(1 − (−1)) = −0.6; p50: h = 2 → 3;
    //         p95: h = 3.8 → 4 + 0.8·(5 − 4) = 4.8
    // positive: 3, 4, 1, 5 → 4/5 = 0.8
    const std::vector<double> v{3.0, -1.0, 4.0, 1.0, 5.0};
    const summary s = summarize(v);
    CHECK(s.mean == Approx(2.4));
    CHECK(s.sd == Approx(std::sqrt(5.8)));
    CHECK(s.p05 == Approx(-0.6));
    CHECK(s.p50 == Approx(3.0));
    CHECK(s.p95 == Approx(4.8));
    CHECK(s.prob_positive == Approx(0.8));
}

TEST_CASE("summarize one value and zeros", "[summary]") {
    const std::vector<double> one{2.5};
    const summary s = summarize(one);
    CHECK(s.mean == 2.5);
    CHECK(s.sd == 0.0);  // n − 1 = 0: defined as 0
    CHECK(s.p05 == 2.5);
    CHECK(s.p95 == 2.5);
    CHECK(s.prob_positive == 1.0);
    const std::vector<double> zeros{0.0, 0.0};
    CHECK(summarize(zeros).prob_positive == 0.0);  // 0 is not positive
}

TEST_CASE("quantile_type7 by hand", "[summary]") {
    // sorted 10, 20, 30, 40: h = 3p; p = 0.1 → h = 0.3 → 10 + 0.3·10 = 13; p = 0.5 → h = 1.5 → 25; p = 1 → 40
    const std::vector<double> sorted{10.0, 20.0, 30.0, 40.0};
    CHECK(quantile_type7(sorted, 0.1) == Approx(13.0));
    CHECK(quantile_type7(sorted, 0.5) == Approx(25.0));
    CHECK(quantile_type7(sorted, 0.0) == 10.0);
    CHECK(quantile_type7(sorted, 1.0) == 40.0);
}

TEST_CASE("summary errors", "[summary]") {
    const std::vector<double> empty;
    CHECK_THROWS_AS(summarize(empty), std::invalid_argument);
    const std::vector<double> with_nan{1.0, std::nan("")};
    CHECK_THROWS_AS(summarize(with_nan), std::invalid_argument);
    CHECK_THROWS_AS(quantile_type7(empty, 0.5), std::invalid_argument);
    const std::vector<double> one{1.0};
    CHECK_THROWS_AS(quantile_type7(one, 1.1), std::domain_error);
    CHECK_THROWS_AS(quantile_type7(one, std::nan("")), std::domain_error);
}

TEST_CASE("running_moments matches the two-pass values", "[summary]") {
    running_moments m;
    CHECK(m.count() == 0);
    CHECK(m.mean() == 0.0);
    CHECK(m.variance() == 0.0);
    m.add(3.0);
    CHECK(m.variance() == 0.0);  // one value
    for (const double x : {-1.0, 4.0, 1.0, 5.0}) m.add(x);
    // same five values as above: mean 2.4, variance 23.2/4 = 5.8
    CHECK(m.count() == 5);
    CHECK(m.mean() == Approx(2.4));
    CHECK(m.variance() == Approx(5.8));
    CHECK(m.sd() == Approx(std::sqrt(5.8)));
}

TEST_CASE("summarize_weighted by hand", "[summary]") {
    // 0 weighted 3, 1 weighted 1 → 0.75 and 0.25. mean 0.25; Σw(x − m)² = 0.75·0.0625 + 0.25·0.5625 =
    // 0.1875; 1 − Σw² = 0.375 → sd sqrt(0.5). Two values sit at positions 0 and 1 whatever their weights
    // (the type 7 rule), so p is the share of the way from 0 to 1.
    const std::vector<double> values{1.0, 0.0};
    const summary s = summarize_weighted(values, std::vector<double>{1.0, 3.0});
    CHECK(s.mean == Approx(0.25));
    CHECK(s.sd == Approx(std::sqrt(0.5)));
    CHECK(s.p05 == Approx(0.05));
    CHECK(s.p50 == Approx(0.5));
    CHECK(s.p95 == Approx(0.95));
    CHECK(s.prob_positive == Approx(0.25));

    // Equal weights: mean, sd and share positive are summarize's; a zero weight drops its value.
    const std::vector<double> five{3.0, -1.0, 4.0, 1.0, 5.0};
    const summary equal = summarize_weighted(five, std::vector<double>(5, 2.0));
    const summary plain = summarize(five);
    CHECK(equal.mean == Approx(plain.mean));
    CHECK(equal.sd == Approx(plain.sd));
    CHECK(equal.prob_positive == Approx(plain.prob_positive));
    const summary dropped = summarize_weighted(std::vector<double>{7.0, 2.0}, std::vector<double>{0.0, 1.0});
    CHECK(dropped.mean == 2.0);
    CHECK(dropped.sd == 0.0);
    CHECK(dropped.p05 == 2.0);
    CHECK(dropped.p95 == 2.0);
}

TEST_CASE("summarize_weighted quantiles are type 7 for equal weights", "[summary]") {
    // Sorted −1, 1, 3, 4, 5 at positions 0, 0.25, 0.5, 0.75, 1 (type 7's (i − 1)/(n − 1)):
    // p05 = −1 + 0.2·2 = −0.6, p50 = 3, p95 = 4 + 0.8·1 = 4.8.
    const std::vector<double> five{3.0, -1.0, 4.0, 1.0, 5.0};
    const summary equal = summarize_weighted(five, std::vector<double>(5, 2.0));
    CHECK(equal.p05 == Approx(-0.6));
    CHECK(equal.p50 == Approx(3.0));
    CHECK(equal.p95 == Approx(4.8));
    // And quantile_type7's numbers for sizes from 1 to 40, to rounding.
    for (std::size_t n = 1; n <= 40; ++n) {
        std::vector<double> sorted;
        for (std::size_t i = 0; i < n; ++i) sorted.push_back(std::pow(static_cast<double>(i), 1.5) - 3.0);
        const summary weighted = summarize_weighted(sorted, std::vector<double>(n, 0.37));
        INFO("n = " << n);
        CHECK(weighted.p05 == Approx(quantile_type7(sorted, 0.05)).margin(1e-12));
        CHECK(weighted.p50 == Approx(quantile_type7(sorted, 0.50)).margin(1e-12));
        CHECK(weighted.p95 == Approx(quantile_type7(sorted, 0.95)).margin(1e-12));
    }
}

TEST_CASE("summarize_weighted quantiles with unequal weights, by hand", "[summary]") {
    // 0, 1, 2 weighted 0.5, 0.25, 0.25: W = 0.5, 0.75, 1; the span 1 − 0.25 − 0.125 = 0.625;
    // u = 0, (0.75 − 0.125 − 0.25)/0.625 = 0.6, (1 − 0.125 − 0.25)/0.625 = 1.
    // p05 = 0.05/0.6 of the way from 0 to 1; p50 = 0.5/0.6; p95 = 1 + (0.95 − 0.6)/0.4 = 1.875.
    const summary s = summarize_weighted(std::vector<double>{2.0, 0.0, 1.0}, std::vector<double>{1.0, 2.0, 1.0});
    CHECK(s.mean == Approx(0.75));
    CHECK(s.p05 == Approx(0.05 / 0.6));
    CHECK(s.p50 == Approx(0.5 / 0.6));
    CHECK(s.p95 == Approx(1.875));
    // One value is every quantile, whatever its weight.
    const summary one = summarize_weighted(std::vector<double>{4.5}, std::vector<double>{0.2});
    CHECK(one.p05 == 4.5);
    CHECK(one.p50 == 4.5);
    CHECK(one.p95 == 4.5);
}

TEST_CASE("summarize_weighted errors", "[summary]") {
    const std::vector<double> two{1.0, 2.0};
    CHECK_THROWS_AS(summarize_weighted(two, std::vector<double>{1.0}), std::invalid_argument);
    CHECK_THROWS_AS(summarize_weighted(std::vector<double>{}, std::vector<double>{}), std::invalid_argument);
    CHECK_THROWS_AS(summarize_weighted(two, std::vector<double>{-1.0, 2.0}), std::invalid_argument);
    CHECK_THROWS_AS(summarize_weighted(two, std::vector<double>{0.0, 0.0}), std::invalid_argument);
    CHECK_THROWS_AS(summarize_weighted(two, std::vector<double>{INFINITY, 1.0}), std::invalid_argument);
    CHECK_THROWS_AS(summarize_weighted(std::vector<double>{NAN, 1.0}, std::vector<double>{1.0, 1.0}),
                    std::invalid_argument);
}

TEST_CASE("an interval reads mean [p05, p95], signed, with the decimals asked for", "[summary][text]") {
    pathways::stats::summary s;
    s.mean = 0.1204;
    s.p05 = -0.0096;
    s.p95 = 0.2504;
    CHECK(pathways::stats::interval_text(s, 3) == "+0.120 [-0.010, +0.250]");
    CHECK(pathways::stats::interval_text(s, 1) == "+0.1 [-0.0, +0.3]");
}
