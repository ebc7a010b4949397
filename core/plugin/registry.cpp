#include "plugin/registry.hpp"

#include <algorithm>
#include <set>
#include <system_error>
#include <utility>

#include <dlfcn.h>

#include <boost/dll/shared_library.hpp>

#include "plugin/plugin_error.hpp"
#include "plugin/validation.hpp"

namespace pathways {

namespace fs = std::filesystem;

struct plugin_registry::library {
    boost::dll::shared_library handle;
};

namespace {

std::string single_quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

bool is_world_writable(const fs::path& path) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    return !error && (status.permissions() & fs::perms::others_write) != fs::perms::none;
}

/// Collects what a plugin registers, validating and copying each model as it arrives so that nothing
/// the host keeps points into plugin memory.
class host_registrar final : public sdk::registrar {
public:
    explicit host_registrar(std::string file) : file_(std::move(file)) {}

    void add(const sdk::effect_model_info& info) override {
        const std::string name(info.name);
        std::vector<std::string> found = model_problems(info);
        if (std::any_of(accepted_.begin(), accepted_.end(), [&](const model_handle& m) { return m.name == name; })) {
            found.push_back("registered twice by this plugin");
        }
        if (!found.empty()) {
            for (std::string& problem : found) rejected_.emplace_back(name, std::move(problem));
            return;
        }
        accepted_.push_back(copy_model(info, file_));
    }

    std::vector<model_handle>& accepted() { return accepted_; }
    const std::vector<std::pair<std::string, std::string>>& rejected() const { return rejected_; }

private:
    std::string file_;
    std::vector<model_handle> accepted_;
    std::vector<std::pair<std::string, std::string>> rejected_;  ///< model name, problem
};

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
        boost::dll::shared_library handle;
        if (!open(file, target, handle)) return;
        registry_.libraries_.push_back(std::make_unique<library>(library{std::move(handle)}));
        const sdk::plugin_entry* entry = checked_entry(file, registry_.libraries_.back()->handle);
        if (entry == nullptr) return;
        registry_.loaded_files_.push_back(file);
        register_models(file, *entry);
    }

    bool open(const fs::path& file, const fs::path& target, boost::dll::shared_library& handle) {
        boost::dll::fs::error_code error;
        // rtld_now: an unresolved symbol fails here, not in the middle of a run. rtld_local: two plugins
        // with the same internal symbol names never bind to each other's definitions.
        handle.load(boost::dll::fs::path(target.string()),
                    boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, error);
        if (!error) return true;
        const char* reason = dlerror();
        fail_file(file, std::string("cannot load: ") + (reason != nullptr ? reason : error.message()));
        return false;
    }

    /// The plugin's entry after the ABI and fingerprint checks, or null (with a diagnostic).
    const sdk::plugin_entry* checked_entry(const fs::path& file, const boost::dll::shared_library& handle) {
        if (!handle.has(sdk::entry_symbol)) {
            fail_file(file, std::string("no entry symbol ") + single_quoted(sdk::entry_symbol) +
                                "; expected a plugin declared with PATHWAYS_EFFECT_PLUGIN");
            return nullptr;
        }
        const sdk::plugin_entry* entry = handle.get<const sdk::plugin_entry*()>(sdk::entry_symbol)();
        if (entry == nullptr) {
            fail_file(file, "entry symbol returned a null pointer; expected a plugin_entry");
            return nullptr;
        }
        // Only abi_version is known to be where we look until it matches; check it before anything else.
        if (entry->abi_version != sdk::abi_version) {
            fail_file(file, "ABI version mismatch: got " + std::to_string(entry->abi_version) + ", supported " +
                                std::to_string(sdk::abi_version) + "; rebuild the plugin against this pathways SDK");
            return nullptr;
        }
        if (entry->fingerprint == nullptr) {
            fail_file(file, "build fingerprint is null; expected " + single_quoted(PATHWAYS_BUILD_FINGERPRINT));
            return nullptr;
        }
        if (std::string_view(entry->fingerprint) != PATHWAYS_BUILD_FINGERPRINT) {
            fail_file(file, "build fingerprint mismatch: got " + single_quoted(entry->fingerprint) + ", supported " +
                                single_quoted(PATHWAYS_BUILD_FINGERPRINT) +
                                "; rebuild the plugin with the same compiler, Boost, Eigen and build type");
            return nullptr;
        }
        if (entry->register_models == nullptr) {
            fail_file(file, "register_models is null; expected a registration function");
            return nullptr;
        }
        return entry;
    }

    void register_models(const fs::path& file, const sdk::plugin_entry& entry) {
        host_registrar registrar(file.string());
        try {
            entry.register_models(registrar);
        } catch (const std::exception& e) {
            fail_file(file, std::string("registration failed: ") + e.what());
            return;
        } catch (...) {
            fail_file(file, "registration failed: it threw something that is not a std::exception");
            return;
        }
        for (const auto& [name, problem] : registrar.rejected()) {
            fail(file, "effect model " + single_quoted(name) + ": " + problem);
            registry_.unusable_.try_emplace(name, "plugin " + single_quoted(file.filename().string()) + ": " + problem);
        }
        for (model_handle& model : registrar.accepted()) keep(file, std::move(model));
    }

    void keep(const fs::path& file, model_handle model) {
        auto& models = registry_.models_;
        const auto first = std::find_if(models.begin(), models.end(),
                                        [&](const model_handle& m) { return m.name == model.name; });
        const auto first_file = first_files_.find(model.name);
        if (first == models.end() && first_file == first_files_.end()) {
            first_files_.emplace(model.name, file.string());
            models.push_back(std::move(model));
            return;
        }
        const std::string reason = "defined in both " + single_quoted(first_files_.at(model.name)) + " and " +
                                   single_quoted(file.string());
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
