#include "console.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <streambuf>
#include <string_view>
#include <unordered_map>

#include "common/text_safety.hpp"
#include "run/ranks.hpp"
#include "scenario/json_writer.hpp"

namespace pathways::cli {
namespace {

/// Text output shows this many findings of one kind; JSON output shows every finding.
constexpr std::size_t max_of_a_kind = 20;

/// Forwards to another stream buffer, escaping control characters other than newline and tab.
class escaping_buffer : public std::streambuf {
public:
    explicit escaping_buffer(std::streambuf* target) : target_(target) {}

protected:
    int_type overflow(int_type c) override {
        if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
        const char ch = traits_type::to_char_type(c);
        return put(std::string_view(&ch, 1)) ? c : traits_type::eof();
    }
    std::streamsize xsputn(const char* text, std::streamsize size) override {
        return put(std::string_view(text, static_cast<std::size_t>(size))) ? size : 0;
    }
    int sync() override { return target_->pubsync(); }

private:
    bool put(std::string_view text) {
        std::string out;
        std::size_t start = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            const auto byte = static_cast<unsigned char>(text[i]);
            if ((byte >= 0x20 && byte != 0x7f) || text[i] == '\n' || text[i] == '\t') continue;
            out.append(text.substr(start, i - start));
            out += terminal_text(text.substr(i, 1));
            start = i + 1;
        }
        if (start == 0)
            return target_->sputn(text.data(), static_cast<std::streamsize>(text.size())) ==
                   static_cast<std::streamsize>(text.size());
        out.append(text.substr(start));
        return target_->sputn(out.data(), static_cast<std::streamsize>(out.size())) ==
               static_cast<std::streamsize>(out.size());
    }
    std::streambuf* target_;
};

/// Routes a standard stream through an escaping_buffer for as long as it lives. Made after the
/// standard streams, it is destroyed before they are flushed at exit, so it hands the stream its
/// own buffer back first: a stream left pointing at a destroyed buffer crashes that final flush.
class escaping_stream {
public:
    explicit escaping_stream(std::ostream& stream) : stream_(stream), original_(stream.rdbuf()), buffer_(original_) {
        stream_.rdbuf(&buffer_);
    }
    ~escaping_stream() {
        stream_.flush();
        stream_.rdbuf(original_);
    }
    escaping_stream(const escaping_stream&) = delete;
    escaping_stream& operator=(const escaping_stream&) = delete;

private:
    std::ostream& stream_;
    std::streambuf* original_;
    escaping_buffer buffer_;
};

/// The kind of a message: quoted names and numbers blanked, so "in variant 'v1': 0 is out of range"
/// and "in variant 'v2': 7 is out of range" are the same kind.
std::string message_template(std::string_view message) {
    std::string shape;
    bool quoted = false;
    for (const char c : message) {
        if (c == '\'') {
            quoted = !quoted;
            shape += c;
        } else if (quoted) {
            continue;
        } else if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
            if (shape.empty() || shape.back() != '#') shape += '#';
        } else {
            shape += c;
        }
    }
    return shape;
}

/// Prints findings as text, at most `max_of_a_kind` of each message template; the rest are counted
/// in one line after the last shown, so 10,000 variants with the same mistake stay readable.
void print_text(const diagnostics& found) {
    std::unordered_map<std::string, std::size_t> total;
    for (const diagnostic& d : found.items()) ++total[message_template(d.message)];
    std::unordered_map<std::string, std::size_t> shown;
    for (const diagnostic& d : found.items()) {
        const std::string kind = message_template(d.message);
        const std::size_t count = ++shown[kind];
        if (count <= max_of_a_kind) std::cerr << format_diagnostic(d) << '\n';
        if (count == max_of_a_kind && total[kind] > max_of_a_kind) {
            std::cerr << "... and " << total[kind] - max_of_a_kind << " more like this\n";
        }
    }
    if (found.items().size() > max_of_a_kind) {
        const auto errors = std::count_if(found.items().begin(), found.items().end(),
                                          [](const diagnostic& d) { return d.level == severity::error; });
        std::cerr << errors << (errors == 1 ? " error" : " errors") << " in all\n";
    }
}

}  // namespace

int unless_interrupted(int code) { return code == exit_ok && interrupted() ? interrupted_exit() : code; }

void escape_control_characters_on_terminal() {
    static escaping_stream errors(std::cerr);
    if (::isatty(STDOUT_FILENO) != 0) static escaping_stream output(std::cout);
}

void print_diagnostics(diagnostics found, diagnostic_format format) {
    found.sort();
    if (format == diagnostic_format::text) {
        print_text(found);
        return;
    }
    json::value::array items;
    for (const diagnostic& d : found.items()) {
        items.push_back(json::value()
                            .set("file", d.file)
                            .set("line", d.line)
                            .set("column", d.column)
                            .set("pointer", d.pointer)
                            .set("severity", severity_name(d.level))
                            .set("message", d.message));
    }
    std::cout << json::to_text(items);
}

progress_display::progress_display(std::string label, bool quiet)
    : label_(std::move(label)),
      enabled_(!quiet && ::isatty(STDERR_FILENO) != 0 && is_root_rank()),
      start_(std::chrono::steady_clock::now()) {}

progress_display::~progress_display() {
    if (enabled_) fmt::print(stderr, "\r\033[K");
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
    fmt::print(stderr, "\r\033[K{}: {}/{} draws, {:.1f} draws/s, {:.0f} s left", label_, done, total, rate, left);
    std::fflush(stderr);
}

std::function<void(std::size_t, std::size_t)> progress_display::callback() {
    return [this](std::size_t done, std::size_t total) { update(done, total); };
}

}  // namespace pathways::cli
