// The observed-data CSV: what it accepts, and every error it reports (file:line:col, the column, what
// is wrong and what is expected), all in one pass.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "scenario/observed_reader.hpp"

namespace {

using namespace pathways;

const observed_context context{"tiny", {"o", "academic.achievement.math"}, 2020, 2021};

std::vector<std::string> messages(const diagnostics& found) {
    std::vector<std::string> out;
    for (const diagnostic& d : found.items()) out.push_back(format_diagnostic(d));
    return out;
}

/// The messages `text` gets, after checking that reading it failed.
std::vector<std::string> errors_of(const std::string& text) {
    diagnostics found;
    CHECK_FALSE(read_observed_text(text, "obs.csv", context, found));
    CHECK(found.has_errors());
    return messages(found);
}

const std::string header = "subgroup,year,outcome,mean,n,se\n";

}  // namespace

TEST_CASE("observed data: cells are read with canonical subgroups, comments skipped and se defaulted", "[observed]") {
    const std::string text = "\xEF\xBB\xBF# SYNTHETIC example\n" + header +
                             "all,2020,academic.achievement.math,0.25,400,0.05\n"
                             "# a comment between rows keeps the line numbers\n"
                             " frl:yes&race:hispanic ,2021,o,-0.5,100,\n";
    diagnostics found;
    const auto data = read_observed_text(text, "obs.csv", context, found);
    REQUIRE(data);
    CHECK(found.items().empty());
    REQUIRE(data->cells.size() == 2);
    CHECK(data->cells[0].subgroup == "all");
    CHECK(data->cells[0].mean == 0.25);
    CHECK(data->cells[0].standard_error() == 0.05);
    CHECK(data->cells[0].where.line == 3);
    CHECK(data->cells[1].subgroup == "frl:yes&race:hispanic");  // trimmed
    CHECK(data->cells[1].year == 2021);
    CHECK(data->cells[1].n == 100);
    CHECK_FALSE(data->cells[1].se);
    CHECK(data->cells[1].standard_error() == 0.1);  // 1 / sqrt(100)
    CHECK(data->cells[1].where.line == 5);
}

TEST_CASE("observed data: optional school and note columns, a blank school being a district row", "[observed]") {
    diagnostics found;
    const auto data =
        read_observed_text("note,school,outcome,subgroup,year,n,mean\nfrom the state file,,o,all,2020,50,0.1\n",
                           "obs.csv", context, found);
    REQUIRE(data);
    REQUIRE(data->cells.size() == 1);
    CHECK(data->cells[0].standard_error() == 1.0 / std::sqrt(50.0));
}

TEST_CASE("observed data: every header problem is reported at its column", "[observed][errors]") {
    const auto got = errors_of("subgroup,yaer,outcome,mean,mean,extra\nall,2020,o,0.1,0.1,1\n");
    CHECK(got == std::vector<std::string>{
                     "obs.csv:1:1: error: column 'n': required column is missing from the header",
                     "obs.csv:1:1: error: column 'year': required column is missing from the header",
                     "obs.csv:1:10: error: column 'yaer': unknown column; expected subgroup, year, outcome, mean, n "
                     "and optionally se, school, note; did you mean 'year'?",
                     "obs.csv:1:28: error: column 'mean': appears twice in the header; expected each column once",
                     "obs.csv:1:33: error: column 'extra': unknown column; expected subgroup, year, outcome, mean, n "
                     "and optionally se, school, note"});
}

