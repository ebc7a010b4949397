#pragma once
// Shared builders for the population tests: a valid schools CSV that each test breaks in one
// place, and a Denver-like seed table.

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "population/school.hpp"
#include "population/seed_table.hpp"

namespace pathways::test {

inline const std::vector<std::string>& schools_csv_columns() {
    static const std::vector<std::string> columns{"school_id",
                                                  "name",
                                                  "level",
                                                  "enrollment",
                                                  "share_hispanic",
                                                  "share_black",
                                                  "share_white",
                                                  "share_asian",
                                                  "share_multiracial",
                                                  "share_american_indian",
                                                  "share_pacific_islander",
                                                  "share_ell",
                                                  "share_exited_ell",
                                                  "share_frl",
                                                  "share_sped",
                                                  "spf",
                                                  "tags",
                                                  "start_level",
                                                  "academic_optimism",
                                                  "value_feasibility_gap"};
    return columns;
}

/// A schools CSV held as a header and rows of fields, written out by `text()`.
struct schools_csv_builder {
    std::vector<std::string> header = schools_csv_columns();
    std::vector<std::vector<std::string>> rows;

    /// Race shares sum to 0.5 + 0.2 + 0.2 + 0.04 + 0.03 + 0.02 + 0.01 = 1.
    std::vector<std::string>& add_row(const std::string& id) {
        rows.push_back({id,     "School " + id, "elementary", "400",  "0.5", "0.2", "0.2",
                        "0.04", "0.03",         "0.02",       "0.01", "0.3", "0.1", "0.7",
                        "0.12", "green",        "pl-pilot",   "",     "",    ""});
        return rows.back();
    }

    std::size_t column(const std::string& name) const {
        return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
    }

    /// Sets one field of row `row` (0-based data row, so file line row + 2).
    void set(std::size_t row, const std::string& name, const std::string& value) { rows[row][column(name)] = value; }

    void remove_column(const std::string& name) {
        const std::size_t at = column(name);
        header.erase(header.begin() + static_cast<std::ptrdiff_t>(at));
        for (auto& row : rows) row.erase(row.begin() + static_cast<std::ptrdiff_t>(at));
    }

    void rename_column(const std::string& from, const std::string& to) { header[column(from)] = to; }

    std::string text() const {
        std::string out = join(header);
        for (const auto& row : rows) out += join(row);
        return out;
    }

private:
    static std::string join(const std::vector<std::string>& fields) {
        std::string line;
        for (std::size_t i = 0; i < fields.size(); ++i) line += (i == 0 ? "" : ",") + fields[i];
        return line + "\n";
    }
};

/// A seed with strong associations, in the spirit of the Denver district profile.
inline seed_table denver_like_seed() {
    seed_table seed;
    seed.ell_given_race = {{{1.0, 3.0, 1.5},    // hispanic
                            {1.0, 0.3, 0.1},    // black
                            {1.0, 0.05, 0.02},  // white
                            {1.0, 1.5, 0.8},    // asian
                            {1.0, 0.2, 0.1},    // multiracial
                            {1.0, 0.5, 0.3},    // american_indian
                            {1.0, 0.8, 0.4}}};  // pacific_islander
    seed.frl_odds = {2.5, 2.2, 0.35, 1.0, 1.0, 1.0, 1.0};
    seed.sped_odds = {1.0, 1.3, 1.0, 1.0, 1.0, 1.0, 1.0};
    return seed;
}

/// A school with the given enrollment and realistic Denver-like shares.
inline school realistic_school(const std::string& id, school_level level, std::int64_t enrollment) {
    school s;
    s.id = id;
    s.name = "School " + id;
    s.level = level;
    s.enrollment = enrollment;
    s.race_shares = {0.55, 0.13, 0.24, 0.03, 0.035, 0.01, 0.005};
    s.ell_share = 0.36;
    s.exited_ell_share = 0.12;
    s.frl_share = 0.65;
    s.sped_share = 0.11;
    s.where.file = "schools.csv";
    s.where.line = 2;
    return s;
}

}  // namespace pathways::test
