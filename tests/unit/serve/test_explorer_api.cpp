// The explorer's JSON API without a server: documents go through the CLI's reader, validator and run
// layer; limits answer 400, 413 and 503; suppression cannot be turned off.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../support/engine_fixture.hpp"
#include "serve/explorer_api.hpp"
#include "serve/explorer_assets.hpp"
#include "serve/http_server.hpp"

namespace {

using namespace pathways;
using pathways::test::shipped_plugins;

const std::string pilot = std::string(PATHWAYS_SOURCE_ROOT) + "/scenarios/denver-pilot-2015.json";

std::string text_of(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// The document with the first `from` replaced by `to`.
std::string edited(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

/// 1-based line and column where `needle` starts in `text`.
std::pair<std::size_t, std::size_t> position_of(const std::string& text, const std::string& needle) {
    const auto at = text.find(needle);
    REQUIRE(at != std::string::npos);
    const auto line_start = text.rfind('\n', at);
    const std::size_t line = static_cast<std::size_t>(std::count(text.begin(), text.begin() + at, '\n')) + 1;
    return {line, at - (line_start == std::string::npos ? 0 : line_start + 1) + 1};
}

std::string error_of(const api_reply& reply) { return nlohmann::json::parse(reply.body).at("error"); }

struct served_pilot {
    plugin_registry plugins = shipped_plugins();
    explorer_api api{pilot, plugins, explorer_limits{}, 1};
    std::string document = text_of(pilot);
};

}  // namespace

TEST_CASE_METHOD(served_pilot, "POST /api/validate accepts the shipped pilot scenario") {
    const api_reply reply = api.validate(document);
    CHECK(reply.status == 200);
    CHECK(nlohmann::json::parse(reply.body) == nlohmann::json::parse(R"({"valid": true, "diagnostics": []})"));
}

TEST_CASE_METHOD(served_pilot, "POST /api/validate names the served file, line and column of each error") {
    const std::string broken = edited(document, "\"years\": 5", "\"years\": -4");
    const auto [line, column] = position_of(broken, "-4");
    const auto answer = nlohmann::json::parse(api.validate(broken).body);
    CHECK(answer["valid"] == false);
    REQUIRE(answer["diagnostics"].size() == 1);
    CHECK(answer["diagnostics"][0]["text"] == pilot + ":" + std::to_string(line) + ":" + std::to_string(column) +
                                                  ": error: /horizon/years: -4 is out of range; expected 1 to 50");
    CHECK(answer["diagnostics"][0]["pointer"] == "/horizon/years");
}

TEST_CASE_METHOD(served_pilot, "POST /api/validate of text that is not JSON is a diagnostic, not a failure") {
    const auto answer = nlohmann::json::parse(api.validate("{\"pathways\": 1,\n\"name\": }").body);
    CHECK(answer["valid"] == false);
    CHECK(answer["diagnostics"][0]["text"] == pilot + ":2:9: error: unexpected '}'; expected a value");
}

TEST_CASE_METHOD(served_pilot, "POST /api/run gives the projection of the posted plan, rows filtered on request") {
    const api_reply all = api.run(document, {{"draws", "0"}});
    REQUIRE(all.status == 200);
    const auto projection = nlohmann::json::parse(all.body);
    REQUIRE(projection["runs"].size() == 1);
    CHECK(projection["runs"][0]["variant"] == "base");
    CHECK(projection["runs"][0]["suppression"] == true);
    const auto& every_row = projection["runs"][0]["rows"];

    const api_reply effects = api.run(document, {{"draws", "0"}, {"metric", "effect"}, {"course", "sustained"}});
    REQUIRE(effects.status == 200);
    const auto filtered = nlohmann::json::parse(effects.body);
    const auto& rows = filtered["runs"][0]["rows"];
    std::size_t expected = 0;
    for (const auto& row : every_row) expected += row["metric"] == "effect" && row["course"] == "sustained";
    CHECK(rows.size() == expected);
    CHECK(expected > 0);
    for (const auto& row : rows) CHECK((row["metric"] == "effect" && row["course"] == "sustained"));
    CHECK(effects.headers.at(0).first == "Server-Timing");
}

TEST_CASE_METHOD(served_pilot, "POST /api/run with format=html gives the run's report, as run --report writes it") {
    const api_reply report = api.run(document, {{"draws", "4"}, {"format", "html"}, {"metric", "effect"}});
    REQUIRE(report.status == 200);
    CHECK(report.content_type == "text/html; charset=utf-8");
    CHECK(report.body.starts_with("<!DOCTYPE html>"));
    // The whole report, not the rows a metric filter selects: it leads with the decision and prices it.
    CHECK(report.body.find("id=\"decision\"") != std::string::npos);
    CHECK(report.body.find("the six 2015 PL pilot schools") != std::string::npos);
    CHECK(report.body.find("src=\"http") == std::string::npos);  // loads nothing from elsewhere
}

TEST_CASE_METHOD(served_pilot, "POST /api/run refuses options out of range, unknown ones and oversized documents") {
    CHECK(error_of(api.run(document, {{"draws", "2001"}})) ==
          "draws: '2001' is not an integer from 0 to 2000; expected 0 for one central run, or up to 2000 Monte Carlo "
          "draws (run more with pathways run)");
    CHECK(api.run(document, {{"draws", "1.5"}}).status == 400);
    CHECK(api.run(document, {{"seed", "-1"}}).status == 400);
    CHECK(error_of(api.run(document, {{"format", "xml"}})) ==
          "format: 'xml' is not an output format; expected json, csv or html");
    CHECK(error_of(api.run(document, {{"min_n", "1"}})).starts_with("unknown query parameter 'min_n'"));
    const api_reply unknown_variant = api.run(document, {{"variant", "nope"}});
    CHECK(unknown_variant.status == 400);
    CHECK(unknown_variant.body.find("unknown variant 'nope'") != std::string::npos);

    explorer_api small(pilot, plugins, explorer_limits{16, 10, std::chrono::milliseconds(1000)}, 1);
    CHECK(small.run(document, {}).status == 413);
    CHECK(small.validate(document).status == 413);
    CHECK(small.run("{}", {{"draws", "11"}}).status == 400);
}

TEST_CASE_METHOD(served_pilot, "POST /api/run cannot lower the suppression threshold below the publication floor") {
    const api_reply reply = api.run(edited(document, "\"min_n\": 16", "\"min_n\": 1"), {{"draws", "0"}});
    CHECK(reply.status == 400);
    CHECK(reply.body.find("below the publication floor") != std::string::npos);
}

TEST_CASE_METHOD(served_pilot, "a run over the time limit is stopped with 503") {
    explorer_api hurried(pilot, plugins, explorer_limits{1u << 20, 2000, std::chrono::milliseconds(0)}, 1);
    const api_reply reply = hurried.run(document, {{"draws", "20"}, {"token", "t"}});
    CHECK(reply.status == 503);
    CHECK(error_of(reply) ==
          "the run took longer than 0 s and was stopped; ask for fewer draws, or run it with pathways run");
}

TEST_CASE_METHOD(served_pilot, "POST /api/cancel says whether a run with the token was running") {
    CHECK(nlohmann::json::parse(api.cancel({{"token", "none"}}).body) ==
          nlohmann::json::parse(R"({"cancelled": false})"));
    CHECK(api.cancel({}).status == 400);
}

TEST_CASE_METHOD(served_pilot, "GET /api/scenario, /api/graph and /api/plugins describe what is served") {
    const api_reply scenario = api.scenario();
    CHECK(scenario.body == document);
    CHECK(scenario.headers.at(0) == std::pair<std::string, std::string>{"X-Scenario-File", "denver-pilot-2015.json"});
    const auto graph = nlohmann::json::parse(api.graph().body);
    CHECK(graph["causal_order"] == nlohmann::json::parse(R"(["condition", "foundational_practice", "secondary_driver",
        "primary_driver", "student_outcome", "academic_outcome", "goal"])"));
    CHECK(graph["model"]["nodes"].size() > 10);
    CHECK(!graph["headline"].get<std::string>().empty());
    // The explorer shows what the numbers rest on above its big number, as the terminal and report do.
    const std::string evidence = graph["evidence"].get<std::string>();
    CHECK(evidence.starts_with("Every study of personalized learning's effect on test scores"));
    CHECK(evidence.find("at or below zero with probability 0.11") != std::string::npos);
    const auto models = nlohmann::json::parse(api.plugins().body)["models"];
    CHECK(std::any_of(models.begin(), models.end(), [](const auto& m) { return m["name"] == "linear"; }));

    explorer_api nothing_served("", plugins, explorer_limits{}, 1);
    CHECK(nothing_served.scenario().status == 404);
    CHECK(nothing_served.graph().status == 404);
}

TEST_CASE("the explorer's page, script and stylesheet are compiled in and load nothing from elsewhere") {
    REQUIRE(explorer_assets().size() == 3);
    for (const explorer_asset& asset : explorer_assets()) {
        CHECK(!asset.bytes.empty());
        CHECK(asset.bytes.find("https://") == std::string_view::npos);
    }
    CHECK(explorer_assets()[0].bytes.find("<script src=\"/explorer.js\"") != std::string_view::npos);
}

TEST_CASE("only loopback addresses count as this machine only") {
    CHECK(is_loopback_address("127.0.0.1"));
    CHECK(is_loopback_address("127.1.2.3"));
    CHECK(is_loopback_address("::1"));
    CHECK(is_loopback_address("localhost"));
    CHECK_FALSE(is_loopback_address("0.0.0.0"));
    CHECK_FALSE(is_loopback_address("192.168.1.10"));
    CHECK_FALSE(is_loopback_address("::"));
}

TEST_CASE_METHOD(served_pilot, "POST /api/run refuses what pathways validate refuses, before building anything") {
    // A range error the reader records while still returning a scenario: the CLI stops on it, and so does the API.
    for (const std::string huge : {"1e400", "18446744073709551616", "-1e400"}) {
        INFO(huge);
        const api_reply reply = api.run(edited(document, "\"years\": 5", "\"years\": " + huge), {{"draws", "0"}});
        CHECK(reply.status == 400);
        CHECK(reply.body.find("/horizon/years") != std::string::npos);
        CHECK(nlohmann::json::parse(api.validate(edited(document, "\"years\": 5", "\"years\": " + huge)).body)
                  .at("valid") == false);
    }
}

TEST_CASE_METHOD(served_pilot, "POST /api/run holds the document's draws and the run's size to the server's limits") {
    const api_reply many = api.run(edited(document, "\"draws\": 200", "\"draws\": 30000"), {});
    CHECK(many.status == 400);
    CHECK(error_of(many).starts_with("uncertainty.draws: 30000 in the document is more than this server runs"));
    // The query's draws replace the document's, within the limit.
    CHECK(api.run(edited(document, "\"draws\": 200", "\"draws\": 30000"), {{"draws", "0"}}).status == 200);

    explorer_limits tight;
    tight.max_cell_draw_years = 1000.0;
    explorer_api small(pilot, plugins, tight, 1);
    const api_reply big = small.run(document, {{"draws", "10"}});
    CHECK(big.status == 413);
    CHECK(error_of(big).find("cell-years over its draws and variants, more than this server runs") !=
          std::string::npos);
}
