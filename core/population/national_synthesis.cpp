#include "population/national_synthesis.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "population/apportion.hpp"
#include "population/schools_csv.hpp"
#include "stats/distributions.hpp"
#include "stats/random.hpp"

namespace pathways {
namespace {

/// How much one school's race mix varies around its band's mix: a log-scale SD per race (assumed;
/// wide enough that schools of one band range from nearly all-white to nearly all-minority).
constexpr double school_race_log_sd = 0.6;
/// Spread of English-learner shares between schools beyond what their Hispanic and Asian shares
/// explain (assumed), and of disability shares (assumed).
constexpr double school_ell_log_sd = 0.5;
constexpr double school_disability_log_sd = 0.25;

stats::counter_rng school_rng(std::uint64_t seed, std::size_t school, const char* quantity) {
    return stats::counter_rng(seed, school, stats::stream_id(quantity));
}

double sum_of(std::span<const double> values) { return std::accumulate(values.begin(), values.end(), 0.0); }

std::vector<school_level> levels_of_schools(const national_marginals& m) {
    const auto counts = apportion_largest_remainder(m.level_shares, m.schools);
    std::vector<school_level> levels;
    levels.reserve(static_cast<std::size_t>(m.schools));
    for (std::size_t level = 0; level < counts.size(); ++level) {
        levels.insert(levels.end(), static_cast<std::size_t>(counts[level]), static_cast<school_level>(level));
    }
    return levels;
}

/// Sizes drawn from each level's log-normal shape, then scaled together so they sum to the national
/// enrollment exactly (largest remainder). A floor of a twentieth of the median keeps every school open.
std::vector<std::int64_t> enrollments(const national_marginals& m, const std::vector<school_level>& levels,
                                      std::uint64_t seed) {
    std::vector<double> raw(levels.size());
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const auto level = static_cast<std::size_t>(levels[i]);
        auto rng = school_rng(seed, i, "national.enrollment");
        const double median = m.median_enrollment[level];
        raw[i] = std::max(median / 20.0, stats::sample_lognormal(std::log(median), m.enrollment_log_sd[level], rng));
    }
    return apportion_largest_remainder(raw, m.students);
}

/// Each school's FRL band: schools in a seeded random order fill the bands in turn until each band
/// holds its share of students, so the bands' student shares are met to within one school.
std::vector<std::size_t> bands_of_schools(const national_marginals& m, const std::vector<std::int64_t>& enrollment,
                                          std::uint64_t seed) {
    std::vector<std::pair<std::uint64_t, std::size_t>> order(enrollment.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = {school_rng(seed, i, "national.frl_order").next_u64(), i};
    std::sort(order.begin(), order.end());

    std::vector<double> band_end(m.frl_bands.size());
    double cumulative = 0.0;
    for (std::size_t b = 0; b < band_end.size(); ++b) band_end[b] = cumulative += m.frl_bands[b].student_share;

    std::vector<std::size_t> band(enrollment.size());
    const double total = static_cast<double>(m.students);
    double filled = 0.0;
    std::size_t current = 0;
    for (const auto& [key, i] : order) {
        const double midpoint = (filled + 0.5 * static_cast<double>(enrollment[i])) / total;
        while (current + 1 < band_end.size() && midpoint > band_end[current]) ++current;
        band[i] = current;
        filled += static_cast<double>(enrollment[i]);
    }
    return band;
}

/// The race mix of each FRL band: the national mix tilted by each band's lean, then fitted (iterative
/// proportional fitting on the band × race table) so the bands' student shares and the national race
/// shares both hold.
std::vector<std::array<double, sdk::race_count>> band_race_mix(const national_marginals& m) {
    const std::size_t bands = m.frl_bands.size();
    std::vector<std::array<double, sdk::race_count>> table(bands);
    for (std::size_t b = 0; b < bands; ++b) {
        for (int r = 0; r < sdk::race_count; ++r) {
            table[b][r] = m.race_shares[r] * std::exp(m.frl_bands[b].lean * m.race_tilt[r]);
        }
    }
    for (int iteration = 0; iteration < 200; ++iteration) {
        for (std::size_t b = 0; b < bands; ++b) {
            const double row = sum_of(table[b]);
            for (double& cell : table[b]) cell *= row > 0.0 ? m.frl_bands[b].student_share / row : 0.0;
        }
        for (int r = 0; r < sdk::race_count; ++r) {
            double column = 0.0;
            for (const auto& row : table) column += row[r];
            for (auto& row : table) row[r] *= column > 0.0 ? m.race_shares[r] / column : 0.0;
        }
    }
    for (auto& row : table) {
        const double total = sum_of(row);
        for (double& cell : row) cell = total > 0.0 ? cell / total : 0.0;
    }
    return table;
}

void normalise(std::array<double, sdk::race_count>& shares) {
    const double total = sum_of(shares);
    for (double& s : shares) s /= total;
}

/// Every school's race mix: its band's mix with school-level variation, then raked school by school
/// so the national race shares hold again to 1e-9.
void assign_race_shares(std::vector<school>& schools, const national_marginals& m, const std::vector<std::size_t>& band,
                        std::uint64_t seed) {
    const auto band_mix = band_race_mix(m);
    for (std::size_t i = 0; i < schools.size(); ++i) {
        auto rng = school_rng(seed, i, "national.race");
        for (int r = 0; r < sdk::race_count; ++r) {
            schools[i].race_shares[r] =
                band_mix[band[i]][r] * std::exp(school_race_log_sd * stats::sample_standard_normal(rng));
        }
        normalise(schools[i].race_shares);
    }
    for (int iteration = 0; iteration < 100; ++iteration) {
        std::array<double, sdk::race_count> students{};
        for (const school& s : schools) {
            for (int r = 0; r < sdk::race_count; ++r)
                students[r] += static_cast<double>(s.enrollment) * s.race_shares[r];
        }
        double worst = 0.0;
        std::array<double, sdk::race_count> factor{};
        for (int r = 0; r < sdk::race_count; ++r) {
            const double share = students[r] / static_cast<double>(m.students);
            worst = std::max(worst, std::abs(share - m.race_shares[r]));
            factor[r] = share > 0.0 ? m.race_shares[r] / share : 0.0;
        }
        if (worst < 1e-9) break;
        for (school& s : schools) {
            for (int r = 0; r < sdk::race_count; ++r) s.race_shares[r] *= factor[r];
            normalise(s.race_shares);
        }
    }
}

/// Scales per-school propensities so the enrollment-weighted mean of min(k × propensity, cap) is
/// `target`, solving for k by bisection (the capped mean rises monotonically with k).
std::vector<double> scaled_to_mean(const std::vector<double>& propensity, const std::vector<school>& schools,
                                   double target, double cap) {
    const auto capped_mean = [&](double k) {
        double sum = 0.0;
        for (std::size_t i = 0; i < schools.size(); ++i) {
            sum += static_cast<double>(schools[i].enrollment) * std::min(k * propensity[i], cap);
        }
        return sum;
    };
    double total = 0.0;
    for (const school& s : schools) total += static_cast<double>(s.enrollment);
    double low = 0.0;
    double high = 1.0;
    while (capped_mean(high) < target * total && high < 1e12) high *= 2.0;
    for (int step = 0; step < 100; ++step) {
        const double mid = 0.5 * (low + high);
        (capped_mean(mid) < target * total ? low : high) = mid;
    }
    std::vector<double> shares(propensity.size());
    for (std::size_t i = 0; i < shares.size(); ++i) shares[i] = std::min(high * propensity[i], cap);
    return shares;
}

/// English learners follow a school's Hispanic and Asian shares (most English learners speak Spanish,
/// the next largest groups Asian languages), with school-level spread; former English learners in a
/// fixed ratio to current ones.
void assign_english_learners(std::vector<school>& schools, const national_marginals& m, std::uint64_t seed) {
    std::vector<double> propensity(schools.size());
    for (std::size_t i = 0; i < schools.size(); ++i) {
        const auto& race = schools[i].race_shares;
        auto rng = school_rng(seed, i, "national.english_learners");
        propensity[i] =
            (0.02 + race[static_cast<int>(sdk::race::hispanic)] + 0.6 * race[static_cast<int>(sdk::race::asian)]) *
            std::exp(school_ell_log_sd * stats::sample_standard_normal(rng));
    }
    const auto shares = scaled_to_mean(propensity, schools, m.english_learner_share, max_english_learner_share);
    for (std::size_t i = 0; i < schools.size(); ++i) {
        schools[i].ell_share = shares[i];
        schools[i].exited_ell_share = std::min(m.exited_ell_per_ell * shares[i], 1.0 - shares[i]);
    }
}

void assign_disabilities(std::vector<school>& schools, const national_marginals& m, std::uint64_t seed) {
    std::vector<double> propensity(schools.size());
    for (std::size_t i = 0; i < schools.size(); ++i) {
        auto rng = school_rng(seed, i, "national.disability");
        propensity[i] = std::exp(school_disability_log_sd * stats::sample_standard_normal(rng));
    }
    const auto shares = scaled_to_mean(propensity, schools, m.disability_share, max_disability_share);
    for (std::size_t i = 0; i < schools.size(); ++i) schools[i].sped_share = shares[i];
}

std::string band_tag(const frl_band& band) {
    if (band.lower == band.upper) return "frl-unknown";
    return "frl-" + std::to_string(std::lround(band.lower * 100.0)) + "-" +
           std::to_string(std::lround(band.upper * 100.0));
}

std::string school_id(std::size_t index) {
    std::string digits = std::to_string(index + 1);
    return "us-" + std::string(digits.size() < 6 ? 6 - digits.size() : 0, '0') + digits;
}

}  // namespace

std::vector<school> synthesize_national_schools(const national_marginals& m, std::uint64_t seed) {
    if (const auto problem = check_marginals(m); !problem.empty()) throw std::invalid_argument(problem);
    const auto levels = levels_of_schools(m);
    const auto enrollment = enrollments(m, levels, seed);
    const auto band = bands_of_schools(m, enrollment, seed);

    std::vector<school> schools(levels.size());
    for (std::size_t i = 0; i < schools.size(); ++i) {
        school& s = schools[i];
        s.id = school_id(i);
        s.name = "Synthetic " + std::string(to_string(levels[i])) + " school " + s.id.substr(3);
        s.level = levels[i];
        s.enrollment = enrollment[i];
        const frl_band& b = m.frl_bands[band[i]];
        s.frl_share = b.lower + (b.upper - b.lower) * school_rng(seed, i, "national.frl").next_uniform();
        s.tags = {band_tag(b)};
    }
    assign_race_shares(schools, m, band, seed);
    assign_english_learners(schools, m, seed);
    assign_disabilities(schools, m, seed);
    return schools;
}

std::vector<school> district_schools(const district_profile& district, diagnostics& found) {
    if (district.synthesized_schools)
        return synthesize_national_schools(*district.synthesized_schools, district.synthesis_seed);
    return read_schools_csv(district.schools_csv, found);
}

}  // namespace pathways
