#pragma once
/// \file
/// The pathways effect-model SDK: everything a plugin sees of the host.
///
/// std-only on purpose: no Eigen, Boost or nlohmann type crosses the boundary, so a plugin
/// built against this header depends on nothing but the C++ standard library. The host and
/// a plugin must agree on the ABI version and on the build fingerprint (C++ ABI, processor,
/// standard library; see build_config.hpp). `PATHWAYS_EFFECT_PLUGIN` also writes both, with everything its models declare,
/// into a data section that the host reads from the file without loading it, so a wrong-ABI or
/// corrupt library never runs and listing or validating loads no plugin at all.

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "pathways/sdk/build_config.hpp"

/// Put in front of a function whose loops run over a tile (a model's `evaluate`): it is compiled
/// twice, for AVX2 and for baseline x86-64, and the dynamic loader picks the one the CPU runs, so
/// the loops handle twice the doubles per instruction where AVX2 exists. The results are the same
/// bits either way (AVX2 without FMA: the same IEEE operations in the same order). Empty elsewhere.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(__SANITIZE_ADDRESS__)
#define PATHWAYS_VECTORISED __attribute__((target_clones("avx2", "default")))
#else
#define PATHWAYS_VECTORISED
#endif

namespace pathways::sdk {
inline namespace abi_v3 {

/// Bumped whenever a type in this header changes layout or meaning.
inline constexpr std::uint32_t abi_version = 3;

/// The kinds of theory-of-change node, in causal order: conditions and foundational practices enable
/// the drivers, which move student outcomes, then academic outcomes and the district's goals.
enum class node_kind : std::uint8_t {
    condition,
    foundational_practice,
    primary_driver,
    secondary_driver,
    student_outcome,
    academic_outcome,
    goal,
};

/// Distribution of an uncertain quantity, drawn once per Monte Carlo draw.
/// - fixed:            always `a`
/// - normal:           mean `a`, sd `b`
/// - truncated_normal: mean `a`, sd `b`, restricted to [lower, upper]
/// - lognormal:        exp(N(a, b^2))
/// - uniform:          on [lower, upper]
/// - beta:             Beta(a, b) rescaled to [lower, upper]
enum class prior_kind : std::uint8_t { fixed, normal, truncated_normal, lognormal, uniform, beta };

struct prior {
    prior_kind kind = prior_kind::fixed;
    double a = 0.0;
    double b = 0.0;
    double lower = 0.0;
    double upper = 0.0;
};

enum class parameter_type : std::uint8_t { real, integer, boolean };

/// A parameter a model declares; the host validates scenario values against it, draws it
/// from `uncertainty` per draw, and prints it in `pathways describe`.
struct parameter_spec {
    std::string_view name;  ///< dotted identifier, e.g. "multiplier.race.black"
    parameter_type type = parameter_type::real;
    std::string_view unit;  ///< e.g. "SD/year", "ratio"
    double default_value = 0.0;
    double min = 0.0;  ///< valid range, inclusive
    double max = 0.0;
    prior uncertainty;  ///< prior used in Monte Carlo runs
    std::string_view description;
    std::string_view source;    ///< where the default comes from: the study by authors, year and short title
                                ///< ("Pane et al. 2017, Informing Progress"), as `pathways sources` lists them
    std::string_view evidence;  ///< evidence tag, kept out of `source`: "S", "S2", "R" or "A"
};

/// Subgroup codes carried by every population cell.
enum class race : std::uint8_t { hispanic, black, white, asian, multiracial, american_indian, pacific_islander };
inline constexpr int race_count = 7;
enum class ell_status : std::uint8_t { non_ell, ell, exited };
inline constexpr int ell_status_count = 3;
enum class grade_band : std::uint8_t { elementary, middle, high };
inline constexpr int grade_band_count = 3;

/// The most cells one evaluation covers: a model may keep per-cell scratch of this size on its stack.
inline constexpr std::size_t max_tile_cells = 1024;

/// Per-cell values of every draw of a block, row by row: draw d's value for cell i of the tile is
/// `data[d * draw_stride + i]`, so a loop over the cells of one draw reads contiguous memory. A
/// `draw_stride` of 0 means every draw shares one row (values no draw changes, e.g. a parent the plan
/// keeps at its baseline).
struct block_values {
    const double* data = nullptr;
    std::size_t draw_stride = 0;
    [[nodiscard]] const double* row(std::size_t draw) const { return data + draw * draw_stride; }
};

/// Where a model writes: draw d's value for cell i at `data[d * draw_stride + i]` (`draw_stride` >= the
/// tile's cell count).
struct block_output {
    double* data = nullptr;
    std::size_t draw_stride = 0;
    [[nodiscard]] double* row(std::size_t draw) const { return data + draw * draw_stride; }
};

/// Attributes of the tile's cells. Spans hold one entry per cell and are the same in every draw;
/// `block_values` differ per draw.
struct cell_attributes {
    std::span<const std::uint8_t> race;               ///< pathways::sdk::race
    std::span<const std::uint8_t> ell;                ///< pathways::sdk::ell_status
    std::span<const std::uint8_t> frl;                ///< 1 = eligible for free/reduced-price lunch
    std::span<const std::uint8_t> sped;               ///< 1 = has an IEP
    std::span<const std::uint8_t> grade_band;         ///< pathways::sdk::grade_band
    std::span<const double> students;                 ///< head count (weights for any aggregate)
    std::span<const double> baseline_achievement;     ///< mean achievement at baseline, SD vs district
    std::span<const double> baseline_implementation;  ///< mean secondary-driver level at baseline
    block_values years_of_exposure;                   ///< per draw: years the cell's school has run PL (0 = none)
    block_values
        implementation;  ///< per draw: mean secondary-driver level this year, its change scaled by `school_effect`
    block_values
        foundations;  ///< per draw: mean foundational-practice level this year, 0..3 (3 when the model has none)
    /// Per draw: the multiplier on the cell's school's PL dose (1 = the average school; below 0 = PL harms
    /// there). The host has already applied it to `implementation` and to every driver parent's change.
    block_values school_effect;
};

/// One incoming edge of the node being evaluated, with the parent's values over the tile.
struct parent_values {
    std::string_view id;
    node_kind kind = node_kind::condition;
    std::span<const double> weight;   ///< per draw: the edge weight, SD of the target per unit of the parent
    block_values current;             ///< per draw: parent this year
    block_values previous;            ///< per draw: parent last year (baseline in the first year)
    std::span<const double> initial;  ///< per cell: parent at baseline (the same in every draw)
};

/// Everything one batch evaluation sees: one node and one year, for a block of `draw_count` Monte
/// Carlo draws (or courses of one draw) over a tile of `cell_count` cells (at most `max_tile_cells`).
///
/// What may differ per draw: `weight` of each parent, `parameters`, `pl_school_count`, every
/// `block_values` (the parents' and the node's series, exposure, implementation, foundations,
/// school_effect) and `out`. The same for every draw: the node, its kind, role and subject, the year,
/// `initial` and the parents' `initial`, and the per-cell attribute spans.
struct evaluation {
    std::string_view node_id;
    node_kind kind = node_kind::student_outcome;
    int year_index = 0;                       ///< 0 = first projected year
    std::size_t draw_count = 0;               ///< draws in the block
    std::size_t cell_count = 0;               ///< cells in the tile
    std::span<const double> pl_school_count;  ///< per draw: schools running PL this year (for scale effects)
    std::span<const parent_values> parents;
    block_values previous;            ///< per draw: this node last year
    std::span<const double> initial;  ///< per cell: this node at baseline
    const cell_attributes* cells = nullptr;
    /// The block's parameter values, in declaration order, each for every draw:
    /// `parameters[slot * draw_count + draw]`; `parameter(slot)` gives one parameter's span.
    std::span<const double> parameters;
    block_output out;  ///< write this year's value for every draw and cell
    /// The node is a test score whose level carries over from year to year (role "achievement" in
    /// the model file): effects on it may accumulate. Other outcomes respond to this year's dose.
    bool accumulates = false;
    std::string_view subject;  ///< an achievement node's tested subject ("math", "ela", ...)

    /// One parameter's value for every draw of the block (empty when `slot` is out of range).
    [[nodiscard]] std::span<const double> parameter(std::size_t slot) const {
        if ((slot + 1) * draw_count > parameters.size()) return {};
        return parameters.subspan(slot * draw_count, draw_count);
    }
};

/// An effect model: pure function of its inputs, so the host may call it from many threads.
/// The per-cell contract: a cell's output for a draw may depend only on that cell's entries for that
/// draw (its parents' values, its own series, its attributes) and on that draw's scalars (parameters,
/// edge weights, `pl_school_count`) and the year, never on other cells or other draws; and
/// `pl_school_count` may change only cells of schools running PL. The host relies on it to cut cells
/// and draws into tiles and blocks of any size, and to evaluate cells the plan never reaches once,
/// for business as usual, reusing them in the scenario.
/// The at-rest contract: a model says how drivers move outcomes, so where nothing has moved (every
/// parent's current and previous values equal to its initial ones, the node's previous values equal
/// to its initial ones, no exposure, implementation at its baseline) it returns the node's initial
/// values, whatever the parameters, edge weights, year and `pl_school_count`. Trends the district
/// expects without PL belong in its profile, not in a model. The host relies on it to run business as
/// usual once instead of once a draw; it checks it under the central parameters and one drawn set and, if a model moves
/// a node at rest there, runs business as usual in every draw instead.
/// `evaluate` reports failure by throwing a std::exception; the host names plugin, node and
/// operation in the message it shows.
struct effect_model_info {
    std::string_view name;  ///< bare identifier, unique across the search path
    std::string_view version;
    std::string_view description;  ///< one line
    std::span<const parameter_spec> parameters;
    void (*evaluate)(const evaluation&) = nullptr;
    /// The declared real parameter that scales the model's effect on achievement, the knob
    /// `pathways calibrate` solves for so a scenario reproduces a study's effect; the effect must
    /// rise (or fall) monotonically with it. Empty: the model cannot be calibrated.
    std::string_view calibration_parameter;
};

/// Handed to a plugin's registration function; the host owns it.
class registrar {
public:
    virtual void add(const effect_model_info& model) = 0;

protected:
    ~registrar() = default;
};

/// What the exported entry symbol returns. `abi_version` must stay the first member.
struct plugin_entry {
    std::uint32_t abi_version;
    const char* fingerprint;
    void (*register_models)(registrar&);
};

/// Name of the exported entry symbol.
inline constexpr const char* entry_symbol = "pathways_plugin_entry_v1";

}  // namespace abi_v3

/// The metadata record a plugin carries in its `.pathways_meta` section, read by the host before
/// it loads the file. Outside the ABI namespace on purpose: the header (magic, record version, ABI
/// version) must stay readable across ABI versions so a mismatch can be named.
///
/// Layout, every integer little-endian, `str` = u32 byte count then the bytes (no terminator):
///   header:    char magic[8] "PATHWAYS", u32 record_version, u32 abi_version, u32 record_size
///              (bytes of the whole record, header included)
///   body:      str fingerprint, u32 model_count, model_count x model
///   model:     str name, str version, str description, str calibration_parameter,
///              u8 has_evaluate, u32 parameter_count, parameter_count x parameter
///   parameter: str name, u8 type, str unit, f64 default, f64 min, f64 max,
///              u8 prior kind, f64 prior a, f64 prior b, f64 prior lower, f64 prior upper,
///              str description, str source, str evidence
/// f64 is the IEEE-754 bit pattern as a u64.
namespace metadata {

inline constexpr const char* section_name = ".pathways_meta";
inline constexpr std::string_view magic = "PATHWAYS";
/// Bumped whenever the layout above changes.
inline constexpr std::uint32_t record_version = 1;
/// Bytes before the body: magic, record_version, abi_version, record_size.
inline constexpr std::size_t header_size = 8 + 4 + 4 + 4;

/// Counts the bytes a record takes.
struct size_counter {
    std::size_t size = 0;
    constexpr void put(std::uint8_t) { ++size; }
};

template <std::size_t N>
struct record {
    std::uint8_t bytes[N];
};

template <std::size_t N>
struct record_writer {
    record<N> out{};
    std::size_t at = 0;
    constexpr void put(std::uint8_t byte) { out.bytes[at++] = byte; }
};

template <class Sink>
constexpr void put_u32(Sink& sink, std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) sink.put(static_cast<std::uint8_t>(value >> shift));
}

template <class Sink>
constexpr void put_f64(Sink& sink, double value) {
    const auto bits = std::bit_cast<std::uint64_t>(value);
    for (int shift = 0; shift < 64; shift += 8) sink.put(static_cast<std::uint8_t>(bits >> shift));
}

template <class Sink>
constexpr void put_str(Sink& sink, std::string_view text) {
    put_u32(sink, static_cast<std::uint32_t>(text.size()));
    for (char c : text) sink.put(static_cast<std::uint8_t>(c));
}

template <class Sink>
constexpr void put_parameter(Sink& sink, const parameter_spec& p) {
    put_str(sink, p.name);
    sink.put(static_cast<std::uint8_t>(p.type));
    put_str(sink, p.unit);
    put_f64(sink, p.default_value);
    put_f64(sink, p.min);
    put_f64(sink, p.max);
    sink.put(static_cast<std::uint8_t>(p.uncertainty.kind));
    put_f64(sink, p.uncertainty.a);
    put_f64(sink, p.uncertainty.b);
    put_f64(sink, p.uncertainty.lower);
    put_f64(sink, p.uncertainty.upper);
    put_str(sink, p.description);
    put_str(sink, p.source);
    put_str(sink, p.evidence);
}

template <class Sink>
constexpr void put_record(Sink& sink, std::uint32_t abi, std::string_view fingerprint,
                          std::span<const effect_model_info> models, std::uint32_t total_size) {
    for (char c : magic) sink.put(static_cast<std::uint8_t>(c));
    put_u32(sink, record_version);
    put_u32(sink, abi);
    put_u32(sink, total_size);
    put_str(sink, fingerprint);
    put_u32(sink, static_cast<std::uint32_t>(models.size()));
    for (const effect_model_info& m : models) {
        put_str(sink, m.name);
        put_str(sink, m.version);
        put_str(sink, m.description);
        put_str(sink, m.calibration_parameter);
        sink.put(m.evaluate != nullptr ? 1 : 0);
        put_u32(sink, static_cast<std::uint32_t>(m.parameters.size()));
        for (const parameter_spec& p : m.parameters) put_parameter(sink, p);
    }
}

/// Bytes of the record for these facts.
constexpr std::size_t record_size(std::uint32_t abi, std::string_view fingerprint,
                                  std::span<const effect_model_info> models) {
    size_counter counter;
    put_record(counter, abi, fingerprint, models, 0);
    return counter.size;
}

/// The record itself; `N` must be `record_size` of the same arguments.
template <std::size_t N>
constexpr record<N> make_record(std::uint32_t abi, std::string_view fingerprint,
                                std::span<const effect_model_info> models) {
    record_writer<N> writer;
    put_record(writer, abi, fingerprint, models, static_cast<std::uint32_t>(N));
    return writer.out;
}

}  // namespace metadata

