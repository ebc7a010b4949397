#include <cstdlib>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "fixture_support.hpp"
#include "pathways/sdk/effect_model.hpp"
#include "plugin/checked_evaluation.hpp"
#include "plugin/registry.hpp"

using namespace pathways;
using Catch::Matchers::Contains;
using pathways::testing::fixture_file;
using pathways::testing::fixture_folder;
using pathways::testing::messages;
using pathways::testing::only;
using pathways::testing::temp_folder;

namespace {

/// Loads exactly one fixture folder and returns the only diagnostic it produced.
diagnostic single_problem(const std::string& fixture) {
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({fixture_folder(fixture)}), problems);
    CHECK(registry.models().empty());
    REQUIRE(problems.items().size() == 1);
    CHECK(problems.items().front().level == severity::error);
    CHECK(problems.items().front().file == fixture_file(fixture).string());
    return problems.items().front();
}

}  // namespace

TEST_CASE("a valid plugin's models come from its metadata, and its code first runs when a model runs") {
    unsetenv("PATHWAYS_FIXTURE_REGISTERED_GOOD");
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({fixture_folder("good")}), problems);
    CHECK(problems.items().empty());
    REQUIRE(registry.models().size() == 1);
    REQUIRE(registry.accepted_files().size() == 1);
    CHECK(registry.accepted_files().front() == fixture_file("good"));
    const model_handle& found = registry.models().front();
    REQUIRE(found.library != nullptr);
    CHECK(found.evaluate == nullptr);
    CHECK_FALSE(found.library->load_attempted());
    CHECK(std::getenv("PATHWAYS_FIXTURE_REGISTERED_GOOD") == nullptr);  // registration has not run
    CHECK(resolve_evaluate(found) != nullptr);
    CHECK(found.library->load_attempted());
    CHECK(std::getenv("PATHWAYS_FIXTURE_REGISTERED_GOOD") != nullptr);  // positive control for the marker tests
}

TEST_CASE("a valid plugin declares its model with host-owned copies of everything in its metadata") {
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({fixture_folder("good")}), problems);
    CHECK(problems.items().empty());
    REQUIRE(registry.models().size() == 1);

    const model_handle* model = registry.find("fixture_good");
    REQUIRE(model != nullptr);
    CHECK(model->version == "1.0.0");
    CHECK(model->description == "a valid fixture model");
    CHECK(model->file == fixture_file("good").string());
    CHECK(model->file_name() == "libpathways_good.so");
    REQUIRE(model->parameters.size() == 3);
    const parameter_info& effect = model->parameters[0];
    CHECK(effect.name == "effect.size");
    CHECK(effect.unit == "SD/year");
    CHECK(effect.type == sdk::parameter_type::real);
    CHECK(effect.default_value == 0.25);
    CHECK(effect.min == -1.0);
    CHECK(effect.max == 1.0);
    CHECK(effect.uncertainty.kind == sdk::prior_kind::normal);
    CHECK(effect.uncertainty.b == 0.1);
    CHECK(effect.source == "test fixture");
    CHECK(effect.evidence == "A");
    CHECK(model->parameters[1].type == sdk::parameter_type::integer);
    CHECK(model->parameters[2].type == sdk::parameter_type::boolean);
    CHECK(model->parameter_index("enabled") == std::optional<std::size_t>(2));
    CHECK(model->find_parameter("missing") == nullptr);
    CHECK(model->default_values() == std::vector<double>{0.25, 1.0, 1.0});
    CHECK(registry.find("fixture_bad") == nullptr);
}

TEST_CASE("a loaded model computes through evaluate_checked") {
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({fixture_folder("good")}), problems);
    const model_handle& model = registry.require("fixture_good");

    // One parent, weight 0.5, moving from 1 to 2 and 3: dose = 0.5 * (2 - 1) = 0.5 and 0.5 * (3 - 1) = 1.0.
    // out = previous + 0.25 * dose = 0.1 + 0.125 = 0.225 and 0.2 + 0.25 = 0.45.
    const std::vector<double> current{2.0, 3.0};
    const std::vector<double> initial{1.0, 1.0};
    const std::vector<double> weight{0.5};
    const std::vector<sdk::parent_values> parents{
        {"parent", sdk::node_kind::primary_driver, weight, {current.data(), 0}, {initial.data(), 0}, initial}};
    const std::vector<double> previous{0.1, 0.2};
    const std::vector<double> parameters{0.25, 1.0, 1.0};
    std::vector<double> out(2, -7.0);
    sdk::evaluation e;
    e.node_id = "reading";
    e.draw_count = 1;
    e.cell_count = 2;
    e.parents = parents;
    e.previous = {previous.data(), 0};
    e.initial = previous;
    e.parameters = parameters;
    e.out = {out.data(), 2};
    evaluate_checked(model, e, "evaluate");
    CHECK(out[0] == Approx(0.225));
    CHECK(out[1] == Approx(0.45));
}

