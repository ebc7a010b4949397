// libFuzzer target for the model reader and the graph checks on top of it (unknown nodes, cycles, size and
// depth limits): any input must either build a model graph or be rejected with diagnostics, never crash,
// hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/diagnostics.hpp"
#include "graph/model_graph.hpp"
#include "scenario/json_reader.hpp"
#include "scenario/model_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    pathways::diagnostics found;
    const auto doc = pathways::json::parse(text, "fuzz-model.json", found, pathways::json::limits{32, 1u << 20});
    if (!doc) {
        if (!found.has_errors()) __builtin_trap();  // a rejection must always say why
        return 0;
    }
    auto model = pathways::read_model(*doc, found);
    if (!model) {
        if (!found.has_errors()) __builtin_trap();
        return 0;
    }
    const auto graph = pathways::model_graph::build(std::move(*model), found);
    if (!graph && !found.has_errors()) __builtin_trap();
    for (const auto& item : found.items()) (void)pathways::format_diagnostic(item);
    return 0;
}
