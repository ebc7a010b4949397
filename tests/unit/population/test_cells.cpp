#include <catch2/catch.hpp>

#include <map>

#include "population/cells.hpp"
#include "population_test_support.hpp"

using namespace pathways;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

constexpr auto elementary_band = static_cast<std::uint8_t>(sdk::grade_band::elementary);
constexpr auto middle_band = static_cast<std::uint8_t>(sdk::grade_band::middle);

// A school that is all Hispanic, non-ELL, no IEP: only FRL varies, so the cells are easy to count.
school simple_school(const std::string& id, school_level level, std::int64_t enrollment, double frl) {
    school s;
    s.id = id;
    s.level = level;
    s.enrollment = enrollment;
    s.race_shares[static_cast<std::size_t>(sdk::race::hispanic)] = 1.0;
    s.frl_share = frl;
    s.where = {"schools.csv", 2, 0, ""};
    return s;
}

// Deterministic pseudo-random numbers in [0, 1): a 64-bit linear congruential generator.
class lcg {
public:
    explicit lcg(std::uint64_t seed) : state_(seed) {}
    double next() {
        state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state_ >> 11) / static_cast<double>(1ULL << 53);
    }

private:
    std::uint64_t state_;
};

school random_school(lcg& random, std::uint32_t index) {
    school s;
    s.id = "school-" + std::to_string(index);
    s.level = static_cast<school_level>(index % 4);
    s.enrollment = 1 + static_cast<std::int64_t>(random.next() * 2500.0);
    double sum = 0.0;
    for (double& share : s.race_shares) {
        share = random.next() < 0.2 ? 0.0 : random.next();  // some races absent
        sum += share;
    }
    if (sum == 0.0) s.race_shares[0] = sum = 1.0;
    for (double& share : s.race_shares) share /= sum;
    s.ell_share = 0.6 * random.next();
    s.exited_ell_share = (1.0 - s.ell_share) * 0.5 * random.next();
    s.frl_share = random.next();
    s.sped_share = 0.25 * random.next();
    s.where = {"random.csv", index + 2, 0, ""};
    return s;
}

std::map<std::uint32_t, double> students_by_school(const population_cells& cells) {
    std::map<std::uint32_t, double> totals;
    for (std::size_t i = 0; i < cells.size(); ++i) totals[cells.school[i]] += cells.students[i];
    return totals;
}

}  // namespace

TEST_CASE("cells: one elementary school by hand", "[population][cells]") {
    // 10 students, all Hispanic non-ELL without IEP, 50% FRL: two cells of 10 * 0.5 = 5.
    diagnostics found;
    population_report report;
    const auto cells =
        synthesize_population({simple_school("a", school_level::elementary, 10, 0.5)}, {}, {}, report, found);
    REQUIRE_FALSE(found.has_errors());
    REQUIRE(cells.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK(cells.school[i] == 0);
        CHECK(cells.race[i] == static_cast<std::uint8_t>(sdk::race::hispanic));
        CHECK(cells.ell[i] == static_cast<std::uint8_t>(sdk::ell_status::non_ell));
        CHECK(cells.sped[i] == 0);
        CHECK(cells.grade_band[i] == elementary_band);
        CHECK(cells.students[i] == 5.0);
    }
    CHECK(cells.frl[0] == 0);  // cells come in joint_index order: FRL 0 before FRL 1
    CHECK(cells.frl[1] == 1);
    CHECK(report.total_students == 10.0);
    REQUIRE(report.schools.size() == 1);
    CHECK(report.schools[0].fit.converged);
}

TEST_CASE("cells: ties go to the lower cell index", "[population][cells]") {
    // 3 students at 50% FRL: quotas 1.5 and 1.5 -> 1 and 1, the one left goes to the lower
    // index, FRL 0 (joint_index(hispanic, non_ell, 0, 0) < joint_index(hispanic, non_ell, 1, 0)).
    diagnostics found;
    population_report report;
    const auto cells = synthesize_population({simple_school("a", school_level::middle, 3, 0.5)}, {}, {}, report, found);
    REQUIRE(cells.size() == 2);
    CHECK(cells.frl[0] == 0);
    CHECK(cells.students[0] == 2.0);
    CHECK(cells.frl[1] == 1);
    CHECK(cells.students[1] == 1.0);
    CHECK(cells.grade_band[0] == middle_band);
}