TEST_CASE("a plugin with the wrong ABI version is rejected with both versions and its code never runs") {
    unsetenv("PATHWAYS_FIXTURE_REGISTERED_WRONG_ABI");
    const temp_folder markers;
    setenv("PATHWAYS_FIXTURE_MARKER_DIR", markers.path().c_str(), 1);
    const diagnostic problem = single_problem("wrong_abi");
    unsetenv("PATHWAYS_FIXTURE_MARKER_DIR");
    CHECK(problem.message ==
          "plugin 'libpathways_wrong_abi.so': ABI version mismatch: got 1, supported 3; rebuild the plugin "
          "against this pathways SDK");
    CHECK(std::getenv("PATHWAYS_FIXTURE_REGISTERED_WRONG_ABI") == nullptr);
    CHECK_FALSE(std::filesystem::exists(markers.path() / "wrong_abi"));  // its static initializer never ran
}

TEST_CASE("a plugin with the wrong build fingerprint is rejected with both fingerprints and its code never runs") {
    unsetenv("PATHWAYS_FIXTURE_REGISTERED_WRONG_FINGERPRINT");
    const temp_folder markers;
    setenv("PATHWAYS_FIXTURE_MARKER_DIR", markers.path().c_str(), 1);
    const diagnostic problem = single_problem("wrong_fingerprint");
    unsetenv("PATHWAYS_FIXTURE_MARKER_DIR");
    CHECK_THAT(problem.message, Contains("plugin 'libpathways_wrong_fingerprint.so': build fingerprint mismatch: "
                                         "got 'cxxabi=itanium;arch=x86_64;pointer=8;stdlib=libc++-abi1', supported '" +
                                         std::string(PATHWAYS_BUILD_FINGERPRINT) + "'"));
    CHECK(std::getenv("PATHWAYS_FIXTURE_REGISTERED_WRONG_FINGERPRINT") == nullptr);
    CHECK_FALSE(std::filesystem::exists(markers.path() / "wrong_fingerprint"));
}

TEST_CASE("a library without a metadata section (an ABI 1 plugin) is refused without running its code") {
    const temp_folder markers;
    setenv("PATHWAYS_FIXTURE_MARKER_DIR", markers.path().c_str(), 1);
    const diagnostic problem = single_problem("no_metadata");
    unsetenv("PATHWAYS_FIXTURE_MARKER_DIR");
    CHECK(problem.message ==
          "plugin 'libpathways_no_metadata.so': no '.pathways_meta' section; expected a plugin "
          "declared with PATHWAYS_EFFECT_PLUGIN of SDK ABI 3 or later (rebuild older plugins)");
    CHECK_FALSE(std::filesystem::exists(markers.path() / "no_metadata"));
}

TEST_CASE("a plugin without the entry symbol is rejected from its symbol table, naming the file and the symbol") {
    CHECK(single_problem("missing_entry").message ==
          "plugin 'libpathways_missing_entry.so': no entry symbol 'pathways_plugin_entry_v1'; expected a plugin "
          "declared with PATHWAYS_EFFECT_PLUGIN");
}

namespace {

/// The message `resolve_evaluate` throws for the only model of fixture `fixture`, whose metadata is valid.
std::string first_use_failure(const std::string& fixture, const std::string& model) {
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({fixture_folder(fixture)}), problems);
    CHECK(problems.items().empty());
    const model_handle& handle = registry.require(model);
    try {
        (void)resolve_evaluate(handle);
    } catch (const plugin_error& error) {
        // A second use gets the same answer without loading again.
        CHECK_THROWS_WITH(resolve_evaluate(handle), error.what());
        return error.what();
    }
    FAIL("no error on first use of " << model);
    return {};
}

}  // namespace

TEST_CASE("an entry symbol that returns null is rejected when the model first runs") {
    CHECK(first_use_failure("null_entry", "fixture_null_entry") ==
          "plugin 'fixture_null_entry' (libpathways_null_entry.so): entry symbol returned a null pointer; expected "
          "a plugin_entry");
}

TEST_CASE("an entry without a registration function is rejected when the model first runs") {
    CHECK(first_use_failure("null_callback", "fixture_null_callback") ==
          "plugin 'fixture_null_callback' (libpathways_null_callback.so): register_models is null; expected a "
          "registration function");
}

