// Throughput of the engine on a shipped scenario, in one run: draws/s and cell-node-year updates/s
// at 1 thread and at all threads for the scenario's own effect model and for the `linear` model;
// the linear model against a NumPy reference (tests/bench/numpy_reference.py, when python3 with
// numpy is found) and against a roofline kernel of the same arithmetic.
// Usage: pathways_bench [SCENARIO] [DRAWS] [TILE_CELLS] [BLOCK_DRAWS]
//        (default: scenarios/denver-scale-up.json, 200, and projection_options' tile and block sizes)
//        pathways_bench --export DIR SCENARIO (writes the linear model's case for the NumPy reference)
#include <unistd.h>
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "engine/projection.hpp"
#include "engine/scenario_loader.hpp"
#include "reference_case.hpp"
#include "roofline.hpp"

namespace {

using namespace pathways;

const char* const numpy_script = PATHWAYS_SOURCE_ROOT "/tests/bench/numpy_reference.py";

/// A loaded scenario with its simulation, which refers into it: both stay where they were made.
struct prepared {
    std::unique_ptr<loaded_scenario> loaded;
    std::unique_ptr<simulation> sim;
};

std::optional<prepared> prepare(const std::string& file, const plugin_registry& registry,
                                const std::optional<std::string>& model) {
    scenario_overrides overrides;
    overrides.effect_model = model;
    diagnostics found;
    auto loaded = load_scenario(file, "base", registry, overrides, found);
    if (!loaded) {
        for (const diagnostic& d : found.items()) std::cerr << format_diagnostic(d) << '\n';
        return std::nullopt;
    }
    prepared out{std::make_unique<loaded_scenario>(std::move(*loaded)), nullptr};
    const loaded_scenario& l = *out.loaded;
    out.sim =
        std::make_unique<simulation>(simulation_inputs{*l.graph, l.district, l.schools, l.cells, l.spec, *l.model},
                                     found);
    if (found.has_errors()) {
        for (const diagnostic& d : found.items()) std::cerr << format_diagnostic(d) << '\n';
        return std::nullopt;
    }
    return out;
}

/// Tile and block sizes of every engine run (projection_options' defaults unless given).
projection_options shape;

double seconds_for(const simulation& sim, const scenario& spec, std::int64_t draws, unsigned threads) {
    projection_options options;
    options.tile_cells = shape.tile_cells;
    options.block_draws = shape.block_draws;
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

/// Draws/s at 1 thread and at all threads, and the updates one draw makes.
struct engine_rates {
    double draws_one = 0.0;
    double draws_all = 0.0;
    double updates_per_draw = 0.0;
};

engine_rates measure_engine(const prepared& p, std::int64_t draws, unsigned all, bool one_thread_only = false) {
    const simulation& sim = *p.sim;
    seconds_for(sim, p.loaded->spec, 4, 1);  // warm caches and the allocator
    const double one = seconds_for(sim, p.loaded->spec, draws, 1);
    const double many = one_thread_only ? one : seconds_for(sim, p.loaded->spec, draws, all);
    // Counted as a program that ran both courses over every cell would update: 2 runs × years ×
    // evaluated nodes × cells a draw. The engine runs business as usual once when it stays at rest
    // (the warm-up above takes that run) and the scenario only where the plan reaches.
    const double per_draw =
        2.0 * sim.years() * static_cast<double>(sim.evaluated_node_count()) * static_cast<double>(sim.cell_count());
    return {static_cast<double>(draws) / one, static_cast<double>(draws) / many, per_draw};
}

/// The first python3 that imports numpy: the one on PATH, then Debian's.
std::optional<std::string> python_with_numpy() {
    for (const char* candidate : {"python3", "/usr/bin/python3"}) {
        const std::string probe = std::string(candidate) + " -c 'import numpy' >/dev/null 2>&1";
        if (std::system(probe.c_str()) == 0) return candidate;
    }
    return std::nullopt;
}

/// Seconds per draw of the NumPy reference on the case in `dir`, or nullopt (with the reason printed).
/// OpenBLAS core-type overrides, set on some machines for old OpenBLAS builds, slow a current numpy:
/// they are unset for this command alone, and BLAS is held to one thread like the engine's 1-thread run.
std::optional<double> numpy_seconds_per_draw(const std::filesystem::path& dir, std::int64_t draws, std::uint64_t seed) {
    const auto python = python_with_numpy();
    if (!python) {
        std::printf("numpy reference      skipped: no python3 with numpy (Debian: apt-get install python3-numpy)\n");
        return std::nullopt;
    }
    const std::string command = "env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 " + *python +
                                " '" + numpy_script + "' '" + dir.string() + "' --draws " + std::to_string(draws) +
                                " --seed " + std::to_string(seed) + " 2>&1";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), &pclose);
    if (!pipe) return std::nullopt;
    std::optional<double> seconds;
    std::array<char, 512> line{};
    while (std::fgets(line.data(), static_cast<int>(line.size()), pipe.get()) != nullptr) {
        const std::string text(line.data());
        if (text.rfind("seconds_per_draw ", 0) == 0) seconds = std::atof(text.c_str() + 17);
        else std::printf("numpy reference      %s", text.c_str());
    }
    if (!seconds) std::printf("numpy reference      failed: %s printed no seconds_per_draw\n", numpy_script);
    return seconds;
}

