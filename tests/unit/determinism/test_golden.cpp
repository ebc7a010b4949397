// Every shipped scenario, base and every variant, projects the same per-draw values as the engine
// that wrote tests/data/golden/projection_fingerprints.txt: a change to the engine may reassociate
// floating-point sums but must not change a result. Each run is condensed into fingerprints (per
// metric and course: a weighted sum and the sum of magnitudes of every row's value in every draw,
// the count of undefined values; and sampled rows' values), compared within 1e-12 relative (1e-12
// absolute below 1, where a difference of two levels may be all rounding). Years to close a gap
// divide by how far the gap narrowed, which can be a millionth of the levels it is the difference
// of: their rounding is amplified as much, so they are compared within 1e-8, as are the cost rows (costs
// per effect divide by an effect). Cost rows are fingerprinted under "<run>|costs".
//
// After a change that is meant to change results, rewrite the file and review its diff:
//   PATHWAYS_WRITE_GOLDEN=1 build/bin/test_determinism "[golden]"
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>

#include "engine/costs.hpp"
#include "engine/projection.hpp"
#include "engine/scenario_loader.hpp"
#include "plugin/registry.hpp"

namespace {

using namespace pathways;

constexpr std::int64_t golden_draws = 12;  // enough that every cut-risk scenario has cut draws
constexpr std::size_t sampled_rows = 24;
const std::filesystem::path golden_file =
    std::filesystem::path(PATHWAYS_TEST_DATA) / "data/golden/projection_fingerprints.txt";

/// A fingerprint value with the scale its tolerance is relative to.
struct fingerprint {
    double value = 0.0;
    double scale = 0.0;
    bool ill_conditioned = false;  ///< from years to close (not stored: known from the rows)
};
using fingerprints = std::map<std::string, fingerprint>;

/// Scenario files (not anchors, references or schemas): the JSON files that begin a "pathways" document.
/// Scenarios too large for a unit test (the national one has 3.5 million population cells); the
/// benchmark and the README's national run cover them.
constexpr std::string_view national_scale[] = {"national-scale-up.json"};

std::vector<std::filesystem::path> shipped_scenarios() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::filesystem::path(PATHWAYS_SOURCE_ROOT) / "scenarios")) {
        if (entry.path().extension() != ".json") continue;
        if (std::find(std::begin(national_scale), std::end(national_scale), entry.path().filename().string()) !=
            std::end(national_scale)) {
            continue;
        }
        std::ifstream in(entry.path());
        std::string head(200, '\0');
        in.read(head.data(), static_cast<std::streamsize>(head.size()));
        if (head.find("\"pathways\":") != std::string::npos) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

/// A weight in [1, 2) per (row, draw), so a compensating change in two values still moves the sum.
double mixing_weight(std::size_t row, std::size_t draw) {
    return 1.0 + static_cast<double>((row * 31 + draw * 17) % 101) / 101.0;
}

void add_fingerprints(const std::string& run, const projection_draws& draws, fingerprints& out) {
    const std::size_t rows = draws.rows.size();
    for (std::size_t i = 0; i < rows; ++i) {
        const metric_row& row = draws.rows[i];
        const std::string key =
            run + "|" + std::string(to_string(row.metric)) + "|" + std::string(to_string(row.course));
        const bool sampled = i % std::max<std::size_t>(1, rows / sampled_rows) == 0;
        // Years to close a gap and costs per effect divide by a difference of levels.
        const bool ill_conditioned = row.metric == metric::gap_years_to_close || is_cost_metric(row.metric);
        for (std::size_t d = 0; d < draws.draws; ++d) {
            const double x = draws.values[d * rows + i];
            if (std::isnan(x)) {
                out[key + "|undefined"].value += 1.0;
                continue;
            }
            fingerprint& sum = out[key + "|weighted_sum"];
            sum.ill_conditioned = out[key + "|magnitude"].ill_conditioned = ill_conditioned;
            sum.value += mixing_weight(i, d) * x;
            sum.scale += 2.0 * std::max(std::abs(x), 1.0);
            out[key + "|magnitude"].value += std::abs(x);
            out[key + "|magnitude"].scale += std::max(std::abs(x), 1.0);
            if (sampled && (d == 0 || d + 1 == draws.draws)) {
                out[run + "|row " + std::to_string(i) + "|draw " + std::to_string(d)] = {x, std::max(std::abs(x), 1.0),
                                                                                         ill_conditioned};
            }
        }
    }
}

fingerprints compute_fingerprints() {
    diagnostics found;
    const plugin_registry plugins =
        plugin_registry::discover(load_options{{PATHWAYS_PLUGIN_BUILD_DIR}, false, false, false}, found);
    fingerprints out;
    for (const auto& file : shipped_scenarios()) {
        const auto base = load_scenario(file, "base", plugins, scenario_overrides{}, found);
        REQUIRE(base);
        std::vector<std::string> variants{"base"};
        variants.insert(variants.end(), base->spec.variant_names.begin(), base->spec.variant_names.end());
        for (const std::string& variant : variants) {
            const auto loaded = load_scenario(file, variant, plugins, scenario_overrides{}, found);
            REQUIRE(loaded);
            const simulation sim({*loaded->graph, loaded->district, loaded->schools, loaded->cells, loaded->spec,
                                  *loaded->model},
                                 found);
            REQUIRE_FALSE(found.has_errors());
            projection_options options{golden_draws, loaded->spec.seed, 1, loaded->spec.report.min_n, true, {},
                                       nullptr};
            options.sustained_course = true;
            projection_draws draws = run_draws(sim, loaded->spec, options);
            add_fingerprints(file.stem().string() + "|" + variant, draws, out);
            // Cost rows under their own key, so that the fingerprints of the other rows stay as they were.
            append_cost_rows(draws, {sim, loaded->spec, loaded->schools, options});
            add_fingerprints(file.stem().string() + "|" + variant + "|costs",
                             rows_where(draws, [](const metric_row& row) { return is_cost_metric(row.metric); }), out);
        }
    }
    return out;
}

void write_golden(const fingerprints& prints) {
    std::filesystem::create_directories(golden_file.parent_path());
    std::ofstream out(golden_file);
    char number[64];
    for (const auto& [key, print] : prints) {
        std::snprintf(number, sizeof number, "%.17g %.17g", print.value, print.scale);
        out << key << '\t' << number << '\n';
    }
}

fingerprints read_golden() {
    fingerprints prints;
    std::ifstream in(golden_file);
    std::string line;
    while (std::getline(in, line)) {
        const auto tab = line.find('\t');
        std::istringstream numbers(line.substr(tab + 1));
        fingerprint print;
        numbers >> print.value >> print.scale;
        prints[line.substr(0, tab)] = print;
    }
    return prints;
}

}  // namespace

