#pragma once
// How many worker threads a command uses.

namespace pathways::cli {

/// `requested`, or every hardware thread for 0. More than the hardware has is capped to it with a note
/// on stderr: extra threads only compete for the same cores (outputs are identical for any count).
unsigned worker_threads(unsigned requested);

}  // namespace pathways::cli
