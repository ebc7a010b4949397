#include "scenario/json_checks.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace pathways::json {
namespace {

std::string with_article(const std::string& type_name) {
    if (type_name == "null") return type_name;
    const bool vowel = type_name.front() == 'a' || type_name.front() == 'o';
    return (vowel ? "an " : "a ") + type_name;
}

std::string wrong_type(std::string_view expected, const nlohmann::json& value) {
    return "expected " + std::string(expected) + ", got " + with_article(json_type_name(value));
}

std::string unescape_token(std::string_view token) {
    std::string key;
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
            key += token[i + 1] == '0' ? '~' : '/';
            ++i;
        } else {
            key += token[i];
        }
    }
    return key;
}

/// Follows an RFC 6901 pointer without exceptions; nullptr when it names nothing.
const nlohmann::json* resolve(const nlohmann::json& root, std::string_view pointer) {
    const nlohmann::json* current = &root;
    while (!pointer.empty()) {
        if (pointer.front() != '/') return nullptr;
        pointer.remove_prefix(1);
        const std::size_t slash = pointer.find('/');
        const std::string_view token = pointer.substr(0, slash);
        pointer = slash == std::string_view::npos ? std::string_view() : pointer.substr(slash);
        if (current->is_object()) {
            const auto found = current->find(unescape_token(token));
            if (found == current->end()) return nullptr;
            current = &*found;
        } else if (current->is_array()) {
            std::size_t index = 0;
            const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), index);
            if (error != std::errc() || end != token.data() + token.size() || index >= current->size()) return nullptr;
            current = &(*current)[index];
        } else {
            return nullptr;
        }
    }
    return current;
}

std::string range_text(const std::string& low, const std::string& high, bool has_low, bool has_high) {
    if (has_low && has_high) return low + " to " + high;
    if (has_low) return "at least " + low;
    if (has_high) return "at most " + high;
    return "any number";
}

std::string number_range(double min, double max) {
    return range_text(format_number(min), format_number(max), min > -std::numeric_limits<double>::max(),
                      max < std::numeric_limits<double>::max());
}

std::string integer_range(std::int64_t min, std::int64_t max) {
    return range_text(std::to_string(min), std::to_string(max), min > std::numeric_limits<std::int64_t>::min(),
                      max < std::numeric_limits<std::int64_t>::max());
}

std::string value_text(const nlohmann::json& value) {
    if (value.is_number_float()) return format_number(value.get<double>());
    return value.dump();
}

}  // namespace

std::string json_type_name(const nlohmann::json& value) {
    switch (value.type()) {
        case nlohmann::json::value_t::null: return "null";
        case nlohmann::json::value_t::boolean: return "boolean";
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned:
        case nlohmann::json::value_t::number_float: return "number";
        case nlohmann::json::value_t::string: return "string";
        case nlohmann::json::value_t::array: return "array";
        case nlohmann::json::value_t::object: return "object";
        case nlohmann::json::value_t::binary:
        case nlohmann::json::value_t::discarded: break;
    }
    return "unknown value";
}

std::string format_number(double value) {
    std::array<char, 64> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    std::string text(buffer.data(), result.ptr);
    const std::size_t e = text.find('e');
    if (e == std::string::npos) return text;
    std::string mantissa = text.substr(0, e + 1);
    std::string_view exponent = std::string_view(text).substr(e + 1);
    if (!exponent.empty() && exponent.front() == '+') exponent.remove_prefix(1);
    if (!exponent.empty() && exponent.front() == '-') {
        mantissa += '-';
        exponent.remove_prefix(1);
    }
    while (exponent.size() > 1 && exponent.front() == '0') exponent.remove_prefix(1);
    return mantissa + std::string(exponent);
}

void report_at(const document& doc, diagnostics& out, const std::string& pointer, std::string message) {
    const location at = doc.where(pointer);
    out.error(doc.file, at.line, at.column, pointer, std::move(message));
}

std::optional<double> read_number(const document& doc, const nlohmann::json& value, const std::string& pointer,
                                  diagnostics& out, double min, double max) {
    if (doc.already_reported(pointer)) return std::nullopt;
    if (!value.is_number()) {
        report_at(doc, out, pointer, wrong_type("a number", value));
        return std::nullopt;
    }
    const double number = value.get<double>();
    if (!std::isfinite(number) || number < min || number > max) {
        report_at(doc, out, pointer, value_text(value) + " is out of range; expected " + number_range(min, max));
        return std::nullopt;
    }
    return number;
}

