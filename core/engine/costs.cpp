#include "engine/costs.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

#include "stats/distributions.hpp"
#include "stats/normal.hpp"
#include "stats/random.hpp"

namespace pathways {
namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double million = 1e6;
/// The z of a two-sided 90% interval: a factor f puts 90% of draws within [amount / f, amount × f].
constexpr double z_90 = 1.6448536269514722;
/// The smallest gain a cost per effect divides by: a group the plan does not reach differs from
/// business as usual by rounding alone (about 1e-12), which must not read as a gain at a vast cost.
constexpr double min_gain = 1e-9;

double factor_of(std::span<const double> factors, std::size_t item) { return factors.empty() ? 1.0 : factors[item]; }

/// A row of run_draws' table by what it measures, for the cost rows to read their denominators.
using row_key = std::tuple<int, std::size_t, std::size_t, metric, plan_course, std::string>;

std::map<row_key, std::size_t> index_rows(const std::vector<metric_row>& rows) {
    std::map<row_key, std::size_t> index;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const metric_row& r = rows[i];
        index[{r.year, r.subgroup, r.outcome, r.metric, r.course, r.reference}] = i;
    }
    return index;
}

std::optional<std::size_t> subgroup_named(const simulation& sim, std::string_view name) {
    const auto& groups = sim.subgroups();
    for (std::size_t g = 0; g < groups.size(); ++g) {
        if (groups[g].group.name == name) return g;
    }
    return std::nullopt;
}

/// How a cost row's per-draw value is made from the draw's cost, students reached and other rows.
struct cost_row_recipe {
    enum class kind : std::uint8_t { total, per_student, per_effect, gap_per_effect } what = kind::total;
    std::size_t effect = 0;  ///< per_effect: the effect row; gap_per_effect: the plan's gap_pp row
    std::size_t reference_bau = 0, focal_bau = 0;  ///< gap_per_effect: proficient_bau rows of both groups
    bool per_million = false;                      ///< effect per million instead of cost per unit
    double unit = 1.0;                             ///< effect units per ratio unit (0.1 SD for cost_per_tenth_sd)
};

struct planned_rows {
    std::vector<metric_row> rows;
    std::vector<cost_row_recipe> recipes;
};

void add_effect_rows(planned_rows& out, const projection_draws& draws, const std::map<row_key, std::size_t>& index,
                     const simulation& sim, std::size_t group, plan_course course) {
    const int last = sim.years() - 1;
    for (std::size_t o = 0; o < sim.outcomes().size(); ++o) {
        const auto found = index.find({last, group, o, metric::effect, course, ""});
        if (found == index.end()) continue;
        const metric_row& effect = draws.rows[found->second];
        for (const bool per_million : {false, true}) {
            metric_row row = effect;
            row.metric = per_million ? metric::effect_per_million : metric::cost_per_tenth_sd;
            out.rows.push_back(row);
            out.recipes.push_back({cost_row_recipe::kind::per_effect, found->second, 0, 0, per_million, 0.1});
        }
    }
}

void add_gap_rows(planned_rows& out, const projection_draws& draws, const std::map<row_key, std::size_t>& index,
                  const simulation& sim, plan_course course) {
    const int last = sim.years() - 1;
    for (std::size_t i = 0; i < draws.rows.size(); ++i) {
        const metric_row& gap = draws.rows[i];
        if (gap.year != last || gap.metric != metric::gap_pp || gap.course != course) continue;
        const auto reference = subgroup_named(sim, gap.reference);
        if (!reference) continue;
        const auto reference_bau =
            index.find({last, *reference, gap.outcome, metric::proficient_bau, plan_course::none, ""});
        const auto focal_bau =
            index.find({last, gap.subgroup, gap.outcome, metric::proficient_bau, plan_course::none, ""});
        if (reference_bau == index.end() || focal_bau == index.end()) continue;
        for (const bool per_million : {false, true}) {
            metric_row row = gap;
            row.metric = per_million ? metric::gap_pp_per_million : metric::cost_per_gap_pp;
            out.rows.push_back(row);
            out.recipes.push_back(
                {cost_row_recipe::kind::gap_per_effect, i, reference_bau->second, focal_bau->second, per_million, 1.0});
        }
    }
}