TEST_CASE("a plugin whose registration differs from its metadata is refused when first run") {
    CHECK(first_use_failure("metadata_mismatch", "fixture_declared") ==
          "plugin 'fixture_declared' (libpathways_metadata_mismatch.so): its registration differs from its "
          "metadata: metadata declares 'fixture_declared' where it registers 'fixture_registered'");
}

TEST_CASE("a plugin that throws while registering fails every run of its models, naming plugin and node") {
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({fixture_folder("throws_on_register")}), problems);
    CHECK(problems.items().empty());
    std::vector<double> out(2);
    sdk::evaluation e;
    e.node_id = "reading";
    e.draw_count = 1;
    e.cell_count = 2;
    e.out = {out.data(), 2};
    CHECK_THROWS_MATCHES(evaluate_checked(registry.require("fixture_partial"), e, "evaluate"), plugin_error,
                         Catch::Matchers::Message("plugin 'fixture_partial' (libpathways_throws_on_register.so): "
                                                  "node 'reading': evaluate in year 0 failed: loading the plugin: "
                                                  "registration failed: configuration table missing"));
}

TEST_CASE("a model name that is a path is rejected") {
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({fixture_folder("bad_name")}), problems);
    REQUIRE(problems.items().size() == 1);
    CHECK_THAT(problems.items().front().message,
               Contains("plugin 'libpathways_bad_name.so': effect model '../evil': name is not a bare identifier"));
    CHECK(registry.find("../evil") == nullptr);
    CHECK_THAT(registry.unknown_model_message("../evil"),
               Contains("effect model '../evil' is unusable: plugin 'libpathways_bad_name.so': name is not a bare"));
}

TEST_CASE("malformed models are rejected one by one and the valid model of the same plugin is kept once") {
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({fixture_folder("malformed_models")}), problems);
    const std::string prefix = "plugin 'libpathways_malformed_models.so': effect model ";
    CHECK(messages(problems) ==
          std::vector<std::string>{
              prefix + "'fixture_bad_default': parameter 'rate': default 2 is outside the valid range [0, 1]",
              prefix + "'fixture_null_evaluate': evaluate is null; expected a function",
              prefix + "'fixture_bad_parameter_name': parameter 'bad name': name is not a dotted identifier; "
                       "expected e.g. 'multiplier.race.black'",
              prefix + "'fixture_parameter_twice': parameter 'rate' is declared twice",
              prefix + "'fixture_unknown_knob': calibration_parameter 'gain' is not a declared parameter; expected "
                       "the name of one, or empty",
              prefix + "'fixture_integer_knob': calibration_parameter 'steps' is not a real parameter; expected a "
                       "continuous knob to solve for",
              prefix + "'fixture_ok': registered twice by this plugin",
          });
    REQUIRE(registry.models().size() == 1);
    CHECK(registry.models().front().name == "fixture_ok");
    CHECK(registry.models().front().version == "1.0.0");
    CHECK(registry.find("fixture_bad_default") == nullptr);
    CHECK(registry.find("fixture_null_evaluate") == nullptr);
}

TEST_CASE("one model name in two files is an error naming both files, and neither is used") {
    diagnostics problems;
    const plugin_registry registry =
        plugin_registry::discover(only({fixture_folder("duplicate_a"), fixture_folder("duplicate_b")}), problems);
    const std::string a = fixture_file("duplicate_a").string();
    const std::string b = fixture_file("duplicate_b").string();
    REQUIRE(problems.items().size() == 1);
    CHECK(problems.items().front().file == b);
    CHECK(problems.items().front().message ==
          "effect model 'fixture_dup' is defined in both '" + a + "' and '" + b +
              "'; expected each name once on the plugin search path (remove one of the files or take its folder "
              "off the search path)");
    CHECK(registry.find("fixture_dup") == nullptr);
    CHECK_THAT(registry.unknown_model_message("fixture_dup"),
               Contains("effect model 'fixture_dup' is unusable: defined in both '" + a + "' and '" + b + "'"));
}

TEST_CASE("two plugins with the same internal symbol names each keep their own") {
    diagnostics problems;
    const plugin_registry registry =
        plugin_registry::discover(only({fixture_folder("same_symbols_a"), fixture_folder("same_symbols_b")}), problems);
    CHECK(problems.items().empty());
    std::vector<double> out(3);
    sdk::evaluation e;
    e.node_id = "x";
    e.draw_count = 1;
    e.cell_count = 3;
    e.out = {out.data(), 3};
    // exported + table + scale with constant c: c + 100c + 10c, so same_a (c = 1) gives 111 and same_b
    // (c = 2) gives 222. Loading with RTLD_GLOBAL makes same_b's exported call return 1 (221); default
    // visibility makes the inline function's static shared (211 or 122).
    evaluate_checked(registry.require("same_a"), e, "evaluate");
    CHECK(out == std::vector<double>{111.0, 111.0, 111.0});
    evaluate_checked(registry.require("same_b"), e, "evaluate");
    CHECK(out == std::vector<double>{222.0, 222.0, 222.0});
}

