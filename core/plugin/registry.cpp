#include "plugin/registry.hpp"

#include <algorithm>
#include <set>
#include <system_error>
#include <utility>

#include "plugin/elf_file.hpp"
#include "plugin/plugin_error.hpp"
#include "plugin/plugin_library.hpp"
#include "plugin/plugin_metadata.hpp"
#include "plugin/validation.hpp"

namespace pathways {

namespace fs = std::filesystem;

namespace {

std::string single_quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

bool has_permission(const fs::path& path, fs::perms permission) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    return !error && (status.permissions() & permission) != fs::perms::none;
}

bool is_world_writable(const fs::path& path) { return has_permission(path, fs::perms::others_write); }

/// The nearest ancestor of `folder` that anyone may write and that lacks the sticky bit (so anyone could
/// rename `folder` away and put another in its place), or empty.
fs::path replaceable_ancestor(const fs::path& folder) {
    for (fs::path ancestor = folder.parent_path(); !ancestor.empty(); ancestor = ancestor.parent_path()) {
        if (is_world_writable(ancestor) && !has_permission(ancestor, fs::perms::sticky_bit)) return ancestor;
        if (ancestor == ancestor.root_path()) break;
    }
    return {};
}

}  // namespace

bool is_plugin_file_name(std::string_view file_name) {
    constexpr std::string_view prefix = "libpathways_";
    constexpr std::string_view suffix = ".so";
    return file_name.size() > prefix.size() + suffix.size() && file_name.starts_with(prefix) &&
           file_name.ends_with(suffix);
}

/// One discovery pass: the state that is only needed while loading.
class plugin_registry::loader {
public:
    loader(plugin_registry& registry, const load_options& options, diagnostics& problems)
        : registry_(registry), options_(options), problems_(problems) {
        for (const fs::path& folder : registry_.searched()) {
            std::error_code error;
            const fs::path canonical = fs::canonical(folder, error);
            if (!error) trusted_folders_.push_back(canonical);
        }
    }

    void run() {
        report_missing_plugin_dirs();
        report_relative_entries();
        for (const fs::path& folder : registry_.searched()) {
            for (const fs::path& file : plugin_files(folder)) load_file(folder, file);
        }
    }

private:
    void report_missing_plugin_dirs() {
        for (const fs::path& folder : options_.plugin_dirs) {
            std::error_code error;
            if (!fs::is_directory(folder, error)) {
                problems_.error(folder.string(), 0, 0, "",
                                "plugin folder " + single_quoted(folder.string()) +
                                    " does not exist or is not a folder");
            }
        }
    }

    void report_relative_entries() {
        for (const fs::path& entry : registry_.searched_.relative_entries()) {
            const std::string what =
                std::string(plugin_path_variable) + " entry " + single_quoted(entry.string()) + " is relative";
            if (options_.allow_untrusted) {
                problems_.add({entry.string(), 0, 0, "", severity::warning,
                               what + "; searching it from the current folder because untrusted plugins are allowed"});
            } else {
                problems_.error(entry.string(), 0, 0, "",
                                what +
                                    ", so what it finds depends on the current folder; expected an absolute "
                                    "path, or allow untrusted plugins explicitly (--allow-untrusted-plugins)");
            }
        }
    }

