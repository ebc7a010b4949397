#include "scenario/observed_reader.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <tuple>

#include "common/csv.hpp"
#include "common/subgroup.hpp"
#include "common/text_format.hpp"
#include "scenario/csv_text.hpp"
#include "scenario/json_reader.hpp"

namespace pathways {

double observed_cell::standard_error() const { return se ? *se : 1.0 / std::sqrt(static_cast<double>(n)); }

namespace {

enum class column : std::size_t { subgroup, year, outcome, mean, n, se, school, note };
constexpr std::size_t column_count = 8;
constexpr std::size_t first_optional_column = static_cast<std::size_t>(column::se);

const std::vector<std::string>& column_names() {
    static const std::vector<std::string> names{"subgroup", "year", "outcome", "mean", "n", "se", "school", "note"};
    return names;
}

using csv_text::field_columns;
using csv_text::lines_of;
using csv_text::trim;
using csv_text::without_comments;

std::string quoted_list(const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& name : names) text += (text.empty() ? "'" : ", '") + name + "'";
    return text;
}

using column_index = std::array<std::optional<std::size_t>, column_count>;

class observed_parser {
public:
    observed_parser(std::string_view text, const std::string& file, const observed_context& context, diagnostics& found)
        : lines_(lines_of(text)), file_(file), context_(context), found_(found) {}

    observed_data read(const std::vector<csv_record>& records) {
        observed_data data{file_, {}};
        if (records.empty() || records.front().malformed) {
            found_.error(file_, records.empty() ? 1 : records.front().line, 1, "",
                         "no header; expected a header row 'subgroup,year,outcome,mean,n,se'");
            return data;
        }
        const column_index index = read_header(records.front());
        if (std::any_of(index.begin(), index.begin() + first_optional_column, [](const auto& c) { return !c; })) {
            return data;  // every row would repeat the header's problem
        }
        for (std::size_t r = 1; r < records.size(); ++r) {
            if (records[r].malformed) continue;
            if (auto cell = read_row(records[r], index, records.front().fields.size())) {
                data.cells.push_back(std::move(*cell));
            }
        }
        if (records.size() == 1) {
            found_.error(file_, records.front().line, 1, "",
                         "no observed cells; expected at least one row after the header");
        }
        return data;
    }

private:
    column_index read_header(const csv_record& header) {
        column_index index;
        const std::vector<std::size_t> at = columns_of(header);
        for (std::size_t i = 0; i < header.fields.size(); ++i) {
            const std::string name(trim(header.fields[i]));
            const auto known = std::find(column_names().begin(), column_names().end(), name);
            const std::size_t column = at[std::min(i, at.size() - 1)];
            if (known == column_names().end()) {
                error(header.line, column, name,
                      "unknown column; expected subgroup, year, outcome, mean, n and optionally se, school, note" +
                          did_you_mean(name, column_names()));
            } else if (auto& slot = index[static_cast<std::size_t>(known - column_names().begin())]; slot) {
                error(header.line, column, name, "appears twice in the header; expected each column once");
            } else {
                slot = i;
            }
        }
        for (std::size_t c = 0; c < first_optional_column; ++c) {
            if (!index[c]) error(header.line, 1, column_names()[c], "required column is missing from the header");
        }
        return index;
    }

    std::optional<observed_cell> read_row(const csv_record& record, const column_index& index, std::size_t width) {
        if (record.fields.size() != width) {
            found_.error(file_, record.line, 1, "",
                         "row has " + std::to_string(record.fields.size()) + " fields; expected " +
                             std::to_string(width) + ", one per header column");
            return std::nullopt;
        }
        const std::size_t errors_before = found_.items().size();
        const std::vector<std::size_t> at = columns_of(record);
        const auto field = [&](column c) -> std::pair<std::string_view, std::size_t> {
            const auto i = index[static_cast<std::size_t>(c)];
            if (!i) return {{}, 1};
            return {trim(record.fields[*i]), at[std::min(*i, at.size() - 1)]};
        };
        observed_cell cell;
        cell.where = {file_, record.line, 1, ""};
        read_subgroup(field(column::subgroup), record.line, cell);
        read_year(field(column::year), record.line, cell);
        read_outcome(field(column::outcome), record.line, cell);
        read_mean(field(column::mean), record.line, cell);
        read_n(field(column::n), record.line, cell);
        read_se(field(column::se), record.line, cell);
        check_school(field(column::school), record.line);
        if (found_.items().size() != errors_before) return std::nullopt;
        check_unique(cell);
        return cell;
    }

    void read_subgroup(std::pair<std::string_view, std::size_t> f, std::size_t line, observed_cell& cell) {
        std::string problem;
        if (const auto group = parse_subgroup(f.first, problem)) cell.subgroup = group->name;
        else error(line, f.second, "subgroup", problem);
    }

    void read_year(std::pair<std::string_view, std::size_t> f, std::size_t line, observed_cell& cell) {
        const auto value = parse_number(f.first);
        const std::string horizon = "expected a year of the scenario's horizon, " +
                                    std::to_string(context_.first_year) + " to " + std::to_string(context_.last_year);
        if (!value || *value != std::floor(*value) || std::fabs(*value) > 1e6) {
            error(line, f.second, "year", "'" + std::string(f.first) + "' is not a whole year; " + horizon);
            return;
        }
        cell.year = static_cast<int>(*value);
        if (context_.scenario_known && (cell.year < context_.first_year || cell.year > context_.last_year)) {
            error(line, f.second, "year", std::to_string(cell.year) + " is outside the projection; " + horizon);
        }
    }