TEST_CASE("cells: k8 schools split 6/9 elementary and 3/9 middle", "[population][cells]") {
    diagnostics found;
    population_report report;
    // 9 students in one joint cell: 9 * 6/9 = 6 elementary, 9 * 3/9 = 3 middle.
    auto cells = synthesize_population({simple_school("k", school_level::k8, 9, 0.0)}, {}, {}, report, found);
    REQUIRE(cells.size() == 2);
    CHECK(cells.grade_band[0] == elementary_band);
    CHECK(cells.students[0] == 6.0);
    CHECK(cells.grade_band[1] == middle_band);
    CHECK(cells.students[1] == 3.0);
    // 10 students: 6.67 and 3.33 -> 6 and 3, the one left to the larger remainder (elementary).
    cells = synthesize_population({simple_school("k", school_level::k8, 10, 0.0)}, {}, {}, report, found);
    REQUIRE(cells.size() == 2);
    CHECK(cells.students[0] == 7.0);
    CHECK(cells.students[1] == 3.0);
    CHECK_FALSE(found.has_errors());
}

TEST_CASE("cells: counts sum exactly to enrollment for many schools", "[population][cells]") {
    lcg random(2017);
    std::vector<school> schools;
    for (std::uint32_t i = 0; i < 300; ++i) schools.push_back(random_school(random, i));
    diagnostics found;
    population_report report;
    const auto cells = synthesize_population(schools, test::denver_like_seed(), {}, report, found);
    for (const auto& d : found.items()) INFO(format_diagnostic(d));
    REQUIRE_FALSE(found.has_errors());

    REQUIRE(cells.school.size() == cells.size());
    REQUIRE(cells.race.size() == cells.size());
    REQUIRE(cells.ell.size() == cells.size());
    REQUIRE(cells.frl.size() == cells.size());
    REQUIRE(cells.sped.size() == cells.size());
    REQUIRE(cells.grade_band.size() == cells.size());

    const auto totals = students_by_school(cells);
    double district = 0.0;
    for (std::uint32_t i = 0; i < schools.size(); ++i) {
        INFO(schools[i].id);
        CHECK(totals.at(i) == static_cast<double>(schools[i].enrollment));
        district += static_cast<double>(schools[i].enrollment);
    }
    CHECK(report.total_students == district);
    for (std::size_t c = 0; c < cells.size(); ++c) {
        CHECK(cells.students[c] >= 1.0);
        CHECK(cells.students[c] == std::floor(cells.students[c]));
        CHECK(cells.race[c] < sdk::race_count);
        CHECK(cells.ell[c] < sdk::ell_status_count);
        CHECK(cells.frl[c] <= 1);
        CHECK(cells.sped[c] <= 1);
        const school_level level = schools[cells.school[c]].level;
        const auto band = static_cast<sdk::grade_band>(cells.grade_band[c]);
        if (level == school_level::k8) {
            CHECK(band != sdk::grade_band::high);
        } else {
            CHECK(static_cast<int>(band) == static_cast<int>(level));
        }
        // A race absent from the school gets no students.
        CHECK(schools[cells.school[c]].race_shares[cells.race[c]] > 0.0);
    }

    REQUIRE(report.schools.size() == schools.size());
    int most_iterations = 0;
    double worst = 0.0;
    for (const auto& fit : report.schools) {
        CHECK(fit.fit.converged);
        most_iterations = std::max(most_iterations, fit.fit.iterations);
        worst = std::max(worst, fit.fit.max_error);
    }
    CHECK(report.max_iterations == most_iterations);
    CHECK(report.worst_max_error == worst);
    CHECK(report.schools[report.worst_school].fit.max_error == worst);
    CHECK(worst <= 1e-9);
}

