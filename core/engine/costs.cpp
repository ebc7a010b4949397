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

void check_plan_costs(const scenario& spec, const district_profile& district, diagnostics& found) {
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

double school_cost_in_year(const std::vector<cost_item>& items, const school& s, int first_year, int year,
                           std::span<const double> factors) {
    double cost = 0.0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const cost_item& item = items[i];
        const double per_unit = item.per_year + (year == first_year ? item.one_time : 0.0);
        const double units = item.per_student ? static_cast<double>(s.enrollment) : 1.0;
        cost += per_unit * units * factor_of(factors, i);
    }
    return cost;
}

std::vector<double> cumulative_costs(const std::vector<cost_item>& items, const std::vector<school>& schools,
                                     const std::vector<std::optional<int>>& first_years, int start_year, int years,
                                     std::optional<int> cut_year, std::span<const double> factors) {
    std::vector<double> cumulative(static_cast<std::size_t>(std::max(0, years)), 0.0);
    double running = 0.0;
    for (int y = 0; y < years; ++y) {
        const bool cut = cut_year && start_year + y >= *cut_year;
        if (!cut) {
            for (std::size_t s = 0; s < schools.size(); ++s) {
                if (first_years[s] && *first_years[s] <= y)
                    running += school_cost_in_year(items, schools[s], *first_years[s], y, factors);
            }
        }
        cumulative[static_cast<std::size_t>(y)] = running;
    }
    return cumulative;
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
        const auto with_cut =
            cumulative_costs(costs.items, inputs.schools, first_years, start, sim.years(), cut_year, factors);
        const auto sustained = cut_year ? cumulative_costs(costs.items, inputs.schools, first_years, start, sim.years(),
                                                           std::nullopt, factors)
                                        : with_cut;
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
