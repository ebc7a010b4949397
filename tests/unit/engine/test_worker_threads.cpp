// Starting worker threads: a refused thread is a clean error, and every thread that did start is joined
// (before, an exception from std::thread's constructor left started threads unjoined: std::terminate).
#include <atomic>
#include <system_error>

#include <catch2/catch.hpp>

#include "engine/worker_threads.hpp"

using namespace pathways;

TEST_CASE("all requested threads run the worker, the calling thread included") {
    std::atomic<int> runs{0};
    std::atomic<bool> stop{false};
    run_on_threads(
        4, [&] { ++runs; }, stop);
    CHECK(runs == 4);
    CHECK_FALSE(stop);
}

TEST_CASE("a thread the machine refuses stops the others, joins them and names the cause") {
    std::atomic<int> started{0};
    std::atomic<int> finished{0};
    std::atomic<bool> stop{false};
    // The worker runs until told to stop, so the test hangs if stop is never set, and std::terminate ends
    // it if a started thread is left unjoined.
    const auto worker = [&] {
        while (!stop.load()) std::this_thread::yield();
        ++finished;
    };
    const thread_starter refuse_third = [&](std::function<void()> work) {
        if (started == 2) throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
        ++started;
        return std::thread(std::move(work));
    };
    CHECK_THROWS_MATCHES(run_on_threads(8, worker, stop, refuse_third), resource_error,
                         Catch::Matchers::Message(
                             "cannot start worker thread 4 of 8: Resource temporarily unavailable; "
                             "use fewer --threads or raise the process limit (ulimit -u, "
                             "ulimit -v)"));
    CHECK(stop);
    CHECK(finished == 2);  // both started threads returned and were joined; the calling thread never ran it
}