TEST_CASE("observed data: every value problem of every row is reported in one pass", "[observed][errors]") {
    const auto got = errors_of(header +
                               "race:purple,2020,o,0.1,10,0.1\n"                 // 2 subgroup
                               "all,2020.5,o,0.1,10,0.1\n"                       // 3 year not whole
                               "all,2019,o,0.1,10,0.1\n"                         // 4 year before the horizon
                               "all,2020,academic.achievement.mth,0.1,10,0.1\n"  // 5 outcome
                               "all,2020,o,nan,10,0.1\n"                         // 6 mean
                               "all,2020,o,0.1,0,0.1\n"                          // 7 n below 1
                               "all,2020,o,0.1,12.5,0.1\n"                       // 8 n not whole
                               "all,2020,o,0.1,10,-0.1\n"                        // 9 se not positive
                               "all,2020,o,0.1,10\n"                             // 10 field count
                               "all,2021,o,0.1,10,0.1\n"                         // 11 fine
                               "all,2021,o,0.2,10,0.1\n"                         // 12 same cell again
                               "all,2020,o,0.1,10,1e-200\n");                    // 13 se too small to weigh
    REQUIRE(got.size() == 11);
    CHECK(got[0].starts_with("obs.csv:2:1: error: column 'subgroup': unknown subgroup 'race:purple'"));
    CHECK(got[1] ==
          "obs.csv:3:5: error: column 'year': '2020.5' is not a whole year; expected a year of the "
          "scenario's horizon, 2020 to 2021");
    CHECK(got[2] ==
          "obs.csv:4:5: error: column 'year': 2019 is outside the projection; expected a year of the "
          "scenario's horizon, 2020 to 2021");
    CHECK(got[3] ==
          "obs.csv:5:10: error: column 'outcome': 'academic.achievement.mth' is not an outcome of model "
          "'tiny'; expected one of 'o', 'academic.achievement.math'; did you mean "
          "'academic.achievement.math'?");
    CHECK(got[4] ==
          "obs.csv:6:12: error: column 'mean': 'nan' is not a number; expected the observed mean in the "
          "outcome's units, as projection.csv reports its level (e.g. -0.12)");
    CHECK(got[5] ==
          "obs.csv:7:16: error: column 'n': '0' is not a student count; expected a whole number from 1 "
          "to 1e9");
    CHECK(got[6].starts_with("obs.csv:8:16: error: column 'n': '12.5' is not a student count"));
    CHECK(got[7] ==
          "obs.csv:9:19: error: column 'se': '-0.1' is not a standard error from 1e-06 to 10 SD; expected "
          "the mean's standard error, or blank for 1/sqrt(n)");
    CHECK(got[8] == "obs.csv:10:1: error: row has 5 fields; expected 6, one per header column");
    CHECK(got[9] ==
          "obs.csv:12:1: error: the cell all, 2021, o is also on line 11; expected one row per subgroup, "
          "year and outcome");
    CHECK(got[10].starts_with("obs.csv:13:19: error: column 'se': '1e-200' is not a standard error from 1e-06"));
}

TEST_CASE("observed data: school rows are refused, since pathways projects districts", "[observed][errors]") {
    const auto got = errors_of("subgroup,year,outcome,mean,n,school\nall,2020,o,0.1,10,Bruce Randolph\n");
    REQUIRE(got.size() == 1);
    CHECK(got[0] ==
          "obs.csv:2:19: error: column 'school': 'Bruce Randolph': school-level cells are not supported, "
          "since pathways projects the district and its subgroups; expected a blank school (a "
          "district-level row)");
}

TEST_CASE("observed data: an empty file, a header alone and a broken header are errors", "[observed][errors]") {
    CHECK(errors_of("") ==
          std::vector<std::string>{
              "obs.csv:1:1: error: no header; expected a header row 'subgroup,year,outcome,mean,n,se'"});
    CHECK(
        errors_of("# only a comment\n" + header) ==
        std::vector<std::string>{"obs.csv:2:1: error: no observed cells; expected at least one row after the header"});
    const auto broken = errors_of("subgroup,\"year,outcome\nall,2020\n");
    REQUIRE_FALSE(broken.empty());
    CHECK(std::any_of(broken.begin(), broken.end(),
                      [](const std::string& m) { return m.find("no header") != std::string::npos; }));
}

TEST_CASE("observed data: a file that is missing or a folder is reported", "[observed][errors]") {
    diagnostics found;
    CHECK_FALSE(read_observed_csv("/nonexistent/observed.csv", context, found));
    REQUIRE(found.items().size() == 1);
    CHECK(format_diagnostic(found.items()[0]).starts_with("/nonexistent/observed.csv: error: cannot read file"));
    diagnostics folder;
    CHECK_FALSE(read_observed_csv(std::filesystem::temp_directory_path(), context, folder));
    REQUIRE(folder.items().size() == 1);
    CHECK(folder.items()[0].message == "is a directory; expected a comma-separated observed-data file");
}

TEST_CASE("observed data without a scenario: any outcome and year, everything else checked", "[observed]") {
    const observed_context open{"", {}, 0, 0, false};
    diagnostics found;
    const auto data = read_observed_text(header + "all,1999,anything.at_all,0.1,10,\n", "obs.csv", open, found);
    REQUIRE(data);
    CHECK(data->cells[0].year == 1999);
    diagnostics bad;
    CHECK_FALSE(read_observed_text(header + "all,1999,,0.1,10,\n", "obs.csv", open, bad));
    REQUIRE(bad.items().size() == 1);
    CHECK(format_diagnostic(bad.items()[0]) ==
          "obs.csv:2:10: error: column 'outcome': is empty; expected an outcome node id");
}

TEST_CASE("an observed-data CSV is told from a schools CSV by its header", "[observed]") {
    const auto folder = std::filesystem::temp_directory_path();
    const auto observed = folder / "pathways-observed-kind.csv";
    std::ofstream(observed) << "# comment\n\nsubgroup,year,outcome,mean,n\n";
    CHECK(is_observed_csv(observed));
    const auto schools = folder / "pathways-schools-kind.csv";
    std::ofstream(schools) << "school_id,name,level,enrollment\n";
    CHECK_FALSE(is_observed_csv(schools));
    CHECK_FALSE(is_observed_csv(folder / "pathways-no-such-file.csv"));
    std::filesystem::remove(observed);
    std::filesystem::remove(schools);
}