TEST_CASE("cells: a district of 207 schools keeps every school's enrollment", "[population][cells]") {
    std::vector<school> schools;
    std::int64_t enrolled = 0;
    for (std::uint32_t i = 0; i < 207; ++i) {
        const std::int64_t enrollment = 200 + static_cast<std::int64_t>(i) * 7;
        enrolled += enrollment;
        schools.push_back(
            test::realistic_school("s" + std::to_string(i), static_cast<school_level>(i % 4), enrollment));
    }
    diagnostics found;
    population_report report;
    const auto cells = synthesize_population(schools, test::denver_like_seed(), {}, report, found);
    CHECK_FALSE(found.has_errors());
    CHECK(cells.size() > 207);
    CHECK(report.total_students == static_cast<double>(enrolled));
    CHECK(std::accumulate(cells.students.begin(), cells.students.end(), 0.0) == static_cast<double>(enrolled));
}

TEST_CASE("cells: schools that cannot be fitted are named and left out", "[population][cells]") {
    seed_table seed;
    // Hispanic students can only be ELL, so a Hispanic-only school with 40% ELL has no fit.
    seed.ell_given_race[static_cast<std::size_t>(sdk::race::hispanic)] = {0.0, 1.0, 0.0};
    school stuck = simple_school("stuck", school_level::high, 100, 0.5);
    stuck.race_shares[static_cast<std::size_t>(sdk::race::hispanic)] = 0.5;
    stuck.race_shares[static_cast<std::size_t>(sdk::race::white)] = 0.5;
    stuck.ell_share = 0.4;
    stuck.where.line = 5;
    school fine = simple_school("fine", school_level::high, 40, 0.5);
    fine.ell_share = 1.0;  // all Hispanic and all ELL: consistent with the seed
    school empty = simple_school("empty", school_level::high, 0, 0.5);
    empty.where.line = 9;

    diagnostics found;
    population_report report;
    const auto cells = synthesize_population({stuck, fine, empty}, seed, {1e-9, 100}, report, found);
    found.sort();
    REQUIRE(found.items().size() == 2);
    CHECK(found.items()[0].line == 5);
    CHECK_THAT(found.items()[0].message, StartsWith("school 'stuck': ipf did not converge after 100 iterations"));
    CHECK(found.items()[1].line == 9);
    CHECK(found.items()[1].message == "school 'empty': enrollment 0 is not valid; expected 1 to 1000000000");
    // Only the consistent school has cells: 40 ELL students at 50% FRL -> 20 and 20.
    REQUIRE(cells.size() == 2);
    CHECK(cells.school[0] == 1);
    CHECK(cells.school[1] == 1);
    CHECK(cells.students[0] + cells.students[1] == 40.0);
    CHECK(report.schools.size() == 2);
    CHECK(report.worst_school == 0);
    CHECK_FALSE(report.schools[0].fit.converged);
}

TEST_CASE("cells: an invalid seed table stops before any school", "[population][cells]") {
    seed_table seed;
    seed.where = {"districts/denver.json", 3, 0, "/seed_table"};
    seed.sped_odds[static_cast<std::size_t>(sdk::race::white)] = std::nan("");
    seed.ell_given_race[0][1] = 1e300;
    diagnostics found;
    population_report report;
    const auto cells =
        synthesize_population({simple_school("a", school_level::elementary, 10, 0.5)}, seed, {}, report, found);
    CHECK(cells.size() == 0);
    CHECK(report.schools.empty());
    found.sort();
    REQUIRE(found.items().size() == 2);
    CHECK(found.items()[0].pointer == "/seed_table/ell_given_race/hispanic/ell");
    CHECK(found.items()[1].pointer == "/seed_table/sped_given_race/white");
    CHECK_THAT(found.items()[1].message, Contains("expected a finite number from 0 to 1e12"));
}
