#pragma once
/// \file
/// JSON for the files pathways writes (manifests, projection.json), built from std-only values so
/// that subsystems above `scenario` write JSON without linking nlohmann/json themselves; escaping
/// and number formatting are nlohmann's. Object members keep the order they were added in.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace pathways::json {

class value {
public:
    using array = std::vector<value>;
    using object = std::vector<std::pair<std::string, value>>;

    value() = default;  ///< null
    value(std::nullptr_t) {}
    value(bool b) : data_(b) {}
    value(int i) : data_(static_cast<std::int64_t>(i)) {}
    value(long i) : data_(static_cast<std::int64_t>(i)) {}
    value(long long i) : data_(static_cast<std::int64_t>(i)) {}
    value(unsigned i) : data_(static_cast<std::uint64_t>(i)) {}
    value(unsigned long i) : data_(static_cast<std::uint64_t>(i)) {}
    value(unsigned long long i) : data_(static_cast<std::uint64_t>(i)) {}
    value(double d) : data_(d) {}  ///< NaN and infinities are written null
    value(std::string s) : data_(std::move(s)) {}
    value(std::string_view s) : data_(std::string(s)) {}
    value(const char* s) : data_(std::string(s)) {}
    value(array a) : data_(std::move(a)) {}
    value(object o) : data_(std::move(o)) {}

    /// Adds `key` to an object (a null value becomes an empty object first); returns *this.
    value& set(std::string key, value member);

    [[nodiscard]] const auto& data() const { return data_; }

private:
    std::variant<std::nullptr_t, bool, std::int64_t, std::uint64_t, double, std::string, array, object> data_{nullptr};
};

/// The value as JSON text: `indent` spaces per level (negative: one line), with a final newline
/// when indented.
std::string to_text(const value& v, int indent = 2);

/// JSON text that pathways wrote (a model export, say) as a value, members in their order, so that it
/// can be a member of another document instead of being spliced into its text. Throws
/// std::invalid_argument when `text` is not JSON.
value from_text(std::string_view text);

}  // namespace pathways::json
