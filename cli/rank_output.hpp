#pragma once
// What the ranks other than rank 0 of an MPI run print: nothing. Their standard output is dropped
// and their standard error kept, so that a rank that fails can hand what it printed to rank 0,
// which prints it once (run/ranks.hpp).

#include <string>

namespace pathways::cli {

/// Redirects std::cout and std::cerr for the rest of the process when it is not rank 0. Call first in
/// main, before anything wraps those streams: the redirection outlives every later static object.
void quiet_unless_rank_0();

/// What this rank wrote to std::cerr since; empty on rank 0, whose stderr is the terminal's.
std::string captured_errors();

}  // namespace pathways::cli
