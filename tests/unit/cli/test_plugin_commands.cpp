// What `plugins`, `validate` and `run` do with plugin files: read metadata only, load a plugin only to run
// one of its models, refuse broken files by name without crashing, and stop on a mistyped --plugin-dir.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>

#include "cli_support.hpp"

using Catch::Matchers::Contains;
using pathways::test::cli_result;
using pathways::test::run_cli;
using pathways::test::scratch_folder;
namespace fs = std::filesystem;

namespace {

std::string fixture(const std::string& name) { return std::string(PATHWAYS_FIXTURE_PLUGIN_DIR) + "/" + name; }

/// Runs `pathways ARGS` while the fixtures' static initializers leave their markers in `markers`.
cli_result run_with_markers(const scratch_folder& markers, const std::string& args) {
    setenv("PATHWAYS_FIXTURE_MARKER_DIR", markers.path().c_str(), 1);
    cli_result result = run_cli(args);
    unsetenv("PATHWAYS_FIXTURE_MARKER_DIR");
    return result;
}

const std::string fixtures_on_path =
    " --plugin-dir '" + fixture("loud") + "' --plugin-dir '" + fixture("wrong_abi") + "'";

}  // namespace

TEST_CASE("plugins lists from metadata and runs no plugin code, not even a wrong-ABI plugin's", "[cli][plugins]") {
    const scratch_folder markers("plugin-markers-list");
    const cli_result result = run_with_markers(markers, "plugins" + fixtures_on_path);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.output, Contains("fixture_loud") && Contains("linear"));
    CHECK_THAT(result.output, Contains("libpathways_wrong_abi.so': ABI version mismatch: got 1, supported 3"));
    CHECK_THAT(result.output, !Contains("static initializer"));
    CHECK(fs::is_empty(markers.path()));
}

TEST_CASE("validate checks a scenario against plugin metadata without loading any plugin", "[cli][plugins]") {
    const scratch_folder markers("plugin-markers-validate");
    const cli_result result = run_with_markers(markers, "validate scenarios/rand-2017-check.json" + fixtures_on_path);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.output, Contains("1 file valid"));
    CHECK_THAT(result.output, !Contains("static initializer"));
    CHECK(fs::is_empty(markers.path()));
}

TEST_CASE("run loads the plugin of the model it runs, and only that one", "[cli][plugins]") {
    const scratch_folder markers("plugin-markers-run");
    const scratch_folder out("plugin-run-out");
    const cli_result result = run_with_markers(markers,
                                               "run scenarios/rand-2017-check.json --effect-model fixture_loud "
                                               "--draws 2 --quiet --out '" +
                                                   (out.path() / "r").string() + "'" + fixtures_on_path);
    CHECK(result.exit_code == 0);
    CHECK(fs::exists(markers.path() / "loud"));  // the positive control: markers do appear when code runs
    CHECK_FALSE(fs::exists(markers.path() / "wrong_abi"));
}

TEST_CASE("a truncated plugin file is refused by name and every command still works", "[cli][plugins]") {
    const scratch_folder broken("plugin-truncated");
    {
        std::ifstream in(std::string(PATHWAYS_PLUGIN_BUILD_DIR) + "/libpathways_linear.so", std::ios::binary);
        std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        REQUIRE(bytes.size() > 6000);
        std::ofstream(broken.path() / "libpathways_x.so", std::ios::binary) << bytes.substr(0, 6000);
    }
    const std::string dir = " --plugin-dir '" + broken.path().string() + "'";
    for (const std::string command : {"plugins", "validate scenarios/rand-2017-check.json", "describe linear"}) {
        INFO(command);
        const cli_result result = run_cli(command + dir);
        CHECK(result.exit_code == 0);
        CHECK_THAT(result.output, Contains("plugin 'libpathways_x.so': truncated or corrupt file: ") &&
                                      Contains("ends past the end of the file (6000 bytes)"));
    }
}

TEST_CASE("a --plugin-dir that does not exist stops the command with exit 2", "[cli][plugins]") {
    const cli_result result = run_cli("plugins --plugin-dir /no/such/plugin/folder");
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Contains("--plugin-dir '/no/such/plugin/folder' does not exist or is not a folder"));
}
