#!/bin/sh
# Mutation testing of the runtime's per-request decisions (cargo-mutants): each mutant of
# cors-runtime's matching, preflight, actual-request and response code must make a test fail.
# The files and tests it uses are in .cargo/mutants.toml; the last score is in RELIABILITY.md.
#
#   scripts/mutants.sh [-j N] [other cargo-mutants options]
#
# Needs cargo-mutants (`cargo install --locked cargo-mutants`). 618 mutants: 75 minutes with
# -j 2 on two cores left to it (each mutant: about 10 s to build, 1 s to test); an unfinished
# run continues with `scripts/mutants.sh -j 2 --iterate`, which skips what the last one caught or
# found unviable. The report goes to target/mutants
# (mutants.out/{caught,missed,unviable,timeout}.txt).
# A mutant that makes a loop endless is stopped after 60 s (the tests take about one) and
# counted as caught.
# --baseline=skip: cargo-mutants' unmutated baseline run ignores test_package and would run
# every test of the workspace, browsers included; `cargo test` is the baseline.
set -eu
cd "$(dirname "$0")/.."
if ! cargo mutants --version >/dev/null 2>&1; then
    echo "cargo-mutants is not installed: cargo install --locked cargo-mutants" >&2
    exit 1
fi
mkdir -p target
exec cargo mutants --workspace --baseline=skip --timeout 60 --build-timeout 900 \
    -o target/mutants "$@"
