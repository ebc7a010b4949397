#include "thread_count.hpp"

#include <algorithm>
#include <iostream>
#include <thread>

namespace pathways::cli {

unsigned worker_threads(unsigned requested) {
    const unsigned available = std::max(1u, std::thread::hardware_concurrency());
    if (requested == 0) return available;
    if (requested <= available) return requested;
    std::cerr << "pathways: note: --threads " << requested << " is more than the " << available
              << " hardware threads of this machine; using " << available << "\n";
    return available;
}

}  // namespace pathways::cli
