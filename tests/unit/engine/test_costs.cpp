// Costs by hand (schools × years × known amounts, a program cut, plan items over the district's),
// the cost rows of a run against its effect rows, the summary of a cost per effect over draws without
// a gain, and plan-next on a district whose best schools are known by construction.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "../support/engine_fixture.hpp"
#include "engine/costs.hpp"
#include "engine/plan_next.hpp"
#include "engine/projection.hpp"
#include "engine/scenario_loader.hpp"
#include "plugin/registry.hpp"
#include "scenario/scenario_reader.hpp"

namespace {

using namespace pathways;
using Catch::Matchers::Contains;

constexpr double undefined = std::numeric_limits<double>::quiet_NaN();

cost_item item(std::string name, double one_time, double per_year, bool per_student) {
    cost_item c;
    c.name = std::move(name);
    c.one_time = one_time;
    c.per_year = per_year;
    c.basis = per_student ? cost_basis::student : cost_basis::school;
    c.source = "test";
    c.evidence = "A";
    return c;
}

cost_settings costs_of(std::string currency, int price_year, std::vector<cost_item> items) {
    cost_settings c;
    c.currency = std::move(currency);
    c.price_year = price_year;
    c.items = std::move(items);
    return c;
}

school school_of(std::string id, std::int64_t enrollment) {
    school s;
    s.id = std::move(id);
    s.name = "School " + s.id;
    s.enrollment = enrollment;
    return s;
}

// Coaching 100 per school a year; devices 10 per student once and 1 per student a year. School a
// (20 students) starts in year 0, b (30) in year 1, c (50) is never reached.
//   year 0: a 100 + 20·(10 + 1) = 320
//   year 1: a 100 + 20·1 = 120; b 100 + 30·(10 + 1) = 430; cumulative 320 + 550 = 870
const std::vector<cost_item> items{item("coaching", 0, 100, false), item("devices", 10, 1, true)};
const std::vector<school> schools{school_of("a", 20), school_of("b", 30), school_of("c", 50)};
const std::vector<std::optional<int>> first_years{0, 1, std::nullopt};

/// A plan that moves nothing beyond its schools (every scaling 0): items that follow nothing cost in full.
plan_intensity flat_intensity(std::size_t schools_count) {
    return {std::vector<double>(schools_count, 0.0),
            std::vector<double>(schools_count, 0.0),
            std::vector<double>(schools_count, 0.0),
            {}};
}

cost_schedule two_years(const cost_settings& costs) {
    return schedule_costs(costs, schools, first_years, flat_intensity(schools.size()), 2);
}

}  // namespace

TEST_CASE("costs by hand: three schools, two years, one-time and recurring, per school and per student", "[costs]") {
    const cost_schedule schedule = two_years(costs_of("USD", 2018, items));
    CHECK(cumulative_costs(schedule, 2020, std::nullopt) == std::vector<double>{320.0, 870.0});
    CHECK(schedule.units == std::vector<double>{2.0, 50.0});  // schools a and b; their 50 students
    CHECK(students_reached(schools, first_years, 2020, std::nullopt) == 50.0);
    // One more school of 40 students joining in year 1 of 2: 100 + 40·(10 + 1).
    CHECK(added_school_cost(costs_of("USD", 2018, items), school_of("d", 40), 1, 2) == 540.0);
}

TEST_CASE("recurring costs stop at a program cut, and a school whose wave starts after it costs nothing", "[costs]") {
    const cost_schedule schedule = two_years(costs_of("USD", 2018, items));
    // Cut in 2021 (year 1): nothing is spent that year; b never starts, so only a's 20 students are reached.
    CHECK(cumulative_costs(schedule, 2020, 2021) == std::vector<double>{320.0, 320.0});
    CHECK(students_reached(schools, first_years, 2020, 2021) == 20.0);
    // Cut in 2020: the program never runs.
    CHECK(cumulative_costs(schedule, 2020, 2020) == std::vector<double>{0.0, 0.0});
}

TEST_CASE("later years are discounted to the plan's first year at the district's rate", "[costs]") {
    cost_settings costs = costs_of("USD", 2018, items);
    costs.discount_rate.value = 0.10;
    // Year 1's 550 is worth 550 / 1.1 = 500 in year 0.
    const auto cumulative = cumulative_costs(two_years(costs), 2020, std::nullopt);
    CHECK(cumulative[0] == 320.0);
    CHECK(cumulative[1] == Approx(820.0).epsilon(1e-12));
    CHECK(discount_factor(0.03, 2) == Approx(1.0 / (1.03 * 1.03)).epsilon(1e-15));
}

