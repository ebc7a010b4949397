// The warnings printed under a Sobol table whose estimates are too noisy to rank inputs by.
#include <catch2/catch.hpp>

#include <string>

#include "report/sensitivity_table.hpp"

using namespace pathways;

namespace {

stats::input_sensitivity indices(double first_order, double total) {
    return {{first_order, first_order, first_order}, {total, total, total}};
}

bool any_contains(const std::vector<std::string>& lines, const std::string& text) {
    for (const std::string& line : lines) {
        if (line.find(text) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("estimates the true indices can have give no warning", "[sensitivity][warnings]") {
    stats::sobol_result sobol;
    sobol.inputs = {indices(0.5, 0.6), indices(0.3, 0.3), indices(0.0, 0.1)};
    CHECK(sobol_warnings(sobol, 256).empty());
}

TEST_CASE("negative, inverted and over-full estimates and too few samples are each named", "[sensitivity][warnings]") {
    stats::sobol_result sobol;
    // Sum of first-order indices 0.9 + 0.4 − 0.1 = 1.2; one below 0; one total (0.3) below its 0.4.
    sobol.inputs = {indices(0.9, 0.95), indices(0.4, 0.3), indices(-0.1, 0.05)};
    const auto warnings = sobol_warnings(sobol, 2);
    CHECK(warnings.size() == 3);
    CHECK(any_contains(warnings, "--n 2 base samples for 3 inputs"));
    CHECK(any_contains(warnings, "1 of 3 first-order indices are below 0 and 1 totals are below their first-order"));
    CHECK(any_contains(warnings, "the first-order indices sum to 1.20, above 1"));
}