    static std::vector<fs::path> plugin_files(const fs::path& folder) {
        std::vector<fs::path> files;
        std::error_code error;
        for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
            if (is_plugin_file_name(it->path().filename().string())) files.push_back(it->path());
        }
        std::sort(files.begin(), files.end(),
                  [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
        return files;
    }

    void fail(const fs::path& file, const std::string& message) {
        problems_.error(file.string(), 0, 0, "", "plugin " + single_quoted(file.filename().string()) + ": " + message);
    }

    void fail_file(const fs::path& file, const std::string& message) {
        fail(file, message);
        ++registry_.failed_files_;
    }

    /// Why `file` is untrusted, or empty when it may be loaded.
    std::string distrust_reason(const fs::path& folder, const fs::path& target) const {
        const fs::path target_folder = target.parent_path();
        if (std::find(trusted_folders_.begin(), trusted_folders_.end(), target_folder) == trusted_folders_.end()) {
            return "it resolves to " + single_quoted(target.string()) + ", outside the plugin search path";
        }
        for (const fs::path& writable : {folder, target_folder}) {
            if (is_world_writable(writable)) {
                return "its folder " + single_quoted(writable.string()) + " is world-writable";
            }
        }
        if (is_world_writable(target)) return "the file is world-writable";
        const fs::path ancestor = replaceable_ancestor(target_folder);
        if (!ancestor.empty()) {
            return "its ancestor folder " + single_quoted(ancestor.string()) +
                   " is world-writable without the sticky bit, so anyone could replace the plugin folder";
        }
        return {};
    }

    bool trusted(const fs::path& folder, const fs::path& file, const fs::path& target) {
        const std::string reason = distrust_reason(folder, target);
        if (reason.empty()) return true;
        if (options_.allow_untrusted) {
            problems_.add({file.string(), 0, 0, "", severity::warning,
                           "plugin " + single_quoted(file.filename().string()) + ": loading although " + reason +
                               ", because untrusted plugins are allowed"});
            return true;
        }
        fail_file(file, "refusing to load: " + reason +
                            "; expected a file in a search-path folder that only its owner can write, or allow "
                            "untrusted plugins explicitly (--allow-untrusted-plugins)");
        return false;
    }

    void load_file(const fs::path& folder, const fs::path& file) {
        std::error_code error;
        const fs::path target = fs::canonical(file, error);
        if (error) {
            fail_file(file, "cannot resolve the file: " + error.message());
            return;
        }
        if (!loaded_targets_.insert(target).second) return;  // the same library reached through a symlink
        if (!fs::is_regular_file(target, error)) {
            fail_file(file, "not a regular file; expected a shared library");
            return;
        }
        if (!trusted(folder, file, target)) return;
        const std::optional<plugin_metadata> metadata = checked_metadata(file, target);
        if (!metadata) return;
        registry_.accepted_files_.push_back(file);
        std::vector<model_handle> declared;
        for (const declared_model& d : metadata->models) declared.push_back(d.model);
        const auto library = std::make_shared<const plugin_library>(file, target, std::move(declared));
        add_declared_models(file, *metadata, library);
    }

    /// The plugin's metadata, read from the file without loading it, after the structural, ABI and
    /// fingerprint checks; or nothing (with a diagnostic).
    std::optional<plugin_metadata> checked_metadata(const fs::path& file, const fs::path& target) {
        std::string problem;
        const std::optional<elf_plugin_facts> facts = read_elf_plugin(target, problem);
        if (!facts) {
            fail_file(file, problem);
            return std::nullopt;
        }
        if (!facts->has_metadata) {
            fail_file(file, std::string("no ") + single_quoted(sdk::metadata::section_name) +
                                " section; expected a plugin declared with PATHWAYS_EFFECT_PLUGIN of SDK ABI " +
                                std::to_string(sdk::abi_version) + " or later (rebuild older plugins)");
            return std::nullopt;
        }
        std::optional<plugin_metadata> metadata = decode_plugin_metadata(facts->metadata, file.string(), problem);
        if (!metadata) {
            fail_file(file, problem);
            return std::nullopt;
        }
        if (!facts->exports_entry) {
            fail_file(file, std::string("no entry symbol ") + single_quoted(sdk::entry_symbol) +
                                "; expected a plugin declared with PATHWAYS_EFFECT_PLUGIN");
            return std::nullopt;
        }
        return metadata;
    }

    void add_declared_models(const fs::path& file, const plugin_metadata& metadata,
                             const std::shared_ptr<const plugin_library>& library) {
        std::set<std::string> accepted;
        for (const declared_model& declared : metadata.models) {
            std::vector<sdk::parameter_spec> specs;
            std::vector<std::string> found = model_problems(declared_view(declared, specs));
            const std::string& name = declared.model.name;
            if (accepted.contains(name)) found.push_back("registered twice by this plugin");
            for (const std::string& problem : found) {
                fail(file, "effect model " + single_quoted(name) + ": " + problem);
                registry_.unusable_.try_emplace(name,
                                                "plugin " + single_quoted(file.filename().string()) + ": " + problem);
            }
            if (!found.empty()) continue;
            accepted.insert(name);
            model_handle model = declared.model;
            model.library = library;
            keep(file, std::move(model));
        }
    }

    void keep(const fs::path& file, model_handle model) {
        auto& models = registry_.models_;
        const auto first =
            std::find_if(models.begin(), models.end(), [&](const model_handle& m) { return m.name == model.name; });
        const auto first_file = first_files_.find(model.name);
        if (first == models.end() && first_file == first_files_.end()) {
            first_files_.emplace(model.name, file.string());
            models.push_back(std::move(model));
            return;
        }
        const std::string reason =
            "defined in both " + single_quoted(first_files_.at(model.name)) + " and " + single_quoted(file.string());
        problems_.error(file.string(), 0, 0, "",
                        "effect model " + single_quoted(model.name) + " is " + reason +
                            "; expected each name once on the plugin search path (remove one of the files or "
                            "take its folder off the search path)");
        registry_.unusable_.insert_or_assign(model.name, reason);
        if (first != models.end()) models.erase(first);
    }

    plugin_registry& registry_;
    const load_options& options_;
    diagnostics& problems_;
    std::vector<fs::path> trusted_folders_;
    std::set<fs::path> loaded_targets_;
    std::map<std::string, std::string> first_files_;  ///< model name -> file that defined it first
};

plugin_registry::plugin_registry(search_path searched) : searched_(std::move(searched)) {}
plugin_registry::plugin_registry(plugin_registry&& other) noexcept = default;
plugin_registry& plugin_registry::operator=(plugin_registry&& other) noexcept = default;
plugin_registry::~plugin_registry() = default;

plugin_registry plugin_registry::discover(const load_options& options, diagnostics& problems) {
    plugin_registry registry(search_path::from_options(options));
    loader(registry, options, problems).run();
    return registry;
}

const model_handle* plugin_registry::find(std::string_view name) const {
    const auto found =
        std::find_if(models_.begin(), models_.end(), [&](const model_handle& m) { return m.name == name; });
    return found == models_.end() ? nullptr : &*found;
}

const model_handle& plugin_registry::require(std::string_view name) const {
    const model_handle* model = find(name);
    if (model == nullptr) throw plugin_error(unknown_model_message(name));
    return *model;
}

std::string plugin_registry::unknown_model_message(std::string_view name) const {
    std::string text;
    if (const auto unusable = unusable_.find(name); unusable != unusable_.end()) {
        text = "effect model " + single_quoted(name) + " is unusable: " + unusable->second + "; searched: ";
    } else {
        std::vector<std::string> names;
        for (const model_handle& model : models_) names.push_back(model.name);
        const std::string suggestion = did_you_mean(name, names);
        text = "unknown effect model " + single_quoted(name) +
               (suggestion.empty() ? "; searched: " : suggestion + " searched: ");
    }
    text += searched_.describe();
    if (failed_files_ > 0) {
        text += "; " + std::to_string(failed_files_) + (failed_files_ == 1 ? " plugin file" : " plugin files") +
                " could not be loaded";
    }
    return text;
}

}  // namespace pathways
