#include "engine/school_ratings.hpp"

#include <algorithm>
#include <limits>

namespace pathways {

rated_levels combine_ratings(const ratings_data& data) {
    struct sums {
        double outside = 0.0, self = 0.0;
        std::size_t outside_n = 0, self_n = 0;
    };
    std::map<std::tuple<std::string, std::string, int>, sums> by_key;
    for (const school_rating& row : data.rows) {
        sums& s = by_key[{row.school, row.node, row.year}];
        if (row.rater == rater_kind::self) {
            s.self += row.level;
            ++s.self_n;
        } else {
            s.outside += row.level;
            ++s.outside_n;
        }
    }
    rated_levels levels;
    for (const auto& [key, s] : by_key) {
        const bool self_only = s.outside_n == 0;
        const std::size_t n = self_only ? s.self_n : s.outside_n;
        levels[key] = {(self_only ? s.self : s.outside) / static_cast<double>(n), n, self_only};
    }
    return levels;
}

ratings_context ratings_context_for(const model_graph& graph, const std::vector<school>& schools,
                                    const district_profile& district, bool rater_required) {
    ratings_context context;
    context.model = &graph.definition();
    for (const school& s : schools) context.schools.push_back(s.id);
    context.district_file = district.schools_csv.empty() ? district.file : district.schools_csv.filename().string();
    context.rater_required = rater_required;
    return context;
}

std::map<std::string, std::vector<level_rule>> levels_up_to(const rated_levels& levels, int year) {
    // The map is ordered by (school, node, year): the last entry up to `year` of each (school, node) wins.
    std::map<std::string, std::vector<level_rule>> out;
    for (const auto& [key, rated] : levels) {
        const auto& [school_id, node, rated_year] = key;
        if (rated_year > year) continue;
        std::vector<level_rule>& rules = out[school_id];
        if (!rules.empty() && rules.back().pattern == node) rules.back().level = rated.level;
        else rules.push_back({node, rated.level, {}, 0.0});
    }
    return out;
}

namespace {

std::optional<ratings_data> read_against(const std::filesystem::path& file, const std::vector<school>& schools,
                                         const district_profile& district, const model_graph& graph,
                                         bool rater_required, diagnostics& out) {
    const ratings_context context = ratings_context_for(graph, schools, district, rater_required);
    return read_ratings_csv(file, context, out);
}

}  // namespace

void apply_wave_goals(scenario& spec, const std::vector<school>& schools, const district_profile& district,
                      const model_graph& graph, diagnostics& out) {
    for (wave& w : spec.plan.waves) {
        if (w.goals.empty()) continue;
        const auto goals = read_against(w.goals, schools, district, graph, false, out);
        if (!goals) continue;
        w.school_targets = levels_up_to(combine_ratings(*goals), std::numeric_limits<int>::max());
    }
}

void apply_ratings_and_goals(scenario& spec, std::vector<school>& schools, const district_profile& district,
                             const model_graph& graph, diagnostics& out) {
    if (!spec.plan.ratings.empty()) {
        if (const auto ratings = read_against(spec.plan.ratings, schools, district, graph, true, out)) {
            auto starts = levels_up_to(combine_ratings(*ratings), spec.start_year);
            for (school& s : schools) {
                if (const auto found = starts.find(s.id); found != starts.end()) s.rated_levels = found->second;
            }
        }
    }
    apply_wave_goals(spec, schools, district, graph, out);
}

}  // namespace pathways
