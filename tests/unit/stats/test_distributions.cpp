#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <stdexcept>
#include <vector>

#include "stats/distributions.hpp"

using namespace pathways::stats;
using pathways::sdk::prior;
using pathways::sdk::prior_kind;

namespace {

constexpr int draws = 100000;

struct moments {
    double mean;
    double variance;
    double fourth;  // fourth central moment
};

moments sample_moments(const std::function<double(counter_rng&)>& draw, std::uint64_t stream) {
    std::vector<double> x;
    for (int d = 0; d < draws; ++d) {
        counter_rng rng(20240601, static_cast<std::uint64_t>(d), stream);
        x.push_back(draw(rng));
    }
    double sum = 0.0;
    for (const double v : x) sum += v;
    const double mean = sum / draws;
    double m2 = 0.0;
    double m4 = 0.0;
    for (const double v : x) {
        m2 += (v - mean) * (v - mean);
        m4 += std::pow(v - mean, 4);
    }
    return {mean, m2 / (draws - 1), m4 / draws};
}

// Sample mean within 4 standard errors (sd/sqrt(n)) and sample variance within 4 standard errors
// (sqrt((mu4 − sigma^4)/n), the large-sample SE of a variance) of the analytic values.
void check_moments(const std::function<double(counter_rng&)>& draw, double mean, double variance) {
    const moments m = sample_moments(draw, stream_id("moments"));
    const double se_mean = std::sqrt(variance / draws);
    const double se_variance = std::sqrt((m.fourth - m.variance * m.variance) / draws);
    CHECK(std::fabs(m.mean - mean) < 4.0 * se_mean);
    CHECK(std::fabs(m.variance - variance) < 4.0 * se_variance);
}

prior make(prior_kind kind, double a, double b, double lower = 0.0, double upper = 0.0) {
    return prior{kind, a, b, lower, upper};
}

}  // namespace

TEST_CASE("standard normal and normal moments", "[distributions]") {
    check_moments([](counter_rng& r) { return sample_standard_normal(r); }, 0.0, 1.0);
    // normal(2, 0.5): variance 0.25
    check_moments([](counter_rng& r) { return sample_normal(2.0, 0.5, r); }, 2.0, 0.25);
}

TEST_CASE("truncated normal moments, body and far tail", "[distributions]") {
    // normal(1, 2) on [0, 3]; mpmath: mean 1.41326243612307, sd 0.831320056504096
    const prior body = make(prior_kind::truncated_normal, 1.0, 2.0, 0.0, 3.0);
    CHECK(prior_mean(body) == Approx(1.41326243612307).epsilon(1e-12));
    CHECK(prior_sd(body) == Approx(0.831320056504096).epsilon(1e-12));
    check_moments([&](counter_rng& r) { return sample(body, r); }, 1.41326243612307,
                  0.831320056504096 * 0.831320056504096);
    // standard normal above 8 SD (Φ(−8) = 6.2e-16, beyond a naive 1 − Φ): mean 8.12136811223611, sd 0.119686605112428
    const prior tail = make(prior_kind::truncated_normal, 0.0, 1.0, 8.0, std::numeric_limits<double>::infinity());
    CHECK(prior_mean(tail) == Approx(8.12136811223611).epsilon(1e-12));
    CHECK(prior_sd(tail) == Approx(0.119686605112428).epsilon(1e-9));
    check_moments([&](counter_rng& r) { return sample(tail, r); }, 8.12136811223611,
                  0.119686605112428 * 0.119686605112428);
}