/// Index of a declared parameter by name; -1 when absent. For use at registration time.
constexpr int parameter_index(std::span<const parameter_spec> specs, std::string_view name) {
    for (std::size_t i = 0; i < specs.size(); ++i) {
        if (specs[i].name == name) return static_cast<int>(i);
    }
    return -1;
}

namespace detail {

// The dose helpers are forced inline so they take the instruction set of the model function calling
// them (a PATHWAYS_VECTORISED clone), which GCC otherwise declines across target attributes.
#if defined(__GNUC__) || defined(__clang__)
#define PATHWAYS_SDK_INLINE [[gnu::always_inline]] inline
#else
#define PATHWAYS_SDK_INLINE inline
#endif

/// Leaves a finished dose as it is.
struct unchanged {
    PATHWAYS_SDK_INLINE double operator()(std::size_t, double dose) const { return dose; }
};

/// dose[i] = finish(i, (started ? dose[i] : 0) + weight * (current[i] - initial[i])) for one parent and draw.
template <class Finish>
PATHWAYS_SDK_INLINE void add_change(double* dose, std::size_t cells, bool started, const parent_values& a,
                                    std::size_t draw, Finish finish) {
    const double wa = a.weight[draw];
    const double* ca = a.current.row(draw);
    const double* ia = a.initial.data();
    if (started) {
        for (std::size_t i = 0; i < cells; ++i) dose[i] = finish(i, dose[i] + wa * (ca[i] - ia[i]));
    } else {
        for (std::size_t i = 0; i < cells; ++i) dose[i] = finish(i, 0.0 + wa * (ca[i] - ia[i]));
    }
}

/// The same for two parents in one pass: a's change is added before b's, as one at a time.
template <class Finish>
PATHWAYS_SDK_INLINE void add_two_changes(double* dose, std::size_t cells, bool started, const parent_values& a,
                                         const parent_values& b, std::size_t draw, Finish finish) {
    const double wa = a.weight[draw];
    const double* ca = a.current.row(draw);
    const double* ia = a.initial.data();
    const double wb = b.weight[draw];
    const double* cb = b.current.row(draw);
    const double* ib = b.initial.data();
    if (started) {
        for (std::size_t i = 0; i < cells; ++i)
            dose[i] = finish(i, (dose[i] + wa * (ca[i] - ia[i])) + wb * (cb[i] - ib[i]));
    } else {
        for (std::size_t i = 0; i < cells; ++i)
            dose[i] = finish(i, (0.0 + wa * (ca[i] - ia[i])) + wb * (cb[i] - ib[i]));
    }
}

/// `dose[i]` = finish(i, 0 + the sum over the parents `keep` accepts, in order, of weight[draw] *
/// (current[draw][i] - initial[i])), two parents per pass over the tile: the same additions in the
/// same order as one parent at a time, with half the loads and stores of `dose`; `finish` is applied
/// in the last pass, which saves a model that transforms the dose cell by cell a pass of its own.
template <class Keep, class Finish>
PATHWAYS_SDK_INLINE void weighted_change(const evaluation& e, std::size_t draw, double* dose, Keep keep,
                                         Finish finish) {
    const std::size_t cells = e.cell_count;
    std::size_t remaining = 0;  // kept parents not yet added
    for (const parent_values& p : e.parents) remaining += keep(p.kind) ? 1 : 0;
    if (remaining == 0) {
        for (std::size_t i = 0; i < cells; ++i) dose[i] = finish(i, 0.0);
        return;
    }
    bool started = false;  // dose holds a partial sum (else the sum starts from 0)
    const parent_values* pending = nullptr;
    for (const parent_values& p : e.parents) {
        if (!keep(p.kind)) continue;
        if (remaining == 1) {  // the last parent
            if (pending == nullptr) add_change(dose, cells, started, p, draw, finish);
            else add_two_changes(dose, cells, started, *pending, p, draw, finish);
            return;
        }
        --remaining;
        if (pending == nullptr) {
            pending = &p;
            continue;
        }
        add_two_changes(dose, cells, started, *pending, p, draw, unchanged{});
        started = true;
        pending = nullptr;
    }
}

template <class Keep>
PATHWAYS_SDK_INLINE void weighted_change(const evaluation& e, std::size_t draw, double* dose, Keep keep) {
    weighted_change(e, draw, dose, keep, unchanged{});
}

}  // namespace detail

