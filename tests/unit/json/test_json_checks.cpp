#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "scenario/json_checks.hpp"
#include "scenario/json_reader.hpp"

namespace json = pathways::json;

namespace {

std::vector<std::string> messages(const pathways::diagnostics& found) {
    std::vector<std::string> text;
    for (const auto& d : found.items()) text.push_back(pathways::format_diagnostic(d));
    return text;
}

json::document parse_or_fail(const std::string& text) {
    pathways::diagnostics found;
    auto doc = json::parse(text, "c.json", found);
    REQUIRE(doc.has_value());
    return std::move(*doc);
}

}  // namespace

TEST_CASE("json_type_name and format_number") {
    CHECK(json::json_type_name(nlohmann::json()) == "null");
    CHECK(json::json_type_name(nlohmann::json(true)) == "boolean");
    CHECK(json::json_type_name(nlohmann::json(1)) == "number");
    CHECK(json::json_type_name(nlohmann::json(1.5)) == "number");
    CHECK(json::json_type_name(nlohmann::json("x")) == "string");
    CHECK(json::json_type_name(nlohmann::json::array()) == "array");
    CHECK(json::json_type_name(nlohmann::json::object()) == "object");
    CHECK(json::format_number(1e40) == "1e40");
    CHECK(json::format_number(1.5e-7) == "1.5e-7");
    CHECK(json::format_number(3.0) == "3");
    CHECK(json::format_number(0.25) == "0.25");
}

TEST_CASE("object_reader reports each problem at its value") {
    const auto doc = parse_or_fail(
        "{\n"
        "  \"count\": 2.5,\n"
        "  \"big\": 1e40,\n"
        "  \"neg\": -3,\n"
        "  \"name\": 7,\n"
        "  \"level\": 1.5,\n"
        "  \"flag\": \"yes\",\n"
        "  \"nested\": [1],\n"
        "  \"nmae\": \"x\",\n"
        "  \"huge_count\": 1e40,\n"
        "  \"whole\": 3.0\n"
        "}\n");
    pathways::diagnostics found;
    {
        json::object_reader reader(doc, "", found);
        REQUIRE(reader.valid());
        CHECK_FALSE(reader.required_integer("count", 0, 100));
        CHECK_FALSE(reader.required_number("big", 0, 3));
        CHECK_FALSE(reader.required_integer("neg", 0));
        CHECK_FALSE(reader.required_string("name"));
        CHECK(reader.optional_number("level", 0, 3) == 1.5);
        CHECK_FALSE(reader.optional_bool("flag"));
        CHECK_FALSE(reader.child("nested").valid());
        CHECK_FALSE(reader.required_string("missing"));
        CHECK_FALSE(reader.optional_string("absent"));
        CHECK_FALSE(reader.optional_integer("huge_count", 0, 10));
        CHECK(reader.required_integer("whole", 0, 10) == 3);
        reader.finish();
    }
    CHECK(messages(found) == std::vector<std::string>{
                                 "c.json:2:12: error: /count: expected an integer, got 2.5",
                                 "c.json:3:10: error: /big: 1e40 is out of range; expected 0 to 3",
                                 "c.json:4:10: error: /neg: -3 is out of range; expected at least 0",
                                 "c.json:5:11: error: /name: expected a string, got a number",
                                 "c.json:7:11: error: /flag: expected true or false, got a string",
                                 "c.json:8:13: error: /nested: expected an object, got an array",
                                 "c.json:1:1: error: missing required key 'missing'",
                                 "c.json:10:17: error: /huge_count: 1e40 is out of range; expected 0 to 10",
                                 "c.json:9:3: error: /nmae: unknown key 'nmae'; did you mean 'name'?",
                             });
}

TEST_CASE("object_reader reports unknown keys in its destructor when finish() was not called") {
    const auto doc = parse_or_fail(R"({"outer": {"years": 6, "yeers": 7, "zzzzzz": 1}})");
    pathways::diagnostics found;
    {
        json::object_reader root(doc, "", found);
        json::object_reader horizon = root.child("outer");
        CHECK(horizon.required_integer("years", 1, 50) == 6);
    }
    // '{' 1, "outer" 2-8, ':' 9, ' ' 10, '{' 11, "years" 12-18, ':' 19, ' ' 20, 6 21, ',' 22, ' ' 23, "yeers" at 24;
    // ':' 31, ' ' 32, 7 33, ',' 34, ' ' 35, "zzzzzz" at 36. No suggestion is close to "zzzzzz".
    CHECK(messages(found) == std::vector<std::string>{
                                 "c.json:1:24: error: /outer/yeers: unknown key 'yeers'; did you mean 'years'?",
                                 "c.json:1:36: error: /outer/zzzzzz: unknown key 'zzzzzz'",
                             });
}

