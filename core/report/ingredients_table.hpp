#pragma once
/// \file
/// A plan's ingredients table (Levin & McEwan's ingredients method, as CBCSE's CostOut lays it out):
/// every ingredient with what one unit is counted per, its amounts once and a year (or quantities at a
/// price), what its quantity follows, the units the plan reaches and its present value; for the
/// terminal (`pathways costs`), as CSV, and as a section of the report.

#include <string>
#include <vector>

#include "common/scenario_types.hpp"
#include "engine/costs.hpp"

namespace pathways {

/// One plan's table with what it stands for.
struct labelled_cost_table {
    variant_info variant;
    plan_cost_table table;
};

/// What an ingredient's quantity follows, in words: "practices' climb (per 1 level)", "" for nothing.
std::string follows_text(const cost_item& item);

/// Every plan's table for the terminal, at most about 110 columns, then each ingredient's quantity,
/// price and source once; the first line states the currency, price year, discount rate and year.
std::string ingredients_text(const std::vector<labelled_cost_table>& plans);

/// One CSV line per plan and ingredient (with the source), under a header.
std::string ingredients_csv(const std::vector<labelled_cost_table>& plans);

/// The report's ingredients tables, as HTML: one per plan, each ingredient's source once below.
std::string ingredients_html(const std::vector<labelled_cost_table>& plans);

}  // namespace pathways
