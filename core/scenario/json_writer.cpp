#include "scenario/json_writer.hpp"

#include <cmath>

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

}  // namespace

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
