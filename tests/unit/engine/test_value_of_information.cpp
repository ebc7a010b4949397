// The value of information by hand (EVPI of two draws), and the regression estimator of EVPPI against
// brute-force nested Monte Carlo on the same outer draws and against closed forms: for NB = φ + ψ the
// EVPPI of φ is E[max(0, φ)] = 1/√(2π); for NB = φ² − 1 + ψ it is E[(φ² − 1)₊] = 2·pdf(1).
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "engine/value_of_information.hpp"
#include "stats/distributions.hpp"
#include "stats/random.hpp"

namespace {

using namespace pathways;

constexpr std::size_t outer_draws = 2000;
constexpr std::size_t inner_draws = 2000;

std::vector<double> normals(std::size_t n, std::uint64_t stream) {
    std::vector<double> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        stats::counter_rng rng(2014, i, stream);
        out[i] = stats::sample_standard_normal(rng);
    }
    return out;
}

/// Two options: business as usual (0) and a plan whose net benefit is `plan(φ, ψ)`.
template <class Plan>
net_benefits two_options(const std::vector<double>& phi, const std::vector<double>& psi, Plan plan) {
    net_benefits values(2, std::vector<double>(phi.size(), 0.0));
    for (std::size_t d = 0; d < phi.size(); ++d) values[1][d] = plan(phi[d], psi[d]);
    return values;
}

/// Brute force: for each outer φ, the plan's expected net benefit over `inner_draws` fresh ψ; then
/// mean of max(0, that) − max(0, mean of that).
template <class Plan>
double nested_evppi(const std::vector<double>& phi, Plan plan) {
    double mean_best = 0.0, mean_plan = 0.0;
    for (std::size_t j = 0; j < phi.size(); ++j) {
        double inner = 0.0;
        for (std::size_t k = 0; k < inner_draws; ++k) {
            stats::counter_rng rng(99, j * inner_draws + k, 3);
            inner += plan(phi[j], stats::sample_standard_normal(rng));
        }
        inner /= static_cast<double>(inner_draws);
        mean_best += std::max(0.0, inner);
        mean_plan += inner;
    }
    const double n = static_cast<double>(phi.size());
    return mean_best / n - std::max(0.0, mean_plan / n);
}

}  // namespace

TEST_CASE("EVPI by hand: two draws, two options", "[value-of-information]") {
    // Option A pays 1 then 3, B 2 then 2: knowing the draw, one earns 2 then 3 (mean 2.5); not knowing
    // it, either option earns 2 on average. EVPI = 0.5.
    CHECK(expected_value_of_perfect_information({{1.0, 3.0}, {2.0, 2.0}}) == 0.5);
    // An option better in every draw leaves nothing to learn.
    CHECK(expected_value_of_perfect_information({{1.0, 3.0}, {2.0, 4.0}}) == 0.0);
}

TEST_CASE("EVPPI by regression agrees with nested Monte Carlo and the closed form: a linear net benefit",
          "[value-of-information]") {
    const auto phi = normals(outer_draws, 1);
    const auto psi = normals(outer_draws, 2);
    const auto plan = [](double f, double s) { return f + s; };
    const evppi_estimate estimate = expected_value_of_partial_information(two_options(phi, psi, plan), {phi});
    const double nested = nested_evppi(phi, plan);
    INFO("regression " << estimate.value << " ± " << estimate.standard_error << ", nested " << nested);
    REQUIRE(estimate.standard_error > 0.0);
    // Same outer draws: they differ by the fit's error and the inner means' noise only.
    CHECK(std::abs(estimate.value - nested) < 3.0 * estimate.standard_error);
    // 1/√(2π) = 0.3989, within four standard errors of the outer mean.
    CHECK(std::abs(estimate.value - 1.0 / std::sqrt(2.0 * std::numbers::pi)) < 4.0 * estimate.standard_error);
    // Both inputs together are all there is to learn: their EVPPI is the EVPI.
    const net_benefits values = two_options(phi, psi, plan);
    CHECK(expected_value_of_partial_information(values, {phi, psi}).value ==
          Approx(expected_value_of_perfect_information(values)).margin(0.02));
}