planned_rows plan_cost_rows(const projection_draws& draws, const simulation& sim, std::size_t all) {
    const auto index = index_rows(draws.rows);
    std::vector<plan_course> courses;
    for (const plan_course course : {plan_course::sustained, plan_course::with_cut_risk}) {
        if (std::any_of(draws.rows.begin(), draws.rows.end(), [&](const metric_row& r) { return r.course == course; }))
            courses.push_back(course);
    }
    const double students = sim.subgroups()[all].students;
    planned_rows out;
    for (int y = 0; y < sim.years(); ++y) {
        for (const plan_course course : courses) {
            out.rows.push_back({y, all, no_outcome, metric::cost_total, "", students, false, course});
            out.recipes.push_back({cost_row_recipe::kind::total});
        }
    }
    const auto pl = subgroup_named(sim, "pl:yes");
    for (const plan_course course : courses) {
        out.rows.push_back({sim.years() - 1, all, no_outcome, metric::cost_per_student, "", students, false, course});
        out.recipes.push_back({cost_row_recipe::kind::per_student});
        add_effect_rows(out, draws, index, sim, all, course);
        if (pl) add_effect_rows(out, draws, index, sim, *pl, course);
        add_gap_rows(out, draws, index, sim, course);
    }
    return out;
}

/// One draw's value of a cost row from its cost (cumulative, [year]) and students reached.
double recipe_value(const cost_row_recipe& recipe, const metric_row& row, std::span<const double> cost, double reached,
                    const double* draw_values) {
    const double total = cost[static_cast<std::size_t>(row.year)];
    switch (recipe.what) {
        case cost_row_recipe::kind::total: return total;
        case cost_row_recipe::kind::per_student: return reached > 0.0 ? total / reached : not_a_number;
        case cost_row_recipe::kind::per_effect:
        case cost_row_recipe::kind::gap_per_effect: break;
    }
    double gain = draw_values[recipe.effect];
    if (recipe.what == cost_row_recipe::kind::gap_per_effect) {
        gain = (draw_values[recipe.reference_bau] - draw_values[recipe.focal_bau]) - draw_values[recipe.effect];
    }
    if (recipe.per_million) return total > 0.0 ? gain / (total / million) : not_a_number;
    return gain > min_gain ? total / (gain / recipe.unit) : not_a_number;
}

}  // namespace

cost_settings plan_costs(const district_profile& district, const scenario& spec) {
    cost_settings out = district.costs;
    if (out.currency.empty()) {
        out.currency = spec.plan.costs.currency;
        out.price_year = spec.plan.costs.price_year;
    }
    std::map<std::string, cost_item> by_name;
    for (const cost_item& item : district.costs.items) by_name[item.name] = item;
    for (const cost_item& item : spec.plan.costs.items) by_name[item.name] = item;
    out.items.clear();
    for (auto& [name, item] : by_name) out.items.push_back(std::move(item));
    return out;
}

namespace {

/// Errors for items that scale with a condition the district does not give (so no change can be
/// measured), or that count teachers where the district gives no students per teacher.
void check_item_references(const std::vector<cost_item>& items, const position_index& where, const std::string& prefix,
                           const district_profile& district, diagnostics& found) {
    for (const cost_item& item : items) {
        const std::string pointer = prefix + "/" + item.name;
        if (item.scales_with == cost_scaling::condition_change && !district.conditions.contains(item.condition)) {
            std::vector<std::string> names;
            for (const auto& [name, value] : district.conditions) names.push_back(name);
            where.error(found, pointer + "/scales_with",
                        "condition '" + item.condition + "' is not one district profile '" + district.file +
                            "' gives, so its change cannot be costed; expected one of its conditions" +
                            did_you_mean(item.condition, names));
        }
        if (item.basis == cost_basis::teacher && !district.costs.students_per_teacher) {
            where.error(found, pointer + "/per",
                        "items per teacher need the students per teacher of district profile '" + district.file +
                            "', which gives none; expected /costs/students_per_teacher there, or per student");
        }
    }
}

}  // namespace

