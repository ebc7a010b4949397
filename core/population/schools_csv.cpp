#include "population/schools_csv.hpp"
#include "common/text_safety.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <system_error>
#include <unordered_map>

#include "common/csv.hpp"

namespace pathways {
namespace {

enum class column : std::size_t {
    school_id,
    name,
    level,
    enrollment,
    share_hispanic,  // the seven race columns follow sdk::race order
    share_black,
    share_white,
    share_asian,
    share_multiracial,
    share_american_indian,
    share_pacific_islander,
    share_ell,
    share_exited_ell,
    share_frl,
    share_sped,
    spf,
    tags,
    start_level,
    academic_optimism,
    value_feasibility_gap,
};
constexpr std::size_t column_count = 20;
constexpr std::size_t first_optional_column = static_cast<std::size_t>(column::spf);

const std::vector<std::string>& column_names() {
    static const std::vector<std::string> names{"school_id",
                                                "name",
                                                "level",
                                                "enrollment",
                                                "share_hispanic",
                                                "share_black",
                                                "share_white",
                                                "share_asian",
                                                "share_multiracial",
                                                "share_american_indian",
                                                "share_pacific_islander",
                                                "share_ell",
                                                "share_exited_ell",
                                                "share_frl",
                                                "share_sped",
                                                "spf",
                                                "tags",
                                                "start_level",
                                                "academic_optimism",
                                                "value_feasibility_gap"};
    return names;
}

const std::vector<std::string>& spf_colours() {
    static const std::vector<std::string> colours{"green", "yellow", "red", "blue", "orange"};
    return colours;
}

std::string_view name_of(column c) { return column_names()[static_cast<std::size_t>(c)]; }

column race_column(std::size_t race) {
    return static_cast<column>(static_cast<std::size_t>(column::share_hispanic) + race);
}

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

std::string format_number(double value) { return shortest_number(value); }

// Position of each known column in the header; empty where the header lacks it.
using column_index = std::array<std::optional<std::size_t>, column_count>;

class header_reader {
public:
    header_reader(const csv_record& header, const std::string& file, diagnostics& found)
        : header_(header), file_(file), found_(found) {}

    column_index read() {
        column_index index;
        // A spreadsheet saved with a semicolon list separator gives one long column; say so once
        // instead of reporting it as an unknown column and every required column as missing.
        if (header_.fields.size() == 1 && header_.fields.front().find(';') != std::string::npos) {
            found_.error(file_, header_.line, 0, "",
                         "the file looks semicolon-separated; expected commas between columns, as in "
                         "'school_id,name,level,enrollment,...'");
            return index;
        }
        for (std::size_t i = 0; i < header_.fields.size(); ++i) {
            const std::string_view name = trim(header_.fields[i]);
            const auto known = find_column(name);
            if (!known) {
                report(name, "unknown column" + did_you_mean(name, column_names()));
            } else if (index[*known]) {
                report(name, "appears twice in the header");
            } else {
                index[*known] = i;
            }
        }
        for (std::size_t c = 0; c < first_optional_column; ++c) {
            if (!index[c]) report(column_names()[c], "required column is missing from the header");
        }
        return index;
    }

private:
    static std::optional<std::size_t> find_column(std::string_view name) {
        const auto& names = column_names();
        for (std::size_t c = 0; c < names.size(); ++c) {
            if (names[c] == name) return c;
        }
        return std::nullopt;
    }

    void report(std::string_view name, const std::string& message) {
        found_.error(file_, header_.line, 0, "", "column " + std::string(name) + ": " + message);
    }

    const csv_record& header_;
    const std::string& file_;
    diagnostics& found_;
};

// Validates one data row; every problem is reported and makes the row invalid.
class row_reader {
public:
    row_reader(const csv_record& record, const column_index& index, const std::string& file, diagnostics& found)
        : record_(record), index_(index), file_(file), found_(found) {}

    std::optional<school> read() {
        school s;
        s.where.file = file_;
        s.where.line = record_.line;
        s.id = std::string(text(column::school_id).value_or(""));
        if (index_[static_cast<std::size_t>(column::school_id)] && s.id.empty()) {
            report(column::school_id, "is empty; expected a school id");
        }
        s.name = std::string(text(column::name).value_or(""));
        read_level(s);
        read_enrollment(s);
        read_race_shares(s);
        read_language_shares(s);
        s.frl_share = share(column::share_frl).value_or(0.0);
        s.sped_share = share(column::share_sped).value_or(0.0);
        read_spf(s);
        read_tags(s);
        read_optional_values(s);
        if (failed_) return std::nullopt;
        return s;
    }

private:
    void report(column c, const std::string& message) {
        failed_ = true;
        found_.error(file_, record_.line, 0, "", "column " + std::string(name_of(c)) + ": " + message);
    }