TEST_CASE("a moved reader reports its unknown keys once") {
    const auto doc = parse_or_fail(R"({"a": {"x": 1}, "b": {"y": 2}})");
    pathways::diagnostics found;
    {
        json::object_reader root(doc, "", found);
        std::optional<json::object_reader> nested = root.optional_child("a");
        REQUIRE(nested);
        nested = root.optional_child("b");  // finishes "a" (reporting x) before taking over "b"
        CHECK_FALSE(root.optional_child("c"));
    }
    CHECK(messages(found) == std::vector<std::string>{
                                 "c.json:1:8: error: /a/x: unknown key 'x'",
                                 "c.json:1:23: error: /b/y: unknown key 'y'",
                             });
}

TEST_CASE("object_reader on a value that is not an object") {
    const auto doc = parse_or_fail("{\"list\": [1, 2]}");
    pathways::diagnostics found;
    json::object_reader reader(doc, "/list", found);
    CHECK_FALSE(reader.valid());
    CHECK_FALSE(reader.required_number("x"));
    CHECK(reader.members().empty());
    reader.finish();
    CHECK(messages(found) == std::vector<std::string>{"c.json:1:10: error: /list: expected an object, got an array"});
    pathways::diagnostics missing;
    json::object_reader absent(doc, "/nothing/here", missing);
    CHECK_FALSE(absent.valid());
    CHECK(messages(missing) ==
          std::vector<std::string>{"c.json:1:1: error: /nothing/here: missing value; expected an object"});
}

TEST_CASE("a missing required object is reported once, and its reader stays quiet") {
    const auto doc = parse_or_fail(R"({"name": "x"})");
    pathways::diagnostics found;
    {
        json::object_reader root(doc, "", found);
        CHECK(root.required_string("name") == "x");
        json::object_reader horizon = root.child("horizon");
        CHECK_FALSE(horizon.valid());
        CHECK_FALSE(horizon.required_number("years"));
    }
    CHECK(messages(found) == std::vector<std::string>{"c.json:1:1: error: missing required key 'horizon'"});
}

TEST_CASE("arrays, members and raw values") {
    const auto doc =
        parse_or_fail(R"({"range": [0.1, "x"], "targets": {"*": 2, "a.*": 4}, "n": 1, "s": "t", "b": true})");
    pathways::diagnostics found;
    json::object_reader reader(doc, "", found);
    const auto range = reader.array("range");
    REQUIRE(range);
    CHECK(range->size() == 2);
    CHECK(range->pointer_of(1) == "/range/1");
    CHECK(json::read_number(doc, (*range)[0], range->pointer_of(0), found, 0, 1) == 0.1);
    CHECK_FALSE(json::read_number(doc, (*range)[1], range->pointer_of(1), found, 0, 1));
    CHECK_FALSE(reader.array("n"));
    CHECK_FALSE(reader.array("missing_list"));
    CHECK_FALSE(reader.optional_array("other_list"));
    auto targets = reader.child("targets");
    CHECK(targets.members() == std::vector<std::string>{"*", "a.*"});
    const nlohmann::json* value = targets.optional_value("a.*");
    REQUIRE(value != nullptr);
    CHECK_FALSE(json::read_number(doc, *value, targets.pointer_of("a.*"), found, 0, 3));
    CHECK(reader.required_value("s") != nullptr);
    CHECK(reader.optional_value("nope") == nullptr);
    CHECK(reader.required_bool("b") == true);
    CHECK(reader.has("b"));
    CHECK_FALSE(reader.has("nope"));
    targets.finish();
    reader.finish();
    // '{' 1, "range" 2-8, ':' 9, ' ' 10, '[' 11, 0.1 12-14, ',' 15, ' ' 16, "x" 17; then ']' 20, ',' 21, ' ' 22,
    // "targets" 23-31, ':' 32, ' ' 33, '{' 34, "*" 35-37, ':' 38, ' ' 39, 2 40, ',' 41, ' ' 42, "a.*" 43-47, ':' 48,
    // ' ' 49, 4 at 50; '}' 51, ',' 52, ' ' 53, "n" 54-56, ':' 57, ' ' 58, 1 at 59.
    CHECK(messages(found) == std::vector<std::string>{
                                 "c.json:1:17: error: /range/1: expected a number, got a string",
                                 "c.json:1:59: error: /n: expected an array, got a number",
                                 "c.json:1:1: error: missing required key 'missing_list'",
                                 "c.json:1:50: error: /targets/a.*: 4 is out of range; expected 0 to 3",
                             });
}

