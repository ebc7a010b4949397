#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "scenario/json_reader.hpp"

namespace json = pathways::json;

namespace {

std::vector<std::string> messages(const pathways::diagnostics& found) {
    std::vector<std::string> text;
    for (const auto& d : found.items()) text.push_back(pathways::format_diagnostic(d));
    return text;
}

/// Parses text that must fail with exactly one error, and returns that error formatted.
std::string single_error(const std::string& text) {
    pathways::diagnostics found;
    const auto doc = json::parse(text, "t.json", found);
    CHECK_FALSE(doc.has_value());
    REQUIRE(found.items().size() == 1);
    return pathways::format_diagnostic(found.items().front());
}

json::document parse_clean(const std::string& text) {
    pathways::diagnostics found;
    auto doc = json::parse(text, "t.json", found);
    const std::string first = found.items().empty() ? std::string() : messages(found).front();
    INFO(first);
    REQUIRE(doc.has_value());
    REQUIRE_FALSE(found.has_errors());
    REQUIRE_FALSE(doc->has_errors);
    return std::move(*doc);
}

bool same(json::location a, std::size_t line, std::size_t column) { return a.line == line && a.column == column; }

}  // namespace

TEST_CASE("positions of nested values and keys") {
    const std::string text =
        "{\n"
        "  \"implementation\": {\n"
        "    \"waves\": [\n"
        "      {\"name\": \"pilot\", \"targets\": {\"*\": 2.0}}\n"
        "    ]\n"
        "  }\n"
        "}\n";
    const auto doc = parse_clean(text);
    CHECK(doc.root["implementation"]["waves"][0]["targets"]["*"] == 2.0);
    CHECK(same(doc.where(""), 1, 1));
    // line 2: two spaces, "implementation" fills columns 3-18, ':' 19, ' ' 20, '{' 21
    CHECK(same(doc.key_where("/implementation"), 2, 3));
    CHECK(same(doc.where("/implementation"), 2, 21));
    // line 3: four spaces, "waves" fills 5-11, ':' 12, ' ' 13, '[' 14
    CHECK(same(doc.key_where("/implementation/waves"), 3, 5));
    CHECK(same(doc.where("/implementation/waves"), 3, 14));
    // line 4: '{' 7, "name" 8-13, ':' 14, ' ' 15, "pilot" 16-22, ',' 23, ' ' 24, "targets" 25-33, ':' 34, ' ' 35,
    // '{' 36, "*" 37-39, ':' 40, ' ' 41, 2.0 at 42
    CHECK(same(doc.where("/implementation/waves/0"), 4, 7));
    CHECK(same(doc.key_where("/implementation/waves/0/targets"), 4, 25));
    CHECK(same(doc.where("/implementation/waves/0/targets"), 4, 36));
    CHECK(same(doc.where("/implementation/waves/0/targets/*"), 4, 42));
    // An unknown pointer falls back to its nearest known ancestor, the wave object.
    CHECK(same(doc.where("/implementation/waves/0/nope/deeper"), 4, 7));
    // An array element has no key: its key location is the value's.
    CHECK(same(doc.key_where("/implementation/waves/0"), 4, 7));
}

TEST_CASE("columns count characters, not bytes") {
    // '{' 1, "é" 2-4 (é is 2 bytes, 1 character), ':' 5, ' ' 6, "ü" 7-9, ',' 10, ' ' 11, "k" 12-14, ':' 15, ' ' 16, 1 at 17
    const auto doc = parse_clean("{\"\xC3\xA9\": \"\xC3\xBC\", \"k\": 1}");
    CHECK(same(doc.key_where("/k"), 1, 12));
    CHECK(same(doc.where("/k"), 1, 17));
}

TEST_CASE("pointers escape '~' and '/'") {
    CHECK(json::pointer_append("", "a/b~c") == "/a~1b~0c");
    CHECK(json::pointer_append("/x", std::size_t{12}) == "/x/12");
    const auto doc = parse_clean("{\"a/b~c\": [true, null]}");
    // '{' 1, "a/b~c" 2-8, ':' 9, ' ' 10, '[' 11, true 12-15, ',' 16, ' ' 17, null 18
    CHECK(same(doc.where("/a~1b~0c/1"), 1, 18));
    CHECK(same(doc.key_where("/a~1b~0c"), 1, 2));
}

