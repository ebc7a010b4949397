#include "run/ranks.hpp"

#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/utility.hpp>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <numeric>
#include <optional>
#include <utility>

namespace pathways {
namespace {

namespace mpi = boost::mpi;

/// MPI's environment and world, present only when an MPI launcher started the process.
struct world_state {
    std::unique_ptr<mpi::environment> environment;
    std::optional<mpi::communicator> world;
};

world_state& state() {
    static world_state s;
    return s;
}

bool multiple_ranks() { return state().world && state().world->size() > 1; }

/// One rank's status at an agreement: its exit code (0 when well) and what it printed.
using rank_status = std::pair<int, std::string>;

/// Every rank's status, in rank order.
std::vector<rank_status> agree(int exit_code, const std::string& printed) {
    std::vector<rank_status> all;
    mpi::all_gather(*state().world, rank_status{exit_code, printed}, all);
    return all;
}

/// The lowest rank that failed, if any.
std::optional<int> first_failed(const std::vector<rank_status>& statuses) {
    for (std::size_t r = 0; r < statuses.size(); ++r) {
        if (statuses[r].first != 0) return static_cast<int>(r);
    }
    return std::nullopt;
}

void print_rank_failure(int rank, const std::string& printed) {
    std::cerr << "pathways: error: rank " << rank << " of " << rank_count()
              << " failed, so every rank stopped and nothing was written; rank " << rank << " reported:\n"
              << (printed.empty() ? "(nothing)\n" : printed);
    if (!printed.empty() && printed.back() != '\n') std::cerr << '\n';
}

std::vector<int> counts_on_root(int mine) {
    std::vector<int> counts;
    if (is_root_rank()) mpi::gather(*state().world, mine, counts, 0);
    else mpi::gather(*state().world, mine, 0);
    return counts;
}

std::vector<int> offsets_of(const std::vector<int>& counts) {
    std::vector<int> offsets(counts.size(), 0);
    if (!counts.empty()) std::partial_sum(counts.begin(), counts.end() - 1, offsets.begin() + 1);
    return offsets;
}

}  // namespace

work_share share_of_this_rank(std::size_t items) {
    return share_of(items, static_cast<std::size_t>(this_rank()), static_cast<std::size_t>(rank_count()));
}

bool launched_by_mpi() {
    for (const char* variable : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"}) {
        if (std::getenv(variable) != nullptr) return true;
    }
    return false;
}

rank_session::rank_session(int& argc, char**& argv) {
    if (!launched_by_mpi()) return;
    // Only the main thread calls MPI; worker threads compute draws between the calls.
    state().environment = std::make_unique<mpi::environment>(argc, argv, mpi::threading::funneled);
    state().world.emplace();
}

rank_session::~rank_session() {
    state().world.reset();
    state().environment.reset();  // MPI_Finalize
}

int rank_count() { return state().world ? state().world->size() : 1; }

int this_rank() { return state().world ? state().world->rank() : 0; }

bool is_root_rank() { return this_rank() == 0; }

rank_failed::rank_failed(int rank, int exit_code, std::string printed)
    : std::runtime_error("rank " + std::to_string(rank) + " failed"),
      rank_(rank),
      exit_code_(exit_code),
      printed_(std::move(printed)) {}

bool request_differs_from_first_rank(const std::string& request) {
    if (!multiple_ranks()) return false;
    std::string first = request;
    mpi::broadcast(*state().world, first, 0);
    return first != request;
}

void all_ranks_well() {
    if (!multiple_ranks()) return;
    const std::vector<rank_status> statuses = agree(0, "");
    if (const auto failed = first_failed(statuses)) {
        if (is_root_rank()) print_rank_failure(*failed, statuses[static_cast<std::size_t>(*failed)].second);
        throw rank_failed(*failed, statuses[static_cast<std::size_t>(*failed)].first,
                          statuses[static_cast<std::size_t>(*failed)].second);
    }
}

int conclude(int exit_code, const std::string& printed) {
    if (!multiple_ranks()) return exit_code;
    const std::vector<rank_status> statuses = agree(exit_code, printed);
    const auto failed = first_failed(statuses);
    if (!failed) return 0;
    // Rank 0 printed its own failure already; another rank's is printed here, once.
    if (is_root_rank() && exit_code == 0)
        print_rank_failure(*failed, statuses[static_cast<std::size_t>(*failed)].second);
    return exit_code != 0 ? exit_code : statuses[static_cast<std::size_t>(*failed)].first;
}

std::vector<double> gather_on_root(const std::vector<double>& mine) {
    if (!multiple_ranks()) return mine;
    const std::vector<int> counts = counts_on_root(static_cast<int>(mine.size()));
    if (!is_root_rank()) {
        mpi::gatherv(*state().world, mine.data(), static_cast<int>(mine.size()), 0);
        return {};
    }
    const std::vector<int> offsets = offsets_of(counts);
    std::vector<double> all(static_cast<std::size_t>(std::accumulate(counts.begin(), counts.end(), 0)));
    mpi::gatherv(*state().world, mine.data(), static_cast<int>(mine.size()), all.data(), counts, offsets, 0);
    return all;
}

std::vector<double> gather_on_all(const std::vector<double>& mine) {
    if (!multiple_ranks()) return mine;
    std::vector<double> all = gather_on_root(mine);
    std::size_t size = all.size();
    mpi::broadcast(*state().world, size, 0);
    all.resize(size);
    mpi::broadcast(*state().world, all.data(), static_cast<int>(size), 0);
    return all;
}

std::vector<double> spread_over_ranks(std::size_t items,
                                      const std::function<std::vector<double>(std::size_t, std::size_t)>& evaluate) {
    const work_share share = share_of_this_rank(items);
    const std::vector<double> mine = evaluate(share.first, share.count);
    all_ranks_well();
    return gather_on_all(mine);
}

const block_exchange& rank_exchange() {
    class ranks_as_holders final : public block_exchange {
    public:
        std::vector<double> gather(std::span<const double> mine) const override {
            all_ranks_well();
            return gather_on_all(std::vector<double>(mine.begin(), mine.end()));
        }
        std::vector<double> gather_on_first(std::span<const double> mine) const override {
            all_ranks_well();
            return gather_on_root(std::vector<double>(mine.begin(), mine.end()));
        }
        bool is_first() const override { return is_root_rank(); }
    };
    static const ranks_as_holders exchange;
    return exchange;
}

std::vector<double> values_of_first_rank(std::size_t items,
                                         const std::function<std::vector<double>(std::size_t, std::size_t)>& evaluate) {
    const std::vector<double> values = evaluate(0, items);
    all_ranks_well();
    return gather_on_all(is_root_rank() ? values : std::vector<double>{});
}

std::size_t sum_on_root(std::size_t mine) {
    if (!multiple_ranks()) return mine;
    std::size_t total = mine;
    if (is_root_rank()) mpi::reduce(*state().world, mine, total, std::plus<std::size_t>(), 0);
    else mpi::reduce(*state().world, mine, std::plus<std::size_t>(), 0);
    return total;
}

}  // namespace pathways
