// The publication audit over everything an output publishes together: groups that are never reported
// (complements, differences) and groups of different runs (variants whose plans reach different
// schools). The property test generates small districts, report lists, intersections and variant sets
// and checks, by brute force over every union of atoms and a rank test, that nothing published
// determines a group of fewer than min_n students.
#include <catch2/catch.hpp>

#include <Eigen/Dense>
#include <map>
#include <memory>
#include <random>

#include "../support/engine_fixture.hpp"
#include "engine/suppression.hpp"

namespace {

using namespace pathways;

constexpr auto american_indian = static_cast<std::uint8_t>(sdk::race::american_indian);
constexpr auto hispanic = static_cast<std::uint8_t>(sdk::race::hispanic);
constexpr auto white = static_cast<std::uint8_t>(sdk::race::white);
constexpr auto non_ell = static_cast<std::uint8_t>(sdk::ell_status::non_ell);
constexpr auto ell = static_cast<std::uint8_t>(sdk::ell_status::ell);
constexpr auto exited = static_cast<std::uint8_t>(sdk::ell_status::exited);

std::unique_ptr<simulation> build(test::engine_fixture& f) {
    diagnostics problems;
    auto sim = std::make_unique<simulation>(simulation_inputs{f.graph, f.district, f.schools, f.cells, f.spec,
                                                              *f.registry.find("linear")},
                                            problems);
    REQUIRE_FALSE(problems.has_errors());
    return sim;
}

/// Rank of 0/1 rows, computed apart from the audit's own kernel and QR.
Eigen::Index rank_of(const Eigen::MatrixXd& rows) {
    if (rows.rows() == 0) return 0;
    Eigen::FullPivLU<Eigen::MatrixXd> lu(rows);
    lu.setThreshold(1e-9);
    return lu.rank();
}

/// Every union of atoms with 0 < students < min_n that the published columns determine (as a mask).
std::vector<unsigned> disclosed_unions(const audit_table& table, const std::vector<bool>& hidden, double min_n) {
    const std::size_t atoms = table.atoms.size();
    std::vector<std::size_t> published;
    for (std::size_t c = 0; c < hidden.size(); ++c) {
        if (!hidden[c]) published.push_back(c);
    }
    Eigen::MatrixXd rows =
        Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(published.size()) + 1, static_cast<Eigen::Index>(atoms));
    for (std::size_t r = 0; r < published.size(); ++r) {
        for (std::size_t a = 0; a < atoms; ++a)
            rows(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(a)) = table.atoms[a][published[r]] ? 1.0 : 0.0;
    }
    const Eigen::MatrixXd without = rows.topRows(static_cast<Eigen::Index>(published.size()));
    const Eigen::Index base = rank_of(without);
    std::vector<unsigned> disclosed;
    for (unsigned mask = 1; mask < (1U << atoms); ++mask) {
        double students = 0.0;
        for (std::size_t a = 0; a < atoms; ++a) {
            const double is_in = (mask >> a) & 1U ? 1.0 : 0.0;
            rows(static_cast<Eigen::Index>(published.size()), static_cast<Eigen::Index>(a)) = is_in;
            students += is_in * table.students[a];
        }
        if (students <= 0.0 || students >= min_n) continue;
        if (rank_of(rows) == base) disclosed.push_back(mask);
    }
    return disclosed;
}

