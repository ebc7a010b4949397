// Parameter files that replace priors (what calibrate --observed writes): read, written, and applied
// by the loader to the model graph's edges and the effect model's parameters, with every error.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "../support/engine_fixture.hpp"
#include "engine/scenario_loader.hpp"
#include "scenario/parameter_file.hpp"

namespace {

using namespace pathways;

const std::string pilot = std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-pilot-2015.json";

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::temp_directory_path() / ("pathways-prior-" + name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

std::vector<std::string> messages(const diagnostics& found) {
    std::vector<std::string> out;
    for (const diagnostic& d : found.items()) out.push_back(format_diagnostic(d));
    return out;
}

}  // namespace

TEST_CASE("a parameter file of priors round-trips with its observed provenance", "[parameter-file][priors]") {
    parameter_file file;
    file.model = "lagged";
    file.parameters = {{"persistence", 0.6, {}}};
    file.priors = {{"edge:a->b", {sdk::prior_kind::truncated_normal, 0.1, 0.03, 0.0, 0.2}, {}},
                   {"edge:self_efficacy->academic.achievement.math", {sdk::prior_kind::normal, 0.05, 0.02, 0, 0}, {}},
                   {"parameter:scale", {sdk::prior_kind::lognormal, -0.1, 0.2, 0, 0}, {}}};
    file.provenance.scenario = "scenarios/denver-pilot-2015.json";
    file.provenance.pathways_version = "0.1.0";
    file.provenance.observed = "obs.csv";
    file.provenance.observed_sha256 = std::string(64, 'a');
    file.provenance.method = "importance-weighted posterior";
    file.provenance.created = "2026-11-24T19:00:00Z";
    file.provenance.draws = 2000;
    file.provenance.effective_sample_size = 412.5;
    const auto path = write_temp("round-trip.json", parameter_file_json(file));
    diagnostics found;
    const auto read = read_parameter_file(path, found);
    REQUIRE(read);
    CHECK(found.items().empty());
    REQUIRE(read->priors.size() == 3);  // in key order
    CHECK(read->priors[0].input == "edge:a->b");
    CHECK(read->priors[0].prior.kind == sdk::prior_kind::truncated_normal);
    CHECK(read->priors[0].prior.upper == 0.2);
    CHECK(read->priors[1].input == "edge:self_efficacy->academic.achievement.math");
    CHECK(read->priors[1].prior.kind == sdk::prior_kind::normal);
    CHECK(read->priors[1].prior.a == 0.05);
    CHECK(read->priors[1].prior.b == 0.02);
    CHECK(read->priors[1].where.line == 7);
    CHECK(read->priors[1].where.pointer == "/priors/edge:self_efficacy->academic.achievement.math");
    CHECK(read->priors[2].prior.kind == sdk::prior_kind::lognormal);
    CHECK(read->provenance.observed_sha256 == std::string(64, 'a'));
    CHECK(read->provenance.draws == 2000);
    CHECK(read->provenance.effective_sample_size == 412.5);
    CHECK(read->provenance.created == "2026-11-24T19:00:00Z");
    CHECK(parameter_file_json(*read) == parameter_file_json(file));
    std::filesystem::remove(path);
}

TEST_CASE("a file of priors alone may leave parameters empty, and every prior error is reported",
          "[parameter-file][priors][errors]") {
    const auto fine = write_temp("priors-only.json",
                                 "{\"pathways_parameters\": 1, \"model\": \"linear\", \"parameters\": {},\n"
                                 " \"priors\": {\"parameter:scale\": {\"dist\": \"fixed\", \"value\": 1.5}}}");
    diagnostics none;
    const auto read = read_parameter_file(fine, none);
    REQUIRE(read);
    CHECK(read->parameters.empty());
    CHECK(read->priors.size() == 1);
    std::filesystem::remove(fine);

    const auto bad = write_temp("bad-priors.json",
                                "{\"pathways_parameters\": 1, \"model\": \"linear\", \"parameters\": {},\n"
                                " \"priors\": {\"scale\": {\"dist\": \"normal\", \"mean\": 1, \"sd\": 0.1},\n"
                                "  \"edge:a->b\": {\"dist\": \"normal\", \"mean\": 1, \"sd\": 0},\n"
                                "  \"parameter:x\": {\"dist\": \"gauss\"}}}");
    diagnostics found;
    CHECK_FALSE(read_parameter_file(bad, found));
    const auto got = messages(found);
    const auto has = [&](const std::string& part) {
        return std::any_of(got.begin(), got.end(),
                           [&](const std::string& m) { return m.find(part) != std::string::npos; });
    };
    CHECK(
        has(":2:13: error: /priors/scale: 'scale' names no uncertain input; expected one of \"edge:FROM->TO\", "
            "\"parameter:NAME\", \"implementation:years_to_half\", \"implementation:decay_per_doubling\", "
            "\"implementation:practices_years_to_half\", \"implementation:gain_persistence\", \"effect:average\", "
            "as pathways sensitivity names them"));
    CHECK(has("/priors/edge:a->b/sd: "));
    CHECK(has("/priors/parameter:x/dist: unknown distribution 'gauss'"));
    std::filesystem::remove(bad);

    const auto empty = write_temp("empty-priors.json",
                                  "{\"pathways_parameters\": 1, \"model\": \"linear\", \"parameters\": {}, "
                                  "\"priors\": {}}");
    diagnostics nothing;
    CHECK_FALSE(read_parameter_file(empty, nothing));
    const auto empty_messages = messages(nothing);
    CHECK(std::any_of(empty_messages.begin(), empty_messages.end(), [](const std::string& m) {
        return m.find("/priors: no priors; expected at least one") != std::string::npos;
    }));
    std::filesystem::remove(empty);
}

TEST_CASE("prior input names are edge:FROM->TO, parameter:NAME or the ramp and fidelity inputs",
          "[parameter-file][priors]") {
    CHECK(is_prior_input_name("edge:a->b"));
    CHECK(is_prior_input_name("parameter:scale"));
    CHECK(is_prior_input_name("implementation:years_to_half"));
    CHECK(is_prior_input_name("implementation:decay_per_doubling"));
    CHECK_FALSE(is_prior_input_name("edge:a-b"));
    CHECK_FALSE(is_prior_input_name("edge:->b"));
    CHECK_FALSE(is_prior_input_name("edge:a->"));
    CHECK_FALSE(is_prior_input_name("parameter:"));
    CHECK_FALSE(is_prior_input_name("implementation:years_to_90"));
    CHECK_FALSE(is_prior_input_name("implementation:program_cut"));
}

TEST_CASE("the loader replaces edge and parameter priors, and their central values", "[parameter-file][priors]") {
    const plugin_registry registry = test::shipped_plugins();
    scenario_overrides overrides;
    overrides.effect_model = "linear";
    const source_location where{"p.json", 3, 5, "/priors/x"};
    overrides.priors = {
        {"", "edge:self_efficacy->academic.achievement.math", {sdk::prior_kind::normal, 0.04, 0.01, 0, 0}, where},
        {"linear", "parameter:scale", {sdk::prior_kind::normal, 1.2, 0.1, 0, 0}, where}};
    diagnostics found;
    const auto loaded = load_scenario(pilot, "base", registry, overrides, found);
    INFO(messages(found).size());
    REQUIRE(loaded);
    const auto& edges = loaded->graph->definition().edges;
    const auto edge = std::find_if(edges.begin(), edges.end(), [](const model_edge& e) {
        return e.from == "self_efficacy" && e.to == "academic.achievement.math";
    });
    REQUIRE(edge != edges.end());
    CHECK(edge->uncertainty.kind == sdk::prior_kind::normal);
    CHECK(edge->uncertainty.a == 0.04);
    CHECK(edge->weight == 0.04);  // a central run uses the replaced prior's mean
    const parameter_info* scale = loaded->model->find_parameter("scale");
    REQUIRE(scale != nullptr);
    CHECK(scale->uncertainty.kind == sdk::prior_kind::normal);
    CHECK(scale->default_value == 1.2);
    // The registry's own model is untouched: other runs keep the plugin's prior.
    CHECK(registry.find("linear")->find_parameter("scale")->uncertainty.kind == sdk::prior_kind::fixed);
}

TEST_CASE("the loader reports priors of unknown edges, unknown parameters and other models",
          "[parameter-file][priors][errors]") {
    const plugin_registry registry = test::shipped_plugins();
    scenario_overrides overrides;
    overrides.effect_model = "linear";
    const sdk::prior prior{sdk::prior_kind::normal, 1.0, 0.1, 0, 0};
    overrides.priors = {{"", "edge:self_efficacy->academic.achievement.mth", prior, {"p.json", 3, 5, "/priors/a"}},
                        {"linear", "parameter:scal", prior, {"p.json", 4, 5, "/priors/b"}},
                        {"lagged", "parameter:phase_in_years", prior, {"p.json", 5, 5, "/priors/c"}}};
    diagnostics found;
    CHECK_FALSE(load_scenario(pilot, "base", registry, overrides, found));
    const auto got = messages(found);
    REQUIRE(got.size() == 3);
    CHECK(got[0] ==
          "p.json:3:5: error: /priors/a: 'edge:self_efficacy->academic.achievement.mth' is no edge of model "
          "'dps-personalized-learning'; expected an edge the model file declares; did you mean "
          "'edge:self_efficacy->academic.achievement.math'?");
    CHECK(
        got[1].starts_with("p.json:4:5: error: /priors/b: effect model 'linear' declares no parameter 'scal'; "
                           "expected one of 'scale'"));
    CHECK(got[2] ==
          "p.json:5:5: error: /priors/c: the prior of 'phase_in_years' is for effect model 'lagged', but this "
          "run uses 'linear'; expected --effect-model lagged");
}

TEST_CASE("the loader replaces the ramp's and the fidelity decay's priors, and the draws sample them",
          "[parameter-file][priors]") {
    const plugin_registry registry = test::shipped_plugins();
    scenario_overrides overrides;
    const source_location where{"p.json", 3, 5, "/priors/x"};
    // Far from the scenario's own values (2 years; 0.85), so that draws from the defaults could not pass.
    overrides.priors = {
        {"", "implementation:years_to_half", {sdk::prior_kind::truncated_normal, 4.0, 0.1, 3.8, 4.2}, where},
        {"", "implementation:decay_per_doubling", {sdk::prior_kind::truncated_normal, 0.75, 0.01, 0.72, 0.78}, where}};
    diagnostics found;
    const auto loaded = load_scenario(pilot, "base", registry, overrides, found);
    REQUIRE(loaded);
    const ramp_settings& ramp = loaded->spec.plan.ramp;
    CHECK(ramp.years_to_half == 4.0);  // a central run uses the replaced prior's mean
    CHECK(ramp.years_to_90 == 5.5);    // as far after half way as the scenario had it (2 → 3.5)
    CHECK(loaded->spec.plan.fidelity.decay_per_doubling == 0.75);
    const simulation sim({*loaded->graph, loaded->district, loaded->schools, loaded->cells, loaded->spec,
                          *loaded->model},
                         found);
    REQUIRE_FALSE(found.has_errors());
    for (std::uint64_t draw = 0; draw < 50; ++draw) {
        const draw_parameters p = sim.sample_parameters(3, draw);
        CHECK(p.years_to_half >= 3.8);
        CHECK(p.years_to_half <= 4.2);
        CHECK(p.years_to_90 == Approx(p.years_to_half + 1.5));
        CHECK(p.decay_per_doubling >= 0.72);
        CHECK(p.decay_per_doubling <= 0.78);
    }
    const std::vector<uncertain_input> inputs = sim.uncertain_inputs();
    const auto input = [&](const std::string& name) {
        return *std::find_if(inputs.begin(), inputs.end(), [&](const uncertain_input& i) { return i.name == name; });
    };
    CHECK(input("implementation:years_to_half").prior.a == 4.0);
    CHECK(input("implementation:decay_per_doubling").prior.upper == 0.78);
}

TEST_CASE("a ramp or fidelity prior for a scenario without that uncertainty is an error", "[parameter-file][priors]") {
    const plugin_registry registry = test::shipped_plugins();
    scenario_overrides overrides;
    const sdk::prior prior{sdk::prior_kind::normal, 1.0, 0.1, 0, 0};
    overrides.priors = {{"", "implementation:years_to_half", prior, {"p.json", 3, 5, "/priors/a"}},
                        {"", "implementation:decay_per_doubling", prior, {"p.json", 4, 5, "/priors/b"}}};
    // The RAND check's schools start at full implementation and keep their fidelity.
    diagnostics found;
    CHECK_FALSE(load_scenario(std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/rand-2017-check.json", "base", registry,
                              overrides, found));
    const auto got = messages(found);
    REQUIRE(got.size() == 2);
    CHECK(got[0] ==
          "p.json:3:5: error: /priors/a: 'implementation:years_to_half' has nothing to replace: the scenario's ramp "
          "is instant; expected a scenario whose schools ramp up");
    CHECK(got[1] ==
          "p.json:4:5: error: /priors/b: 'implementation:decay_per_doubling' has nothing to replace: the scenario "
          "turned fidelity loss off (decay_per_doubling 1); expected a decay below 1");
}
