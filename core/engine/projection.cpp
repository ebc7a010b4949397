#include "engine/projection.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "engine/worker_threads.hpp"
#include "stats/normal.hpp"

namespace pathways {
namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double max_aggregate_bytes = 2.0 * (1ull << 30);

struct gap_pair {
    std::size_t focal = 0;
    std::size_t reference = 0;
};

std::vector<gap_pair> gap_pairs(const simulation& sim, const scenario& spec) {
    std::vector<gap_pair> pairs;
    const auto& groups = sim.subgroups();
    auto index_of = [&](const std::string& name) -> std::optional<std::size_t> {
        for (std::size_t g = 0; g < groups.size(); ++g) {
            if (groups[g].group.name == name) return g;
        }
        return std::nullopt;
    };
    for (const auto& [focal, reference] : spec.report.reference_groups) {
        const auto f = index_of(focal);
        const auto r = index_of(reference);
        if (f && r) pairs.push_back({*f, *r});
    }
    return pairs;
}

/// Small groups and, within each partition, the next smallest group when exactly one is
/// suppressed, so a suppressed value cannot be recovered from the total (RELIABILITY.md 23–24).
/// Decided per year from the students behind that year's numbers (`pl:yes` grows as waves start).
std::vector<bool> suppressed_subgroups(const simulation& sim, int year, std::int64_t min_n, bool suppress) {
    const auto& groups = sim.subgroups();
    std::vector<bool> hidden(groups.size(), false);
    if (!suppress) return hidden;
    for (std::size_t g = 0; g < groups.size(); ++g) hidden[g] = groups[g].students_in(year) < static_cast<double>(min_n);
    std::map<int, std::vector<std::size_t>> partitions;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        if (const auto dim = partition_of(groups[g].group)) partitions[static_cast<int>(*dim)].push_back(g);
    }
    for (const auto& [dim, members] : partitions) {
        const auto count = std::count_if(members.begin(), members.end(), [&](std::size_t g) { return hidden[g]; });
        if (count != 1) continue;
        std::optional<std::size_t> next_smallest;
        for (std::size_t g : members) {
            if (hidden[g]) continue;
            if (!next_smallest || groups[g].students_in(year) < groups[*next_smallest].students_in(year)) next_smallest = g;
        }
        if (next_smallest) hidden[*next_smallest] = true;
    }
    return hidden;
}

double level_at(const run_aggregates& run, const simulation& sim, int year, std::size_t g, std::size_t o) {
    return run.levels[(static_cast<std::size_t>(year) * sim.subgroups().size() + g) * sim.outcomes().size() + o];
}

double proficient_at(const run_aggregates& run, const simulation& sim, int year, std::size_t g, std::size_t p) {
    return run.proficient[(static_cast<std::size_t>(year) * sim.subgroups().size() + g) * sim.proficiency_outcomes() + p];
}

