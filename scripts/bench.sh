#!/bin/sh
# Prints the whole benchmark table of BENCHMARKS.md: instructions (callgrind), allocations and
# wall time (criterion) per request, the origin-count sweep and the compile cost.
#
#   scripts/bench.sh [--skip-callgrind] [--skip-criterion] [--skip-compile] [--skip-requests] [--skip-replace]
#
# Needs valgrind. The bench package is not a workspace member (see benches/Cargo.toml): it has
# its own lock file and target directory, benches/target.
set -eu
cd "$(dirname "$0")/../benches"
exec cargo run --release --quiet --bin report -- "$@"
