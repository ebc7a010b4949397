// School blocks: a population summed block by block gives the same bits whether one simulation holds
// every block or several holders (here threads, as ranks are under MPI) hold a share each and meet
// through an exchange. The holders' exchange is an in-process one, so this runs in every build,
// sanitizers included; tests/mpi runs the same through mpirun.
#include <catch2/catch.hpp>

#include <barrier>
#include <bit>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "engine/projection.hpp"
#include "engine/scenario_loader.hpp"
#include "engine/school_blocks.hpp"
#include "plugin/registry.hpp"

namespace {

using namespace pathways;

/// Holders that are threads of one process: each gather waits for every holder's values.
struct thread_holders {
    explicit thread_holders(std::size_t holders) : barrier(static_cast<std::ptrdiff_t>(holders)), slots(holders) {}
    std::barrier<> barrier;
    std::vector<std::vector<double>> slots;
};

class thread_exchange final : public block_exchange {
public:
    thread_exchange(thread_holders& holders, std::size_t holder) : holders_(holders), holder_(holder) {}
    std::vector<double> gather(std::span<const double> mine) const override {
        holders_.slots[holder_].assign(mine.begin(), mine.end());
        holders_.barrier.arrive_and_wait();
        std::vector<double> every;
        for (const std::vector<double>& slot : holders_.slots) every.insert(every.end(), slot.begin(), slot.end());
        holders_.barrier.arrive_and_wait();  // no holder writes its slot again before every holder has read
        return every;
    }
    std::vector<double> gather_on_first(std::span<const double> mine) const override {
        std::vector<double> every = gather(mine);
        if (holder_ != 0) every.clear();
        return every;
    }
    bool is_first() const override { return holder_ == 0; }

private:
    thread_holders& holders_;
    std::size_t holder_;
};

struct denver {
    diagnostics found;
    plugin_registry plugins =
        plugin_registry::discover(load_options{{PATHWAYS_PLUGIN_BUILD_DIR}, false, false, false}, found);
    std::optional<loaded_scenario> loaded;

    explicit denver(std::size_t schools_per_block) {
        scenario_overrides overrides;
        overrides.schools_per_block = schools_per_block;
        loaded = load_scenario(std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-scale-up.json", "base", plugins,
                               overrides, found);
        REQUIRE(loaded);
    }

    /// The cells of blocks [first, first + count): the loaded cells come school by school.
    [[nodiscard]] population_cells cells_of(const school_blocks& blocks) const {
        const population_cells& all = loaded->cells;
        population_cells held;
        for (std::size_t c = 0; c < all.size(); ++c) {
            const std::size_t block = all.school[c] / blocks.schools_per_block;
            if (block < blocks.first || block >= blocks.first + blocks.count) continue;
            held.school.push_back(all.school[c]);
            held.race.push_back(all.race[c]);
            held.ell.push_back(all.ell[c]);
            held.frl.push_back(all.frl[c]);
            held.sped.push_back(all.sped[c]);
            held.grade_band.push_back(all.grade_band[c]);
            held.students.push_back(all.students[c]);
        }
        return held;
    }

    [[nodiscard]] simulation_inputs inputs(const population_cells& cells, const school_blocks& blocks) const {
        return {*loaded->graph, loaded->district, loaded->schools, cells, loaded->spec, *loaded->model, blocks};
    }
};

/// Every value of both runs of `draws` draws (central first, then drawn), in order.
std::vector<double> values_of(const std::vector<draw_result>& results) {
    std::vector<double> values;
    for (const draw_result& r : results) {
        for (const run_aggregates* run : {&r.scenario, &r.business_as_usual}) {
            values.insert(values.end(), run->levels.begin(), run->levels.end());
            values.insert(values.end(), run->proficient.begin(), run->proficient.end());
        }
    }
    return values;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::bit_cast<std::uint64_t>(a[i]) != std::bit_cast<std::uint64_t>(b[i])) return false;
    }
    return true;
}

constexpr std::size_t draws = 5;

std::vector<draw_result> run_draws_of(const simulation& sim, std::uint64_t seed) {
    std::vector<draw_result> results(draws);
    for (std::size_t d = 0; d < draws; ++d) {
        const draw_parameters p = d == 0 ? sim.central_parameters() : sim.sample_parameters(seed, d);
        // No sustained course asked for, so nothing is rerun. (No Catch2 macro: holders run on threads.)
        if (sim.run(p, results[d])) throw std::logic_error("a draw was rerun without a sustained course");
    }
    return results;
}

}  // namespace

