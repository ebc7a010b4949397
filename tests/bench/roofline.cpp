#include "roofline.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <vector>

#include "pathways/sdk/effect_model.hpp"  // PATHWAYS_VECTORISED

namespace pathways::bench {
namespace {

// The engine's shape: a block of 8 runs (draws) side by side, each its own edge weights, over tiles
// of 256 cells, every node's values a row per run so the loops run over contiguous cells.
constexpr std::size_t lanes = 8;
constexpr std::size_t tile_cells = 256;
constexpr std::size_t chunk = 16;  // cells whose running sums stay in registers across all parents

struct kernel_parent {
    std::size_t node = 0;
    std::array<double, lanes> weight{};
};

struct kernel_node {
    std::size_t node = 0;
    std::vector<kernel_parent> parents;
};

/// The evaluated nodes with per-run weights: a primary driver's mean is initial + Σ (1/n)·change,
/// since its baseline is the mean of its members'; other weights vary a little from run to run.
std::vector<kernel_node> kernel_nodes(const reference_case& ref) {
    std::vector<kernel_node> nodes;
    for (const reference_node& evaluated : ref.evaluated) {
        kernel_node node{evaluated.node, {}};
        for (const reference_parent& parent : evaluated.parents) {
            kernel_parent added{parent.node, {}};
            for (std::size_t r = 0; r < lanes; ++r) {
                added.weight[r] = evaluated.composes ? 1.0 / static_cast<double>(evaluated.parents.size())
                                                     : ref.scale * ref.central_weights[parent.edge] *
                                                           (1.0 + 0.01 * static_cast<double>(r));
            }
            node.parents.push_back(added);
        }
        nodes.push_back(std::move(node));
    }
    return nodes;
}

struct parent_rows {
    const double* current;
    const double* initial;
    double weight;
};

/// out[c] = initial[c] + Σ_p w_p·(current_p[c] − initial_p[c]) over `width` cells, `chunk` cells at a
/// time with their sums in registers: one load per parent value and one store per cell. Built for
/// AVX2 and baseline x86-64 like the engine's kernels.
PATHWAYS_VECTORISED void propagate(double* __restrict out, const double* __restrict initial, const parent_rows* parents,
                                   std::size_t parent_count, std::size_t width) {
    std::size_t c = 0;
    for (; c + chunk <= width; c += chunk) {
        double sum[chunk];
        for (std::size_t j = 0; j < chunk; ++j) sum[j] = initial[c + j];
        for (std::size_t p = 0; p < parent_count; ++p) {
            const double w = parents[p].weight;
            const double* __restrict current = parents[p].current + c;
            const double* __restrict base = parents[p].initial + c;
            for (std::size_t j = 0; j < chunk; ++j) sum[j] += w * (current[j] - base[j]);
        }
        for (std::size_t j = 0; j < chunk; ++j) out[c + j] = sum[j];
    }
    for (; c < width; ++c) {
        double sum = initial[c];
        for (std::size_t p = 0; p < parent_count; ++p)
            sum += parents[p].weight * (parents[p].current[c] - parents[p].initial[c]);
        out[c] = sum;
    }
}

/// Whether the plan moves any driven node of each school in any year: the cells the scenario must
/// evaluate (the engine evaluates the others once, in business as usual).
std::vector<bool> reached_schools(const reference_case& ref) {
    std::vector<bool> reached(ref.schools, false);
    const std::size_t driven = ref.driven.size();
    for (std::size_t at = 0; at < ref.levels_scenario.size(); ++at) {
        if (ref.levels_scenario[at] != ref.levels_bau[at]) reached[(at / driven) % ref.schools] = true;
    }
    return reached;
}

class kernel {
public:
    /// Cells are reordered as the engine orders them, never-reached cells first, so the scenario's
    /// tiles cover the reached cells alone.
    explicit kernel(const reference_case& ref)
        : ref_(ref),
          nodes_(kernel_nodes(ref)),
          node_count_(ref.initial.size() / ref.cells),
          rewritten_(node_count_, false),
          driven_(node_count_, false),
          state_(node_count_ * lanes * tile_cells) {
        const std::vector<bool> reached = reached_schools(ref);
        std::vector<std::size_t> order(ref.cells);
        for (std::size_t c = 0; c < ref.cells; ++c) order[c] = c;
        std::stable_partition(order.begin(), order.end(),
                              [&](std::size_t c) { return !reached[static_cast<std::size_t>(ref.school[c])]; });
        reached_begin_ = static_cast<std::size_t>(
            std::find_if(order.begin(), order.end(),
                         [&](std::size_t c) { return reached[static_cast<std::size_t>(ref.school[c])]; }) -
            order.begin());
        initial_.resize(ref.initial.size());
        school_.resize(ref.cells);
        for (std::size_t i = 0; i < ref.cells; ++i) {
            school_[i] = static_cast<std::size_t>(ref.school[order[i]]);
            for (std::size_t n = 0; n < node_count_; ++n)
                initial_[n * ref.cells + i] = ref.initial[n * ref.cells + order[i]];
        }
        for (const kernel_node& node : nodes_) rewritten_[node.node] = true;
        for (const std::size_t node : ref.driven) driven_[node] = true;
    }

