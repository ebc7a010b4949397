#include "engine/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/diagnostics.hpp"
#include "population/starting_levels.hpp"
#include "stats/random.hpp"

namespace pathways {
namespace {

// An assumption: a school whose foundational practices average below "learner centered"
// (1.5), each weighted by its moderator edges into the drivers, ramps its drivers more slowly ("if a
// foundational practice is missing…", Denver Public Schools 2017, Personalized Learning Driver Model).
constexpr double foundation_threshold = 1.5;
constexpr double slowest_gate = 0.25;

bool is_plan_driven(node_kind kind) {
    return kind == node_kind::condition || kind == node_kind::foundational_practice ||
           kind == node_kind::secondary_driver;
}

bool is_level_node(node_kind kind) {
    return kind == node_kind::foundational_practice || kind == node_kind::secondary_driver;
}

int pattern_rank(const std::string& pattern, const model_node& node) {
    if (!is_level_node(node.kind)) return 0;
    if (pattern == node.id) return 3;
    if (pattern.size() > 2 && pattern.ends_with(".*")) {
        const std::string prefix = pattern.substr(0, pattern.size() - 1);
        return node.id.starts_with(prefix) ? 2 : 0;
    }
    return pattern == "*" ? 1 : 0;
}

bool school_matches(const school& s, const school_selector& selector) {
    if (!selector.ids.empty()) return std::find(selector.ids.begin(), selector.ids.end(), s.id) != selector.ids.end();
    if (!selector.tag.empty() && std::find(s.tags.begin(), s.tags.end(), selector.tag) == s.tags.end()) return false;
    if (!selector.levels.empty() &&
        std::find(selector.levels.begin(), selector.levels.end(), to_string(s.level)) == selector.levels.end()) {
        return false;
    }
    return selector.spf.empty() || std::find(selector.spf.begin(), selector.spf.end(), s.spf) != selector.spf.end();
}

std::vector<std::string> school_ids(const std::vector<school>& schools) {
    std::vector<std::string> ids;
    ids.reserve(schools.size());
    for (const school& s : schools) ids.push_back(s.id);
    return ids;
}

/// Every tag a school of the district carries, sorted, once each.
std::vector<std::string> district_tags(const std::vector<school>& schools) {
    std::vector<std::string> tags;
    for (const school& s : schools) tags.insert(tags.end(), s.tags.begin(), s.tags.end());
    std::sort(tags.begin(), tags.end());
    tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
    return tags;
}

/// Why a wave selects no school, with the nearest tag when it names one no school carries.
std::string selects_nothing_message(const std::vector<school>& schools, const wave& wv) {
    const std::string message = "wave '" + wv.name + "' selects no school";
    const std::string expected = "; expected a selector that matches the district";
    const std::string& tag = wv.schools.tag;
    const std::vector<std::string> tags = tag.empty() ? std::vector<std::string>{} : district_tags(schools);
    if (tag.empty() || std::binary_search(tags.begin(), tags.end(), tag)) return message + expected;
    return message + "; no school carries tag '" + tag + "'" + expected + did_you_mean(tag, tags);
}

/// Deterministic sample of `count` of `candidates`: a Fisher–Yates shuffle on the wave's own
/// counter-based stream, so the sample depends only on the wave's seed.
std::vector<std::size_t> sample_schools(std::vector<std::size_t> candidates, std::int64_t count, std::uint64_t seed) {
    stats::counter_rng rng(seed, 0, stats::stream_id("wave-sample"));
    for (std::size_t i = candidates.size(); i > 1; --i) {
        const auto j = static_cast<std::size_t>(rng.next_uniform() * static_cast<double>(i));
        std::swap(candidates[i - 1], candidates[std::min(j, i - 1)]);
    }
    candidates.resize(static_cast<std::size_t>(count));
    std::sort(candidates.begin(), candidates.end());
    return candidates;
}

double condition_value(const district_profile& district, const implementation_plan& plan, const std::string& key,
                       double fallback) {
    if (const auto it = plan.conditions.find(key); it != plan.conditions.end()) return it->second;
    if (const auto it = district.conditions.find(key); it != district.conditions.end()) return it->second.value;
    return fallback;
}

/// The mean value of the conditions that play `role`; `fallback` when the model gives that role to none.
double mean_condition(const model_graph& graph, const district_profile& district, const implementation_plan& plan,
                      std::string_view role, double fallback) {
    double total = 0.0;
    int count = 0;
    for (const model_node& node : graph.definition().nodes) {
        if (!node.has_role(role)) continue;
        total += condition_value(district, plan, condition_key(node), fallback);
        ++count;
    }
    return count > 0 ? total / count : fallback;
}

/// Logistic ramp: half of the target after `half` effective years, 90% after `ninety`
/// (Fixsen et al. 2005, NIRN: 2 to 4 years to full implementation); nothing before a school starts.
double ramp_progress(double effective_years, double half, double ninety) {
    if (effective_years <= 0.0) return 0.0;
    const double steepness = std::log(9.0) / std::max(ninety - half, 1e-6);
    return 1.0 / (1.0 + std::exp(-steepness * (effective_years - half)));
}

}  // namespace

std::optional<double> resolve_level(const std::vector<level_rule>& rules, const model_node& node) {
    std::optional<double> best;
    int best_rank = 0;
    for (const level_rule& rule : rules) {
        const int rank = pattern_rank(rule.pattern, node);
        if (rank > best_rank) {
            best_rank = rank;
            best = rule.level;
        }
    }
    return best;
}

std::string condition_key(const model_node& node) { return node.id.substr(node.id.find('.') + 1); }

bool is_settable_condition(const model_node& node) {
    return node.kind == node_kind::condition && !node.descriptive && !node.has_role("academic_optimism") &&
           !node.has_role("value_feasibility_gap");
}

bool pattern_matches_any(const model_graph& graph, std::string_view pattern) {
    const std::string text(pattern);
    return std::any_of(graph.definition().nodes.begin(), graph.definition().nodes.end(),
                       [&](const model_node& node) { return pattern_rank(text, node) > 0; });
}

implementation_schedule::implementation_schedule(const model_graph& graph, const district_profile& district,
                                                 const std::vector<school>& schools, const scenario& sc,
                                                 diagnostics& problems)
    : graph_(graph), start_year_(sc.start_year), years_(sc.years) {
    const auto& nodes = graph.definition().nodes;
    for (std::size_t n = 0; n < nodes.size(); ++n) {
        if (!is_plan_driven(nodes[n].kind)) continue;
        driven_nodes_.push_back(n);
        driven_kind_.push_back(static_cast<std::uint8_t>(nodes[n].kind));
    }
    const std::size_t driven = driven_nodes_.size();
    const implementation_plan& plan = sc.plan;

    wave_of_school_.assign(schools.size(), -1);
    for (std::size_t w = 0; w < plan.waves.size(); ++w) {
        const wave& wv = plan.waves[w];
        wave_start_.push_back(wv.start_year);
        std::vector<std::size_t> candidates;
        for (std::size_t s = 0; s < schools.size(); ++s) {
            if (wave_of_school_[s] < 0 && school_matches(schools[s], wv.schools)) candidates.push_back(s);
        }
        const std::vector<std::string> known_ids =
            wv.schools.ids.empty() ? std::vector<std::string>{} : school_ids(schools);
        for (const std::string& id : wv.schools.ids) {
            if (std::find(known_ids.begin(), known_ids.end(), id) == known_ids.end()) {
                problems.error(wv.where.file, wv.where.line, wv.where.column, wv.where.pointer + "/schools/ids",
                               "school '" + id + "' is not in the district; expected a school_id of " + district.file +
                                   did_you_mean(id, known_ids));
            }
        }
        if (wv.schools.count) {
            if (*wv.schools.count > static_cast<std::int64_t>(candidates.size())) {
                problems.error(wv.where.file, wv.where.line, wv.where.column, wv.where.pointer + "/schools/count",
                               "wave '" + wv.name + "' asks for " + std::to_string(*wv.schools.count) +
                                   " schools but only " + std::to_string(candidates.size()) +
                                   " match and are not in an earlier wave");
                continue;
            }
            candidates = sample_schools(std::move(candidates), *wv.schools.count, wv.schools.seed);
        }
        if (candidates.empty()) {
            problems.error(wv.where.file, wv.where.line, wv.where.column, wv.where.pointer + "/schools",
                           selects_nothing_message(schools, wv));
        }
        for (std::size_t s : candidates) wave_of_school_[s] = static_cast<int>(w);
    }

    planned_index_.assign(schools.size(), 0);
    for (std::size_t s = 0; s < schools.size(); ++s) {
        if (wave_of_school_[s] < 0) continue;
        planned_index_[s] = static_cast<std::uint32_t>(planned_schools_.size());
        planned_schools_.push_back(static_cast<std::uint32_t>(s));
    }
    for (std::size_t s = 0; s < schools.size(); ++s) {
        if (wave_of_school_[s] < 0) planned_index_[s] = static_cast<std::uint32_t>(planned_schools_.size());
    }

    start_levels_.assign(schools.size() * driven, 0.0);
    target_levels_.assign(schools.size() * driven, 0.0);
    value_feasibility_gap_.assign(schools.size(), 0.0);
    const auto school_rules = school_starting_levels(district, schools.size());
    for (std::size_t s = 0; s < schools.size(); ++s) {
        value_feasibility_gap_[s] = schools[s].value_feasibility_gap.value_or(0.0);
        for (std::size_t k = 0; k < driven; ++k) {
            const model_node& node = nodes[driven_nodes_[k]];
            double start = 0.0;
            if (node.kind == node_kind::condition) {
                if (node.has_role("academic_optimism")) start = schools[s].academic_optimism.value_or(0.0);
                else if (node.has_role("value_feasibility_gap")) start = value_feasibility_gap_[s];
                else start = condition_value(district, plan, condition_key(node), 0.0);
            } else {
                start = resolve_level(school_rules[s], node).value_or(0.0);
                if (node.kind == node_kind::secondary_driver && schools[s].start_level) start = *schools[s].start_level;
                if (const auto rated = resolve_level(schools[s].rated_levels, node)) start = *rated;
            }
            double target = start;
            if (wave_of_school_[s] >= 0 && is_level_node(node.kind)) {
                const wave& wv = plan.waves[static_cast<std::size_t>(wave_of_school_[s])];
                auto planned = resolve_level(wv.targets, node);
                if (const auto goals = wv.school_targets.find(schools[s].id); goals != wv.school_targets.end()) {
                    if (const auto goal = resolve_level(goals->second, node)) planned = goal;
                }
                // A plan raises practice: a school already past the wave's target keeps its level.
                target = std::max(start, planned.value_or(start));
            }
            // + 0.0 turns a -0 into +0, so that a level that has not moved (start + 0·progress) is its start to the bit.
            start_levels_[s * driven + k] = start + 0.0;
            target_levels_[s * driven + k] = target;
        }
    }

    alignment_ = mean_condition(graph, district, plan, "alignment", 0.5);
    community_involvement_ = mean_condition(graph, district, plan, "community", 0.5);
    fidelity_reference_ = plan.fidelity.reference_schools;
    ramp_instant_ = plan.ramp.instant;
    // A cut can come in the program's second year at the earliest: one before its first would be a plan
    // that never starts (nothing spent, no one reached), a different question from the risk of a cut.
    protected_years_ = std::max(1.0, plan.program_cut.protected_years.value_or(
                                         mean_condition(graph, district, plan, "program_runway", 3.0)));
    const auto& edges = graph.definition().edges;
    for (std::size_t e = 0; e < edges.size(); ++e) {
        if (edges[e].role != edge_role::moderator) continue;
        const auto target = std::find_if(driven_nodes_.begin(), driven_nodes_.end(),
                                         [&](std::size_t n) { return nodes[n].id == edges[e].to; });
        if (target == driven_nodes_.end()) continue;
        const auto& from = edges[e].from;
        const model_node& source_node = nodes[*graph.find(from)];
        if (source_node.has_role("community")) {
            community_edges_.emplace_back(e, static_cast<std::size_t>(target - driven_nodes_.begin()));
        } else if (source_node.has_role("value_feasibility_gap")) {
            gap_edges_.push_back(e);
        } else if (source_node.has_role("alignment")) {
            alignment_edges_.push_back(e);
        } else if (const auto source = std::find_if(driven_nodes_.begin(), driven_nodes_.end(),
                                                    [&](std::size_t n) { return nodes[n].id == from; });
                   source != driven_nodes_.end() && nodes[*source].kind == node_kind::foundational_practice) {
            foundation_edges_.emplace_back(e, static_cast<std::size_t>(source - driven_nodes_.begin()));
        }
    }
}

double implementation_schedule::misaligned_floor(std::span<const double> edge_weights) const {
    if (alignment_edges_.empty()) return 1.0;  // the model does not let alignment slow the ramp
    double floor = 0.0;
    for (std::size_t e : alignment_edges_) floor += edge_weights[e];
    return std::clamp(floor / static_cast<double>(alignment_edges_.size()), 0.0, 1.0);
}

void implementation_schedule::foundation_weights(std::span<const double> edge_weights,
                                                 std::vector<double>& weights) const {
    weights.assign(driven_nodes_.size(), 0.0);
    for (const auto& [edge, k] : foundation_edges_) weights[k] += std::max(edge_weights[edge], 0.0);
}

double implementation_schedule::speed_multiplier(std::size_t school, double misaligned_floor,
                                                 std::span<const double> edge_weights) const {
    // Misaligned accountability and central office slow the ramp to the
    // floor their moderator edges carry (0.5 by default; Trickett, Learnings from Implementing PL in DPS); a teacher value–feasibility
    // gap slows it by |β| per SD of gap (Denver 2016–2017 Early Impact Report, correlational; β assumed).
    double gap_weight = 0.0;
    for (std::size_t e : gap_edges_) gap_weight += edge_weights[e];
    if (!gap_edges_.empty()) gap_weight /= static_cast<double>(gap_edges_.size());
    const double alignment = misaligned_floor + (1.0 - misaligned_floor) * alignment_;
    return alignment * std::clamp(1.0 + gap_weight * value_feasibility_gap_[school], 0.25, 1.5);
}

void implementation_schedule::ramp_school(std::size_t school, double progress_driver, double progress_foundation,
                                          double ceiling, std::span<const std::pair<std::size_t, double>> community,
                                          std::span<double> levels) const {
    const std::size_t driven = driven_nodes_.size();
    for (std::size_t k = 0; k < driven; ++k) {
        const double start = start_levels_[school * driven + k];
        const double target = target_levels_[school * driven + k];
        const double progress = ramps_as_foundation(k) ? progress_foundation : progress_driver;
        levels[k] = start + (target - start) * progress * ceiling;
    }
    for (const auto& [k, factor] : community) {
        const double start = start_levels_[school * driven + k];
        levels[k] = start + (levels[k] - start) * factor;
    }
}

bool implementation_schedule::ramps_as_foundation(std::size_t k) const {
    return static_cast<node_kind>(driven_kind_[k]) == node_kind::foundational_practice;
}

void implementation_schedule::compute(const implementation_draw& draw, bool business_as_usual, result& out) const {
    const std::size_t planned = planned_schools_.size();
    const std::size_t rows = static_cast<std::size_t>(years_) * (planned + 1);
    out.pl_schools.assign(static_cast<std::size_t>(years_), 0.0);
    out.ceiling.assign(static_cast<std::size_t>(years_), 1.0);
    out.community.clear();
    // Community involvement caps the practices that depend on families and partners (Trickett, Learnings from Implementing PL in DPS).
    for (const auto& [edge, k] : community_edges_)
        out.community.emplace_back(k, 1.0 - draw.edge_weights[edge] * (1.0 - community_involvement_));
    for (std::vector<double>* row : {&out.exposure, &out.foundation_progress, &out.driver_progress}) {
        if (business_as_usual) row->clear();
        else row->assign(rows, 0.0);
    }
    if (business_as_usual) return;
    out.foundation_years.assign(planned, 0.0);
    out.driver_years.assign(planned, 0.0);
    out.school_levels.resize(driven_nodes_.size());
    const double floor = misaligned_floor(draw.edge_weights);
    foundation_weights(draw.edge_weights, out.gate_weights);
    for (int y = 0; y < years_; ++y) {
        const int calendar = start_year_ + y;
        const bool cut = draw.cut_year && calendar >= *draw.cut_year;
        double* exposure = out.exposure.data() + out.row(y, 0, planned);
        for (std::size_t p = 0; p < planned && !cut; ++p) {
            const int start = wave_start_[static_cast<std::size_t>(wave_of_school_[planned_schools_[p]])];
            if (calendar < start) continue;
            exposure[p] = calendar - start + 1;
            out.pl_schools[static_cast<std::size_t>(y)] += 1.0;
        }
        const double pl = out.pl_schools[static_cast<std::size_t>(y)];
        const double doublings = pl > 0.0 ? std::max(0.0, std::log2(pl / fidelity_reference_)) : 0.0;
        out.ceiling[static_cast<std::size_t>(y)] = std::pow(draw.decay_per_doubling, doublings);
        ramp_year(draw, y, cut, floor, out);
    }
}

void implementation_schedule::ramp_year(const implementation_draw& draw, int year, bool cut, double misaligned_floor,
                                        result& out) const {
    const std::size_t planned = planned_schools_.size();
    const std::size_t first = out.row(year, 0, planned);
    const double ceiling = out.ceiling[static_cast<std::size_t>(year)];
    // A cut program's practices do not vanish overnight: each year they keep 2^(-1/h) of last year's
    // distance from the start, h the draw's years to half way. The scale ceiling of last year is folded
    // in, since a cut year has no PL schools and so a ceiling of 1.
    const double kept = std::exp2(-1.0 / draw.practices_years_to_half);
    for (std::size_t p = 0; p < planned; ++p) {
        if (out.exposure[first + p] <= 0.0) {
            out.foundation_years[p] = out.driver_years[p] = 0.0;
            if (cut && year > 0) {
                const std::size_t last = out.row(year - 1, p, planned);
                const double carried = out.ceiling[static_cast<std::size_t>(year - 1)] * kept;
                out.foundation_progress[first + p] = out.foundation_progress[last] * carried;
                out.driver_progress[first + p] = out.driver_progress[last] * carried;
            }
            continue;
        }
        const std::size_t s = planned_schools_[p];
        const double speed = speed_multiplier(s, misaligned_floor, draw.edge_weights);
        out.foundation_years[p] += speed;
        const double foundation_progress =
            ramp_instant_ ? 1.0 : ramp_progress(out.foundation_years[p], draw.years_to_half, draw.years_to_90);
        // The drivers ramp at a pace their school's foundational practices allow this year.
        ramp_school(s, 0.0, foundation_progress, ceiling, out.community, out.school_levels);
        out.driver_years[p] += speed * foundation_gate(out.school_levels, out.gate_weights);
        out.foundation_progress[first + p] = foundation_progress;
        out.driver_progress[first + p] =
            ramp_instant_ ? 1.0 : ramp_progress(out.driver_years[p], draw.years_to_half, draw.years_to_90);
    }
}

double implementation_schedule::level(const result& plan, int year, std::size_t school, std::size_t k) const {
    const std::size_t at = plan.row(year, planned_index_[school], planned_schools_.size());
    const double start = start_level(school, k);
    if (plan.exposure.empty()) return start;
    // A school not running PL this year has progress 0: its start, to the bit.
    const double progress = ramps_as_foundation(k) ? plan.foundation_progress[at] : plan.driver_progress[at];
    double levels = start + (target_level(school, k) - start) * progress * plan.ceiling[static_cast<std::size_t>(year)];
    for (const auto& [community_k, factor] : plan.community) {
        if (community_k == k) levels = start + (levels - start) * factor;
    }
    return levels;
}

std::vector<bool> implementation_schedule::reached_by(int year_index) const {
    std::vector<bool> reached(wave_of_school_.size(), false);
    for (std::size_t s = 0; s < reached.size(); ++s) {
        const int w = wave_of_school_[s];
        reached[s] = w >= 0 && start_year_ + year_index >= wave_start_[static_cast<std::size_t>(w)];
    }
    return reached;
}

double implementation_schedule::foundation_gate(std::span<const double> school_levels,
                                                std::span<const double> weights) const {
    double weighted_level = 0.0;
    double total_weight = 0.0;
    for (std::size_t k = 0; k < weights.size(); ++k) {
        weighted_level += weights[k] * school_levels[k];
        total_weight += weights[k];
    }
    if (total_weight <= 0.0) return 1.0;  // no foundational practice gates the drivers
    return std::clamp(weighted_level / total_weight / foundation_threshold, slowest_gate, 1.0);
}

}  // namespace pathways
