#include "report/html_text.hpp"

#include <cmath>
#include <map>
#include <vector>

#include "common/text_format.hpp"

namespace pathways::html {
namespace {

std::string term_label(std::string_view term) {
    static const std::map<std::string, std::string, std::less<>> labels{
        {"all", "all students (district-wide)"},
        {"pl:yes", "students in PL schools"},
        {"pl:no", "students in other schools"},
        {"race:hispanic", "Hispanic"},
        {"race:black", "Black"},
        {"race:white", "White"},
        {"race:asian", "Asian"},
        {"race:multiracial", "multiracial"},
        {"race:american_indian", "American Indian"},
        {"race:pacific_islander", "Pacific Islander"},
        {"ell:ell", "English learners"},
        {"ell:exited", "former English learners"},
        {"ell:non_ell", "not English learners"},
        {"frl:yes", "free/reduced lunch"},
        {"frl:no", "not free/reduced lunch"},
        {"sped:yes", "special education"},
        {"sped:no", "not special education"},
        {"grade:elementary", "elementary grades"},
        {"grade:middle", "middle grades"},
        {"grade:high", "high school grades"},
    };
    const auto it = labels.find(term);
    return it == labels.end() ? std::string(term) : it->second;
}

}  // namespace

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string number(double value, int decimals, bool sign) {
    if (!std::isfinite(value)) return "n/a";
    std::string digits = fixed(std::abs(value), decimals);
    const bool zero = digits.find_first_not_of("0.") == std::string::npos;
    if (zero) return digits;
    if (value < 0) return "\u2212" + digits;
    return sign ? "+" + digits : digits;
}

std::string interval(double mean, double low, double high, int decimals, bool sign) {
    return number(mean, decimals, sign) + " [" + number(low, decimals, sign) + " to " + number(high, decimals, sign) +
           "]";
}

std::string coordinate(double value) {
    if (!std::isfinite(value)) value = 0.0;
    return fixed(value, 2);
}

std::string subgroup_label(std::string_view expression) {
    std::vector<std::string> terms;
    std::size_t start = 0;
    while (start <= expression.size()) {
        const auto amp = expression.find('&', start);
        const auto end = amp == std::string_view::npos ? expression.size() : amp;
        terms.push_back(term_label(expression.substr(start, end - start)));
        if (amp == std::string_view::npos) break;
        start = amp + 1;
    }
    std::string text;
    for (std::size_t i = 0; i < terms.size(); ++i) text += (i ? " & " : "") + terms[i];
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return text;
}

}  // namespace pathways::html