TEST_CASE(
    "ingredients by hand: priced teacher days that follow the practices' climb, and district work that follows a "
    "condition",
    "[costs]") {
    cost_item pd = item("pd_days", 0, 3 * 350.0, false);  // 3 teacher-days a year at 350
    pd.basis = cost_basis::teacher;
    pd.scales_with = cost_scaling::practice_change;
    pd.reference = 1.0;
    cost_item office = item("alignment_work", 0, 1000, false);
    office.basis = cost_basis::district;
    office.scales_with = cost_scaling::condition_change;
    office.condition = "central_office_alignment";
    office.reference = 0.4;
    cost_settings costs = costs_of("USD", 2018, {pd, office});
    costs.students_per_teacher = sourced_value{10.0, "test", "A"};
    plan_intensity intensity = flat_intensity(1);
    intensity.practice_change[0] = 1.5;  // the school's practices climb 1.5 levels on average
    intensity.condition_change["central_office_alignment"] = 0.2;
    const std::vector<school> one{school_of("a", 20)};
    const cost_schedule schedule = schedule_costs(costs, one, {0}, intensity, 2);
    // pd: 20 students / 10 = 2 teachers × 1.5 / 1.0 × 1050 = 3150 a year; office: 1000 × 0.2 / 0.4 = 500 a year.
    CHECK(cumulative_costs(schedule, 2020, std::nullopt) == std::vector<double>{3650.0, 7300.0});
    CHECK(schedule.units == std::vector<double>{2.0, 1.0});
    CHECK(schedule.scaled_units == std::vector<double>{3.0, 0.5});
    // A plan that raises nothing and moves no practice pays neither.
    const cost_schedule idle = schedule_costs(costs, one, {0}, flat_intensity(1), 2);
    CHECK(cumulative_costs(idle, 2020, std::nullopt) == std::vector<double>{0.0, 0.0});
}

TEST_CASE("cost factors scale each item, and certain items and central runs use 1", "[costs]") {
    const std::vector<double> factors{2.0, 0.5};
    // year 0 (a only): coaching 2·100 + devices 0.5·20·11 = 310
    CHECK(cumulative_costs(two_years(costs_of("USD", 2018, items)), 2020, std::nullopt, factors)[0] == 310.0);
    std::vector<cost_item> uncertain = items;
    uncertain[1].uncertainty_factor = 1.5;
    CHECK(cost_factors(uncertain, 7, 3, true) == std::vector<double>{1.0, 1.0});
    const std::vector<double> drawn = cost_factors(uncertain, 7, 3, false);
    CHECK(drawn[0] == 1.0);
    CHECK(drawn[1] != 1.0);
    CHECK(drawn == cost_factors(uncertain, 7, 3, false));  // a pure function of (seed, draw, item)
    // Over many draws, 90% of factors lie within [1/1.5, 1.5].
    std::size_t inside = 0;
    for (std::uint64_t d = 0; d < 2000; ++d) {
        const double f = cost_factors(uncertain, 7, d, false)[1];
        inside += (f >= 1.0 / 1.5 && f <= 1.5) ? 1 : 0;
    }
    CHECK(inside / 2000.0 == Approx(0.90).margin(0.02));
}

TEST_CASE("a plan's cost items replace the district's of the same name and add the others", "[costs]") {
    district_profile district;
    district.costs = costs_of("USD", 2018, {item("coaching", 0, 100, false), item("devices", 10, 1, true)});
    scenario spec;
    spec.plan.costs.items = {item("coaching", 0, 250, false), item("tutoring", 0, 5, true)};
    const cost_settings merged = plan_costs(district, spec);
    REQUIRE(merged.items.size() == 3);
    CHECK(merged.currency == "USD");
    CHECK(merged.items[0].name == "coaching");
    CHECK(merged.items[0].per_year == 250.0);
    CHECK(merged.items[1].name == "devices");
    CHECK(merged.items[2].name == "tutoring");
}

