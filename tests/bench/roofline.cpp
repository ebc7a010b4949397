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

class kernel {
public:
    explicit kernel(const reference_case& ref)
        : ref_(ref),
          nodes_(kernel_nodes(ref)),
          node_count_(ref.initial.size() / ref.cells),
          state_(node_count_ * lanes * tile_cells) {}

    /// One block of runs over cells [first, first + width) with the plan's `levels` (the scenario's
    /// or business as usual's): every year, every evaluated node.
    double run_tile(std::size_t first, std::size_t width, const std::vector<double>& levels) {
        for (std::size_t n = 0; n < node_count_; ++n) {
            const double* initial = ref_.initial.data() + n * ref_.cells + first;
            for (std::size_t l = 0; l < lanes; ++l) std::copy(initial, initial + width, row(n, l));
        }
        for (int y = 0; y < ref_.years; ++y) {
            for (std::size_t k = 0; k < ref_.driven.size(); ++k) set_driven(y, k, first, width, levels);
            for (const kernel_node& node : nodes_) update(node, first, width);
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

    void set_driven(int year, std::size_t k, std::size_t first, std::size_t width, const std::vector<double>& levels) {
        const std::size_t driven = ref_.driven.size();
        const double* level = levels.data() + static_cast<std::size_t>(year) * ref_.schools * driven + k;
        const std::int64_t* school = ref_.school.data() + first;
        for (std::size_t l = 0; l < lanes; ++l) {
            double* out = row(ref_.driven[k], l);
            for (std::size_t c = 0; c < width; ++c) out[c] = level[static_cast<std::size_t>(school[c]) * driven];
        }
    }

    void update(const kernel_node& node, std::size_t first, std::size_t width) {
        const double* initial = ref_.initial.data() + node.node * ref_.cells + first;
        for (std::size_t l = 0; l < lanes; ++l) {
            parents_.clear();
            for (const kernel_parent& parent : node.parents) {
                parents_.push_back(
                    {row(parent.node, l), ref_.initial.data() + parent.node * ref_.cells + first, parent.weight[l]});
            }
            propagate(row(node.node, l), initial, parents_.data(), parents_.size(), width);
        }
    }

    const reference_case& ref_;
    std::vector<kernel_node> nodes_;
    std::size_t node_count_;
    std::vector<double> state_;
    std::vector<parent_rows> parents_;
};

}  // namespace

roofline_result run_roofline(const reference_case& ref, std::int64_t draws) {
    kernel k(ref);
    const std::size_t blocks = (static_cast<std::size_t>(draws) + lanes - 1) / lanes;
    roofline_result result;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t b = 0; b < blocks; ++b) {
        for (const std::vector<double>* levels : {&ref.levels_bau, &ref.levels_scenario}) {
            for (std::size_t first = 0; first < ref.cells; first += tile_cells) {
                result.checksum += k.run_tile(first, std::min(tile_cells, ref.cells - first), *levels);
            }
        }
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.updates = static_cast<double>(blocks * lanes * 2) * ref.years * static_cast<double>(ref.evaluated.size()) *
                     static_cast<double>(ref.cells);
    return result;
}

}  // namespace pathways::bench
