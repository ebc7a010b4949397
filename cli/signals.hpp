#pragma once
// SIGINT and SIGTERM for every command, which stops cleanly (exit 130, or 143 for SIGTERM). The signals are blocked in every
// thread and taken by one watcher thread, so no code runs in a signal handler. On a signal the
// watcher sets `interrupted()`, which long work polls to stop cleanly (the engine's `cancel`);
// a command that has not ended half a second later (validate, effects, a blocked read) is ended
// by the watcher after it removes every temporary output and lock file. Either way the exit code
// is 130 for SIGINT and 143 for SIGTERM, and nothing is left behind.

#include <atomic>

namespace pathways::cli {

/// Blocks SIGINT and SIGTERM and starts the watcher; call first in main, before any thread starts.
void install_signal_handling();

/// Set when SIGINT or SIGTERM arrived.
std::atomic<bool>& interrupted();

/// Says "interrupted; nothing written" on stderr and returns 130 (SIGINT) or 143 (SIGTERM).
int interrupted_exit();

}  // namespace pathways::cli
