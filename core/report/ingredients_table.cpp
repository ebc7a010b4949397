#include "report/ingredients_table.hpp"

#include <fmt/format.h>

#include <map>

#include "common/csv.hpp"
#include "common/text_format.hpp"
#include "report/cost_summary.hpp"
#include "report/html_text.hpp"

namespace pathways {
namespace {

/// "teacher" → "teachers" for the units a plan reaches.
std::string units_text(const ingredient_cost& row) {
    const cost_basis basis = row.item.basis;
    if (basis == cost_basis::district) return "the district";
    const std::string name(cost_basis_name(basis));
    return with_thousands_text(row.units) + " " + name + (row.units == 1.0 ? "" : "s");
}

/// The amount once and a year per unit: "1,750 / 1,050".
std::string amounts_text(const cost_item& item, const std::string& currency) {
    return money_text(item.one_time, currency) + " / " + money_text(item.per_year, currency);
}

/// How an ingredient is priced: "5 teacher-days once and 3 a year at USD 350", or its amounts.
std::string priced_text(const cost_item& item, const std::string& currency) {
    const std::string per = " per " + std::string(cost_basis_name(item.basis));
    if (item.price <= 0.0) return amounts_text(item, currency) + " (once / a year)" + per;
    return fmt::format("{:g} {} once and {:g} a year{} at {} each", item.one_time_quantity, item.quantity_unit,
                       item.per_year_quantity, per, money_text(item.price, currency));
}

/// What an ingredient follows and how far this plan takes it: "practices' climb x0.99", "" for nothing.
std::string short_follows(const ingredient_cost& row) {
    const cost_item& item = row.item;
    const double scale = row.units > 0.0 ? row.scaled_units / row.units : 0.0;
    switch (item.scales_with) {
        case cost_scaling::none: return "";
        case cost_scaling::practice_change: return fmt::format("practices' climb x{:.2f}", scale);
        case cost_scaling::foundation_change: return fmt::format("foundations' climb x{:.2f}", scale);
        case cost_scaling::driver_change: return fmt::format("drivers' climb x{:.2f}", scale);
        case cost_scaling::condition_change: break;
    }
    return fmt::format("{} x{:.2f}", item.condition, scale);
}

std::string header_line(const cost_settings& costs, int first_year) {
    return fmt::format(
        "Costs in {} at {} prices, present value in {} at {:g}% a year, if each plan is sustained to "
        "the horizon (central prices)",
        costs.currency, costs.price_year, first_year, 100.0 * costs.discount_rate.value);
}

/// Every ingredient of any plan, by name, with the first plan's definition of it.
std::map<std::string, const cost_item*> every_ingredient(const std::vector<labelled_cost_table>& plans) {
    std::map<std::string, const cost_item*> items;
    for (const labelled_cost_table& plan : plans) {
        for (const ingredient_cost& row : plan.table.ingredients) items.emplace(row.item.name, &row.item);
    }
    return items;
}

}  // namespace

std::string follows_text(const cost_item& item) {
    switch (item.scales_with) {
        case cost_scaling::none: return "";
        case cost_scaling::practice_change: return fmt::format("practices' climb (per {:g} level)", item.reference);
        case cost_scaling::foundation_change: return fmt::format("foundations' climb (per {:g} level)", item.reference);
        case cost_scaling::driver_change: return fmt::format("drivers' climb (per {:g} level)", item.reference);
        case cost_scaling::condition_change: break;
    }
    return fmt::format("{} raised (per {:g})", item.condition, item.reference);
}

std::string ingredients_text(const std::vector<labelled_cost_table>& plans) {
    if (plans.empty() || plans.front().table.ingredients.empty()) return "The plans have no cost ingredients.\n";
    const plan_cost_table& first = plans.front().table;
    std::string out = header_line(first.costs, first.first_year) + "\n";
    for (const labelled_cost_table& plan : plans) {
        const std::string& cur = plan.table.costs.currency;
        out += fmt::format("\n{} ({}){}{}\n", plan.variant.name, variant_kind_name(plan.variant.kind),
                           plan.variant.description.empty() ? "" : ": ", plan.variant.description);
        out += "  " + cell("ingredient", 20) + cell("per", 8) + cell("once / a year", 17) + cell("follows", 32) +
               cell("reached", 16) + "present value\n";
        for (const ingredient_cost& row : plan.table.ingredients) {
            out += "  " + cell(row.item.name, 20) + cell(cost_basis_name(row.item.basis), 8) +
                   cell(with_thousands_text(row.item.one_time) + " / " + with_thousands_text(row.item.per_year), 17) +
                   cell(short_follows(row), 32) + cell(units_text(row), 16) + money_text(row.present_value, cur) + "\n";
        }
        out += fmt::format("  total {}; {:.0f} students reached; {} per student reached\n",
                           money_text(plan.table.present_value, cur), plan.table.students_reached,
                           plan.table.students_reached > 0.0
                               ? money_text(plan.table.present_value / plan.table.students_reached, cur)
                               : std::string("n/a"));
    }
    out += "\nIngredients (amounts in " + first.costs.currency +
           " per unit; xN: how far the plan takes what the ingredient follows, over the change its amounts are "
           "for)\n";
    for (const auto& [name, item] : every_ingredient(plans)) {
        const std::string follows = follows_text(*item);
        out += fmt::format("  {}: {}{}. Evidence {}: {}\n", name, priced_text(*item, first.costs.currency),
                           follows.empty() ? "" : "; scales with " + follows, item->evidence, item->source);
    }
    return out;
}

std::string ingredients_csv(const std::vector<labelled_cost_table>& plans) {
    std::string out =
        "variant,kind,ingredient,per,one_time,per_year,quantity_unit,one_time_quantity,per_year_quantity,"
        "price,follows,reference,units_reached,scaled_units,present_value,currency,price_year,"
        "discount_rate,evidence,source\n";
    for (const labelled_cost_table& plan : plans) {
        for (const ingredient_cost& row : plan.table.ingredients) {
            const cost_item& item = row.item;
            const std::vector<std::string> fields{plan.variant.name,
                                                  std::string(variant_kind_name(plan.variant.kind)),
                                                  item.name,
                                                  std::string(cost_basis_name(item.basis)),
                                                  format_value(item.one_time),
                                                  format_value(item.per_year),
                                                  item.quantity_unit,
                                                  item.price > 0.0 ? format_value(item.one_time_quantity) : "",
                                                  item.price > 0.0 ? format_value(item.per_year_quantity) : "",
                                                  item.price > 0.0 ? format_value(item.price) : "",
                                                  follows_text(item),
                                                  item.scales_with == cost_scaling::none ? ""
                                                                                         : format_value(item.reference),
                                                  format_value(row.units),
                                                  format_value(row.scaled_units),
                                                  format_value(row.present_value),
                                                  plan.table.costs.currency,
                                                  std::to_string(plan.table.costs.price_year),
                                                  format_value(plan.table.costs.discount_rate.value),
                                                  item.evidence,
                                                  item.source};
            for (std::size_t i = 0; i < fields.size(); ++i) {
                // Text columns get the CSV guard; numbers are written as they are.
                const bool text = i < 4 || i == 6 || i == 10 || i == 15 || i >= 18;
                out += (i ? "," : "") + (text ? csv_field(fields[i]) : fields[i]);
            }
            out += "\n";
        }
    }
    return out;
}

std::string ingredients_html(const std::vector<labelled_cost_table>& plans) {
    if (plans.empty() || plans.front().table.ingredients.empty()) return "";
    const plan_cost_table& first = plans.front().table;
    std::string out = "<h3>Ingredients</h3>\n<p>" + html::escape(header_line(first.costs, first.first_year)) +
                      ". Each ingredient is counted per school, student, teacher or the district; an "
                      "ingredient that follows the plan scales with it (\u00d7: the plan's quantity over the one "
                      "its amounts are for).</p>\n";
    for (const labelled_cost_table& plan : plans) {
        const std::string& cur = plan.table.costs.currency;
        out += "<table>\n<caption>" + html::escape(plan.variant.name) + " (" +
               std::string(variant_kind_name(plan.variant.kind)) +
               "): " + html::escape(money_text(plan.table.present_value, cur)) +
               "</caption>\n<thead><tr><th scope=\"col\">Ingredient</th><th scope=\"col\">Once / a year, per "
               "unit</th><th scope=\"col\">Follows</th><th scope=\"col\">Reached</th><th scope=\"col\">Present "
               "value</th></tr></thead>\n<tbody>\n";
        for (const ingredient_cost& row : plan.table.ingredients) {
            const std::string follows = follows_text(row.item);
            out += "<tr><td>" + html::escape(row.item.name) + "</td><td>" +
                   html::escape(amounts_text(row.item, cur) + " per " + std::string(cost_basis_name(row.item.basis))) +
                   "</td><td>" +
                   html::escape(follows.empty()
                                    ? std::string()
                                    : follows + fmt::format(" \u00d7{:.2f}",
                                                            row.units > 0.0 ? row.scaled_units / row.units : 0.0)) +
                   "</td><td class=\"num\">" + html::escape(units_text(row)) + "</td><td class=\"num\">" +
                   html::escape(money_text(row.present_value, cur)) + "</td></tr>\n";
        }
        out += "</tbody></table>\n";
    }
    out += "<details><summary>Where each ingredient's quantity and price come from</summary>\n<ul>\n";
    for (const auto& [name, item] : every_ingredient(plans)) {
        out += "<li><strong>" + html::escape(name) +
               "</strong>: " + html::escape(priced_text(*item, first.costs.currency)) + ". " +
               html::escape(item->source) + " (evidence " + html::escape(item->evidence) + ")</li>\n";
    }
    return out + "</ul>\n</details>\n";
}

}  // namespace pathways
