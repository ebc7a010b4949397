// The contract checks in-process (core/plugin/contract_check): a valid fixture passes every check, one
// that reads a neighbouring cell fails exactly the checks that can see it, and reading a plugin file
// runs none of its code.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "fixture_support.hpp"
#include "plugin/contract_check.hpp"

using namespace pathways;
using pathways::testing::fixture_file;

namespace {

const contract_check_result& result_of(const contract_report& report, contract_check check) {
    return *std::find_if(report.checks.begin(), report.checks.end(),
                         [check](const contract_check_result& r) { return r.check == check; });
}

std::vector<model_handle> read_fixture(const std::string& name) {
    std::string problem;
    auto models = read_plugin_file(fixture_file(name), problem);
    INFO(problem);
    REQUIRE(models);
    return *models;
}

}  // namespace

TEST_CASE("contract check: a valid model passes every check and is timed", "[plugin][contract]") {
    const std::vector<model_handle> models = read_fixture("good");
    REQUIRE(models.size() == 1);
    const contract_report report = check_contract(models.front(), 7);
    REQUIRE(report.checks.size() == static_cast<std::size_t>(contract_check::count));
    for (const contract_check_result& r : report.checks) {
        INFO(std::string(check_name(r.check)) + ": " + r.reason);
        CHECK(r.passed);
    }
    CHECK(report.passed());
    CHECK(report.nanoseconds_per_cell_year > 0.0);
}

TEST_CASE("contract check: reading a neighbouring cell fails tiles and independence, not rest", "[plugin][contract]") {
    const contract_report report = check_contract(read_fixture("reads_neighbour").front(), 7);
    CHECK_FALSE(report.passed());
    CHECK_FALSE(result_of(report, contract_check::cells_independent).passed);
    CHECK_FALSE(result_of(report, contract_check::tile_and_block).passed);
    CHECK(result_of(report, contract_check::at_rest).passed);
    CHECK(result_of(report, contract_check::outputs_written).passed);
}

TEST_CASE("contract check: a plugin whose registration differs fails every check with the reason",
          "[plugin][contract]") {
    const contract_report report = check_contract(read_fixture("metadata_mismatch").front(), 7);
    CHECK_FALSE(report.passed());
    CHECK_THAT(report.checks.front().reason, Catch::Matchers::Contains("differs from its metadata"));
}

TEST_CASE("contract check: reading a file that is not a plugin names the problem", "[plugin][contract]") {
    std::string problem;
    CHECK_FALSE(read_plugin_file(std::string(PATHWAYS_SOURCE_ROOT) + "/README.md", problem));
    CHECK_THAT(problem, Catch::Matchers::Contains("not an ELF file"));
}
