#include <catch2/catch.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "pathways/sdk/effect_model.hpp"

using namespace pathways;

namespace {

// Parents over 5 cells, each with a weight, a current row and an initial row; parent p's change in
// cell i is (p + 1) * 0.1 * (i + 1) - 0.05 * p, a value that rounds differently from sum to sum.
struct dose_case {
    std::vector<double> weights, currents, initials;
    std::vector<sdk::parent_values> parents;
    static constexpr std::size_t cells = 5;

    explicit dose_case(std::size_t count) : weights(count), currents(count * cells), initials(count * cells) {
        for (std::size_t p = 0; p < count; ++p) {
            weights[p] = 0.3 + 0.17 * static_cast<double>(p);
            for (std::size_t i = 0; i < cells; ++i) {
                initials[p * cells + i] = 0.01 * static_cast<double>(i + p);
                currents[p * cells + i] = initials[p * cells + i] +
                                          static_cast<double>(p + 1) * 0.1 * static_cast<double>(i + 1) -
                                          0.05 * static_cast<double>(p);
            }
        }
        for (std::size_t p = 0; p < count; ++p) {
            const sdk::block_values current{currents.data() + p * cells, 0};
            parents.push_back({"parent", sdk::node_kind::student_outcome, std::span(&weights[p], 1), current, current,
                               std::span<const double>(initials.data() + p * cells, cells)});
        }
    }

    [[nodiscard]] sdk::evaluation evaluation(std::vector<double>& out) const {
        sdk::evaluation e;
        e.draw_count = 1;
        e.cell_count = cells;
        e.parents = parents;
        e.out = {out.data(), cells};
        return e;
    }

    // 0 + each parent's weighted change in parent order, one addition at a time.
    [[nodiscard]] double expected_dose(std::size_t i) const {
        double dose = 0.0;
        for (std::size_t p = 0; p < parents.size(); ++p)
            dose += weights[p] * (currents[p * cells + i] - initials[p * cells + i]);
        return dose;
    }
};

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }

}  // namespace

TEST_CASE("sdk dose: the sum of 0 to 5 parents' changes in parent order, with and without a finishing step") {
    for (std::size_t count = 0; count <= 5; ++count) {
        const dose_case c(count);
        std::vector<double> dose(dose_case::cells, -1.0);
        sdk::weighted_change_since_baseline(c.evaluation(dose), 0, dose.data());
        std::vector<double> level(dose_case::cells, -1.0);
        std::vector<std::size_t> finished(dose_case::cells, 0);
        sdk::weighted_change_since_baseline(c.evaluation(level), 0, level.data(), [&](std::size_t i, double d) {
            ++finished[i];
            return 2.0 + 3.0 * d;
        });
        for (std::size_t i = 0; i < dose_case::cells; ++i) {
            INFO(count << " parents, cell " << i);
            CHECK(bits(dose[i]) == bits(c.expected_dose(i)));
            CHECK(finished[i] == 1);  // once a cell, on the whole sum
            CHECK(bits(level[i]) == bits(2.0 + 3.0 * c.expected_dose(i)));
        }
    }
}