/// The value of one row in one draw.
double row_value(const metric_row& row, const simulation& sim, const draw_result& r, const std::vector<gap_pair>& pairs) {
    const int y = row.year;
    const std::size_t g = row.subgroup;
    const std::size_t o = row.outcome;
    const reported_outcome& outcome = sim.outcomes()[o];
    const auto scenario_level = [&](std::size_t group) { return level_at(r.scenario, sim, y, group, o); };
    const auto bau_level = [&](std::size_t group) { return level_at(r.business_as_usual, sim, y, group, o); };
    if (row.metric == metric::level) return scenario_level(g);
    if (row.metric == metric::bau_level) return bau_level(g);
    if (row.metric == metric::effect) return scenario_level(g) - bau_level(g);
    if (row.metric == metric::percentile_shift) {
        const double p0 = stats::normal_cdf(sim.baseline_level(g, o, y));
        return stats::percentile_shift(p0, scenario_level(g) - bau_level(g));
    }
    const std::size_t p = outcome.proficiency_index.value_or(0);
    if (row.metric == metric::proficient) return 100.0 * proficient_at(r.scenario, sim, y, g, p);
    if (row.metric == metric::proficient_bau) return 100.0 * proficient_at(r.business_as_usual, sim, y, g, p);
    if (row.metric == metric::proficient_change) {
        return 100.0 * (proficient_at(r.scenario, sim, y, g, p) - proficient_at(r.business_as_usual, sim, y, g, p));
    }
    const auto pair = std::find_if(pairs.begin(), pairs.end(), [&](const gap_pair& gp) { return gp.focal == g; });
    const std::size_t ref = pair->reference;
    const double baseline_gap = sim.baseline_level(ref, o, y) - sim.baseline_level(g, o, y);
    const double gap = scenario_level(ref) - scenario_level(g);
    if (row.metric == metric::gap_sd) return gap;
    if (row.metric == metric::gap_sd_bau) return bau_level(ref) - bau_level(g);
    if (row.metric == metric::gap_closed_pct) return baseline_gap != 0.0 ? 100.0 * (baseline_gap - gap) / baseline_gap : 0.0;
    if (row.metric == metric::gap_pp) {
        return 100.0 * (proficient_at(r.scenario, sim, y, ref, p) - proficient_at(r.scenario, sim, y, g, p));
    }
    if (row.metric == metric::gap_closes) return gap <= 0.0 ? 1.0 : 0.0;
    if (row.metric == metric::gap_years_to_close) return years_to_close(baseline_gap, gap, y + 1);
    throw std::logic_error("unhandled metric");
}

}  // namespace

double years_to_close(double baseline_gap, double gap, int years_elapsed) {
    if (baseline_gap <= 0.0) return 0.0;
    const double narrowed = baseline_gap - gap;
    if (narrowed <= 0.0) return max_years_to_close;
    return std::min(baseline_gap * years_elapsed / narrowed, max_years_to_close);
}

std::string_view to_string(metric m) {
    switch (m) {
        case metric::level: return "level";
        case metric::bau_level: return "bau_level";
        case metric::effect: return "effect";
        case metric::percentile_shift: return "percentile_shift";
        case metric::proficient: return "proficient";
        case metric::proficient_bau: return "proficient_bau";
        case metric::proficient_change: return "proficient_change";
        case metric::gap_sd: return "gap_sd";
        case metric::gap_sd_bau: return "gap_sd_bau";
        case metric::gap_closed_pct: return "gap_closed_pct";
        case metric::gap_pp: return "gap_pp";
        case metric::gap_closes: return "gap_closes";
        case metric::gap_years_to_close: return "gap_years_to_close";
    }
    return "level";
}

std::vector<metric_row> describe_rows(const simulation& sim, const scenario& spec, const projection_options& options) {
    const std::vector<gap_pair> pairs = gap_pairs(sim, spec);
    const auto& groups = sim.subgroups();
    std::vector<metric_row> rows;
    for (int y = 0; y < sim.years(); ++y) {
        const std::vector<bool> hidden = suppressed_subgroups(sim, y, options.min_n, options.suppress);
        for (std::size_t g = 0; g < groups.size(); ++g) {
            for (std::size_t o = 0; o < sim.outcomes().size(); ++o) {
                const reported_outcome& outcome = sim.outcomes()[o];
                auto add = [&](metric m, const std::string& reference, bool hide) {
                    rows.push_back({y, g, o, m, reference, groups[g].students_in(y), hide});
                };
                for (metric m : {metric::level, metric::bau_level, metric::effect}) add(m, "", hidden[g]);
                if (outcome.academic) add(metric::percentile_shift, "", hidden[g]);
                if (outcome.proficiency_index) {
                    for (metric m : {metric::proficient, metric::proficient_bau, metric::proficient_change}) {
                        add(m, "", hidden[g]);
                    }
                }
                if (!outcome.academic) continue;
                for (const gap_pair& pair : pairs) {
                    if (pair.focal != g) continue;
                    const bool hide = hidden[g] || hidden[pair.reference];
                    const std::string& reference = groups[pair.reference].group.name;
                    for (metric m : {metric::gap_sd, metric::gap_sd_bau, metric::gap_closed_pct}) add(m, reference, hide);
                    if (outcome.proficiency_index) add(metric::gap_pp, reference, hide);
                    if (y + 1 == sim.years()) {
                        add(metric::gap_closes, reference, hide);
                        add(metric::gap_years_to_close, reference, hide);
                    }
                }
            }
        }
    }
    return rows;
}

