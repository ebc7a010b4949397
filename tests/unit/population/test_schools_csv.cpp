#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "common/csv.hpp"
#include "population/schools_csv.hpp"
#include "population_test_support.hpp"

using namespace pathways;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

// Reads `text` and requires exactly one error, which it returns.
diagnostic only_error(const std::string& text) {
    diagnostics found;
    const auto schools = read_schools_csv_text(text, "schools.csv", found);
    INFO(text);
    REQUIRE(found.items().size() == 1);
    const diagnostic& d = found.items().front();
    CHECK(d.level == severity::error);
    CHECK(d.file == "schools.csv");
    CHECK(d.column == 0);
    CHECK(d.pointer.empty());
    return d;
}

// One valid row, then `column` set to `value` in it; the error must be on line 2.
diagnostic error_for_field(const std::string& column, const std::string& value) {
    test::schools_csv_builder csv;
    csv.add_row("s1");
    csv.set(0, column, value);
    const diagnostic d = only_error(csv.text());
    CHECK(d.line == 2);
    return d;
}

}  // namespace

TEST_CASE("schools csv: a valid file gives every field", "[population][csv]") {
    test::schools_csv_builder csv;
    csv.add_row("s1");
    auto& second = csv.add_row("s2");
    second[csv.column("name")] = "\"Smith, \"\"Bright\"\" Academy\"";
    second[csv.column("level")] = "k8";
    second[csv.column("enrollment")] = "1250";
    second[csv.column("spf")] = "";
    second[csv.column("tags")] = " pl-pilot ; title-i;";
    second[csv.column("start_level")] = "1.5";
    second[csv.column("academic_optimism")] = "-0.25";
    second[csv.column("value_feasibility_gap")] = "0.4";

    diagnostics found;
    const auto schools = read_schools_csv_text(csv.text(), "schools.csv", found);
    REQUIRE_FALSE(found.has_errors());
    REQUIRE(schools.size() == 2);

    const school& a = schools[0];
    CHECK(a.id == "s1");
    CHECK(a.name == "School s1");
    CHECK(a.level == school_level::elementary);
    CHECK(a.enrollment == 400);
    CHECK(a.race_shares[static_cast<std::size_t>(sdk::race::hispanic)] == Approx(0.5));
    CHECK(a.race_shares[static_cast<std::size_t>(sdk::race::black)] == Approx(0.2));
    CHECK(a.race_shares[static_cast<std::size_t>(sdk::race::pacific_islander)] == Approx(0.01));
    CHECK(a.ell_share == Approx(0.3));
    CHECK(a.exited_ell_share == Approx(0.1));
    CHECK(a.frl_share == Approx(0.7));
    CHECK(a.sped_share == Approx(0.12));
    CHECK(a.spf == "green");
    CHECK(a.tags == std::vector<std::string>{"pl-pilot"});
    CHECK_FALSE(a.start_level.has_value());
    CHECK_FALSE(a.academic_optimism.has_value());
    CHECK_FALSE(a.value_feasibility_gap.has_value());
    CHECK(a.where.file == "schools.csv");
    CHECK(a.where.line == 2);

    const school& b = schools[1];
    CHECK(b.name == "Smith, \"Bright\" Academy");
    CHECK(b.level == school_level::k8);
    CHECK(b.enrollment == 1250);
    CHECK(b.spf.empty());
    CHECK(b.tags == std::vector<std::string>{"pl-pilot", "title-i"});
    REQUIRE(b.start_level.has_value());
    CHECK(*b.start_level == Approx(1.5));
    REQUIRE(b.academic_optimism.has_value());
    CHECK(*b.academic_optimism == Approx(-0.25));
    REQUIRE(b.value_feasibility_gap.has_value());
    CHECK(*b.value_feasibility_gap == Approx(0.4));
    CHECK(b.where.line == 3);
}

TEST_CASE("schools csv: BOM, CRLF, blank lines, free column order and absent optional columns", "[population][csv]") {
    const std::string text =
        "\xEF\xBB\xBF"
        "level,school_id,enrollment,name,share_hispanic,share_black,share_white,share_asian,share_multiracial,"
        "share_american_indian,share_pacific_islander,share_ell,share_exited_ell,share_frl,share_sped\r\n"
        "\r\n"
        "high,h1,900,\"North, High\",0.6,0.1,0.25,0.02,0.02,0.005,0.005,0.2,0.15,0.55,0.1\r\n";
    diagnostics found;
    const auto schools = read_schools_csv_text(text, "crlf.csv", found);
    REQUIRE_FALSE(found.has_errors());
    REQUIRE(schools.size() == 1);
    CHECK(schools[0].id == "h1");
    CHECK(schools[0].name == "North, High");
    CHECK(schools[0].level == school_level::high);
    CHECK(schools[0].enrollment == 900);
    CHECK(schools[0].sped_share == Approx(0.1));
    CHECK(schools[0].tags.empty());
    // Line 1 header, line 2 blank, line 3 the school.
    CHECK(schools[0].where.line == 3);
}

