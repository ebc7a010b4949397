#include "rank_output.hpp"

#include <iostream>
#include <sstream>
#include <streambuf>

#include "run/ranks.hpp"

namespace pathways::cli {
namespace {

struct discard : std::streambuf {
    int overflow(int c) override { return c; }
};

/// A static of its own, built before any stream wrapper of later code and so destroyed after it:
/// the streams get their own buffers back before the runtime's last flush.
struct redirection {
    discard discarded;
    std::ostringstream errors;
    std::streambuf* cout = std::cout.rdbuf(&discarded);
    std::streambuf* cerr = std::cerr.rdbuf(errors.rdbuf());
    redirection() = default;
    redirection(const redirection&) = delete;
    redirection& operator=(const redirection&) = delete;
    ~redirection() {
        std::cout.rdbuf(cout);
        std::cerr.rdbuf(cerr);
    }
};

redirection* active = nullptr;

}  // namespace

void quiet_unless_rank_0() {
    if (is_root_rank() || active != nullptr) return;
    static redirection streams;
    active = &streams;
}

std::string captured_errors() { return active != nullptr ? active->errors.str() : std::string(); }

}  // namespace pathways::cli
