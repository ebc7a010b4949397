// The suppression audit: a withheld group must not be recoverable from published groups by sums and
// differences of their head counts and means.
#include <catch2/catch.hpp>

#include "../support/engine_fixture.hpp"
#include "engine/suppression.hpp"

namespace {

using namespace pathways;

constexpr auto american_indian = static_cast<std::uint8_t>(sdk::race::american_indian);
constexpr auto white = static_cast<std::uint8_t>(sdk::race::white);
constexpr auto non_ell = static_cast<std::uint8_t>(sdk::ell_status::non_ell);
constexpr auto ell = static_cast<std::uint8_t>(sdk::ell_status::ell);
constexpr auto exited = static_cast<std::uint8_t>(sdk::ell_status::exited);

/// American Indian students: 43 English learners, 506 not, 3 exited; and 1,000 White students.
struct ai_district : test::engine_fixture {
    ai_district() {
        cells.school = {0, 0, 0, 0};
        cells.race = {american_indian, american_indian, american_indian, white};
        cells.ell = {ell, non_ell, exited, non_ell};
        cells.frl = {0, 0, 0, 0};
        cells.sped = {0, 0, 0, 0};
        cells.grade_band = {0, 0, 0, 0};
        cells.students = {43, 506, 3, 1000};
    }

    std::vector<bool> hidden(std::vector<std::string> groups, std::int64_t min_n) {
        spec.report.subgroups = std::move(groups);
        diagnostics problems;
        const simulation sim({graph, district, schools, cells, spec, *registry.find("linear")}, problems);
        REQUIRE_FALSE(problems.has_errors());
        return suppressed_subgroups(sim, 0, min_n);
    }
};

}  // namespace

TEST_CASE("the differencing attack: a 3-student group is not given away by its published neighbours") {
    ai_district d;
    // 552 − 43 − 506 = 3: publishing the other two intersections and their margin would recover it, so the
    // smallest of them (43 English learners) is withheld too. Then 552 − 506 = 46 is English learners plus
    // exited together, which gives neither away.
    CHECK(d.hidden({"all", "race:american_indian", "race:american_indian&ell:ell", "race:american_indian&ell:non_ell",
                    "race:american_indian&ell:exited"},
                   16) == std::vector<bool>{false, false, true, false, true});
}

TEST_CASE("a group that no published combination reaches stays the only one withheld") {
    ai_district d;
    // Without the margin race:american_indian, nothing published adds up to the exited group.
    CHECK(d.hidden({"all", "race:american_indian&ell:ell", "race:american_indian&ell:exited"}, 16) ==
          std::vector<bool>{false, false, true});
}

TEST_CASE("one-dimensional partitions: the next smallest group goes when one is withheld") {
    ai_district d;
    // ell:exited (3) is all − ell:ell − ell:non_ell: withhold ell:ell (43), the smallest other.
    CHECK(d.hidden({"all", "ell:ell", "ell:non_ell", "ell:exited"}, 16) == std::vector<bool>{false, true, false, true});
}

TEST_CASE("nothing is withheld when every group is large enough, and everything small is") {
    ai_district d;
    CHECK(d.hidden({"all", "race:american_indian", "race:white"}, 16) == std::vector<bool>{false, false, false});
    CHECK(d.hidden({"all", "race:american_indian", "race:white"}, 2000) == std::vector<bool>{true, true, true});
}
