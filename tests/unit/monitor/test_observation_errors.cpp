// The likelihood of observed cells that share students, years and schools: the covariance by hand on
// small cases, and a simulation-based calibration check in which observed group means are made the
// way a district's are (students in several groups at once, a shock shared by every group of a year).
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <vector>

#include "engine/observation_errors.hpp"
#include "run/observed_fit.hpp"
#include "stats/distributions.hpp"
#include "stats/random.hpp"
#include "stats/summary.hpp"

namespace {

using namespace pathways;

double at(const std::vector<double>& matrix, std::size_t size, std::size_t i, std::size_t j) {
    return matrix[i * size + j];
}

}  // namespace

TEST_CASE("observation covariance: shared students, the year shock, the persistent shock, discrepancy",
          "[observed][likelihood]") {
    const std::vector<observed_error_cell> cells{
        {"all", 2018, "math", 400, 0.05},        // 0
        {"pl:yes", 2018, "math", 100, 0.1},      // 1
        {"pl:no", 2018, "math", 300, 0.06},      // 2
        {"race:black", 2018, "math", 100, 0.1},  // 3
        {"all", 2019, "math", 400, 0.05},        // 4
        {"all", 2018, "ela", 400, 0.05},         // 5
        {"pl:yes", 2019, "math", 100, 0.1},      // 6
    };
    const observation_error_model errors{.discrepancy_sd = 0.01, .year_shock_sd = 0.02, .persistent_sd = 0.03};
    const std::vector<double> sigma = observation_covariance(cells, errors);
    const std::size_t n = cells.size();
    const double year = 0.02 * 0.02;
    const double persistent = 0.03 * 0.03;
    // The diagonal: se² and every shock.
    CHECK(at(sigma, n, 0, 0) == Approx(0.05 * 0.05 + year + persistent + 0.01 * 0.01));
    // "pl:yes" lies within "all": ρ = sqrt(100 / 400) = 0.5, for the sampling and the persistent shock.
    CHECK(at(sigma, n, 0, 1) == Approx(0.5 * 0.05 * 0.1 + year + 0.5 * persistent));
    // "pl:yes" and "pl:no" share no student: only the year shock.
    CHECK(at(sigma, n, 1, 2) == Approx(year));
    // "pl:yes" and "race:black" by independence of the dimensions: 100 · 100 / 400 = 25 students,
    // ρ = 25 / sqrt(100 · 100) = 0.25.
    CHECK(at(sigma, n, 1, 3) == Approx(0.25 * 0.1 * 0.1 + year + 0.25 * persistent));
    // The same group in two years: the persistent shock only; across outcomes nothing.
    CHECK(at(sigma, n, 0, 4) == Approx(persistent));
    CHECK(at(sigma, n, 1, 6) == Approx(persistent));
    CHECK(at(sigma, n, 0, 5) == 0.0);
    // Another year's "all" and "pl:yes": persistent, through their overlap.
    CHECK(at(sigma, n, 4, 1) == Approx(0.5 * persistent));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j) CHECK(at(sigma, n, i, j) == Approx(at(sigma, n, j, i)));
}

TEST_CASE("observation covariance: groups of several terms overlap through the terms they share",
          "[observed][likelihood]") {
    const auto cell = [](const char* group, long long n) {
        return observed_error_cell{group, 2018, "math", n, 1.0 / std::sqrt(static_cast<double>(n))};
    };
    const std::vector<observed_error_cell> cells{cell("all", 1000), cell("frl:yes", 500), cell("ell:ell&frl:yes", 100),
                                                 cell("frl:yes&race:black", 200), cell("frl:no&race:black", 100)};
    const std::vector<double> sigma = observation_covariance(cells, {});
    // Sampling covariance of two means with n_ab students in common: n_ab / (n_a · n_b).
    // Within: "ell:ell&frl:yes" lies in "frl:yes".
    CHECK(at(sigma, 5, 1, 2) == Approx(100.0 / (500.0 * 100.0)));
    // Sharing frl:yes (half the population, observed): 100 · 200 / (1000 · 0.5) = 40 students.
    CHECK(at(sigma, 5, 2, 3) == Approx(40.0 / (100.0 * 200.0)));
    // frl:yes and frl:no: none.
    CHECK(at(sigma, 5, 3, 4) == 0.0);
}