TEST_CASE("schools csv: a quoted field spanning lines keeps later line numbers right", "[population][csv]") {
    test::schools_csv_builder csv;
    csv.add_row("s1");
    csv.add_row("s2");
    csv.set(0, "name", "\"Two\nLines\"");
    csv.set(1, "share_black", "abc");
    // Row s1 occupies lines 2-3, so s2 is on line 4.
    const diagnostic d = only_error(csv.text());
    CHECK(d.line == 4);
    CHECK(d.message == "column share_black: expected a number, got 'abc'");
}

TEST_CASE("schools csv: reads a file from disk", "[population][csv]") {
    diagnostics found;
    const auto schools = read_schools_csv(PATHWAYS_TEST_DATA "/data/population/schools_small.csv", found);
    REQUIRE_FALSE(found.has_errors());
    REQUIRE(schools.size() == 3);
    CHECK(schools[0].id == "alpha");
    CHECK(schools[1].level == school_level::k8);
    CHECK(schools[2].name == "Gamma \"Early College\", High");
    CHECK(schools[2].enrollment == 1480);
}

TEST_CASE("schools csv: a missing file is an error naming it", "[population][csv]") {
    diagnostics found;
    const auto schools = read_schools_csv(PATHWAYS_TEST_DATA "/data/population/no_such_file.csv", found);
    CHECK(schools.empty());
    REQUIRE(found.items().size() == 1);
    CHECK_THAT(found.items()[0].file, Contains("no_such_file.csv"));
    CHECK_THAT(found.items()[0].message, StartsWith("cannot open file"));
}

TEST_CASE("schools csv: header errors", "[population][csv]") {
    SECTION("missing required column") {
        test::schools_csv_builder csv;
        csv.add_row("s1");
        csv.remove_column("share_ell");
        const diagnostic d = only_error(csv.text());
        CHECK(d.line == 1);
        CHECK(d.message == "column share_ell: required column is missing from the header");
    }
    SECTION("misspelled column gets a did-you-mean and the real one is missing") {
        test::schools_csv_builder csv;
        csv.add_row("s1");
        csv.rename_column("share_frl", "share_frll");
        diagnostics found;
        read_schools_csv_text(csv.text(), "schools.csv", found);
        found.sort();
        REQUIRE(found.items().size() == 2);
        CHECK(found.items()[0].line == 1);
        CHECK(found.items()[0].message == "column share_frl: required column is missing from the header");
        CHECK(found.items()[1].line == 1);
        CHECK(found.items()[1].message == "column share_frll: unknown column; did you mean 'share_frl'?");
    }
    SECTION("unknown extra column") {
        test::schools_csv_builder csv;
        csv.header.push_back("principal");
        csv.add_row("s1").push_back("Ms. Lee");
        const diagnostic d = only_error(csv.text());
        CHECK(d.line == 1);
        CHECK(d.message == "column principal: unknown column");
    }
    SECTION("repeated column") {
        test::schools_csv_builder csv;
        csv.header.push_back("share_sped");
        csv.add_row("s1").push_back("0.1");
        const diagnostic d = only_error(csv.text());
        CHECK(d.line == 1);
        CHECK(d.message == "column share_sped: appears twice in the header");
    }
    SECTION("optional columns may be left out") {
        test::schools_csv_builder csv;
        csv.add_row("s1");
        for (const char* name : {"spf", "tags", "start_level", "academic_optimism", "value_feasibility_gap"}) {
            csv.remove_column(name);
        }
        diagnostics found;
        const auto schools = read_schools_csv_text(csv.text(), "schools.csv", found);
        CHECK_FALSE(found.has_errors());
        CHECK(schools.size() == 1);
    }
}

TEST_CASE("schools csv: empty file and header without rows", "[population][csv]") {
    const diagnostic empty = only_error("");
    CHECK(empty.line == 1);
    CHECK_THAT(empty.message, StartsWith("no header row"));

    test::schools_csv_builder csv;
    const diagnostic header_only = only_error(csv.text());
    CHECK(header_only.line == 1);
    CHECK_THAT(header_only.message, StartsWith("no school rows"));
}