    [[nodiscard]] std::size_t reached_begin() const { return reached_begin_; }

    /// One block of runs over cells [first, first + width): every year, every evaluated node. The
    /// scenario's runs set the plan's levels each year; business as usual keeps every driven node at
    /// its start, read like every node nothing rewrites from the initial values.
    double run_tile(std::size_t first, std::size_t width, bool scenario) {
        for (int y = 0; y < ref_.years; ++y) {
            if (scenario) {
                for (std::size_t k = 0; k < ref_.driven.size(); ++k) set_driven(y, k, first, width);
            }
            for (const kernel_node& node : nodes_) update(node, first, width, scenario);
        }
        double sum = 0.0;
        for (const kernel_node& node : nodes_) {
            for (std::size_t l = 0; l < lanes; ++l) {
                const double* values = row(node.node, l);
                for (std::size_t i = 0; i < width; ++i) sum += values[i];
            }
        }
        return sum;
    }

private:
    double* row(std::size_t node, std::size_t lane) { return state_.data() + (node * lanes + lane) * tile_cells; }
    const double* initial(std::size_t node, std::size_t first) const {
        return initial_.data() + node * ref_.cells + first;
    }

    void set_driven(int year, std::size_t k, std::size_t first, std::size_t width) {
        const std::size_t driven = ref_.driven.size();
        const double* level = ref_.levels_scenario.data() + static_cast<std::size_t>(year) * ref_.schools * driven + k;
        const std::size_t* school = school_.data() + first;
        for (std::size_t l = 0; l < lanes; ++l) {
            double* out = row(ref_.driven[k], l);
            for (std::size_t c = 0; c < width; ++c) out[c] = level[school[c] * driven];
        }
    }

    void update(const kernel_node& node, std::size_t first, std::size_t width, bool scenario) {
        for (std::size_t l = 0; l < lanes; ++l) {
            parents_.clear();
            for (const kernel_parent& parent : node.parents) {
                const bool moves = rewritten_[parent.node] || (scenario && driven_[parent.node]);
                const double* current = moves ? row(parent.node, l) : initial(parent.node, first);
                parents_.push_back({current, initial(parent.node, first), parent.weight[l]});
            }
            propagate(row(node.node, l), initial(node.node, first), parents_.data(), parents_.size(), width);
        }
    }

    const reference_case& ref_;
    std::vector<kernel_node> nodes_;
    std::size_t node_count_;
    std::vector<bool> rewritten_;  ///< per node: evaluated, so written every year before it is read
    std::vector<bool> driven_;     ///< per node: set by the plan (in the scenario's runs)
    std::vector<double> state_;
    std::vector<double> initial_;      ///< ref.initial with the cells in the kernel's order
    std::vector<std::size_t> school_;  ///< per cell, the kernel's order
    std::size_t reached_begin_ = 0;
    std::vector<parent_rows> parents_;
};

}  // namespace

roofline_result run_roofline(const reference_case& ref, std::int64_t draws) {
    kernel k(ref);
    const std::size_t blocks = (static_cast<std::size_t>(draws) + lanes - 1) / lanes;
    roofline_result result;
    // As the engine does: business as usual, at rest, once before the draws (the engine runs it at
    // its first block, which the benchmark's warm-up takes), then each block's scenario where the
    // plan reaches.
    for (std::size_t first = 0; first < ref.cells; first += tile_cells)
        result.checksum += k.run_tile(first, std::min(tile_cells, ref.cells - first), false);
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t b = 0; b < blocks; ++b) {
        for (std::size_t first = k.reached_begin(); first < ref.cells; first += tile_cells) {
            result.checksum += k.run_tile(first, std::min(tile_cells, ref.cells - first), true);
        }
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // Counted as the engine counts its updates: both runs over every cell, as a program that
    // evaluated them all would make, though neither computes business as usual per draw nor the
    // scenario where the plan never reaches.
    result.updates = static_cast<double>(blocks * lanes * 2) * ref.years * static_cast<double>(ref.evaluated.size()) *
                     static_cast<double>(ref.cells);
    return result;
}

}  // namespace pathways::bench