void check_plan_costs(const scenario& spec, const district_profile& district, diagnostics& found) {
    check_item_references(district.costs.items, district.where, "/costs/items", district, found);
    check_item_references(spec.plan.costs.items, spec.where, "/implementation/costs/items", district, found);
    const cost_settings& plan = spec.plan.costs;
    if (plan.items.empty() && plan.currency.empty()) return;
    if (district.costs.currency.empty()) {
        if (plan.currency.empty() || plan.price_year == 0) {
            spec.where.error(found, "/implementation/costs",
                             "district profile '" + district.file +
                                 "' gives no costs, so the plan's costs need their own; expected \"currency\" "
                                 "(e.g. \"USD\") and \"price_year\" under /implementation/costs");
        }
        return;
    }
    if (!plan.currency.empty() && plan.currency != district.costs.currency) {
        spec.where.error(found, "/implementation/costs/currency",
                         "currency '" + plan.currency + "' differs from district profile '" + district.file +
                             "', which gives costs in " + district.costs.currency + "; expected " +
                             district.costs.currency + " or no currency");
    }
    if (plan.price_year != 0 && plan.price_year != district.costs.price_year) {
        spec.where.error(found, "/implementation/costs/price_year",
                         "price year " + std::to_string(plan.price_year) + " differs from district profile '" +
                             district.file + "', which gives " + std::to_string(district.costs.price_year) +
                             " prices; expected " + std::to_string(district.costs.price_year) + " or no price year");
    }
}

std::vector<std::optional<int>> first_program_years(const implementation_schedule& schedule) {
    std::vector<std::optional<int>> first(schedule.school_count());
    for (int y = schedule.years() - 1; y >= 0; --y) {
        const std::vector<bool> reached = schedule.reached_by(y);
        for (std::size_t s = 0; s < first.size(); ++s) {
            if (reached[s]) first[s] = y;
        }
    }
    return first;
}

double basis_units(const cost_item& item, const school& s, const cost_settings& costs) {
    switch (item.basis) {
        case cost_basis::school: return 1.0;
        case cost_basis::student: return static_cast<double>(s.enrollment);
        case cost_basis::teacher:
            return static_cast<double>(s.enrollment) /
                   (costs.students_per_teacher ? costs.students_per_teacher->value : 1.0);
        case cost_basis::district: break;
    }
    return 0.0;
}

plan_intensity intensity_of(const implementation_schedule& schedule, const model_graph& graph,
                            const district_profile& district, const scenario& spec) {
    const std::size_t schools = schedule.school_count();
    plan_intensity out{std::vector<double>(schools, 0.0),
                       std::vector<double>(schools, 0.0),
                       std::vector<double>(schools, 0.0),
                       {}};
    const auto& nodes = graph.definition().nodes;
    const auto& driven = schedule.driven_nodes();
    for (std::size_t s = 0; s < schools; ++s) {
        if (schedule.wave_of_school()[s] < 0) continue;
        double foundation = 0.0, drivers = 0.0;
        int foundation_count = 0, driver_count = 0;
        for (std::size_t k = 0; k < driven.size(); ++k) {
            const node_kind kind = nodes[driven[k]].kind;
            const double climb = std::max(0.0, schedule.target_level(s, k) - schedule.start_level(s, k));
            if (kind == node_kind::foundational_practice) {
                foundation += climb;
                ++foundation_count;
            } else if (kind == node_kind::secondary_driver) {
                drivers += climb;
                ++driver_count;
            }
        }
        const auto mean = [](double total, int count) { return count > 0 ? total / count : 0.0; };
        out.practice_change[s] = mean(foundation + drivers, foundation_count + driver_count);
        out.foundation_change[s] = mean(foundation, foundation_count);
        out.driver_change[s] = mean(drivers, driver_count);
    }
    for (const auto& [name, value] : district.conditions) {
        const auto planned = spec.plan.conditions.find(name);
        const double plan_value = planned == spec.plan.conditions.end() ? value.value : planned->second;
        out.condition_change[name] = std::max(0.0, plan_value - value.value);
    }
    return out;
}

double item_scale(const cost_item& item, const plan_intensity& intensity, std::size_t school) {
    switch (item.scales_with) {
        case cost_scaling::none: return 1.0;
        case cost_scaling::practice_change: return intensity.practice_change[school] / item.reference;
        case cost_scaling::foundation_change: return intensity.foundation_change[school] / item.reference;
        case cost_scaling::driver_change: return intensity.driver_change[school] / item.reference;
        case cost_scaling::condition_change: break;
    }
    const auto found = intensity.condition_change.find(item.condition);
    return found == intensity.condition_change.end() ? 0.0 : found->second / item.reference;
}

double discount_factor(double rate, int year) { return 1.0 / std::pow(1.0 + rate, year); }

