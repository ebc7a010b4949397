#include "population/school.hpp"

namespace pathways {

std::string_view to_string(school_level level) {
    switch (level) {
        case school_level::elementary: return "elementary";
        case school_level::middle: return "middle";
        case school_level::high: return "high";
        case school_level::k8: return "k8";
    }
    return "elementary";
}

const std::vector<std::string>& school_level_names() {
    static const std::vector<std::string> names{"elementary", "middle", "high", "k8"};
    return names;
}

std::optional<school_level> school_level_from_string(std::string_view text) {
    const auto& names = school_level_names();
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i] == text) return static_cast<school_level>(i);
    }
    return std::nullopt;
}

}  // namespace pathways