TEST_CASE("observation covariance: an se above the sampling error of n students is the cell's own",
          "[observed][likelihood]") {
    // Published se sqrt(1/n + 0.02²): 1/n is sampling, shared by overlap; 0.02² is the cell's own.
    const std::vector<observed_error_cell> cells{{"all", 2018, "math", 400, std::sqrt(1.0 / 400 + 0.0004)},
                                                 {"pl:yes", 2018, "math", 100, std::sqrt(1.0 / 100 + 0.0004)}};
    const std::vector<double> sigma = observation_covariance(cells, {});
    CHECK(at(sigma, 2, 0, 1) == Approx(0.5 * 0.05 * 0.1));
    CHECK(at(sigma, 2, 0, 0) == Approx(1.0 / 400 + 0.0004));
    CHECK(at(sigma, 2, 1, 1) == Approx(1.0 / 100 + 0.0004));
}

TEST_CASE("observation likelihood: −½ rᵀΣ⁻¹r, by hand", "[observed][likelihood]") {
    // "pl:yes" (100 of 400) within "all", se 1/sqrt(n): Σ = 0.0025 · [[1, 1], [1, 4]],
    // Σ⁻¹ = [[4, −1], [−1, 1]] / (3 · 0.0025).
    const std::vector<observed_error_cell> cells{{"all", 2018, "math", 400, 0.05}, {"pl:yes", 2018, "math", 100, 0.1}};
    const observation_likelihood likelihood(cells, {});
    CHECK(likelihood.rank() == 2);
    CHECK(likelihood.log_density(std::array{0.05, 0.05}) == Approx(-0.5));
    CHECK(likelihood.log_density(std::array{0.05, -0.05}) == Approx(-7.0 / 6.0));
    CHECK(likelihood.log_density(std::array{0.0, 0.0}) == 0.0);
    CHECK_THROWS_AS(likelihood.log_density(std::array{1.0}), std::invalid_argument);
}

TEST_CASE("observation likelihood: a group that others repeat adds no weight", "[observed][likelihood]") {
    // "all" (400 students) is 1/4 "pl:yes" (100) + 3/4 "pl:no" (300), each mean with its sampling se
    // 1/sqrt(n): the covariance has rank 2, and its null direction is (1, −1/4, −3/4).
    const std::vector<observed_error_cell> cells{{"all", 2018, "math", 400, 1.0 / std::sqrt(400.0)},
                                                 {"pl:yes", 2018, "math", 100, 1.0 / std::sqrt(100.0)},
                                                 {"pl:no", 2018, "math", 300, 1.0 / std::sqrt(300.0)}};
    const observation_likelihood likelihood(cells, {});
    CHECK(likelihood.rank() == 2);
    CHECK(likelihood.log_density(std::array{1.0, -0.25, -0.75}) == Approx(0.0).margin(1e-9));
    // Along the data, the two independent groups decide: pl:yes and pl:no 0.1 high, "all" with them.
    const double expected = -0.5 * (0.1 * 0.1 * 100.0 + 0.1 * 0.1 * 300.0);
    CHECK(likelihood.log_density(std::array{0.1, 0.1, 0.1}) == Approx(expected));
}

TEST_CASE("observation covariance: refuses what it cannot model", "[observed][likelihood]") {
    const std::vector<observed_error_cell> good{{"all", 2018, "math", 400, 0.05}};
    CHECK_THROWS_AS(observation_covariance(good, {.year_shock_sd = -0.1}), std::invalid_argument);
    CHECK_THROWS_AS(observation_covariance(good, {.persistent_sd = std::nan("")}), std::invalid_argument);
    const std::vector<observed_error_cell> no_students{{"all", 2018, "math", 0, 0.05}};
    CHECK_THROWS_AS(observation_covariance(no_students, {}), std::invalid_argument);
    const std::vector<observed_error_cell> no_se{{"all", 2018, "math", 40, 0.0}};
    CHECK_THROWS_AS(observation_covariance(no_se, {}), std::invalid_argument);
    const std::vector<observed_error_cell> unknown{{"planet:mars", 2018, "math", 40, 0.1}};
    CHECK_THROWS_AS(observation_covariance(unknown, {}), std::invalid_argument);
}

namespace {

/// A district of students with independent attributes, observed in seven overlapping groups over three
/// years. An effect θ acts on students in the plan, growing by year: group g's true level in year t is
/// θ · t · (its share of students in the plan).
struct district_of_students {
    static constexpr std::size_t students = 2400;
    static constexpr int years = 3;
    std::vector<std::array<int, 3>> attributes;  ///< pl (1 yes), race (0 black, 1 hispanic, 2 white), frl (1 yes)
    std::vector<std::string> groups{"all", "pl:yes", "pl:no", "race:black", "race:hispanic", "race:white", "frl:yes"};

