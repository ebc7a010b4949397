// What every bundled plugin owes the host: a matching entry point, one well-formed model, and
// declared parameters whose defaults, priors and sources make sense; plus the input checks that
// all five share.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>

#include "plugin_harness.hpp"

using namespace pathways;
using pathways::test::bundled_plugins;

namespace {

// A node every model can evaluate: two parents over two cells, achievement so that `evidence`
// reads its cell attributes too.
test::node_case checked_case(const sdk::effect_model_info& model) {
    test::node_case c(2);
    c.node_id = "academic.achievement.math";
    c.kind = sdk::node_kind::academic_outcome;
    c.parents = {{"learner_paths.learner_profile_data",
                  sdk::node_kind::secondary_driver,
                  0.2,
                  {1.0, 2.0},
                  {1.0, 2.0},
                  {1.0, 1.0}},
                 {"engagement.cognitive", sdk::node_kind::student_outcome, 0.1, {0.1, 0.2}, {0.0, 0.1}, {0.0, 0.0}}};
    c.years_of_exposure = {1.0, 2.0};
    c.implementation = {1.5, 2.0};
    c.baseline_implementation = {1.0, 1.0};
    c.foundations = {1.0, 2.0};
    c.parameters = test::default_parameters(model);
    return c;
}

}  // namespace

TEST_CASE("each bundled plugin exports a matching entry and registers one model named after it") {
    for (const char* name : bundled_plugins) {
        INFO("plugin " << name);
        const test::loaded_plugin& plugin = test::load_plugin(name);
        CHECK(plugin.entry->abi_version == sdk::abi_version);
        CHECK(std::string(plugin.entry->fingerprint) == PATHWAYS_BUILD_FINGERPRINT);
        REQUIRE(plugin.models.size() == 1);
        const sdk::effect_model_info& model = plugin.models.front();
        CHECK(model.name == name);
        CHECK(model.version == "1.0.0");
        CHECK_FALSE(model.description.empty());
        CHECK(model.evaluate != nullptr);
    }
}

TEST_CASE("every declared parameter has a default in range, a prior inside the range and a source") {
    const std::set<std::string_view> evidence_tags{"S", "S2", "R", "A"};
    for (const char* plugin : bundled_plugins) {
        const sdk::effect_model_info& model = test::load_model(plugin);
        std::set<std::string_view> names;
        for (const sdk::parameter_spec& spec : model.parameters) {
            INFO(plugin << ": " << spec.name);
            CHECK(names.insert(spec.name).second);
            CHECK(spec.min <= spec.default_value);
            CHECK(spec.default_value <= spec.max);
            CHECK_FALSE(spec.unit.empty());
            CHECK_FALSE(spec.description.empty());
            CHECK_FALSE(spec.source.empty());
            // Users read sources: they cite studies, never the internal brief, and keep the tag out of the text.
            for (const std::string_view internal : {"DOMAIN", "seed 00", "§", "[S", "[R]", "[A"}) {
                CHECK(spec.source.find(internal) == std::string_view::npos);
            }
            if (spec.evidence == "A") CHECK(spec.source.find("assumption") != std::string_view::npos);
            CHECK(evidence_tags.count(spec.evidence) == 1);
            const sdk::prior& prior = spec.uncertainty;
            if (prior.kind == sdk::prior_kind::fixed) {
                CHECK(prior.a == spec.default_value);
            } else {
                REQUIRE(prior.kind == sdk::prior_kind::truncated_normal);
                CHECK(prior.a == spec.default_value);
                CHECK(prior.b > 0.0);
                CHECK(spec.min <= prior.lower);
                CHECK(prior.lower < prior.a);
                CHECK(prior.a < prior.upper);
                CHECK(prior.upper <= spec.max);
            }
        }
    }
}

TEST_CASE("every model writes each cell from defaults and checks its inputs") {
    for (const char* plugin : bundled_plugins) {
        INFO("plugin " << plugin);
        const sdk::effect_model_info& model = test::load_model(plugin);
        const test::node_case valid = checked_case(model);
        for (double value : valid.run(model)) CHECK(std::isfinite(value));

        test::node_case c = valid;
        c.parameters.pop_back();
        CHECK_THROWS_WITH(c.run(model), Catch::Contains("parameters for each of 1 draws, got"));
        c.parameters = valid.parameters;
        c.parameters.push_back(0.0);
        CHECK_THROWS_WITH(c.run(model), Catch::Contains("parameters for each of 1 draws, got"));

        const sdk::parameter_spec& first = model.parameters.front();
        c = valid;
        c.parameters.front() = first.max + 1.0;
        CHECK_THROWS_WITH(c.run(model),
                          Catch::Contains(std::string(first.name)) && Catch::Contains("expected a value in"));
        c.parameters.front() = std::numeric_limits<double>::quiet_NaN();
        CHECK_THROWS_WITH(c.run(model), Catch::Contains("expected a value in"));

        c = valid;
        c.previous.clear();
        CHECK_THROWS_WITH(c.run(model), Catch::Contains("node's previous is missing"));

        c = valid;
        c.initial.push_back(0.0);
        CHECK_THROWS_WITH(c.run(model), Catch::Contains("node's initial has 3 values for 2 cells"));

        c = valid;
        c.out_cells = sdk::max_tile_cells + 1;
        CHECK_THROWS_WITH(c.run(model), Catch::Contains("a tile of 1025 cells; expected at most 1024"));

        c = valid;
        c.parents[1].current.clear();
        CHECK_THROWS_WITH(c.run(model), Catch::Contains("parent 'engagement.cognitive' current is missing"));
        c = valid;
        c.parents[0].initial.push_back(1.0);
        CHECK_THROWS_WITH(c.run(model), Catch::Contains("parent 'learner_paths.learner_profile_data' initial"));
    }
}

TEST_CASE("models that read cell attributes reject a missing attribute block") {
    for (const char* plugin : {"saturating", "lagged", "subgroup", "evidence"}) {
        INFO("plugin " << plugin);
        const sdk::effect_model_info& model = test::load_model(plugin);
        test::node_case c = checked_case(model);
        c.with_cells = false;
        CHECK_THROWS_WITH(c.run(model), Catch::Contains("cell attributes are missing"));
    }
}

TEST_CASE("the linear model does not need cell attributes") {
    const sdk::effect_model_info& model = test::load_model("linear");
    test::node_case c = checked_case(model);
    c.with_cells = false;
    test::set_parameter(c.parameters, model, "scale", 1.0);
    // d = 0.2*(1-1) + 0.1*(0.1-0) = 0.01; d = 0.2*(2-1) + 0.1*(0.2-0) = 0.22
    const std::vector<double> out = c.run(model);
    CHECK(out[0] == Approx(0.01));
    CHECK(out[1] == Approx(0.22));
}
