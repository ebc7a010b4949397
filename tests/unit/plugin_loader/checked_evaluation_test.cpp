#include <limits>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include "fixture_support.hpp"
#include "plugin/checked_evaluation.hpp"
#include "plugin/registry.hpp"

using namespace pathways;
using pathways::testing::fixture_folder;
using pathways::testing::only;

namespace {

/// An evaluation of node "reading" in year 3 over `out`, with the given parameter values: one draw
/// of `out.size()` cells, or `draws` rows of `out.size() / draws` cells.
sdk::evaluation year_three(std::vector<double>& out, const std::vector<double>& parameters, std::size_t draws = 1) {
    sdk::evaluation e;
    e.node_id = "reading";
    e.year_index = 3;
    e.draw_count = draws;
    e.cell_count = out.size() / draws;
    e.parameters = parameters;
    e.out = {out.data(), e.cell_count};
    return e;
}

model_handle host_model(void (*evaluate)(const sdk::evaluation&)) {
    model_handle model;
    model.name = "host";
    model.file = "/nowhere/libpathways_host.so";
    model.evaluate = evaluate;
    return model;
}

}  // namespace

TEST_CASE("an exception from evaluate becomes a plugin_error naming plugin, file, node and operation") {
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({fixture_folder("throws_in_evaluate")}), problems);
    REQUIRE(problems.items().empty());
    std::vector<double> out(4);
    const std::vector<double> none;
    CHECK_THROWS_MATCHES(evaluate_checked(registry.require("fixture_throws"), year_three(out, none), "evaluate"),
                         plugin_error,
                         Catch::Matchers::Message("plugin 'fixture_throws' (libpathways_throws_in_evaluate.so): "
                                                  "node 'reading': evaluate in year 3 failed: lookup table for this "
                                                  "node is empty"));
}

TEST_CASE("a NaN, an infinity or an unwritten cell is caught at that node and cell") {
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({fixture_folder("returns_nan")}), problems);
    REQUIRE(problems.items().empty());
    const model_handle& model = registry.require("fixture_nan");
    const std::string prefix = "plugin 'fixture_nan' (libpathways_returns_nan.so): node 'reading': evaluate in year 3 ";
    std::vector<double> out(4);
    const std::vector<double> nan_in_cell_2{0.0};
    const std::vector<double> inf_in_cell_1{1.0};
    const std::vector<double> cell_0_unwritten{2.0};
    CHECK_THROWS_MATCHES(evaluate_checked(model, year_three(out, nan_in_cell_2), "evaluate"), plugin_error,
                         Catch::Matchers::Message(prefix + "returned NaN for cell 2"));
    CHECK_THROWS_MATCHES(evaluate_checked(model, year_three(out, inf_in_cell_1), "evaluate"), plugin_error,
                         Catch::Matchers::Message(prefix + "returned Inf for cell 1"));
    out.assign(4, 5.0);  // stale values from an earlier year must not hide an unwritten cell
    CHECK_THROWS_MATCHES(evaluate_checked(model, year_three(out, cell_0_unwritten), "evaluate"), plugin_error,
                         Catch::Matchers::Message(prefix + "returned NaN for cell 0"));
}

TEST_CASE("in a block of draws the bad value is found in a later draw's row and that draw is named") {
    diagnostics problems;
    const plugin_registry registry = plugin_registry::discover(only({fixture_folder("returns_nan")}), problems);
    REQUIRE(problems.items().empty());
    const model_handle& model = registry.require("fixture_nan");
    const std::string prefix = "plugin 'fixture_nan' (libpathways_returns_nan.so): node 'reading': evaluate in year 3 ";
    std::vector<double> out(2 * 4, 5.0);
    // Parameter "mode" per draw: draw 0 has +Inf in cell 1 and draw 1 has cell 0 unwritten. The first
    // row reported bad is draw 0's; with draw 0 writing NaN into cell 2 it is still draw 0.
    CHECK_THROWS_MATCHES(evaluate_checked(model, year_three(out, {1.0, 2.0}, 2), "evaluate"), plugin_error,
                         Catch::Matchers::Message(prefix + "returned Inf for cell 1 of block draw 0"));
    CHECK_THROWS_MATCHES(evaluate_checked(model, year_three(out, {0.0, 2.0}, 2), "evaluate"), plugin_error,
                         Catch::Matchers::Message(prefix + "returned NaN for cell 2 of block draw 0"));
}

TEST_CASE("a non-standard exception and a missing evaluate are plugin_errors too") {
    std::vector<double> out(1);
    const std::vector<double> none;
    const model_handle throws_int = host_model([](const sdk::evaluation&) { throw 42; });
    CHECK_THROWS_MATCHES(evaluate_checked(throws_int, year_three(out, none), "create"), plugin_error,
                         Catch::Matchers::Message("plugin 'host' (libpathways_host.so): node 'reading': create in "
                                                  "year 3 failed: it threw something that is not a std::exception"));
    const model_handle missing = host_model(nullptr);
    CHECK_THROWS_MATCHES(evaluate_checked(missing, year_three(out, none), "evaluate"), plugin_error,
                         Catch::Matchers::Message("plugin 'host' (libpathways_host.so): node 'reading': evaluate in "
                                                  "year 3 failed: evaluate is null"));
}

TEST_CASE("finite outputs pass through unchanged") {
    std::vector<double> out(3);
    const std::vector<double> none;
    const model_handle model = host_model([](const sdk::evaluation& e) {
        for (std::size_t i = 0; i < e.cell_count; ++i) e.out.row(0)[i] = -1.5 * static_cast<double>(i);
    });
    evaluate_checked(model, year_three(out, none), "evaluate");
    CHECK(out == std::vector<double>{0.0, -1.5, -3.0});
}