cost_schedule schedule_costs(const cost_settings& costs, const std::vector<school>& schools,
                             const std::vector<std::optional<int>>& first_years, const plan_intensity& intensity,
                             int years) {
    const std::size_t n = costs.items.size();
    cost_schedule out{n, years, std::vector<double>(n * static_cast<std::size_t>(std::max(0, years)), 0.0),
                      std::vector<double>(n, 0.0), std::vector<double>(n, 0.0)};
    const double rate = costs.discount_rate.value;
    std::optional<int> first_any;
    for (const auto& first : first_years) {
        if (first && (!first_any || *first < *first_any)) first_any = first;
    }
    for (std::size_t i = 0; i < n; ++i) {
        const cost_item& item = costs.items[i];
        double* spending = out.spending.data() + i * static_cast<std::size_t>(years);
        if (item.basis == cost_basis::district) {
            if (!first_any) continue;
            // District work follows only district conditions, so its scale is the same for any school.
            const double scale = schools.empty() ? 0.0 : item_scale(item, intensity, 0);
            out.units[i] = 1.0;
            out.scaled_units[i] = scale;
            for (int y = *first_any; y < years; ++y)
                spending[y] =
                    (item.per_year + (y == *first_any ? item.one_time : 0.0)) * scale * discount_factor(rate, y);
            continue;
        }
        for (std::size_t s = 0; s < schools.size(); ++s) {
            if (!first_years[s]) continue;
            const double units = basis_units(item, schools[s], costs);
            const double scaled = units * item_scale(item, intensity, s);
            out.units[i] += units;
            out.scaled_units[i] += scaled;
            for (int y = *first_years[s]; y < years; ++y)
                spending[y] +=
                    (item.per_year + (y == *first_years[s] ? item.one_time : 0.0)) * scaled * discount_factor(rate, y);
        }
    }
    return out;
}

std::vector<double> cumulative_costs(const cost_schedule& schedule, int start_year, std::optional<int> cut_year,
                                     std::span<const double> factors) {
    const int years = std::max(0, schedule.years);
    std::vector<double> cumulative(static_cast<std::size_t>(years), 0.0);
    double running = 0.0;
    for (int y = 0; y < years; ++y) {
        const bool cut = cut_year && start_year + y >= *cut_year;
        for (std::size_t i = 0; i < schedule.items && !cut; ++i)
            running += schedule.spending[i * static_cast<std::size_t>(years) + static_cast<std::size_t>(y)] *
                       factor_of(factors, i);
        cumulative[static_cast<std::size_t>(y)] = running;
    }
    return cumulative;
}

double added_school_cost(const cost_settings& costs, const school& s, int first_year, int years) {
    double cost = 0.0;
    for (const cost_item& item : costs.items) {
        const double units = basis_units(item, s, costs);
        for (int y = std::max(0, first_year); y < years; ++y)
            cost += (item.per_year + (y == first_year ? item.one_time : 0.0)) * units *
                    discount_factor(costs.discount_rate.value, y);
    }
    return cost;
}

double students_reached(const std::vector<school>& schools, const std::vector<std::optional<int>>& first_years,
                        int start_year, std::optional<int> cut_year) {
    double students = 0.0;
    for (std::size_t s = 0; s < schools.size(); ++s) {
        if (!first_years[s]) continue;
        if (cut_year && start_year + *first_years[s] >= *cut_year) continue;  // cut before it started
        students += static_cast<double>(schools[s].enrollment);
    }
    return students;
}

plan_cost_table cost_table(const model_graph& graph, const district_profile& district,
                           const std::vector<school>& schools, const scenario& spec, diagnostics& found) {
    plan_cost_table table;
    table.costs = plan_costs(district, spec);
    table.first_year = spec.start_year;
    const implementation_schedule schedule(graph, district, schools, spec, found);
    if (found.has_errors()) return table;
    const auto first_years = first_program_years(schedule);
    const cost_schedule planned =
        schedule_costs(table.costs, schools, first_years, intensity_of(schedule, graph, district, spec), spec.years);
    for (std::size_t i = 0; i < planned.items; ++i) {
        ingredient_cost row{table.costs.items[i], planned.units[i], planned.scaled_units[i], 0.0};
        for (int y = 0; y < planned.years; ++y)
            row.present_value +=
                planned.spending[i * static_cast<std::size_t>(planned.years) + static_cast<std::size_t>(y)];
        table.present_value += row.present_value;
        table.ingredients.push_back(std::move(row));
    }
    table.students_reached = students_reached(schools, first_years, spec.start_year, std::nullopt);
    return table;
}

