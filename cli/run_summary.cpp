#include "run_summary.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>

#include "common/text_format.hpp"
#include "stats/summary.hpp"

namespace pathways::cli {
namespace {

constexpr std::size_t name_width = 22;
constexpr std::size_t interval_width = 25;
constexpr std::size_t wide_interval_width = 28;  ///< four decimals: variants differ by less than 0.001
constexpr std::size_t probability_width = 9;

/// Finds a final-year row of a run by subgroup, outcome and metric.
class row_index {
public:
    explicit row_index(const labelled_run& run) : run_(run) {
        for (std::size_t i = 0; i < run.rows.size(); ++i) {
            const row_key& key = run.rows[i].key;
            rows_.emplace(std::make_tuple(key.subgroup, key.outcome, key.metric), i);
        }
    }
    [[nodiscard]] std::optional<std::size_t> find(const std::string& subgroup, const std::string& outcome,
                                                  metric m) const {
        const auto it = rows_.find(std::make_tuple(subgroup, outcome, m));
        if (it == rows_.end()) return std::nullopt;
        return it->second;
    }
    /// Row `row`'s value in every draw.
    [[nodiscard]] std::vector<double> draws_of(std::size_t row) const {
        std::vector<double> values(run_.draws);
        for (std::size_t d = 0; d < run_.draws; ++d) values[d] = run_.values[d * run_.rows.size() + row];
        return values;
    }
    [[nodiscard]] bool suppressed(std::size_t row) const { return run_.rows[row].suppressed; }

private:
    const labelled_run& run_;
    std::map<std::tuple<std::string, std::string, metric>, std::size_t> rows_;
};

double share_below_zero(const std::vector<double>& values) {
    if (values.empty()) return 0.0;
    const auto below = std::count_if(values.begin(), values.end(), [](double v) { return v < 0.0; });
    return static_cast<double>(below) / static_cast<double>(values.size());
}

std::string probability_text(double p) { return fixed(p, 2); }

/// `text` broken into lines of at most `width` columns at spaces, each ending in a newline.
std::string wrapped(const std::string& text, std::size_t width) {
    std::string out;
    std::string line;
    std::istringstream words(text);
    std::string word;
    while (words >> word) {
        if (!line.empty() && line.size() + 1 + word.size() > width) {
            out += line + "\n";
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
    }
    if (!line.empty()) out += line + "\n";
    return out;
}

std::string percent_text(double share) { return fixed(100.0 * share, 0) + "%"; }

/// A focal group of a reported gap on the headline outcome, and its reference group.
struct focal_gap {
    std::string focal;
    std::string reference;
};

std::vector<focal_gap> focal_gaps(const labelled_run& run, const std::string& headline) {
    std::vector<focal_gap> gaps;
    for (const labelled_row& row : run.rows) {
        if (row.key.outcome == headline && row.key.metric == metric::gap_sd)
            gaps.push_back({row.key.subgroup, row.key.reference});
    }
    return gaps;
}

std::string header(const run_summary_context& context, int year, std::size_t runs) {
    std::ostringstream out;
    out << context.scenario << " \u2014 " << (runs > 1 ? std::to_string(runs) + " runs, " : "")
        << (context.model.empty() ? std::string() : "effect model '" + context.model + "', ")
        << (context.draws == 1 ? std::string("one central run") : std::to_string(context.draws) + " draws") << ", year "
        << year << "\n";
    if (!context.for_release) out << "NOT FOR PUBLIC RELEASE: small groups are published\n";
    out << "Headline: " << context.headline << ", effect vs business as usual (SD): mean [90% interval]\n"
        << "with the district's program-cut risk; P(harm): share of draws below 0; gap change: - narrows\n";
    if (context.cut.annual_probability > 0.0) {
        out << "Cut risk: " << percent_text(context.cut.annual_probability) << " a year from "
            << context.cut.first_year_at_risk << ", " << percent_text(context.cut.by_horizon) << " by " << year
            << " (cut in " << context.cut.cut_draws << " of " << context.draws
            << " draws)\n'if sustained' = never cut: mean [P(harm)]; every group, outcome and year: --detail or the "
               "files\n";
    } else {
        out << "Every group, outcome and year: --detail or the files\n";
    }
    return out.str();
}

/// The headline table of one run: all students, then each focal group with its gap change.
std::string headline_table(const summarized_run& run, const run_summary_context& context) {
    const row_index cut(run.with_cut_risk);
    const row_index sustained(run.sustained);
    std::vector<focal_gap> groups{{"all", ""}};
    for (const focal_gap& gap : focal_gaps(run.with_cut_risk, context.headline)) groups.push_back(gap);

    // Without a cut risk both courses are the same numbers.
    const bool two_courses = context.cut.annual_probability > 0.0;
    std::ostringstream out;
    out << padded(run.with_cut_risk.name, name_width + 2) << padded("effect [90%]", interval_width)
        << padded("P(harm)", probability_width) << (two_courses ? padded("if sustained", 14) : "") << "gap change\n";
    for (const focal_gap& group : groups) {
        const auto effect = cut.find(group.focal, context.headline, metric::effect);
        if (!effect) continue;
        out << "  " << padded(group.focal, name_width);
        if (cut.suppressed(*effect)) {
            out << "suppressed (fewer than min_n students)\n";
            continue;
        }
        const std::vector<double> values = cut.draws_of(*effect);
        std::string line = padded(stats::interval_text(stats::summarize(values), 3), interval_width) +
                           padded(probability_text(share_below_zero(values)), probability_width);
        const auto if_sustained = sustained.find(group.focal, context.headline, metric::effect);
        if (two_courses) {
            std::string sustained_text;
            if (if_sustained) {
                const std::vector<double> kept = sustained.draws_of(*if_sustained);
                sustained_text = signed_fixed(stats::summarize(kept).mean, 3) + " [" +
                                 probability_text(share_below_zero(kept)) + "]";
            }
            line += padded(sustained_text, 14);
        }
        const auto gap = cut.find(group.focal, context.headline, metric::gap_sd);
        const auto bau = cut.find(group.focal, context.headline, metric::gap_sd_bau);
        if (gap && bau && !cut.suppressed(*gap)) {
            const double change = stats::summarize(cut.draws_of(*gap)).mean - stats::summarize(cut.draws_of(*bau)).mean;
            line += signed_fixed(change, 4) + " vs " + group.reference;
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << "\n";
    }
    return out.str();
}

/// Each run's effect for all students, paired with run 0; the best run and how sure.
std::string variants_table(const std::vector<summarized_run>& runs, const std::string& headline) {
    std::vector<std::optional<std::size_t>> rows;
    for (const summarized_run& run : runs)
        rows.push_back(row_index(run.with_cut_risk).find("all", headline, metric::effect));
    if (!rows[0]) return "";
    const std::vector<double> base = row_index(runs[0].with_cut_risk).draws_of(*rows[0]);

    std::ostringstream out;
    out << "\nAll students, each run on the same draws (difference paired with " << runs[0].with_cut_risk.name << ")\n"
        << padded("  run", name_width + 2) << padded("effect [90%]", wide_interval_width)
        << padded("P(harm)", probability_width)
        << padded("vs " + runs[0].with_cut_risk.name + " [90%]", wide_interval_width) << "P(better)\n";
    std::vector<std::pair<double, std::size_t>> by_mean;  // (mean, run)
    for (std::size_t r = 0; r < runs.size(); ++r) {
        if (!rows[r]) continue;
        const std::vector<double> values = row_index(runs[r].with_cut_risk).draws_of(*rows[r]);
        const stats::summary effect = stats::summarize(values);
        // Only plans are ranked: an assumption is the base plan in another world, not a choice.
        if (runs[r].plan) by_mean.emplace_back(effect.mean, r);
        const std::string name = (runs[r].plan ? "" : "if ") + runs[r].with_cut_risk.name;
        std::string line = "  " + padded(name, name_width) +
                           padded(stats::interval_text(effect, 4), wide_interval_width) +
                           padded(probability_text(share_below_zero(values)), probability_width);
        if (r > 0) {
            std::vector<double> difference(values.size());
            for (std::size_t d = 0; d < values.size(); ++d)
                difference[d] = stats::difference_or_tie(values[d], base[d]);
            const stats::summary paired = stats::summarize(difference);
            line +=
                padded(stats::interval_text(paired, 4), wide_interval_width) + probability_text(paired.prob_positive);
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << "\n";
    }
    // Largest mean first; on a tie the earlier run, as the comparison's gap race does.
    std::stable_sort(by_mean.begin(), by_mean.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    if (by_mean.size() < 2) return out.str();
    const std::size_t best = by_mean[0].second;
    const std::size_t next = by_mean[1].second;
    const std::vector<double> best_values = row_index(runs[best].with_cut_risk).draws_of(*rows[best]);
    const std::vector<double> next_values = row_index(runs[next].with_cut_risk).draws_of(*rows[next]);
    std::size_t better = 0;
    std::size_t equal = 0;
    for (std::size_t d = 0; d < best_values.size(); ++d) {
        const double difference = stats::difference_or_tie(best_values[d], next_values[d]);
        better += difference > 0.0 ? 1 : 0;
        equal += difference == 0.0 ? 1 : 0;
    }
    const double n = static_cast<double>(best_values.size());
    out << "Best plan for all students: " << runs[best].with_cut_risk.name << "; P(it beats "
        << runs[next].with_cut_risk.name << ", the next best plan) "
        << probability_text(static_cast<double>(better) / n);
    if (equal > 0) out << ", equal in " << percent_text(static_cast<double>(equal) / n) << " of draws";
    out << "\n";
    return out.str();
}

/// Which run closes each focal gap of the headline outcome most (from the runs' comparison).
std::string gap_lines(const std::vector<summarized_run>& runs, const std::string& headline) {
    std::vector<labelled_run> labelled;
    for (const summarized_run& run : runs) labelled.push_back(run.with_cut_risk);
    const comparison compared = compare_runs(labelled);
    std::ostringstream out;
    bool any = false;
    for (const gap_race& race : compared.gaps) {
        if (race.outcome != headline) continue;
        // The plan that closes the most, among plans only; a plan that narrows nothing closes nothing.
        std::optional<std::size_t> best;
        for (std::size_t r = 0; r < runs.size(); ++r) {
            if (runs[r].plan && (!best || race.closed_pct[r] > race.closed_pct[*best])) best = r;
        }
        if (!best) continue;
        if (!any)
            out << "\nWhich plan closes each gap most by " << race.year << " (mean share of the starting gap closed)\n";
        any = true;
        out << "  " << padded(race.focal + " vs " + race.reference, 42);
        if (race.closed_pct[*best] <= 0.0) {
            out << "none closes it; " << compared.runs[*best] << " widens least "
                << signed_fixed(race.closed_pct[*best], 2) << "%\n";
            continue;
        }
        out << compared.runs[*best] << " " << signed_fixed(race.closed_pct[*best], 2) << "%";
        if (*best == 0) out << " (no other plan closes more)\n";
        else out << " (" << compared.runs[0] << " " << signed_fixed(race.closed_pct[0], 2) << "%)\n";
    }
    return out.str();
}

}  // namespace

summarized_run final_year_for_summary(const finished_run& run) {
    if (!run.draws) throw std::invalid_argument("run '" + run.name + "' kept no draws to summarize");
    summarized_run out;
    out.with_cut_risk = final_year_rows(*run.draws);
    out.sustained =
        run.sustained_draws ? final_year_rows(*run.sustained_draws) : labelled_run{run.name, {}, {}, run.draws->draws};
    out.plan = run.loaded->spec.variant_of(run.loaded->spec.variant).kind == variant_kind::plan;
    return out;
}

summarized_run year_for_summary(const labelled_run& run, int year) {
    summarized_run out;
    out.with_cut_risk = {run.name, {}, {}, run.draws};
    out.sustained = {run.name, {}, {}, run.draws};
    std::vector<std::size_t> kept;
    for (std::size_t i = 0; i < run.rows.size(); ++i) {
        if (run.rows[i].key.year == year) kept.push_back(i);
    }
    for (const std::size_t i : kept) out.with_cut_risk.rows.push_back(run.rows[i]);
    out.with_cut_risk.values.reserve(run.draws * kept.size());
    for (std::size_t d = 0; d < run.draws; ++d) {
        for (const std::size_t i : kept) out.with_cut_risk.values.push_back(run.values[d * run.rows.size() + i]);
    }
    return out;
}

std::string headline_outcome(const simulation& sim) {
    const auto headline = sim.headline_outcome();
    return headline ? sim.outcomes()[*headline].id : std::string();
}

std::string waves_text(const std::vector<wave_schools>& waves) {
    std::ostringstream out;
    for (const wave_schools& wave : waves) {
        out << "\nWave '" << wave.name << "' from " << wave.start_year << ": " << wave.school_ids.size()
            << (wave.school_ids.size() == 1 ? " school" : " schools")
            << (wave.sampled ? ", sampled with seed " + std::to_string(wave.seed) : std::string()) << "\n";
        std::string line = " ";
        for (const std::string& id : wave.school_ids) {
            if (line.size() + 1 + id.size() > 100) {
                out << line << "\n";
                line = " ";
            }
            line += " " + id;
        }
        if (line.size() > 1) out << line << "\n";
    }
    return out.str();
}

std::string gate_lines(const std::vector<finished_run>& runs) {
    std::string out;
    for (const finished_run& run : runs) {
        if (!run.gate) continue;
        const gate_result& g = *run.gate;
        const std::string se_source = g.gate.measurement_se ? std::string("as the scenario states")
                                                            : fmt::format(
                                                                  "{:.0f} students in {:.0f} schools, school "
                                                                  "ICC {:.2f}, Hedges & Hedberg 2007",
                                                                  g.students, g.schools, school_icc);
        std::string text = fmt::format(
            "Stage gate, {}: wave '{}' starts only where {}'s {} effect in {} measures at least {} SD (SE {}, "
            "{}): in {} of draws; elsewhere the plan runs without it.",
            run.name, g.wave, g.gate.subgroup, g.gate.outcome, g.gate.year, signed_fixed(g.gate.at_least, 3),
            fixed(g.measurement_se, 3), se_source, percent_text(g.open_share()));
        // A measure whose error dwarfs what it measures decides by chance: say so where the number is read.
        if (g.measurement_se > 2.0 * std::abs(g.projected_mean)) {
            text += fmt::format(
                " The effect it measures averages {} SD, {:.0f}% of that error: the gate opens "
                "mostly by chance.",
                signed_fixed(g.projected_mean, 3), 100.0 * std::abs(g.projected_mean) / g.measurement_se);
        }
        out += "\n" + wrapped(text, 100);
    }
    return out;
}

std::string run_summary(const std::vector<summarized_run>& runs, const run_summary_context& context) {
    if (runs.empty()) throw std::invalid_argument("a run summary needs at least one run");
    const labelled_run& first = runs[0].with_cut_risk;
    const int year = first.rows.empty() ? 0 : first.rows.front().key.year;
    std::string text = header(context, year, runs.size()) + "\n" + headline_table(runs[0], context);
    if (runs.size() > 1) text += variants_table(runs, context.headline) + gap_lines(runs, context.headline);
    text += context.gates;
    if (!context.evidence.empty()) text += "\n" + wrapped("What these numbers rest on: " + context.evidence, 100);
    return text;
}

}  // namespace pathways::cli
