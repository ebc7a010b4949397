#pragma once
/// \file
/// A roofline for the engine's propagation: the same arithmetic as the `linear` model, with none of
/// the engine's generality. For each evaluated node, out[c] = initial[c] + Σ_parents w·(cur[c] − ini[c])
/// over contiguous arrays, cells × nodes × years, in the engine's shape: blocks of 8 runs (each its
/// own edge weights), tiles of 256 cells, a row per node and run, every year of a tile before the next
/// tile, and the arithmetic built for AVX2 (with a baseline x86-64 fallback) as the engine's is. It
/// skips what the engine skips: business as usual stays at rest (the SDK's at-rest contract), so it
/// runs once, untimed, before the draws, and each draw's scenario runs only over the cells of schools
/// the plan reaches; its updates are counted as the engine's are (both runs, every cell).

#include <cstdint>

#include "reference_case.hpp"

namespace pathways::bench {

struct roofline_result {
    double updates = 0.0;  ///< cell-node-year updates made
    double seconds = 0.0;
    double checksum = 0.0;  ///< sum of the final values, so the work cannot be optimised away
};

/// Runs the kernel for `draws` draws (business as usual once, then the scenario per draw), one thread.
roofline_result run_roofline(const reference_case& ref, std::int64_t draws);

}  // namespace pathways::bench