TEST_CASE("EVPPI by regression follows a curved net benefit (splines, not a straight line)", "[value-of-information]") {
    const auto phi = normals(outer_draws, 4);
    const auto psi = normals(outer_draws, 5);
    const auto plan = [](double f, double s) { return f * f - 1.0 + s; };
    const evppi_estimate estimate = expected_value_of_partial_information(two_options(phi, psi, plan), {phi});
    const double nested = nested_evppi(phi, plan);
    INFO("regression " << estimate.value << " ± " << estimate.standard_error << ", nested " << nested);
    CHECK(std::abs(estimate.value - nested) < 3.0 * estimate.standard_error);
    // 2·pdf(1) = 0.4839; a straight line in φ would find almost nothing to learn.
    const double closed_form = 2.0 * std::exp(-0.5) / std::sqrt(2.0 * std::numbers::pi);
    CHECK(std::abs(estimate.value - closed_form) < 4.0 * estimate.standard_error);
    CHECK(estimate.basis_columns == max_knots_per_input);
}

TEST_CASE("EVPPI of an input the net benefit ignores is near 0, and of a constant input exactly 0",
          "[value-of-information]") {
    const auto phi = normals(outer_draws, 6);
    const auto psi = normals(outer_draws, 7);
    const auto unrelated = normals(outer_draws, 8);
    const net_benefits values = two_options(phi, psi, [](double f, double s) { return f + s; });
    CHECK(expected_value_of_partial_information(values, {unrelated}).value < 0.05);
    const std::vector<double> constant(outer_draws, 3.0);
    const evppi_estimate none = expected_value_of_partial_information(values, {constant});
    CHECK(none.value == 0.0);
    CHECK(none.basis_columns == 1);
}

TEST_CASE("value of information refuses mismatched draws and too few draws for the inputs",
          "[value-of-information][errors]") {
    CHECK_THROWS_AS(expected_value_of_perfect_information({}), std::invalid_argument);
    CHECK_THROWS_AS(expected_value_of_perfect_information({{1.0, 2.0}, {1.0}}), std::invalid_argument);
    const net_benefits values{{0.0, 0.0, 0.0}, {1.0, 2.0, 3.0}};
    CHECK_THROWS_AS(expected_value_of_partial_information(values, {{1.0, 2.0}}), std::invalid_argument);
    // Three draws cannot fit even a line in one input (at least 20 are needed).
    CHECK_THROWS_WITH(expected_value_of_partial_information(values, {{1.0, 2.0, 3.0}}),
                      Catch::Matchers::Contains("at least 20 draws"));
}

TEST_CASE("input groups: the run's inputs by what a district could learn about", "[value-of-information]") {
    const std::vector<std::string> names{"edge:a->b",
                                         "effect:average",
                                         "parameter:multiplier.race.black",
                                         "parameter:lag",
                                         "program:cut_year",
                                         "implementation:years_to_half",
                                         "cost:coaching",
                                         "implementation:gain_persistence"};
    const auto groups = input_groups(names);
    REQUIRE(groups.size() == 7);
    CHECK(groups[0].name == "average PL effect");
    CHECK(groups[0].columns == std::vector<std::size_t>{1});
    CHECK(groups[1].name == "subgroup multipliers");
    CHECK(groups[2].columns == std::vector<std::size_t>{3});
    CHECK(groups[3].name == "ramp and fidelity");
    CHECK(groups[4].name == "cut risk");
    CHECK(groups[4].columns == std::vector<std::size_t>{4, 7});
    CHECK(groups[5].name == "costs");
    CHECK(groups[6].name == "theory-of-change links");
}
