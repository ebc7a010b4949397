// Monte Carlo results do not depend on how the draws are scheduled: byte-identical outputs for
// 1, 2 and 4 threads, and a longer run's first draws equal a shorter run's.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "../cli/cli_support.hpp"
#include "engine/projection.hpp"
#include "engine/scenario_loader.hpp"
#include "plugin/registry.hpp"

namespace {

using namespace pathways;
using pathways::test::run_cli;
using pathways::test::scratch_folder;

std::string read_bytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

}  // namespace

TEST_CASE("projection files are byte-identical on 1, 2 and 4 threads", "[determinism][cli]") {
    scratch_folder out("threads");
    for (const char* threads : {"1", "2", "4"}) {
        const auto result = run_cli("run scenarios/denver-scale-up.json --draws 24 --quiet --threads " + std::string(threads) +
                                    " --out '" + (out.path() / threads).string() + "'");
        REQUIRE(result.exit_code == 0);
    }
    for (const char* file : {"projection.csv", "projection.json"}) {
        const std::string one = read_bytes(out.path() / "1" / file);
        REQUIRE(one.size() > 10000);
        CHECK(read_bytes(out.path() / "2" / file) == one);
        CHECK(read_bytes(out.path() / "4" / file) == one);
    }
}

TEST_CASE("adding draws leaves the earlier draws unchanged", "[determinism]") {
    diagnostics found;
    const plugin_registry plugins =
        plugin_registry::discover(load_options{{PATHWAYS_PLUGIN_BUILD_DIR}, false, false, false}, found);
    const auto loaded = load_scenario(std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-scale-up.json", "base", plugins,
                                      scenario_overrides{}, found);
    REQUIRE(loaded);
    const simulation sim({*loaded->graph, loaded->district, loaded->schools, loaded->cells, loaded->spec, *loaded->model}, found);
    REQUIRE_FALSE(found.has_errors());
    auto draws_of = [&](std::int64_t draws, unsigned threads) {
        const projection_options options{draws, loaded->spec.seed, threads, loaded->spec.report.min_n, true, {}, nullptr};
        return run_draws(sim, loaded->spec, options);
    };
    // The longer run on two threads finishes its draws in another order than the shorter on one.
    const projection_draws ten = draws_of(10, 1);
    const projection_draws forty = draws_of(40, 2);
    REQUIRE(ten.draws == 10);
    REQUIRE(forty.draws == 40);
    REQUIRE(ten.rows.size() == forty.rows.size());
    const std::size_t first_ten = 10 * ten.rows.size();
    const std::vector<double> head(forty.values.begin(), forty.values.begin() + static_cast<std::ptrdiff_t>(first_ten));
    CHECK(head == ten.values);
    // The draws differ from one another, so the equality above is not that of constants.
    const std::vector<double> second(forty.values.begin() + static_cast<std::ptrdiff_t>(first_ten),
                                     forty.values.begin() + static_cast<std::ptrdiff_t>(2 * first_ten));
    CHECK(second != ten.values);
}
