// The JSON writer every output goes through: values, their text, and text pathways wrote taken back
// as a value (so a document is nested as a member, never spliced into another's text).
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "scenario/json_writer.hpp"

using pathways::json::from_text;
using pathways::json::to_text;
using pathways::json::value;

TEST_CASE("a value is written in its members' order, NaN as null", "[json][writer]") {
    const value v = value().set("b", 1).set("a", value::array{0.5, "x", nullptr, std::nan("")}).set("t", true);
    CHECK(to_text(v, -1) == R"({"b":1,"a":[0.5,"x",null,null],"t":true})");
}

TEST_CASE("text pathways wrote comes back as the same value, members in order", "[json][writer]") {
    const std::string text = R"({"z":{"k":[1,-2,3.25,"s",false,null]},"a":18446744073709551615,"m":"é"})";
    CHECK(to_text(from_text(text), -1) == text);
    // Nested as a member of another document: one valid JSON text, no splice.
    CHECK(to_text(value().set("before", 1).set("model", from_text(text)), -1) ==
          R"({"before":1,"model":)" + text + "}");
    CHECK_THROWS_AS(from_text("{\"a\": "), std::invalid_argument);
}
