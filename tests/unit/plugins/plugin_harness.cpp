#include "plugin_harness.hpp"

#include <dlfcn.h>

#include <limits>
#include <map>
#include <stdexcept>
#include <utility>

namespace pathways::test {
namespace {

class collecting_registrar final : public sdk::registrar {
public:
    void add(const sdk::effect_model_info& model) override { models_.push_back(model); }
    std::vector<sdk::effect_model_info> take() { return std::move(models_); }

private:
    std::vector<sdk::effect_model_info> models_;
};

loaded_plugin open_plugin(const std::string& name) {
    const std::string path = std::string(PATHWAYS_PLUGIN_BUILD_DIR) + "/libpathways_" + name + ".so";
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) throw std::runtime_error("cannot load " + path + ": " + dlerror());
    void* symbol = dlsym(handle, sdk::entry_symbol);
    if (symbol == nullptr) throw std::runtime_error(path + " has no " + sdk::entry_symbol);
    const auto entry_fn = reinterpret_cast<const sdk::plugin_entry* (*)()>(symbol);
    loaded_plugin plugin;
    plugin.entry = entry_fn();
    collecting_registrar registrar;
    plugin.entry->register_models(registrar);
    plugin.models = registrar.take();
    return plugin;
}

std::size_t slot_of(const sdk::effect_model_info& model, std::string_view name) {
    const int index = sdk::parameter_index(model.parameters, name);
    if (index < 0) {
        throw std::runtime_error("model " + std::string(model.name) + " has no parameter " + std::string(name));
    }
    return static_cast<std::size_t>(index);
}

}  // namespace

const loaded_plugin& load_plugin(const std::string& name) {
    static std::map<std::string, loaded_plugin> loaded;
    auto found = loaded.find(name);
    if (found == loaded.end()) found = loaded.emplace(name, open_plugin(name)).first;
    return found->second;
}

const sdk::effect_model_info& load_model(const std::string& name) {
    const loaded_plugin& plugin = load_plugin(name);
    if (plugin.models.size() != 1) {
        throw std::runtime_error(name + " registered " + std::to_string(plugin.models.size()) + " models");
    }
    return plugin.models.front();
}

std::vector<double> default_parameters(const sdk::effect_model_info& model) {
    std::vector<double> values;
    for (const sdk::parameter_spec& spec : model.parameters) values.push_back(spec.default_value);
    return values;
}

void set_parameter(std::vector<double>& values, const sdk::effect_model_info& model, std::string_view name,
                   double value) {
    values.at(slot_of(model, name)) = value;
}

node_case::node_case(std::size_t cells)
    : previous(cells, 0.0),
      initial(cells, 0.0),
      race(cells, static_cast<std::uint8_t>(sdk::race::white)),
      ell(cells, static_cast<std::uint8_t>(sdk::ell_status::non_ell)),
      frl(cells, 0),
      sped(cells, 0),
      grade_band(cells, static_cast<std::uint8_t>(sdk::grade_band::elementary)),
      students(cells, 100.0),
      baseline_achievement(cells, 0.0),
      years_of_exposure(cells, 0.0),
      implementation(cells, 0.0),
      baseline_implementation(cells, 0.0),
      foundations(cells, 0.0),
      school_effect(cells, 0.0),
      out_cells(cells) {}

std::vector<double> node_case::run(const sdk::effect_model_info& model) const {
    // One draw: every per-draw series is a single row; an empty one is passed as missing (null).
    const auto row = [](const std::vector<double>& values) {
        return sdk::block_values{values.empty() ? nullptr : values.data(), 0};
    };
    std::vector<sdk::parent_values> views;
    for (const parent_series& p : parents) {
        views.push_back(
            {p.id, p.kind, std::span<const double>(&p.weight, 1), row(p.current), row(p.previous), p.initial});
    }
    const sdk::cell_attributes cells{race,
                                     ell,
                                     frl,
                                     sped,
                                     grade_band,
                                     students,
                                     baseline_achievement,
                                     baseline_implementation,
                                     row(years_of_exposure),
                                     row(implementation),
                                     row(foundations),
                                     row(school_effect)};
    // NaN marks any cell the model forgot to write.
    std::vector<double> out(out_cells, std::numeric_limits<double>::quiet_NaN());
    // Test scores carry the roles the DPS model file gives them: "academic.achievement.<subject>"
    // accumulates, with that subject.
    constexpr std::string_view achievement = "academic.achievement.";
    const bool test_score = node_id.starts_with(achievement);
    const std::string subject = test_score ? node_id.substr(achievement.size()) : "";
    const sdk::evaluation e{node_id,    kind,
                            year_index, 1,
                            out_cells,  std::span<const double>(&pl_school_count, 1),
                            views,      row(previous),
                            initial,    with_cells ? &cells : nullptr,
                            parameters, {out.data(), out_cells},
                            test_score, subject};
    model.evaluate(e);
    return out;
}

}  // namespace pathways::test
