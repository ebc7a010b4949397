#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "population/ipf.hpp"
#include "population_test_support.hpp"

using namespace pathways;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

constexpr int hispanic = static_cast<int>(sdk::race::hispanic);
constexpr int black = static_cast<int>(sdk::race::black);
constexpr int white = static_cast<int>(sdk::race::white);
constexpr int pacific_islander = static_cast<int>(sdk::race::pacific_islander);
constexpr int non_ell = static_cast<int>(sdk::ell_status::non_ell);
constexpr int ell = static_cast<int>(sdk::ell_status::ell);
constexpr int exited = static_cast<int>(sdk::ell_status::exited);

const source_location where{"schools.csv", 7, 0, ""};

// Marginals of a fitted table, to compare with the targets.
school_marginals margins_of(const joint_shares& x) {
    school_marginals m;
    for (int r = 0; r < sdk::race_count; ++r) {
        for (int e = 0; e < sdk::ell_status_count; ++e) {
            for (int f = 0; f < frl_status_count; ++f) {
                for (int s = 0; s < sped_status_count; ++s) {
                    const double v = x[joint_index(r, e, f, s)];
                    m.race[static_cast<std::size_t>(r)] += v;
                    m.ell[static_cast<std::size_t>(e)] += v;
                    m.frl[static_cast<std::size_t>(f)] += v;
                    m.sped[static_cast<std::size_t>(s)] += v;
                }
            }
        }
    }
    return m;
}

template <typename array>
double max_difference(const array& a, const array& b) {
    double worst = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

school_marginals two_by_two_targets() {
    school_marginals m;
    m.race[hispanic] = 0.5;
    m.race[white] = 0.5;
    m.ell = {1.0, 0.0, 0.0};
    m.frl = {0.5, 0.5};
    m.sped = {1.0, 0.0};
    return m;
}

}  // namespace

TEST_CASE("ipf: joint_index orders race, ell, frl, sped", "[population][ipf]") {
    CHECK(joint_cell_count == 84);  // 7 * 3 * 2 * 2
    CHECK(joint_index(0, 0, 0, 0) == 0);
    CHECK(joint_index(0, 0, 0, 1) == 1);
    CHECK(joint_index(0, 0, 1, 0) == 2);
    CHECK(joint_index(0, 1, 0, 0) == 4);
    CHECK(joint_index(1, 0, 0, 0) == 12);
    CHECK(joint_index(6, 2, 1, 1) == 83);
}

TEST_CASE("ipf: 2x2 race x frl table keeps the seed's odds ratio", "[population][ipf]") {
    // Seed: Hispanic students have 4 times the odds of FRL of White students. Targets: half
    // Hispanic, half FRL. IPF keeps the odds ratio, so with Hispanic-FRL share a the table is
    // [[a, 0.5 - a], [0.5 - a, a]] and a^2 / (0.5 - a)^2 = 4  =>  a / (0.5 - a) = 2  =>  a = 1/3.
    seed_table seed;
    seed.frl_odds[hispanic] = 4.0;
    diagnostics found;
    const auto fit = fit_joint_shares(two_by_two_targets(), seed, {}, "two-by-two", where, found);
    REQUIRE(fit.has_value());
    CHECK_FALSE(found.has_errors());
    CHECK(fit->report.converged);
    CHECK(fit->report.max_error <= 1e-9);
    CHECK(fit->report.iterations >= 1);
    const joint_shares& x = fit->shares;
    CHECK(x[joint_index(hispanic, non_ell, 1, 0)] == Approx(1.0 / 3.0).margin(1e-9));
    CHECK(x[joint_index(hispanic, non_ell, 0, 0)] == Approx(1.0 / 6.0).margin(1e-9));
    CHECK(x[joint_index(white, non_ell, 1, 0)] == Approx(1.0 / 6.0).margin(1e-9));
    CHECK(x[joint_index(white, non_ell, 0, 0)] == Approx(1.0 / 3.0).margin(1e-9));
    // Everything else is a structural zero (zero target share).
    double rest = 0.0;
    for (const double v : x) rest += v;
    CHECK(rest == Approx(1.0).margin(1e-12));
    CHECK(x[joint_index(black, non_ell, 1, 0)] == 0.0);
    CHECK(x[joint_index(hispanic, ell, 1, 0)] == 0.0);
    CHECK(x[joint_index(hispanic, non_ell, 1, 1)] == 0.0);
}

