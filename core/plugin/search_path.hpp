#pragma once
/// \file
/// The ordered list of folders the plugin loader searches.

#include <filesystem>
#include <string>
#include <vector>

namespace pathways {

/// Where to look for plugins and how much to trust what is found there.
struct load_options {
    /// `--plugin-dir` folders, searched first, in the order given; relative ones resolve against the
    /// current folder.
    std::vector<std::filesystem::path> plugin_dirs;
    /// Loads plugins from world-writable folders (or below a world-writable folder without the sticky bit),
    /// through symlinks that leave the search path, and from relative `PATHWAYS_PLUGIN_PATH` entries
    /// (`--allow-untrusted-plugins`).
    bool allow_untrusted = false;
    /// Appends the entries of `PATHWAYS_PLUGIN_PATH` (colon-separated; empty entries are ignored; relative
    /// ones are left out unless `allow_untrusted`, since they would depend on the current folder).
    bool use_environment = true;
    /// Appends `<folder of the executable>/../lib/pathways/plugins`, which is both the install layout and
    /// the build-tree layout.
    bool use_executable_dir = true;
};

/// Name of the environment variable that adds plugin folders.
inline constexpr const char* plugin_path_variable = "PATHWAYS_PLUGIN_PATH";

/// The folders to search, in priority order, without duplicates (the first occurrence of a folder
/// wins). Every folder is absolute and lexically normal; folders that do not exist are kept, so
/// that error messages show everything that was searched.
class search_path {
public:
    static search_path from_options(const load_options& options);
    explicit search_path(std::vector<std::filesystem::path> folders);

    [[nodiscard]] const std::vector<std::filesystem::path>& folders() const { return folders_; }
    /// The relative `PATHWAYS_PLUGIN_PATH` entries, as written; searched (from the current folder) only
    /// when untrusted plugins are allowed.
    [[nodiscard]] const std::vector<std::filesystem::path>& relative_entries() const { return relative_entries_; }
    /// "a, b, c", or "no folders" when empty; for error messages.
    [[nodiscard]] std::string describe() const;

private:
    std::vector<std::filesystem::path> folders_;
    std::vector<std::filesystem::path> relative_entries_;
};

/// `<folder of the running executable>/../lib/pathways/plugins`, lexically normal; empty when the
/// executable's location cannot be determined.
std::filesystem::path executable_plugin_folder();

/// Splits a `PATHWAYS_PLUGIN_PATH`-style list at ':' and drops empty entries (an empty entry would
/// otherwise mean the current folder, which is not a safe place to load code from).
std::vector<std::filesystem::path> split_path_list(const std::string& list);

}  // namespace pathways
