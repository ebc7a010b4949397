#pragma once
/// \file
/// Finding, vetting and loading effect-model plugins.

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.hpp"
#include "plugin/model_handle.hpp"
#include "plugin/plugin_library.hpp"
#include "plugin/search_path.hpp"

namespace pathways {

/// File names the loader considers: `libpathways_<anything>.so`.
bool is_plugin_file_name(std::string_view file_name);

/// The effect models of every plugin found on the search path.
///
/// Lifetime: the plugin libraries stay loaded until the registry is destroyed, and every
/// `model_handle::evaluate` points into one of them, so the registry must outlive every use of a model
/// (keep it alive for the whole run). Nothing is unloaded earlier. After `discover` the registry is
/// immutable, so any number of threads may use it at once.
class plugin_registry {
public:
    /// Reads every `libpathways_*.so` of every search-path folder, in search-path order and then by file
    /// name, without loading any. A file is refused when it, its folder or an ancestor folder without the
    /// sticky bit is world-writable, or when it resolves (through a symlink) to a file outside the
    /// search-path folders, unless `options.allow_untrusted` is set. Then its ELF structure is checked (a
    /// truncated or corrupt file is refused, never loaded), and the metadata record of its
    /// `.pathways_meta` section: ABI version, then build fingerprint, then every declared model, validated
    /// and copied into host memory. A plugin's code first runs when one of its models is evaluated
    /// (`evaluate_checked`), which loads the library and checks its registration against the metadata.
    ///
    /// Every problem (a refused or broken file, an invalid model, a model name defined in two files, a
    /// `--plugin-dir` that does not exist, a relative `PATHWAYS_PLUGIN_PATH` entry) is added to `problems` naming the file; problems with one file
    /// never stop the others from loading. Models with problems are left out, and so are both copies of a
    /// duplicated name. Throws only std::bad_alloc.
    static plugin_registry discover(const load_options& options, diagnostics& problems);

    plugin_registry(plugin_registry&& other) noexcept;
    plugin_registry& operator=(plugin_registry&& other) noexcept;
    plugin_registry(const plugin_registry&) = delete;
    plugin_registry& operator=(const plugin_registry&) = delete;
    ~plugin_registry();

    /// The model called `name`, or null when it is unknown or was left out because of a problem.
    [[nodiscard]] const model_handle* find(std::string_view name) const;
    /// The model called `name`; throws plugin_error with `unknown_model_message(name)` when there is none.
    [[nodiscard]] const model_handle& require(std::string_view name) const;
    /// Every usable model, in discovery order (search path, file name, registration order).
    [[nodiscard]] const std::vector<model_handle>& models() const { return models_; }
    /// "unknown effect model 'x'; did you mean 'y'? searched: a, b, c", or, for a model that was found but
    /// left out, "effect model 'x' is unusable: <why>; searched: a, b, c". Mentions how many plugin files
    /// failed to load, if any.
    [[nodiscard]] std::string unknown_model_message(std::string_view name) const;
    /// The folders searched, in order (see `search_path`).
    [[nodiscard]] const std::vector<std::filesystem::path>& searched() const { return searched_.folders(); }
    /// The plugin files whose structure, metadata, ABI version and fingerprint passed the checks, in search
    /// order. None of them is loaded before one of its models runs.
    [[nodiscard]] const std::vector<std::filesystem::path>& accepted_files() const { return accepted_files_; }

private:
    class loader;

    explicit plugin_registry(search_path searched);

    search_path searched_;
    std::vector<model_handle> models_;  ///< each holds its plugin_library, which unloads after the last handle
    std::vector<std::filesystem::path> accepted_files_;
    std::map<std::string, std::string, std::less<>> unusable_;  ///< model name -> why it was left out
    std::size_t failed_files_ = 0;
};

}  // namespace pathways