/// The "dose" most models transform, for one draw over the tile: `dose[i]` = the sum over parents,
/// in order, of weight[draw] * (current[draw][i] - initial[i]). Kept here so every model computes it
/// the same way; the loops over cells are contiguous and vectorise. `dose` holds `e.cell_count` values.
PATHWAYS_SDK_INLINE void weighted_change_since_baseline(const evaluation& e, std::size_t draw, double* dose) {
    detail::weighted_change(e, draw, dose, [](node_kind) { return true; });
}

/// The same dose turned into `out[i]` = finish(i, dose) cell by cell as it is summed (no pass of its
/// own), e.g. `[&](std::size_t i, double dose) { return initial[i] + scale * dose; }`.
template <class Finish>
PATHWAYS_SDK_INLINE void weighted_change_since_baseline(const evaluation& e, std::size_t draw, double* out,
                                                        Finish finish) {
    detail::weighted_change(
        e, draw, out, [](node_kind) { return true; }, finish);
}

namespace detail {

/// expm1(y) for 0 <= y <= 40 (NaN stays NaN), without branches or library calls: y = k·ln2 + r with k
/// whole and |r| <= ln2/2, expm1(r) = r + r²·(1/2! + r/3! + ... + r^12/14!) (the rest is below 1e-17
/// of it), then expm1(y) = 2^k·expm1(r) + (2^k − 1), where 2^k − 1 is exact and k >= 0 keeps the sum
/// from cancelling. k is rounded by adding 1.5·2^52 (no double-to-integer conversion, which AVX2 lacks).
PATHWAYS_SDK_INLINE double expm1_nonnegative(double y) {
    constexpr double shifter = 0x1.8p52;
    constexpr double log2e = 1.44269504088896340736;
    constexpr double ln2_hi = 6.93147180369123816490e-01;  // k·ln2_hi is exact for k < 2^20
    constexpr double ln2_lo = 1.90821492927058770002e-10;
    const double shifted = y * log2e + shifter;
    const double k = shifted - shifter;
    const double r = (y - k * ln2_hi) - k * ln2_lo;
    constexpr double c2 = 1.0 / 2, c3 = 1.0 / 6, c4 = 1.0 / 24, c5 = 1.0 / 120, c6 = 1.0 / 720, c7 = 1.0 / 5040,
                     c8 = 1.0 / 40320, c9 = 1.0 / 362880, c10 = 1.0 / 3628800, c11 = 1.0 / 39916800,
                     c12 = 1.0 / 479001600, c13 = 1.0 / 6227020800, c14 = 1.0 / 87178291200;
    const double tail =
        c2 +
        r * (c3 +
             r * (c4 +
                  r * (c5 +
                       r * (c6 + r * (c7 + r * (c8 + r * (c9 + r * (c10 +
                                                                    r * (c11 + r * (c12 + r * (c13 + r * c14)))))))))));
    const double expm1_r = r + r * (r * tail);
    const std::int64_t whole = std::bit_cast<std::int64_t>(shifted) - std::bit_cast<std::int64_t>(shifter);
    const double power = std::bit_cast<double>((whole + 1023) << 52);  // 2^k
    return power * expm1_r + (power - 1.0);
}

}  // namespace detail