TEST_CASE("school blocks: a population has one block per started block of schools, at least one", "[blocks]") {
    CHECK(block_count(207, 16) == 13);
    CHECK(block_count(208, 16) == 13);
    CHECK(block_count(209, 16) == 14);
    CHECK(block_count(0, 16) == 1);
    CHECK(block_count(98'469, default_schools_per_block) == 49);
}

TEST_CASE("school blocks: three holders of Denver's 13 blocks give the bits of one simulation holding all",
          "[blocks]") {
    const denver d(16);
    diagnostics found;
    const simulation whole(d.inputs(d.loaded->cells, d.loaded->blocks), found);
    REQUIRE_FALSE(found.has_errors());
    REQUIRE(whole.population_blocks() == 13);
    const std::vector<draw_result> expected = run_draws_of(whole, 7);

    constexpr std::size_t holders = 3;
    thread_holders meeting(holders);
    std::vector<draw_result> first_holder(draws);
    std::vector<double> head_counts;
    std::vector<std::string> failures(holders);
    std::vector<std::thread> threads;
    for (std::size_t h = 0; h < holders; ++h) {
        threads.emplace_back([&, h] {
            try {
                const thread_exchange exchange(meeting, h);
                const work_share share = share_of(13, h, holders);
                const school_blocks blocks{16, share.first, share.count, &exchange};
                const population_cells cells = d.cells_of(blocks);
                diagnostics problems;
                const simulation part(d.inputs(cells, blocks), problems);
                if (part.holds_every_block()) failures[h] = "holds every block";
                (void)part.business_as_usual_at_rest();
                std::vector<draw_result> results = run_draws_of(part, 7);
                for (draw_result& r : results) {
                    std::vector<run_aggregates*> runs{&r.business_as_usual, &r.scenario};
                    if (part.finish_across_holders(runs) != (h == 0)) failures[h] = "wrong first holder";
                }
                if (h == 0) {
                    first_holder = std::move(results);
                    for (const reported_subgroup& g : part.subgroups()) head_counts.push_back(g.students);
                }
            } catch (const std::exception& e) {
                failures[h] = e.what();
            }
        });
    }
    for (std::thread& t : threads) t.join();
    for (const std::string& failure : failures) CHECK(failure.empty());
    std::vector<double> whole_counts;
    for (const reported_subgroup& g : whole.subgroups()) whole_counts.push_back(g.students);
    CHECK(head_counts == whole_counts);
    CHECK(same_bits(values_of(first_holder), values_of(expected)));
}

TEST_CASE("school blocks: a district of one block sums as before, and smaller blocks change only last digits",
          "[blocks]") {
    const denver one_block(default_schools_per_block);
    const denver also_one(1'000'000);
    const denver thirteen(16);
    diagnostics found;
    const simulation a(one_block.inputs(one_block.loaded->cells, one_block.loaded->blocks), found);
    const simulation b(also_one.inputs(also_one.loaded->cells, also_one.loaded->blocks), found);
    const simulation c(thirteen.inputs(thirteen.loaded->cells, thirteen.loaded->blocks), found);
    REQUIRE_FALSE(found.has_errors());
    const std::vector<double> va = values_of(run_draws_of(a, 3));
    CHECK(same_bits(va, values_of(run_draws_of(b, 3))));
    const std::vector<double> vc = values_of(run_draws_of(c, 3));
    REQUIRE(va.size() == vc.size());
    for (std::size_t i = 0; i < va.size(); ++i) CHECK(vc[i] == Approx(va[i]).epsilon(1e-12).margin(1e-12));
}

TEST_CASE("school blocks: finishing a run from the wrong number of blocks' sums is refused", "[blocks]") {
    const denver d(16);
    diagnostics found;
    const simulation sim(d.inputs(d.loaded->cells, d.loaded->blocks), found);
    REQUIRE_FALSE(found.has_errors());
    run_aggregates out;
    const std::vector<double> twelve_blocks(12 * sim.sums_per_block(), 0.0);
    CHECK_THROWS_AS(sim.finish_from_blocks(twelve_blocks, out), std::invalid_argument);
}
