#include "console.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <iostream>

namespace pathways::cli {
namespace {

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char buffer[8];
            std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
            out += buffer;
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::string_view severity_name(severity level) {
    switch (level) {
        case severity::error: return "error";
        case severity::warning: return "warning";
        case severity::note: return "note";
    }
    return "error";
}

extern "C" void on_interrupt(int) { interrupted().store(true); }

}  // namespace

void print_diagnostics(diagnostics found, diagnostic_format format) {
    found.sort();
    if (format == diagnostic_format::text) {
        for (const diagnostic& d : found.items()) std::cerr << format_diagnostic(d) << '\n';
        return;
    }
    std::cout << "[";
    bool first = true;
    for (const diagnostic& d : found.items()) {
        std::cout << (first ? "\n" : ",\n") << "  {\"file\": " << json_string(d.file) << ", \"line\": " << d.line
                  << ", \"column\": " << d.column << ", \"pointer\": " << json_string(d.pointer)
                  << ", \"severity\": " << json_string(severity_name(d.level)) << ", \"message\": " << json_string(d.message)
                  << "}";
        first = false;
    }
    std::cout << (first ? "]\n" : "\n]\n");
}

std::atomic<bool>& interrupted() {
    static std::atomic<bool> flag{false};
    return flag;
}

void install_interrupt_handler() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

progress_display::progress_display(std::string label, bool quiet)
    : label_(std::move(label)), enabled_(!quiet && ::isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()) {}

progress_display::~progress_display() {
    if (enabled_) std::fprintf(stderr, "\r\033[K");
}

void progress_display::update(std::size_t done, std::size_t total) {
    if (!enabled_) return;
    const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const long long now_ms = static_cast<long long>(elapsed * 1000.0);
    long long last = last_draw_ms_.load();
    // Redraw at most ten times a second, and only from one thread at a time.
    if ((now_ms - last < 100 && done < total) || !last_draw_ms_.compare_exchange_strong(last, now_ms)) return;
    const double rate = elapsed > 0.0 ? static_cast<double>(done) / elapsed : 0.0;
    const double left = rate > 0.0 ? static_cast<double>(total - done) / rate : 0.0;
    std::fprintf(stderr, "\r\033[K%s: %zu/%zu draws, %.1f draws/s, %.0f s left", label_.c_str(), done, total, rate, left);
    std::fflush(stderr);
}

std::function<void(std::size_t, std::size_t)> progress_display::callback() {
    return [this](std::size_t done, std::size_t total) { update(done, total); };
}

}  // namespace pathways::cli
