#pragma once
/// \file
/// Starting worker threads so that a machine that refuses one gives an error, not std::terminate.

#include <atomic>
#include <functional>
#include <stdexcept>
#include <thread>

namespace pathways {

/// Thrown when the machine refuses a resource a run needs, e.g. a thread under `ulimit -u`; the message
/// names the cause and what to change.
class resource_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Starts one thread running the given function (a seam for tests; the default is std::thread).
using thread_starter = std::function<std::thread(std::function<void()>)>;

/// Runs `worker` on `threads - 1` new threads and on the calling thread, then joins them all. When a
/// thread cannot be started (std::system_error), sets `stop` so the workers already running return early,
/// joins them, and throws resource_error, e.g. "cannot start worker thread 3 of 8: Resource temporarily
/// unavailable; use fewer --threads or raise the process limit (ulimit -u, ulimit -v)". `worker` must
/// return soon after `stop` is set.
void run_on_threads(unsigned threads, const std::function<void()>& worker, std::atomic<bool>& stop,
                    const thread_starter& start = {});

}  // namespace pathways
