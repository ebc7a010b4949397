#include "signals.hpp"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <ctime>
#include <iostream>
#include <thread>

#include "common/exit_cleanup.hpp"

namespace pathways::cli {
namespace {

std::atomic<int>& received_signal() {
    static std::atomic<int> signal{0};
    return signal;
}

int exit_code_for(int signal) { return 128 + signal; }  // the shell's convention: 130 SIGINT, 143 SIGTERM

sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

void watch(sigset_t set) {
    int signal = 0;
    if (sigwait(&set, &signal) != 0) return;
    received_signal().store(signal);
    interrupted().store(true);
    // Commands that poll interrupted() stop and return on their own well within this; a second
    // signal ends the wait at once.
    const timespec grace{0, 500'000'000};
    sigtimedwait(&set, nullptr, &grace);
    constexpr char message[] = "pathways: interrupted; nothing written\n";
    const ssize_t ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
    (void)ignored;
    remove_registered_and_exit(exit_code_for(signal));
}

}  // namespace

void install_signal_handling() {
    const sigset_t set = stop_signals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread(watch, set).detach();
}

std::atomic<bool>& interrupted() {
    static std::atomic<bool> flag{false};
    return flag;
}

int interrupted_exit() {
    std::cerr << "pathways: interrupted; nothing written\n";
    const int signal = received_signal().load();
    return exit_code_for(signal == 0 ? SIGINT : signal);
}

}  // namespace pathways::cli
