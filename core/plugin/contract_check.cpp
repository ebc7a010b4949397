#include "plugin/contract_check.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <exception>
#include <memory>
#include <numeric>
#include <random>
#include <stdexcept>
#include <utility>

#include "common/text_safety.hpp"
#include "plugin/checked_evaluation.hpp"
#include "plugin/elf_file.hpp"
#include "plugin/plugin_error.hpp"
#include "plugin/plugin_library.hpp"
#include "plugin/plugin_metadata.hpp"
#include "plugin/validation.hpp"

namespace pathways {

// ---------------------------------------------------------------------------------------------------------
// Reading one plugin file

std::optional<std::vector<model_handle>> read_plugin_file(const std::filesystem::path& file, std::string& problem) {
    std::error_code error;
    const std::filesystem::path target = std::filesystem::canonical(file, error);
    if (error) {
        problem = "cannot open the file: " + error.message();
        return std::nullopt;
    }
    const std::optional<elf_plugin_facts> facts = read_elf_plugin(target, problem);
    if (!facts) return std::nullopt;
    if (!facts->has_metadata) {
        problem = std::string("no '") + sdk::metadata::section_name +
                  "' section; expected a plugin declared with PATHWAYS_EFFECT_PLUGIN";
        return std::nullopt;
    }
    std::optional<plugin_metadata> metadata = decode_plugin_metadata(facts->metadata, target.string(), problem);
    if (!metadata) return std::nullopt;
    if (!facts->exports_entry) {
        problem = std::string("no entry symbol '") + sdk::entry_symbol +
                  "'; expected a plugin declared with PATHWAYS_EFFECT_PLUGIN";
        return std::nullopt;
    }
    std::vector<model_handle> declared;
    for (const declared_model& d : metadata->models) {
        std::vector<sdk::parameter_spec> specs;
        const std::vector<std::string> found = model_problems(declared_view(d, specs));
        if (!found.empty()) {
            problem = "effect model '" + d.model.name + "': " + found.front();
            return std::nullopt;
        }
        declared.push_back(d.model);
    }
    const auto library = std::make_shared<const plugin_library>(file, target, declared);
    for (model_handle& model : declared) model.library = library;
    return declared;
}

// ---------------------------------------------------------------------------------------------------------
// The checks

std::string_view check_name(contract_check check) {
    switch (check) {
        case contract_check::outputs_written: return "outputs written and finite";
        case contract_check::parameter_ranges: return "declared parameter ranges";
        case contract_check::tile_and_block: return "tile and block sizes";
        case contract_check::cells_independent: return "cells independent";
        case contract_check::at_rest: return "at rest";
        case contract_check::count: break;
    }
    return "unknown";
}

bool contract_report::passed() const {
    return !checks.empty() && std::all_of(checks.begin(), checks.end(), [](const auto& c) { return c.passed; });
}

namespace {

constexpr std::size_t fixture_cells = 256;
constexpr std::size_t random_parameter_sets = 5;
constexpr int fixture_year = 2;
constexpr std::array<int, 3> resting_years{0, 1, 9};

/// A failure of the model under check, with what it did wrong.
class contract_violation : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

std::string number(double value) { return shortest_number(value); }

/// A NaN whose payload no arithmetic produces: a cell still holding it was never written.
const double unwritten = std::bit_cast<double>(std::uint64_t{0x7ff8'dead'beef'0bad});

bool is_unwritten(double value) {
    return std::bit_cast<std::uint64_t>(value) == std::bit_cast<std::uint64_t>(unwritten);
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

/// Seeded values: std::mt19937_64's output is the same on every platform, and the conversions below are ours.
class random_source {
public:
    explicit random_source(std::uint64_t seed) : engine_(seed) {}
    double uniform(double low, double high) {
        return low + (high - low) * static_cast<double>(engine_() >> 11) * 0x1.0p-53;
    }
    std::size_t below(std::size_t count) { return static_cast<std::size_t>(engine_() % count); }
    std::uint8_t code_below(int count) { return static_cast<std::uint8_t>(below(static_cast<std::size_t>(count))); }

private:
    std::mt19937_64 engine_;
};

/// The node under evaluation: the host calls models for nodes of these shapes.
struct node_setting {
    std::string_view id;
    sdk::node_kind kind;
    bool accumulates;
    std::string_view subject;
};

constexpr std::array<node_setting, 3> node_settings{{
    {"academic.achievement.math", sdk::node_kind::academic_outcome, true, "math"},
    {"academic.growth.math", sdk::node_kind::academic_outcome, false, "math"},
    {"student.engagement", sdk::node_kind::student_outcome, false, ""},
}};

std::string describe_node(const node_setting& node) {
    return "node '" + std::string(node.id) + "'" + (node.accumulates ? " (accumulates)" : "");
}

struct parent_fixture {
    std::string id;
    sdk::node_kind kind;
    std::vector<double> weight;    ///< per draw
    std::vector<double> current;   ///< draws x cells
    std::vector<double> previous;  ///< draws x cells
    std::vector<double> initial;   ///< per cell
};

/// One parameter value per declared parameter, and what makes the set worth trying.
struct parameter_set {
    std::string label;
    std::vector<double> values;
};

/// Every input of one node and one year over `fixture_cells` cells and one draw per parameter set, owned;
/// `view` points an `sdk::evaluation` at any slice of it. Per-draw blocks are rows of `fixture_cells`.
struct fixture {
    node_setting node{};
    int year = fixture_year;
    std::size_t draws = 0;
    std::vector<std::uint8_t> race, ell, frl, sped, grade_band;
    std::vector<double> students, baseline_achievement, baseline_implementation;
    std::vector<double> exposure, implementation, foundations, school_effect;  // draws x cells
    std::vector<double> pl_school_count;                                       // per draw
    std::vector<parent_fixture> parents;
    std::vector<double> previous;           ///< draws x cells
    std::vector<double> initial;            ///< per cell
    std::vector<parameter_set> parameters;  ///< one per draw
};

std::vector<double> random_values(random_source& random, std::size_t count, double low, double high) {
    std::vector<double> values(count);
    for (double& v : values) v = random.uniform(low, high);
    return values;
}

std::vector<double> whole_values(random_source& random, std::size_t count, std::size_t below) {
    std::vector<double> values(count);
    for (double& v : values) v = static_cast<double>(random.below(below));
    return values;
}

/// `base` per cell, moved by a random amount in [low, high) in every draw.
std::vector<double> moved_rows(random_source& random, const std::vector<double>& base, std::size_t draws, double low,
                               double high) {
    std::vector<double> rows(draws * base.size());
    for (std::size_t d = 0; d < draws; ++d) {
        for (std::size_t i = 0; i < base.size(); ++i) rows[d * base.size() + i] = base[i] + random.uniform(low, high);
    }
    return rows;
}

std::vector<parent_fixture> make_parents(random_source& random, const node_setting& node, std::size_t draws) {
    const bool student = node.kind == sdk::node_kind::student_outcome;
    const std::array<std::pair<std::string_view, sdk::node_kind>, 3> shapes{{
        {"driver.practice", sdk::node_kind::secondary_driver},
        {"foundation.culture", sdk::node_kind::foundational_practice},
        {student ? "driver.primary" : "student.engagement",
         student ? sdk::node_kind::primary_driver : sdk::node_kind::student_outcome},
    }};
    std::vector<parent_fixture> parents;
    for (const auto& [id, kind] : shapes) {
        parent_fixture p{std::string(id), kind, random_values(random, draws, -0.5, 1.0), {}, {}, {}};
        p.initial = random_values(random, fixture_cells, 0.0, 2.5);
        p.current = moved_rows(random, p.initial, draws, -0.3, 1.0);
        p.previous = moved_rows(random, p.initial, draws, -0.3, 0.6);
        parents.push_back(std::move(p));
    }
    return parents;
}

template <typename T>
std::vector<T> codes(random_source& random, int count) {
    std::vector<T> values(fixture_cells);
    for (T& v : values) v = random.code_below(count);
    return values;
}

fixture make_fixture(random_source& random, const node_setting& node, std::vector<parameter_set> parameters) {
    fixture f;
    f.node = node;
    f.draws = parameters.size();
    f.parameters = std::move(parameters);
    f.race = codes<std::uint8_t>(random, sdk::race_count);
    f.ell = codes<std::uint8_t>(random, sdk::ell_status_count);
    f.frl = codes<std::uint8_t>(random, 2);
    f.sped = codes<std::uint8_t>(random, 2);
    f.grade_band = codes<std::uint8_t>(random, sdk::grade_band_count);
    f.students = whole_values(random, fixture_cells, 200);
    for (double& s : f.students) s += 1.0;
    f.baseline_achievement = random_values(random, fixture_cells, -1.0, 1.0);
    f.baseline_implementation = random_values(random, fixture_cells, 0.0, 2.5);
    const std::size_t block = f.draws * fixture_cells;
    f.exposure = whole_values(random, block, 6);
    f.implementation = moved_rows(random, f.baseline_implementation, f.draws, -0.2, 0.5);
    f.foundations = random_values(random, block, 0.0, 3.0);
    f.school_effect = random_values(random, block, -0.5, 2.0);
    f.pl_school_count = whole_values(random, f.draws, 400);
    f.parents = make_parents(random, node, f.draws);
    f.initial = random_values(random, fixture_cells, -1.0, 1.0);
    f.previous = moved_rows(random, f.initial, f.draws, -0.2, 0.4);
    return f;
}

/// The same fixture where nothing has moved, as the SDK's at-rest contract states it: every parent's current
/// and previous values are its initial ones, the node's previous values its initial ones, no exposure,
/// implementation at its baseline. Parameters, weights, foundations, school effects and `pl_school_count`
/// stay as drawn: at rest the output may depend on none of them.
fixture make_resting(fixture f) {
    const auto baseline_rows = [&f](const std::vector<double>& base) {
        std::vector<double> rows;
        for (std::size_t d = 0; d < f.draws; ++d) rows.insert(rows.end(), base.begin(), base.end());
        return rows;
    };
    for (parent_fixture& p : f.parents) {
        p.current = baseline_rows(p.initial);
        p.previous = p.current;
    }
    f.previous = baseline_rows(f.initial);
    std::fill(f.exposure.begin(), f.exposure.end(), 0.0);
    f.implementation = baseline_rows(f.baseline_implementation);
    return f;
}

/// Moves cell `order[i]` of every per-cell input to position i.
template <typename T>
std::vector<T> permuted(const std::vector<T>& values, const std::vector<std::size_t>& order) {
    std::vector<T> result(values.size());
    for (std::size_t start = 0; start < values.size(); start += order.size()) {
        for (std::size_t i = 0; i < order.size(); ++i) result[start + i] = values[start + order[i]];
    }
    return result;
}

fixture make_permuted(const fixture& f, const std::vector<std::size_t>& order) {
    fixture p = f;
    for (auto* v : {&p.race, &p.ell, &p.frl, &p.sped, &p.grade_band}) *v = permuted(*v, order);
    for (auto* v : {&p.students, &p.baseline_achievement, &p.baseline_implementation, &p.exposure, &p.implementation,
                    &p.foundations, &p.school_effect, &p.previous, &p.initial}) {
        *v = permuted(*v, order);
    }
    for (parent_fixture& parent : p.parents) {
        for (auto* v : {&parent.current, &parent.previous, &parent.initial}) *v = permuted(*v, order);
    }
    return p;
}

/// A part of the fixture one call covers: `cells` cells from `cell_begin`, `draws` draws from `draw_begin`.
struct slice {
    std::size_t cell_begin = 0;
    std::size_t cells = 0;
    std::size_t draw_begin = 0;
    std::size_t draws = 0;
};

/// An `sdk::evaluation` over one slice of a fixture, writing into `out` (draws x cells, as the fixture).
class slice_evaluation {
public:
    slice_evaluation(const fixture& f, const slice& s, std::vector<double>& out) {
        const auto per_cell = [&s](const auto& values) { return std::span(values).subspan(s.cell_begin, s.cells); };
        const auto per_draw = [&s](const std::vector<double>& values) {
            return std::span<const double>(values).subspan(s.draw_begin, s.draws);
        };
        const auto rows = [&s](const std::vector<double>& values) {
            return sdk::block_values{values.data() + s.draw_begin * fixture_cells + s.cell_begin, fixture_cells};
        };
        cells_ = {per_cell(f.race),
                  per_cell(f.ell),
                  per_cell(f.frl),
                  per_cell(f.sped),
                  per_cell(f.grade_band),
                  per_cell(f.students),
                  per_cell(f.baseline_achievement),
                  per_cell(f.baseline_implementation),
                  rows(f.exposure),
                  rows(f.implementation),
                  rows(f.foundations),
                  rows(f.school_effect)};
        for (const parent_fixture& p : f.parents) {
            parents_.push_back(
                {p.id, p.kind, per_draw(p.weight), rows(p.current), rows(p.previous), per_cell(p.initial)});
        }
        // Parameters are laid out slot by slot, each for every draw of the block.
        const std::size_t slots = f.parameters.empty() ? 0 : f.parameters.front().values.size();
        for (std::size_t slot = 0; slot < slots; ++slot) {
            for (std::size_t d = 0; d < s.draws; ++d)
                parameters_.push_back(f.parameters[s.draw_begin + d].values[slot]);
        }
        e_.node_id = f.node.id;
        e_.kind = f.node.kind;
        e_.year_index = f.year;
        e_.draw_count = s.draws;
        e_.cell_count = s.cells;
        e_.pl_school_count = per_draw(f.pl_school_count);
        e_.parents = parents_;
        e_.previous = rows(f.previous);
        e_.initial = per_cell(f.initial);
        e_.cells = &cells_;
        e_.parameters = parameters_;
        e_.out = {out.data() + s.draw_begin * fixture_cells + s.cell_begin, fixture_cells};
        e_.accumulates = f.node.accumulates;
        e_.subject = f.node.subject;
    }
    slice_evaluation(const slice_evaluation&) = delete;
    slice_evaluation& operator=(const slice_evaluation&) = delete;

    [[nodiscard]] const sdk::evaluation& get() const { return e_; }

private:
    sdk::cell_attributes cells_;
    std::vector<sdk::parent_values> parents_;
    std::vector<double> parameters_;
    sdk::evaluation e_;
};

/// Calls the model on one slice, after filling it with the unwritten pattern, and checks every cell of it.
void evaluate_slice(evaluate_function evaluate, const fixture& f, const slice& s, std::vector<double>& out) {
    for (std::size_t d = 0; d < s.draws; ++d) {
        double* row = out.data() + (s.draw_begin + d) * fixture_cells + s.cell_begin;
        std::fill(row, row + s.cells, unwritten);
    }
    const slice_evaluation view(f, s, out);
    try {
        evaluate(view.get());
    } catch (const std::exception& error) {
        throw contract_violation(std::string("it threw: ") + error.what());
    } catch (...) {
        throw contract_violation("it threw something that is not a std::exception");
    }
    for (std::size_t d = 0; d < s.draws; ++d) {
        const double* row = out.data() + (s.draw_begin + d) * fixture_cells + s.cell_begin;
        for (std::size_t i = 0; i < s.cells; ++i) {
            const std::string where = " cell " + std::to_string(i) + " of draw " + std::to_string(d) +
                                      " in a call over " + std::to_string(s.cells) + " cells and " +
                                      std::to_string(s.draws) + " draws";
            if (is_unwritten(row[i])) throw contract_violation("it left" + where + " unwritten");
            if (!std::isfinite(row[i])) throw contract_violation("it returned " + number(row[i]) + " for" + where);
        }
    }
}

/// Every draw and cell of the fixture, in tiles of `tile` cells and blocks of `block` draws.
std::vector<double> evaluate_all(evaluate_function evaluate, const fixture& f, std::size_t tile, std::size_t block) {
    std::vector<double> out(f.draws * fixture_cells, unwritten);
    for (std::size_t d = 0; d < f.draws; d += block) {
        for (std::size_t c = 0; c < fixture_cells; c += tile) {
            evaluate_slice(evaluate, f, {c, std::min(tile, fixture_cells - c), d, std::min(block, f.draws - d)}, out);
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------------
// Parameter sets: defaults, each end of each range, random values inside; never a value outside.

double random_within(random_source& random, const parameter_info& p) {
    if (p.type == sdk::parameter_type::real) return random.uniform(p.min, p.max);
    const double span = std::floor(p.max) - std::ceil(p.min);
    return std::ceil(p.min) + static_cast<double>(random.below(static_cast<std::size_t>(span) + 1));
}

std::vector<parameter_set> parameter_sets(const model_handle& model, random_source& random) {
    const std::vector<double> defaults = model.default_values();
    std::vector<parameter_set> sets{{"the defaults", defaults}};
    std::vector<double> lows, highs;
    for (const parameter_info& p : model.parameters) {
        lows.push_back(p.min);
        highs.push_back(p.max);
    }
    if (!model.parameters.empty()) {
        sets.push_back({"every parameter at its minimum", lows});
        sets.push_back({"every parameter at its maximum", highs});
    }
    for (std::size_t i = 0; i < model.parameters.size(); ++i) {
        const parameter_info& p = model.parameters[i];
        for (const auto& [end, value] : {std::pair{"minimum", p.min}, std::pair{"maximum", p.max}}) {
            std::vector<double> values = defaults;
            values[i] = value;
            sets.push_back({"'" + p.name + "' at its " + end + " " + number(value) + ", the others at defaults",
                            std::move(values)});
        }
    }
    for (std::size_t r = 0; r < random_parameter_sets; ++r) {
        std::vector<double> values;
        for (const parameter_info& p : model.parameters) values.push_back(random_within(random, p));
        sets.push_back({"random values within the ranges (set " + std::to_string(r + 1) + ")", std::move(values)});
    }
    return sets;
}

/// The checker's own promise: it never hands a model a value its declaration rules out.
void require_within_ranges(const model_handle& model, const std::vector<parameter_set>& sets) {
    for (const parameter_set& set : sets) {
        for (std::size_t i = 0; i < model.parameters.size(); ++i) {
            const parameter_info& p = model.parameters[i];
            const double v = set.values[i];
            if (!(v >= p.min && v <= p.max) || (p.type != sdk::parameter_type::real && v != std::floor(v)))
                throw std::logic_error("check-plugin built parameter '" + p.name + "' = " + number(v) +
                                       " outside its declaration");
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// One function per check: each returns its passing description or throws contract_violation.

struct check_inputs {
    evaluate_function evaluate;
    std::vector<fixture> fixtures;  ///< one per node setting
    std::size_t parameter_count;
};

/// Runs `body` on `f`, naming the node in any violation it finds.
template <typename Body>
void within_node(const fixture& f, Body body) {
    try {
        body();
    } catch (const contract_violation& v) {
        throw contract_violation(describe_node(f.node) + ": " + v.what());
    }
}

std::string fixture_scope(const check_inputs& in) {
    return std::to_string(in.fixtures.size()) + " node kinds, " + std::to_string(fixture_cells) + " cells, " +
           std::to_string(in.fixtures.front().draws) + " draws";
}

std::string check_outputs_written(const check_inputs& in) {
    for (const fixture& f : in.fixtures)
        within_node(f, [&] { (void)evaluate_all(in.evaluate, f, fixture_cells, f.draws); });
    return "every output cell written and finite (" + fixture_scope(in) + ")";
}

std::string check_parameter_ranges(const check_inputs& in) {
    for (const fixture& f : in.fixtures) {
        std::vector<double> out(f.draws * fixture_cells);
        for (std::size_t d = 0; d < f.draws; ++d) {
            try {
                evaluate_slice(in.evaluate, f, {0, fixture_cells, d, 1}, out);
            } catch (const contract_violation& v) {
                throw contract_violation(describe_node(f.node) + ", with " + f.parameters[d].label + ": " + v.what());
            }
        }
    }
    if (in.parameter_count == 0) return "the model declares no parameters; nothing to pass it";
    return "defaults, both ends of " + std::to_string(in.parameter_count) +
           (in.parameter_count == 1 ? " declared range and " : " declared ranges and ") +
           std::to_string(random_parameter_sets) + " random sets within them accepted";
}

/// The same bits in tiles of 1, 7 and all cells and blocks of 1, 3 and all draws as in one call over all.
void compare_tiles_and_blocks(evaluate_function evaluate, const fixture& f) {
    const std::vector<double> reference = evaluate_all(evaluate, f, fixture_cells, f.draws);
    for (const std::size_t block : {std::size_t{1}, std::size_t{3}, f.draws}) {
        for (const std::size_t tile : {std::size_t{1}, std::size_t{7}, fixture_cells}) {
            const std::vector<double> out = evaluate_all(evaluate, f, tile, block);
            const auto differs = std::mismatch(reference.begin(), reference.end(), out.begin(), same_bits);
            if (differs.first == reference.end()) continue;
            const auto k = static_cast<std::size_t>(differs.first - reference.begin());
            throw contract_violation("in tiles of " + std::to_string(tile) + " cells and blocks of " +
                                     std::to_string(block) + " draws, cell " + std::to_string(k % fixture_cells) +
                                     " of draw " + std::to_string(k / fixture_cells) + " is " + number(out[k]) +
                                     " where one call over all " + std::to_string(fixture_cells) + " cells and " +
                                     std::to_string(f.draws) + " draws gave " + number(reference[k]));
        }
    }
}

std::string check_tile_and_block(const check_inputs& in) {
    for (const fixture& f : in.fixtures) within_node(f, [&] { compare_tiles_and_blocks(in.evaluate, f); });
    return "the same bits in tiles of 1, 7 and " + std::to_string(fixture_cells) + " cells and blocks of 1, 3 and " +
           std::to_string(in.fixtures.front().draws) + " draws";
}

/// Cell `order[i]` of the fixture, moved to position i, gives the same bits there.
void compare_permuted(evaluate_function evaluate, const fixture& f, const std::vector<std::size_t>& order) {
    const std::vector<double> reference = evaluate_all(evaluate, f, fixture_cells, f.draws);
    const std::vector<double> out = evaluate_all(evaluate, make_permuted(f, order), fixture_cells, f.draws);
    for (std::size_t d = 0; d < f.draws; ++d) {
        for (std::size_t i = 0; i < fixture_cells; ++i) {
            const double expected = reference[d * fixture_cells + order[i]];
            const double actual = out[d * fixture_cells + i];
            if (same_bits(expected, actual)) continue;
            throw contract_violation("after permuting the tile's cells, cell " + std::to_string(order[i]) +
                                     " (now at " + std::to_string(i) + ") of draw " + std::to_string(d) + " is " +
                                     number(actual) + " where it was " + number(expected) +
                                     ": its output depends on other cells");
        }
    }
}

std::string check_cells_independent(const check_inputs& in, random_source& random) {
    std::vector<std::size_t> order(fixture_cells);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::shuffle(order.begin(), order.end(), std::mt19937_64(random.below(std::size_t{1} << 30)));
    for (const fixture& f : in.fixtures) within_node(f, [&] { compare_permuted(in.evaluate, f, order); });
    return "permuting a tile's " + std::to_string(fixture_cells) + " cells permutes the outputs, to the bit";
}

/// Where nothing moved, every output is the node's initial value, in each of `resting_years`.
void compare_with_initial(evaluate_function evaluate, const fixture& moving) {
    fixture f = make_resting(moving);
    for (const int year : resting_years) {
        f.year = year;
        const std::vector<double> out = evaluate_all(evaluate, f, fixture_cells, f.draws);
        for (std::size_t k = 0; k < out.size(); ++k) {
            const double initial = f.initial[k % fixture_cells];
            if (out[k] == initial) continue;
            throw contract_violation("year " + std::to_string(year) + ", " + f.parameters[k / fixture_cells].label +
                                     ": cell " + std::to_string(k % fixture_cells) + " is " + number(out[k]) +
                                     " where nothing moved; expected its initial value " + number(initial));
        }
    }
}

std::string check_at_rest(const check_inputs& in) {
    for (const fixture& f : in.fixtures) within_node(f, [&] { compare_with_initial(in.evaluate, f); });
    return "nothing moved gives the initial values under every parameter set, random weights and "
           "pl_school_count, years 0, 1 and 9";
}

/// Nanoseconds per cell-year of one draw, over full tiles and blocks of 8 draws, for about 0.2 s.
double time_per_cell_year(const check_inputs& in) {
    const fixture& f = in.fixtures.front();
    const std::size_t block = std::min<std::size_t>(8, f.draws);
    std::vector<double> out(f.draws * fixture_cells);
    const slice_evaluation view(f, {0, fixture_cells, 0, block}, out);
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    std::size_t calls = 0;
    while (clock::now() - start < std::chrono::milliseconds(200)) {
        for (int i = 0; i < 16; ++i) in.evaluate(view.get());
        calls += 16;
    }
    const double seconds = std::chrono::duration<double>(clock::now() - start).count();
    return seconds * 1e9 / static_cast<double>(calls * block * fixture_cells);
}

contract_check_result run_one(contract_check check, const std::function<std::string()>& body) {
    try {
        return {check, true, body()};
    } catch (const contract_violation& v) {
        return {check, false, v.what()};
    }
}

}  // namespace

contract_report check_contract(const model_handle& model, std::uint64_t seed,
                               const std::function<void(contract_check)>& starting) {
    contract_report report;
    evaluate_function evaluate = nullptr;
    std::string load_problem;
    try {
        evaluate = resolve_evaluate(model);
        if (evaluate == nullptr) load_problem = "its evaluate function is null";
    } catch (const plugin_error& error) {
        load_problem = error.what();
    }
    if (!load_problem.empty()) {
        for (std::size_t c = 0; c < static_cast<std::size_t>(contract_check::count); ++c)
            report.checks.push_back({static_cast<contract_check>(c), false, load_problem});
        return report;
    }
    random_source random(seed);
    const std::vector<parameter_set> sets = parameter_sets(model, random);
    require_within_ranges(model, sets);
    check_inputs in{evaluate, {}, model.parameters.size()};
    for (const node_setting& node : node_settings) in.fixtures.push_back(make_fixture(random, node, sets));

    const auto run = [&](contract_check check, const std::function<std::string()>& body) {
        if (starting) starting(check);
        report.checks.push_back(run_one(check, body));
    };
    run(contract_check::outputs_written, [&] { return check_outputs_written(in); });
    run(contract_check::parameter_ranges, [&] { return check_parameter_ranges(in); });
    run(contract_check::tile_and_block, [&] { return check_tile_and_block(in); });
    run(contract_check::cells_independent, [&] { return check_cells_independent(in, random); });
    run(contract_check::at_rest, [&] { return check_at_rest(in); });
    if (report.checks.front().passed) report.nanoseconds_per_cell_year = time_per_cell_year(in);
    return report;
}

}  // namespace pathways
