#include "run/validate_scenario.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>

#include "engine/projection.hpp"
#include "engine/scenario_loader.hpp"
#include "engine/schedule.hpp"
#include "engine/simulation.hpp"

namespace pathways {
namespace {

/// The checks a run makes before its first draw: which schools each wave selects, the reported
/// subgroups and outcomes, and gaps against the profile's baselines.
void check_prepared_run(const simulation_inputs& inputs, diagnostics& found) {
    const simulation prepared(inputs, found);
    check_gap_baselines(prepared, inputs.spec, found);
}

void check_prepared_run(const loaded_scenario& loaded, diagnostics& found) {
    check_prepared_run({*loaded.graph, loaded.district, loaded.schools, loaded.cells, loaded.spec, *loaded.model},
                       found);
}

bool same_report(const report_settings& a, const report_settings& b) {
    return a.subgroups == b.subgroups && a.outcomes == b.outcomes && a.reference_groups == b.reference_groups;
}

/// Findings already reported for a scenario file (its base or an earlier variant), so that a
/// problem every variant inherits is reported once; a hash set keeps 10,000 variants linear.
class reported_once {
public:
    /// Adds `from` to `found` except findings seen before; `variant` (when not empty) prefixes the new ones.
    void add(const diagnostics& from, const std::string& variant, diagnostics& found) {
        for (diagnostic d : from.items()) {
            const std::string key = d.file + '\n' + std::to_string(d.line) + ':' + std::to_string(d.column) + '\n' +
                                    d.pointer + '\n' + d.message;
            if (!seen_.insert(key).second) continue;
            if (!variant.empty()) d.message = "in variant '" + variant + "': " + d.message;
            found.add(std::move(d));
        }
    }

private:
    std::unordered_set<std::string> seen_;
};

/// District, schools, population and model graph loaded once per pair of district and model files
/// the scenario's variants name; nullopt for a pair that failed to load (its errors are reported once).
using loaded_inputs = std::map<std::pair<std::filesystem::path, std::filesystem::path>, std::optional<loaded_scenario>>;

/// Checks one variant, rebuilding only what it changes: a variant on the same district and model
/// file is checked against what was loaded for them, and its waves against the schools alone
/// unless it changes what is reported.
void check_variant(scenario spec, loaded_inputs& loaded, const plugin_registry& registry, diagnostics& found) {
    // A horizon that failed to read (its error is already reported) leaves nothing to build a run on.
    if (spec.years < 1) return;
    const auto key = std::pair{spec.district_path, spec.model_path};
    const auto known = loaded.find(key);
    if (known == loaded.end()) {
        auto& fresh = loaded[key];
        fresh = load_scenario(std::move(spec), registry, {}, found);
        if (fresh) check_prepared_run(*fresh, found);
        return;
    }
    if (!known->second) return;
    const loaded_scenario& base = *known->second;
    const model_handle* model = check_scenario_on(spec, base, registry, found);
    if (model == nullptr) return;
    if (same_report(spec.report, base.spec.report) && model == base.model) {
        const implementation_schedule waves(*base.graph, base.district, base.schools, spec, found);
        return;
    }
    check_prepared_run({*base.graph, base.district, base.schools, base.cells, spec, *model}, found);
}

}  // namespace

void validate_scenario(const scenario_file& file, const plugin_registry& plugins, diagnostics& found) {
    reported_once reported;
    loaded_inputs loaded;
    diagnostics base_found;
    if (auto base = file.read("base", {}, base_found)) check_variant(std::move(*base), loaded, plugins, base_found);
    reported.add(base_found, "", found);
    for (const std::string& variant : file.variant_names()) {
        diagnostics variant_found;
        if (auto spec = file.read(variant, {}, variant_found))
            check_variant(std::move(*spec), loaded, plugins, variant_found);
        reported.add(variant_found, variant, found);
    }
}

}  // namespace pathways
