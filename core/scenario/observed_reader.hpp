#pragma once
/// \file
/// Observed outcomes: what actually happened, one row per district subgroup × year × outcome, for
/// `pathways monitor` (projected versus actual) and `pathways calibrate --observed` (updating the priors).
///
/// ```csv
/// # SYNTHETIC: ... (lines starting with # are comments)
/// subgroup,year,outcome,mean,n,se
/// all,2017,academic.achievement.math,0.031,5120,0.014
/// race:black,2018,academic.achievement.math,-0.402,690,
/// ```
///
/// `mean` is in the outcome's units, as `projection.csv` reports the `level` metric (SD of the
/// student distribution for achievement and student outcomes). `se` is optional: blank or absent, it
/// is 1/sqrt(n), the standard error of a mean of n students whose outcome has an SD of 1. An optional
/// `school` column must be blank: pathways projects districts and their subgroups, not single schools.
/// An optional `note` column is free text.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/model.hpp"

namespace pathways {

/// One observed cell, with the file position of its row.
struct observed_cell {
    std::string subgroup;  ///< canonical spelling (as outputs write it)
    int year = 0;          ///< calendar year
    std::string outcome;
    double mean = 0.0;
    long long n = 0;
    std::optional<double> se;  ///< as given; see standard_error()
    source_location where;     ///< the row (file, line, column 1)

    /// The standard error the comparison uses: the given one, else 1/sqrt(n).
    [[nodiscard]] double standard_error() const;
};

/// What the cells are checked against: the scenario's outcomes and horizon.
struct observed_context {
    std::string model;                  ///< the model's id, for messages
    std::vector<std::string> outcomes;  ///< ids of the outcomes a row may name
    int first_year = 0;                 ///< the scenario's start year
    int last_year = 0;                  ///< its last projected year
    /// False when there is no scenario to check against (`pathways validate` on the file alone):
    /// any outcome id and any year are then accepted.
    bool scenario_known = true;
};

struct observed_data {
    std::string file;
    std::vector<observed_cell> cells;  ///< in file order
};

/// Largest observed-data file accepted, so a wrong path cannot make the reader swallow a huge file.
inline constexpr std::size_t max_observed_csv_bytes = 16u * 1024u * 1024u;

/// Reads and checks an observed-data CSV against `context`. Every problem goes to `out` as
/// `file:line:col: error: column 'x': what is wrong; what is expected`, all in one pass: a missing,
/// unknown or repeated column, a wrong field count, a subgroup that does not parse, an outcome the
/// model does not report, a year outside the horizon, a mean that is not a finite number, an n that
/// is not a whole number of at least 1, an se that is not a positive number, a non-blank school, a
/// cell given twice, and a file with no rows. nullopt when there was any error.
std::optional<observed_data> read_observed_csv(const std::filesystem::path& path, const observed_context& context,
                                               diagnostics& out);

/// Whether `path` looks like an observed-data CSV rather than a schools CSV: its first line that is
/// not a comment names a `subgroup` and an `outcome` column.
bool is_observed_csv(const std::filesystem::path& path);

/// The same on text in memory; `file` names it in messages.
std::optional<observed_data> read_observed_text(std::string_view text, const std::string& file,
                                                const observed_context& context, diagnostics& out);

}  // namespace pathways
