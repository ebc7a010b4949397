#include "population/cells.hpp"
#include "common/text_safety.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <sstream>
#include <string>

#include "population/apportion.hpp"
#include "population/schools_csv.hpp"

namespace pathways {
namespace {

struct band_share {
    sdk::grade_band band;
    double fraction;
};

std::vector<band_share> grade_bands_of(school_level level) {
    switch (level) {
        case school_level::elementary: return {{sdk::grade_band::elementary, 1.0}};
        case school_level::middle: return {{sdk::grade_band::middle, 1.0}};
        case school_level::high: return {{sdk::grade_band::high, 1.0}};
        case school_level::k8: return {{sdk::grade_band::elementary, 6.0 / 9.0}, {sdk::grade_band::middle, 3.0 / 9.0}};
    }
    return {{sdk::grade_band::elementary, 1.0}};
}

std::string format_number(double value) { return shortest_number(value); }

void report_error(const school& s, const std::string& message, diagnostics& found) {
    found.error(s.where.file, s.where.line, 0, "", "school '" + s.id + "': " + message);
}

void append_cells(const school& s, std::uint32_t index, const joint_shares& shares, population_cells& cells) {
    const std::vector<band_share> bands = grade_bands_of(s.level);
    std::vector<double> weights;
    weights.reserve(bands.size() * shares.size());
    for (const band_share& b : bands) {
        for (const double share : shares) weights.push_back(share * b.fraction);
    }
    const std::vector<std::int64_t> counts = apportion_largest_remainder(weights, s.enrollment);
    for (std::size_t slot = 0; slot < bands.size(); ++slot) {
        for (int race = 0; race < sdk::race_count; ++race) {
            for (int ell = 0; ell < sdk::ell_status_count; ++ell) {
                for (int frl = 0; frl < frl_status_count; ++frl) {
                    for (int sped = 0; sped < sped_status_count; ++sped) {
                        const std::int64_t n = counts[slot * shares.size() + joint_index(race, ell, frl, sped)];
                        if (n == 0) continue;
                        cells.school.push_back(index);
                        cells.race.push_back(static_cast<std::uint8_t>(race));
                        cells.ell.push_back(static_cast<std::uint8_t>(ell));
                        cells.frl.push_back(static_cast<std::uint8_t>(frl));
                        cells.sped.push_back(static_cast<std::uint8_t>(sped));
                        cells.grade_band.push_back(static_cast<std::uint8_t>(bands[slot].band));
                        cells.students.push_back(static_cast<double>(n));
                    }
                }
            }
        }
    }
}

void record_fit(std::uint32_t index, const ipf_report& fit, population_report& report) {
    report.schools.push_back({index, fit});
    report.max_iterations = std::max(report.max_iterations, fit.iterations);
    if (report.schools.size() == 1 || fit.max_error > report.worst_max_error) {
        report.worst_max_error = fit.max_error;
        report.worst_school = index;
    }
}

}  // namespace

population_cells synthesize_population(const std::vector<school>& schools, const seed_table& seed,
                                       const ipf_options& options, population_report& report, diagnostics& found) {
    report = population_report{};
    population_cells cells;
    if (!check_seed_table(seed, found)) return cells;
    if (schools.size() > std::numeric_limits<std::uint32_t>::max()) {
        found.error("", 0, 0, "",
                    "too many schools (" + std::to_string(schools.size()) + "); expected at most 2^32 - 1");
        return cells;
    }
    for (std::uint32_t index = 0; index < schools.size(); ++index) {
        const school& s = schools[index];
        if (s.enrollment < 1 || static_cast<double>(s.enrollment) > max_school_enrollment) {
            report_error(s, "enrollment " + std::to_string(s.enrollment) + " is not valid; expected 1 to 1000000000",
                         found);
            continue;
        }
        const std::optional<ipf_result> fit = fit_joint_shares(marginals_of(s), seed, options, s.id, s.where, found);
        if (!fit) continue;
        record_fit(index, fit->report, report);
        if (!fit->report.converged) {
            report_error(s,
                         "ipf did not converge after " + std::to_string(fit->report.iterations) +
                             " iterations (largest marginal error " + format_number(fit->report.max_error) +
                             ", tolerance " + format_number(options.tolerance) +
                             "); expected shares that the seed table's zero weights allow",
                         found);
            continue;
        }
        append_cells(s, index, fit->shares, cells);
        report.total_students += static_cast<double>(s.enrollment);
    }
    report.cells = cells.size();
    return cells;
}

}  // namespace pathways
