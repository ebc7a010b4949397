#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>
#include <vector>

#include "stats/sensitivity.hpp"

using namespace pathways::stats;
using pathways::sdk::prior;
using pathways::sdk::prior_kind;

namespace {

prior normal(double mean, double sd) { return prior{prior_kind::normal, mean, sd, 0.0, 0.0}; }

// y = 1·x1 + 2·x2 + 0.5·x3 with x1 ~ N(0, 1), x2 ~ N(1, 1), x3 ~ N(0, 2):
// contributions β²·Var = 1, 4, 0.5²·4 = 1; Var(y) = 6 → S = S_T = 1/6, 4/6, 1/6.
const std::vector<prior> linear_inputs{normal(0.0, 1.0), normal(1.0, 1.0), normal(0.0, 2.0)};
const double linear_beta[] = {1.0, 2.0, 0.5};

double linear_model(std::span<const double> x) {
    double y = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) y += linear_beta[i] * x[i];
    return y;
}

void check_index(const interval_estimate& e, double expected) {
    CHECK(e.estimate == Approx(expected).margin(0.05));
    CHECK(e.low <= expected);
    CHECK(e.high >= expected);
    CHECK(e.low <= e.estimate);
    CHECK(e.high >= e.estimate);
}

}  // namespace

TEST_CASE("sobol indices of a linear model equal the variance shares", "[sensitivity]") {
    sobol_options options;
    options.base_samples = 20000;
    options.bootstrap_resamples = 200;
    options.seed = 11;
    const sobol_result r = sobol_indices(linear_inputs, linear_model, options);
    REQUIRE(r.inputs.size() == 3);
    CHECK(r.model_evaluations == 20000 * 5);
    CHECK(r.output_variance == Approx(6.0).epsilon(0.05));
    const double shares[] = {1.0 / 6.0, 4.0 / 6.0, 1.0 / 6.0};
    for (std::size_t i = 0; i < 3; ++i) {
        INFO("input " << i);
        check_index(r.inputs[i].first_order, shares[i]);
        check_index(r.inputs[i].total, shares[i]);
    }
}

TEST_CASE("interactions make total effects exceed first-order effects", "[sensitivity]") {
    // y = x1·x2 with x1, x2 ~ N(1, 1) independent: Var(y) = μ1²σ2² + μ2²σ1² + σ1²σ2² = 3;
    // V_1 = Var(E[y|x1]) = Var(x1·1) = 1 → S_1 = 1/3; V_T1 = E[Var(y|x2)] = E[x2²]·1 = 2 → S_T1 = 2/3.
    const std::vector<prior> inputs{normal(1.0, 1.0), normal(1.0, 1.0)};
    sobol_options options;
    options.base_samples = 20000;
    options.bootstrap_resamples = 200;
    options.seed = 5;
    const sobol_result r = sobol_indices(
        inputs, [](std::span<const double> x) { return x[0] * x[1]; }, options);
    for (const input_sensitivity& s : r.inputs) {
        CHECK(s.first_order.estimate == Approx(1.0 / 3.0).margin(0.05));
        CHECK(s.total.estimate == Approx(2.0 / 3.0).margin(0.05));
        CHECK(s.total.low > s.first_order.high);
    }
}

TEST_CASE("sobol indices are reproducible and fixed inputs get zero", "[sensitivity]") {
    const std::vector<prior> inputs{normal(0.0, 1.0), prior{prior_kind::fixed, 3.0, 0.0, 0.0, 0.0}};
    sobol_options options;
    options.base_samples = 500;
    options.bootstrap_resamples = 50;
    options.seed = 1;
    const auto model = [](std::span<const double> x) { return x[0] + x[1]; };
    const sobol_result a = sobol_indices(inputs, model, options);
    const sobol_result b = sobol_indices(inputs, model, options);
    CHECK(a.inputs[0].first_order.estimate == b.inputs[0].first_order.estimate);
    CHECK(a.inputs[0].total.low == b.inputs[0].total.low);
    // the fixed input never changes the output: f(A) = f(A_B^2) exactly, so both indices are 0
    CHECK(a.inputs[1].first_order.estimate == 0.0);
    CHECK(a.inputs[1].total.estimate == 0.0);
    // the other input alone carries all the variance
    CHECK(a.inputs[0].first_order.estimate == Approx(1.0).margin(0.1));
    CHECK(a.inputs[0].total.estimate == Approx(1.0).margin(0.1));
    options.bootstrap_resamples = 0;
    const sobol_result c = sobol_indices(inputs, model, options);
    CHECK(c.inputs[0].total.low == c.inputs[0].total.estimate);
    CHECK(c.inputs[0].total.high == c.inputs[0].total.estimate);
}