projection_draws run_draws(const simulation& sim, const scenario& spec, const projection_options& options) {
    projection_draws result;
    result.rows = describe_rows(sim, spec, options);
    const std::vector<gap_pair> pairs = gap_pairs(sim, spec);
    const bool central = options.draws <= 0;
    result.draws = central ? 1 : static_cast<std::size_t>(options.draws);
    // Exact quantiles need every draw's row values (never per-cell trajectories); refuse runs whose
    // aggregates alone would not fit comfortably in memory rather than swap or crash.
    const double bytes = static_cast<double>(result.draws) * static_cast<double>(result.rows.size()) * sizeof(double);
    if (bytes > max_aggregate_bytes) {
        diagnostics found;
        spec.where.error(found, "/uncertainty/draws",
                         std::to_string(result.draws) + " draws of " + std::to_string(result.rows.size()) +
                             " rows need " + std::to_string(static_cast<long long>(bytes / (1 << 20))) +
                             " MiB of per-draw results; expected at most " +
                             std::to_string(static_cast<long long>(max_aggregate_bytes / (1 << 20))) +
                             " MiB: use fewer draws or report fewer subgroups and outcomes");
        throw input_error(found);
    }
    result.values.assign(result.draws * result.rows.size(), not_a_number);

    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};
    std::atomic<bool> cancelled{false};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto worker = [&] {
        draw_result outcome;
        for (std::size_t d = next++; d < result.draws; d = next++) {
            if ((options.cancel && options.cancel->load()) || cancelled.load()) {
                cancelled = true;
                return;
            }
            try {
                const draw_parameters parameters = central ? sim.central_parameters() : sim.sample_parameters(options.seed, d);
                sim.run(parameters, outcome);
                double* out = result.values.data() + d * result.rows.size();
                for (std::size_t i = 0; i < result.rows.size(); ++i) out[i] = row_value(result.rows[i], sim, outcome, pairs);
            } catch (...) {
                const std::lock_guard lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                cancelled = true;
                return;
            }
            const std::size_t finished = ++done;
            if (options.progress) options.progress(finished, result.draws);
        }
    };
    const unsigned threads = std::max(1u, std::min<unsigned>(options.threads, static_cast<unsigned>(result.draws)));
    run_on_threads(threads, worker, cancelled);
    if (failure) std::rethrow_exception(failure);
    result.cancelled = cancelled.load();
    return result;
}

projection_result summarize_draws(const projection_draws& draws) {
    projection_result result;
    result.rows = draws.rows;
    result.draws = draws.draws;
    std::vector<double> column(draws.draws);
    for (std::size_t i = 0; i < draws.rows.size(); ++i) {
        for (std::size_t d = 0; d < draws.draws; ++d) column[d] = draws.values[d * draws.rows.size() + i];
        result.summaries.push_back(stats::summarize(column));
    }
    return result;
}

projection_draws paired_difference(const projection_draws& a, const projection_draws& b) {
    if (a.rows.size() != b.rows.size() || a.draws != b.draws) {
        throw std::invalid_argument("paired difference needs runs with the same rows and draws");
    }
    projection_draws difference = a;
    for (std::size_t i = 0; i < a.values.size(); ++i) difference.values[i] = a.values[i] - b.values[i];
    return difference;
}

}  // namespace pathways