/// A small district of `cells` cells (race of 3, ELL of 2, one of 4 schools, 1 to 25 students), some
/// variants reaching random sets of schools, and a random report list of margins and intersections
/// (every variant reports the same list), tabulated over atoms as the audit sees one publication.
audit_table random_publication(std::mt19937_64& rng) {
    std::uniform_int_distribution<int> cell_count(2, 8);
    std::uniform_int_distribution<int> race(0, 2);
    std::uniform_int_distribution<int> bit(0, 1);
    std::uniform_int_distribution<int> school(0, 3);
    std::uniform_int_distribution<int> students(1, 25);
    std::uniform_int_distribution<int> variant_count(1, 3);
    struct cell {
        int race, ell, school, students;
    };
    std::vector<cell> cells(static_cast<std::size_t>(cell_count(rng)));
    for (cell& c : cells) c = {race(rng), bit(rng), school(rng), students(rng)};
    std::vector<std::vector<bool>> reach(static_cast<std::size_t>(variant_count(rng)), std::vector<bool>(4));
    for (auto& schools : reach) {
        for (std::size_t s = 0; s < 4; ++s) schools[s] = bit(rng) == 1;
    }
    // Candidate groups: a predicate over (cell, variant). Each enters the report list with probability 1/2.
    using predicate = std::function<bool(const cell&, const std::vector<bool>&)>;
    std::vector<std::pair<predicate, bool>> candidates{{[](const cell&, const auto&) { return true; }, true}};
    for (int r = 0; r < 3; ++r) {
        candidates.push_back({[r](const cell& c, const auto&) { return c.race == r; }, false});
        for (int e = 0; e < 2; ++e)
            candidates.push_back({[r, e](const cell& c, const auto&) { return c.race == r && c.ell == e; }, false});
        candidates.push_back({[r](const cell& c, const auto& in) { return c.race == r && in[c.school]; }, false});
    }
    for (int e = 0; e < 2; ++e) candidates.push_back({[e](const cell& c, const auto&) { return c.ell == e; }, false});
    candidates.push_back({[](const cell& c, const auto& in) { return in[c.school]; }, false});
    std::vector<std::pair<predicate, bool>> reported;
    for (const auto& candidate : candidates) {
        if (candidate.second || bit(rng) == 1) reported.push_back(candidate);
    }
    audit_table table;
    std::map<std::vector<bool>, double> atoms;
    for (const cell& c : cells) {
        std::vector<bool> pattern;
        for (const auto& schools : reach) {
            for (const auto& group : reported) pattern.push_back(group.first(c, schools));
        }
        atoms[pattern] += c.students;
    }
    for (const auto& [pattern, n] : atoms) {
        table.atoms.push_back(pattern);
        table.students.push_back(n);
    }
    for (std::size_t v = 0; v < reach.size(); ++v) {
        for (const auto& group : reported) table.whole_population.push_back(group.second);
    }
    return table;
}

}  // namespace

TEST_CASE("a complement that is never reported is audited: the 3 exited English learners stay hidden") {
    test::engine_fixture f;
    f.cells.school = {0, 0, 0, 0};
    f.cells.race = {american_indian, american_indian, american_indian, white};
    f.cells.ell = {ell, non_ell, exited, non_ell};
    f.cells.frl = {0, 0, 0, 0};
    f.cells.sped = {0, 0, 0, 0};
    f.cells.grade_band = {0, 0, 0, 0};
    f.cells.students = {43, 506, 3, 1000};
    // 552 − 43 − 506 = 3: the exited group is not reported, yet all three numbers would give it away.
    // Withholding the smallest (43) leaves 552 − 506 = 46, English learners and exited together.
    f.spec.report.subgroups = {"all", "race:american_indian", "race:american_indian&ell:ell",
                               "race:american_indian&ell:non_ell"};
    const auto sim = build(f);
    CHECK(suppressed_subgroups(*sim, 0, 16) == std::vector<bool>{false, false, true, false});
    // Below 3 nothing is given away: the primary rule alone.
    CHECK(suppressed_subgroups(*sim, 0, 3) == std::vector<bool>{false, false, false, false});
}