std::optional<std::int64_t> read_integer(const document& doc, const nlohmann::json& value, const std::string& pointer,
                                         diagnostics& out, std::int64_t min, std::int64_t max) {
    if (doc.already_reported(pointer)) return std::nullopt;
    if (!value.is_number()) {
        report_at(doc, out, pointer, wrong_type("an integer", value));
        return std::nullopt;
    }
    const auto out_of_range = [&] {
        report_at(doc, out, pointer, value_text(value) + " is out of range; expected " + integer_range(min, max));
        return std::nullopt;
    };
    std::int64_t integer = 0;
    if (value.is_number_integer() && !value.is_number_unsigned()) {
        integer = value.get<std::int64_t>();
    } else if (value.is_number_unsigned()) {
        const std::uint64_t unsigned_value = value.get<std::uint64_t>();
        constexpr auto int64_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
        if (unsigned_value > int64_max) return out_of_range();
        integer = static_cast<std::int64_t>(unsigned_value);
    } else {
        const double number = value.get<double>();
        if (const auto tiny = doc.underflowed.find(pointer); tiny != doc.underflowed.end()) {
            report_at(doc, out, pointer, "expected an integer, got " + tiny->second + " (not a whole number)");
            return std::nullopt;
        }
        if (!std::isfinite(number) || number != std::floor(number)) {
            report_at(doc, out, pointer, "expected an integer, got " + value_text(value));
            return std::nullopt;
        }
        // 2^63 is exactly representable; anything at or beyond it cannot be converted without UB.
        constexpr double two_63 = 9223372036854775808.0;
        if (number >= two_63 || number < -two_63) return out_of_range();
        integer = static_cast<std::int64_t>(number);
    }
    if (integer < min || integer > max) return out_of_range();
    return integer;
}

std::optional<std::string> read_string(const document& doc, const nlohmann::json& value, const std::string& pointer,
                                       diagnostics& out) {
    if (doc.already_reported(pointer)) return std::nullopt;
    if (!value.is_string()) {
        report_at(doc, out, pointer, wrong_type("a string", value));
        return std::nullopt;
    }
    // A NUL would cut a path or an id short where the operating system or a C library reads it.
    if (value.get_ref<const std::string&>().find('\0') != std::string::npos) {
        report_at(doc, out, pointer, "text contains a NUL character (\\u0000); expected text without one");
        return std::nullopt;
    }
    return value.get<std::string>();
}

std::optional<bool> read_bool(const document& doc, const nlohmann::json& value, const std::string& pointer,
                              diagnostics& out) {
    if (doc.already_reported(pointer)) return std::nullopt;
    if (!value.is_boolean()) {
        report_at(doc, out, pointer, wrong_type("true or false", value));
        return std::nullopt;
    }
    return value.get<bool>();
}

object_reader::object_reader(const document& doc, std::string pointer, diagnostics& out)
    : doc_(&doc), out_(&out), pointer_(std::move(pointer)) {
    const nlohmann::json* value = resolve(doc.root, pointer_);
    if (value == nullptr) {
        report_at(*doc_, *out_, pointer_, "missing value; expected an object");
        finished_ = true;
        return;
    }
    attach(value);
}

object_reader::object_reader(const document& doc, const nlohmann::json* value, std::string pointer, diagnostics& out)
    : doc_(&doc), out_(&out), pointer_(std::move(pointer)) {
    if (value == nullptr) {
        finished_ = true;  // an absent member: whoever looked it up has reported it
        return;
    }
    attach(value);
}

void object_reader::attach(const nlohmann::json* value) {
    if (value->is_object()) {
        object_ = value;
    } else if (!doc_->already_reported(pointer_)) {
        report_at(*doc_, *out_, pointer_, wrong_type("an object", *value));
    }
}

object_reader::object_reader(object_reader&& other) noexcept
    : doc_(other.doc_),
      out_(other.out_),
      pointer_(std::move(other.pointer_)),
      object_(other.object_),
      asked_(std::move(other.asked_)),
      finished_(other.finished_) {
    other.finished_ = true;
}

object_reader& object_reader::operator=(object_reader&& other) noexcept {
    if (this == &other) return *this;
    finish_quietly();
    doc_ = other.doc_;
    out_ = other.out_;
    pointer_ = std::move(other.pointer_);
    object_ = other.object_;
    asked_ = std::move(other.asked_);
    finished_ = other.finished_;
    other.finished_ = true;
    return *this;
}

object_reader::~object_reader() { finish_quietly(); }

void object_reader::finish_quietly() noexcept {
    try {
        finish();
    } catch (...) {  // NOLINT(bugprone-empty-catch): only bad_alloc can get here, and it must not escape
    }
}

bool object_reader::has(std::string_view key) const { return object_ != nullptr && object_->contains(key); }

void object_reader::allow(std::string_view key) { ask(key); }

const nlohmann::json* object_reader::ask(std::string_view key) {
    if (std::find(asked_.begin(), asked_.end(), key) == asked_.end()) asked_.emplace_back(key);
    if (object_ == nullptr) return nullptr;
    const auto found = object_->find(key);
    return found == object_->end() ? nullptr : &*found;
}

void object_reader::report_missing(std::string_view key) const {
    error("missing required key '" + std::string(key) + "'");
}