    void read_outcome(std::pair<std::string_view, std::size_t> f, std::size_t line, observed_cell& cell) {
        cell.outcome = std::string(f.first);
        if (!context_.scenario_known) {
            if (cell.outcome.empty()) error(line, f.second, "outcome", "is empty; expected an outcome node id");
            return;
        }
        if (std::find(context_.outcomes.begin(), context_.outcomes.end(), cell.outcome) != context_.outcomes.end()) {
            return;
        }
        error(line, f.second, "outcome",
              "'" + cell.outcome + "' is not an outcome of model '" + context_.model + "'; expected one of " +
                  quoted_list(context_.outcomes) + did_you_mean(cell.outcome, context_.outcomes));
    }

    void read_mean(std::pair<std::string_view, std::size_t> f, std::size_t line, observed_cell& cell) {
        if (const auto value = parse_number(f.first)) {
            cell.mean = *value;
            return;
        }
        error(line, f.second, "mean",
              "'" + std::string(f.first) +
                  "' is not a number; expected the observed mean in the outcome's units, as projection.csv reports "
                  "its level (e.g. -0.12)");
    }

    void read_n(std::pair<std::string_view, std::size_t> f, std::size_t line, observed_cell& cell) {
        const auto value = parse_number(f.first);
        if (!value || *value != std::floor(*value) || *value < 1 || *value > 1e9) {
            error(line, f.second, "n",
                  "'" + std::string(f.first) + "' is not a student count; expected a whole number from 1 to 1e9");
            return;
        }
        cell.n = static_cast<long long>(*value);
    }

    void read_se(std::pair<std::string_view, std::size_t> f, std::size_t line, observed_cell& cell) {
        if (f.first.empty()) return;
        const auto value = parse_number(f.first);
        // A mean's standard error in SD units is at least about 1/sqrt(students); below 1e-6 it would claim
        // more precision than any district's enrollment gives and overflow the fit's weights (1/se^2).
        if (!value || *value < 1e-6 || *value > 10.0) {
            error(line, f.second, "se",
                  "'" + std::string(f.first) +
                      "' is not a standard error from 1e-06 to 10 SD; expected the mean's standard error, or blank for "
                      "1/sqrt(n)");
            return;
        }
        cell.se = *value;
    }

    void check_school(std::pair<std::string_view, std::size_t> f, std::size_t line) {
        if (f.first.empty()) return;
        error(line, f.second, "school",
              "'" + std::string(f.first) +
                  "': school-level cells are not supported, since pathways projects the district and its subgroups; "
                  "expected a blank school (a district-level row)");
    }

    void check_unique(const observed_cell& cell) {
        const auto key = std::make_tuple(cell.subgroup, cell.year, cell.outcome);
        const auto [at, inserted] = seen_.emplace(key, cell.where.line);
        if (inserted) return;
        found_.error(file_, cell.where.line, 1, "",
                     "the cell " + cell.subgroup + ", " + std::to_string(cell.year) + ", " + cell.outcome +
                         " is also on line " + std::to_string(at->second) +
                         "; expected one row per subgroup, year and outcome");
    }

    std::vector<std::size_t> columns_of(const csv_record& record) const {
        if (record.line >= lines_.size()) return {1};
        return field_columns(lines_[record.line]);
    }

    void error(std::size_t line, std::size_t column, std::string_view name, const std::string& message) {
        found_.error(file_, line, column, "", "column '" + std::string(name) + "': " + message);
    }

    std::vector<std::string_view> lines_;
    const std::string& file_;
    const observed_context& context_;
    diagnostics& found_;
    std::map<std::tuple<std::string, int, std::string>, std::size_t> seen_;
};

}  // namespace

std::optional<observed_data> read_observed_text(std::string_view text, const std::string& file,
                                                const observed_context& context, diagnostics& out) {
    diagnostics found;
    constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";
    if (text.starts_with(byte_order_mark)) text.remove_prefix(byte_order_mark.size());
    const std::string content = without_comments(text);
    const std::vector<csv_record> records = parse_csv(content, file, found);
    observed_parser parser(content, file, context, found);
    observed_data data = parser.read(records);
    const bool failed = found.has_errors();
    found.sort();
    out.append(found);
    if (failed) return std::nullopt;
    return data;
}

bool is_observed_csv(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);
        if (trim(line).empty() || trim(line).starts_with('#')) continue;
        diagnostics ignored;
        const auto records = parse_csv(line, "", ignored);
        if (records.empty()) return false;
        const auto& fields = records.front().fields;
        const auto has = [&](std::string_view name) {
            return std::any_of(fields.begin(), fields.end(), [&](const std::string& f) { return trim(f) == name; });
        };
        return has("subgroup") && has("outcome");
    }
    return false;
}

std::optional<observed_data> read_observed_csv(const std::filesystem::path& path, const observed_context& context,
                                               diagnostics& out) {
    const auto text = json::read_text(path, out, max_observed_csv_bytes, "comma-separated observed-data");
    if (!text) return std::nullopt;
    return read_observed_text(*text, path.string(), context, out);
}

}  // namespace pathways
