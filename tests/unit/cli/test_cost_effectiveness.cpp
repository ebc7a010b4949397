// Cost-effectiveness in education's units, computed here by hand from the per-draw file of a run of
// every Denver variant (draws.csv) and compared with cost-effectiveness.csv and acceptability.csv:
// expected cost over expected effect over every draw (the cut-risk course included), dominance, and
// how often each option has the largest net benefit. Also `pathways costs` and the plan labels.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"

namespace {

using pathways::test::csv_rows;
using pathways::test::read_text;
using pathways::test::run_cli;
using pathways::test::scratch_folder;

std::string without_comment(const std::string& text) {
    return text.rfind('#', 0) == 0 ? text.substr(text.find('\n') + 1) : text;
}

double number(const std::map<std::string, std::string>& row, const std::string& column) {
    return std::stod(row.at(column));
}

/// One variant's draws of the final-year total cost and effect on `outcome` (all students, with the cut risk).
struct variant_draws {
    std::vector<double> cost, effect;
    [[nodiscard]] double mean_cost() const { return mean(cost); }
    [[nodiscard]] double mean_effect() const { return mean(effect); }
    static double mean(const std::vector<double>& v) {
        double total = 0.0;
        for (const double x : v) total += x;
        return total / static_cast<double>(v.size());
    }
};

constexpr int draws = 12;
constexpr int last_year = 2022;

}  // namespace

TEST_CASE("cost-effectiveness equals a hand computation from the per-draw file", "[cli][costs][cost-effectiveness]") {
    const scratch_folder out("cost-effectiveness");
    const auto result = run_cli("run scenarios/denver-scale-up.json --all-variants --draws " + std::to_string(draws) +
                                " --per-draw --quiet --format csv --out '" + out.path().string() + "'");
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
    const auto ce = csv_rows(read_text(out.path() / "cost-effectiveness.csv"));
    REQUIRE(ce.size() == 5);  // base and the four plans; patient_district is an assumption
    const std::string outcome = ce.front().at("outcome");
    std::map<std::string, variant_draws> by_variant;
    for (const auto& row : csv_rows(without_comment(read_text(out.path() / "draws.csv")))) {
        if (row.at("year") != std::to_string(last_year) || row.at("subgroup") != "all" ||
            row.at("course") != "with_cut_risk")
            continue;
        if (row.at("metric") == "cost_total") by_variant[row.at("variant")].cost.push_back(number(row, "value"));
        if (row.at("metric") == "effect" && row.at("outcome") == outcome)
            by_variant[row.at("variant")].effect.push_back(number(row, "value"));
    }
    double students = 0.0;
    for (const auto& row : csv_rows(without_comment(read_text(out.path() / "projection.csv")))) {
        if (row.at("variant") == "base" && row.at("subgroup") == "all" && row.at("metric") == "effect" &&
            row.at("outcome") == outcome && row.at("year") == std::to_string(last_year))
            students = number(row, "n_students");
    }
    REQUIRE(students > 0.0);
    std::map<std::string, std::pair<double, double>> per_student;  // variant → (cost per student, effect)
    for (const auto& row : ce) {
        const std::string variant = row.at("variant");
        INFO(variant);
        CHECK(row.at("kind") == "plan");
        const variant_draws& d = by_variant.at(variant);
        REQUIRE(d.cost.size() == static_cast<std::size_t>(draws));
        REQUIRE(d.effect.size() == static_cast<std::size_t>(draws));
        // Ratio of means over every draw: the draws in which the district cuts the program count too.
        const double cost = d.mean_cost();
        const double effect = d.mean_effect();
        CHECK(number(row, "expected_cost") == Approx(cost).epsilon(1e-5));
        CHECK(number(row, "expected_effect") == Approx(effect).epsilon(1e-5));
        CHECK(number(row, "cost_per_student") == Approx(cost / students).epsilon(1e-5));
        CHECK(number(row, "effect_per_1000_per_student") == Approx(effect / (cost / students / 1000.0)).epsilon(1e-5));
        CHECK(number(row, "effect_per_100_per_student") == Approx(effect / (cost / students / 100.0)).epsilon(1e-5));
        if (effect > 0.0) {
            CHECK(number(row, "cost_per_student_per_tenth_sd") ==
                  Approx((cost / students) / (effect / 0.1)).epsilon(1e-5));
            CHECK(number(row, "cost_per_student_per_tenth_sd_p05") <= number(row, "cost_per_student_per_tenth_sd_p95"));
        } else {
            CHECK(row.at("cost_per_student_per_tenth_sd").empty());
        }
        const double reached_cost = number(row, "cost_per_student_reached");
        const std::string band = reached_cost < 500 ? "low" : reached_cost <= 4000 ? "moderate" : "high";
        CHECK(row.at("kraft_cost_band") == band);
        per_student[variant] = {cost / students, effect};
    }
    // foundations_first moves practices further than base: more coaching and PD, so it costs more.
    CHECK(per_student.at("foundations_first").first > per_student.at("base").first);
    CHECK(per_student.at("aligned_district").first > per_student.at("base").first);
    CHECK(per_student.at("pilot_only").first < per_student.at("base").first);
    // Dominance by hand: a plan is dominated when one no dearer gains at least as much (business as usual:
    // nothing for nothing).
    for (const auto& row : ce) {
        const auto [cost, effect] = per_student.at(row.at("variant"));
        bool dominated = effect <= 0.0;
        for (const auto& [other, figures] : per_student) {
            if (other != row.at("variant") && figures.first <= cost && figures.second >= effect) dominated = true;
        }
        INFO(row.at("variant") << " " << cost << " " << effect);
        if (dominated) CHECK(row.at("standing") == "dominated");
        else CHECK(row.at("standing") != "dominated");
    }
    // The acceptability curve at 25,000 per SD per student, by hand: the option with the largest net benefit.
    const double wtp = 25000.0;
    std::map<std::string, int> best_count;
    for (int d = 0; d < draws; ++d) {
        std::string best = "business_as_usual";
        double best_value = 0.0;
        for (const auto& row : ce) {
            const variant_draws& v = by_variant.at(row.at("variant"));
            const double value =
                wtp * v.effect[static_cast<std::size_t>(d)] - v.cost[static_cast<std::size_t>(d)] / students;
            if (value > best_value) {
                best = row.at("variant");
                best_value = value;
            }
        }
        ++best_count[best];
    }
    double total = 0.0;
    for (const auto& row : csv_rows(read_text(out.path() / "acceptability.csv"))) {
        if (number(row, "willingness_to_pay_per_sd_per_student") == 0.0 && row.at("option") == "business_as_usual")
            CHECK(number(row, "probability_best") == 1.0);  // every plan costs something and gains nothing for free
        if (number(row, "willingness_to_pay_per_sd_per_student") != wtp) continue;
        INFO(row.at("option"));
        CHECK(number(row, "probability_best") == Approx(best_count[row.at("option")] / double(draws)).margin(1e-9));
        total += number(row, "probability_best");
    }
    CHECK(total == Approx(1.0));
    // The terminal names plans and prices assumptions without ranking them.
    CHECK(result.output.find("if patient_district") != std::string::npos);
    CHECK(result.output.find("not a plan: not compared") != std::string::npos);
}

