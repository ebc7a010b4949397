#include "scenario/json_reader.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <climits>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>
#include <system_error>
#include <unordered_map>

namespace pathways::json {
namespace {

constexpr std::size_t max_number_text = 40;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_'; }

std::string shorten(std::string_view text) {
    if (text.size() <= max_number_text) return std::string(text);
    return std::string(text.substr(0, max_number_text)) + "...";
}

std::string hex_byte(unsigned char byte) {
    constexpr std::string_view digits = "0123456789abcdef";
    std::string text = "byte 0x";
    text += digits[byte >> 4];
    text += digits[byte & 0xf];
    return text;
}

/// Length of the well-formed UTF-8 sequence at the start of `text`, or 0 when it is not one.
std::size_t utf8_sequence_length(std::string_view text) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(0);
    std::size_t length = 0;
    std::uint32_t min_code = 0;
    std::uint32_t code = 0;
    if (lead < 0x80) return 1;
    if ((lead & 0xe0) == 0xc0) {
        length = 2, min_code = 0x80, code = lead & 0x1fu;
    } else if ((lead & 0xf0) == 0xe0) {
        length = 3, min_code = 0x800, code = lead & 0x0fu;
    } else if ((lead & 0xf8) == 0xf0) {
        length = 4, min_code = 0x10000, code = lead & 0x07u;
    } else {
        return 0;
    }
    if (text.size() < length) return 0;
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(i) & 0xc0) != 0x80) return 0;
        code = (code << 6) | (byte(i) & 0x3fu);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not valid UTF-8.
    if (code < min_code || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return 0;
    return length;
}

void append_utf8(std::string& out, std::uint32_t code) {
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xc0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xe0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (code & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (code & 0x3f));
    }
}