TEST_CASE("plan costs in another currency or price year, or without one where the district has none, are errors",
          "[costs][errors]") {
    district_profile district;
    district.file = "district.json";
    scenario spec;
    spec.where.file = "plan.json";
    spec.plan.costs = costs_of("EUR", 2019, {item("coaching", 0, 100, false)});
    diagnostics found;
    check_plan_costs(spec, district, found);  // the district has no costs: the plan's own currency is enough
    CHECK_FALSE(found.has_errors());
    district.costs = costs_of("USD", 2018, {});
    check_plan_costs(spec, district, found);
    REQUIRE(found.items().size() == 2);
    CHECK_THAT(found.items()[0].message, Contains("currency 'EUR' differs") && Contains("expected USD"));
    CHECK_THAT(found.items()[1].message, Contains("price year 2019 differs"));
    diagnostics none_given;
    district.costs = {};
    spec.plan.costs.currency.clear();
    check_plan_costs(spec, district, none_given);
    REQUIRE(none_given.items().size() == 1);
    CHECK_THAT(none_given.items()[0].message, Contains("expected \"currency\""));
}

TEST_CASE("a cost per effect is summarised over the draws with a gain, and prob_positive is how often there is one",
          "[costs]") {
    const std::vector<double> values{undefined, 10.0, 20.0, undefined};
    const stats::summary s = summarize_cost_per_effect(values);
    CHECK(s.prob_positive == 0.5);
    CHECK(s.mean == 15.0);
    CHECK(s.p50 == 15.0);
    const stats::summary never = summarize_cost_per_effect(std::vector<double>{undefined, undefined});
    CHECK(never.prob_positive == 0.0);
    CHECK(std::isnan(never.mean));
    CHECK(std::isnan(never.p50));
}

TEST_CASE("the Denver profile's cost items are read with their sources and evidence tags", "[costs]") {
    diagnostics found;
    const auto district =
        read_district(std::filesystem::path(PATHWAYS_SOURCE_ROOT) / "scenarios/districts/denver-2018.json", found);
    REQUIRE(district);
    CHECK(district->costs.currency == "USD");
    CHECK(district->costs.price_year == 2018);
    REQUIRE(district->costs.items.size() == 10);
    for (const cost_item& c : district->costs.items) {
        CHECK_FALSE(c.source.empty());
        CHECK_FALSE(c.evidence.empty());
        CHECK(c.one_time + c.per_year > 0.0);
    }
    CHECK(district->costs.discount_rate.value == 0.03);
    REQUIRE(district->costs.students_per_teacher);
    CHECK(district->costs.students_per_teacher->value == 17.0);
    // A priced ingredient: 5 launch days and 3 days a year at 350 a teacher-day.
    const auto pd = std::find_if(district->costs.items.begin(), district->costs.items.end(),
                                 [](const cost_item& c) { return c.name == "pd_days"; });
    REQUIRE(pd != district->costs.items.end());
    CHECK(pd->basis == cost_basis::teacher);
    CHECK(pd->one_time == 5 * 350.0);
    CHECK(pd->per_year == 3 * 350.0);
    CHECK(pd->quantity_unit == "teacher-day");
    CHECK(pd->scales_with == cost_scaling::practice_change);
}

namespace {

const model_handle& linear_model(const test::engine_fixture& f) {
    const model_handle* handle = f.registry.find("linear");
    REQUIRE(handle != nullptr);
    return *handle;
}

/// The value of row (`metric`, all students, `outcome` or none, final year, with the cut risk).
double final_value(const projection_draws& draws, const simulation& sim, metric m, std::size_t outcome) {
    for (std::size_t i = 0; i < draws.rows.size(); ++i) {
        const metric_row& row = draws.rows[i];
        if (row.year + 1 == sim.years() && row.metric == m && row.outcome == outcome &&
            row.course == plan_course::with_cut_risk && sim.subgroups()[row.subgroup].group.name == "all") {
            return draws.values[i];
        }
    }
    FAIL("no row " << to_string(m));
    return 0.0;
}

}  // namespace

TEST_CASE("a run's cost rows: total, per student reached and per 0.1 SD of its own effect", "[costs]") {
    test::engine_fixture f;
    f.district.costs = costs_of("USD", 2018, {item("coaching", 0, 100, false)});
    f.spec.report.min_n = 1;
    diagnostics found;
    const simulation sim({f.graph, f.district, f.schools, f.cells, f.spec, linear_model(f)}, found);
    REQUIRE_FALSE(found.has_errors());
    projection_options options;
    options.min_n = 1;
    projection_draws draws = run_draws(sim, f.spec, options);
    append_cost_rows(draws, {sim, f.spec, f.schools, options});
    // One school of 40 students runs both years: 100 + 100.
    CHECK(final_value(draws, sim, metric::cost_total, no_outcome) == 200.0);
    CHECK(final_value(draws, sim, metric::cost_per_student, no_outcome) == 5.0);
    const std::size_t math = 1;
    const double effect = final_value(draws, sim, metric::effect, math);
    REQUIRE(effect > 0.0);
    CHECK(final_value(draws, sim, metric::cost_per_tenth_sd, math) == Approx(200.0 / (effect / 0.1)));
    CHECK(final_value(draws, sim, metric::effect_per_million, math) == Approx(effect / (200.0 / 1e6)));
    CHECK_FALSE(comparable_rows(draws).rows.empty());
    for (const metric_row& row : comparable_rows(draws).rows) CHECK_FALSE(is_cost_metric(row.metric));
}