TEST_CASE("schools csv: wrong field count", "[population][csv]") {
    test::schools_csv_builder csv;
    csv.add_row("s1");
    csv.add_row("s2").push_back("extra");
    const diagnostic d = only_error(csv.text());
    CHECK(d.line == 3);
    CHECK(d.message == "row has 21 fields; expected 20 as in the header");
}

TEST_CASE("schools csv: malformed quoting", "[population][csv]") {
    test::schools_csv_builder csv;
    csv.add_row("s1");
    SECTION("text after a closing quote") {
        csv.set(0, "name", "\"Alpha\" School");
        const diagnostic d = only_error(csv.text());
        CHECK(d.line == 2);
        CHECK_THAT(d.message, StartsWith("malformed csv: text after a closing quote"));
    }
    SECTION("quote inside an unquoted field") {
        csv.set(0, "name", "Alpha \"A\" School");
        const diagnostic d = only_error(csv.text());
        CHECK(d.line == 2);
        CHECK_THAT(d.message, StartsWith("malformed csv: quote inside an unquoted field"));
    }
    SECTION("a malformed header is the only error, not a cascade from the first row") {
        csv.header[1] = "\"name\"x";
        const diagnostic d = only_error(csv.text());
        CHECK(d.line == 1);
        CHECK_THAT(d.message, StartsWith("malformed csv: text after a closing quote"));
    }
    SECTION("quote never closed") {
        csv.add_row("s2");
        csv.set(1, "name", "\"Beta");
        // The open quote swallows the rest of the file; the header and row s1 still parse.
        diagnostics found;
        const auto schools = read_schools_csv_text(csv.text(), "schools.csv", found);
        REQUIRE(found.items().size() == 1);
        CHECK(found.items()[0].line == 3);
        CHECK_THAT(found.items()[0].message, StartsWith("malformed csv: quoted field is never closed"));
        CHECK(schools.size() == 1);
    }
}

TEST_CASE("schools csv: bad numbers", "[population][csv]") {
    CHECK(error_for_field("share_black", "abc").message == "column share_black: expected a number, got 'abc'");
    CHECK(error_for_field("share_black", "").message == "column share_black: is empty; expected a number");
    CHECK(error_for_field("share_frl", "0.5x").message == "column share_frl: expected a number, got '0.5x'");
    CHECK(error_for_field("share_frl", "nan").message == "column share_frl: expected a finite number, got 'nan'");
    CHECK(error_for_field("share_sped", "inf").message == "column share_sped: expected a finite number, got 'inf'");
    CHECK(error_for_field("academic_optimism", "-inf").message ==
          "column academic_optimism: expected a finite number, got '-inf'");
    CHECK(error_for_field("value_feasibility_gap", "1e400").message ==
          "column value_feasibility_gap: number '1e400' is out of range");
}

TEST_CASE("schools csv: shares outside 0..1", "[population][csv]") {
    CHECK(error_for_field("share_frl", "1.2").message == "column share_frl: share 1.2 is outside 0..1");
    CHECK(error_for_field("share_sped", "-0.1").message == "column share_sped: share -0.1 is outside 0..1");
    CHECK(error_for_field("share_ell", "1.5").message == "column share_ell: share 1.5 is outside 0..1");
    // Shown exactly: six significant digits would print "share 1 is outside 0..1".
    CHECK(error_for_field("share_frl", "1.0000001").message == "column share_frl: share 1.0000001 is outside 0..1");
}

TEST_CASE("schools csv: race shares must sum to 1 within 0.01", "[population][csv]") {
    // Default row sums to 1; share_hispanic 0.45 instead of 0.5 makes it 0.95.
    CHECK(error_for_field("share_hispanic", "0.45").message ==
          "column share_*: race shares sum to 0.9500000000000002; expected 1 (within 0.01)");
    // 0.505 makes it 1.005: within 0.01, accepted.
    test::schools_csv_builder csv;
    csv.add_row("s1");
    csv.set(0, "share_hispanic", "0.505");
    diagnostics found;
    CHECK(read_schools_csv_text(csv.text(), "schools.csv", found).size() == 1);
    CHECK_FALSE(found.has_errors());
}

TEST_CASE("schools csv: ell plus exited ell above 1", "[population][csv]") {
    test::schools_csv_builder csv;
    csv.add_row("s1");
    csv.set(0, "share_ell", "0.7");
    csv.set(0, "share_exited_ell", "0.4");
    const diagnostic d = only_error(csv.text());
    CHECK(d.line == 2);
    CHECK(d.message == "column share_exited_ell: share_ell + share_exited_ell = 1.1; expected at most 1");
}

