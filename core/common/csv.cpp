#include "common/csv.hpp"

#include <optional>

namespace pathways {
namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

bool is_blank(const csv_record& record) {
    return record.fields.size() == 1 && record.fields.front().find_first_not_of(" \t") == std::string::npos;
}

class csv_parser {
public:
    csv_parser(std::string_view text, const std::string& file, diagnostics& found)
        : text_(text), file_(file), found_(found) {
        if (text_.starts_with(utf8_bom)) pos_ = utf8_bom.size();
    }

    std::vector<csv_record> parse() {
        std::vector<csv_record> records;
        while (!at_end()) {
            csv_record record = next_record();
            if (record.malformed || !is_blank(record)) records.push_back(std::move(record));
        }
        return records;
    }

private:
    [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
    [[nodiscard]] bool at_line_break() const { return !at_end() && (text_[pos_] == '\n' || text_[pos_] == '\r'); }

    void consume_line_break() {
        if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
        ++pos_;
        ++line_;
    }

    void skip_rest_of_record() {
        while (!at_end() && !at_line_break()) ++pos_;
        if (!at_end()) consume_line_break();
    }

    void report(std::size_t line, std::string message) { found_.error(file_, line, 0, "", std::move(message)); }

    csv_record next_record() {
        csv_record record{line_, {}, false};
        while (true) {
            std::optional<std::string> field = (text_[pos_] == '"') ? quoted_field() : unquoted_field();
            if (!field) {
                skip_rest_of_record();
                record.malformed = true;
                return record;
            }
            record.fields.push_back(std::move(*field));
            if (at_end()) return record;
            if (text_[pos_] == ',') {
                ++pos_;
                // A trailing comma at the end of the input still means one more (empty) field, and the
                // record ends there: there is nothing left to read.
                if (at_end()) {
                    record.fields.emplace_back();
                    return record;
                }
                continue;
            }
            consume_line_break();
            return record;
        }
    }

    std::optional<std::string> unquoted_field() {
        std::string value;
        while (!at_end() && text_[pos_] != ',' && !at_line_break()) {
            if (text_[pos_] == '"') {
                report(line_,
                       "malformed csv: quote inside an unquoted field; quote the whole field and double the "
                       "quotes inside it");
                return std::nullopt;
            }
            value += text_[pos_++];
        }
        return value;
    }

    std::optional<std::string> quoted_field() {
        const std::size_t start_line = line_;
        std::string value;
        ++pos_;
        while (true) {
            if (at_end()) {
                report(start_line, "malformed csv: quoted field is never closed; expected a closing '\"'");
                return std::nullopt;
            }
            const char c = text_[pos_];
            if (c == '"') {
                if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
                    value += '"';
                    pos_ += 2;
                    continue;
                }
                ++pos_;
                if (at_end() || at_line_break() || text_[pos_] == ',') return value;
                report(line_, "malformed csv: text after a closing quote; expected ',' or the end of the line");
                return std::nullopt;
            }
            if (c == '\n' || (c == '\r' && (pos_ + 1 >= text_.size() || text_[pos_ + 1] != '\n'))) ++line_;
            value += c;
            ++pos_;
        }
    }

    std::string_view text_;
    const std::string& file_;
    diagnostics& found_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

}  // namespace

std::vector<csv_record> parse_csv(std::string_view text, const std::string& file, diagnostics& found) {
    return csv_parser(text, file, found).parse();
}

std::string csv_field(std::string_view text) {
    std::string cell;
    if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) cell = "'";
    cell += text;
    if (cell.find_first_of(",\"\n\r") == std::string::npos) return cell;
    std::string quoted = "\"";
    for (const char c : cell) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

}  // namespace pathways
