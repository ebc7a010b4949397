# Sourced by the MPI tests: how they launch ranks.
# CI runs as root, which Open MPI's mpirun refuses unless told it is meant (these two variables); the
# tests set them for themselves only. The machine may have fewer cores than ranks: --oversubscribe.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Shared memory between ranks of one machine; no network transports to probe (quiet and quick in containers).
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none

launch() {  # launch N COMMAND...: COMMAND on N ranks
  local ranks=$1
  shift
  mpirun --oversubscribe -np "$ranks" "$@"
}

# The manifest with the fields that may differ between rank counts blanked: the ranks and the timings.
normalized_manifest() {
  sed -E -e 's/"ranks": [0-9]+/"ranks": R/' -e 's/"seconds": [-+.0-9eE]+/"seconds": S/' "$1"
}