TEST_CASE("variants published together: a difference of one school's students between two plans is audited") {
    // Two schools: 20 Hispanic students where both plans reach, 1 where only the second does.
    test::engine_fixture f;
    school second;
    second.id = "s2";
    second.enrollment = 31;
    f.schools.push_back(second);
    f.cells.school = {0, 0, 1, 1};
    f.cells.race = {hispanic, white, hispanic, white};
    f.cells.ell = {0, 0, 0, 0};
    f.cells.frl = {0, 0, 0, 0};
    f.cells.sped = {0, 0, 0, 0};
    f.cells.grade_band = {0, 0, 0, 0};
    f.cells.students = {20, 30, 1, 30};
    f.spec.report.subgroups = {"all", "pl:yes&race:hispanic"};
    const auto one_school = build(f);
    f.spec.plan.waves.front().schools.ids = {"s1", "s2"};
    const auto both_schools = build(f);
    // Alone, each run publishes its 20 or 21 students; together they give the 21st away.
    CHECK(suppressed_subgroups(*one_school, 0, 16) == std::vector<bool>{false, false});
    CHECK(suppressed_subgroups(*both_schools, 0, 16) == std::vector<bool>{false, false});
    publication_audit audit;
    audit.add(*one_school, 16);
    audit.add(*both_schools, 16);
    CHECK(audit.withheld(0).at(0) == std::vector<bool>{false, true});
    CHECK(audit.withheld(1).at(0) == std::vector<bool>{false, false});
}

TEST_CASE("the audit is decided once: adding a run after the verdict is refused") {
    test::engine_fixture f;
    const auto sim = build(f);
    publication_audit audit;
    audit.add(*sim, 16);
    (void)audit.withheld(0);
    CHECK_THROWS_AS(audit.add(*sim, 16), std::logic_error);
}

TEST_CASE("withheld columns: hand-built tables") {
    SECTION("a union of two small atoms is found when neither atom alone is") {
        // Atoms a (4), b (3), c (40); columns all and c: all − c = a + b, 7 students, though neither a
        // nor b is told apart. c goes ("all" only as a last resort).
        audit_table table{{{true, false}, {true, false}, {true, true}}, {4, 3, 40}, {true, false}};
        const std::vector<bool> hidden = withheld_columns(table, 10);
        CHECK(hidden == std::vector<bool>{false, true});
        CHECK(disclosed_unions(table, hidden, 10).empty());
    }
    SECTION("two differences each giving an atom away: both margins go, smallest first") {
        // Atoms a (4), b (5), c (40); columns all, a + c (44), b + c (45): all − (a + c) = b and
        // all − (b + c) = a. Withholding b + c leaves b given away, so a + c goes too.
        audit_table table{{{true, true, false}, {true, false, true}, {true, true, true}},
                          {4, 5, 40},
                          {true, false, false}};
        const std::vector<bool> hidden = withheld_columns(table, 10);
        CHECK(hidden == std::vector<bool>{false, true, true});
        CHECK(disclosed_unions(table, hidden, 10).empty());
    }
    SECTION("atoms that are only known together, with enough students together, are safe") {
        // all and (a+b): a (4) and b (7) are never told apart; together 11 >= 10.
        audit_table table{{{true, true}, {true, true}, {true, false}}, {4, 7, 40}, {true, false}};
        CHECK(withheld_columns(table, 10) == std::vector<bool>{false, false});
    }
    SECTION("every column below the threshold is withheld, the whole population too") {
        audit_table table{{{true, true}, {true, false}}, {3, 4}, {true, false}};
        CHECK(withheld_columns(table, 10) == std::vector<bool>{true, true});
    }
}

TEST_CASE("property: no published combination of groups, intersections and variants determines fewer than min_n",
          "[property]") {
    std::mt19937_64 rng(20261207);
    std::uniform_int_distribution<int> threshold(2, 20);
    std::size_t withheld_any = 0;
    constexpr int cases = 10'000;
    for (int i = 0; i < cases; ++i) {
        const audit_table table = random_publication(rng);
        const auto min_n = threshold(rng);
        const std::vector<bool> hidden = withheld_columns(table, min_n);
        INFO("case " << i << ", min_n " << min_n << ", " << table.atoms.size() << " atoms");
        REQUIRE(disclosed_unions(table, hidden, min_n).empty());
        if (std::find(hidden.begin(), hidden.end(), true) != hidden.end()) ++withheld_any;
    }
    // The generator must exercise the audit: most cases withhold something, not all.
    CHECK(withheld_any > cases / 4);
    CHECK(withheld_any < cases);
}
