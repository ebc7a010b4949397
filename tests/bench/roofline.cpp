#include "roofline.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <vector>

namespace pathways::bench {
namespace {

constexpr std::size_t runs_per_block = 4;  // 2 draws × (scenario, business as usual)
constexpr std::size_t tile_cells = 128;    // Denver: 43 nodes × 128 cells × 4 runs × 8 bytes, about 180 KB

struct kernel_parent {
    std::size_t node = 0;
    std::array<double, runs_per_block> weight{};
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
            for (std::size_t r = 0; r < runs_per_block; ++r) {
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

class kernel {
public:
    explicit kernel(const reference_case& ref)
        : ref_(ref),
          nodes_(kernel_nodes(ref)),
          node_count_(ref.initial.size() / ref.cells),
          state_(node_count_ * tile_cells * runs_per_block) {}

    /// One block of runs over cells [first, first + width): every year, every evaluated node.
    double run_tile(std::size_t first, std::size_t width) {
        for (std::size_t n = 0; n < node_count_; ++n) broadcast_initial(n, first, width);
        const std::size_t driven = ref_.driven.size();
        for (int y = 0; y < ref_.years; ++y) {
            for (std::size_t k = 0; k < driven; ++k) set_driven(y, k, first, width);
            for (const kernel_node& node : nodes_) update(node, first, width);
        }
        double sum = 0.0;
        for (const kernel_node& node : nodes_) {
            const double* values = slice(node.node);
            for (std::size_t i = 0; i < width * runs_per_block; ++i) sum += values[i];
        }
        return sum;
    }

private:
    double* slice(std::size_t node) { return state_.data() + node * tile_cells * runs_per_block; }

    void broadcast_initial(std::size_t node, std::size_t first, std::size_t width) {
        double* out = slice(node);
        const double* initial = ref_.initial.data() + node * ref_.cells + first;
        for (std::size_t c = 0; c < width; ++c) {
            for (std::size_t r = 0; r < runs_per_block; ++r) out[c * runs_per_block + r] = initial[c];
        }
    }

    void set_driven(int year, std::size_t k, std::size_t first, std::size_t width) {
        double* out = slice(ref_.driven[k]);
        const std::size_t driven = ref_.driven.size();
        const std::size_t year_offset = static_cast<std::size_t>(year) * ref_.schools * driven;
        for (std::size_t c = 0; c < width; ++c) {
            const std::size_t at = year_offset + static_cast<std::size_t>(ref_.school[first + c]) * driven + k;
            for (std::size_t r = 0; r < runs_per_block; ++r) {
                out[c * runs_per_block + r] = r % 2 == 0 ? ref_.levels_scenario[at] : ref_.levels_bau[at];
            }
        }
    }

    /// Every parent's term accumulates in registers: one store per cell and run.
    void update(const kernel_node& node, std::size_t first, std::size_t width) {
        double* __restrict out = slice(node.node);
        const double* __restrict initial = ref_.initial.data() + node.node * ref_.cells + first;
        parents_.clear();
        for (const kernel_parent& parent : node.parents) {
            parents_.push_back(
                {slice(parent.node), ref_.initial.data() + parent.node * ref_.cells + first, parent.weight.data()});
        }
        for (std::size_t c = 0; c < width; ++c) {
            std::array<double, runs_per_block> sum{};
            for (std::size_t r = 0; r < runs_per_block; ++r) sum[r] = initial[c];
            for (const parent_arrays& parent : parents_) {
                const double base = parent.initial[c];
                const double* __restrict current = parent.current + c * runs_per_block;
                for (std::size_t r = 0; r < runs_per_block; ++r) sum[r] += parent.weight[r] * (current[r] - base);
            }
            for (std::size_t r = 0; r < runs_per_block; ++r) out[c * runs_per_block + r] = sum[r];
        }
    }

    struct parent_arrays {
        const double* current;
        const double* initial;
        const double* weight;
    };

    const reference_case& ref_;
    std::vector<kernel_node> nodes_;
    std::size_t node_count_;
    std::vector<double> state_;
    std::vector<parent_arrays> parents_;
};

}  // namespace

roofline_result run_roofline(const reference_case& ref, std::int64_t draws) {
    kernel k(ref);
    const std::size_t blocks = (2 * static_cast<std::size_t>(draws) + runs_per_block - 1) / runs_per_block;
    roofline_result result;
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t b = 0; b < blocks; ++b) {
        for (std::size_t first = 0; first < ref.cells; first += tile_cells) {
            result.checksum += k.run_tile(first, std::min(tile_cells, ref.cells - first));
        }
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.updates = static_cast<double>(blocks * runs_per_block) * ref.years *
                     static_cast<double>(ref.evaluated.size()) * static_cast<double>(ref.cells);
    return result;
}

}  // namespace pathways::bench