/// Decimal exponent of the leading significant digit of a validated JSON number, used only to
/// tell overflow from underflow when `from_chars` reports a result out of range.
long long leading_exponent(std::string_view number) {
    if (!number.empty() && number.front() == '-') number.remove_prefix(1);
    const std::size_t exponent_at = number.find_first_of("eE");
    long long exponent = 0;
    if (exponent_at != std::string_view::npos) {
        std::string_view digits = number.substr(exponent_at + 1);
        const bool negative = !digits.empty() && digits.front() == '-';
        if (!digits.empty() && (digits.front() == '-' || digits.front() == '+')) digits.remove_prefix(1);
        for (const char c : digits) {
            // Saturate: any exponent this large already decides the outcome.
            if (exponent < 1'000'000'000) exponent = exponent * 10 + (c - '0');
        }
        if (negative) exponent = -exponent;
        number = number.substr(0, exponent_at);
    }
    const std::size_t point = number.find('.');
    const std::string_view integer_part = number.substr(0, point);
    if (integer_part != "0") return exponent + static_cast<long long>(integer_part.size()) - 1;
    const std::string_view fraction = point == std::string_view::npos ? std::string_view() : number.substr(point + 1);
    const std::size_t first_nonzero = fraction.find_first_not_of('0');
    if (first_nonzero == std::string_view::npos) return LLONG_MIN;
    return exponent - static_cast<long long>(first_nonzero) - 1;
}

class parser {
public:
    parser(std::string_view text, document& doc, diagnostics& out, const limits& lim)
        : text_(text), doc_(doc), out_(out), limits_(lim) {}

    bool run() {
        if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // a UTF-8 byte order mark is harmless
        skip_whitespace();
        if (at_end()) return fail(here(), "empty input; expected a json value");
        if (!parse_value(doc_.root, "", 0, true)) return false;
        skip_whitespace();
        if (!at_end()) {
            return fail(here(), "unexpected " + describe_here() + " after the json value; expected end of input");
        }
        return true;
    }

private:
    std::string_view text_;
    document& doc_;
    diagnostics& out_;
    limits limits_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    std::size_t column_ = 1;

    [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
    [[nodiscard]] char peek() const { return text_[pos_]; }
    [[nodiscard]] location here() const { return {line_, column_}; }

    void advance() {
        const auto byte = static_cast<unsigned char>(text_[pos_++]);
        if (byte == '\n') {
            ++line_;
            column_ = 1;
        } else if ((byte & 0xc0) != 0x80) {  // continuation bytes belong to the previous character
            ++column_;
        }
    }

    void skip_whitespace() {
        while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) advance();
    }

    bool fail(location at, std::string message) {
        out_.error(doc_.file, at.line, at.column, "", std::move(message));
        return false;
    }

    void report(location at, const std::string& pointer, std::string message) {
        doc_.has_errors = true;
        out_.error(doc_.file, at.line, at.column, pointer, std::move(message));
    }

    /// The character at the current position, quoted, for "unexpected ..." messages.
    [[nodiscard]] std::string describe_here() const {
        if (at_end()) return "end of input";
        const auto byte = static_cast<unsigned char>(peek());
        if (byte >= 0x20 && byte < 0x7f) return "'" + std::string(1, peek()) + "'";
        if (byte >= 0x80) {
            const std::size_t length = utf8_sequence_length(text_.substr(pos_));
            if (length > 0) return "'" + std::string(text_.substr(pos_, length)) + "'";
        }
        return hex_byte(byte);
    }

    bool expected(std::string_view what) {
        return fail(here(), "unexpected " + describe_here() + "; expected " + std::string(what));
    }

    void record(const std::string& pointer, location at) { doc_.value_locations.emplace(pointer, at); }

    bool parse_value(nlohmann::json& into, const std::string& pointer, std::size_t depth, bool keep) {
        const location start = here();
        if (keep) record(pointer, start);
        const char c = peek();
        if (c == '{' || c == '[') {
            // Checked before descending, so hostile nesting cannot exhaust the stack.
            if (depth + 1 > limits_.max_depth) {
                return fail(start, "nesting deeper than " + std::to_string(limits_.max_depth) +
                                       " levels; expected at most " + std::to_string(limits_.max_depth) +
                                       " levels of arrays and objects");
            }
            if (c == '{') return parse_object(into, pointer, depth + 1, keep);
            return parse_array(into, pointer, depth + 1, keep);
        }
        if (c == '"') {
            std::string text;
            if (!parse_string(text)) return false;
            into = std::move(text);
            return true;
        }
        if (c == '-' || is_digit(c)) return parse_number(into, pointer, keep);
        if (is_word_char(c)) return parse_literal(into);
        if (c == '/') return fail(start, "comments are not allowed in json; expected a value");
        return expected("a value");
    }

    bool parse_literal(nlohmann::json& into) {
        const location start = here();
        const std::size_t begin = pos_;
        while (!at_end() && is_word_char(peek())) advance();
        const std::string_view word = text_.substr(begin, pos_ - begin);
        if (word == "true") {
            into = true;
        } else if (word == "false") {
            into = false;
        } else if (word == "null") {
            into = nullptr;
        } else if (word == "NaN" || word == "nan" || word == "Infinity" || word == "inf") {
            return fail(start, "'" + std::string(word) + "' is not a json number; expected a finite number");
        } else if (!closest_matches(word, {"true", "false", "null"}).empty()) {
            return fail(start, "unexpected word '" + std::string(word) +
                                   "'; expected a value (a string, number, object, array, true, false or null)" +
                                   did_you_mean(word, {"true", "false", "null"}));
        } else {
            // Not quoted: a file that is not json at all (a key file, a password list) is named, not shown.
            return fail(start, "unexpected word of " + std::to_string(word.size()) +
                                   " characters; expected a value (a string, number, object, array, true, false or "
                                   "null)");
        }
        return true;
    }

    bool parse_object(nlohmann::json& into, const std::string& pointer, std::size_t depth, bool keep) {
        into = nlohmann::json::object();
        advance();  // '{'
        skip_whitespace();
        if (!at_end() && peek() == '}') {
            advance();
            return true;
        }
        std::unordered_map<std::string, std::size_t> first_line;
        for (;;) {
            skip_whitespace();
            if (at_end() || peek() != '"') {
                if (!at_end() && peek() == '}' && !first_line.empty()) {
                    return fail(here(), "unexpected '}' after ','; expected another key (json has no trailing commas)");
                }
                return expected("a key in double quotes");
            }
            const location key_at = here();
            std::string key;
            if (!parse_string(key)) return false;
            skip_whitespace();
            if (at_end() || peek() != ':') return expected("':' after key '" + key + "'");
            advance();
            skip_whitespace();
            if (at_end()) return expected("a value");
            const std::string child = pointer_append(pointer, key);
            const auto [seen, inserted] = first_line.emplace(key, key_at.line);
            if (inserted) {
                if (keep) doc_.key_locations.emplace(child, key_at);
                if (!parse_value(into[key], child, depth, keep)) return false;
            } else {
                report(key_at, child,
                       "duplicate key '" + key + "'; first defined at line " + std::to_string(seen->second));
                nlohmann::json discarded;
                if (!parse_value(discarded, child, depth, false)) return false;
            }
            skip_whitespace();
            if (at_end()) return expected("',' or '}'");
            if (peek() == '}') {
                advance();
                return true;
            }
            if (peek() != ',') return expected("',' or '}'");
            advance();
        }
    }

    bool parse_array(nlohmann::json& into, const std::string& pointer, std::size_t depth, bool keep) {
        into = nlohmann::json::array();
        advance();  // '['
        skip_whitespace();
        if (!at_end() && peek() == ']') {
            advance();
            return true;
        }
        for (std::size_t index = 0;; ++index) {
            skip_whitespace();
            if (at_end()) return expected("a value");
            if (peek() == ']' && index > 0) {
                return fail(here(), "unexpected ']' after ','; expected another value (json has no trailing commas)");
            }
            into.push_back(nullptr);
            if (!parse_value(into.back(), pointer_append(pointer, index), depth, keep)) return false;
            skip_whitespace();
            if (at_end()) return expected("',' or ']'");
            if (peek() == ']') {
                advance();
                return true;
            }
            if (peek() != ',') return expected("',' or ']'");
            advance();
        }
    }

    /// Reads the 4 hex digits of a \u escape; the position is just after "\u".
    std::optional<std::uint32_t> read_hex4(location escape_at) {
        std::uint32_t code = 0;
        for (int i = 0; i < 4; ++i) {
            if (at_end() || !std::isxdigit(static_cast<unsigned char>(peek()))) {
                fail(escape_at, "invalid \\u escape; expected 4 hex digits after \\u");
                return std::nullopt;
            }
            const char c = peek();
            const std::uint32_t digit =
                is_digit(c) ? static_cast<std::uint32_t>(c - '0') : static_cast<std::uint32_t>((c | 0x20) - 'a' + 10);
            code = code * 16 + digit;
            advance();
        }
        return code;
    }

    bool parse_unicode_escape(std::string& out, location escape_at) {
        const auto high = read_hex4(escape_at);
        if (!high) return false;
        if (*high >= 0xdc00 && *high <= 0xdfff) {
            return fail(escape_at,
                        "unpaired low surrogate in \\u escape; expected a high surrogate \\ud800-\\udbff first");
        }
        if (*high < 0xd800 || *high > 0xdbff) {
            append_utf8(out, *high);
            return true;
        }
        if (text_.substr(pos_, 2) != "\\u") {
            return fail(escape_at,
                        "unpaired high surrogate in \\u escape; expected a low surrogate \\udc00-\\udfff after it");
        }
        const location low_at = here();
        advance();
        advance();
        const auto low = read_hex4(low_at);
        if (!low) return false;
        if (*low < 0xdc00 || *low > 0xdfff) {
            return fail(low_at, "invalid low surrogate in \\u escape; expected \\udc00-\\udfff after a high surrogate");
        }
        append_utf8(out, 0x10000 + ((*high - 0xd800) << 10) + (*low - 0xdc00));
        return true;
    }

    bool parse_escape(std::string& out) {
        const location escape_at = here();
        advance();  // '\'
        if (at_end()) return fail(here(), "unterminated string; expected '\"'");
        const char c = peek();
        advance();
        switch (c) {
            case '"': out += '"'; return true;
            case '\\': out += '\\'; return true;
            case '/': out += '/'; return true;
            case 'b': out += '\b'; return true;
            case 'f': out += '\f'; return true;
            case 'n': out += '\n'; return true;
            case 'r': out += '\r'; return true;
            case 't': out += '\t'; return true;
            case 'u': return parse_unicode_escape(out, escape_at);
            default: break;
        }
        return fail(escape_at, "invalid escape in string; expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
    }

    bool parse_string(std::string& out) {
        const location start = here();
        advance();  // opening quote
        for (;;) {
            if (at_end()) {
                return fail(start, "unterminated string starting here; expected '\"' before end of input");
            }
            const auto byte = static_cast<unsigned char>(peek());
            if (byte == '"') {
                advance();
                return true;
            }
            if (byte == '\\') {
                if (!parse_escape(out)) return false;
                continue;
            }
            if (byte < 0x20) {
                return fail(here(), "control character (" + hex_byte(byte) +
                                        ") in string; expected it escaped, for example \\n or \\t");
            }
            const std::size_t length = utf8_sequence_length(text_.substr(pos_));
            if (length == 0) {
                return fail(here(), "invalid utf-8 (" + hex_byte(byte) + ") in string; expected utf-8 text");
            }
            out.append(text_.substr(pos_, length));
            for (std::size_t i = 0; i < length; ++i) advance();
        }
    }

    bool skip_digits() {
        if (at_end() || !is_digit(peek())) return false;
        while (!at_end() && is_digit(peek())) advance();
        return true;
    }

    bool parse_number(nlohmann::json& into, const std::string& pointer, bool keep) {
        const location start = here();
        const std::size_t begin = pos_;
        if (peek() == '-') {
            advance();
            if (!at_end() && is_word_char(peek()) && !is_digit(peek())) {
                const std::size_t word = pos_;
                while (!at_end() && is_word_char(peek())) advance();
                return fail(start, "'-" + shorten(text_.substr(word, pos_ - word)) +
                                       "' is not a json number; expected a finite number");
            }
        }
        if (at_end() || !is_digit(peek())) return expected("a digit");
        if (peek() == '0') {
            advance();
            if (!at_end() && is_digit(peek())) {
                return fail(here(), "leading zero in number; expected '.', 'e' or the end of the number");
            }
        } else {
            skip_digits();
        }
        bool integral = true;
        if (!at_end() && peek() == '.') {
            integral = false;
            advance();
            if (!skip_digits()) return expected("a digit after '.'");
        }
        if (!at_end() && (peek() == 'e' || peek() == 'E')) {
            integral = false;
            advance();
            if (!at_end() && (peek() == '+' || peek() == '-')) advance();
            if (!skip_digits()) return expected("a digit in the exponent");
        }
        const std::string_view text = text_.substr(begin, pos_ - begin);
        if (integral) return store_integer(into, text, start, pointer, keep);
        return store_double(into, text, start, pointer, keep);
    }

    bool store_integer(nlohmann::json& into, std::string_view text, location start, const std::string& pointer,
                       bool keep) {
        std::int64_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error == std::errc() && end == text.data() + text.size()) {
            into = value;
            return true;
        }
        report(start, pointer,
               "integer " + shorten(text) + " is out of range; expected -9223372036854775808 to 9223372036854775807");
        if (keep) doc_.reported.insert(pointer);
        into = nullptr;
        return true;
    }

    bool store_double(nlohmann::json& into, std::string_view text, location start, const std::string& pointer,
                      bool keep) {
        double value = 0.0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error == std::errc() && end == text.data() + text.size()) {
            into = value;
            return true;
        }
        if (error == std::errc::result_out_of_range && leading_exponent(text) < 0) {
            // Underflow: the nearest double is zero, which is what the author meant in practice.
            into = text.front() == '-' ? -0.0 : 0.0;
            if (keep) doc_.underflowed.emplace(pointer, shorten(text));
            return true;
        }
        report(start, pointer, "number " + shorten(text) + " is out of range; expected a finite number");
        if (keep) doc_.reported.insert(pointer);
        into = nullptr;
        return true;
    }
};

