// Monte Carlo results do not depend on how the draws are scheduled: byte-identical outputs for
// 1, 2 and 8 threads and for any block of draws and tile of cells, and a longer run's first draws
// equal a shorter run's.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "../cli/cli_support.hpp"
#include "engine/projection.hpp"
#include "engine/scenario_loader.hpp"
#include "plugin/registry.hpp"
#include "run/ranks.hpp"

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

// Runs `longer` draws on two threads and `shorter` on one (so the draws finish in another order)
// and checks that the longer run's first draws are the shorter run's, value for value.
void check_longer_run_extends_shorter(const std::string& scenario, std::int64_t shorter, std::int64_t longer) {
    diagnostics found;
    const plugin_registry plugins =
        plugin_registry::discover(load_options{{PATHWAYS_PLUGIN_BUILD_DIR}, false, false, false}, found);
    const auto loaded =
        load_scenario(std::string(PATHWAYS_SOURCE_ROOT) + "/" + scenario, "base", plugins, scenario_overrides{}, found);
    REQUIRE(loaded);
    const simulation sim({*loaded->graph, loaded->district, loaded->schools, loaded->cells, loaded->spec,
                          *loaded->model},
                         found);
    REQUIRE_FALSE(found.has_errors());
    auto draws_of = [&](std::int64_t draws, unsigned threads) {
        const projection_options options{draws,  loaded->spec.seed, threads, loaded->spec.report.min_n, true, {},
                                         nullptr};
        return run_draws(sim, loaded->spec, options);
    };
    const projection_draws short_run = draws_of(shorter, 1);
    const projection_draws long_run = draws_of(longer, 2);
    REQUIRE(short_run.draws == static_cast<std::size_t>(shorter));
    REQUIRE(long_run.draws == static_cast<std::size_t>(longer));
    REQUIRE(short_run.rows.size() == long_run.rows.size());
    const auto head_size = static_cast<std::ptrdiff_t>(static_cast<std::size_t>(shorter) * short_run.rows.size());
    const std::vector<double> head(long_run.values.begin(), long_run.values.begin() + head_size);
    // Years to close a gap that does not narrow are NaN in a draw: the same draw must be NaN again.
    const auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
    CHECK(std::equal(head.begin(), head.end(), short_run.values.begin(), short_run.values.end(), same));
    // The draws differ from one another, so the equality above is not that of constants.
    const std::vector<double> next(long_run.values.begin() + head_size, long_run.values.begin() + 2 * head_size);
    CHECK(next != short_run.values);
}

/// Every row of every draw of `scenario` (with `model` instead of the scenario's, if given), both
/// courses reported, run with each (threads, block of draws, tile of cells): the same bytes each time.
void check_same_bits_for_any_schedule(const std::string& scenario, const std::optional<std::string>& model,
                                      std::int64_t draws) {
    diagnostics found;
    const plugin_registry plugins =
        plugin_registry::discover(load_options{{PATHWAYS_PLUGIN_BUILD_DIR}, false, false, false}, found);
    scenario_overrides overrides;
    overrides.effect_model = model;
    const auto loaded =
        load_scenario(std::string(PATHWAYS_SOURCE_ROOT) + "/" + scenario, "base", plugins, overrides, found);
    REQUIRE(loaded);
    const simulation sim({*loaded->graph, loaded->district, loaded->schools, loaded->cells, loaded->spec,
                          *loaded->model},
                         found);
    REQUIRE_FALSE(found.has_errors());
    struct schedule {
        unsigned threads;
        std::size_t block_draws;
        std::size_t tile_cells;
    };
    const auto run = [&](const schedule& s) {
        projection_options options{draws, loaded->spec.seed, s.threads, loaded->spec.report.min_n, true, {}, nullptr};
        options.sustained_course = true;  // cut draws add lanes of their own to a block
        options.block_draws = s.block_draws;
        options.tile_cells = s.tile_cells;
        return run_draws(sim, loaded->spec, options).values;
    };
    const std::vector<double> reference = run({1, 1, 1024});
    REQUIRE(reference.size() > 100);
    // Tiles that cut strata anywhere (1, 7, 100 cells), blocks that do not divide the draws, more
    // threads than blocks.
    for (const schedule s : {schedule{1, 8, 256}, schedule{2, 8, 256}, schedule{8, 3, 7}, schedule{2, 5, 100},
                             schedule{1, static_cast<std::size_t>(draws), 1}, schedule{8, 1, 1000}}) {
        INFO(scenario << " threads " << s.threads << ", " << s.block_draws << " draws a block, " << s.tile_cells
                      << " cells a tile");
        const std::vector<double> values = run(s);
        REQUIRE(values.size() == reference.size());
        CHECK(std::memcmp(values.data(), reference.data(), values.size() * sizeof(double)) == 0);
    }
}

}  // namespace