namespace {

/// The tiny district with three more schools the plan does not reach, alike but for their size:
/// s2 10 students, s3 50, s4 30 (each one Hispanic cell). Every student of a school gains the same,
/// so the district-wide gain of adding a school grows with its size: s3, then s4, then s2. Devices
/// cost 100 per student a year.
struct sized_schools : test::engine_fixture {
    sized_schools() {
        const std::vector<std::pair<std::string, double>> more{{"s2", 10}, {"s3", 50}, {"s4", 30}};
        for (const auto& [id, students] : more) {
            schools.push_back(school_of(id, static_cast<std::int64_t>(students)));
            cells.school.push_back(static_cast<std::uint32_t>(schools.size() - 1));
            cells.race.push_back(static_cast<std::uint8_t>(sdk::race::hispanic));
            cells.ell.push_back(0);
            cells.frl.push_back(0);
            cells.sped.push_back(0);
            cells.grade_band.push_back(0);
            cells.students.push_back(students);
        }
        spec.years = 3;
        district.costs = {"USD", 2018, {item("devices", 0, 100, true)}};
    }
    plan_next_result choose(std::size_t k, std::optional<double> budget = std::nullopt, plan_objective objective = {}) {
        plan_next_options options;
        options.schools = k;
        options.budget = budget;
        options.objective = objective;
        options.draws = 0;
        options.random_sets = 4;
        return plan_next({graph, district, schools, cells, spec, linear_model(*this)}, options);
    }
};

std::vector<std::string> chosen_ids(const plan_next_result& result, const std::vector<school>& schools) {
    std::vector<std::string> ids;
    for (const std::size_t s : result.chosen) ids.push_back(schools[s].id);
    return ids;
}

}  // namespace

TEST_CASE("plan-next picks the largest schools when schools differ only in size", "[costs][plan-next]") {
    sized_schools f;
    const plan_next_result result = f.choose(2);
    CHECK(chosen_ids(result, f.schools) == std::vector<std::string>{"s3", "s4"});
    CHECK(result.added.schools.ids == std::vector<std::string>{"s3", "s4"});
    CHECK(result.added.start_year == 2021);  // the year after the plan's last wave
    REQUIRE(result.ranked.size() == 3);
    CHECK(result.ranked[0].gain > result.ranked[1].gain);
    CHECK(result.ranked[1].gain > result.ranked[2].gain);
    // Two years (2021, 2022) of devices for 80 students.
    CHECK(result.added_cost == 2 * 100.0 * 80);
    CHECK(result.gain.mean > 0.0);
    CHECK(result.beats_random + result.ties_random == Approx(1.0));
}

TEST_CASE("plan-next keeps within the budget, skipping a school it cannot afford", "[costs][plan-next]") {
    sized_schools f;
    // s3 costs 2·100·50 = 10,000, s4 6,000, s2 2,000: 8,000 buys s4 and s2, not s3.
    const plan_next_result result = f.choose(2, 8000.0);
    CHECK(chosen_ids(result, f.schools) == std::vector<std::string>{"s4", "s2"});
    CHECK(result.added_cost == 8000.0);
}

TEST_CASE("plan-next refuses more schools than the plan leaves, a budget too small, and per-dollar without costs",
          "[costs][plan-next][errors]") {
    sized_schools f;
    const auto message_of = [](auto&& call) -> std::string {
        try {
            call();
        } catch (const input_error& e) {
            return e.found().items().front().message;
        }
        return "no error";
    };
    CHECK_THAT(message_of([&] { f.choose(4); }), Contains("--schools: 4 schools, but the plan leaves only 3"));
    CHECK_THAT(message_of([&] { f.choose(0); }), Contains("--schools: 0 schools"));
    CHECK_THAT(message_of([&] { f.choose(2, 100.0); }),
               Contains("--budget: a budget of 100 buys 0 of the 2 schools") && Contains("at least 8000"));
    f.district.costs = {};
    CHECK_THAT(message_of([&] {
                   f.choose(1, std::nullopt, {plan_objective::kind::per_dollar, "", ""});
               }),
               Contains("--objective: the plan has no costs"));
}