TEST_CASE("string escapes decode to utf-8") {
    const auto doc = parse_clean(R"(["\"\\\/\b\f\n\r\t", "\u0041\u00e9\u20ac", "\ud83d\ude00", "\uD83D\uDE00"])");
    CHECK(doc.root[0] == "\"\\/\b\f\n\r\t");
    // U+0041 'A'; U+00E9 is C3 A9; U+20AC is E2 82 AC
    CHECK(doc.root[1] == "A\xC3\xA9\xE2\x82\xAC");
    // U+1F600 = 0x10000 + (0xD83D-0xD800)*0x400 + (0xDE00-0xDC00), encoded F0 9F 98 80
    CHECK(doc.root[2] == "\xF0\x9F\x98\x80");
    CHECK(doc.root[3] == "\xF0\x9F\x98\x80");
    CHECK(parse_clean("\"caf\xC3\xA9\"").root == "caf\xC3\xA9");
}

TEST_CASE("bad strings are syntax errors at the offending character") {
    CHECK(
        single_error(R"(["\ud800"])") ==
        "t.json:1:3: error: unpaired high surrogate in \\u escape; expected a low surrogate \\udc00-\\udfff after it");
    CHECK(single_error(R"(["\udc00"])") ==
          "t.json:1:3: error: unpaired low surrogate in \\u escape; expected a high surrogate \\ud800-\\udbff first");
    CHECK(single_error(R"(["\ud800\u0041"])") ==
          "t.json:1:9: error: invalid low surrogate in \\u escape; expected \\udc00-\\udfff after a high surrogate");
    CHECK(single_error(R"(["\u12g4"])") == "t.json:1:3: error: invalid \\u escape; expected 4 hex digits after \\u");
    CHECK(single_error(R"(["a\q"])") ==
          "t.json:1:4: error: invalid escape in string; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
    CHECK(single_error("[\"a\nb\"]") ==
          "t.json:1:4: error: control character (byte 0x0a) in string; expected it escaped, for example \\n or \\t");
    CHECK(single_error("[\"a\xFF\"]") == "t.json:1:4: error: invalid utf-8 (byte 0xff) in string; expected utf-8 text");
    // C0 AF is an overlong encoding of '/'; ED A0 80 encodes a surrogate: both are invalid UTF-8.
    CHECK(single_error("\"\xC0\xAF\"") ==
          "t.json:1:2: error: invalid utf-8 (byte 0xc0) in string; expected utf-8 text");
    CHECK(single_error("\"\xED\xA0\x80\"") ==
          "t.json:1:2: error: invalid utf-8 (byte 0xed) in string; expected utf-8 text");
    CHECK(single_error("[\n  \"abc") ==
          "t.json:2:3: error: unterminated string starting here; expected '\"' before end of input");
}

TEST_CASE("duplicate keys are reported with both lines and the first value is kept") {
    const std::string text =
        "{\n"
        "  \"a\": 1,\n"
        "  \"b\": {\"x\": 1,\n"
        "        \"x\": {\"deep\": [1, 2]}},\n"
        "  \"a\": 3\n"
        "}\n";
    pathways::diagnostics found;
    const auto doc = json::parse(text, "t.json", found);
    REQUIRE(doc.has_value());
    CHECK(messages(found) == std::vector<std::string>{
                                 "t.json:4:9: error: /b/x: duplicate key 'x'; first defined at line 3",
                                 "t.json:5:3: error: /a: duplicate key 'a'; first defined at line 2",
                             });
    CHECK(doc->has_errors);
    CHECK(doc->root["a"] == 1);
    CHECK(doc->root["b"]["x"] == 1);
    // The discarded duplicate must not overwrite the first one's location. Line 3: "b" 3-5, ':' 6, ' ' 7, '{' 8,
    // "x" 9-11, ':' 12, ' ' 13, value 1 at 14.
    CHECK(same(doc->where("/b/x"), 3, 14));
    CHECK(same(doc->where("/a"), 2, 8));
}

TEST_CASE("nesting depth is limited before descending") {
    SECTION("100,000 nested arrays fail cleanly") {
        CHECK(single_error(std::string(100000, '[')) ==
              "t.json:1:129: error: nesting deeper than 128 levels; expected at most 128 levels of arrays and objects");
    }
    SECTION("exactly the limit parses, one more does not") {
        const std::string at_limit = std::string(128, '[') + std::string(128, ']');
        CHECK(parse_clean(at_limit).root.is_array());
        pathways::diagnostics found;
        CHECK_FALSE(json::parse(std::string(129, '[') + std::string(129, ']'), "t.json", found).has_value());
    }
    SECTION("objects count too, and the limit is configurable") {
        pathways::diagnostics found;
        CHECK_FALSE(json::parse(R"({"a": {"b": {}}})", "t.json", found, json::limits{2, 1024}).has_value());
        CHECK(messages(found) == std::vector<std::string>{"t.json:1:13: error: nesting deeper than 2 levels; expected "
                                                          "at most 2 levels of arrays and objects"});
    }
}

TEST_CASE("size limit is checked before parsing") {
    // 10,000 strings of 1,000 characters: 10,000 * (1,000 + 2 quotes + 1 comma) - 1 + 2 brackets = 10,030,001 bytes
    std::string big = "[";
    for (int i = 0; i < 10000; ++i) {
        if (i > 0) big += ',';
        big += '"' + std::string(1000, 'x') + '"';
    }
    big += ']';
    REQUIRE(big.size() == 10030001);
    SECTION("a 10 MB file is within the default 32 MiB limit") {
        const auto doc = parse_clean(big);
        CHECK(doc.root.size() == 10000);
        CHECK(doc.root[9999].get<std::string>().size() == 1000);
    }
    SECTION("a lower limit rejects it") {
        pathways::diagnostics found;
        CHECK_FALSE(json::parse(big, "t.json", found, json::limits{128, 1u << 20}).has_value());
        CHECK(messages(found) ==
              std::vector<std::string>{"t.json: error: input is 10030001 bytes; expected at most 1048576 bytes"});
    }
    SECTION("files are checked by size before they are read") {
        const auto path = std::filesystem::temp_directory_path() / "pathways_test_json_big.json";
        {
            std::ofstream file(path, std::ios::binary);
            file << big;
        }
        pathways::diagnostics found;
        CHECK_FALSE(json::parse_file(path, found, json::limits{128, 1u << 20}).has_value());
        REQUIRE(found.items().size() == 1);
        CHECK(found.items().front().message == "file is 10030001 bytes; expected at most 1048576 bytes");
        pathways::diagnostics fine;
        const auto doc = json::parse_file(path, fine);
        CHECK(doc.has_value());
        CHECK(doc->file == path.string());
        std::filesystem::remove(path);
    }
}

TEST_CASE("parse_file reports unreadable files") {
    pathways::diagnostics found;
    CHECK_FALSE(json::parse_file("/nonexistent/pathways/none.json", found).has_value());
    REQUIRE(found.items().size() == 1);
    CHECK(found.items().front().file == "/nonexistent/pathways/none.json");
    CHECK(found.items().front().message.rfind("cannot read file: ", 0) == 0);
    pathways::diagnostics directory;
    CHECK_FALSE(json::parse_file(std::filesystem::temp_directory_path(), directory).has_value());
    REQUIRE(directory.items().size() == 1);
    CHECK(directory.items().front().message == "is a directory; expected a json file");
}

TEST_CASE("numbers") {
    SECTION("integers that fit int64 stay integers") {
        const auto doc = parse_clean("[0, -0, 9223372036854775807, -9223372036854775808, 42]");
        CHECK(doc.root[0].is_number_integer());
        CHECK(doc.root[1].is_number_integer());
        CHECK(doc.root[1].get<std::int64_t>() == 0);
        CHECK(doc.root[2].get<std::int64_t>() == INT64_MAX);
        CHECK(doc.root[3].get<std::int64_t>() == INT64_MIN);
        CHECK_FALSE(doc.root[4].is_number_unsigned());
    }
    SECTION("doubles") {
        const auto doc = parse_clean("[1.5e-300, -0.0, 2.5, 1E2, 1e-400, -1e-400]");
        CHECK(doc.root[0].get<double>() == 1.5e-300);
        CHECK(std::signbit(doc.root[1].get<double>()));
        CHECK(doc.root[2].get<double>() == 2.5);
        CHECK(doc.root[3].is_number_float());
        CHECK(doc.root[3].get<double>() == 100.0);
        // 1e-400 is below the smallest denormal (about 4.9e-324): it rounds to zero, keeping its sign.
        CHECK(doc.root[4].get<double>() == 0.0);
        CHECK(std::signbit(doc.root[5].get<double>()));
    }
    SECTION("out of range numbers are reported at the value and parsing continues") {
        pathways::diagnostics found;
        const auto doc =
            json::parse("{\"a\": 1e400,\n \"b\": 18446744073709551616, \"c\": -1e400, \"d\": 1}", "t.json", found);
        REQUIRE(doc.has_value());
        CHECK(messages(found) ==
              std::vector<std::string>{
                  "t.json:1:7: error: /a: number 1e400 is out of range; expected a finite number",
                  "t.json:2:7: error: /b: integer 18446744073709551616 is out of range; expected -9223372036854775808 "
                  "to 9223372036854775807",
                  "t.json:2:34: error: /c: number -1e400 is out of range; expected a finite number",
              });
        CHECK(doc->has_errors);
        CHECK(doc->already_reported("/a"));
        CHECK(doc->already_reported("/b"));
        CHECK_FALSE(doc->already_reported("/d"));
        CHECK(doc->root["a"].is_null());
        CHECK(doc->root["d"] == 1);
    }
    SECTION("long numbers are shortened in messages") {
        pathways::diagnostics found;
        const auto doc = json::parse(std::string(60, '9'), "t.json", found);
        REQUIRE(found.items().size() == 1);
        CHECK(found.items().front().message == "integer " + std::string(40, '9') +
                                                   "... is out of range; expected -9223372036854775808 to "
                                                   "9223372036854775807");
    }
    SECTION("1e308 fits, 1e309 does not; a huge mantissa with a negative exponent is still too big") {
        CHECK(parse_clean("1e308").root.get<double>() == 1e308);
        pathways::diagnostics found;
        CHECK(json::parse("[1e309, 1" + std::string(400, '0') + "e-50]", "t.json", found).has_value());
        CHECK(found.items().size() == 2);
    }
}

TEST_CASE("syntax errors name line, column, what was found and what was expected") {
    CHECK(single_error("") == "t.json:1:1: error: empty input; expected a json value");
    CHECK(single_error("  \n ") == "t.json:2:2: error: empty input; expected a json value");
    CHECK(single_error("{\n  \"a\" 1}") == "t.json:2:7: error: unexpected '1'; expected ':' after key 'a'");
    CHECK(single_error("[1,]") ==
          "t.json:1:4: error: unexpected ']' after ','; expected another value (json has no trailing commas)");
    CHECK(single_error("{\"a\":1,}") ==
          "t.json:1:8: error: unexpected '}' after ','; expected another key (json has no trailing commas)");
    CHECK(single_error("[1 2]") == "t.json:1:4: error: unexpected '2'; expected ',' or ']'");
    CHECK(single_error("{\"a\":1 \"b\":2}") == "t.json:1:8: error: unexpected '\"'; expected ',' or '}'");
    CHECK(single_error("{a:1}") == "t.json:1:2: error: unexpected 'a'; expected a key in double quotes");
    CHECK(single_error("{'a':1}") == "t.json:1:2: error: unexpected '''; expected a key in double quotes");
    CHECK(single_error("01") ==
          "t.json:1:2: error: leading zero in number; expected '.', 'e' or the end of the number");
    CHECK(single_error("1.") == "t.json:1:3: error: unexpected end of input; expected a digit after '.'");
    CHECK(single_error("1.e5") == "t.json:1:3: error: unexpected 'e'; expected a digit after '.'");
    CHECK(single_error("1e+") == "t.json:1:4: error: unexpected end of input; expected a digit in the exponent");
    CHECK(single_error("-") == "t.json:1:2: error: unexpected end of input; expected a digit");
    CHECK(single_error("+1") == "t.json:1:1: error: unexpected '+'; expected a value");
    CHECK(single_error(".5") == "t.json:1:1: error: unexpected '.'; expected a value");
    CHECK(single_error("tru") ==
          "t.json:1:1: error: unexpected word 'tru'; expected a value (a string, number, object, array, true, false "
          "or null); did you mean 'true'?");
    // A file that is not json is named, its words never shown: it may be a key file.
    CHECK(single_error("AWS_SECRET_ACCESS_KEY=abc") ==
          "t.json:1:1: error: unexpected word of 21 characters; expected a value (a string, number, object, array, "
          "true, false or null)");
    CHECK(single_error("[1] x") == "t.json:1:5: error: unexpected 'x' after the json value; expected end of input");
    CHECK(single_error("// c\n{}") == "t.json:1:1: error: comments are not allowed in json; expected a value");
    CHECK(single_error("[") == "t.json:1:2: error: unexpected end of input; expected a value");
    CHECK(single_error("{\"a\":1") == "t.json:1:7: error: unexpected end of input; expected ',' or '}'");
    CHECK(single_error("{\"a\":") == "t.json:1:6: error: unexpected end of input; expected a value");
    CHECK(single_error("[\x01]") == "t.json:1:2: error: unexpected byte 0x01; expected a value");
    CHECK(single_error("[\xE2\x80\x9Cx\xE2\x80\x9D]") ==
          "t.json:1:2: error: unexpected '\xE2\x80\x9C'; expected a value");
}

TEST_CASE("NaN and Infinity are not json") {
    CHECK(single_error("[NaN]") == "t.json:1:2: error: 'NaN' is not a json number; expected a finite number");
    CHECK(single_error("[Infinity]") == "t.json:1:2: error: 'Infinity' is not a json number; expected a finite number");
    CHECK(single_error("[-Infinity]") ==
          "t.json:1:2: error: '-Infinity' is not a json number; expected a finite number");
}

TEST_CASE("literals, byte order mark and whitespace") {
    const auto doc = parse_clean("\xEF\xBB\xBF \t\r\n[true, false, null, {}, []]\r\n");
    CHECK(doc.root == nlohmann::json::parse("[true, false, null, {}, []]"));
    // The byte order mark takes no column: '[' is on line 2 after a tab, '\r' and ' ' on line 1.
    CHECK(same(doc.where(""), 2, 1));
}
