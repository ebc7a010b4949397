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
    // 0 weighted 3, 1 weighted 1 → 0.75 and 0.25 at positions 0.375 and 0.875.
    // mean 0.25; Σw(x − m)² = 0.75·0.0625 + 0.25·0.5625 = 0.1875; 1 − Σw² = 0.375 → sd sqrt(0.5);
    // p05 below 0.375 → 0; p50 = (0.5 − 0.375)/0.5 = 0.25 of the way → 0.25; p95 above 0.875 → 1.
    const std::vector<double> values{1.0, 0.0};
    const summary s = summarize_weighted(values, std::vector<double>{1.0, 3.0});
    CHECK(s.mean == Approx(0.25));
    CHECK(s.sd == Approx(std::sqrt(0.5)));
    CHECK(s.p05 == 0.0);
    CHECK(s.p50 == Approx(0.25));
    CHECK(s.p95 == 1.0);
    CHECK(s.prob_positive == Approx(0.25));

    // Equal weights: mean, sd and share positive are summarize's; a zero weight drops its value.
    const std::vector<double> five{3.0, -1.0, 4.0, 1.0, 5.0};
    const summary equal = summarize_weighted(five, std::vector<double>(5, 2.0));
    const summary plain = summarize(five);
    CHECK(equal.mean == Approx(plain.mean));
    CHECK(equal.sd == Approx(plain.sd));
    CHECK(equal.prob_positive == Approx(plain.prob_positive));
    // Positions 0.1, 0.3, 0.5, 0.7, 0.9 over −1, 1, 3, 4, 5: the 5% and 95% points are the ends.
    CHECK(equal.p05 == -1.0);
    CHECK(equal.p50 == Approx(3.0));
    CHECK(equal.p95 == 5.0);
    const summary dropped = summarize_weighted(std::vector<double>{7.0, 2.0}, std::vector<double>{0.0, 1.0});
    CHECK(dropped.mean == 2.0);
    CHECK(dropped.sd == 0.0);
    CHECK(dropped.p95 == 2.0);
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