/// tanh(x) within 3 ulp of the exact value for every double, ±0, ±inf and NaN as std::tanh gives them,
/// without branches or library calls, so that a loop of it in a PATHWAYS_VECTORISED function
/// vectorises (std::tanh is a libm call per value). tanh|x| = e/(e + 2) with e = expm1(2|x|), which has
/// no cancellation at small |x|; beyond |x| = 20 tanh rounds to 1, so |x| is capped there (a NaN fails
/// the comparison and stays NaN). The same IEEE operations in a vector lane and in a scalar tail, so a
/// value's bits do not depend on where in a loop it falls.
PATHWAYS_SDK_INLINE double tanh_vectorisable(double x) {
    const double magnitude = std::fabs(x);
    const double e = detail::expm1_nonnegative(2.0 * magnitude);
    const std::uint64_t ratio = std::bit_cast<std::uint64_t>(e / (e + 2.0));
    const std::uint64_t beyond = std::uint64_t{0} - static_cast<std::uint64_t>(magnitude > 20.0);  // all ones
    const std::uint64_t one = std::bit_cast<std::uint64_t>(1.0);
    return std::copysign(std::bit_cast<double>((ratio & ~beyond) | (one & beyond)), x);
}

/// True for the nodes whose value accumulates across years (achievement by subject).
constexpr bool is_academic(node_kind kind) { return kind == node_kind::academic_outcome; }

}  // namespace pathways::sdk