    // The trimmed field, or nullopt when the header lacks the column (reported there).
    std::optional<std::string_view> text(column c) {
        const auto& at = index_[static_cast<std::size_t>(c)];
        if (!at) {
            failed_ = true;
            return std::nullopt;
        }
        return trim(record_.fields[*at]);
    }

    std::optional<double> parse_number(column c, std::string_view field) {
        double value = 0.0;
        const char* end = field.data() + field.size();
        const auto [stop, error] = std::from_chars(field.data(), end, value);
        if (error == std::errc::result_out_of_range) {
            report(c, "number '" + std::string(field) + "' is out of range");
            return std::nullopt;
        }
        if (error != std::errc() || stop != end) {
            report(c, "expected a number, got '" + std::string(field) + "'");
            return std::nullopt;
        }
        if (!std::isfinite(value)) {
            report(c, "expected a finite number, got '" + std::string(field) + "'");
            return std::nullopt;
        }
        return value;
    }

    std::optional<double> required_number(column c) {
        const auto field = text(c);
        if (!field) return std::nullopt;
        if (field->empty()) {
            report(c, "is empty; expected a number");
            return std::nullopt;
        }
        return parse_number(c, *field);
    }

    std::optional<double> share(column c) {
        const auto value = required_number(c);
        if (!value) return std::nullopt;
        if (*value < 0.0 || *value > 1.0) {
            report(c, "share " + format_number(*value) + " is outside 0..1");
            return std::nullopt;
        }
        return value;
    }

    // Blank or absent means "use the profile default"; anything else must be a finite number.
    std::optional<double> optional_number(column c) {
        const auto& at = index_[static_cast<std::size_t>(c)];
        if (!at) return std::nullopt;
        const std::string_view field = trim(record_.fields[*at]);
        if (field.empty()) return std::nullopt;
        return parse_number(c, field);
    }

    void read_level(school& s) {
        const auto field = text(column::level);
        if (!field) return;
        if (const auto level = school_level_from_string(*field)) {
            s.level = *level;
            return;
        }
        const std::string expected = "expected elementary, middle, high or k8";
        if (field->empty()) {
            report(column::level, "is empty; " + expected);
        } else {
            report(column::level, "unknown level '" + std::string(*field) + "'; " + expected +
                                      did_you_mean(*field, school_level_names()));
        }
    }

    void read_enrollment(school& s) {
        const auto value = required_number(column::enrollment);
        if (!value) return;
        // Range first: converting a double beyond int64 to an integer is undefined behaviour.
        const char* problem = nullptr;
        if (*value < 0.0) {
            problem = " is negative";
        } else if (*value > max_school_enrollment) {
            problem = " is too large";
        } else if (std::floor(*value) != *value) {
            problem = " is not a whole number";
        } else if (*value < 1.0) {
            problem = " students is too few";
        }
        if (problem != nullptr) {
            report(column::enrollment,
                   format_number(*value) + problem + "; expected a whole number of students from 1 to 1000000000");
            return;
        }
        s.enrollment = static_cast<std::int64_t>(*value);
    }

    void read_race_shares(school& s) {
        bool complete = true;
        double sum = 0.0;
        for (std::size_t r = 0; r < s.race_shares.size(); ++r) {
            const auto value = share(race_column(r));
            complete = complete && value.has_value();
            s.race_shares[r] = value.value_or(0.0);
            sum += s.race_shares[r];
        }
        if (complete && std::abs(sum - 1.0) > 0.01) {
            failed_ = true;
            found_.error(file_, record_.line, 0, "",
                         "column share_*: race shares sum to " + format_number(sum) + "; expected 1 (within 0.01)");
        }
    }

    void read_language_shares(school& s) {
        const auto ell = share(column::share_ell);
        const auto exited = share(column::share_exited_ell);
        s.ell_share = ell.value_or(0.0);
        s.exited_ell_share = exited.value_or(0.0);
        if (ell && exited && *ell + *exited > 1.0 + 1e-9) {
            report(column::share_exited_ell,
                   "share_ell + share_exited_ell = " + format_number(*ell + *exited) + "; expected at most 1");
        }
    }