TEST_CASE("plan-next refuses a gap objective on a group the publication audit withholds",
          "[costs][plan-next][errors][privacy]") {
    sized_schools f;
    f.district.baselines = {{"academic.achievement.math", std::nullopt, {{"race:hispanic", -0.5}}, "test", "A"}};
    const plan_objective gap{plan_objective::kind::gap, "race:white", "race:hispanic"};
    // 30 White and 100 Hispanic students: both publishable at 16, so the gap is an objective.
    CHECK_FALSE(f.choose(1, std::nullopt, gap).chosen.empty());
    // At 40 the 30 White students are withheld, and plan-next must not optimise what no output may show.
    f.spec.report.min_n = 40;
    try {
        f.choose(1, std::nullopt, gap);
        FAIL("a withheld group was optimised");
    } catch (const input_error& e) {
        CHECK_THAT(e.found().items().front().message,
                   Contains("--objective: the gap's group 'race:white' is withheld from this scenario's outputs"));
    }
}

TEST_CASE("plan-next objectives are all, per-dollar or gap:<reference>-<focal>", "[costs][plan-next]") {
    std::string error;
    const auto gap = parse_objective("gap:race:white-race:black", error);
    REQUIRE(gap);
    CHECK(gap->what == plan_objective::kind::gap);
    CHECK(gap->reference == "race:white");
    CHECK(gap->focal == "race:black");
    CHECK(parse_objective("per-dollar", error)->what == plan_objective::kind::per_dollar);
    CHECK_FALSE(parse_objective("gap:race:white", error));
    CHECK_THAT(error, Contains("expected all, per-dollar or gap:<reference>-<focal>"));
}

namespace {

/// The ingredients table of one variant of the Denver scale-up.
plan_cost_table denver_costs(const std::string& variant) {
    diagnostics found;
    const plugin_registry plugins =
        plugin_registry::discover(load_options{{PATHWAYS_PLUGIN_BUILD_DIR}, false, false, false}, found);
    const auto loaded = load_scenario(std::filesystem::path(PATHWAYS_SOURCE_ROOT) / "scenarios/denver-scale-up.json",
                                      variant, plugins, scenario_overrides{}, found);
    REQUIRE(loaded);
    plan_cost_table table = cost_table(*loaded->graph, loaded->district, loaded->schools, loaded->spec, found);
    REQUIRE_FALSE(found.has_errors());
    return table;
}

double ingredient(const plan_cost_table& table, const std::string& name) {
    for (const ingredient_cost& row : table.ingredients) {
        if (row.item.name == name) return row.present_value;
    }
    FAIL("no ingredient " << name);
    return 0.0;
}

}  // namespace

TEST_CASE("Denver: a more intense plan costs more, alignment work costs, and stopping at the pilot costs less",
          "[costs]") {
    const plan_cost_table base = denver_costs("base");
    const plan_cost_table foundations = denver_costs("foundations_first");
    const plan_cost_table aligned = denver_costs("aligned_district");
    const plan_cost_table pilot = denver_costs("pilot_only");
    // Foundations first climbs further on average (foundational practices 1.0 to 3.0, drivers 0.8 to 1.75)
    // than the base plan (1.0 to 1.5, 0.8 to 2.0): more coaching and PD days, the rest the same.
    CHECK(foundations.present_value > base.present_value);
    CHECK(ingredient(foundations, "coaching") > ingredient(base, "coaching"));
    CHECK(ingredient(foundations, "devices") == ingredient(base, "devices"));
    // The base plan keeps the district's alignment; the aligned district pays for raising it.
    CHECK(ingredient(base, "alignment_work") == 0.0);
    CHECK(ingredient(aligned, "alignment_work") > 0.0);
    CHECK(aligned.present_value > base.present_value);
    CHECK(pilot.present_value < base.present_value);
    CHECK(pilot.students_reached < base.students_reached);
    double sum = 0.0;
    for (const ingredient_cost& row : base.ingredients) sum += row.present_value;
    CHECK(base.present_value == Approx(sum).epsilon(1e-12));
}