TEST_CASE("a constant model has zero indices", "[sensitivity]") {
    const std::vector<prior> inputs{normal(0.0, 1.0)};
    sobol_options options;
    options.base_samples = 10;
    const sobol_result r = sobol_indices(
        inputs, [](std::span<const double>) { return 2.0; }, options);
    CHECK(r.output_variance == 0.0);
    CHECK(r.inputs[0].first_order.estimate == 0.0);
    CHECK(r.inputs[0].total.high == 0.0);
}

TEST_CASE("sobol_indices errors", "[sensitivity]") {
    sobol_options options;
    options.base_samples = 10;
    const auto model = [](std::span<const double> x) { return x[0]; };
    CHECK_THROWS_AS(sobol_indices({}, model, options), std::invalid_argument);
    const std::vector<prior> bad{normal(0.0, -1.0)};
    CHECK_THROWS_AS(sobol_indices(bad, model, options), std::invalid_argument);
    const std::vector<prior> good{normal(0.0, 1.0)};
    sobol_options small = options;
    small.base_samples = 1;
    CHECK_THROWS_AS(sobol_indices(good, model, small), std::invalid_argument);
    sobol_options wide = options;
    wide.confidence = 1.0;
    CHECK_THROWS_AS(sobol_indices(good, model, wide), std::invalid_argument);
    const auto broken = [](std::span<const double>) { return std::numeric_limits<double>::quiet_NaN(); };
    CHECK_THROWS_AS(sobol_indices(good, broken, options), std::runtime_error);
}

TEST_CASE("tornado bars follow |beta|·spread", "[sensitivity]") {
    // Each input at p05/p95 (mean ∓ 1.64485362695147·sd), others at their medians (the means):
    // swing_i = |β_i|·2z·sd_i with z = 1.64485: 1·2z·1 = 2z, 2·2z·1 = 4z, 0.5·2z·2 = 2z, 3·2z·0.1 = 0.6z.
    const std::vector<prior> inputs{normal(0.0, 1.0), normal(1.0, 1.0), normal(0.0, 2.0), normal(0.0, 0.1)};
    const auto model = [](std::span<const double> x) { return x[0] + 2.0 * x[1] + 0.5 * x[2] - 3.0 * x[3]; };
    const std::vector<tornado_bar> bars = tornado(inputs, model);
    REQUIRE(bars.size() == 4);
    const double z = 1.64485362695147;
    CHECK(bars[0].input == 1);
    CHECK(bars[0].swing == Approx(2.0 * 2.0 * z));
    // inputs 0 and 2 tie at 2z; ties keep input order
    CHECK(bars[1].input == 0);
    CHECK(bars[2].input == 2);
    CHECK(bars[1].swing == Approx(2.0 * z));
    CHECK(bars[2].swing == Approx(2.0 * z));
    // input 3: |−3|·2z·0.1 = 0.6z; output falls as x3 rises
    CHECK(bars[3].input == 3);
    CHECK(bars[3].swing == Approx(0.6 * z));
    // medians give y = 0 + 2·1 + 0 − 0 = 2; input 3 at its p95 (0.1z) → 2 − 0.3z
    CHECK(bars[3].input_high == Approx(0.1 * z));
    CHECK(bars[3].output_high == Approx(2.0 - 0.3 * z));
    CHECK(bars[3].output_low == Approx(2.0 + 0.3 * z));
}

TEST_CASE("tornado errors", "[sensitivity]") {
    const std::vector<prior> inputs{normal(0.0, 1.0)};
    const auto model = [](std::span<const double> x) { return x[0]; };
    CHECK_THROWS_AS(tornado(inputs, model, 0.0, 0.95), std::invalid_argument);
    CHECK_THROWS_AS(tornado(inputs, model, 0.6, 0.4), std::invalid_argument);
    CHECK_THROWS_AS(tornado(inputs, model, 0.05, 1.0), std::invalid_argument);
    const std::vector<prior> bad{normal(0.0, -1.0)};
    CHECK_THROWS_AS(tornado(bad, model), std::invalid_argument);
    const auto broken = [](std::span<const double>) { return std::numeric_limits<double>::infinity(); };
    CHECK_THROWS_AS(tornado(inputs, broken), std::runtime_error);
}

