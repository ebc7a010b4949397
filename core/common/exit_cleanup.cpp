#include "common/exit_cleanup.hpp"

#include <unistd.h>

#include <chrono>
#include <set>

namespace pathways {
namespace {

std::timed_mutex& guard_mutex() {
    static std::timed_mutex mutex;
    return mutex;
}

std::mutex& registry_mutex() {
    static std::mutex mutex;
    return mutex;
}

std::set<std::filesystem::path>& registered() {
    static std::set<std::filesystem::path> paths;
    return paths;
}

}  // namespace

std::unique_lock<std::timed_mutex> output_guard() { return std::unique_lock<std::timed_mutex>(guard_mutex()); }

void register_for_cleanup(const std::filesystem::path& path) {
    const std::lock_guard<std::mutex> lock(registry_mutex());
    registered().insert(path);
}

void unregister_for_cleanup(const std::filesystem::path& path) {
    const std::lock_guard<std::mutex> lock(registry_mutex());
    registered().erase(path);
}

void remove_registered_and_exit(int code) noexcept {
    // A commit that is renaming a folder into place is let finish, so the target is whole either
    // way; the guard is then kept until _exit so that nothing new is created after the cleanup.
    const bool guarded = guard_mutex().try_lock_for(std::chrono::milliseconds(500));
    (void)guarded;
    if (registry_mutex().try_lock()) {
        for (const std::filesystem::path& path : registered()) {
            std::error_code ec;
            std::filesystem::remove_all(path, ec);
        }
    }
    ::_exit(code);
}

}  // namespace pathways
