// libFuzzer target for the text readers users hand pathways besides scenarios and models: observed
// data (CSV), parameter files (JSON), lavaan and DAGitty graphs, and anchor files. The first byte picks
// the reader, the rest is its input. Any input must either be read or be rejected with diagnostics,
// never crash, hang or leak; and nothing is read from an input with errors.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/diagnostics.hpp"
#include "scenario/anchor_reader.hpp"
#include "scenario/graph_syntax.hpp"
#include "scenario/observed_reader.hpp"
#include "scenario/parameter_file.hpp"

namespace {

/// Traps unless `read` and the diagnostics agree: a result without errors, or errors without a result.
template <typename Result>
void check(const Result& read, const pathways::diagnostics& found) {
    if (!read && !found.has_errors()) __builtin_trap();  // a rejection must always say why
    if (read && found.has_errors()) __builtin_trap();    // nothing is read from an input with errors
    for (const auto& item : found.items()) (void)pathways::format_diagnostic(item);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    pathways::diagnostics found;
    switch (data[0] % 5) {
        case 0: {
            const pathways::observed_context open{"", {}, 0, 0, false};
            check(pathways::read_observed_text(text, "fuzz-observed.csv", open, found), found);
            const pathways::observed_context scenario{"fuzz", {"academic.achievement.math"}, 2017, 2022};
            pathways::diagnostics again;
            check(pathways::read_observed_text(text, "fuzz-observed.csv", scenario, again), again);
            break;
        }
        case 1: check(pathways::read_parameter_text(text, "fuzz-parameters.json", found), found); break;
        case 2: check(pathways::read_lavaan(text, "fuzz.lav", found), found); break;
        case 3: check(pathways::read_dagitty(text, "fuzz.dag", found), found); break;
        default: check(pathways::read_anchors(text, "fuzz-anchors.json", found), found); break;
    }
    return 0;
}
