#include "report/projection_writer.hpp"

#include "common/text_safety.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace pathways {
namespace {

constexpr const char* not_for_release = "NOT FOR PUBLIC RELEASE: small-group suppression is off";

const std::string& subgroup_name(const table_context& context, const metric_row& row) {
    return context.sim->subgroups()[row.subgroup].group.name;
}

const std::string& outcome_name(const table_context& context, const metric_row& row) {
    return context.sim->outcomes()[row.outcome].id;
}

std::string padded(std::string text, std::size_t width) {
    if (text.size() < width) text.append(width - text.size(), ' ');
    return text;
}

std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%+.*f", decimals, value);
    return buffer;
}

std::string interval(const stats::summary& s, int decimals) {
    return fixed(s.mean, decimals) + " [" + fixed(s.p05, decimals) + ", " + fixed(s.p95, decimals) + "]";
}

}  // namespace

std::string format_value(double value) {
    if (!std::isfinite(value)) return "";
    // Means of SD-scale values carry summation residue around 1e-15; written as is, a business-as-usual
    // level of exactly zero would read as -1.14722e-15.
    constexpr double residue = 1e-12;
    if (std::abs(value) < residue) return "0";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.6g", value);
    std::string text = buffer;
    return text == "-0" ? "0" : text;
}

std::string json_quote(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
                    out += buffer;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

std::string csv_field(std::string_view text) { return csv_text_field(text); }

std::string projection_csv_header() {
    return "scenario,variant,model,year,subgroup,outcome,metric,reference,mean,sd,p05,p50,p95,prob_positive,"
           "n_students,suppressed";
}

std::string projection_csv_rows(const projection_result& result, const table_context& context) {
    std::string out;
    const std::string prefix =
        csv_field(context.scenario) + "," + csv_field(context.variant) + "," + csv_field(context.model) + ",";
    for (std::size_t i = 0; i < result.rows.size(); ++i) {
        const metric_row& row = result.rows[i];
        const stats::summary& s = result.summaries[i];
        out += prefix + std::to_string(context.start_year + row.year) + "," + csv_field(subgroup_name(context, row)) + "," +
               csv_field(outcome_name(context, row)) + "," + std::string(to_string(row.metric)) + "," +
               csv_field(row.reference) + ",";
        if (row.suppressed) {
            out += ",,,,,,,1\n";
            continue;
        }
        out += format_value(s.mean) + "," + format_value(s.sd) + "," + format_value(s.p05) + "," + format_value(s.p50) +
               "," + format_value(s.p95) + "," + format_value(s.prob_positive) + "," + format_value(row.students) + ",0\n";
    }
    return out;
}

std::string projection_json(const projection_result& result, const table_context& context) {
    std::ostringstream out;
    out << "{\n  \"scenario\": " << json_quote(context.scenario) << ",\n  \"variant\": " << json_quote(context.variant)
        << ",\n  \"model\": " << json_quote(context.model) << ",\n  \"draws\": " << result.draws
        << ",\n  \"suppression\": " << (context.suppression ? "true" : "false");
    if (!context.suppression) out << ",\n  \"release\": " << json_quote(not_for_release);
    out << ",\n  \"rows\": [";
    for (std::size_t i = 0; i < result.rows.size(); ++i) {
        const metric_row& row = result.rows[i];
        const stats::summary& s = result.summaries[i];
        const auto number = [&](double v) { return row.suppressed ? std::string("null") : format_value(v); };
        out << (i == 0 ? "\n" : ",\n") << "    {\"year\": " << context.start_year + row.year
            << ", \"subgroup\": " << json_quote(subgroup_name(context, row))
            << ", \"outcome\": " << json_quote(outcome_name(context, row))
            << ", \"metric\": " << json_quote(to_string(row.metric)) << ", \"reference\": " << json_quote(row.reference)
            << ", \"mean\": " << number(s.mean) << ", \"sd\": " << number(s.sd) << ", \"p05\": " << number(s.p05)
            << ", \"p50\": " << number(s.p50) << ", \"p95\": " << number(s.p95)
            << ", \"prob_positive\": " << number(s.prob_positive) << ", \"n_students\": " << number(row.students)
            << ", \"suppressed\": " << (row.suppressed ? "true" : "false") << "}";
    }
    out << "\n  ]\n}\n";
    return out.str();
}

std::string projection_summary(const projection_result& result, const table_context& context) {
    const int last_year = context.sim->years() - 1;
    std::map<std::pair<std::size_t, std::size_t>, std::map<metric, std::size_t>> final_rows;
    for (std::size_t i = 0; i < result.rows.size(); ++i) {
        const metric_row& row = result.rows[i];
        if (row.year == last_year) final_rows[{row.outcome, row.subgroup}][row.metric] = i;
    }
    std::ostringstream out;
    out << context.scenario << " — variant '" << context.variant << "', effect model '" << context.model << "'\n";
    out << "Year " << context.start_year + last_year << ", effect vs business as usual: mean [90% interval] over "
        << result.draws << (result.draws == 1 ? " run" : " draws") << "\n";
    if (!context.suppression) out << not_for_release << "\n";
    std::size_t current_outcome = static_cast<std::size_t>(-1);
    for (const auto& [key, metrics] : final_rows) {
        const auto [outcome, subgroup] = key;
        const reported_outcome& info = context.sim->outcomes()[outcome];
        // Academic outcomes are shown for every subgroup; the others for the whole district only,
        // so the summary stays readable (every row is in the CSV and JSON).
        if (!info.academic && context.sim->subgroups()[subgroup].group.name != "all") continue;
        if (outcome != current_outcome) {
            out << "\n" << info.id << (info.academic ? "  (effect SD | percentile pts | proficient pp | gap change SD)" : "  (effect SD)") << "\n";
            current_outcome = outcome;
        }
        const std::size_t effect_row = metrics.at(metric::effect);
        std::string line = "  " + padded(context.sim->subgroups()[subgroup].group.name, 22);
        if (result.rows[effect_row].suppressed) {
            out << line << "suppressed (fewer than min_n students)\n";
            continue;
        }
        line += padded(interval(result.summaries[effect_row], 3), 28);
        if (const auto it = metrics.find(metric::percentile_shift); it != metrics.end()) {
            line += padded(fixed(result.summaries[it->second].mean, 1) + " pts", 12);
        }
        if (const auto it = metrics.find(metric::proficient_change); it != metrics.end()) {
            line += padded(fixed(result.summaries[it->second].mean, 1) + " pp", 11);
        }
        if (const auto gap = metrics.find(metric::gap_sd); gap != metrics.end() && !result.rows[gap->second].suppressed) {
            const auto bau = metrics.at(metric::gap_sd_bau);
            line += "gap vs " + result.rows[gap->second].reference + " " +
                    fixed(result.summaries[gap->second].mean - result.summaries[bau].mean, 3);
        }
        out << line << "\n";
    }
    return out.str();
}

}  // namespace pathways
