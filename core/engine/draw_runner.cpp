#include "engine/draw_runner.hpp"

#include <algorithm>
#include <exception>
#include <mutex>
#include <vector>

#include "engine/worker_threads.hpp"

namespace pathways {
namespace {

/// A block of draws with their parameters and outcomes, reused from block to block.
struct drawn_block {
    std::vector<draw_parameters> parameters;
    std::vector<draw_result> outcomes;
    std::vector<run_aggregates> sustained;
    std::vector<block_draw> draws;

    explicit drawn_block(std::size_t size) : parameters(size), outcomes(size), sustained(size), draws(size) {}

    /// Runs the first `count` draws, whose parameters are set.
    void run(const simulation& sim, const draw_run_options& options, std::size_t count) {
        for (std::size_t i = 0; i < count; ++i) {
            // Only a draw whose program is cut differs when sustained; the others are not rerun.
            draws[i] = {&parameters[i], &outcomes[i], options.sustained_course ? &sustained[i] : nullptr, false};
        }
        sim.run_block(std::span(draws.data(), count), options.tile_cells);
    }
    [[nodiscard]] finished_draw finished(std::size_t i) const {
        return {parameters[i], outcomes[i], draws[i].reran ? &sustained[i] : nullptr};
    }
    /// Swaps `from`'s first `count` draws into this block's from `at` on (storage goes back and forth).
    void take(std::size_t at, drawn_block& from, std::size_t count) {
        for (std::size_t i = 0; i < count; ++i) {
            std::swap(parameters[at + i], from.parameters[i]);
            std::swap(outcomes[at + i], from.outcomes[i]);
            std::swap(sustained[at + i], from.sustained[i]);
            draws[at + i].reran = from.draws[i].reran;
        }
    }
    /// Draw i's runs, each once: business as usual, the scenario and, when rerun, its sustained course.
    void add_runs(std::size_t i, std::vector<run_aggregates*>& runs) {
        runs.push_back(&outcomes[i].business_as_usual);
        runs.push_back(&outcomes[i].scenario);
        if (draws[i].reran) runs.push_back(&sustained[i]);
    }
};

/// Runs draws [first, first + count) in blocks over the threads, threads taking blocks in turn
/// (dynamic scheduling); `finished(first, n, block)` takes each block on its thread.
void run_range(const simulation& sim, const draw_run_options& options, std::size_t first_draw, std::size_t count,
               const std::function<void(std::size_t, draw_parameters&)>& set,
               const std::function<void(std::size_t, std::size_t, drawn_block&)>& finished,
               std::atomic<std::size_t>& done, std::atomic<bool>& stop) {
    const std::size_t block = std::max<std::size_t>(1, options.block_draws);
    const std::size_t blocks = (count + block - 1) / block;
    const std::size_t total = options.total > 0 ? options.total : count;
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto worker = [&] {
        drawn_block drawn(block);
        for (std::size_t b = next++; b < blocks; b = next++) {
            if ((options.cancel && options.cancel->load()) || stop.load()) {
                stop = true;
                return;
            }
            const std::size_t first = first_draw + b * block;
            const std::size_t n = std::min(block, first_draw + count - first);
            try {
                for (std::size_t i = 0; i < n; ++i) set(first + i, drawn.parameters[i]);
                drawn.run(sim, options, n);
                finished(first, n, drawn);
            } catch (...) {
                const std::lock_guard lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                stop = true;
                return;
            }
            const std::size_t finished_draws = done += n;
            if (options.progress) options.progress(finished_draws, total);
        }
    };
    const unsigned threads =
        std::max(1u, std::min<unsigned>(options.threads, static_cast<unsigned>(std::max<std::size_t>(blocks, 1))));
    run_on_threads(threads, worker, stop);
    if (failure) std::rethrow_exception(failure);
}

/// How many draws the holders run before their block sums meet on the first holder: a few blocks of
/// draws a thread, unless the first holder would receive over 64 MiB of sums; then a block a thread.
std::size_t draws_a_chunk(const simulation& sim, const draw_run_options& options) {
    const std::size_t block = std::max<std::size_t>(1, options.block_draws);
    const std::size_t busy = block * std::max(1u, options.threads);
    const double sums_a_draw = 3.0 * static_cast<double>(sim.population_blocks() * sim.sums_per_block()) * 8.0;
    const auto fit = static_cast<std::size_t>(64.0 * (1 << 20) / sums_a_draw) / block * block;
    return std::max(busy, std::min(4 * busy, fit));
}

}  // namespace

bool run_draws_of(const simulation& sim, std::size_t count, const draw_run_options& options,
                  const std::function<void(std::size_t i, draw_parameters& parameters)>& set,
                  const std::function<void(std::size_t i, const finished_draw& draw)>& take) {
    // Business as usual's one resting run happens here, on the calling thread: where ranks hold the
    // school blocks it meets the other ranks, which only the calling thread may do.
    (void)sim.business_as_usual_at_rest();
    std::atomic<std::size_t> done{options.done_before};
    std::atomic<bool> stop{false};
    if (sim.holds_every_block()) {
        run_range(
            sim, options, 0, count, set,
            [&](std::size_t first, std::size_t n, drawn_block& drawn) {
                for (std::size_t i = 0; i < n; ++i) take(first + i, drawn.finished(i));
            },
            done, stop);
        return !stop.load();
    }
    // Every holder runs every draw over its blocks; a chunk at a time, their block sums meet on the
    // first holder, which finishes the means.
    const std::size_t chunk = draws_a_chunk(sim, options);
    drawn_block kept(chunk);
    for (std::size_t chunk_first = 0; chunk_first < count && !stop.load(); chunk_first += chunk) {
        const std::size_t n = std::min(chunk, count - chunk_first);
        run_range(
            sim, options, chunk_first, n, set,
            [&](std::size_t first, std::size_t m, drawn_block& drawn) { kept.take(first - chunk_first, drawn, m); },
            done, stop);
        if (stop.load()) break;
        std::vector<run_aggregates*> runs;
        for (std::size_t i = 0; i < n; ++i) kept.add_runs(i, runs);
        if (!sim.finish_across_holders(runs)) continue;
        for (std::size_t i = 0; i < n; ++i) take(chunk_first + i, kept.finished(i));
    }
    return !stop.load();
}

}  // namespace pathways
