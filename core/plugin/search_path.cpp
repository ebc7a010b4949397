#include "plugin/search_path.hpp"

#include <algorithm>
#include <cstdlib>
#include <system_error>

#include <boost/dll/runtime_symbol_info.hpp>

namespace pathways {

namespace {

std::filesystem::path absolute_normal(const std::filesystem::path& folder) {
    std::error_code ignored;
    std::filesystem::path absolute = std::filesystem::absolute(folder, ignored);
    if (absolute.empty()) absolute = folder;
    // Without the trailing separator, "a/" and "a" compare equal when removing duplicates.
    std::filesystem::path normal = absolute.lexically_normal();
    if (!normal.has_filename() && normal.has_parent_path() && normal != normal.root_path()) {
        normal = normal.parent_path();
    }
    return normal;
}

}  // namespace

search_path::search_path(std::vector<std::filesystem::path> folders) {
    for (const std::filesystem::path& folder : folders) {
        std::filesystem::path normal = absolute_normal(folder);
        if (std::find(folders_.begin(), folders_.end(), normal) == folders_.end()) {
            folders_.push_back(std::move(normal));
        }
    }
}

search_path search_path::from_options(const load_options& options) {
    std::vector<std::filesystem::path> folders = options.plugin_dirs;
    std::vector<std::filesystem::path> relative;
    if (options.use_environment) {
        if (const char* list = std::getenv(plugin_path_variable)) {
            for (std::filesystem::path& entry : split_path_list(list)) {
                if (entry.is_relative()) relative.push_back(entry);
                if (entry.is_absolute() || options.allow_untrusted) folders.push_back(std::move(entry));
            }
        }
    }
    if (options.use_executable_dir) {
        std::filesystem::path installed = executable_plugin_folder();
        if (!installed.empty()) folders.push_back(std::move(installed));
    }
    search_path path(std::move(folders));
    path.relative_entries_ = std::move(relative);
    return path;
}

std::string search_path::describe() const {
    if (folders_.empty()) return "no folders";
    std::string text;
    for (const std::filesystem::path& folder : folders_) {
        if (!text.empty()) text += ", ";
        text += folder.string();
    }
    return text;
}

std::filesystem::path executable_plugin_folder() {
    boost::dll::fs::error_code error;
    const boost::dll::fs::path program = boost::dll::program_location(error);
    if (error || program.empty()) return {};
    const std::filesystem::path executable(program.string());
    return (executable.parent_path() / ".." / "lib" / "pathways" / "plugins").lexically_normal();
}

std::vector<std::filesystem::path> split_path_list(const std::string& list) {
    std::vector<std::filesystem::path> entries;
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t end = std::min(list.find(':', start), list.size());
        if (end > start) entries.emplace_back(list.substr(start, end - start));
        start = end + 1;
    }
    return entries;
}

}  // namespace pathways
