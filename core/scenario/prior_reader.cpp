#include "scenario/prior_reader.hpp"

namespace pathways::json {
namespace {

struct dist_spec {
    std::string_view name;
    sdk::prior_kind kind;
};

constexpr dist_spec dists[] = {
    {"fixed", sdk::prior_kind::fixed},
    {"normal", sdk::prior_kind::normal},
    {"truncated_normal", sdk::prior_kind::truncated_normal},
    {"lognormal", sdk::prior_kind::lognormal},
    {"uniform", sdk::prior_kind::uniform},
    {"beta", sdk::prior_kind::beta},
};

constexpr std::string_view all_parameters[] = {"value", "mean", "sd", "lower", "upper", "mu", "sigma", "alpha", "beta"};

std::optional<sdk::prior_kind> kind_of(std::string_view name) {
    for (const dist_spec& spec : dists) {
        if (spec.name == name) return spec.kind;
    }
    return std::nullopt;
}

std::string expected_dists() {
    std::string text;
    for (const dist_spec& spec : dists) {
        if (!text.empty()) text += ", ";
        text += spec.name;
    }
    return text;
}

/// Reads a scale-like parameter that must be strictly positive.
std::optional<double> positive(object_reader& reader, std::string_view key) {
    const auto value = reader.required_number(key);
    if (value && *value <= 0.0) {
        reader.error_at(key, std::string(key) + " " + format_number(*value) +
                                 " is not positive; expected a number greater than 0");
        return std::nullopt;
    }
    return value;
}

/// Reads `lower` and `upper`, which must satisfy lower < upper.
bool bounds(object_reader& reader, sdk::prior& result) {
    const auto lower = reader.required_number("lower");
    const auto upper = reader.required_number("upper");
    if (!lower || !upper) return false;
    if (*lower >= *upper) {
        reader.error_at("upper", "upper " + format_number(*upper) + " is not greater than lower " +
                                     format_number(*lower) + "; expected lower < upper");
        return false;
    }
    result.lower = *lower;
    result.upper = *upper;
    return true;
}

bool read_parameters(object_reader& reader, sdk::prior& result) {
    switch (result.kind) {
        case sdk::prior_kind::fixed: {
            const auto value = reader.required_number("value");
            if (value) result.a = *value;
            return value.has_value();
        }
        case sdk::prior_kind::normal:
        case sdk::prior_kind::truncated_normal: {
            const auto mean = reader.required_number("mean");
            const auto sd = positive(reader, "sd");
            const bool bounded = result.kind == sdk::prior_kind::normal || bounds(reader, result);
            if (mean) result.a = *mean;
            if (sd) result.b = *sd;
            return mean && sd && bounded;
        }
        case sdk::prior_kind::lognormal: {
            const auto mu = reader.required_number("mu");
            const auto sigma = positive(reader, "sigma");
            if (mu) result.a = *mu;
            if (sigma) result.b = *sigma;
            return mu && sigma;
        }
        case sdk::prior_kind::uniform: return bounds(reader, result);
        case sdk::prior_kind::beta: {
            const auto alpha = positive(reader, "alpha");
            const auto beta = positive(reader, "beta");
            const bool bounded = bounds(reader, result);
            if (alpha) result.a = *alpha;
            if (beta) result.b = *beta;
            return alpha && beta && bounded;
        }
    }
    return false;
}

}  // namespace

const std::vector<std::string>& prior_dist_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> list;
        for (const dist_spec& spec : dists) list.emplace_back(spec.name);
        return list;
    }();
    return names;
}

std::optional<sdk::prior> read_prior(object_reader& reader) {
    const auto dist = reader.required_string("dist");
    std::optional<sdk::prior_kind> kind = dist ? kind_of(*dist) : std::nullopt;
    if (dist && !kind) {
        const std::string suggestion = did_you_mean(*dist, prior_dist_names());
        reader.error_at("dist", "unknown distribution '" + *dist + "'" +
                                    (suggestion.empty() ? "; expected one of " + expected_dists() : suggestion));
    }
    if (!kind) {
        // Without a known distribution the parameters cannot be checked; accept their names so
        // that the one real mistake is not buried under "unknown key" errors.
        for (const std::string_view key : all_parameters) reader.allow(key);
        reader.finish();
        return std::nullopt;
    }
    sdk::prior result;
    result.kind = *kind;
    const bool ok = read_parameters(reader, result);
    const std::size_t before = reader.out().items().size();
    reader.finish();
    if (!ok || reader.out().items().size() != before || !reader.valid()) return std::nullopt;
    return result;
}

std::optional<sdk::prior> read_prior(const document& doc, const std::string& pointer, diagnostics& out) {
    object_reader reader(doc, pointer, out);
    return read_prior(reader);
}

}  // namespace pathways::json
