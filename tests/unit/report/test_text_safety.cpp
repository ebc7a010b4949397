// Text from input files as it leaves the program: CSV cells, the terminal, numbers in messages.
#include <catch2/catch.hpp>

#include "common/csv.hpp"
#include "common/text_safety.hpp"

using pathways::csv_field;
using pathways::shortest_number;
using pathways::terminal_text;

TEST_CASE("CSV text cells that a spreadsheet would run as a formula get a leading quote", "[report][csv]") {
    CHECK(csv_field("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
    CHECK(csv_field("+1") == "'+1");
    CHECK(csv_field("-2") == "'-2");
    CHECK(csv_field("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv_field("\tx") == "'\tx");
    CHECK(csv_field("\rx") == "\"'\rx\"");
    CHECK(csv_field("race:black") == "race:black");
    CHECK(csv_field("a, b") == "\"a, b\"");
    CHECK(csv_field("") == "");
    CHECK(pathways::csv_field("=1+1") == "'=1+1");  // every writer's text cells go through it
}

TEST_CASE("control characters reach the terminal as escapes", "[report][terminal]") {
    CHECK(terminal_text("\x1b[31mred\x07") == "\\x1b[31mred\\x07");
    CHECK(terminal_text("a\nb\tc\rd") == "a\\nb\\tc\\rd");
    CHECK(terminal_text(std::string("nul\0x", 5)) == "nul\\x00x");
    CHECK(terminal_text("caf\xc3\xa9") == "caf\xc3\xa9");  // UTF-8 stays as it is
}

TEST_CASE("numbers in messages are shown exactly", "[report][terminal]") {
    CHECK(shortest_number(1.0000001) == "1.0000001");  // "%g" and a default ostream print 1
    CHECK(shortest_number(0.1) == "0.1");
    CHECK(shortest_number(-0.5) == "-0.5");
    CHECK(shortest_number(1e-300) == "1e-300");
    CHECK(shortest_number(2.0) == "2");
}