const nlohmann::json* object_reader::ask_required(std::string_view key) {
    const nlohmann::json* value = ask(key);
    if (value == nullptr && object_ != nullptr) report_missing(key);
    return value;
}

std::optional<double> object_reader::required_number(std::string_view key, double min, double max) {
    const nlohmann::json* value = ask_required(key);
    if (value == nullptr) return std::nullopt;
    return read_number(*doc_, *value, pointer_of(key), *out_, min, max);
}

std::optional<double> object_reader::optional_number(std::string_view key, double min, double max) {
    const nlohmann::json* value = ask(key);
    if (value == nullptr) return std::nullopt;
    return read_number(*doc_, *value, pointer_of(key), *out_, min, max);
}

std::optional<std::int64_t> object_reader::required_integer(std::string_view key, std::int64_t min, std::int64_t max) {
    const nlohmann::json* value = ask_required(key);
    if (value == nullptr) return std::nullopt;
    return read_integer(*doc_, *value, pointer_of(key), *out_, min, max);
}

std::optional<std::int64_t> object_reader::optional_integer(std::string_view key, std::int64_t min, std::int64_t max) {
    const nlohmann::json* value = ask(key);
    if (value == nullptr) return std::nullopt;
    return read_integer(*doc_, *value, pointer_of(key), *out_, min, max);
}

std::optional<std::string> object_reader::required_string(std::string_view key) {
    const nlohmann::json* value = ask_required(key);
    if (value == nullptr) return std::nullopt;
    return read_string(*doc_, *value, pointer_of(key), *out_);
}

std::optional<std::string> object_reader::optional_string(std::string_view key) {
    const nlohmann::json* value = ask(key);
    if (value == nullptr) return std::nullopt;
    return read_string(*doc_, *value, pointer_of(key), *out_);
}

std::optional<bool> object_reader::required_bool(std::string_view key) {
    const nlohmann::json* value = ask_required(key);
    if (value == nullptr) return std::nullopt;
    return read_bool(*doc_, *value, pointer_of(key), *out_);
}

std::optional<bool> object_reader::optional_bool(std::string_view key) {
    const nlohmann::json* value = ask(key);
    if (value == nullptr) return std::nullopt;
    return read_bool(*doc_, *value, pointer_of(key), *out_);
}

object_reader object_reader::child(std::string_view key) {
    return object_reader(*doc_, ask_required(key), pointer_of(key), *out_);
}

std::optional<object_reader> object_reader::optional_child(std::string_view key) {
    const nlohmann::json* value = ask(key);
    if (value == nullptr) return std::nullopt;
    return object_reader(*doc_, value, pointer_of(key), *out_);
}

std::optional<array_ref> object_reader::optional_array(std::string_view key) {
    const nlohmann::json* value = ask(key);
    if (value == nullptr) return std::nullopt;
    std::string pointer = pointer_of(key);
    if (doc_->already_reported(pointer)) return std::nullopt;
    if (!value->is_array()) {
        report_at(*doc_, *out_, pointer, wrong_type("an array", *value));
        return std::nullopt;
    }
    return array_ref{value, std::move(pointer)};
}

std::optional<array_ref> object_reader::array(std::string_view key) {
    if (object_ != nullptr && !object_->contains(key)) report_missing(key);
    return optional_array(key);
}

const nlohmann::json* object_reader::optional_value(std::string_view key) {
    const nlohmann::json* value = ask(key);
    if (value == nullptr || doc_->already_reported(pointer_of(key))) return nullptr;
    return value;
}

const nlohmann::json* object_reader::required_value(std::string_view key) {
    if (object_ != nullptr && !object_->contains(key)) report_missing(key);
    return optional_value(key);
}

std::vector<std::string> object_reader::members() {
    std::vector<std::string> keys;
    if (object_ == nullptr) return keys;
    for (const auto& member : object_->items()) keys.push_back(member.key());
    for (const std::string& key : keys) ask(key);
    return keys;
}

void object_reader::error(std::string message) const { report_at(*doc_, *out_, pointer_, std::move(message)); }

void object_reader::error_at(std::string_view key, std::string message) const {
    report_at(*doc_, *out_, pointer_of(key), std::move(message));
}

void object_reader::error_at_key(std::string_view key, std::string message) const {
    const std::string pointer = pointer_of(key);
    const location at = doc_->key_where(pointer);
    out_->error(doc_->file, at.line, at.column, pointer, std::move(message));
}

void object_reader::finish() {
    if (finished_) return;
    finished_ = true;
    if (object_ == nullptr) return;
    for (const auto& member : object_->items()) {
        const std::string& key = member.key();
        if (std::find(asked_.begin(), asked_.end(), key) != asked_.end()) continue;
        error_at_key(key, "unknown key '" + key + "'" + did_you_mean(key, asked_));
    }
}

}  // namespace pathways::json
