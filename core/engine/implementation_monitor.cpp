#include "engine/implementation_monitor.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <stdexcept>

namespace pathways {
namespace {

/// The z of a two-sided 90% interval of a normal distribution.
constexpr double z90 = 1.6448536269514722;

implementation_draw plan_draw_of(const draw_parameters& p) {
    return {p.years_to_half, p.years_to_90,  p.decay_per_doubling,
            p.cut_year,      p.edge_weights, p.practices_years_to_half};
}

std::string wave_name(const simulation& sim, std::size_t school) {
    const int w = sim.schedule().wave_of_school()[school];
    return w < 0 ? std::string("not in the plan") : sim.spec().plan.waves[static_cast<std::size_t>(w)].name;
}

void tally(std::vector<implementation_tally>& tallies, const std::string& key, const implementation_row& row) {
    auto found = std::find_if(tallies.begin(), tallies.end(), [&](const auto& t) { return t.key == key; });
    if (found == tallies.end()) {
        found = tallies.insert(tallies.end(), implementation_tally{});
        found->key = key;
    }
    const double n = static_cast<double>(found->rows());
    found->mean_gap = (found->mean_gap * n + (row.observed.level - row.expected_rating)) / (n + 1.0);
    if (row.status == implementation_status::behind) ++found->behind;
    else if (row.status == implementation_status::ahead) ++found->ahead;
    else ++found->on_track;
}

}  // namespace

double rating_measurement::sd_of(std::size_t ratings) const {
    return rater_sd / std::sqrt(static_cast<double>(std::max<std::size_t>(ratings, 1)));
}

std::string_view to_string(implementation_status status) {
    switch (status) {
        case implementation_status::behind: return "behind";
        case implementation_status::ahead: return "ahead";
        case implementation_status::on_track: return "on track";
    }
    return "on track";
}

rated_points locate_ratings(const simulation& sim, const std::vector<school>& schools, const rated_levels& observed) {
    std::map<std::string, std::size_t> school_index;
    for (std::size_t s = 0; s < schools.size(); ++s) school_index.emplace(schools[s].id, s);
    std::map<std::string, std::size_t> driven_index;
    const auto& driven = sim.schedule().driven_nodes();
    for (std::size_t k = 0; k < driven.size(); ++k)
        driven_index.emplace(sim.graph().definition().nodes[driven[k]].id, k);
    rated_points out;
    const int first = sim.spec().start_year;
    for (const auto& [key, level] : observed) {
        const auto& [school_id, node, year] = key;
        const auto s = school_index.find(school_id);
        const auto k = driven_index.find(node);
        if (s == school_index.end() || k == driven_index.end()) {
            throw std::invalid_argument("rated " + school_id + " " + node + " is not in the scenario");
        }
        if (year < first || year >= first + sim.years()) {
            ++out.outside_horizon;
            continue;
        }
        out.points.push_back({s->second, k->second, year - first, level});
    }
    return out;
}

double ratings_log_likelihood(const simulation& sim, const draw_parameters& parameters, const rated_points& points,
                              const rating_measurement& measurement, implementation_schedule::result& scratch) {
    sim.schedule().compute(plan_draw_of(parameters), false, scratch);
    double total = 0.0;
    for (const rated_points::point& p : points.points) {
        const double level = sim.schedule().level(scratch, p.year_index, p.school, p.driven);
        const double sd = measurement.sd_of(p.observed.ratings);
        const double z = (p.observed.level - measurement.expected(level, p.observed.self_only)) / sd;
        total += -0.5 * z * z - std::log(sd) - 0.5 * std::log(2.0 * std::numbers::pi);
    }
    return total;
}

implementation_table compare_implementation(const simulation& sim, const std::vector<school>& schools,
                                            const rated_levels& observed, std::size_t draws, std::uint64_t seed,
                                            const rating_measurement& measurement) {
    const rated_points located = locate_ratings(sim, schools, observed);
    const std::size_t runs = std::max<std::size_t>(draws, 1);
    std::vector<std::vector<double>> levels(located.points.size(), std::vector<double>(runs));
    implementation_schedule::result scratch;
    draw_parameters parameters;
    for (std::size_t d = 0; d < runs; ++d) {
        if (draws == 0) parameters = sim.central_parameters();
        else sim.sample_parameters(seed, d, parameters);
        sim.schedule().compute(plan_draw_of(parameters), false, scratch);
        for (std::size_t i = 0; i < located.points.size(); ++i) {
            const rated_points::point& p = located.points[i];
            levels[i][d] = sim.schedule().level(scratch, p.year_index, p.school, p.driven);
        }
    }
    implementation_table table;
    table.draws = draws;
    table.outside_horizon = located.outside_horizon;
    table.measurement = measurement;
    const auto& nodes = sim.graph().definition().nodes;
    for (std::size_t i = 0; i < located.points.size(); ++i) {
        const rated_points::point& p = located.points[i];
        implementation_row row;
        row.school = schools[p.school].id;
        row.school_name = schools[p.school].name;
        row.wave = wave_name(sim, p.school);
        row.year = sim.spec().start_year + p.year_index;
        row.node = nodes[sim.schedule().driven_nodes()[p.driven]].id;
        row.observed = p.observed;
        row.start = sim.schedule().start_level(p.school, p.driven);
        row.planned = stats::summarize(levels[i]);
        row.expected_rating = measurement.expected(row.planned.mean, p.observed.self_only);
        const double spread = std::hypot(row.planned.sd, measurement.sd_of(p.observed.ratings));
        row.predictive_p05 = row.expected_rating - z90 * spread;
        row.predictive_p95 = row.expected_rating + z90 * spread;
        row.status = row.observed.level < row.predictive_p05   ? implementation_status::behind
                     : row.observed.level > row.predictive_p95 ? implementation_status::ahead
                                                               : implementation_status::on_track;
        tally(table.by_wave, row.wave, row);
        tally(table.by_driver, row.node, row);
        tally(table.by_school, row.school, row);
        table.rows.push_back(std::move(row));
    }
    return table;
}

std::vector<double> ratings_log_likelihoods(const simulation& sim, std::uint64_t seed, std::size_t draws,
                                            const rated_points& points, const rating_measurement& measurement) {
    std::vector<double> out(draws);
    implementation_schedule::result scratch;
    draw_parameters parameters;
    for (std::size_t d = 0; d < draws; ++d) {
        sim.sample_parameters(seed, d, parameters);
        out[d] = ratings_log_likelihood(sim, parameters, points, measurement, scratch);
    }
    return out;
}

std::vector<double> reweighted(std::span<const double> weights, std::span<const double> log_likelihoods) {
    if (weights.size() != log_likelihoods.size()) {
        throw std::invalid_argument("reweighted: " + std::to_string(weights.size()) + " weights but " +
                                    std::to_string(log_likelihoods.size()) + " likelihoods");
    }
    std::vector<double> log_weights(weights.size());
    double largest = -std::numeric_limits<double>::infinity();
    for (std::size_t d = 0; d < weights.size(); ++d) {
        log_weights[d] =
            weights[d] > 0.0 ? std::log(weights[d]) + log_likelihoods[d] : -std::numeric_limits<double>::infinity();
        largest = std::max(largest, log_weights[d]);
    }
    std::vector<double> out(weights.size(), 0.0);
    if (!std::isfinite(largest)) return out;
    double total = 0.0;
    for (std::size_t d = 0; d < out.size(); ++d) total += out[d] = std::exp(log_weights[d] - largest);
    for (double& w : out) w /= total;
    return out;
}

}  // namespace pathways
