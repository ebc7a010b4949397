#pragma once
/// \file
/// A plugin file whose metadata passed the checks, loaded only when one of its models first runs.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pathways/sdk/effect_model.hpp"
#include "plugin/model_handle.hpp"

namespace pathways {

using evaluate_function = void (*)(const sdk::evaluation&);

/// Loads the library on first use from any thread (once; later callers wait and share the outcome), then
/// keeps it loaded until the last `model_handle` pointing here is gone, so no code is unloaded while
/// anything can still call it.
class plugin_library {
public:
    /// `file` is the path named in messages, `target` the resolved file to load, `declared` what its
    /// metadata declares (every model, in order), which its registration must match exactly.
    plugin_library(std::filesystem::path file, std::filesystem::path target, std::vector<model_handle> declared);
    plugin_library(const plugin_library&) = delete;
    plugin_library& operator=(const plugin_library&) = delete;
    ~plugin_library();

    /// The evaluate function of model `name`. Loads the library first if no one has (RTLD_NOW |
    /// RTLD_LOCAL), checks the entry's ABI version and fingerprint again, calls its registration and
    /// compares what it registers with the metadata. Throws plugin_error with the reason ("cannot load:
    /// ...", "registration failed: ...", "its registration differs from its metadata: ...") when any step
    /// failed, now or on an earlier call.
    [[nodiscard]] evaluate_function evaluate_of(std::string_view name) const;
    /// True once a load was attempted (successful or not).
    [[nodiscard]] bool load_attempted() const;
    [[nodiscard]] const std::filesystem::path& file() const { return file_; }

private:
    struct state;

    std::filesystem::path file_;
    std::filesystem::path target_;
    std::vector<model_handle> declared_;
    std::unique_ptr<state> state_;
};

}  // namespace pathways