TEST_CASE("pathways costs prints every plan's ingredients with quantities, what they follow and sources",
          "[cli][costs]") {
    const auto text = run_cli("costs scenarios/denver-scale-up.json");
    INFO(text.output);
    REQUIRE(text.exit_code == 0);
    for (const char* expected : {"base (plan)", "foundations_first (plan)", "patient_district (assumption)", "coaching",
                                 "pd_days", "pl_office", "alignment_work", "present value in 2017 at 3%", "Knight 2012",
                                 "5 teacher-day once and 3 a year per teacher at USD 350 each"}) {
        CHECK(text.output.find(expected) != std::string::npos);
    }
    const auto csv = run_cli("costs scenarios/denver-scale-up.json --format csv");
    REQUIRE(csv.exit_code == 0);
    std::map<std::string, double> totals;
    std::map<std::string, double> alignment;
    for (const auto& row : csv_rows(csv.output)) {
        totals[row.at("variant")] += number(row, "present_value");
        if (row.at("ingredient") == "alignment_work") alignment[row.at("variant")] = number(row, "present_value");
        CHECK_FALSE(row.at("source").empty());
    }
    CHECK(totals.at("foundations_first") > totals.at("base"));
    CHECK(totals.at("aligned_district") > totals.at("base"));
    CHECK(totals.at("pilot_only") < totals.at("base"));
    CHECK(alignment.at("base") == 0.0);
    CHECK(alignment.at("aligned_district") > 0.0);
    // Nothing is written, and a missing file is an input error.
    const auto missing = run_cli("costs scenarios/no-such-scenario.json");
    CHECK(missing.exit_code == 2);
}

TEST_CASE("the shipped scenarios label every variant a plan or an assumption, with a one-line description",
          "[cli][validate][plans]") {
    for (const char* file : {"denver-scale-up.json", "national-scale-up.json", "tutoring-scale-up.json"}) {
        INFO(file);
        const auto scenario =
            nlohmann::json::parse(read_text(std::filesystem::path(PATHWAYS_SOURCE_ROOT) / "scenarios" / file));
        for (const auto& [name, variant] : scenario["variants"].items()) {
            INFO(name);
            REQUIRE(variant.contains("kind"));
            CHECK((variant["kind"] == "plan" || variant["kind"] == "assumption"));
            REQUIRE(variant.contains("description"));
            CHECK(variant["description"].get<std::string>().find('\n') == std::string::npos);
        }
    }
    const auto scenario = nlohmann::json::parse(
        read_text(std::filesystem::path(PATHWAYS_SOURCE_ROOT) / "scenarios" / "denver-scale-up.json"));
    // The district never cutting the program is how the world might be, not a choice it can make.
    CHECK(scenario["variants"]["patient_district"]["kind"] == "assumption");
    CHECK(scenario["variants"]["foundations_first"]["kind"] == "plan");
}