TEST_CASE("grouped Sobol indices swap a group's inputs together", "[sensitivity][groups]") {
    // y = x1 + x2·x3 with x1 ~ N(0, 1), x2, x3 ~ N(1, 1) independent, and {x2, x3} one group.
    // Var(x2·x3) = μ2²σ3² + μ3²σ2² + σ2²σ3² = 3, so Var(y) = 1 + 3 = 4.
    // x1 alone: S = S_T = 1/4. The group: V_G = Var(E[y | x2, x3]) = Var(x2·x3) = 3 → S_G = 3/4, and
    // V_TG = E[Var(y | x1)] = 3 → S_TG = 3/4. Alone, x2 explains Var(E[y | x2]) = Var(x2) = 1 → S_2 = 1/4
    // (x3 likewise): the group's 3/4 is more than the sum of its inputs' 1/2, for their interaction
    // (the other 1/4) belongs to the group as a whole.
    const std::vector<prior> inputs{normal(0.0, 1.0), normal(1.0, 1.0), normal(1.0, 1.0)};
    const model_function model = [](std::span<const double> x) { return x[0] + x[1] * x[2]; };
    sobol_options options;
    options.base_samples = 20000;
    options.bootstrap_resamples = 200;
    options.seed = 11;
    const sobol_result grouped = sobol_indices(inputs, {{0}, {1, 2}}, model, options);
    REQUIRE(grouped.inputs.size() == 2);
    CHECK(grouped.model_evaluations == 20000 * 4);  // A, B and one A_B^G per group
    CHECK(grouped.output_variance == Approx(4.0).epsilon(0.05));
    check_index(grouped.inputs[0].first_order, 0.25);
    check_index(grouped.inputs[0].total, 0.25);
    check_index(grouped.inputs[1].first_order, 0.75);
    check_index(grouped.inputs[1].total, 0.75);

    const sobol_result alone = sobol_indices(inputs, model, options);
    check_index(alone.inputs[1].first_order, 0.25);
    check_index(alone.inputs[2].first_order, 0.25);
    check_index(alone.inputs[1].total, 0.5);  // E[Var(y | x1, x3)] = E[x3²]·Var(x2) = 2
}

TEST_CASE("a design of one-input groups is the ungrouped design, run for run", "[sensitivity][groups]") {
    sobol_options options;
    options.base_samples = 64;
    options.bootstrap_resamples = 20;
    options.seed = 9;
    const sobol_result ungrouped = sobol_indices(linear_inputs, linear_model, options);
    const sobol_result singletons = sobol_indices(linear_inputs, {{0}, {1}, {2}}, linear_model, options);
    CHECK(ungrouped.output_variance == singletons.output_variance);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(ungrouped.inputs[i].first_order.estimate == singletons.inputs[i].first_order.estimate);
        CHECK(ungrouped.inputs[i].total.high == singletons.inputs[i].total.high);
    }
    // Rows made on demand: run N + j is row j of B, and run (2 + g)·N + j is A's row j with g's columns from B.
    const sobol_design design(linear_inputs, {{0}, {1, 2}}, options);
    REQUIRE(design.runs() == 64 * 4);
    std::vector<double> a, b, swapped;
    design.row(5, a);
    design.row(64 + 5, b);
    design.row(3 * 64 + 5, swapped);
    CHECK(swapped == std::vector<double>{a[0], b[1], b[2]});
    CHECK_THROWS_AS(design.row(design.runs(), a), std::out_of_range);
}

TEST_CASE("grouped designs refuse groups and outputs that do not fit", "[sensitivity][groups]") {
    sobol_options options;
    options.base_samples = 8;
    CHECK_THROWS_AS(sobol_design(linear_inputs, {}, options), std::invalid_argument);
    CHECK_THROWS_AS(sobol_design(linear_inputs, {{0}, {}}, options), std::invalid_argument);
    CHECK_THROWS_AS(sobol_design(linear_inputs, {{0, 3}}, options), std::invalid_argument);
    CHECK_THROWS_AS(sobol_design(linear_inputs, {{1, 1}}, options), std::invalid_argument);
    const sobol_design design(linear_inputs, {{0, 1, 2}}, options);
    CHECK_THROWS_AS(sobol_indices(design, std::vector<double>(design.runs() - 1, 0.0)), std::invalid_argument);
    std::vector<double> outputs(design.runs(), 1.0);
    outputs.back() = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(sobol_indices(design, outputs), std::runtime_error);
}