TEST_CASE("broken plugins do not stop the good ones, and diagnostics follow the search-path order") {
    const std::vector<std::string> cases{"wrong_abi", "good", "missing_entry", "throws_on_register", "same_symbols_a"};
    std::vector<std::filesystem::path> folders;
    for (const std::string& name : cases) folders.push_back(fixture_folder(name));
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only(folders), problems);
    REQUIRE(problems.items().size() == 2);
    CHECK(problems.items()[0].file == fixture_file("wrong_abi").string());
    CHECK(problems.items()[1].file == fixture_file("missing_entry").string());
    REQUIRE(registry.models().size() == 3);
    CHECK(registry.models()[0].name == "fixture_good");
    CHECK(registry.models()[1].name == "fixture_partial");  // fails when it runs
    CHECK(registry.models()[2].name == "same_a");
}

TEST_CASE("an unknown model names the search path, a close match and how many files failed") {
    diagnostics problems;
    const plugin_registry registry =
        plugin_registry::discover(only({fixture_folder("good"), fixture_folder("wrong_abi")}), problems);
    const std::string searched = fixture_folder("good").string() + ", " + fixture_folder("wrong_abi").string();
    CHECK(registry.searched() ==
          std::vector<std::filesystem::path>{fixture_folder("good"), fixture_folder("wrong_abi")});
    CHECK(registry.unknown_model_message("fixture_godo") ==
          "unknown effect model 'fixture_godo'; did you mean 'fixture_good'? searched: " + searched +
              "; 1 plugin file could not be loaded");
    CHECK(registry.unknown_model_message("subgroup") ==
          "unknown effect model 'subgroup'; searched: " + searched + "; 1 plugin file could not be loaded");
    CHECK_THROWS_AS(registry.require("subgroup"), plugin_error);
    CHECK_THROWS_WITH(registry.require("fixture_godo"), Contains("did you mean 'fixture_good'?"));
}

TEST_CASE("an unknown model with nothing searched says so") {
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({}), problems);
    CHECK(problems.items().empty());
    CHECK(registry.unknown_model_message("anything") == "unknown effect model 'anything'; searched: no folders");
}

TEST_CASE("a --plugin-dir that does not exist is an error, and the other folders still load") {
    const std::filesystem::path missing = fixture_folder("no_such_case");
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({missing, fixture_folder("good")}), problems);
    REQUIRE(problems.items().size() == 1);
    CHECK(problems.items().front().message ==
          "plugin folder '" + missing.string() + "' does not exist or is not a folder");
    CHECK(registry.find("fixture_good") != nullptr);
}

TEST_CASE("plugin folders from the environment are searched after --plugin-dir") {
    const std::string list = ":" + fixture_folder("duplicate_b").string() + "::" + fixture_folder("good").string();
    setenv(plugin_path_variable, list.c_str(), 1);
    load_options options = only({fixture_folder("duplicate_a")});
    options.use_environment = true;
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(options, problems);
    unsetenv(plugin_path_variable);
    CHECK(registry.searched() == std::vector<std::filesystem::path>{fixture_folder("duplicate_a"),
                                                                    fixture_folder("duplicate_b"),
                                                                    fixture_folder("good")});
    // duplicate_a comes first on the path, so the error is reported against duplicate_b.
    REQUIRE(problems.items().size() == 1);
    CHECK(problems.items().front().file == fixture_file("duplicate_b").string());
    CHECK(registry.find("fixture_good") != nullptr);
}

TEST_CASE("only libpathways_*.so files are plugin files") {
    CHECK(is_plugin_file_name("libpathways_subgroup.so"));
    CHECK(is_plugin_file_name("libpathways_x.so"));
    CHECK_FALSE(is_plugin_file_name("libpathways_.so"));
    CHECK_FALSE(is_plugin_file_name("libpathways_subgroup.so.1"));
    CHECK_FALSE(is_plugin_file_name("libpathways_subgroup.dylib"));
    CHECK_FALSE(is_plugin_file_name("libother.so"));
    CHECK_FALSE(is_plugin_file_name("pathways_subgroup.so"));
}
