#include "report/html_report.hpp"

#include "report/evidence_caveat.hpp"
#include "report/sensitivity_table.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "common/csv.hpp"
#include "common/evidence.hpp"
#include "common/text_format.hpp"
#include "engine/costs.hpp"
#include "engine/effects.hpp"
#include "engine/scenario_loader.hpp"
#include "report/cost_summary.hpp"
#include "report/decision.hpp"
#include "report/html_text.hpp"
#include "report/projection_writer.hpp"
#include "report/report_charts.hpp"
#include "scenario/references_reader.hpp"
#include "scenario/scenario_reader.hpp"

namespace pathways {
namespace {

using html::escape;
using html::number;
using html::subgroup_label;

constexpr const char* with_cut_risk = "with_cut_risk";
constexpr const char* sustained = "sustained";

/// Rows of one run by (subgroup, outcome, metric, course), then by year. A lookup asks for a course
/// of the plan and falls back to rows without one (business as usual, and files written before the
/// two projections, whose plan rows are the with-cut-risk course).
class run_index {
public:
    explicit run_index(const result_run& run) : run_(&run) {
        for (const result_row& row : run.rows) {
            series_[{row.subgroup, row.outcome, row.metric, row.course}][row.year] = &row;
            years_.insert(row.year);
        }
    }
    [[nodiscard]] const std::map<int, const result_row*>* series(const std::string& subgroup,
                                                                 const std::string& outcome, const std::string& metric,
                                                                 const std::string& course = with_cut_risk) const {
        auto it = series_.find({subgroup, outcome, metric, course});
        if (it == series_.end()) it = series_.find({subgroup, outcome, metric, ""});
        return it == series_.end() ? nullptr : &it->second;
    }
    [[nodiscard]] const result_row* final_row(const std::string& subgroup, const std::string& outcome,
                                              const std::string& metric,
                                              const std::string& course = with_cut_risk) const {
        const auto* rows = series(subgroup, outcome, metric, course);
        return rows == nullptr || rows->empty() ? nullptr : rows->rbegin()->second;
    }
    [[nodiscard]] const result_run& run() const { return *run_; }
    [[nodiscard]] std::vector<int> years() const { return {years_.begin(), years_.end()}; }
    /// Whether the run has a cut risk, so its two projections differ.
    [[nodiscard]] bool two_courses() const { return run_->cut_risk && run_->cut_risk->annual_probability > 0.0; }

private:
    const result_run* run_;
    std::map<std::tuple<std::string, std::string, std::string, std::string>, std::map<int, const result_row*>> series_;
    std::set<int> years_;
};

std::vector<std::string> ordered_unique(const std::vector<result_row>& rows, std::string result_row::*field) {
    std::vector<std::string> seen;
    for (const result_row& row : rows) {
        if (std::find(seen.begin(), seen.end(), row.*field) == seen.end()) seen.push_back(row.*field);
    }
    return seen;
}

std::string node_label(const model_graph& graph, const std::string& id) {
    const auto n = graph.find(id);
    return n ? graph.definition().nodes[*n].label : id;
}

/// The label of the condition a scenario or profile names by `name`: the condition node whose id ends in
/// ".name" (the convention condition keys follow); `name` itself when the model has none.
std::string condition_label(const model_graph& graph, const std::string& name) {
    for (const model_node& node : graph.definition().nodes) {
        if (node.kind == node_kind::condition && node.id.ends_with("." + name)) return node.label;
    }
    return name;
}

std::string node_description(const model_graph& graph, const std::string& id) {
    const auto n = graph.find(id);
    return n ? graph.definition().nodes[*n].description : std::string();
}

bool is_academic(const model_graph& graph, const std::string& id) {
    const auto n = graph.find(id);
    return n && graph.definition().nodes[*n].kind == node_kind::academic_outcome;
}

std::string suppressed_text(std::int64_t min_n) {
    return "suppressed (fewer than " + std::to_string(min_n) + " students)";
}

std::string slug(std::string_view text) {
    std::string out;
    for (const char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
    return out;
}

std::string rule_text(const model_graph& graph, const level_rule& rule) {
    std::string what;
    if (rule.pattern == "*") what = "every practice and driver";
    else if (rule.pattern == "foundational.*") what = "foundational practices";
    else if (rule.pattern.ends_with(".*"))
        what = "the " + node_label(graph, rule.pattern.substr(0, rule.pattern.size() - 2)) + " drivers";
    else what = node_label(graph, rule.pattern);
    return what + " to level " + number(rule.level, 2);
}

std::string selector_text(const school_selector& s) {
    if (!s.ids.empty()) {
        std::string ids;
        for (std::size_t i = 0; i < s.ids.size(); ++i) ids += (i ? ", " : "") + s.ids[i];
        return std::to_string(s.ids.size()) + " named schools (" + ids + ")";
    }
    std::string text = s.count ? std::to_string(*s.count) + " randomly chosen" : std::string("all");
    if (!s.levels.empty()) {
        text += " ";
        for (std::size_t i = 0; i < s.levels.size(); ++i)
            text += (i ? (i + 1 == s.levels.size() ? " or " : ", ") : "") + s.levels[i];
    }
    text += " schools";
    if (!s.tag.empty()) text += " tagged \u2018" + s.tag + "\u2019";
    if (!s.spf.empty()) {
        text += " rated ";
        for (std::size_t i = 0; i < s.spf.size(); ++i) text += (i ? " or " : "") + s.spf[i];
        text += " on the school performance framework";
    }
    if (s.count) text += " not already in an earlier wave (random seed " + std::to_string(s.seed) + ")";
    return text;
}

std::string table_open(const std::vector<std::string>& headings, const std::string& caption) {
    std::string out = "<table>\n<caption>" + escape(caption) + "</caption>\n<thead><tr>";
    for (const std::string& h : headings) out += "<th scope=\"col\">" + escape(h) + "</th>";
    return out + "</tr></thead>\n<tbody>\n";
}

std::string cells(const std::vector<std::string>& values) {
    std::string out = "<tr>";
    for (const std::string& v : values) out += "<td>" + v + "</td>";
    return out + "</tr>\n";
}

const char* style_sheet() {
    return R"(<style>
:root{--ink:#1d1d1f;--muted:#555;--rule:#d9d9d9;--blue:#0072B2;--orange:#E69F00;--sky:#56B4E9;--verm:#D55E00;--green:#009E73}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);margin:0;line-height:1.5;background:#fafafa}
main{max-width:1180px;margin:0 auto;padding:24px 28px 60px;background:#fff}
h1{font-size:1.9rem;margin:.2em 0 .1em}h2{font-size:1.4rem;margin:2.2em 0 .5em;padding-top:.6em;border-top:3px solid var(--blue)}
h3{font-size:1.1rem;margin:1.6em 0 .4em}p,li{max-width:78ch}
.subtitle{color:var(--muted);margin:0 0 1em}
nav ol{columns:2;margin:.4em 0 1em;padding-left:1.2em}a{color:var(--blue)}
.finding{background:#eef6fb;border-left:5px solid var(--blue);padding:.8em 1.1em;margin:1em 0}
.finding ul{margin:.3em 0;padding-left:1.2em}
.note{background:#fff8e6;border-left:5px solid var(--orange);padding:.6em 1em;margin:1em 0;font-size:.95rem}
.warning{background:#fde8dc;border-left:5px solid var(--verm);padding:.6em 1em;font-weight:600}
.caveat{background:#f4f4f6;border-left:5px solid var(--muted);padding:.2em 1em;margin:1em 0}
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.88rem;width:100%}
caption{text-align:left;font-weight:600;padding:.3em 0;color:var(--muted)}
th,td{border-bottom:1px solid var(--rule);padding:.3em .55em;text-align:left;vertical-align:top}
th{background:#f1f3f5}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.suppressed{color:var(--muted);font-style:italic}
.small{font-size:.8rem;color:var(--muted)}.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.78rem;overflow-wrap:anywhere}td.mono{white-space:nowrap}
.panels{display:flex;flex-wrap:wrap;gap:10px}
.panels>*{flex:0 0 calc(33.333% - 7px);min-width:260px}
.panel-suppressed{border:1px dashed var(--rule);display:flex;flex-direction:column;justify-content:center;align-items:center;min-height:150px;color:var(--muted);font-style:italic;text-align:center;padding:1em}
.panel-suppressed strong{font-style:normal;color:var(--ink)}
svg{display:block;width:100%;height:auto;font-family:inherit}
svg .chart-title{font-size:12px;font-weight:600}svg .chart-subtitle{font-size:10.5px;fill:#555}svg .tick{font-size:10px;fill:#444}svg .axis-label{font-size:10px;fill:#444}
svg .grid{stroke:#e3e3e3;stroke-width:1}svg .band{opacity:.35;stroke:none}svg .zero{stroke:#000;stroke-width:1.3}
svg .whisker{stroke-width:2.5}svg .tick.best{font-weight:700;fill:#000}
details{margin:.6em 0}details>summary{cursor:pointer;font-weight:600;color:var(--blue)}
ol.references{columns:2;font-size:.85rem}ol.references details{margin:0;break-inside:avoid}ol.references summary{font-weight:400}
.decision{background:#eef6fb;border-left:5px solid var(--blue);padding:.7em 1.1em;margin:1em 0}.decision p{margin:.4em 0}
svg .mean{fill:none;stroke-width:2.2}svg .comparison{fill:none;stroke-width:2;stroke-dasharray:5 4}
svg .edge{fill:none;opacity:.55}svg .edge.moderator{stroke-dasharray:4 3;opacity:.35}svg .edge.composition{stroke-dasharray:1 3}
svg .node-label{font-size:10.5px}svg .column-heading{font-size:12px;font-weight:700}
.diagram-wrap{overflow-x:auto;border:1px solid var(--rule);padding:6px;background:#fff}
.legend{display:flex;flex-wrap:wrap;gap:1.2em;font-size:.9rem;margin:.4em 0}
.key{display:inline-block;width:28px;height:0;vertical-align:middle;margin-right:.4em;border-top:3px solid var(--blue)}
.key.band{height:12px;border:none;background:var(--sky);opacity:.5}.key.dashed{border-top:3px dashed var(--orange)}
.key.zero{border-top:2px solid #000}.key.moderator{border-top:2px dashed #999}.key.composition{border-top:3px dotted var(--blue)}.key.negative{border-top-color:var(--verm)}
footer{margin-top:3em;color:var(--muted);font-size:.85rem}
@media print{body{background:#fff;font-size:10.5pt}main{max-width:none;padding:0}nav{display:none}
details{display:block}details>*{display:block}h2{break-before:page;border-top:none}h2:first-of-type{break-before:auto}.panels>*{break-inside:avoid}svg,table,tr{break-inside:avoid}
.diagram-wrap{overflow:visible;border:none}a{color:inherit;text-decoration:none}}
</style>
)";
}

class report_writer {
public:
    explicit report_writer(const report_inputs& inputs) : in_(inputs) {
        for (const result_run& run : in_.results.runs) indexes_.emplace_back(run);
        kinds_ = run_kinds(in_.results.runs, in_.spec);
        min_n_ = in_.results.manifest.min_n;
        diagnostics ignored;  // the shipped references are checked by the tests; without them sources stay unlinked
        references_ = read_embedded_references(ignored).value_or(std::vector<reference>{});
    }

    std::string render() {
        const result_run& base = indexes_.front().run();
        out_ << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
             << escape(base.scenario) << " \u2014 pathways report</title>\n"
             << style_sheet() << "</head>\n<body>\n<main>\n";
        header();
        decision_section();
        // What the plans cost and what they buy, right after the decision it prices.
        if (in_.district) costs_section(base);
        outcomes_section();
        gaps_section();
        scenario_section();
        model_section();
        drivers_section();
        sensitivity_section();
        provenance_section();
        out_ << "<footer>Made by pathways " << escape(in_.results.manifest.pathways_version) << " from the results in "
             << escape(in_.results.folder.string())
             << ". A projection under stated assumptions, not a forecast.</footer>\n</main>\n</body>\n</html>\n";
        return out_.str();
    }

private:
    const run_index& base() const { return indexes_.front(); }
    std::vector<std::string> subgroups() const { return ordered_unique(base().run().rows, &result_row::subgroup); }
    /// Outcomes of the rows, without the empty one of rows that measure none (costs).
    std::vector<std::string> outcomes() const {
        std::vector<std::string> found = ordered_unique(base().run().rows, &result_row::outcome);
        std::erase(found, std::string());
        return found;
    }

    /// What the district's cut risk does to the lower bounds, as the run recorded it.
    std::string cut_risk_sentence() const {
        const result_run& run = base().run();
        if (!run.cut_risk) return "";
        const result_cut_risk& cut = *run.cut_risk;
        return cut_risk_text(cut.annual_probability, cut.first_year_at_risk, cut.by_horizon,
                             static_cast<std::size_t>(cut.cut_draws), static_cast<std::size_t>(run.draws),
                             base().years().empty() ? 0 : base().years().back(), in_.spec.plan.program_cut);
    }

    /// Outcomes with a level of their own (derived gap outcomes have only gap rows).
    std::vector<std::string> level_outcomes() const {
        std::vector<std::string> kept;
        for (const std::string& outcome : outcomes()) {
            if (base().series("all", outcome, "effect") != nullptr ||
                base().series("all", outcome, "level") != nullptr) {
                kept.push_back(outcome);
                continue;
            }
            for (const std::string& group : subgroups()) {
                if (base().series(group, outcome, "effect") != nullptr) {
                    kept.push_back(outcome);
                    break;
                }
            }
        }
        return kept;
    }

    void header() {
        const result_run& run = base().run();
        out_ << "<h1>" << escape(run.scenario) << "</h1>\n<p class=\"subtitle\">What-if projection, "
             << in_.spec.start_year << "\u2013" << in_.spec.start_year + in_.spec.years - 1
             << " \u00b7 effect model \u2018" << escape(run.model) << "\u2019 \u00b7 " << run.draws
             << (run.draws == 1 ? " run" : " simulated draws") << " \u00b7 " << indexes_.size()
             << (indexes_.size() == 1 ? " variant" : " variants") << "</p>\n";
        if (!run.suppression) {
            out_ << "<p class=\"warning\">NOT FOR PUBLIC RELEASE: small-group suppression was turned off for this "
                    "run.</p>\n";
        }
        // Before any number: what kind of evidence every number below rests on.
        out_ << "<aside class=\"caveat\" aria-label=\"What these numbers rest on\"><p><strong>What these numbers "
                "rest on.</strong> "
             << escape(evidence_caveat_text(in_.graph.definition())) << "</p></aside>\n";
        out_ << "<nav aria-label=\"Contents\"><ol>"
             << "<li><a href=\"#decision\">" << (several_runs() ? "Which variant to choose" : "The decision")
             << "</a></li>"
             << "<li><a href=\"#students\">What changes for students</a></li><li><a href=\"#gaps\">Opportunity "
                "gaps</a></li>"
             << "<li><a href=\"#scenario\">What this scenario does</a></li>"
             << "<li><a href=\"#model\">The theory of change</a></li>"
             << "<li><a href=\"#drivers\">Which practices move math, and through what</a></li>";
        if (in_.sensitivity != nullptr || !in_.sensitivity_problem.empty()) {
            out_ << "<li><a href=\"#sensitivity\">What the results are most sensitive to</a></li>";
        }
        out_ << "<li><a href=\"#sources\">Where the numbers come from</a></li></ol></nav>\n";
    }

    bool several_runs() const { return indexes_.size() > 1; }

    /// "What it costs": every run's total and per student reached, the plans against what they cost
    /// (when the runs' draws are at hand), each plan's ingredients, and the base run's figures per gap.
    void costs_section(const result_run& base_run) {
        const cost_settings costs = plan_costs(*in_.district, in_.spec);
        std::vector<costed_run> runs;
        for (std::size_t r = 0; r < indexes_.size(); ++r)
            runs.push_back({&indexes_[r].run(), in_.spec.variant_of(indexes_[r].run().variant)});
        const std::string totals = runs_costs_html(runs, costs);
        if (totals.empty()) return;
        out_ << "<h2 id=\"costs\">What it costs</h2>\n" << totals;
        if (in_.costs != nullptr) {
            out_ << cost_effectiveness_html(in_.costs->analysis, in_.costs->plans.variants, costs.currency,
                                            node_label(in_.graph, lead_outcome()))
                 << ingredients_html(in_.costs->ingredients);
        } else {
            out_ << "<p>Each plan\u2019s cost-effectiveness and ingredients need the runs themselves: "
                    "<span class=\"mono\">pathways run --report</span> shows them, and "
                    "<span class=\"mono\">pathways costs</span> prints the ingredients.</p>\n";
        }
        const std::string gaps = costs_html_section(base_run, lead_outcome(), costs);
        if (!gaps.empty())
            out_ << "<details><summary>The base plan\u2019s cost per effect, per group and gap</summary>\n"
                 << gaps << "</details>\n";
    }
    bool is_plan(std::size_t run) const { return kinds_[run] == variant_kind::plan; }
    std::size_t plan_count() const {
        return static_cast<std::size_t>(std::count(kinds_.begin(), kinds_.end(), variant_kind::plan));
    }

    /// The final-year total cost of `run` with the cut risk (all students), or null when it has none.
    const result_row* cost_row(std::size_t run) const {
        const result_row* found = nullptr;
        for (const result_row& row : indexes_[run].run().rows) {
            if (row.metric != "cost_total" || row.subgroup != "all" || row.course != "with_cut_risk") continue;
            if (found == nullptr || row.year > found->year) found = &row;
        }
        return found;
    }

    std::string currency() const { return in_.district ? plan_costs(*in_.district, in_.spec).currency : ""; }

    /// "USD 30.2 million" for a run's expected cost, or "not costed".
    std::string cost_text(std::size_t run) const {
        const result_row* row = cost_row(run);
        return row == nullptr ? std::string("not costed") : money_text(row->mean, currency());
    }

    /// A run as the decision names it: its variant, or "the plan" when there is only one.
    std::string run_label(std::size_t run) const {
        return several_runs() ? indexes_[run].run().variant : std::string("the plan");
    }

    /// "all" and the focal group of every gap the scenario reports, in the scenario's order.
    std::vector<std::string> decision_groups() const {
        const auto present = subgroups();
        std::vector<std::string> groups;
        const auto add = [&](const std::string& g) {
            if (std::find(present.begin(), present.end(), g) != present.end() &&
                std::find(groups.begin(), groups.end(), g) == groups.end()) {
                groups.push_back(g);
            }
        };
        add("all");
        for (const auto& [focal, reference] : in_.spec.report.reference_groups) add(focal);
        return groups;
    }

    /// The outcome the report leads with, decided as the terminal's summary decides it
    /// (model_graph::headline_outcome) among the outcomes the run reports with an effect or a level.
    std::string lead_outcome() const { return in_.graph.headline_outcome(level_outcomes()); }

    std::optional<group_decision> decision_for(const std::string& outcome, const std::string& group) const {
        return decide(in_.results.runs, in_.draws, outcome, group, kinds_);
    }

    static std::string percent(double share) { return number(100.0 * share, 0) + "%"; }

    static std::string sd_interval(const stats::summary& s) { return html::interval(s.mean, s.p05, s.p95, 3); }

    void decision_section() {
        const std::string outcome = lead_outcome();
        out_ << "<h2 id=\"decision\">"
             << (several_runs() ? "Which variant to choose"
                                : "The decision: the plan "
                                  "against business as usual")
             << "</h2>\n";
        if (outcome.empty()) {
            out_ << "<p>The results hold no effect against business as usual to decide on.</p>\n";
            return;
        }
        std::vector<group_decision> by_group;
        for (const std::string& group : decision_groups()) {
            if (auto decision = decision_for(outcome, group)) by_group.push_back(*decision);
        }
        if (by_group.empty()) {
            out_ << "<p>The results hold no effect against business as usual to decide on.</p>\n";
            return;
        }
        lead_paragraph(by_group.front());
        if (several_runs()) plans_table(by_group.front(), outcome);
        out_ << "<h3>For whom</h3>\n";
        decision_table(
            by_group, "Group", [](const group_decision& d) { return escape(subgroup_label(d.subgroup)); },
            escape(node_label(in_.graph, outcome)) + " in " + std::to_string(base().years().back()) +
                ", against business as usual");
        decision_charts(by_group, outcome);
        other_outcomes(outcome);
        decision_notes();
    }

    /// The decision for all students in two or three sentences a board member reads in half a minute.
    void lead_paragraph(const group_decision& d) {
        const std::string outcome = node_label(in_.graph, d.outcome);
        const int last = base().years().back();
        out_ << "<div class=\"decision\">\n";
        if (d.suppressed) {
            out_ << "<p>" << escape(subgroup_label(d.subgroup)) << ": " << suppressed_text(min_n_) << ".</p></div>\n";
            return;
        }
        const run_effect& best = d.runs[d.best];
        const std::size_t draws = static_cast<std::size_t>(base().run().draws);
        out_ << "<p><strong>";
        if (several_runs()) {
            // When every plan does harm, the best of them is the least harmful, and the words say so.
            out_ << escape(subgroup_label(d.subgroup)) << ": of " << plan_count() << " plans, "
                 << escape(run_label(best.run)) << (best.effect.mean < 0.0 ? " does least harm" : " does best")
                 << "</strong> on " << escape(outcome) << " by " << last << ", ";
        } else {
            out_ << escape(subgroup_label(d.subgroup)) << ", " << escape(outcome) << " by " << last << ":</strong> ";
        }
        out_ << number(best.effect.mean, 3, true) << " SD against business as usual (90% range "
             << number(best.effect.p05, 3, true) << " to " << number(best.effect.p95, 3, true) << "). "
             << (several_runs() ? "It is" : "The plan is") << " better than business as usual in "
             << percent(best.p_better) << " of " << draws << " simulated futures";
        if (best.p_harm) out_ << " and worse in " << percent(*best.p_harm);
        out_ << ".</p>\n";
        if (d.runner_up) {
            const run_effect& next = d.runs[*d.runner_up];
            out_ << "<p>Its lead over " << escape(run_label(next.run)) << ", the runner-up, is "
                 << number(d.margin, 3, true) << " SD";
            if (d.paired_margin) {
                out_ << " (90% range " << number(d.paired_margin->p05, 3, true) << " to "
                     << number(d.paired_margin->p95, 3, true) << "); it comes out ahead in "
                     << percent(*d.p_best_beats_runner_up) << " of the same simulated futures.";
            } else {
                out_ << " in the mean; how often it comes out ahead needs every run's draws, which "
                        "<span class=\"mono\">pathways run --report</span> has.";
            }
            out_ << "</p>\n";
        }
        if (cost_row(best.run) != nullptr) {
            out_ << "<p>" << (several_runs() ? "It costs " : "The plan costs ") << escape(cost_text(best.run))
                 << " to the horizon (expected, with the cut risk)";
            if (d.runner_up)
                out_ << "; " << escape(run_label(d.runs[*d.runner_up].run)) << " costs "
                     << escape(cost_text(d.runs[*d.runner_up].run));
            out_ << ". Every plan's cost and cost-effectiveness is in <a href=\"#costs\">What it costs</a>.</p>\n";
        }
        out_ << "<p class=\"small\">For scale: in education research an effect of 0.05 SD is small and one of "
                "0.20 SD is large. "
             << escape(cut_risk_sentence()) << "</p>\n</div>\n";
    }

    /// Every plan with what it is, its effect and its cost side by side; then each assumption as an "if ..."
    /// row: the base plan in another world, which no plan can choose.
    void plans_table(const group_decision& d, const std::string& outcome) {
        const std::string effect_heading =
            node_label(in_.graph, outcome) + ", " + subgroup_label(d.subgroup) + " (SD) [90% range]";
        out_ << "<h3>The plans side by side</h3>\n"
             << table_open({"Plan", "What it is", effect_heading, "Cost to the horizon (expected)"},
                           "Plans the district can choose, best first, against business as usual in " +
                               std::to_string(base().years().back()));
        std::vector<std::size_t> order;
        for (std::size_t r = 0; r < d.runs.size(); ++r) {
            if (d.runs[r].plan) order.push_back(r);
        }
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return d.runs[a].effect.mean > d.runs[b].effect.mean; });
        for (const std::size_t r : order) {
            const std::size_t run = d.runs[r].run;
            const variant_info info = in_.spec.variant_of(indexes_[run].run().variant);
            out_ << "<tr><td>" << (r == d.best ? "<strong>" + escape(info.name) + "</strong>" : escape(info.name))
                 << "</td><td>" << escape(info.description) << "</td><td class=\"num\">"
                 << sd_interval(d.runs[r].effect) << "</td><td class=\"num\">" << escape(cost_text(run))
                 << "</td></tr>\n";
        }
        out_ << "</tbody></table>\n";
        std::vector<std::size_t> assumptions;
        for (std::size_t r = 0; r < d.runs.size(); ++r) {
            if (!d.runs[r].plan) assumptions.push_back(r);
        }
        if (assumptions.empty()) return;
        const auto base_plan = std::find_if(d.runs.begin(), d.runs.end(), [&](const run_effect& e) {
            return indexes_[e.run].run().variant == "base";
        });
        out_ << table_open({"If", "The base plan in that world (SD) [90% range]",
                            "Change from the base plan's expected effect (SD)", "Cost to the horizon (expected)"},
                           "Assumptions: how the world might be, with the base plan (not choices, so not ranked)");
        for (const std::size_t r : assumptions) {
            const std::size_t run = d.runs[r].run;
            const variant_info info = in_.spec.variant_of(indexes_[run].run().variant);
            out_ << "<tr><td>" << escape(info.description.empty() ? info.name : info.description) << " ("
                 << escape(info.name) << ")</td><td class=\"num\">" << sd_interval(d.runs[r].effect)
                 << "</td><td class=\"num\">"
                 << (base_plan == d.runs.end() ? std::string("n/a")
                                               : number(d.runs[r].effect.mean - base_plan->effect.mean, 3, true))
                 << "</td><td class=\"num\">" << escape(cost_text(run)) << "</td></tr>\n";
        }
        out_ << "</tbody></table>\n";
    }

    /// One row per decision: the best run, its effect against business as usual and how sure, and its lead
    /// over the runner-up.
    template <class Label>
    void decision_table(const std::vector<group_decision>& decisions, const std::string& first_heading, Label label,
                        const std::string& caption) {
        std::vector<std::string> headings{first_heading};
        if (several_runs()) headings.push_back("Best plan");
        for (const char* h : {"Against business as usual (SD) [90% range]", "Better in", "Worse in"})
            headings.emplace_back(h);
        if (several_runs()) {
            for (const char* h : {"Runner-up", "Lead over the runner-up (SD) [90% range]", "Ahead in"})
                headings.emplace_back(h);
        }
        out_ << table_open(headings, caption);
        for (const group_decision& d : decisions) {
            out_ << "<tr><td>" << label(d) << "</td>";
            if (d.suppressed) {
                out_ << "<td class=\"suppressed\" colspan=\"" << headings.size() - 1 << "\">" << suppressed_text(min_n_)
                     << "</td></tr>\n";
                continue;
            }
            const run_effect& best = d.runs[d.best];
            if (several_runs()) out_ << "<td><strong>" << escape(run_label(best.run)) << "</strong></td>";
            out_ << "<td class=\"num\">" << sd_interval(best.effect) << "</td><td class=\"num\">"
                 << percent(best.p_better) << "</td><td class=\"num\">"
                 << (best.p_harm ? percent(*best.p_harm) : std::string("n/a")) << "</td>";
            if (several_runs()) {
                if (!d.runner_up) {
                    out_ << "<td colspan=\"3\">no other variant reports this group</td></tr>\n";
                    continue;
                }
                out_ << "<td>" << escape(run_label(d.runs[*d.runner_up].run)) << "</td><td class=\"num\">"
                     << (d.paired_margin ? sd_interval(*d.paired_margin) : number(d.margin, 3, true))
                     << "</td><td class=\"num\">"
                     << (d.p_best_beats_runner_up ? percent(*d.p_best_beats_runner_up) : std::string("n/a")) << "</td>";
            }
            out_ << "</tr>\n";
        }
        out_ << "</tbody></table>\n";
    }

    /// Dots with 90% whiskers on one shared scale: per group with a row per variant, or with one run a
    /// row per group.
    void decision_charts(const std::vector<group_decision>& decisions, const std::string& outcome) {
        std::vector<double> values;
        for (const group_decision& d : decisions) {
            for (const run_effect& r : d.runs) values.insert(values.end(), {r.effect.p05, r.effect.p95});
        }
        const html::value_range range = html::shared_range(values, html::min_effect_half_span);
        const std::string outcome_label = node_label(in_.graph, outcome);
        const auto chart_of = [&](const std::string& id, const std::string& title) {
            html::interval_chart chart;
            chart.id = id;
            chart.title = title;
            chart.x_label = "effect on " + outcome_label + " (SD)";
            chart.range = range;
            return chart;
        };
        const auto describe = [](html::interval_chart& chart) {
            chart.description = chart.title + ", effect against business as usual with 90% range: ";
            for (std::size_t i = 0; i < chart.rows.size(); ++i) {
                const html::interval_row& row = chart.rows[i];
                chart.description += (i ? "; " : "") + row.label + " " + html::interval(row.mean, row.low, row.high, 3);
            }
            chart.description += " SD.";
        };
        out_ << "<div class=\"panels\">\n";
        if (!several_runs()) {
            html::interval_chart chart = chart_of("decision-groups", "The plan, by group");
            for (const group_decision& d : decisions) {
                if (d.suppressed) continue;
                const stats::summary& e = d.runs[d.best].effect;
                chart.rows.push_back({subgroup_label(d.subgroup), e.mean, e.p05, e.p95, false});
            }
            describe(chart);
            out_ << html::interval_chart_svg(chart);
        }
        for (std::size_t g = 0; several_runs() && g < decisions.size(); ++g) {
            const group_decision& d = decisions[g];
            if (d.suppressed) {
                suppressed_panel(subgroup_label(d.subgroup));
                continue;
            }
            html::interval_chart chart = chart_of("decision-" + slug(d.subgroup), subgroup_label(d.subgroup));
            for (std::size_t r = 0; r < d.runs.size(); ++r) {
                const stats::summary& e = d.runs[r].effect;
                chart.rows.push_back({run_label(d.runs[r].run), e.mean, e.p05, e.p95, r == d.best});
            }
            describe(chart);
            out_ << html::interval_chart_svg(chart);
        }
        out_ << "</div>\n";
    }

    /// The same decision for all students on every other outcome with a level.
    void other_outcomes(const std::string& lead) {
        std::vector<group_decision> decisions;
        for (const std::string& outcome : level_outcomes()) {
            if (outcome == lead) continue;
            if (auto decision = decision_for(outcome, "all")) decisions.push_back(*decision);
        }
        if (decisions.empty()) return;
        out_ << "<h3>On the other outcomes, for all students</h3>\n";
        decision_table(
            decisions, "Outcome", [&](const group_decision& d) { return escape(node_label(in_.graph, d.outcome)); },
            "All students in " + std::to_string(base().years().back()) + ", against business as usual");
    }

    void decision_notes() {
        out_ << "<p class=\"small\">Effects are in standard deviations (SD) of student scores in the final year, "
                "with the district\u2019s program-cut risk. \u201cBetter in\u201d and \u201cworse in\u201d are the "
                "shares of the "
             << base().run().draws
             << " simulated futures in which the effect is above or below zero (the rest are exactly zero: the plan "
                "has not reached those students yet or was cut); the 90% range holds 90% of them. ";
        if (several_runs()) {
            out_ << (in_.draws != nullptr
                         ? "Variants are compared on the same simulated futures (common random numbers), so "
                           "\u201cahead in\u201d is the share of futures in which the best variant beats the "
                           "runner-up. "
                         : "The runs\u2019 draws were not at hand (a results folder keeps summaries only, and the "
                           "runs could not be repeated exactly), so the lead over the runner-up is a difference of "
                           "means. ");
        }
        out_ << "All charts share one scale, at least \u2212" << number(html::min_effect_half_span, 1) << " to +"
             << number(html::min_effect_half_span, 1) << " SD, with the zero line marking business as usual.</p>\n";
        if (several_runs()) {
            out_ << "<details><summary>Every variant on every outcome, for all students</summary>\n";
            variants_table();
            out_ << "</details>\n";
        }
    }

    void scenario_section() {
        const scenario& s = in_.spec;
        out_ << "<h2 id=\"scenario\">What this scenario does</h2>\n<p>" << escape(s.description) << "</p>\n";
        out_ << "<p>It follows " << (in_.district ? escape(in_.district->name) : escape(s.district_path.string()))
             << " for " << s.years << " school years starting in " << s.start_year
             << ". Which schools, when, and how far:</p>\n<ol>\n";
        for (const wave& w : s.plan.waves) {
            out_ << "<li><strong>" << escape(w.name.empty() ? "Wave" : w.name) << "</strong>, from " << w.start_year
                 << ": " << escape(selector_text(w.schools)) << ". Targets: ";
            for (std::size_t i = 0; i < w.targets.size(); ++i)
                out_ << (i ? "; " : "") << escape(rule_text(in_.graph, w.targets[i]));
            out_ << ".</li>\n";
        }
        out_ << "</ol>\n<p class=\"small\">Levels run from 0 (teacher-driven) to 3 (learner-driven); foundational "
             << "practices from 0 (beginning) to 3 (advanced).</p>\n";
        const auto& ramp = s.plan.ramp;
        out_ << "<ul>\n<li>"
             << (ramp.instant ? std::string("Schools reach their targets in their first year.")
                              : "Schools get halfway to their targets after " + number(ramp.years_to_half, 1) +
                                    " years and 90% of the way after " + number(ramp.years_to_90, 1) + " years.")
             << "</li>\n<li>Quality thins as the program grows: each doubling of the number of schools beyond "
             << number(s.plan.fidelity.reference_schools, 0) << " keeps "
             << number(s.plan.fidelity.decay_per_doubling * 100, 0) << "% of the effect.</li>\n<li>";
        if (s.plan.program_cut.annual_probability > 0) {
            out_ << "Each year there is a " << number(s.plan.program_cut.annual_probability * 100, 0)
                 << "% chance the district cuts the program";
            if (s.plan.program_cut.protected_years) {
                out_ << ", except in its first " << number(*s.plan.program_cut.protected_years, 0) << " years";
            }
            out_ << ".";
        } else {
            out_ << "The program is never cut.";
        }
        out_ << "</li>\n</ul>\n";
        effect_model_summary();
        out_ << "<details><summary>District conditions used</summary>\n";
        conditions_table();
        out_ << "</details>\n";
    }

    void conditions_table() {
        out_ << table_open({"District condition", "Value used", "Where it comes from"},
                           "District conditions (0 = not at all, 1 = fully)");
        std::set<std::string> names;
        if (in_.district)
            for (const auto& [name, value] : in_.district->conditions) names.insert(name);
        for (const auto& [name, value] : in_.spec.plan.conditions) names.insert(name);
        for (const std::string& name : names) {
            const std::string label = condition_label(in_.graph, name);
            if (const auto it = in_.spec.plan.conditions.find(name); it != in_.spec.plan.conditions.end()) {
                out_ << cells({escape(label), "<span class=\"num\">" + number(it->second, 2) + "</span>",
                               "set by this scenario"});
                continue;
            }
            const sourced_value& v = in_.district->conditions.at(name);
            out_ << cells({escape(label), number(v.value, 2), "district default: " + sourced(v.source, v.evidence)});
        }
        out_ << "</tbody></table>\n";
    }

    void effect_model_summary() {
        const result_run& run = base().run();
        out_ << "<p>The \u2018" << escape(run.model) << "\u2019 effect model";
        if (in_.model != nullptr) out_ << " (" << escape(in_.model->description) << ")";
        out_ << " turns implementation into student results. ";
        const auto& pinned = in_.results.manifest.pinned;
        if (pinned.empty()) out_ << "Every one of its parameters is at its default value";
        for (std::size_t i = 0; i < pinned.size(); ++i) {
            out_ << (i ? ", " : "This scenario sets ") << "<span class=\"mono\">" << escape(pinned[i].first)
                 << "</span> to " << number(pinned[i].second, 3);
        }
        out_ << "; all of them, with their sources, are listed under <a href=\"#sources\">Where the numbers come "
                "from</a>.</p>\n";
    }

    void effect_model_table() {
        const result_run& run = base().run();
        out_ << "<h3>Effect model: \u2018" << escape(run.model) << "\u2019</h3>\n";
        if (in_.model == nullptr) {
            out_ << "<p>The plugin for this effect model could not be loaded now, so its parameters are not "
                    "listed.</p>\n";
            return;
        }
        out_ << "<p>" << escape(in_.model->description) << ".</p>\n";
        if (in_.model->parameters.empty()) return;
        out_ << table_open({"Parameter", "Value used", "Unit", "Meaning", "Source (evidence)"},
                           "Effect-model parameters");
        for (const parameter_info& p : in_.model->parameters) {
            double value = p.default_value;
            std::string how = "default";
            for (const auto& [name, pinned] : in_.results.manifest.pinned) {
                if (name == p.name) {
                    value = pinned;
                    how = "set by the scenario";
                }
            }
            out_ << "<tr><td class=\"mono\">" << escape(p.name) << "</td><td class=\"num\">" << number(value, 3)
                 << " <span class=\"small\">(" << how << ")</span></td><td>" << escape(p.unit) << "</td><td>"
                 << escape(p.description) << "</td><td>" << sourced(p.source, p.evidence) << "</td></tr>\n";
        }
        out_ << "</tbody></table>\n";
    }

    void model_section() {
        out_ << "<h2 id=\"model\">The theory of change</h2>\n<p>How the model expects change to travel: district and "
             << "school conditions and foundational practices shape how well the drivers are put in place; the drivers "
                "move "
             << "student agency, engagement and skills, which move academic results and the district's goals.</p>\n"
             << "<div class=\"legend\"><span><span class=\"key\"></span>effect (thicker = stronger)</span>"
             << "<span><span class=\"key negative\"></span>negative effect</span>"
             << "<span><span class=\"key moderator\"></span>changes how fast drivers are implemented</span>"
             << "<span><span class=\"key composition\"></span>part of a primary driver</span></div>\n"
             << "<div class=\"diagram-wrap\">" << html::model_diagram_svg(in_.graph, "theory-of-change") << "</div>\n";
    }

    void outcomes_section() {
        out_ << "<h2 id=\"students\">What changes for students</h2>\n";
        read_bands_note();
        const std::string lead = lead_outcome();
        outcome_block(lead);
        out_ << "<details><summary>Other outcomes over time, and every reported group in numbers</summary>\n";
        final_year_table(lead);
        for (const std::string& outcome : level_outcomes()) {
            if (outcome == lead) continue;
            outcome_block(outcome);
            final_year_table(outcome);
        }
        out_ << "</details>\n";
    }

    void outcome_block(const std::string& outcome) {
        out_ << "<h3 id=\"outcome-" << slug(outcome) << "\">" << escape(node_label(in_.graph, outcome)) << "</h3>\n";
        trajectory_panels(outcome);
    }

    void read_bands_note() {
        out_ << "<div class=\"note\"><strong>How to read the bands.</strong> Each chart shows, year by year, how far "
             << "a group is ahead of business as usual (the black zero line): the <strong>solid blue line</strong> is "
             << "the average over the simulated futures, the <strong>shaded band</strong> holds 90% of the "
             << base().run().draws << " simulated futures. A band that reaches below zero means the model cannot rule "
             << "out no effect or harm. The charts of one outcome share one scale, at least \u2212"
             << number(html::min_effect_half_span, 1) << " to +" << number(html::min_effect_half_span, 1)
             << " SD, so a small effect looks small."
             << (base().two_courses() ? " Charts show the plan with the district\u2019s cut risk; the tables also "
                                        "show it if sustained."
                                      : std::string())
             << "</div>\n"
             << "<div class=\"legend\"><span><span class=\"key\"></span>scenario against business as usual "
                "(mean)</span><span><span class=\"key band\"></span>90% band (p05\u2013p95)</span><span><span "
                "class=\"key zero\"></span>business as usual (no change)</span></div>\n";
    }

    html::band_chart chart_from(const std::map<int, const result_row*>& scenario,
                                const std::map<int, const result_row*>* comparison) const {
        html::band_chart chart;
        for (const auto& [year, row] : scenario) {
            chart.years.push_back(year);
            chart.mean.push_back(row->mean);
            chart.low.push_back(row->p05);
            chart.high.push_back(row->p95);
            if (comparison != nullptr && comparison->contains(year))
                chart.comparison.push_back(comparison->at(year)->mean);
        }
        return chart;
    }

    static bool any_suppressed(const std::map<int, const result_row*>& rows) {
        return std::any_of(rows.begin(), rows.end(), [](const auto& entry) { return entry.second->suppressed; });
    }

    void suppressed_panel(const std::string& title) {
        out_ << "<div class=\"panel-suppressed\"><strong>" << escape(title) << "</strong>" << suppressed_text(min_n_)
             << "</div>\n";
    }

    /// The lows and highs of every series, for the range their charts share.
    static void collect(const std::map<int, const result_row*>* rows, std::vector<double>& values) {
        if (rows == nullptr || any_suppressed(*rows)) return;
        for (const auto& [year, row] : *rows) values.insert(values.end(), {row->p05, row->p95, row->mean});
    }

    /// The effect against business as usual over the years for "all" and the focal groups, on one shared scale.
    void trajectory_panels(const std::string& outcome) {
        const auto groups = decision_groups();
        std::vector<double> values;
        for (const std::string& group : groups) collect(base().series(group, outcome, "effect"), values);
        const html::value_range range = html::shared_range(values, html::min_effect_half_span);
        out_ << "<div class=\"panels\">\n";
        const std::string outcome_label = node_label(in_.graph, outcome);
        for (const std::string& group : groups) {
            const auto* effect = base().series(group, outcome, "effect");
            if (effect == nullptr) continue;
            const std::string title = subgroup_label(group);
            if (any_suppressed(*effect)) {
                suppressed_panel(title);
                continue;
            }
            html::band_chart chart = chart_from(*effect, nullptr);
            chart.id = "traj-" + slug(outcome) + "-" + slug(group);
            chart.title = title;
            chart.y_label = "effect (SD)";
            chart.range = range;
            chart.zero_line = true;
            chart.description = outcome_label + ", " + title + ": " + number(chart.mean.front(), 3, true) +
                                " SD against business as usual in " + std::to_string(chart.years.front()) + ", " +
                                number(chart.mean.back(), 3, true) + " SD in " + std::to_string(chart.years.back()) +
                                " (90% range " + number(chart.low.back(), 3, true) + " to " +
                                number(chart.high.back(), 3, true) + ").";
            out_ << html::band_chart_svg(chart);
        }
        out_ << "</div>\n";
    }

    void final_year_table(const std::string& outcome) {
        const bool academic = is_academic(in_.graph, outcome);
        const bool two = base().two_courses();
        std::vector<std::string> headings{"Group", "Students"};
        if (two) headings.push_back("If the plan is sustained: change vs business as usual (SD) [90% range]");
        headings.push_back(two ? "With the district\u2019s cut risk: change (SD) [90% range]"
                               : "Change vs business as usual (SD) [90% range]");
        if (academic) {
            headings.push_back("Percentile points");
            headings.push_back("Share proficient, change (points)");
        }
        const int last = base().years().back();
        out_ << table_open(headings,
                           node_label(in_.graph, outcome) + " in " + std::to_string(last) + ", every reported group");
        for (const std::string& group : subgroups()) {
            const result_row* effect = base().final_row(group, outcome, "effect");
            if (effect == nullptr) continue;
            out_ << "<tr><td>" << escape(subgroup_label(group)) << "</td>";
            if (effect->suppressed) {
                out_ << "<td class=\"suppressed\" colspan=\"" << headings.size() - 1 << "\">" << suppressed_text(min_n_)
                     << "</td></tr>\n";
                continue;
            }
            out_ << "<td class=\"num\">" << number(effect->n_students, 0) << "</td>";
            if (two) {
                const result_row* kept = base().final_row(group, outcome, "effect", sustained);
                out_ << "<td class=\"num\">"
                     << (kept ? html::interval(kept->mean, kept->p05, kept->p95, 3) : std::string("n/a")) << "</td>";
            }
            out_ << "<td class=\"num\">" << html::interval(effect->mean, effect->p05, effect->p95, 3) << "</td>";
            if (academic) {
                for (const char* metric : {"percentile_shift", "proficient_change"}) {
                    const result_row* row = base().final_row(group, outcome, metric);
                    out_ << "<td class=\"num\">"
                         << (row && !row->suppressed ? number(row->mean, 1, true) : std::string("n/a")) << "</td>";
                }
            }
            out_ << "</tr>\n";
        }
        out_ << "</tbody></table>\n";
    }

    void gaps_section() {
        out_ << "<h2 id=\"gaps\">Opportunity gaps</h2>\n<p>The gap is how far a group's average is behind its "
                "comparison "
             << "group, in standard deviations (a gap of 0.5 SD is roughly 19 percentile points for a student in the "
                "middle). "
             << "<strong>Lower is better.</strong> The blue line and band are the gap under the scenario, the dashed "
             << "orange line the gap under business as usual, the black line a gap closed. The charts of one outcome "
                "share one scale from zero, so a gap that barely moves looks flat.</p>\n";
        std::vector<std::string> with_gaps;
        for (const std::string& outcome : outcomes()) {
            if (!focal_groups(outcome).empty()) with_gaps.push_back(outcome);
        }
        if (with_gaps.empty()) {
            out_ << "<p>This scenario names no comparison groups, so no gaps were computed.</p>\n";
            return;
        }
        // The lead outcome's gaps are shown; the other outcomes' wait behind one click.
        const std::string lead = lead_outcome();
        const auto lead_has_gaps = std::find(with_gaps.begin(), with_gaps.end(), lead) != with_gaps.end();
        if (lead_has_gaps) gap_block(lead);
        if (with_gaps.size() > (lead_has_gaps ? 1U : 0U)) {
            out_ << "<details><summary>The gaps on the other outcomes</summary>\n";
            for (const std::string& outcome : with_gaps) {
                if (outcome != lead) gap_block(outcome);
            }
            out_ << "</details>\n";
        }
    }

    std::vector<std::string> focal_groups(const std::string& outcome) const {
        std::vector<std::string> groups;
        for (const std::string& group : subgroups()) {
            if (base().series(group, outcome, "gap_sd") != nullptr) groups.push_back(group);
        }
        return groups;
    }

    /// One outcome's gap charts, on one scale that includes 0 (the gap closed), and its table.
    void gap_block(const std::string& outcome) {
        const auto groups = focal_groups(outcome);
        out_ << "<h3>" << escape(node_label(in_.graph, outcome)) << "</h3>\n";
        const auto level_ones = level_outcomes();
        if (std::find(level_ones.begin(), level_ones.end(), outcome) == level_ones.end()) {
            out_ << "<p>" << escape(node_description(in_.graph, outcome)) << "</p>\n";
        }
        std::vector<double> values;
        for (const std::string& group : groups) {
            collect(base().series(group, outcome, "gap_sd"), values);
            collect(base().series(group, outcome, "gap_sd_bau"), values);
        }
        const html::value_range range = html::shared_range(values, 0.0);
        out_ << "<div class=\"panels\">\n";
        for (const std::string& group : groups) gap_panel(outcome, group, range);
        out_ << "</div>\n";
        gap_table(outcome, groups);
    }

    /// The final-year gaps in each projection, how many draws narrow them, and the years to close.
    void gap_table(const std::string& outcome, const std::vector<std::string>& focal_groups) {
        const bool two = base().two_courses();
        std::vector<std::string> headings{"Group", "Business as usual (SD)"};
        if (two) headings.push_back("If the plan is sustained (SD) [90% range]");
        headings.push_back(two ? "With the district\u2019s cut risk (SD) [90% range]"
                               : "With the plan (SD) [90% range]");
        headings.push_back("Draws in which the gap narrows");
        headings.push_back("Years to close at this pace (median)");
        const int last = base().years().back();
        out_ << table_open(headings, node_label(in_.graph, outcome) + " gaps in " + std::to_string(last));
        for (const std::string& group : focal_groups) {
            const result_row* gap = base().final_row(group, outcome, "gap_sd");
            if (gap == nullptr) continue;
            out_ << "<tr><td>" << escape(subgroup_label(group) + " vs " + subgroup_label(gap->reference)) << "</td>";
            if (gap->suppressed) {
                out_ << "<td class=\"suppressed\" colspan=\"" << headings.size() - 1 << "\">" << suppressed_text(min_n_)
                     << "</td></tr>\n";
                continue;
            }
            const auto cell = [&](const result_row* row) {
                return "<td class=\"num\">" +
                       (row ? html::interval(row->mean, row->p05, row->p95, 3) : std::string("n/a")) + "</td>";
            };
            const result_row* bau = base().final_row(group, outcome, "gap_sd_bau");
            out_ << "<td class=\"num\">" << (bau ? number(bau->mean, 3) : std::string("n/a")) << "</td>";
            if (two) out_ << cell(base().final_row(group, outcome, "gap_sd", sustained));
            out_ << cell(gap);
            const result_row* narrows = base().final_row(group, outcome, "gap_narrows");
            out_ << "<td class=\"num\">" << (narrows ? number(100.0 * narrows->mean, 0) + "%" : std::string("n/a"))
                 << "</td>";
            const result_row* years = base().final_row(group, outcome, "gap_years_to_close");
            out_ << "<td>" << (years ? escape(years_to_close_text(years->p50)) : std::string("n/a")) << "</td></tr>\n";
        }
        out_ << "</tbody></table>\n";
    }

    void gap_panel(const std::string& outcome, const std::string& group, const html::value_range& range) {
        const auto& gap = *base().series(group, outcome, "gap_sd");
        const std::string reference = gap.begin()->second->reference;
        const std::string title = subgroup_label(group) + " vs " + subgroup_label(reference);
        if (any_suppressed(gap)) {
            suppressed_panel(title);
            return;
        }
        html::band_chart chart = chart_from(gap, base().series(group, outcome, "gap_sd_bau"));
        chart.id = "gap-" + slug(outcome) + "-" + slug(group);
        chart.title = subgroup_label(group);
        std::string reference_label = subgroup_label(reference);
        if (reference_label.starts_with("Not ")) reference_label[0] = 'n';
        chart.subtitle = "behind " + reference_label;
        chart.y_label = "gap (SD)";
        chart.range = range;
        chart.zero_line = true;
        const double change = chart.comparison.empty() ? 0.0 : chart.mean.back() - chart.comparison.back();
        chart.description = node_label(in_.graph, outcome) + " gap between " + title + ": " +
                            number(chart.mean.back(), 3) + " SD in " + std::to_string(chart.years.back()) +
                            " under the scenario (90% range " + number(chart.low.back(), 3) + " to " +
                            number(chart.high.back(), 3) + ") against " +
                            (chart.comparison.empty() ? std::string("n/a") : number(chart.comparison.back(), 3)) +
                            " SD under business as usual, a change of " + number(change, 3, true) + " SD.";
        out_ << html::band_chart_svg(chart);
    }

    void variants_table() {
        const int last = base().years().back();
        std::vector<std::string> headings{"Variant"};
        for (const std::string& outcome : outcomes()) headings.push_back(node_label(in_.graph, outcome) + " (SD)");
        out_ << table_open(headings, "Change for all students in " + std::to_string(last) + ", by variant");
        for (const run_index& index : indexes_) {
            out_ << "<tr><th scope=\"row\">" << escape(index.run().variant) << "</th>";
            for (const std::string& outcome : outcomes()) {
                const result_row* row = index.final_row("all", outcome, "effect");
                if (row == nullptr) out_ << "<td>n/a</td>";
                else if (row->suppressed) out_ << "<td class=\"suppressed\">" << suppressed_text(min_n_) << "</td>";
                else
                    out_ << "<td class=\"num\">" << number(row->mean, 3, true) << "<br><span class=\"small\">["
                         << number(row->p05, 3, true) << " to " << number(row->p95, 3, true) << "]</span></td>";
            }
            out_ << "</tr>\n";
        }
        out_ << "</tbody></table>\n";
    }

    void drivers_section() {
        const effects_table table = linear_effects(in_.graph);
        const auto target = in_.graph.find(lead_outcome());
        const auto outcome_at =
            target ? std::find(table.outcomes.begin(), table.outcomes.end(), *target) : table.outcomes.end();
        if (outcome_at == table.outcomes.end()) {
            out_ << "<h2 id=\"drivers\">Which practices move the headline outcome</h2>\n"
                 << "<p>The outcome this report leads with is no student or academic outcome of the model, so "
                    "no practice's effect on it is tabled.</p>\n";
            return;
        }
        out_ << "<h2 id=\"drivers\">Which practices move " << escape(in_.graph.definition().nodes[*target].label)
             << ", and through what</h2>\n";
        out_ << "<p>From the model's link weights alone (each link: SD of the next element per level point), summed "
                "over every "
             << "route: the total effect on it of raising one practice or driver by one level, and the strongest "
                "routes it "
             << "takes. Longer routes multiply more weights, so they carry less.</p>\n";
        const auto outcome_pos = static_cast<std::size_t>(outcome_at - table.outcomes.begin());
        std::vector<std::size_t> order(table.sources.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return std::abs(table.at(a, outcome_pos).total) > std::abs(table.at(b, outcome_pos).total);
        });
        const auto& nodes = in_.graph.definition().nodes;
        out_ << "<p>" << escape(assumed_links_sentence(in_.graph.definition())) << "</p>\n<p>Strongest: ";
        for (std::size_t i = 0; i < std::min<std::size_t>(order.size(), 3); ++i) {
            const effect_entry& e = table.at(order[i], outcome_pos);
            out_ << (i ? "; " : "") << escape(nodes[e.source].label) << " (" << number(e.total, 3, true)
                 << " SD per level)";
        }
        out_ << ".</p>\n<details><summary>Every practice and driver, and the ten strongest routes</summary>\n"
             << table_open({"Practice or driver", "Total effect on math (SD per level)", "Direct",
                            "Through other outcomes", "Strongest route"},
                           "Effects on math, strongest first");
        for (const std::size_t i : order) {
            const effect_entry& e = table.at(i, outcome_pos);
            if (e.total == 0.0) continue;
            const auto paths = strongest_paths(in_.graph, e.source, *target, 1);
            out_ << cells(
                {escape(nodes[e.source].label), number(e.total, 4), number(e.direct, 4), number(e.indirect, 4),
                 paths.empty() ? ""
                               : escape(describe_path(in_.graph, paths.front())) + " <span class=\"small\">(" +
                                     number(paths.front().strength, 4) + ")</span>"});
        }
        out_ << "</tbody></table>\n";
        top_paths(*target);
        out_ << "</details>\n";
    }

    void top_paths(std::size_t target) {
        std::vector<ranked_path> all;
        for (const std::size_t source : effect_sources(in_.graph)) {
            auto paths = strongest_paths(in_.graph, source, target, 10);
            all.insert(all.end(), paths.begin(), paths.end());
        }
        std::stable_sort(all.begin(), all.end(), [](const ranked_path& a, const ranked_path& b) {
            return std::abs(a.strength) > std::abs(b.strength);
        });
        if (all.size() > 10) all.resize(10);
        out_ << table_open({"#", "Route to math", "Product of link weights"}, "The ten strongest routes to math");
        for (std::size_t i = 0; i < all.size(); ++i) {
            out_ << cells(
                {std::to_string(i + 1), escape(describe_path(in_.graph, all[i])), number(all[i].strength, 4)});
        }
        out_ << "</tbody></table>\n";
    }

    void sensitivity_section() {
        if (in_.sensitivity == nullptr && in_.sensitivity_problem.empty()) return;
        out_ << "<h2 id=\"sensitivity\">What the results are most sensitive to</h2>\n";
        if (in_.sensitivity == nullptr) {
            out_ << "<p>sensitivity.csv is in the results folder but could not be read: "
                 << escape(in_.sensitivity_problem) << "</p>\n";
            return;
        }
        out_ << "<p>Each bar moves one uncertain input from a low to a high value while every other input stays at its "
             << "middle value. Long bars are the assumptions that matter most; they are the ones to check first.</p>\n";
        std::map<std::string, std::vector<sensitivity_bar>> by_outcome;
        for (const sensitivity_bar& bar : *in_.sensitivity) by_outcome[bar.outcome].push_back(bar);
        std::size_t chart = 0;
        for (auto& [outcome, bars] : by_outcome) {
            std::stable_sort(bars.begin(), bars.end(), [](const sensitivity_bar& a, const sensitivity_bar& b) {
                return std::abs(a.high - a.low) > std::abs(b.high - b.low);
            });
            if (bars.size() > 15) bars.resize(15);
            std::vector<html::tornado_row> rows;
            for (const sensitivity_bar& bar : bars) rows.push_back({bar.input, bar.low, bar.high});
            const std::string what =
                outcome.empty() ? std::string("the projected result") : node_label(in_.graph, outcome);
            std::string description = "Tornado chart for " + what + ": ";
            for (std::size_t i = 0; i < std::min<std::size_t>(rows.size(), 3); ++i) {
                description += (i ? "; " : "") + rows[i].label + " moves it from " + number(rows[i].low, 4) + " to " +
                               number(rows[i].high, 4);
            }
            out_ << "<h3>" << escape(what) << "</h3>\n"
                 << html::tornado_svg(rows, bars.front().base, "tornado-" + std::to_string(chart++),
                                      "Sensitivity of " + what, description + ".", what);
        }
    }

    void provenance_section() {
        out_ << "<h2 id=\"sources\">Where the numbers come from</h2>\n<p>Every default number the projection used "
                "has a source and an evidence tag, listed behind the links below. Bracketed numbers link to the "
                "studies under "
             << "<a href=\"#references\">References</a>; web addresses are shown as text only.</p>\n";
        evidence_legend_list();
        behind_a_click("source-district", "District profile: the defaults and their sources",
                       [this] { district_provenance(); });
        behind_a_click("source-effect-model", "Effect model: its parameters and their sources",
                       [this] { effect_model_table(); });
        behind_a_click("source-model", "Theory of change: every link, its weight and its source",
                       [this] { model_provenance(); });
        behind_a_click("source-manifest", "How these results were made (manifest)", [this] { manifest_table(); });
        references_list();
    }

    /// A collapsed block a reader opens when they want the detail: `write` renders its content.
    template <class Write>
    void behind_a_click(const std::string& id, const std::string& summary, Write write) {
        out_ << "<details id=\"" << id << "\"><summary>" << escape(summary) << "</summary>\n";
        write();
        out_ << "</details>\n";
    }

    void evidence_legend_list() {
        out_ << "<ul class=\"small\">";
        for (const evidence_tag_meaning& e : evidence_tags) {
            out_ << "<li><strong>" << escape(e.tag) << "</strong>: " << escape(e.meaning) << "</li>";
        }
        out_ << "</ul>\n";
    }

    /// A source as the report shows it: the text, a link to each reference it cites, and its evidence
    /// tag with the tag's meaning on hover. References are numbered in the order the report first cites them.
    std::string sourced(const std::string& source, const std::string& evidence) {
        std::string html = escape(source);
        for (const reference* r : cited_references(source, references_)) {
            auto found = std::find(cited_.begin(), cited_.end(), r);
            if (found == cited_.end()) found = cited_.insert(cited_.end(), r);
            const std::string n = std::to_string(found - cited_.begin() + 1);
            html += " <a href=\"#ref-" + escape(r->id) + "\" title=\"" + escape(r->short_form) + "\">[" + n + "]</a>";
        }
        return html + " <span class=\"small\" title=\"" + escape(std::string(evidence_meaning(evidence))) + "\">(" +
               escape(evidence) + ")</span>";
    }

    void references_list() {
        out_ << "<h3 id=\"references\">References</h3>\n";
        if (cited_.empty()) {
            out_ << "<p>No source above cites a published study.</p>\n";
            return;
        }
        // A short citation each, in two columns; the full citation (to look the study up) opens on a click.
        out_ << "<ol class=\"references\">\n";
        for (const reference* r : cited_) {
            out_ << "<li id=\"ref-" << escape(r->id) << "\"><details><summary>" << escape(r->short_form) << "</summary>"
                 << escape(full_citation(*r));
            if (!r->note.empty()) out_ << " <span class=\"small\">" << escape(r->note) << "</span>";
            out_ << "</details></li>\n";
        }
        out_ << "</ol>\n";
    }

    void district_provenance() {
        if (in_.district == nullptr) return;
        const district_profile& d = *in_.district;
        out_ << "<h3>District profile: " << escape(d.name) << "</h3>\n"
             << table_open({"Value", "Number", "Source (evidence)"}, "District defaults");
        out_ << cells(
            {"Enrollment", number(d.enrollment.value, 0), sourced(d.enrollment.source, d.enrollment.evidence)});
        for (const auto& [name, v] : d.conditions) {
            out_ << cells(
                {escape(condition_label(in_.graph, name)), number(v.value, 2), sourced(v.source, v.evidence)});
        }
        for (const outcome_baseline& b : d.baselines) {
            std::string numbers = b.proficient ? number(*b.proficient * 100, 0) + "% proficient; " : std::string();
            for (std::size_t i = 0; i < b.offsets.size(); ++i) {
                numbers +=
                    (i ? ", " : "") + subgroup_label(b.offsets[i].first) + " " + number(b.offsets[i].second, 2, true);
            }
            out_ << cells({"Starting point: " + escape(node_label(in_.graph, b.node)) + " (SD offsets by group)",
                           escape(numbers), sourced(b.source, b.evidence)});
        }
        out_ << "</tbody></table>\n";
    }

    void model_provenance() {
        const auto& def = in_.graph.definition();
        out_ << "<h3>Model links: " << escape(def.name) << "</h3>\n"
             << table_open({"From", "To", "Kind", "Weight", "Plausible range", "Source (evidence)"},
                           "Every link of the theory of change (weight: SD of the target per unit of the source)");
        for (const model_edge& e : def.edges) {
            const bool has_range = e.range_low != 0.0 || e.range_high != 0.0;
            out_ << cells({escape(node_label(in_.graph, e.from)), escape(node_label(in_.graph, e.to)),
                           std::string(to_string(e.role)), number(e.weight, 3),
                           has_range ? number(e.range_low, 3) + " to " + number(e.range_high, 3) : "",
                           sourced(e.source, e.evidence)});
        }
        out_ << "</tbody></table>\n";
    }

    void manifest_table() {
        const run_manifest& m = in_.results.manifest;
        std::string command;
        for (const std::string& part : m.command_line) command += (command.empty() ? "" : " ") + part;
        out_ << "<h3>How these results were made (manifest)</h3>\n" << table_open({"Item", "Value"}, "Run manifest");
        out_ << cells({"pathways version", escape(m.pathways_version)})
             << cells({"build", "<span class=\"mono\">" + escape(m.build) + "</span>"})
             << cells({"command", "<span class=\"mono\">" + escape(command) + "</span>"})
             << cells({"effect model", escape(m.effect_model + " " + m.effect_model_version)})
             << cells({"random seed, draws, threads",
                       std::to_string(m.seed) + ", " + std::to_string(m.draws) + ", " + std::to_string(m.threads)})
             << cells({"small-group suppression",
                       m.suppression ? "on, groups under " + std::to_string(m.min_n) + " students hidden" : "OFF"})
             << cells({"population", number(m.students, 0) + " students in " + number(m.cells, 0) + " cells"});
        for (const manifest_input& input : m.inputs) {
            out_ << cells({"input: " + escape(input.role),
                           "<span class=\"mono\">" + escape(input.path) +
                               (input.sha256.empty() ? "" : "<br>sha256 " + escape(input.sha256)) + "</span>"});
        }
        for (const manifest_run& run : m.runs)
            out_ << cells({"run time: " + escape(run.name), number(run.seconds, 2) + " s"});
        for (const auto& [name, hash] : m.outputs) {
            out_ << cells({"output: " + escape(name), "<span class=\"mono\">sha256 " + escape(hash) + "</span>"});
        }
        out_ << "</tbody></table>\n";
    }

    const report_inputs& in_;
    std::vector<reference> references_;
    std::vector<const reference*> cited_;  ///< in the order the report first cites them
    std::vector<run_index> indexes_;
    std::vector<variant_kind> kinds_;  ///< per run: plan or assumption
    std::int64_t min_n_ = 16;
    std::ostringstream out_;
};

/// The first of `names` that the header has. Only whole names match: a part of a name would find
/// Sobol interval bounds (first_order_low) where a tornado value is meant.
std::optional<std::size_t> find_column(const std::vector<std::string>& header,
                                       std::initializer_list<std::string_view> names) {
    for (const std::string_view name : names) {
        const auto it = std::find(header.begin(), header.end(), name);
        if (it != header.end()) return static_cast<std::size_t>(it - header.begin());
    }
    return std::nullopt;
}

std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::optional<std::string> render_with_sensitivity(report_inputs inputs) {
    const auto file = inputs.results.folder / "sensitivity.csv";
    std::optional<std::vector<sensitivity_bar>> bars;
    if (std::filesystem::exists(file)) {
        diagnostics problems;
        bars = read_sensitivity_csv(file, problems);
        if (bars) inputs.sensitivity = &*bars;
        else if (!problems.items().empty()) inputs.sensitivity_problem = format_diagnostic(problems.items().front());
    }
    return render_html_report(inputs);
}

}  // namespace

std::optional<std::vector<sensitivity_bar>> read_sensitivity_csv(const std::filesystem::path& file, diagnostics& out) {
    const std::string name = file.string();
    if (!std::filesystem::is_regular_file(file)) {
        out.error(name, 0, 0, "",
                  "cannot read the file; expected a sensitivity table written by pathways sensitivity --out");
        return std::nullopt;
    }
    diagnostics found;
    const auto records = parse_csv(read_text(file), name, found);
    if (records.empty() || records.front().malformed) {
        found.error(name, 1, 1, "", "no header; expected a header naming input, low and high columns");
        out.append(found);
        return std::nullopt;
    }
    const auto& header = records.front().fields;
    // sensitivity.csv as pathways writes it first (its columns are defined once, in sensitivity_table.hpp),
    // then the names of tables made by hand or by other tools.
    namespace column = sensitivity_columns;
    const auto input = find_column(header, {column::input, "parameter", "name"});
    const auto low = find_column(header, {column::value_at_p05, "output_low", "low", "y_low"});
    const auto high = find_column(header, {column::value_at_p95, "output_high", "high", "y_high"});
    const auto outcome = find_column(header, {"outcome", "output"});
    const auto base = find_column(header, {"base", "central", "output_base", "baseline"});
    // Groups of inputs and what was held fixed have no tornado bar.
    const auto kind = find_column(header, {column::kind});
    if (!input || !low || !high) {
        found.error(name, 1, 1, "",
                    "header lacks an input, low or high column; expected e.g. input,value_at_p05,value_at_p95 as "
                    "pathways sensitivity writes them");
        out.append(found);
        return std::nullopt;
    }
    std::vector<sensitivity_bar> bars;
    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& fields = records[r].fields;
        if (records[r].malformed) continue;
        const auto field = [&](std::size_t column) { return column < fields.size() ? fields[column] : std::string(); };
        if (kind && field(*kind) != "input") continue;
        const auto low_value = parse_number(field(*low));
        const auto high_value = parse_number(field(*high));
        if (!low_value || !high_value) {
            found.error(name, records[r].line, 0, "", "low or high is not a number; expected numbers in both columns");
            continue;
        }
        bars.push_back({field(*input), outcome ? field(*outcome) : std::string(), *low_value, *high_value,
                        base ? parse_number(field(*base)) : std::nullopt});
    }
    const bool failed = found.has_errors();
    out.append(found);
    if (failed) return std::nullopt;
    return bars;
}

std::string render_html_report(const report_inputs& inputs) {
    report_writer writer(inputs);
    return writer.render();
}

std::optional<std::string> html_report_for_run(const results_folder& results, const scenario& spec,
                                               const district_profile& district, const model_graph& graph,
                                               const model_handle& model, const std::vector<labelled_run>* draws,
                                               const report_costs* costs) {
    return render_with_sensitivity({results, spec, &district, graph, &model, nullptr, {}, draws, costs});
}

std::optional<std::string> html_report_for_results(const results_folder& results, const plugin_registry& plugins,
                                                   const std::vector<labelled_run>* draws, diagnostics& out) {
    if (results.runs.empty()) return std::nullopt;
    // The inputs as the folder keeps them, when it does: the report then renders from the folder alone.
    const auto kept = [&](const char* role, const std::filesystem::path& otherwise) {
        const manifest_input* input = results.manifest.input(role);
        return input != nullptr && !input->copy.empty() ? results.folder / input->copy : otherwise;
    };
    const auto spec = read_scenario(kept("scenario", results.manifest.input("scenario")->path), "base", out);
    if (!spec) return std::nullopt;
    const auto district = read_district(kept("district", spec->district_path), out);
    const auto graph = load_model_graph(kept("model", spec->model_path), out);
    if (!district || !graph) return std::nullopt;
    const model_handle* model = plugins.find(results.runs.front().model);
    return render_with_sensitivity({results, *spec, &*district, *graph, model, nullptr, {}, draws, nullptr});
}

}  // namespace pathways
