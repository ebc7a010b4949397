#pragma once
/// \file
/// Runs many draws of a simulation (Monte Carlo draws, sensitivity sample rows) in blocks over worker
/// threads, and, where ranks hold the population's school blocks (`--split schools`), meets the other
/// holders a chunk of draws at a time so that the first holder gets every draw's finished means.
/// Each draw's bits depend neither on its block, nor on its thread, nor on the holders.

#include <atomic>
#include <cstddef>
#include <functional>

#include "engine/simulation.hpp"

namespace pathways {

struct draw_run_options {
    unsigned threads = 1;
    std::size_t block_draws = 8;  ///< draws evaluated together
    std::size_t tile_cells = simulation::default_tile_cells;
    bool sustained_course = false;  ///< also run a cut draw as if its program were sustained
    const std::atomic<bool>* cancel = nullptr;
    /// Draws done (of `total`), from worker threads; `done` counts from `done_before`.
    std::function<void(std::size_t done, std::size_t total)> progress;
    std::size_t done_before = 0;
    std::size_t total = 0;  ///< 0: the draws of this call
};

/// One finished draw: its parameters, its runs, and its sustained course when it was cut and rerun.
struct finished_draw {
    const draw_parameters& parameters;
    const draw_result& runs;
    const run_aggregates* sustained = nullptr;  ///< null unless the draw was cut and `sustained_course`
};

/// Runs draws [0, count): `set(i, parameters)` gives draw i's parameters, `take(i, draw)` gets it
/// finished. Where the simulation holds every block, `take` is called on the worker threads (each
/// draw once, any order); otherwise every holder runs every draw over its blocks and `take` is called
/// on the first holder alone, on the calling thread. Returns false when cancelled (through
/// `options.cancel` or a failure); a worker's exception is rethrown on the calling thread.
bool run_draws_of(const simulation& sim, std::size_t count, const draw_run_options& options,
                  const std::function<void(std::size_t i, draw_parameters& parameters)>& set,
                  const std::function<void(std::size_t i, const finished_draw& draw)>& take);

}  // namespace pathways