TEST_CASE("ipf: a uniform seed gives the product of the marginals", "[population][ipf]") {
    // Independence: share(r, e, f, s) = race[r] * ell[e] * frl[f] * sped[s].
    // E.g. Hispanic, ELL, FRL, no IEP = 0.6 * 0.3 * 0.25 * 0.9 = 0.0405.
    school_marginals m;
    m.race[hispanic] = 0.6;
    m.race[black] = 0.4;
    m.ell = {0.5, 0.3, 0.2};
    m.frl = {0.75, 0.25};
    m.sped = {0.9, 0.1};
    diagnostics found;
    const auto fit = fit_joint_shares(m, seed_table{}, {}, "independent", where, found);
    REQUIRE(fit.has_value());
    CHECK(fit->report.converged);
    CHECK(fit->shares[joint_index(hispanic, ell, 1, 0)] == Approx(0.0405).margin(1e-12));
    for (int r = 0; r < sdk::race_count; ++r) {
        for (int e = 0; e < sdk::ell_status_count; ++e) {
            for (int f = 0; f < frl_status_count; ++f) {
                for (int s = 0; s < sped_status_count; ++s) {
                    const double expected = m.race[static_cast<std::size_t>(r)] * m.ell[static_cast<std::size_t>(e)] *
                                            m.frl[static_cast<std::size_t>(f)] * m.sped[static_cast<std::size_t>(s)];
                    CHECK(fit->shares[joint_index(r, e, f, s)] == Approx(expected).margin(1e-12));
                }
            }
        }
    }
}

TEST_CASE("ipf: a seed that already fits needs no iteration", "[population][ipf]") {
    // The uniform seed over 84 cells has marginals 1/7, 1/3, 1/2, 1/2: exactly these targets.
    school_marginals m;
    m.race.fill(1.0 / 7.0);
    m.ell.fill(1.0 / 3.0);
    m.frl.fill(0.5);
    m.sped.fill(0.5);
    diagnostics found;
    const auto fit = fit_joint_shares(m, seed_table{}, {}, "uniform", where, found);
    REQUIRE(fit.has_value());
    CHECK(fit->report.iterations == 0);
    CHECK(fit->report.converged);
    CHECK(fit->shares[joint_index(3, 1, 0, 1)] == Approx(1.0 / 84.0).margin(1e-15));
}

TEST_CASE("ipf: a realistic school's marginals are reproduced within tolerance", "[population][ipf]") {
    const school s = test::realistic_school("realistic", school_level::elementary, 500);
    const school_marginals targets = marginals_of(s);
    // non_ell = 1 - 0.36 - 0.12 = 0.52; frl = (0.35, 0.65); sped = (0.89, 0.11).
    CHECK(targets.ell[non_ell] == Approx(0.52));
    CHECK(targets.frl[0] == Approx(0.35));
    CHECK(targets.sped[1] == Approx(0.11));

    diagnostics found;
    const auto fit = fit_joint_shares(targets, test::denver_like_seed(), {}, s.id, s.where, found);
    REQUIRE(fit.has_value());
    CHECK_FALSE(found.has_errors());
    CHECK(fit->report.converged);
    CHECK(fit->report.iterations > 1);
    CHECK(fit->report.iterations < 1000);

    const school_marginals got = margins_of(fit->shares);
    CHECK(max_difference(got.race, targets.race) <= 1e-9);
    CHECK(max_difference(got.ell, targets.ell) <= 1e-9);
    CHECK(max_difference(got.frl, targets.frl) <= 1e-9);
    CHECK(max_difference(got.sped, targets.sped) <= 1e-9);
    for (const double v : fit->shares) CHECK(v >= 0.0);
    // The seed makes ELL far likelier among Hispanic than White students, and IPF keeps that.
    const joint_shares& x = fit->shares;
    double hispanic_ell = 0.0;
    double white_ell = 0.0;
    for (int frl = 0; frl < frl_status_count; ++frl) {
        for (int sped = 0; sped < sped_status_count; ++sped) {
            hispanic_ell += x[joint_index(hispanic, ell, frl, sped)];
            white_ell += x[joint_index(white, ell, frl, sped)];
        }
    }
    CHECK(hispanic_ell / targets.race[hispanic] > 5.0 * white_ell / targets.race[white]);
}

TEST_CASE("ipf: race shares within 0.01 of 1 are rescaled before fitting", "[population][ipf]") {
    school s = test::realistic_school("rounded", school_level::high, 300);
    // 0.505 + 0.13 + 0.24 + 0.03 + 0.035 + 0.01 + 0.005 = 0.955: not rounding, passed through.
    s.race_shares = {0.505, 0.13, 0.24, 0.03, 0.035, 0.01, 0.005};
    CHECK(marginals_of(s).race[hispanic] == Approx(0.505));
    s.race_shares = {0.555, 0.13, 0.24, 0.03, 0.035, 0.01, 0.005};  // sums to 1.005
    // Rescaled: 0.555 / 1.005 = 0.552238...
    CHECK(marginals_of(s).race[hispanic] == Approx(0.555 / 1.005));
    double sum = 0.0;
    for (const double v : marginals_of(s).race) sum += v;
    CHECK(sum == Approx(1.0).margin(1e-15));
}

