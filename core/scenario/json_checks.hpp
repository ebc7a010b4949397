#pragma once
/// \file
/// Validation helpers so that a file reader reports errors like a compiler with little code:
/// wrong types, values out of range, missing keys and unknown keys, each at the offending
/// value's `file:line:col` and JSON pointer.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/diagnostics.hpp"
#include "scenario/json_reader.hpp"

namespace pathways::json {

/// "null", "boolean", "number", "string", "array" or "object".
std::string json_type_name(const nlohmann::json& value);

/// Shortest text that reads back as `value`, without a '+' or leading zeros in the exponent ("1e40").
std::string format_number(double value);

/// Reports `message` at the value at `pointer` (its line and column, and the pointer).
void report_at(const document& doc, diagnostics& out, const std::string& pointer, std::string message);

/// Value checks for values that are not object members (array elements, for example). Each
/// reports a wrong type or a value outside [min, max] and returns nullopt; a value the parser
/// already diagnosed (see `document::reported`) gives nullopt silently.
std::optional<double> read_number(const document& doc, const nlohmann::json& value, const std::string& pointer,
                                  diagnostics& out, double min = -std::numeric_limits<double>::max(),
                                  double max = std::numeric_limits<double>::max());
/// Accepts integral numbers only (2.0 is accepted, 2.5 is not); range is checked before any
/// conversion, so 1e40 and 2^64 are reported rather than converted.
std::optional<std::int64_t> read_integer(const document& doc, const nlohmann::json& value, const std::string& pointer,
                                         diagnostics& out, std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                                         std::int64_t max = std::numeric_limits<std::int64_t>::max());
std::optional<std::string> read_string(const document& doc, const nlohmann::json& value, const std::string& pointer,
                                       diagnostics& out);
std::optional<bool> read_bool(const document& doc, const nlohmann::json& value, const std::string& pointer,
                              diagnostics& out);

/// An array member found by `object_reader::array`.
struct array_ref {
    const nlohmann::json* items = nullptr;  ///< never null in a returned array_ref
    std::string pointer;

    [[nodiscard]] std::size_t size() const { return items->size(); }
    [[nodiscard]] const nlohmann::json& operator[](std::size_t index) const { return (*items)[index]; }
    [[nodiscard]] std::string pointer_of(std::size_t index) const { return pointer_append(pointer, index); }
};

/// Reads one JSON object, remembering which keys were asked for. Every key that was never
/// asked for is reported as `unknown key 'x'; did you mean 'y'?` by `finish()`, which the
/// destructor calls if the reader did not, so a reader cannot forget to reject unknown keys.
/// Ask for every key the format allows (even when an earlier value was wrong) before the
/// reader is finished, or valid keys would be reported as unknown.
///
/// When the value is not an object, the constructor reports "expected an object" and every
/// method returns nullopt without reporting more.
class object_reader {
public:
    /// Reads the object at `pointer` in `doc`; `doc` and `out` must outlive the reader.
    object_reader(const document& doc, std::string pointer, diagnostics& out);
    object_reader(object_reader&& other) noexcept;
    object_reader(const object_reader&) = delete;
    object_reader& operator=(const object_reader&) = delete;
    /// Finishes this reader (reporting its unknown keys) before taking over `other`.
    object_reader& operator=(object_reader&& other) noexcept;
    ~object_reader();

    /// True when the value is an object.
    [[nodiscard]] bool valid() const { return object_ != nullptr; }
    [[nodiscard]] const std::string& pointer() const { return pointer_; }
    [[nodiscard]] std::string pointer_of(std::string_view key) const { return pointer_append(pointer_, key); }
    [[nodiscard]] const document& doc() const { return *doc_; }
    [[nodiscard]] diagnostics& out() const { return *out_; }

    /// Whether the key is present; does not count as asking for it.
    [[nodiscard]] bool has(std::string_view key) const;
    /// Marks a key as known without reading it.
    void allow(std::string_view key);

    std::optional<double> required_number(std::string_view key, double min = -std::numeric_limits<double>::max(),
                                          double max = std::numeric_limits<double>::max());
    std::optional<double> optional_number(std::string_view key, double min = -std::numeric_limits<double>::max(),
                                          double max = std::numeric_limits<double>::max());
    std::optional<std::int64_t> required_integer(std::string_view key,
                                                 std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                                                 std::int64_t max = std::numeric_limits<std::int64_t>::max());
    std::optional<std::int64_t> optional_integer(std::string_view key,
                                                 std::int64_t min = std::numeric_limits<std::int64_t>::min(),
                                                 std::int64_t max = std::numeric_limits<std::int64_t>::max());
    std::optional<std::string> required_string(std::string_view key);
    std::optional<std::string> optional_string(std::string_view key);
    std::optional<bool> required_bool(std::string_view key);
    std::optional<bool> optional_bool(std::string_view key);

    /// The nested object at `key`; reports a missing key. The result may be invalid.
    object_reader child(std::string_view key);
    /// The nested object at `key`, or nullopt when the key is absent.
    std::optional<object_reader> optional_child(std::string_view key);
    /// The array at `key`; reports a missing key or a value that is not an array.
    std::optional<array_ref> array(std::string_view key);
    /// Like `array`, but an absent key is not an error.
    std::optional<array_ref> optional_array(std::string_view key);
    /// The raw value at `key` for checks of its own (marks it known); nullptr when absent or
    /// already diagnosed by the parser.
    const nlohmann::json* optional_value(std::string_view key);
    /// Like `optional_value`, but reports a missing key.
    const nlohmann::json* required_value(std::string_view key);
    /// Every key, in sorted order, all marked known: for objects used as maps (targets, offsets).
    std::vector<std::string> members();

    /// Reports `message` at the object itself.
    void error(std::string message) const;
    /// Reports `message` at the value of `key` (with the member's pointer).
    void error_at(std::string_view key, std::string message) const;
    /// Reports `message` at the key itself, for problems with the name rather than the value.
    void error_at_key(std::string_view key, std::string message) const;

    /// Reports every key that was never asked for. Idempotent.
    void finish();

private:
    const document* doc_;
    diagnostics* out_;
    std::string pointer_;
    const nlohmann::json* object_ = nullptr;
    std::vector<std::string> asked_;
    bool finished_ = false;

    /// Reads `value`, a member of another object; nullptr stands for an absent member, which the
    /// caller reports, so the reader reports nothing more.
    object_reader(const document& doc, const nlohmann::json* value, std::string pointer, diagnostics& out);
    /// Marks `key` asked for; returns its value, or nullptr when absent.
    const nlohmann::json* ask(std::string_view key);
    const nlohmann::json* ask_required(std::string_view key);
    void report_missing(std::string_view key) const;
    void finish_quietly() noexcept;
    /// Takes `value` as the object read, reporting it when it is not an object.
    void attach(const nlohmann::json* value);
};

}  // namespace pathways::json