int export_case(const std::filesystem::path& dir, const std::string& file, const plugin_registry& registry) {
    const auto linear = prepare(file, registry, "linear");
    if (!linear) return 2;
    const bench::reference_case ref = bench::build_reference_case(*linear->sim, *linear->loaded);
    bench::write_reference_case(ref, *linear->sim, *linear->loaded, dir);
    std::printf("wrote %s: %zu cells, %zu evaluated nodes, %d years\n", dir.c_str(), ref.cells, ref.evaluated.size(),
                ref.years);
    return 0;
}

std::string percent(double share) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f%%", 100.0 * share);
    return text;
}

std::string times(double ratio) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f×", ratio);
    return text;
}

void print_row(const char* what, double draws_per_s, double updates_per_s, const std::string& vs_numpy,
               const std::string& vs_roofline) {
    std::printf("| %s | %.1f | %.3g | %s | %s |\n", what, draws_per_s, updates_per_s, vs_numpy.c_str(),
                vs_roofline.c_str());
}

}  // namespace

int main(int argc, char** argv) {
    load_options plugins;
    plugins.plugin_dirs = {PATHWAYS_PLUGIN_BUILD_DIR};
    diagnostics found;
    const plugin_registry registry = plugin_registry::discover(plugins, found);
    if (argc == 4 && std::string(argv[1]) == "--export") return export_case(argv[2], argv[3], registry);

    const std::string file = argc > 1 ? argv[1] : PATHWAYS_SOURCE_ROOT "/scenarios/denver-scale-up.json";
    const std::int64_t draws = argc > 2 ? std::atoll(argv[2]) : 200;
    if (argc > 3) shape.tile_cells = static_cast<std::size_t>(std::atoll(argv[3]));
    if (argc > 4) shape.block_draws = static_cast<std::size_t>(std::atoll(argv[4]));
    if (draws <= 0 || shape.tile_cells == 0 || shape.block_draws == 0) {
        std::cerr << "usage: pathways_bench [SCENARIO] [DRAWS > 0] [TILE_CELLS > 0] [BLOCK_DRAWS > 0] | pathways_bench "
                     "--export DIR SCENARIO\n";
        return 2;
    }
    const auto own = prepare(file, registry, std::nullopt);
    const auto linear = prepare(file, registry, "linear");
    if (!own || !linear) return 2;
    const unsigned all = std::max(1u, std::thread::hardware_concurrency());
    const simulation& sim = *own->sim;
    std::printf("scenario             %s (%zu cells, %zu evaluated nodes, %d years, %lld draws)\n",
                own->loaded->spec.name.c_str(), sim.cell_count(), sim.evaluated_node_count(), sim.years(),
                static_cast<long long>(draws));
    std::printf("engine shape         blocks of %zu draws, tiles of %zu cells\n", shape.block_draws, shape.tile_cells);

    const engine_rates own_rates = measure_engine(*own, draws, all);
    const engine_rates linear_rates = measure_engine(*linear, draws, all);
    const bench::reference_case ref = bench::build_reference_case(*linear->sim, *linear->loaded);
    const bench::roofline_result roof = bench::run_roofline(ref, draws);
    const double roof_rate = roof.updates / roof.seconds;
    std::printf("roofline kernel      checksum %.6g\n", roof.checksum);

    std::error_code ignored;
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("pathways-bench-" + std::to_string(::getpid()));
    bench::write_reference_case(ref, *linear->sim, *linear->loaded, dir);
    const std::optional<double> numpy = numpy_seconds_per_draw(dir, draws, linear->loaded->spec.seed);
    std::filesystem::remove_all(dir, ignored);

    const double numpy_draws = numpy ? 1.0 / *numpy : 0.0;
    const auto vs_numpy = [&](double draws_per_s) {
        return numpy ? times(draws_per_s / numpy_draws) : std::string("skipped");
    };
    const auto vs_roof = [&](double updates_per_s) { return percent(updates_per_s / roof_rate); };
    std::printf("\n| what | draws/s | cell-node-year updates/s | × NumPy | %% of roofline |\n|---|---|---|---|---|\n");
    const std::string own_name = own->loaded->model->name;
    // NumPy computes the linear model only, so only the linear rows have a ratio to it.
    const auto row = [&](const std::string& what, const engine_rates& r, bool one, bool is_linear) {
        const double d = one ? r.draws_one : r.draws_all;
        print_row(what.c_str(), d, d * r.updates_per_draw, is_linear ? vs_numpy(d) : "—",
                  vs_roof(d * r.updates_per_draw));
    };
    row("engine, " + own_name + " model (the scenario's), 1 thread", own_rates, true, false);
    row("engine, " + own_name + " model, " + std::to_string(all) + " threads", own_rates, false, false);
    row("engine, linear model, 1 thread", linear_rates, true, true);
    row("engine, linear model, " + std::to_string(all) + " threads", linear_rates, false, true);
    // The other bundled models at 1 thread, against the linear model's rate (the target: within 2×).
    for (const char* name : {"lagged", "saturating", "subgroup", "evidence"}) {
        if (name == own_name) continue;
        const auto other = prepare(file, registry, std::string(name));
        if (!other) continue;
        const engine_rates rates = measure_engine(*other, draws, all, true);
        char what[96];
        std::snprintf(what, sizeof what, "engine, %s model, 1 thread (%.2f× linear's rate)", name,
                      rates.draws_one / linear_rates.draws_one);
        print_row(what, rates.draws_one, rates.draws_one * rates.updates_per_draw, "—",
                  vs_roof(rates.draws_one * rates.updates_per_draw));
    }
    if (numpy)
        print_row("NumPy reference, linear model, 1 thread", numpy_draws, numpy_draws * linear_rates.updates_per_draw,
                  "1.0×", vs_roof(numpy_draws * linear_rates.updates_per_draw));
    print_row("roofline kernel, linear arithmetic, 1 thread", roof_rate / linear_rates.updates_per_draw, roof_rate, "—",
              "100%");
    std::printf("\nparallel efficiency  %s (%s model), %s (linear model) on %u threads\n",
                percent(own_rates.draws_all / (own_rates.draws_one * all)).c_str(), own_name.c_str(),
                percent(linear_rates.draws_all / (linear_rates.draws_one * all)).c_str(), all);
    if (numpy) {
        std::printf("engine / NumPy       %.1f× per draw (linear model, 1 thread, end to end)\n",
                    linear_rates.draws_one / numpy_draws);
    }
    std::printf("engine / roofline    %s of the kernel's updates/s (linear model, 1 thread)\n",
                vs_roof(linear_rates.draws_one * linear_rates.updates_per_draw).c_str());
    return 0;
}
