#include "scenario/ratings_reader.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "common/csv.hpp"
#include "common/text_format.hpp"
#include "scenario/csv_text.hpp"
#include "scenario/json_reader.hpp"
#include "scenario/rubric_reader.hpp"

namespace pathways {

std::string_view to_string(rater_kind rater) {
    switch (rater) {
        case rater_kind::self: return "self";
        case rater_kind::coach: return "coach";
        case rater_kind::walkthrough: return "walkthrough";
    }
    return "self";
}

const std::vector<std::string>& rater_names() {
    static const std::vector<std::string> names{"self", "coach", "walkthrough"};
    return names;
}

namespace {

using csv_text::trim;

enum class column : std::size_t { school, year, driver, stage, rater, classrooms, note };
constexpr std::size_t column_count = 7;

const std::vector<std::string>& column_names() {
    static const std::vector<std::string> names{"school", "year", "driver", "stage", "rater", "classrooms", "note"};
    return names;
}

bool required(column c, const ratings_context& context) {
    return c == column::school || c == column::year || c == column::driver || c == column::stage ||
           (c == column::rater && context.rater_required);
}

using column_index = std::array<std::optional<std::size_t>, column_count>;
using field = std::pair<std::string_view, std::size_t>;  ///< text and its 1-based column

std::string stage_list(const rubric_continuum& continuum) {
    std::string names;
    for (const rubric_stage& stage : continuum.stages) names += (names.empty() ? "" : ", ") + stage.name;
    return names;
}

class ratings_parser {
public:
    ratings_parser(std::string_view text, const std::string& file, const ratings_context& context, diagnostics& found)
        : lines_(csv_text::lines_of(text)), file_(file), context_(context), found_(found) {
        for (const model_node& node : context.model->nodes) {
            if (context.model->rubric && context.model->rubric->continuum_of(node.kind)) rated_.push_back(&node);
        }
        for (const model_node* node : rated_) rated_ids_.push_back(node->id);
    }

    ratings_data read(const std::vector<csv_record>& records) {
        ratings_data data{file_, {}};
        if (rated_.empty()) {
            found_.error(file_, 1, 1, "",
                         "model '" + context_.model->id +
                             "' has no rubric to rate against; expected a model whose file has a rubric");
            return data;
        }
        if (records.empty() || records.front().malformed) {
            found_.error(file_, records.empty() ? 1 : records.front().line, 1, "",
                         "no header; expected a header row 'school,year,driver,stage,rater'");
            return data;
        }
        const column_index index = read_header(records.front());
        for (std::size_t c = 0; c < column_count; ++c) {
            if (required(static_cast<column>(c), context_) && !index[c]) return data;
        }
        for (std::size_t r = 1; r < records.size(); ++r) {
            if (records[r].malformed) continue;
            if (auto row = read_row(records[r], index, records.front().fields.size())) data.rows.push_back(*row);
        }
        if (records.size() == 1) {
            found_.error(file_, records.front().line, 1, "", "no ratings; expected at least one row after the header");
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
            const std::size_t col = at[std::min(i, at.size() - 1)];
            if (known == column_names().end()) {
                error(header.line, col, name,
                      "unknown column; expected school, year, driver, stage, rater and optionally classrooms, note" +
                          did_you_mean(name, column_names()));
            } else if (auto& slot = index[static_cast<std::size_t>(known - column_names().begin())]; slot) {
                error(header.line, col, name, "appears twice in the header; expected each column once");
            } else {
                slot = i;
            }
        }
        for (std::size_t c = 0; c < column_count; ++c) {
            if (required(static_cast<column>(c), context_) && !index[c])
                error(header.line, 1, column_names()[c], "required column is missing from the header");
        }
        return index;
    }

    std::optional<school_rating> read_row(const csv_record& record, const column_index& index, std::size_t width) {
        if (record.fields.size() != width) {
            found_.error(file_, record.line, 1, "",
                         fmt::format("row has {} fields; expected {}, one per header column", record.fields.size(),
                                     width));
            return std::nullopt;
        }
        const std::size_t errors_before = found_.items().size();
        const std::vector<std::size_t> at = columns_of(record);
        const auto get = [&](column c) -> field {
            const auto i = index[static_cast<std::size_t>(c)];
            if (!i) return {{}, 1};
            return {trim(record.fields[*i]), at[std::min(*i, at.size() - 1)]};
        };
        school_rating row;
        row.where = {file_, record.line, 1, ""};
        read_school(get(column::school), row);
        read_year(get(column::year), row);
        const model_node* node = read_driver(get(column::driver), row);
        if (node) read_stage(get(column::stage), *node, row);
        read_rater(get(column::rater), row);
        read_classrooms(get(column::classrooms), row);
        if (found_.items().size() != errors_before) return std::nullopt;
        check_unique(row);
        return row;
    }

    void read_school(field f, school_rating& row) {
        row.school = std::string(f.first);
        if (row.school.empty()) {
            error(row.where.line, f.second, "school", "is empty; expected a school_id of the district");
            return;
        }
        if (!context_.schools_known ||
            std::find(context_.schools.begin(), context_.schools.end(), row.school) != context_.schools.end()) {
            return;
        }
        error(row.where.line, f.second, "school",
              "'" + row.school + "' is not a school of the district; expected a school_id of " +
                  context_.district_file + did_you_mean(row.school, context_.schools));
    }

