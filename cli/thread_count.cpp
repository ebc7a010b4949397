#include "thread_count.hpp"

#include <sched.h>

#include <algorithm>
#include <iostream>
#include <thread>

#include "run/ranks.hpp"

namespace pathways::cli {
namespace {

/// The default: every hardware thread; under MPI, the cores the launcher bound this rank to (mpirun
/// binds each of up to two ranks to a core of its own; srun --cpu-bind=cores to its --cpus-per-task),
/// so that ranks × threads fill the machine without competing.
unsigned default_threads(unsigned hardware) {
    if (rank_count() == 1) return hardware;
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return hardware;
    return std::clamp(static_cast<unsigned>(CPU_COUNT(&allowed)), 1u, hardware);
}

}  // namespace

unsigned worker_threads(unsigned requested) {
    const unsigned available = std::max(1u, std::thread::hardware_concurrency());
    if (requested == 0) return default_threads(available);
    if (requested <= available) return requested;
    std::cerr << "pathways: note: --threads " << requested << " is more than the " << available
              << " hardware threads of this machine; using " << available << "\n";
    return available;
}

}  // namespace pathways::cli