    district_of_students() {
        stats::counter_rng rng(7, 0, stats::stream_id("sbc.population"));
        for (std::size_t s = 0; s < students; ++s) {
            const double race = rng.next_uniform();
            attributes.push_back({rng.next_uniform() < 0.3 ? 1 : 0,
                                  race < 0.2   ? 0
                                  : race < 0.7 ? 1
                                               : 2,
                                  rng.next_uniform() < 0.6 ? 1 : 0});
        }
    }

    [[nodiscard]] bool member(std::size_t group, std::size_t s) const {
        const auto& a = attributes[s];
        switch (group) {
            case 0: return true;
            case 1: return a[0] == 1;
            case 2: return a[0] == 0;
            case 3: return a[1] == 0;
            case 4: return a[1] == 1;
            case 5: return a[1] == 2;
            default: return a[2] == 1;
        }
    }
    [[nodiscard]] std::size_t size_of(std::size_t group) const {
        std::size_t n = 0;
        for (std::size_t s = 0; s < students; ++s) n += member(group, s) ? 1 : 0;
        return n;
    }
    [[nodiscard]] double plan_share(std::size_t group) const {
        std::size_t in_plan = 0;
        for (std::size_t s = 0; s < students; ++s) in_plan += member(group, s) && attributes[s][0] == 1 ? 1 : 0;
        return static_cast<double>(in_plan) / static_cast<double>(size_of(group));
    }
};

constexpr double prior_sd = 0.1;
constexpr double year_shock_sd = 0.05;

/// Observed means for truth θ: every student's score is their group's true level plus their own
/// Normal(0, 1) deviation that year, and every group of a year moves by that year's shock.
std::vector<observed_match> observe(const district_of_students& d, double theta, std::uint64_t replication,
                                    const std::vector<double>& prior_thetas) {
    std::vector<observed_match> matches;
    for (int t = 1; t <= district_of_students::years; ++t) {
        stats::counter_rng rng(8, replication, stats::stream_id("sbc.year" + std::to_string(t)));
        const double shock = year_shock_sd * stats::sample_standard_normal(rng);
        std::vector<double> deviation(district_of_students::students);
        for (double& e : deviation) e = stats::sample_standard_normal(rng);
        for (std::size_t g = 0; g < d.groups.size(); ++g) {
            double sum = 0.0;
            for (std::size_t s = 0; s < district_of_students::students; ++s) sum += d.member(g, s) ? deviation[s] : 0.0;
            const auto n = static_cast<double>(d.size_of(g));
            const double slope = t * d.plan_share(g);
            observed_cell cell;
            cell.subgroup = d.groups[g];
            cell.year = 2016 + t;
            cell.outcome = "math";
            cell.n = static_cast<long long>(n);
            cell.se = 1.0 / std::sqrt(n);
            cell.mean = theta * slope + shock + sum / n;
            observed_match match{cell, false, {}};
            for (const double prior_theta : prior_thetas) match.values.push_back(prior_theta * slope);
            matches.push_back(std::move(match));
        }
    }
    return matches;
}

/// Share of replications whose weighted 90% posterior interval of θ holds the true θ.
double coverage(const district_of_students& d, const observation_error_model& errors, std::size_t replications) {
    std::vector<double> prior_thetas(4000);
    for (std::size_t k = 0; k < prior_thetas.size(); ++k) {
        stats::counter_rng rng(9, k, stats::stream_id("sbc.prior"));
        prior_thetas[k] = prior_sd * stats::sample_standard_normal(rng);
    }
    std::size_t covered = 0;
    for (std::size_t r = 0; r < replications; ++r) {
        stats::counter_rng rng(10, r, stats::stream_id("sbc.truth"));
        const double truth = prior_sd * stats::sample_standard_normal(rng);
        const importance_weights w = weigh_draws(observe(d, truth, r, prior_thetas), errors);
        const stats::summary posterior = stats::summarize_weighted(prior_thetas, w.weights);
        covered += posterior.p05 <= truth && truth <= posterior.p95 ? 1 : 0;
    }
    return static_cast<double>(covered) / static_cast<double>(replications);
}

}  // namespace

TEST_CASE(
    "simulation-based calibration: with overlapping groups and a shared year shock, 90% posterior intervals "
    "cover the truth in 85-95% of 200 replications, and far less when cells are taken as independent",
    "[observed][likelihood][sbc]") {
    const district_of_students d;
    const double modelled = coverage(d, {.year_shock_sd = year_shock_sd}, 200);
    INFO("coverage with the year shock and the shared students modelled: " << modelled);
    CHECK(modelled >= 0.85);
    CHECK(modelled <= 0.95);
    // The likelihood of earlier versions: every cell independent with only its se.
    const double independent = coverage(d, {}, 200);
    INFO("coverage without the year shock: " << independent);
    CHECK(independent < 0.80);
}