TEST_CASE("schools csv: enrollment must be a whole number from 1 to 1e9", "[population][csv]") {
    const std::string expected = "; expected a whole number of students from 1 to 1000000000";
    CHECK(error_for_field("enrollment", "-5").message == "column enrollment: -5 is negative" + expected);
    CHECK(error_for_field("enrollment", "12.5").message == "column enrollment: 12.5 is not a whole number" + expected);
    CHECK(error_for_field("enrollment", "0").message == "column enrollment: 0 students is too few" + expected);
    CHECK(error_for_field("enrollment", "2e9").message == "column enrollment: 2e+09 is too large" + expected);
    // 1e40 and 2^64 would overflow an int64 conversion; they must be caught before it.
    CHECK(error_for_field("enrollment", "1e40").message == "column enrollment: 1e+40 is too large" + expected);
    CHECK(error_for_field("enrollment", "18446744073709551616").message ==
          "column enrollment: 18446744073709551616 is too large" + expected);
    CHECK(error_for_field("enrollment", "many").message == "column enrollment: expected a number, got 'many'");
}

TEST_CASE("schools csv: level, spf and start_level", "[population][csv]") {
    CHECK(error_for_field("level", "middel").message ==
          "column level: unknown level 'middel'; expected elementary, middle, high or k8; did you mean 'middle'?");
    CHECK(error_for_field("level", "").message == "column level: is empty; expected elementary, middle, high or k8");
    CHECK(error_for_field("spf", "purple").message ==
          "column spf: unknown spf colour 'purple'; expected green, yellow, red, blue, orange or blank");
    CHECK(error_for_field("start_level", "3.5").message == "column start_level: 3.5 is outside 0..3");
    CHECK(error_for_field("start_level", "-1").message == "column start_level: -1 is outside 0..3");
    CHECK(error_for_field("school_id", "").message == "column school_id: is empty; expected a school id");
}

TEST_CASE("schools csv: duplicate school ids point at the first", "[population][csv]") {
    test::schools_csv_builder csv;
    csv.add_row("s1");
    csv.add_row("s2");
    csv.add_row("s1");
    diagnostics found;
    const auto schools = read_schools_csv_text(csv.text(), "schools.csv", found);
    REQUIRE(found.items().size() == 1);
    CHECK(found.items()[0].line == 4);
    CHECK(found.items()[0].message == "column school_id: duplicate school id 's1'; first defined on line 2");
    CHECK(schools.size() == 2);
}

TEST_CASE("schools csv: every error is reported in one pass", "[population][csv]") {
    test::schools_csv_builder csv;
    csv.add_row("ok");
    csv.add_row("bad1");
    csv.add_row("bad2");
    csv.add_row("ok2");
    csv.set(1, "share_black", "abc");
    csv.set(1, "level", "hgh");
    csv.set(2, "enrollment", "-1");
    csv.set(2, "start_level", "4");
    diagnostics found;
    const auto schools = read_schools_csv_text(csv.text(), "schools.csv", found);
    found.sort();
    REQUIRE(found.items().size() == 4);
    // Sorted by line, then message.
    CHECK(found.items()[0].line == 3);
    CHECK_THAT(found.items()[0].message, StartsWith("column level: unknown level 'hgh'"));
    CHECK(found.items()[1].line == 3);
    CHECK_THAT(found.items()[1].message, StartsWith("column share_black: "));
    CHECK(found.items()[2].line == 4);
    CHECK_THAT(found.items()[2].message, StartsWith("column enrollment: "));
    CHECK(found.items()[3].line == 4);
    CHECK_THAT(found.items()[3].message, StartsWith("column start_level: "));
    // Only the valid rows come back.
    REQUIRE(schools.size() == 2);
    CHECK(schools[0].id == "ok");
    CHECK(schools[1].id == "ok2");
    CHECK(format_diagnostic(found.items()[1]) ==
          "schools.csv:3: error: column share_black: expected a number, got 'abc'");
}

TEST_CASE("a trailing comma at the very end of the input is one more empty field, read without overrunning") {
    // Found by fuzz_district_reader: the parser read one byte past the input after the last comma.
    // The text is a buffer with no terminator behind it, so AddressSanitizer sees any overrun.
    const std::vector<char> bytes{'a', ',', 'b', '\n', '1', ','};
    pathways::diagnostics found;
    const auto records = pathways::parse_csv(std::string_view(bytes.data(), bytes.size()), "t.csv", found);
    CHECK(found.items().empty());
    REQUIRE(records.size() == 2);
    CHECK(records[1].fields == std::vector<std::string>{"1", ""});
}
