#pragma once
/// \file
/// The processes a command runs on: MPI's world when an MPI launcher (mpirun, srun) started this
/// process, one process otherwise. Only this layer talks MPI (Boost.MPI); commands see ranks, shares
/// of work and agreements.
///
/// Every rank runs the same command on the same inputs, each its share of the work. Before any data
/// is exchanged, the ranks agree that all are well (`all_ranks_well`); a rank that fails instead
/// takes part in that agreement from main (`conclude` with its exit code and what it printed), so
/// the others stop with `rank_failed` rather than wait for it. Every path through a command meets
/// the same number of agreements on every rank.

#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/school_blocks.hpp"

namespace pathways {

/// This rank's share of `items` split over the ranks (engine/school_blocks.hpp's share_of).
work_share share_of_this_rank(std::size_t items);

/// True when an MPI launcher started this process (Open MPI's OMPI_COMM_WORLD_SIZE, PMIx's
/// PMIX_RANK or Slurm/MPICH's PMI_SIZE is set): only then is MPI initialised.
bool launched_by_mpi();

/// MPI for the life of the process when launched by an MPI launcher; nothing otherwise, so a plain
/// run neither pays for MPI nor prints anything of it. Construct once, first thing in main.
class rank_session {
public:
    rank_session(int& argc, char**& argv);
    ~rank_session();
    rank_session(const rank_session&) = delete;
    rank_session& operator=(const rank_session&) = delete;
};

int rank_count();     ///< ranks of the run; 1 without MPI
int this_rank();      ///< 0 without MPI
bool is_root_rank();  ///< rank 0: the one that prints and writes

/// Thrown on the ranks that were well when another failed: the lowest failing rank, its exit code
/// and what it printed (its diagnostics or error line).
class rank_failed : public std::runtime_error {
public:
    rank_failed(int rank, int exit_code, std::string printed);
    int rank() const { return rank_; }
    int exit_code() const { return exit_code_; }
    const std::string& printed() const { return printed_; }

private:
    int rank_;
    int exit_code_;
    std::string printed_;
};

/// Whether this rank's `request` (a fingerprint of its command line and inputs) differs from rank 0's:
/// the first collective of every command, so that ranks started on different requests stop before any
/// work instead of mixing their draws or waiting for each other. False on one rank.
bool request_differs_from_first_rank(const std::string& request);

/// An agreement: returns when every rank is well; throws rank_failed when another rank failed.
/// No-op on one rank.
void all_ranks_well();

/// This rank's last agreement, from main: `exit_code` 0 when it finished well, else the code and
/// what it printed. Returns the run's exit code: the lowest failing rank's, else 0. On rank 0 when
/// another rank failed, prints which rank and its message to stderr.
int conclude(int exit_code, const std::string& printed);

/// Each rank's values (its share of items, in item order), concatenated in rank order on rank 0;
/// empty on the other ranks. Call after all_ranks_well.
std::vector<double> gather_on_root(const std::vector<double>& mine);

/// The same, on every rank.
std::vector<double> gather_on_all(const std::vector<double>& mine);

/// `evaluate(first, count)` on this rank's share of `items`, then, once every rank is well, every
/// rank's values in item order on every rank: what sensitivity_options::spread asks for.
std::vector<double> spread_over_ranks(std::size_t items,
                                      const std::function<std::vector<double>(std::size_t, std::size_t)>& evaluate);

/// `evaluate(0, items)` on every rank, each over its school blocks (`--split schools`: the first rank
/// gets the values), then, once every rank is well, the first rank's values on every rank: what
/// sensitivity_options::spread asks for when the ranks split the schools.
std::vector<double> values_of_first_rank(std::size_t items,
                                         const std::function<std::vector<double>(std::size_t, std::size_t)>& evaluate);

/// The sum over ranks of a count, on rank 0 (the rank's own count elsewhere).
std::size_t sum_on_root(std::size_t mine);

/// The ranks as holders of school blocks (`--split schools`): rank r holds the r-th share of the
/// blocks, rank 0 is the first holder. Each exchange first agrees that every rank is well, so a
/// failed rank stops the others there (rank_failed) instead of leaving them waiting.
const block_exchange& rank_exchange();

}  // namespace pathways
