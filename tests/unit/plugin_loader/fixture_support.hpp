#pragma once
// Shared helpers for the plugin loader tests: fixture folders, isolated load options, temporary folders.

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

#include "common/diagnostics.hpp"
#include "plugin/registry.hpp"

namespace pathways::testing {

inline std::filesystem::path fixture_folder(const std::string& name) {
    return std::filesystem::path(PATHWAYS_FIXTURE_PLUGIN_DIR) / name;
}

inline std::filesystem::path fixture_file(const std::string& name) {
    return fixture_folder(name) / ("libpathways_" + name + ".so");
}

/// Only the given folders: neither the environment nor the shipped plugins leak into a test.
inline load_options only(std::vector<std::filesystem::path> folders) {
    load_options options;
    options.plugin_dirs = std::move(folders);
    options.use_environment = false;
    options.use_executable_dir = false;
    return options;
}

inline std::vector<std::string> messages(const diagnostics& found) {
    std::vector<std::string> texts;
    for (const diagnostic& d : found.items()) texts.push_back(d.message);
    return texts;
}

/// A fresh folder under the system temporary folder, removed with everything in it at scope exit.
class temp_folder {
public:
    explicit temp_folder(std::filesystem::perms permissions = std::filesystem::perms::owner_all |
                                                              std::filesystem::perms::group_read |
                                                              std::filesystem::perms::group_exec |
                                                              std::filesystem::perms::others_read |
                                                              std::filesystem::perms::others_exec) {
        static std::atomic<int> counter{0};
        path_ = std::filesystem::temp_directory_path() /
                ("pathways-plugin-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(path_);
        std::filesystem::permissions(path_, permissions);
    }
    temp_folder(const temp_folder&) = delete;
    temp_folder& operator=(const temp_folder&) = delete;
    ~temp_folder() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace pathways::testing