TEST_CASE("lognormal and uniform moments", "[distributions]") {
    // lognormal(0.1, 0.4): mean e^(0.1 + 0.08) = 1.19721736312181, variance (e^0.16 − 1)·e^0.36 = 0.24866883...
    const double lognormal_variance = std::expm1(0.16) * std::exp(0.36);
    const prior ln = make(prior_kind::lognormal, 0.1, 0.4);
    CHECK(prior_mean(ln) == Approx(1.19721736312181).epsilon(1e-12));
    CHECK(prior_sd(ln) == Approx(std::sqrt(lognormal_variance)).epsilon(1e-14));
    check_moments([&](counter_rng& r) { return sample(ln, r); }, 1.19721736312181, lognormal_variance);
    // uniform(−1, 3): mean 1, variance 4²/12 = 1.3333
    const prior u = make(prior_kind::uniform, 0.0, 0.0, -1.0, 3.0);
    CHECK(prior_mean(u) == 1.0);
    CHECK(prior_sd(u) == Approx(4.0 / std::sqrt(12.0)));
    check_moments([&](counter_rng& r) { return sample(u, r); }, 1.0, 16.0 / 12.0);
}

TEST_CASE("gamma moments for shape above and below one", "[distributions]") {
    // Gamma(k, θ): mean kθ, variance kθ²
    check_moments([](counter_rng& r) { return sample_gamma(2.5, 2.0, r); }, 5.0, 10.0);
    check_moments([](counter_rng& r) { return sample_gamma(0.3, 1.0, r); }, 0.3, 0.3);
}

TEST_CASE("beta moments, rescaled", "[distributions]") {
    // Beta(2, 5): mean 2/7, variance 2·5/(7²·8) = 10/392 = 0.0255102
    const prior b25 = make(prior_kind::beta, 2.0, 5.0, 0.0, 1.0);
    CHECK(prior_mean(b25) == Approx(2.0 / 7.0));
    CHECK(prior_sd(b25) == Approx(std::sqrt(10.0 / 392.0)));
    check_moments([&](counter_rng& r) { return sample(b25, r); }, 2.0 / 7.0, 10.0 / 392.0);
    // Beta(0.5, 0.5) on [−1, 1]: mean −1 + 2·0.5 = 0; unit variance ab/((a+b)²(a+b+1)) = 0.25/(1·2)
    // = 0.125, scaled by the width squared (1 − (−1))² = 4 → 0.5
    const prior arcsine = make(prior_kind::beta, 0.5, 0.5, -1.0, 1.0);
    CHECK(prior_mean(arcsine) == Approx(0.0).margin(1e-15));
    CHECK(prior_sd(arcsine) == Approx(std::sqrt(0.5)));
    check_moments([&](counter_rng& r) { return sample(arcsine, r); }, 0.0, 0.5);
}

TEST_CASE("fixed priors", "[distributions]") {
    const prior fixed = make(prior_kind::fixed, 0.7, 0.0);
    counter_rng rng(1, 2, 3);
    CHECK(sample(fixed, rng) == 0.7);
    CHECK(prior_mean(fixed) == 0.7);
    CHECK(prior_sd(fixed) == 0.0);
    CHECK(prior_quantile(fixed, 0.05) == 0.7);
}

TEST_CASE("prior_quantile reference values", "[distributions]") {
    // Φ⁻¹(0.95) = 1.64485362695147
    CHECK(prior_quantile(make(prior_kind::normal, 0.2, 0.1), 0.95) ==
          Approx(0.2 + 0.1 * 1.64485362695147).epsilon(1e-14));
    CHECK(prior_quantile(make(prior_kind::normal, 0.2, 0.0), 0.95) == 0.2);
    CHECK(prior_quantile(make(prior_kind::lognormal, 0.1, 0.4), 0.5) == Approx(std::exp(0.1)).epsilon(1e-15));
    CHECK(prior_quantile(make(prior_kind::uniform, 0, 0, -1.0, 3.0), 0.25) == 0.0);  // −1 + 0.25·4
    // mpmath: truncated normal(1, 2) on [0, 3] median 1.37793646441155; normal above 8 median 8.08491100739154
    CHECK(prior_quantile(make(prior_kind::truncated_normal, 1.0, 2.0, 0.0, 3.0), 0.5) ==
          Approx(1.37793646441155).epsilon(1e-12));
    const prior tail = make(prior_kind::truncated_normal, 0.0, 1.0, 8.0, std::numeric_limits<double>::infinity());
    CHECK(prior_quantile(tail, 0.5) == Approx(8.08491100739154).epsilon(1e-12));
    CHECK(prior_quantile(tail, 0.0) == 8.0);
    CHECK(prior_quantile(tail, 1.0) == std::numeric_limits<double>::infinity());
    // mpmath: Beta(2, 5) median 0.264449983295660; Beta(0.5, 0.5) 5% point 0.00615582970243114, here on [−1, 1]
    CHECK(prior_quantile(make(prior_kind::beta, 2.0, 5.0, 0.0, 1.0), 0.5) == Approx(0.264449983295660).epsilon(1e-13));
    CHECK(prior_quantile(make(prior_kind::beta, 0.5, 0.5, -1.0, 1.0), 0.05) ==
          Approx(-1.0 + 2.0 * 0.00615582970243114).epsilon(1e-13));
    CHECK(prior_quantile(make(prior_kind::beta, 2.0, 5.0, 0.0, 1.0), 0.0) == 0.0);
    CHECK(prior_quantile(make(prior_kind::beta, 2.0, 5.0, 0.0, 1.0), 1.0) == 1.0);
}

