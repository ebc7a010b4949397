#include "scenario/json_writer.hpp"

#include <cmath>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

namespace pathways::json {
namespace {

nlohmann::ordered_json to_nlohmann(const value& v) {
    return std::visit(
        [](const auto& data) -> nlohmann::ordered_json {
            using type = std::decay_t<decltype(data)>;
            if constexpr (std::is_same_v<type, value::array>) {
                nlohmann::ordered_json out = nlohmann::ordered_json::array();
                for (const value& item : data) out.push_back(to_nlohmann(item));
                return out;
            } else if constexpr (std::is_same_v<type, value::object>) {
                nlohmann::ordered_json out = nlohmann::ordered_json::object();
                for (const auto& [key, member] : data) out[key] = to_nlohmann(member);
                return out;
            } else if constexpr (std::is_same_v<type, double>) {
                if (!std::isfinite(data)) return nullptr;
                return data;
            } else {
                return data;
            }
        },
        v.data());
}

value from_nlohmann(const nlohmann::ordered_json& j) {
    switch (j.type()) {
        case nlohmann::ordered_json::value_t::boolean: return j.get<bool>();
        case nlohmann::ordered_json::value_t::number_integer: return j.get<std::int64_t>();
        case nlohmann::ordered_json::value_t::number_unsigned: return j.get<std::uint64_t>();
        case nlohmann::ordered_json::value_t::number_float: return j.get<double>();
        case nlohmann::ordered_json::value_t::string: return j.get<std::string>();
        case nlohmann::ordered_json::value_t::array: {
            value::array items;
            for (const auto& item : j) items.push_back(from_nlohmann(item));
            return items;
        }
        case nlohmann::ordered_json::value_t::object: {
            value out = value::object{};
            for (const auto& [key, member] : j.items()) out.set(key, from_nlohmann(member));
            return out;
        }
        default: return nullptr;
    }
}

}  // namespace

value from_text(std::string_view text) {
    const auto parsed = nlohmann::ordered_json::parse(text, nullptr, false);
    if (parsed.is_discarded()) throw std::invalid_argument("from_text: not JSON");
    return from_nlohmann(parsed);
}

value& value::set(std::string key, value member) {
    if (std::holds_alternative<std::nullptr_t>(data_)) data_ = object{};
    std::get<object>(data_).emplace_back(std::move(key), std::move(member));
    return *this;
}

std::string to_text(const value& v, int indent) {
    // Invalid UTF-8 (a file name, say) is replaced rather than thrown on: a manifest is still written.
    std::string text = to_nlohmann(v).dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    if (indent >= 0) text += '\n';
    return text;
}

}  // namespace pathways::json