/// Writes the metadata record for `abi`, `fingerprint` and the constexpr `effect_model_info` objects
/// that follow into the `.pathways_meta` section. Used by `PATHWAYS_EFFECT_PLUGIN`; call it directly
/// only to build a test plugin that lies about itself.
#define PATHWAYS_PLUGIN_METADATA(abi, fingerprint, ...)                                                \
    static constexpr ::pathways::sdk::effect_model_info pathways_declared_models_[] = {__VA_ARGS__};   \
    __attribute__((section(".pathways_meta"), used)) static constexpr auto pathways_metadata_record_ = \
        ::pathways::sdk::metadata::make_record<::pathways::sdk::metadata::record_size(                 \
            abi, fingerprint, pathways_declared_models_)>(abi, fingerprint, pathways_declared_models_);

/// Declares the plugin: its entry point and its metadata record. `register_fn` is
/// `void(pathways::sdk::registrar&)` and must add exactly the models listed after it, each a
/// constexpr `effect_model_info`, e.g. `PATHWAYS_EFFECT_PLUGIN(register_models, model)`. The host
/// reads the listed models from the file without loading it, and after loading refuses a plugin
/// whose registration does not match them.
#define PATHWAYS_EFFECT_PLUGIN(register_fn, ...)                                                                   \
    PATHWAYS_PLUGIN_METADATA(::pathways::sdk::abi_version, PATHWAYS_BUILD_FINGERPRINT, __VA_ARGS__)                \
    extern "C" __attribute__((visibility("default"))) const ::pathways::sdk::plugin_entry*                         \
    pathways_plugin_entry_v1() {                                                                                   \
        static const ::pathways::sdk::plugin_entry entry{::pathways::sdk::abi_version, PATHWAYS_BUILD_FINGERPRINT, \
                                                         &register_fn};                                            \
        return &entry;                                                                                             \
    }
