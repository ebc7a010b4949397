// Numbers, table cells and JSON strings as every writer prints them (core/common, {fmt} underneath).
#include <catch2/catch.hpp>

#include "common/diagnostics.hpp"
#include "common/text_format.hpp"
#include "scenario/json_writer.hpp"

using pathways::cell;
using pathways::fixed;
using pathways::padded;
using pathways::parse_number;
using pathways::signed_fixed;

TEST_CASE("fixed numbers have the decimals asked for, signed ones always a sign", "[text]") {
    CHECK(fixed(1.5, 2) == "1.50");
    CHECK(fixed(-0.126, 2) == "-0.13");
    CHECK(fixed(1234.0, 0) == "1234");
    CHECK(signed_fixed(0.1234, 3) == "+0.123");
    CHECK(signed_fixed(-1.26, 1) == "-1.3");
    CHECK(signed_fixed(0.0, 1) == "+0.0");
}

TEST_CASE("padded text fills its column and is never cut, a cell adds one space after it", "[text]") {
    CHECK(padded("ab", 4) == "ab  ");
    CHECK(padded("abcdef", 4) == "abcdef");
    CHECK(padded("", 2) == "  ");
    // Columns as the terminal shows them: "β" is two bytes and one column wide.
    CHECK(padded("\u03b2", 3) == "\u03b2  ");
    CHECK(cell("ab", 4) == "ab   ");
    CHECK(cell("abcdef", 4) == "abcdef ");
}

TEST_CASE("a number is read only from a whole finite text", "[text]") {
    CHECK(parse_number("1.5") == 1.5);
    CHECK(parse_number("-2e-3") == -0.002);
    CHECK_FALSE(parse_number("").has_value());
    CHECK_FALSE(parse_number("1.5x").has_value());
    CHECK_FALSE(parse_number("nan").has_value());
    CHECK_FALSE(parse_number("1e999").has_value());
    CHECK_FALSE(parse_number("-inf").has_value());
}

TEST_CASE("JSON strings escape quotes, backslashes and control characters and keep UTF-8", "[text][json]") {
    const auto quoted = [](std::string_view text) { return pathways::json::to_text(pathways::json::value(text), -1); };
    CHECK(quoted("plain") == "\"plain\"");
    CHECK(quoted("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(quoted("\n\r\t\b\f") == "\"\\n\\r\\t\\b\\f\"");
    CHECK(quoted(std::string_view("\x01\x1f", 2)) == "\"\\u0001\\u001f\"");
    CHECK(quoted("\u03b2 \u2013") == "\"\u03b2 \u2013\"");
    CHECK(quoted("") == "\"\"");
}

TEST_CASE("severities are spelled as messages and JSON output spell them", "[text]") {
    CHECK(pathways::severity_name(pathways::severity::error) == "error");
    CHECK(pathways::severity_name(pathways::severity::warning) == "warning");
    CHECK(pathways::severity_name(pathways::severity::note) == "note");
}
