#include "plugin/plugin_library.hpp"

#include <atomic>
#include <bit>
#include <map>
#include <mutex>
#include <utility>

#include <dlfcn.h>

#include <boost/dll/shared_library.hpp>

#include "plugin/plugin_error.hpp"
#include "plugin/validation.hpp"

namespace pathways {

namespace {

std::string single_quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

bool same_number(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

bool same_parameter(const parameter_info& a, const parameter_info& b) {
    const sdk::prior& pa = a.uncertainty;
    const sdk::prior& pb = b.uncertainty;
    return a.name == b.name && a.unit == b.unit && a.description == b.description && a.source == b.source &&
           a.evidence == b.evidence && a.type == b.type && same_number(a.default_value, b.default_value) &&
           same_number(a.min, b.min) && same_number(a.max, b.max) && pa.kind == pb.kind && same_number(pa.a, pb.a) &&
           same_number(pa.b, pb.b) && same_number(pa.lower, pb.lower) && same_number(pa.upper, pb.upper);
}

/// Empty when `registered` is exactly `declared`, else what differs.
std::string declaration_difference(const model_handle& declared, const model_handle& registered) {
    if (declared.name != registered.name) {
        return "metadata declares " + single_quoted(declared.name) + " where it registers " +
               single_quoted(registered.name);
    }
    const bool same = declared.version == registered.version && declared.description == registered.description &&
                      declared.calibration_parameter == registered.calibration_parameter &&
                      declared.parameters.size() == registered.parameters.size() &&
                      std::equal(declared.parameters.begin(), declared.parameters.end(), registered.parameters.begin(),
                                 same_parameter);
    return same ? std::string() : "model " + single_quoted(declared.name) + " is registered with other declarations";
}

/// Records what a plugin registers, unvalidated: the metadata was validated, this must equal it.
class recording_registrar final : public sdk::registrar {
public:
    void add(const sdk::effect_model_info& info) override { models.push_back(copy_model(info, {})); }
    std::vector<model_handle> models;
};

}  // namespace

struct plugin_library::state {
    std::once_flag once;
    std::atomic<bool> attempted{false};
    boost::dll::shared_library handle;
    std::string error;  ///< why loading failed; empty after success
    std::map<std::string, evaluate_function, std::less<>> functions;
};

plugin_library::plugin_library(std::filesystem::path file, std::filesystem::path target,
                               std::vector<model_handle> declared)
    : file_(std::move(file)),
      target_(std::move(target)),
      declared_(std::move(declared)),
      state_(std::make_unique<state>()) {}

plugin_library::~plugin_library() = default;

bool plugin_library::load_attempted() const { return state_->attempted.load(); }

namespace {

std::string open_library(const std::filesystem::path& target, boost::dll::shared_library& handle) {
    boost::dll::fs::error_code error;
    // rtld_now: an unresolved symbol fails here, not in the middle of a run. rtld_local: two plugins
    // with the same internal symbol names never bind to each other's definitions.
    handle.load(boost::dll::fs::path(target.string()),
                boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, error);
    if (!error) return {};
    const char* reason = dlerror();
    return std::string("cannot load: ") + (reason != nullptr ? reason : error.message());
}

/// The entry's own view of ABI and fingerprint, checked again: the metadata could lie.
std::string entry_problem(const sdk::plugin_entry* entry) {
    if (entry == nullptr) return "entry symbol returned a null pointer; expected a plugin_entry";
    if (entry->abi_version != sdk::abi_version) {
        return "ABI version mismatch: got " + std::to_string(entry->abi_version) + ", supported " +
               std::to_string(sdk::abi_version) + "; rebuild the plugin against this pathways SDK";
    }
    if (entry->fingerprint == nullptr || std::string_view(entry->fingerprint) != PATHWAYS_BUILD_FINGERPRINT) {
        return "build fingerprint mismatch in its entry: got " +
               single_quoted(entry->fingerprint == nullptr ? "(null)" : entry->fingerprint) + ", supported " +
               single_quoted(PATHWAYS_BUILD_FINGERPRINT);
    }
    if (entry->register_models == nullptr) return "register_models is null; expected a registration function";
    return {};
}

std::string registration_problem(const sdk::plugin_entry& entry, recording_registrar& registrar) {
    try {
        entry.register_models(registrar);
    } catch (const std::exception& e) {
        return std::string("registration failed: ") + e.what();
    } catch (...) {
        return "registration failed: it threw something that is not a std::exception";
    }
    return {};
}

}  // namespace

evaluate_function plugin_library::evaluate_of(std::string_view name) const {
    state& s = *state_;
    std::call_once(s.once, [&] {
        s.attempted = true;
        s.error = open_library(target_, s.handle);
        if (!s.error.empty()) return;
        if (!s.handle.has(sdk::entry_symbol)) {
            s.error = std::string("no entry symbol ") + single_quoted(sdk::entry_symbol);
            return;
        }
        const sdk::plugin_entry* entry = s.handle.get<const sdk::plugin_entry*()>(sdk::entry_symbol)();
        s.error = entry_problem(entry);
        if (!s.error.empty()) return;
        recording_registrar registrar;
        s.error = registration_problem(*entry, registrar);
        if (!s.error.empty()) return;
        if (registrar.models.size() != declared_.size()) {
            s.error = "its registration differs from its metadata: it registers " +
                      std::to_string(registrar.models.size()) + " models, its metadata declares " +
                      std::to_string(declared_.size());
            return;
        }
        for (std::size_t i = 0; i < declared_.size(); ++i) {
            const std::string difference = declaration_difference(declared_[i], registrar.models[i]);
            if (!difference.empty()) {
                s.error = "its registration differs from its metadata: " + difference;
                s.functions.clear();
                return;
            }
            s.functions.try_emplace(registrar.models[i].name, registrar.models[i].evaluate);
        }
    });
    if (!s.error.empty()) throw plugin_error(s.error);
    const auto found = s.functions.find(name);
    if (found == s.functions.end() || found->second == nullptr) {
        throw plugin_error("model " + single_quoted(name) + " has no evaluate function");
    }
    return found->second;
}

}  // namespace pathways
