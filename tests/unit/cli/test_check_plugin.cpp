// `pathways check-plugin`: every shipped plugin passes; a model that reads a neighbouring cell fails the
// check that names it; a model that crashes fails its verdict while the checker lives on; a file that is
// not a plugin is bad input (exit 2, compiler-style).
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "cli_support.hpp"

using Catch::Matchers::Contains;
using pathways::test::cli_result;
using pathways::test::run_cli;
namespace fs = std::filesystem;

namespace {

std::string fixture(const std::string& name) {
    return std::string(PATHWAYS_FIXTURE_PLUGIN_DIR) + "/" + name + "/libpathways_" + name + ".so";
}

std::string shipped(const std::string& name) {
    return std::string(PATHWAYS_PLUGIN_BUILD_DIR) + "/libpathways_" + name + ".so";
}

}  // namespace

TEST_CASE("check-plugin passes every shipped plugin and times it", "[cli][check-plugin]") {
    for (const std::string name : {"linear", "saturating", "lagged", "subgroup", "evidence"}) {
        INFO(name);
        const cli_result result = run_cli("check-plugin '" + shipped(name) + "'");
        INFO(result.output);
        CHECK(result.exit_code == 0);
        CHECK_THAT(result.output, Contains(name + " 1.0.0: PASS"));
        CHECK_THAT(result.output, !Contains("FAIL"));
        CHECK_THAT(result.output, Contains("ns per cell-year"));
    }
}

TEST_CASE("check-plugin fails a model that reads a neighbouring cell, naming the checks", "[cli][check-plugin]") {
    const cli_result result = run_cli("check-plugin '" + fixture("reads_neighbour") + "'");
    INFO(result.output);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.output, Contains("fixture_reads_neighbour 1.0.0: FAIL"));
    CHECK_THAT(result.output, Contains("FAIL  cells independent:") && Contains("depends on other cells"));
    CHECK_THAT(result.output, Contains("FAIL  tile and block sizes:"));
    // At rest every dose is 0, so what it reads from the neighbour is 0 too.
    CHECK_THAT(result.output, Contains("PASS  at rest:"));
}

TEST_CASE("check-plugin survives a model that crashes, and fails it", "[cli][check-plugin]") {
    const cli_result result = run_cli("check-plugin '" + fixture("crashes_in_evaluate") + "'");
    INFO(result.output);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.output, Contains("fixture_crashes 1.0.0: FAIL"));
    CHECK_THAT(result.output, Contains("FAIL  outputs written and finite: the plugin crashed: killed by signal"));
}

TEST_CASE("check-plugin fails models that throw or return NaN", "[cli][check-plugin]") {
    const cli_result thrown = run_cli("check-plugin '" + fixture("throws_in_evaluate") + "'");
    CHECK(thrown.exit_code == 1);
    CHECK_THAT(thrown.output, Contains("it threw: lookup table for this node is empty"));
    const cli_result nan = run_cli("check-plugin '" + fixture("returns_nan") + "'");
    CHECK(nan.exit_code == 1);
    CHECK_THAT(nan.output, Contains("FAIL  outputs written and finite:") && Contains("returned NaN for cell"));
}

TEST_CASE("check-plugin refuses a file that is not a plugin as bad input", "[cli][check-plugin]") {
    const cli_result text = run_cli("check-plugin README.md");
    CHECK(text.exit_code == 2);
    CHECK_THAT(text.output, Contains("README.md: error: not an ELF file"));
    const cli_result missing = run_cli("check-plugin no-such-plugin.so");
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.output, Contains("no-such-plugin.so: error: cannot open the file"));
    const cli_result wrong_abi = run_cli("check-plugin '" + fixture("wrong_abi") + "'");
    CHECK(wrong_abi.exit_code == 2);
    CHECK_THAT(wrong_abi.output, Contains("error: ABI version mismatch"));
}