    void read_year(field f, school_rating& row) {
        const auto value = parse_number(f.first);
        if (!value || *value != std::floor(*value) || *value < 1900 || *value > 2200) {
            error(row.where.line, f.second, "year",
                  "'" + std::string(f.first) + "' is not a year; expected a whole year from 1900 to 2200");
            return;
        }
        row.year = static_cast<int>(*value);
    }

    const model_node* read_driver(field f, school_rating& row) {
        const std::string key = normalized_stage_name(f.first);
        for (const model_node* node : rated_) {
            if (node->id == f.first || normalized_stage_name(node->label) == key) {
                row.node = node->id;
                return node;
            }
        }
        error(row.where.line, f.second, "driver",
              "'" + std::string(f.first) + "' is no practice or driver of model '" + context_.model->id +
                  "'; expected a foundational practice or secondary driver by id or label (pathways rubric "
                  "lists them)" +
                  did_you_mean(f.first, rated_ids_));
        return nullptr;
    }

    void read_stage(field f, const model_node& node, school_rating& row) {
        const rubric_continuum& continuum = *context_.model->rubric->continuum_of(node.kind);
        if (const auto level = stage_level(continuum, f.first)) {
            row.level = *level;
            return;
        }
        const auto number = parse_number(f.first);
        const std::string what = number ? "is out of range" : "is no stage of " + node.id;
        error(row.where.line, f.second, "stage",
              "'" + std::string(f.first) + "' " + what + "; expected a stage name (" + stage_list(continuum) +
                  ") or a number from 0 to 3");
    }

    void read_rater(field f, school_rating& row) {
        if (f.first.empty() && !context_.rater_required) return;
        const auto& names = rater_names();
        const auto found = std::find(names.begin(), names.end(), normalized_stage_name(f.first));
        if (found != names.end()) {
            row.rater = static_cast<rater_kind>(found - names.begin());
            return;
        }
        error(row.where.line, f.second, "rater",
              "'" + std::string(f.first) + "' is no rater; expected self, coach or walkthrough" +
                  did_you_mean(f.first, names));
    }

    void read_classrooms(field f, school_rating& row) {
        if (f.first.empty()) return;
        const auto value = parse_number(f.first);
        if (!value || *value != std::floor(*value) || *value < 1 || *value > 1e6) {
            error(row.where.line, f.second, "classrooms",
                  "'" + std::string(f.first) +
                      "' is not a count of classrooms; expected a whole number from 1 to 1e6, or blank");
            return;
        }
        row.classrooms = static_cast<long long>(*value);
    }

    void check_unique(const school_rating& row) {
        const std::string rater = row.rater ? std::string(to_string(*row.rater)) : "";
        const auto key = std::make_tuple(row.school, row.year, row.node, rater);
        const auto [at, inserted] = seen_.emplace(key, row.where.line);
        if (inserted) return;
        found_.error(file_, row.where.line, 1, "",
                     fmt::format("duplicate row: {} {} {}{} is also on line {}; expected one rating per school, year, "
                                 "driver and rater",
                                 row.school, row.year, row.node, rater.empty() ? "" : " by " + rater, at->second));
    }

    std::vector<std::size_t> columns_of(const csv_record& record) const {
        if (record.line >= lines_.size()) return {1};
        return csv_text::field_columns(lines_[record.line]);
    }

    void error(std::size_t line, std::size_t col, std::string_view name, const std::string& message) {
        found_.error(file_, line, col, "", "column '" + std::string(name) + "': " + message);
    }

    std::vector<std::string_view> lines_;
    const std::string& file_;
    const ratings_context& context_;
    diagnostics& found_;
    std::vector<const model_node*> rated_;
    std::vector<std::string> rated_ids_;
    std::map<std::tuple<std::string, int, std::string, std::string>, std::size_t> seen_;
};

}  // namespace

std::optional<ratings_data> read_ratings_text(std::string_view text, const std::string& file,
                                              const ratings_context& context, diagnostics& out) {
    diagnostics found;
    constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";
    if (text.starts_with(byte_order_mark)) text.remove_prefix(byte_order_mark.size());
    const std::string content = csv_text::without_comments(text);
    const std::vector<csv_record> records = parse_csv(content, file, found);
    ratings_parser parser(content, file, context, found);
    ratings_data data = parser.read(records);
    const bool failed = found.has_errors();
    found.sort();
    out.append(found);
    if (failed) return std::nullopt;
    return data;
}

std::optional<ratings_data> read_ratings_csv(const std::filesystem::path& path, const ratings_context& context,
                                             diagnostics& out) {
    const auto text = json::read_text(path, out, max_ratings_csv_bytes, "comma-separated ratings");
    if (!text) return std::nullopt;
    return read_ratings_text(*text, path.string(), context, out);
}

bool is_ratings_csv(const std::filesystem::path& path) {
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
        return has("school") && has("driver") && has("stage");
    }
    return false;
}

}  // namespace pathways
