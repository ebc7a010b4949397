#pragma once
/// \file
/// The projection as people and tools read it: tidy CSV and JSON (one row per scenario, variant,
/// model, year, subgroup, outcome, metric and course), and a short summary for the terminal.

#include <string>
#include <vector>

#include "engine/projection.hpp"
#include "scenario/results_reader.hpp"

namespace pathways {

/// What every row of a table shares: which scenario, variant and model produced it.
struct table_context {
    std::string scenario;
    std::string variant;
    std::string model;
    int start_year = 0;
    const simulation* sim = nullptr;
    bool suppression = true;  ///< false stamps the output "not for public release"
};

/// Rows of the tidy CSV, one per line; suppressed rows keep their labels and leave values empty.
std::string projection_csv_rows(const projection_result& result, const table_context& context);

/// One run's object of projection.json (suppressed and undefined values are null).
std::string projection_json(const projection_result& result, const table_context& context);

/// One run as results files hold it and results_reader reads it back: labelled rows, numbers at the
/// precision written, none for suppressed rows.
result_run result_run_of(const projection_result& result, const table_context& context);

/// The final-year effects and gap changes for the reported subgroups, for a terminal.
std::string projection_summary(const projection_result& result, const table_context& context);

/// How a median number of years to close a gap reads: "closes about N years from the start at this
/// pace", "closed from the start", or, when undefined (the gap does not narrow), "not closing at this pace".
std::string years_to_close_text(double years);

/// One or two sentences on the district's program-cut risk and what a cut does (`after_cut`'s central
/// years to half way for practices and persistence of gains).
std::string cut_risk_text(double annual_probability, int first_year_at_risk, double by_horizon, std::size_t cut_draws,
                          std::size_t draws, int last_year, const program_cut_settings& after_cut);

}  // namespace pathways
