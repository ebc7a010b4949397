// Stage gates: the measurement error of a district's estimate, by hand, and how the open and closed
// runs' draws are combined.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/stage_gate.hpp"

namespace {

using pathways::gate_decisions;
using pathways::metric_row;
using pathways::projection_draws;

/// Two rows (a level and an effect) over `draws` draws, each value `offset` + 10·draw + row.
projection_draws two_rows(std::size_t draws, double offset) {
    projection_draws out;
    out.rows.resize(2);
    out.rows[1].metric = pathways::metric::effect;
    out.draws = draws;
    for (std::size_t d = 0; d < draws; ++d) {
        for (std::size_t r = 0; r < 2; ++r) out.values.push_back(offset + 10.0 * static_cast<double>(d) + r);
    }
    out.cut_years.assign(draws, std::nullopt);
    return out;
}

}  // namespace

TEST_CASE("gate measurement error: two groups of n students in schools of m, with the design effect", "[stage-gate]") {
    // 100 students in 4 schools: m = 25, design effect 1 + 24 x 0.20 = 5.8, SE = sqrt(2 x 5.8 / 100).
    CHECK(pathways::gate_measurement_se(100.0, 4.0) == Approx(std::sqrt(0.116)).epsilon(1e-12));
    // One student a school: no clustering, SE = sqrt(2 / n).
    CHECK(pathways::gate_measurement_se(50.0, 50.0) == Approx(0.2).epsilon(1e-12));
    // The Denver pilot: 5,965 students in 15 schools.
    CHECK(pathways::gate_measurement_se(5965.0, 15.0) ==
          Approx(std::sqrt(2.0 * (1.0 + (5965.0 / 15.0 - 1.0) * 0.20) / 5965.0)).epsilon(1e-12));
    CHECK(pathways::gate_measurement_se(0.0, 15.0) == 0.0);
}

TEST_CASE("a gated run takes the open run's draws where the gate opened and the closed run's elsewhere",
          "[stage-gate]") {
    projection_draws open = two_rows(3, 0.0);
    projection_draws closed = two_rows(3, 1000.0);
    closed.rows[0].suppressed = true;  // a group withheld in either run is withheld in the mixture
    closed.cut_years[1] = 2020;
    gate_decisions gate;
    gate.open = {1, 0, 1};
    const projection_draws mixed = pathways::mix_by_gate(open, closed, gate);
    CHECK(mixed.values == std::vector<double>{0.0, 1.0, 1010.0, 1011.0, 20.0, 21.0});
    CHECK(mixed.rows[0].suppressed);
    CHECK_FALSE(mixed.rows[1].suppressed);
    CHECK(mixed.cut_years[1] == 2020);
    CHECK_FALSE(mixed.cut_years[0].has_value());

    projection_draws other = two_rows(3, 0.0);
    other.rows[1].metric = pathways::metric::level;
    CHECK_THROWS_AS(pathways::mix_by_gate(open, other, gate), std::logic_error);
    gate.open = {1, 0};
    CHECK_THROWS_AS(pathways::mix_by_gate(open, closed, gate), std::logic_error);
}
