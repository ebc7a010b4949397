#pragma once
// Loads the bundled effect-model plugins with plain dlopen (independent of the host's loader) and
// builds small hand-made evaluations for them.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pathways/sdk/effect_model.hpp"

namespace pathways::test {

inline const char* const bundled_plugins[] = {"linear", "saturating", "lagged", "subgroup", "evidence"};

struct loaded_plugin {
    const sdk::plugin_entry* entry = nullptr;
    std::vector<sdk::effect_model_info> models;
};

// Loads libpathways_<name>.so from the build's plugin folder once per process; never unloaded,
// so the registered string views stay valid. Throws std::runtime_error when loading fails.
const loaded_plugin& load_plugin(const std::string& name);

// The single model a bundled plugin registers.
const sdk::effect_model_info& load_model(const std::string& name);

std::vector<double> default_parameters(const sdk::effect_model_info& model);
void set_parameter(std::vector<double>& values, const sdk::effect_model_info& model, std::string_view name,
                   double value);

struct parent_series {
    std::string id;
    sdk::node_kind kind = sdk::node_kind::secondary_driver;
    double weight = 0.0;
    std::vector<double> current;
    std::vector<double> previous;
    std::vector<double> initial;
};

// One node of a hand-built graph over a few cells. Attributes default to a white, non-ELL,
// non-FRL, non-SPED elementary cell at the district mean in a school that has not started PL.
struct node_case {
    explicit node_case(std::size_t cells);

    std::string node_id = "agency.ownership";
    sdk::node_kind kind = sdk::node_kind::student_outcome;
    int year_index = 0;
    double pl_school_count = 0.0;
    std::vector<parent_series> parents;
    std::vector<double> previous;
    std::vector<double> initial;
    std::vector<double> parameters;

    std::vector<std::uint8_t> race;
    std::vector<std::uint8_t> ell;
    std::vector<std::uint8_t> frl;
    std::vector<std::uint8_t> sped;
    std::vector<std::uint8_t> grade_band;
    std::vector<double> students;
    std::vector<double> baseline_achievement;
    std::vector<double> years_of_exposure;
    std::vector<double> implementation;
    std::vector<double> baseline_implementation;
    std::vector<double> foundations;
    std::vector<double> school_effect;

    std::size_t out_cells;   // the evaluation's cell count; differs from the vectors' only in error tests
    bool with_cells = true;  // false passes a null cell_attributes pointer

    // Calls the model once and returns what it wrote.
    std::vector<double> run(const sdk::effect_model_info& model) const;
};

}  // namespace pathways::test
