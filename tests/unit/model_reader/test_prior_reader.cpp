#include <catch2/catch.hpp>

#include <string>

#include "common/diagnostics.hpp"
#include "scenario/json_reader.hpp"
#include "scenario/prior_reader.hpp"

namespace {

std::optional<pathways::sdk::prior> prior_of(const std::string& text, pathways::diagnostics& found) {
    const auto doc = pathways::json::parse(text, "p.json", found);
    REQUIRE(doc.has_value());
    return pathways::json::read_prior(*doc, "", found);
}

}  // namespace

TEST_CASE("each distribution maps onto sdk::prior as documented") {
    using pathways::sdk::prior_kind;
    pathways::diagnostics found;
    const auto fixed = prior_of(R"({"dist": "fixed", "value": 0.2})", found);
    REQUIRE(fixed);
    CHECK(fixed->kind == prior_kind::fixed);
    CHECK(fixed->a == 0.2);

    const auto normal = prior_of(R"({"dist": "normal", "mean": 0.1, "sd": 0.05})", found);
    REQUIRE(normal);
    CHECK(normal->kind == prior_kind::normal);
    CHECK(normal->a == 0.1);
    CHECK(normal->b == 0.05);

    const auto lognormal = prior_of(R"({"dist": "lognormal", "mu": -1, "sigma": 0.5})", found);
    REQUIRE(lognormal);
    CHECK(lognormal->kind == prior_kind::lognormal);
    CHECK(lognormal->a == -1.0);
    CHECK(lognormal->b == 0.5);

    const auto uniform = prior_of(R"({"dist": "uniform", "lower": 0.1, "upper": 0.4})", found);
    REQUIRE(uniform);
    CHECK(uniform->kind == prior_kind::uniform);
    CHECK(uniform->lower == 0.1);
    CHECK(uniform->upper == 0.4);

    const auto beta = prior_of(R"({"dist": "beta", "alpha": 2, "beta": 5, "lower": 0, "upper": 0.5})", found);
    REQUIRE(beta);
    CHECK(beta->kind == prior_kind::beta);
    CHECK(beta->a == 2.0);
    CHECK(beta->b == 5.0);
    CHECK(beta->lower == 0.0);
    CHECK(beta->upper == 0.5);

    const auto truncated =
        prior_of(R"({"dist": "truncated_normal", "mean": 0.15, "sd": 0.06, "lower": 0.05, "upper": 0.3})", found);
    REQUIRE(truncated);
    CHECK(truncated->kind == prior_kind::truncated_normal);
    CHECK(truncated->a == 0.15);
    CHECK(truncated->b == 0.06);
    CHECK(truncated->lower == 0.05);
    CHECK(truncated->upper == 0.3);
    CHECK(found.items().empty());
}

TEST_CASE("a distribution's parameters do not carry over to another") {
    pathways::diagnostics found;
    // "mean" belongs to normal, not to uniform.
    CHECK_FALSE(prior_of(R"({"dist": "uniform", "lower": 0, "upper": 1, "mean": 0.5})", found));
    REQUIRE(found.items().size() == 1);
    CHECK(found.items().front().pointer == "/mean");
    CHECK(found.items().front().message == "unknown key 'mean'");
}

TEST_CASE("beta shape parameters must be positive") {
    pathways::diagnostics found;
    CHECK_FALSE(prior_of(R"({"dist": "beta", "alpha": 0, "beta": -1, "lower": 0, "upper": 1})", found));
    REQUIRE(found.items().size() == 2);
    CHECK(pathways::format_diagnostic(found.items()[0]) ==
          "p.json:1:27: error: /alpha: alpha 0 is not positive; expected a number greater than 0");
    // '{' 1, "dist" 2-7, ':' 8, ' ' 9, "beta" 10-15, ',' 16, ' ' 17, "alpha" 18-24, ':' 25, ' ' 26, 0 at 27,
    // ',' 28, ' ' 29, "beta" 30-35, ':' 36, ' ' 37, -1 at 38
    CHECK(pathways::format_diagnostic(found.items()[1]) ==
          "p.json:1:38: error: /beta: beta -1 is not positive; expected a number greater than 0");
}
