// Throughput of the engine on a shipped scenario: cell-node-year updates per second on one
// thread, and Monte Carlo draws per second at 1 thread and at all threads.
// Usage: pathways_bench [SCENARIO] [DRAWS]   (default: scenarios/denver-scale-up.json, 200)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "engine/projection.hpp"
#include "engine/scenario_loader.hpp"

namespace {

using namespace pathways;

double seconds_for(const simulation& sim, const scenario& spec, std::int64_t draws, unsigned threads) {
    projection_options options;
    options.draws = draws;
    options.seed = spec.seed;
    options.threads = threads;
    options.min_n = spec.report.min_n;
    const auto start = std::chrono::steady_clock::now();
    const projection_draws result = run_draws(sim, spec, options);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (result.values.empty()) std::abort();
    return elapsed;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string file = argc > 1 ? argv[1] : PATHWAYS_SOURCE_ROOT "/scenarios/denver-scale-up.json";
    const std::int64_t draws = argc > 2 ? std::atoll(argv[2]) : 200;
    load_options plugins;
    plugins.plugin_dirs = {PATHWAYS_PLUGIN_BUILD_DIR};
    diagnostics found;
    const plugin_registry registry = plugin_registry::discover(plugins, found);
    auto loaded = load_scenario(file, "base", registry, {}, found);
    if (!loaded) {
        for (const diagnostic& d : found.items()) std::cerr << format_diagnostic(d) << '\n';
        return 2;
    }
    const simulation sim({*loaded->graph, loaded->district, loaded->schools, loaded->cells, loaded->spec, *loaded->model},
                         found);
    const unsigned all = std::max(1u, std::thread::hardware_concurrency());
    seconds_for(sim, loaded->spec, 4, 1);  // warm caches and the allocator

    const double one = seconds_for(sim, loaded->spec, draws, 1);
    const double many = seconds_for(sim, loaded->spec, draws, all);
    // Each draw runs the scenario and business as usual: 2 runs × years × evaluated nodes × cells.
    const double updates = 2.0 * static_cast<double>(draws) * sim.years() * static_cast<double>(sim.evaluated_node_count()) *
                           static_cast<double>(sim.cell_count());
    std::printf("scenario            %s (%s, %zu cells, %zu evaluated nodes, %d years)\n", loaded->spec.name.c_str(),
                loaded->model->name.c_str(), sim.cell_count(), sim.evaluated_node_count(), sim.years());
    std::printf("cell-node-year updates/s, 1 thread   %.3g\n", updates / one);
    std::printf("draws/s, 1 thread                    %.1f\n", static_cast<double>(draws) / one);
    std::printf("draws/s, %u threads                   %.1f\n", all, static_cast<double>(draws) / many);
    std::printf("parallel efficiency                  %.0f%%\n", 100.0 * one / (many * all));
    return 0;
}
