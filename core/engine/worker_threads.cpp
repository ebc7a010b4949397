#include "engine/worker_threads.hpp"

#include <string>
#include <system_error>
#include <vector>

namespace pathways {

void run_on_threads(unsigned threads, const std::function<void()>& worker, std::atomic<bool>& stop,
                    const thread_starter& start) {
    std::vector<std::thread> pool;
    pool.reserve(threads);
    std::string failure;
    for (unsigned t = 1; t < threads && failure.empty(); ++t) {
        try {
            pool.push_back(start ? start(worker) : std::thread(worker));
        } catch (const std::system_error& error) {
            failure = "cannot start worker thread " + std::to_string(t + 1) + " of " + std::to_string(threads) + ": " +
                      error.code().message() +
                      "; use fewer --threads or raise the process limit (ulimit -u, ulimit -v)";
        }
    }
    // A joinable std::thread destroyed unjoined calls std::terminate: every started thread is joined,
    // whatever happened.
    if (failure.empty()) {
        worker();
    } else {
        stop = true;
    }
    for (std::thread& thread : pool) thread.join();
    if (!failure.empty()) throw resource_error(failure);
}

}  // namespace pathways