std::vector<double> final_cost_draws(const projection_draws& draws, const simulation& sim) {
    const auto all = subgroup_named(sim, "all");
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < draws.rows.size() && all; ++i) {
        const metric_row& row = draws.rows[i];
        if (row.metric == metric::cost_total && row.subgroup == *all && row.course == plan_course::with_cut_risk &&
            (!found || row.year > draws.rows[*found].year))
            found = i;
    }
    std::vector<double> out;
    if (!found) return out;
    out.reserve(draws.draws);
    for (std::size_t d = 0; d < draws.draws; ++d) out.push_back(draws.values[d * draws.rows.size() + *found]);
    return out;
}

double plan_students_reached(const simulation& sim, const std::vector<school>& schools) {
    return students_reached(schools, first_program_years(sim.schedule()), sim.spec().start_year, std::nullopt);
}

std::vector<double> cost_factors(const std::vector<cost_item>& items, std::uint64_t seed, std::uint64_t draw,
                                 bool central) {
    std::vector<double> factors(items.size(), 1.0);
    if (central) return factors;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].uncertainty_factor <= 1.0) continue;
        stats::counter_rng rng(seed, draw, stats::stream_id("cost:" + items[i].name));
        factors[i] = stats::sample_lognormal(0.0, std::log(items[i].uncertainty_factor) / z_90, rng);
    }
    return factors;
}

bool is_cost_metric(metric m) {
    switch (m) {
        case metric::cost_total:
        case metric::cost_per_student:
        case metric::cost_per_tenth_sd:
        case metric::effect_per_million:
        case metric::cost_per_gap_pp:
        case metric::gap_pp_per_million: return true;
        default: return false;
    }
}

bool is_cost_per_effect(metric m) { return m == metric::cost_per_tenth_sd || m == metric::cost_per_gap_pp; }

stats::summary summarize_cost_per_effect(std::span<const double> values) {
    std::vector<double> defined;
    for (const double v : values) {
        if (!std::isnan(v)) defined.push_back(v);
    }
    stats::summary s;
    if (defined.empty()) {
        s = {not_a_number, not_a_number, not_a_number, not_a_number, not_a_number, 0.0};
        return s;
    }
    s = stats::summarize(defined);
    s.prob_positive = static_cast<double>(defined.size()) / static_cast<double>(values.size());
    return s;
}

void append_cost_rows(projection_draws& draws, const cost_inputs& inputs) {
    const simulation& sim = inputs.sim;
    const cost_settings costs = plan_costs(sim.district(), inputs.spec);
    const auto all = subgroup_named(sim, "all");
    if (costs.items.empty() || !all || draws.rows.empty()) return;
    const planned_rows planned = plan_cost_rows(draws, sim, *all);
    const std::vector<std::optional<int>> first_years = first_program_years(sim.schedule());
    const cost_schedule schedule =
        schedule_costs(costs, inputs.schools, first_years,
                       intensity_of(sim.schedule(), sim.graph(), sim.district(), inputs.spec), sim.years());
    const std::size_t old_width = draws.rows.size();
    const std::size_t new_width = old_width + planned.rows.size();
    const bool central = inputs.options.draws <= 0;
    std::vector<double> values(draws.draws * new_width);
    for (std::size_t d = 0; d < draws.draws; ++d) {
        const double* old_values = draws.values.data() + d * old_width;
        double* out = values.data() + d * new_width;
        std::copy(old_values, old_values + old_width, out);
        // Under MPI this process holds draws [first_draw, first_draw + draws.draws): cost factors are
        // keyed by the whole run's draw number.
        const std::uint64_t draw = inputs.options.first_draw + d;
        const std::optional<int> cut_year = central ? std::nullopt : draws.cut_years[d];
        const std::vector<double> factors = cost_factors(costs.items, inputs.options.seed, draw, central);
        const int start = inputs.spec.start_year;
        const auto with_cut = cumulative_costs(schedule, start, cut_year, factors);
        const auto sustained = cut_year ? cumulative_costs(schedule, start, std::nullopt, factors) : with_cut;
        const double reached_with_cut = students_reached(inputs.schools, first_years, start, cut_year);
        const double reached_sustained = students_reached(inputs.schools, first_years, start, std::nullopt);
        for (std::size_t r = 0; r < planned.rows.size(); ++r) {
            const bool if_sustained = planned.rows[r].course == plan_course::sustained;
            out[old_width + r] = recipe_value(planned.recipes[r], planned.rows[r], if_sustained ? sustained : with_cut,
                                              if_sustained ? reached_sustained : reached_with_cut, old_values);
        }
    }
    draws.rows.insert(draws.rows.end(), planned.rows.begin(), planned.rows.end());
    draws.values = std::move(values);
}

}  // namespace pathways