    void read_spf(school& s) {
        const auto& at = index_[static_cast<std::size_t>(column::spf)];
        if (!at) return;
        const std::string_view field = trim(record_.fields[*at]);
        if (field.empty()) return;
        const auto& colours = spf_colours();
        if (std::find(colours.begin(), colours.end(), field) == colours.end()) {
            report(column::spf, "unknown spf colour '" + std::string(field) +
                                    "'; expected green, yellow, red, blue, orange or blank" +
                                    did_you_mean(field, colours));
            return;
        }
        s.spf = std::string(field);
    }

    void read_tags(school& s) {
        const auto& at = index_[static_cast<std::size_t>(column::tags)];
        if (!at) return;
        std::string_view rest = record_.fields[*at];
        while (!rest.empty()) {
            const auto split = rest.find(';');
            const std::string_view tag = trim(rest.substr(0, split));
            if (!tag.empty()) s.tags.emplace_back(tag);
            if (split == std::string_view::npos) break;
            rest.remove_prefix(split + 1);
        }
    }

    void read_optional_values(school& s) {
        s.start_level = optional_number(column::start_level);
        if (s.start_level && (*s.start_level < 0.0 || *s.start_level > 3.0)) {
            report(column::start_level, format_number(*s.start_level) + " is outside 0..3");
        }
        s.academic_optimism = optional_number(column::academic_optimism);
        s.value_feasibility_gap = optional_number(column::value_feasibility_gap);
    }

    const csv_record& record_;
    const column_index& index_;
    const std::string& file_;
    diagnostics& found_;
    bool failed_ = false;
};

// Remembers the first line of each school id so a repeat can point back at it.
class duplicate_id_check {
public:
    duplicate_id_check(const column_index& index, const std::string& file, diagnostics& found)
        : at_(index[static_cast<std::size_t>(column::school_id)]), file_(file), found_(found) {}

    // False, with a diagnostic, when the row repeats an earlier id.
    bool accept(const csv_record& row) {
        if (!at_) return true;
        const std::string id(trim(row.fields[*at_]));
        if (id.empty()) return true;
        const auto [seen, inserted] = first_line_.emplace(id, row.line);
        if (inserted) return true;
        found_.error(file_, row.line, 0, "",
                     "column school_id: duplicate school id '" + id + "'; first defined on line " +
                         std::to_string(seen->second));
        return false;
    }

private:
    std::optional<std::size_t> at_;
    const std::string& file_;
    diagnostics& found_;
    std::unordered_map<std::string, std::size_t> first_line_;
};

}  // namespace

std::vector<school> read_schools_csv_text(std::string_view text, std::string file, diagnostics& found) {
    const std::vector<csv_record> records = parse_csv(text, file, found);
    if (records.empty()) {
        found.error(file, 1, 0, "", "no header row; expected a schools csv header (school_id,name,level,...)");
        return {};
    }
    const csv_record& header = records.front();
    if (header.malformed) return {};
    const column_index index = header_reader(header, file, found).read();
    const std::vector<csv_record> rows(records.begin() + 1, records.end());
    if (rows.empty()) found.error(file, header.line, 0, "", "no school rows after the header; expected at least one");

    std::vector<school> schools;
    duplicate_id_check ids(index, file, found);
    for (const csv_record& row : rows) {
        if (row.malformed) continue;
        if (row.fields.size() != header.fields.size()) {
            found.error(file, row.line, 0, "",
                        "row has " + std::to_string(row.fields.size()) + " fields; expected " +
                            std::to_string(header.fields.size()) + " as in the header");
            continue;
        }
        const bool unique = ids.accept(row);
        auto s = row_reader(row, index, file, found).read();
        if (s && unique) schools.push_back(std::move(*s));
    }
    return schools;
}

std::vector<school> read_schools_csv(const std::filesystem::path& path, diagnostics& found) {
    const std::string file = path.string();
    std::error_code size_error;
    const auto size = std::filesystem::file_size(path, size_error);
    if (!size_error && size > max_schools_csv_bytes) {
        found.error(file, 0, 0, "",
                    "file is " + std::to_string(size) + " bytes; expected at most " +
                        std::to_string(max_schools_csv_bytes));
        return {};
    }
    if (std::filesystem::is_directory(path, size_error)) {
        found.error(file, 0, 0, "", "is a directory; expected a schools csv file");
        return {};
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        found.error(file, 0, 0, "", std::string("cannot open file: ") + std::strerror(errno));
        return {};
    }
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) {
        found.error(file, 0, 0, "", "cannot read file");
        return {};
    }
    return read_schools_csv_text(text, file, found);
}

}  // namespace pathways
