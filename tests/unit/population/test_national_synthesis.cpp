#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>
#include <string>

#include "population/national_synthesis.hpp"

using namespace pathways;

namespace {

/// The 2019–20 US figures (NCES, Digest of Education Statistics 2021, Tables 216.30 and 204.20; IDEA
/// share ≈ 14%), in sdk::race order: hispanic, black, white, asian, multiracial, american indian,
/// pacific islander.
national_marginals us_2019() {
    national_marginals m;
    m.schools = 98'469;
    m.students = 50'438'000;
    m.race_shares = {0.276, 0.150, 0.465, 0.053, 0.043, 0.009, 0.004};
    m.race_tilt = {1.0, 1.0, -1.0, -0.3, 0.0, 0.5, 0.5};
    m.frl_bands = {{0.0, 0.25, 0.205, -1.5},
                   {0.25, 0.50, 0.286, -0.5},
                   {0.50, 0.75, 0.255, 0.5},
                   {0.75, 1.0, 0.243, 1.5},
                   {0.52, 0.52, 0.011, 0.0}};
    m.english_learner_share = 0.104;
    m.disability_share = 0.14;
    m.exited_ell_per_ell = 0.5;
    m.level_shares = {0.693, 0.094, 0.142, 0.071};
    m.median_enrollment = {450.0, 600.0, 500.0, 300.0};
    m.enrollment_log_sd = {0.5, 0.55, 0.9, 0.8};
    return m;
}

struct totals {
    double students = 0.0;
    std::array<double, sdk::race_count> race{};
    std::map<std::string, double> band_students;
    std::map<std::string, std::array<double, sdk::race_count>> band_race;
    double english_learners = 0.0;
    double disabilities = 0.0;
};

totals add_up(const std::vector<school>& schools) {
    totals t;
    for (const school& s : schools) {
        const auto n = static_cast<double>(s.enrollment);
        t.students += n;
        t.band_students[s.tags.at(0)] += n;
        for (int r = 0; r < sdk::race_count; ++r) {
            t.race[r] += n * s.race_shares[r];
            t.band_race[s.tags.at(0)][r] += n * s.race_shares[r];
        }
        t.english_learners += n * s.ell_share;
        t.disabilities += n * s.sped_share;
    }
    return t;
}

}  // namespace

TEST_CASE("national synthesis: reproduces the 2019-20 national marginals", "[population][national]") {
    const national_marginals m = us_2019();
    const auto schools = synthesize_national_schools(m, 2019);
    REQUIRE(schools.size() == 98'469u);
    const totals t = add_up(schools);
    CHECK(t.students == 50'438'000.0);
    for (int r = 0; r < sdk::race_count; ++r) CHECK(t.race[r] / t.students == Approx(m.race_shares[r]).margin(0.005));
    CHECK(t.band_students.at("frl-0-25") / t.students == Approx(0.205).margin(0.005));
    CHECK(t.band_students.at("frl-25-50") / t.students == Approx(0.286).margin(0.005));
    CHECK(t.band_students.at("frl-50-75") / t.students == Approx(0.255).margin(0.005));
    CHECK(t.band_students.at("frl-75-100") / t.students == Approx(0.243).margin(0.005));
    CHECK(t.band_students.at("frl-unknown") / t.students == Approx(0.011).margin(0.005));
    CHECK(t.english_learners / t.students == Approx(0.104).margin(0.005));
    CHECK(t.disabilities / t.students == Approx(0.14).margin(0.005));
}

TEST_CASE("national synthesis: school counts by level follow the level shares exactly", "[population][national]") {
    const auto schools = synthesize_national_schools(us_2019(), 7);
    std::array<std::int64_t, 4> count{};
    for (const school& s : schools) ++count[static_cast<std::size_t>(s.level)];
    // 98,469 × (0.693, 0.094, 0.142, 0.071) = 68,239.0, 9,256.1, 13,982.6, 6,991.3 → largest remainder.
    CHECK(count == std::array<std::int64_t, 4>{68'239, 9'256, 13'983, 6'991});
    for (const school& s : schools) {
        CHECK(s.enrollment >= 1);
        CHECK(s.ell_share + s.exited_ell_share <= 1.0);
    }
}

TEST_CASE("national synthesis: Black and Hispanic students are concentrated in high-FRL schools",
          "[population][national]") {
    const totals t = add_up(synthesize_national_schools(us_2019(), 2019));
    const auto share = [&](const std::string& band, sdk::race r) {
        return t.band_race.at(band)[static_cast<int>(r)] / t.band_students.at(band);
    };
    CHECK(share("frl-75-100", sdk::race::black) > 2.0 * share("frl-0-25", sdk::race::black));
    CHECK(share("frl-75-100", sdk::race::hispanic) > 2.0 * share("frl-0-25", sdk::race::hispanic));
    CHECK(share("frl-0-25", sdk::race::white) > 2.0 * share("frl-75-100", sdk::race::white));
}

TEST_CASE("national synthesis: the same seed gives the same schools, another seed others", "[population][national]") {
    national_marginals m = us_2019();
    m.schools = 500;
    m.students = 250'000;
    const auto a = synthesize_national_schools(m, 11);
    const auto b = synthesize_national_schools(m, 11);
    const auto c = synthesize_national_schools(m, 12);
    REQUIRE(a.size() == b.size());
    bool all_equal = true;
    bool any_differs = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        all_equal = all_equal && a[i].enrollment == b[i].enrollment && a[i].race_shares == b[i].race_shares &&
                    a[i].ell_share == b[i].ell_share && a[i].frl_share == b[i].frl_share;
        any_differs = any_differs || a[i].enrollment != c[i].enrollment;
    }
    CHECK(all_equal);
    CHECK(any_differs);
    CHECK(a.front().id == "us-000001");
    CHECK(a.back().id == "us-000500");
}

TEST_CASE("national synthesis: unusable marginals are refused with the reason", "[population][national]") {
    national_marginals m = us_2019();
    m.race_shares[0] = 0.5;
    CHECK(check_marginals(m) == "race shares must sum to 1");
    CHECK_THROWS_AS(synthesize_national_schools(m, 1), std::invalid_argument);

    m = us_2019();
    m.frl_bands[1].lower = 0.6;
    CHECK(check_marginals(m) == "each FRL band needs 0 <= lower <= upper <= 1");

    m = us_2019();
    m.students = 10;
    CHECK(check_marginals(m) == "the number of students must be at least the number of schools");

    m = us_2019();
    m.median_enrollment[2] = 0.0;
    CHECK(check_marginals(m) == "each level needs a positive median enrollment and a log-scale spread of 0 or more");

    m = us_2019();
    m.frl_bands.clear();
    CHECK(check_marginals(m) == "at least one FRL band is needed");
    CHECK(check_marginals(us_2019()).empty());
}
