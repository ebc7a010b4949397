// libFuzzer target for the ratings reader (school ratings on the Driver Model, and goals of the same
// shape): any input must either read as ratings or be rejected with diagnostics, never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/diagnostics.hpp"
#include "scenario/model_reader.hpp"
#include "scenario/ratings_reader.hpp"

namespace {

const pathways::model_definition& model() {
    static const pathways::model_definition definition = [] {
        pathways::diagnostics found;
        auto read = pathways::read_embedded_model(found);
        if (!read) __builtin_trap();
        return *read;
    }();
    return definition;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const bool rater_required : {true, false}) {
        pathways::ratings_context context;
        context.model = &model();
        context.schools = {"den-e020", "den-e038", "den-k012", "s-e1"};
        context.district_file = "fuzz-schools.csv";
        context.rater_required = rater_required;
        pathways::diagnostics found;
        const auto ratings = pathways::read_ratings_text(text, "fuzz-ratings.csv", context, found);
        if (!ratings && !found.has_errors()) __builtin_trap();  // a rejection must always say why
        if (ratings && found.has_errors()) __builtin_trap();    // nothing is read from a file with errors
        for (const auto& item : found.items()) (void)pathways::format_diagnostic(item);
    }
    return 0;
}
