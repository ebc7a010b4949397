// libFuzzer target for the position-tracking JSON parser and the model reader on top of it:
// any input must either parse or be rejected with diagnostics, never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/diagnostics.hpp"
#include "scenario/json_checks.hpp"
#include "scenario/json_reader.hpp"
#include "scenario/model_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    pathways::diagnostics found;
    // A small depth limit keeps each run fast while still exercising the limit check.
    const auto doc = pathways::json::parse(text, "fuzz.json", found, pathways::json::limits{32, 1u << 20});
    if (!doc) {
        if (!found.has_errors()) __builtin_trap();  // a rejection must always say why
        return 0;
    }
    for (const auto& [pointer, where] : doc->value_locations) {
        if (where.line == 0 || where.column == 0) __builtin_trap();
        (void)doc->key_where(pointer);
    }
    (void)pathways::read_model(*doc, found);
    for (const auto& item : found.items()) (void)pathways::format_diagnostic(item);
    return 0;
}