TEST_CASE("regularized incomplete beta", "[distributions]") {
    // I_0.3(2, 5) = 1 − Σ_{j<2} C(6, j)·0.3^j·0.7^(6−j) = 1 − 0.117649 − 0.302526 = 0.579825
    CHECK(regularized_incomplete_beta(2.0, 5.0, 0.3) == Approx(0.579825).epsilon(1e-13));
    // mpmath: I_0.1(0.5, 0.5) = 0.204832764699133 (= 2/π·asin(sqrt(0.1)))
    CHECK(regularized_incomplete_beta(0.5, 0.5, 0.1) == Approx(0.204832764699133).epsilon(1e-13));
    CHECK(regularized_incomplete_beta(2.0, 5.0, 0.0) == 0.0);
    CHECK(regularized_incomplete_beta(2.0, 5.0, 1.0) == 1.0);
    CHECK_THROWS_AS(regularized_incomplete_beta(0.0, 5.0, 0.5), std::invalid_argument);
    CHECK_THROWS_AS(regularized_incomplete_beta(2.0, 5.0, 1.5), std::domain_error);
}

TEST_CASE("quantile and sampling agree: sample is the quantile of the next uniform", "[distributions]") {
    const prior tn = make(prior_kind::truncated_normal, 0.0, 1.0, -0.5, 2.0);
    counter_rng a(9, 4, 2);
    counter_rng b(9, 4, 2);
    CHECK(sample(tn, a) == prior_quantile(tn, b.next_uniform()));
}

TEST_CASE("draws are independent of request order, streams differ", "[distributions]") {
    const prior priors[] = {make(prior_kind::normal, 0.1, 0.05), make(prior_kind::beta, 2.0, 3.0, 0.0, 1.0),
                            make(prior_kind::truncated_normal, 0.0, 1.0, 0.0, 1.0)};
    for (const prior& p : priors) {
        const std::uint64_t stream = stream_id("edge.a->b");
        std::vector<double> first(100);
        for (std::uint64_t d = 100; d-- > 0;) {
            counter_rng rng(2017, d, stream);
            first[d] = sample(p, rng);
        }
        for (std::uint64_t d = 0; d < 100; ++d) {
            counter_rng rng(2017, d, stream);
            counter_rng other(2017, d, stream_id("edge.a->c"));
            CHECK(sample(p, rng) == first[d]);
            CHECK(sample(p, other) != first[d]);
        }
    }
}