TEST_CASE("every shipped scenario and variant projects today's golden values", "[golden][determinism]") {
    const fingerprints now = compute_fingerprints();
    if (std::getenv("PATHWAYS_WRITE_GOLDEN") != nullptr) {
        write_golden(now);
        WARN("wrote " << golden_file.string());
        return;
    }
    const fingerprints golden = read_golden();
    REQUIRE(golden.size() > 100);
    for (const auto& [key, expected] : golden) {
        const auto found = now.find(key);
        INFO(key);
        REQUIRE(found != now.end());
        const double relative = found->second.ill_conditioned ? 1e-8 : 1e-12;
        const double tolerance = relative * std::max(expected.scale, std::abs(expected.value));
        CHECK(std::abs(found->second.value - expected.value) <= tolerance);
    }
    for (const auto& [key, print] : now) {
        INFO(key);
        CHECK(golden.contains(key));
    }
}

TEST_CASE("the golden fingerprints cover every shipped scenario", "[golden]") {
    const fingerprints golden = read_golden();
    const auto files = shipped_scenarios();
    REQUIRE(files.size() >= 5);
    for (const auto& file : files) {
        INFO(file.string());
        const std::string prefix = file.stem().string() + "|base|";
        const auto first = golden.lower_bound(prefix);
        CHECK((first != golden.end() && first->first.starts_with(prefix)));
    }
}