std::string escape_token(std::string_view key) {
    std::string escaped;
    escaped.reserve(key.size());
    for (const char c : key) {
        if (c == '~') {
            escaped += "~0";
        } else if (c == '/') {
            escaped += "~1";
        } else {
            escaped += c;
        }
    }
    return escaped;
}

std::string_view parent_pointer(std::string_view pointer) {
    const std::size_t slash = pointer.rfind('/');
    return slash == std::string_view::npos ? std::string_view() : pointer.substr(0, slash);
}

}  // namespace

location document::where(std::string_view pointer) const {
    for (;;) {
        const auto found = value_locations.find(pointer);
        if (found != value_locations.end()) return found->second;
        if (pointer.empty()) return {};
        pointer = parent_pointer(pointer);
    }
}

location document::key_where(std::string_view pointer) const {
    const auto found = key_locations.find(pointer);
    return found != key_locations.end() ? found->second : where(pointer);
}

bool document::already_reported(std::string_view pointer) const { return reported.find(pointer) != reported.end(); }

std::string pointer_append(std::string_view base, std::string_view key) {
    std::string pointer(base);
    pointer += '/';
    pointer += escape_token(key);
    return pointer;
}

std::string pointer_append(std::string_view base, std::size_t index) {
    std::string pointer(base);
    pointer += '/';
    pointer += std::to_string(index);
    return pointer;
}

