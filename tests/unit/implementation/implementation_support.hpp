#pragma once
// What the implementation tests share: the embedded DPS model, diagnostics as text, and a small
// district's scenario written to a scratch folder with ratings and goals files.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../support/engine_fixture.hpp"
#include "common/diagnostics.hpp"
#include "engine/scenario_loader.hpp"
#include "engine/schedule.hpp"
#include "scenario/model_reader.hpp"

namespace pathways::test {

inline const model_definition& dps_model() {
    static const model_definition model = [] {
        diagnostics found;
        auto read = read_embedded_model(found);
        REQUIRE(read);
        return std::move(*read);
    }();
    return model;
}

inline std::vector<std::string> messages(const diagnostics& found) {
    std::vector<std::string> out;
    for (const diagnostic& d : found.items()) out.push_back(format_diagnostic(d));
    return out;
}

/// Whether some message contains every one of `parts`.
inline bool has_message(const std::vector<std::string>& all, const std::vector<std::string>& parts) {
    return std::any_of(all.begin(), all.end(), [&](const std::string& m) {
        return std::all_of(parts.begin(), parts.end(), [&](const std::string& p) { return m.find(p) != m.npos; });
    });
}

inline void write(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

/// A scratch copy of the small test district beside a scenario starting in 2017 that names `ratings`
/// (when not empty) and whose pilot wave names `goals` (when not empty).
inline void write_small_scenario(const std::filesystem::path& folder, const std::string& ratings,
                                 const std::string& goals, const std::string& implementation = "") {
    const std::filesystem::path districts = std::filesystem::path(PATHWAYS_TEST_DATA) / "data/malformed/districts";
    std::filesystem::create_directories(folder / "districts");
    for (const char* name : {"small.json", "small-schools.csv"})
        std::filesystem::copy_file(districts / name, folder / "districts" / name);
    const std::string wave_goals = goals.empty() ? "" : R"(, "goals": "goals.csv")";
    const std::string plan_ratings = ratings.empty() ? "" : R"("ratings": "ratings.csv", )";
    write(folder / "scenario.json", R"({"pathways": 1, "name": "ratings test", "model": "dps-personalized-learning",
  "district": "districts/small.json", "horizon": {"start_year": 2017, "years": 3},
  "effect_model": {"plugin": "linear", "parameters": {}}, "uncertainty": {"draws": 20, "seed": 7},
  "implementation": {)" + plan_ratings + implementation +
                                        R"("waves": [
    {"name": "pilot", "start_year": 2017, "schools": {"tag": "pl-pilot"}, "targets": {"*": 2.0})" +
                                        wave_goals + R"(}]},
  "report": {"subgroups": ["all"], "outcomes": ["academic.achievement.math"]}})");
    if (!ratings.empty()) write(folder / "ratings.csv", ratings);
    if (!goals.empty()) write(folder / "goals.csv", goals);
}

struct loaded_schedule {
    std::optional<loaded_scenario> loaded;
    std::unique_ptr<implementation_schedule> schedule;

    [[nodiscard]] double start(const std::string& school_id, const std::string& node) const {
        return schedule->start_level(school_index(school_id), driven_index(node));
    }
    [[nodiscard]] double target(const std::string& school_id, const std::string& node) const {
        return schedule->target_level(school_index(school_id), driven_index(node));
    }
    std::size_t school_index(const std::string& id) const {
        for (std::size_t s = 0; s < loaded->schools.size(); ++s) {
            if (loaded->schools[s].id == id) return s;
        }
        FAIL("no school " << id);
        return 0;
    }
    std::size_t driven_index(const std::string& id) const {
        const auto& driven = schedule->driven_nodes();
        for (std::size_t k = 0; k < driven.size(); ++k) {
            if (loaded->graph->definition().nodes[driven[k]].id == id) return k;
        }
        FAIL("no node " << id);
        return 0;
    }
};

inline loaded_schedule load_small(const std::filesystem::path& folder, diagnostics& found) {
    static const plugin_registry plugins = pathways::test::shipped_plugins();
    loaded_schedule out;
    out.loaded = load_scenario(folder / "scenario.json", "base", plugins, scenario_overrides{}, found);
    if (!out.loaded) return out;
    out.schedule = std::make_unique<implementation_schedule>(*out.loaded->graph, out.loaded->district,
                                                             out.loaded->schools, out.loaded->spec, found);
    return out;
}

}  // namespace pathways::test
