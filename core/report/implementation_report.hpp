#pragma once
/// \file
/// What `pathways monitor --implementation` writes: implementation.csv (one row per school, practice
/// or driver and year rated) and implementation.html, a page with the summaries by wave and by driver
/// and a chart of every school's rated level against the plan's ramp.

#include <string>

#include "engine/implementation_monitor.hpp"

namespace pathways {

/// Where the comparison came from, for the page's heading and notes.
struct implementation_context {
    std::string scenario;  ///< the scenario's name
    std::string variant;
    std::string ratings;      ///< the ratings file
    std::string ratings_sha;  ///< its SHA-256
    std::uint64_t seed = 0;
};

/// Header and one line per rated level, in the table's order.
std::string implementation_csv(const implementation_table& table);

/// The report's section: summaries by wave and driver, the chart and the schools' tallies (an HTML
/// fragment to place in a page).
std::string implementation_section_html(const implementation_table& table, const implementation_context& context);

/// A complete HTML page holding the section.
std::string implementation_html(const implementation_table& table, const implementation_context& context);

}  // namespace pathways
