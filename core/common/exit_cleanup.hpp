#pragma once
/// \file
/// What a signal must remove before the process ends: temporary folders and files of outputs not
/// yet committed, and the lock files of output folders. Code that creates or moves files inside a
/// registered path holds `output_guard()`, so a signal's cleanup never races with it and never
/// runs in the middle of the rename that commits a results folder.

#include <filesystem>
#include <mutex>

namespace pathways {

/// Held while files are created in, or renamed out of, a registered temporary path.
[[nodiscard]] std::unique_lock<std::timed_mutex> output_guard();

/// `path` (a file or a folder) is removed by `remove_registered_and_exit`.
void register_for_cleanup(const std::filesystem::path& path);
void unregister_for_cleanup(const std::filesystem::path& path);

/// Removes every registered path and ends the process with `code`, without running destructors
/// (another thread may be using them). Waits at most half a second for a holder of
/// `output_guard()`, then keeps the guard so that no new file appears after the cleanup.
[[noreturn]] void remove_registered_and_exit(int code) noexcept;

}  // namespace pathways