std::optional<document> parse(std::string_view text, std::string file, diagnostics& out, limits lim) {
    document doc;
    doc.file = std::move(file);
    if (text.size() > lim.max_bytes) {
        out.error(doc.file, 0, 0, "",
                  "input is " + std::to_string(text.size()) + " bytes; expected at most " +
                      std::to_string(lim.max_bytes) + " bytes");
        return std::nullopt;
    }
    parser reader(text, doc, out, lim);
    if (!reader.run()) return std::nullopt;
    return doc;
}

std::optional<std::string> read_text(const std::filesystem::path& path, diagnostics& out, std::uintmax_t max_bytes,
                                     std::string_view format) {
    const std::string file = path.string();
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
        out.error(file, 0, 0, "", "is a directory; expected a " + std::string(format) + " file");
        return std::nullopt;
    }
    const std::uintmax_t size = std::filesystem::file_size(path, error);
    if (error) {
        out.error(file, 0, 0, "", "cannot read file: " + error.message());
        return std::nullopt;
    }
    if (size > max_bytes) {
        out.error(file, 0, 0, "",
                  "file is " + std::to_string(size) + " bytes; expected at most " + std::to_string(max_bytes) +
                      " bytes");
        return std::nullopt;
    }
    // Read at most max_bytes + 1 whatever the size said: files under /proc and /dev report 0 and may never end.
    std::ifstream stream(path, std::ios::binary);
    std::string text;
    std::array<char, 65536> chunk{};
    while (stream && text.size() <= max_bytes) {
        stream.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        text.append(chunk.data(), static_cast<std::size_t>(stream.gcount()));
    }
    if (stream.bad() || (!stream.eof() && text.size() <= max_bytes)) {
        out.error(file, 0, 0, "", "cannot read file; expected a readable " + std::string(format) + " file");
        return std::nullopt;
    }
    if (text.size() > max_bytes) {
        out.error(file, 0, 0, "",
                  "file is more than " + std::to_string(max_bytes) + " bytes; expected at most " +
                      std::to_string(max_bytes) + " bytes");
        return std::nullopt;
    }
    return text;
}

std::optional<document> parse_file(const std::filesystem::path& path, diagnostics& out, limits lim) {
    const auto text = read_text(path, out, lim.max_bytes, "json");
    if (!text) return std::nullopt;
    return parse(*text, path.string(), out, lim);
}

}  // namespace pathways::json