TEST_CASE("ipf: impossible marginals fail with a diagnostic naming the school", "[population][ipf]") {
    const school s = test::realistic_school("lincoln", school_level::elementary, 500);
    diagnostics found;

    SECTION("a race with a positive share but no seed weight") {
        seed_table seed = test::denver_like_seed();
        seed.ell_given_race[pacific_islander] = {0.0, 0.0, 0.0};
        CHECK_FALSE(fit_joint_shares(marginals_of(s), seed, {}, s.id, s.where, found).has_value());
        REQUIRE(found.items().size() == 1);
        const diagnostic& d = found.items()[0];
        CHECK(d.file == "schools.csv");
        CHECK(d.line == 2);
        CHECK_THAT(d.message, StartsWith("school 'lincoln': race share 0.005 for 'pacific_islander' cannot be fitted"));
    }
    SECTION("an ell status whose seed weight is zero for every race") {
        seed_table seed = test::denver_like_seed();
        for (auto& row : seed.ell_given_race) row[exited] = 0.0;
        CHECK_FALSE(fit_joint_shares(marginals_of(s), seed, {}, s.id, s.where, found).has_value());
        REQUIRE(found.items().size() == 1);
        CHECK_THAT(found.items()[0].message,
                   StartsWith("school 'lincoln': ell share 0.12 for 'exited' cannot be fitted"));
    }
    SECTION("shares that do not sum to 1") {
        school_marginals m = marginals_of(s);
        m.frl = {0.3, 0.6};
        CHECK_FALSE(fit_joint_shares(m, test::denver_like_seed(), {}, s.id, s.where, found).has_value());
        REQUIRE(found.items().size() == 1);
        CHECK(found.items()[0].message == "school 'lincoln': frl shares sum to 0.8999999999999999; expected 1");
    }
    SECTION("a NaN share") {
        school_marginals m = marginals_of(s);
        m.sped[1] = std::nan("");
        CHECK_FALSE(fit_joint_shares(m, test::denver_like_seed(), {}, s.id, s.where, found).has_value());
        REQUIRE(found.items().size() == 1);
        CHECK_THAT(found.items()[0].message, StartsWith("school 'lincoln': sped share NaN for 'yes' is not valid"));
    }
    SECTION("a negative seed weight") {
        seed_table seed = test::denver_like_seed();
        seed.where = {"districts/denver.json", 12, 5, "/seed_table"};
        seed.frl_odds[black] = -1.0;
        CHECK_FALSE(fit_joint_shares(marginals_of(s), seed, {}, s.id, s.where, found).has_value());
        REQUIRE(found.items().size() == 1);
        const diagnostic& d = found.items()[0];
        CHECK(d.file == "districts/denver.json");
        CHECK(d.pointer == "/seed_table/frl_given_race/black");
        CHECK_THAT(d.message, StartsWith("seed weight -1 is not valid"));
    }
}

TEST_CASE("ipf: non-convergence is reported, not accepted", "[population][ipf]") {
    // Hispanic students can only be ELL and White students only non-ELL, so the ELL share must
    // equal the Hispanic share (0.5); a target of 0.3 cannot be met and IPF oscillates between
    // fitting race (ELL = 0.5) and fitting ELL (Hispanic = 0.3): the error stays at 0.2.
    seed_table seed;
    seed.ell_given_race[hispanic] = {0.0, 1.0, 0.0};
    seed.ell_given_race[white] = {1.0, 0.0, 0.0};
    school_marginals m = two_by_two_targets();
    m.ell = {0.7, 0.3, 0.0};
    diagnostics found;
    const auto fit = fit_joint_shares(m, seed, {1e-9, 50}, "stuck", where, found);
    REQUIRE(fit.has_value());
    CHECK_FALSE(found.has_errors());
    CHECK_FALSE(fit->report.converged);
    CHECK(fit->report.iterations == 50);
    CHECK(fit->report.max_error == Approx(0.2).margin(1e-9));
}

TEST_CASE("ipf: invalid options throw", "[population][ipf]") {
    diagnostics found;
    const school_marginals m = two_by_two_targets();
    CHECK_THROWS_AS(fit_joint_shares(m, {}, {0.0, 10}, "x", where, found), std::invalid_argument);
    CHECK_THROWS_AS(fit_joint_shares(m, {}, {std::nan(""), 10}, "x", where, found), std::invalid_argument);
    CHECK_THROWS_AS(fit_joint_shares(m, {}, {1e-9, 0}, "x", where, found), std::invalid_argument);
}
