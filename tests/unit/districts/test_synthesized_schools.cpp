// District profiles whose schools are synthesized from national figures: what is read, and every
// error with its JSON pointer.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../cli/cli_support.hpp"
#include "population/national_synthesis.hpp"
#include "scenario/scenario_reader.hpp"

namespace {

using namespace pathways;
using pathways::test::scratch_folder;

const std::filesystem::path national_profile =
    std::filesystem::path(PATHWAYS_SOURCE_ROOT) / "scenarios/districts/us-public-schools-2019.json";

std::string shipped_text() {
    std::ifstream in(national_profile);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

/// The shipped profile with the first `from` replaced by `to`, read back.
diagnostics read_changed(const std::string& from, const std::string& to) {
    std::string text = shipped_text();
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    const scratch_folder folder("synthesized-schools");
    const auto path = folder.path() / "nation.json";
    std::ofstream(path) << text;
    diagnostics found;
    CHECK_FALSE(read_district(path, found).has_value());
    return found;
}

bool has_error(const diagnostics& found, const std::string& pointer, const std::string& fragment) {
    for (const diagnostic& d : found.items()) {
        if (d.pointer == pointer && d.message.find(fragment) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("synthesized schools: the national profile gives 98,469 schools and 50,438,000 students",
          "[districts][national]") {
    diagnostics found;
    const auto district = read_district(national_profile, found);
    REQUIRE(district);
    REQUIRE(district->synthesized_schools);
    CHECK(district->schools_csv.empty());
    CHECK(district->synthesis_seed == 2019);
    const auto schools = district_schools(*district, found);
    CHECK_FALSE(found.has_errors());
    CHECK(schools.size() == 98'469u);
    std::int64_t students = 0;
    for (const school& s : schools) students += s.enrollment;
    CHECK(students == 50'438'000);
    CHECK(static_cast<double>(students) == district->enrollment.value);
}

TEST_CASE("synthesized schools: race shares that do not sum to 1 are refused", "[districts][national]") {
    const diagnostics found = read_changed("\"white\": 0.465", "\"white\": 0.365");
    CHECK(has_error(found, "/synthesized_schools", "race shares must sum to 1"));
}

TEST_CASE("synthesized schools: a profile with a schools CSV as well is refused", "[districts][national]") {
    const diagnostics found =
        read_changed("\"synthesized_schools\": {", "\"schools_csv\": \"x.csv\",\n  \"synthesized_schools\": {");
    CHECK(has_error(found, "/schools_csv", "expected one, not both"));
}

TEST_CASE("synthesized schools: a band whose upper bound is below its lower bound is refused",
          "[districts][national]") {
    const diagnostics found = read_changed("\"lower\": 0.25,", "\"lower\": 0.6,");
    CHECK(has_error(found, "/synthesized_schools/frl_bands/bands/1/upper", "upper bound below the lower bound"));
}