TEST_CASE("integers: unsigned, huge and fractional values are rejected without conversion") {
    pathways::diagnostics found;
    json::document doc;
    doc.file = "mem";
    const nlohmann::json big_unsigned = std::uint64_t{18446744073709551615u};
    CHECK_FALSE(json::read_integer(doc, big_unsigned, "/u", found, 0, 10));
    const nlohmann::json two_63 = 9223372036854775808.0;
    CHECK_FALSE(json::read_integer(doc, two_63, "/d", found));
    const nlohmann::json minus_two_63 = -9223372036854775808.0;
    CHECK(json::read_integer(doc, minus_two_63, "/m", found) == INT64_MIN);
    const nlohmann::json small_unsigned = std::uint64_t{7};
    CHECK(json::read_integer(doc, small_unsigned, "/s", found, 0, 10) == 7);
    CHECK(messages(found) == std::vector<std::string>{
                                 "mem: error: /u: 18446744073709551615 is out of range; expected 0 to 10",
                                 "mem: error: /d: 9223372036854775808 is out of range; expected any number",
                             });
}

TEST_CASE("values the parser already reported are not reported again") {
    pathways::diagnostics found;
    const auto doc = json::parse(R"({"w": 1e400, "n": 18446744073709551616})", "c.json", found);
    REQUIRE(doc);
    REQUIRE(found.items().size() == 2);
    json::object_reader reader(*doc, "", found);
    CHECK_FALSE(reader.required_number("w", 0, 1));
    CHECK_FALSE(reader.required_integer("n", 0, 1));
    reader.finish();
    CHECK(found.items().size() == 2);
}

TEST_CASE("integers: a number too small for a double is not the integer 0, 2.0 and 0.0 stay whole numbers") {
    const json::document doc =
        parse_or_fail(R"({"tiny": 1e-400, "negative_tiny": -2.5e-999, "two": 2.0, "zero": 0.0})");
    pathways::diagnostics found;
    CHECK_FALSE(json::read_integer(doc, doc.root["tiny"], "/tiny", found));
    CHECK_FALSE(json::read_integer(doc, doc.root["negative_tiny"], "/negative_tiny", found));
    CHECK(json::read_integer(doc, doc.root["two"], "/two", found) == 2);
    CHECK(json::read_integer(doc, doc.root["zero"], "/zero", found) == 0);
    CHECK(json::read_number(doc, doc.root["tiny"], "/tiny", found) == 0.0);  // as a number it is 0, the nearest double
    CHECK(messages(found) ==
          std::vector<std::string>{
              "c.json:1:10: error: /tiny: expected an integer, got 1e-400 (not a whole number)",
              "c.json:1:35: error: /negative_tiny: expected an integer, got -2.5e-999 (not a whole number)",
          });
}

TEST_CASE("text with a NUL character is rejected, so a path or an id cannot be cut short") {
    const json::document doc = parse_or_fail(
        R"({"district": "districts/denver-2018.json\u0000.x", "id": "ab\u0000", "ok": "districts/a.json"})");
    pathways::diagnostics found;
    json::object_reader reader(doc, "", found);
    CHECK_FALSE(reader.required_string("district"));
    CHECK_FALSE(reader.required_string("id"));
    CHECK(reader.required_string("ok") == "districts/a.json");
    reader.finish();
    CHECK(messages(found) ==
          std::vector<std::string>{
              "c.json:1:14: error: /district: text contains a NUL character (\\u0000); expected text without one",
              "c.json:1:58: error: /id: text contains a NUL character (\\u0000); expected text without one",
          });
}