TEST_CASE("MPI ranks' shares of the draws are contiguous, in rank order, and cover every draw once",
          "[determinism][mpi]") {
    // 7 draws on 2 ranks: 4 + 3; on 3 ranks: 3 + 2 + 2; 2 draws on 3 ranks: 1 + 1 + 0.
    CHECK(share_of(7, 0, 2).first == 0);
    CHECK(share_of(7, 0, 2).count == 4);
    CHECK(share_of(7, 1, 2).first == 4);
    CHECK(share_of(7, 1, 2).count == 3);
    CHECK(share_of(7, 0, 3).count == 3);
    CHECK(share_of(7, 1, 3).first == 3);
    CHECK(share_of(7, 1, 3).count == 2);
    CHECK(share_of(7, 2, 3).first == 5);
    CHECK(share_of(7, 2, 3).count == 2);
    CHECK(share_of(2, 2, 3).first == 2);
    CHECK(share_of(2, 2, 3).count == 0);
    CHECK(share_of(5, 0, 1).count == 5);
}

TEST_CASE("the ranks' ranges of draws, put together in rank order, are the whole run's bytes", "[determinism][mpi]") {
    diagnostics found;
    const plugin_registry plugins =
        plugin_registry::discover(load_options{{PATHWAYS_PLUGIN_BUILD_DIR}, false, false, false}, found);
    const auto loaded = load_scenario(std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-scale-up.json", "base",
                                      plugins, scenario_overrides{}, found);
    REQUIRE(loaded);
    const simulation sim({*loaded->graph, loaded->district, loaded->schools, loaded->cells, loaded->spec,
                          *loaded->model},
                         found);
    REQUIRE_FALSE(found.has_errors());
    constexpr std::int64_t draws = 11;
    projection_options options{draws, loaded->spec.seed, 2, loaded->spec.report.min_n, true, {}, nullptr};
    options.sustained_course = true;
    const projection_draws whole = run_draws(sim, loaded->spec, options);
    REQUIRE(whole.draws == 11);
    for (const int ranks : {2, 3, 4}) {
        INFO(ranks << " ranks");
        std::vector<double> joined;
        std::size_t cut_draws = 0;
        for (int rank = 0; rank < ranks; ++rank) {
            const work_share share = share_of(whole.draws, rank, ranks);
            options.first_draw = share.first;
            options.draw_count = share.count;
            const projection_draws part = run_draws(sim, loaded->spec, options);
            CHECK(part.draws == share.count);
            CHECK(part.rows.size() == whole.rows.size());
            joined.insert(joined.end(), part.values.begin(), part.values.end());
            cut_draws += part.cut.cut_draws;
        }
        REQUIRE(joined.size() == whole.values.size());
        CHECK(std::memcmp(joined.data(), whole.values.data(), joined.size() * sizeof(double)) == 0);
        CHECK(cut_draws == whole.cut.cut_draws);
    }
}

TEST_CASE("per-draw values are the same bytes for any thread count, block of draws and tile of cells",
          "[determinism]") {
    check_same_bits_for_any_schedule("tests/data/malformed/valid.json", std::nullopt, 12);
    // Denver's scale-up cuts the program in some draws (their sustained course is a lane of its own) and
    // runs the subgroup model; evidence reads pl_school_count and accumulates, lagged reads exposure.
    check_same_bits_for_any_schedule("scenarios/denver-scale-up.json", std::nullopt, 12);
    check_same_bits_for_any_schedule("scenarios/denver-scale-up.json", std::string("evidence"), 10);
    check_same_bits_for_any_schedule("scenarios/denver-scale-up.json", std::string("lagged"), 10);
}

TEST_CASE("projection files are byte-identical on 1, 2 and 8 threads", "[determinism][cli]") {
    scratch_folder out("threads");
    for (const char* threads : {"1", "2", "8"}) {
        const auto result = run_cli("run scenarios/denver-scale-up.json --draws 24 --quiet --threads " +
                                    std::string(threads) + " --out '" + (out.path() / threads).string() + "'");
        REQUIRE(result.exit_code == 0);
    }
    for (const char* file : {"projection.csv", "projection.json"}) {
        const std::string one = read_bytes(out.path() / "1" / file);
        REQUIRE(one.size() > 10000);
        CHECK(read_bytes(out.path() / "2" / file) == one);
        CHECK(read_bytes(out.path() / "8" / file) == one);
    }
}

TEST_CASE("1,000 draws begin with the 100 draws of a 100-draw run", "[determinism]") {
    check_longer_run_extends_shorter("tests/data/malformed/valid.json", 100, 1000);
}

TEST_CASE("Denver: 16 draws begin with the 4 draws of a 4-draw run", "[determinism]") {
    check_longer_run_extends_shorter("scenarios/denver-scale-up.json", 4, 16);
}