TEST_CASE("invalid priors are rejected", "[distributions]") {
    const double inf = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(validate_prior(make(prior_kind::fixed, inf, 0)), std::invalid_argument);
    CHECK_THROWS_AS(validate_prior(make(prior_kind::normal, 0.0, -1.0)), std::invalid_argument);
    CHECK_THROWS_AS(validate_prior(make(prior_kind::normal, std::nan(""), 1.0)), std::invalid_argument);
    CHECK_THROWS_AS(validate_prior(make(prior_kind::lognormal, 0.0, -0.1)), std::invalid_argument);
    CHECK_THROWS_AS(validate_prior(make(prior_kind::truncated_normal, 0.0, 0.0, 0.0, 1.0)), std::invalid_argument);
    CHECK_THROWS_AS(validate_prior(make(prior_kind::truncated_normal, 0.0, 1.0, 1.0, 1.0)), std::invalid_argument);
    // [40, 50] SD above the mean has mass ~1e-349: not representable
    CHECK_THROWS_AS(validate_prior(make(prior_kind::truncated_normal, 0.0, 1.0, 40.0, 50.0)), std::invalid_argument);
    CHECK_THROWS_AS(validate_prior(make(prior_kind::uniform, 0, 0, 2.0, 1.0)), std::invalid_argument);
    CHECK_THROWS_AS(validate_prior(make(prior_kind::uniform, 0, 0, 0.0, inf)), std::invalid_argument);
    CHECK_THROWS_AS(validate_prior(make(prior_kind::beta, 0.0, 1.0, 0.0, 1.0)), std::invalid_argument);
    CHECK_THROWS_AS(validate_prior(make(prior_kind::beta, 1.0, 1.0, 1.0, 0.0)), std::invalid_argument);
    CHECK_THROWS_AS(validate_prior(make(static_cast<prior_kind>(99), 0, 0)), std::invalid_argument);
    CHECK_NOTHROW(validate_prior(make(prior_kind::truncated_normal, 0.0, 1.0, -inf, inf)));
    CHECK_NOTHROW(validate_prior(make(prior_kind::uniform, 0, 0, 1.0, 1.0)));

    counter_rng rng(1, 1, 1);
    CHECK_THROWS_AS(sample(make(static_cast<prior_kind>(99), 0, 0), rng), std::invalid_argument);
    CHECK_THROWS_AS(sample(make(prior_kind::beta, 1.0, -1.0, 0.0, 1.0), rng), std::invalid_argument);
    CHECK_THROWS_AS(sample_gamma(0.0, 1.0, rng), std::invalid_argument);
    CHECK_THROWS_AS(sample_gamma(1.0, -1.0, rng), std::invalid_argument);
    CHECK_THROWS_AS(sample_truncated_normal(0.0, 1.0, 2.0, 1.0, rng), std::invalid_argument);
    CHECK_THROWS_AS(prior_quantile(make(prior_kind::normal, 0.0, 1.0), 1.5), std::domain_error);
    CHECK_THROWS_AS(truncated_normal_quantile(0.0, 1.0, 0.0, 1.0, -0.5), std::domain_error);
    CHECK_THROWS_AS(prior_mean(make(prior_kind::beta, -1.0, 1.0, 0.0, 1.0)), std::invalid_argument);
    CHECK_THROWS_AS(prior_sd(make(prior_kind::lognormal, 0.0, -1.0)), std::invalid_argument);
}

TEST_CASE("a prior is written as the prior files spell it", "[distributions][text]") {
    const double inf = std::numeric_limits<double>::infinity();
    CHECK(prior_text(prior{prior_kind::fixed, 0.5, 0.0, 0.0, 0.0}) == "fixed(0.5)");
    CHECK(prior_text(prior{prior_kind::normal, 0.2, 0.05, 0.0, 0.0}) == "normal(0.2, 0.05)");
    CHECK(prior_text(prior{prior_kind::truncated_normal, 0.3, 0.1, 0.0, 1.0}) == "truncated_normal(0.3, 0.1; 0, 1)");
    CHECK(prior_text(prior{prior_kind::truncated_normal, 0.3, 0.1, 0.0, inf}) == "truncated_normal(0.3, 0.1; 0, inf)");
    CHECK(prior_text(prior{prior_kind::lognormal, -1.0, 0.25, 0.0, 0.0}) == "lognormal(-1, 0.25)");
    CHECK(prior_text(prior{prior_kind::uniform, 0.0, 0.0, 0.1, 0.9}) == "uniform(0.1, 0.9)");
    CHECK(prior_text(prior{prior_kind::beta, 2.0, 5.0, 0.0, 1.0}) == "beta(2, 5; 0, 1)");
}
