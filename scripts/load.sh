#!/usr/bin/env bash
# Bounded load run (≤ 60 s, loopback only) against the demo API: mixed allowed / refused /
# preflight / no-Origin traffic with wrk, checking that every answer is one of the expected kinds
# and that the server's resident memory stays flat. Results go to RELIABILITY.md by hand.
#
#   scripts/load.sh            # 40 s of load (LOAD_SECONDS), 2 connections per thread
#
# Needs wrk (`apt-get install -y wrk`). Builds and starts the demo in release mode on
# 127.0.0.1:8081 (page on 8080), stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TOTAL=${LOAD_SECONDS:-40}
CONNECTIONS=${LOAD_CONNECTIONS:-16}
THREADS=${LOAD_THREADS:-2}
API=${LOAD_API:-http://127.0.0.1:8081}
if (( SECONDS_TOTAL > 50 )); then
  echo "LOAD_SECONDS is capped at 50 (the whole run stays under 60 s)" >&2
  SECONDS_TOTAL=50
fi
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }

cargo build --release --example demo --quiet
# `exec` so that $! is the demo itself (its memory is what gets sampled), not a subshell.
(exec target/release/examples/demo >/dev/null 2>&1) &
DEMO=$!
trap 'kill "$DEMO" 2>/dev/null || true' EXIT
sleep 0.2
if [[ "$(readlink "/proc/$DEMO/exe")" != */demo ]]; then
  echo "could not start the demo (pid $DEMO is $(readlink "/proc/$DEMO/exe"))" >&2
  exit 2
fi
for _ in $(seq 50); do
  curl -fs -o /dev/null "$API/api/items/1" && break
  sleep 0.1
done

# VmRSS (KiB) once a second while wrk runs.
RSS_LOG=$(mktemp)
(
  while kill -0 "$DEMO" 2>/dev/null; do
    awk '/^VmRSS/ {print $2}' "/proc/$DEMO/status" >>"$RSS_LOG" 2>/dev/null || true
    sleep 1
  done
) &
SAMPLER=$!

OUT=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_TOTAL}s" --latency -s scripts/load.lua "$API")
kill "$SAMPLER" 2>/dev/null || true
echo "$OUT"

mapfile -t RSS <"$RSS_LOG"
rm -f "$RSS_LOG"
N=${#RSS[@]}
Q=$(( N / 4 > 0 ? N / 4 : 1 ))
avg() { local s=0 n=0; for v in "$@"; do s=$((s + v)); n=$((n + 1)); done; echo $(( s / (n > 0 ? n : 1) )); }
FIRST=$(avg "${RSS[@]:0:Q}")
LAST=$(avg "${RSS[@]:N-Q:Q}")
echo "RSS samples=$N first_quarter_avg_kib=$FIRST last_quarter_avg_kib=$LAST max_kib=$(printf '%s\n' "${RSS[@]}" | sort -n | tail -1)"

STATUS=$(grep '^STATUS' <<<"$OUT")
UNEXPECTED=$(sed -E 's/.*unexpected=([0-9]+).*/\1/' <<<"$STATUS")
ERRORS=$(sed -E 's/.*socket_errors=([0-9]+).*/\1/' <<<"$STATUS")
N200=$(sed -E 's/.*200=([0-9]+).*/\1/' <<<"$STATUS")
N204=$(sed -E 's/.*204=([0-9]+).*/\1/' <<<"$STATUS")
N403=$(sed -E 's/.*403=([0-9]+).*/\1/' <<<"$STATUS")
TOTAL=$(( N200 + N204 + N403 + UNEXPECTED ))
FAIL=0
# Each kind is a third of the mix (2 of 6 request kinds each), up to the requests in flight.
for n in "$N200" "$N204" "$N403"; do
  if (( TOTAL == 0 || (3 * n - TOTAL) * (3 * n - TOTAL) > (3 * CONNECTIONS + TOTAL / 100) ** 2 )); then
    echo "FAIL: status mix $STATUS is not a third each" >&2
    FAIL=1
  fi
done
if (( UNEXPECTED != 0 || ERRORS != 0 )); then
  echo "FAIL: $UNEXPECTED unexpected answers, $ERRORS socket errors" >&2
  FAIL=1
fi
# Flat: the last quarter within 10 % (and 2 MiB) of the first.
if (( LAST > FIRST + FIRST / 10 + 2048 )); then
  echo "FAIL: resident memory grew from $FIRST KiB to $LAST KiB" >&2
  FAIL=1
fi
(( FAIL == 0 )) && echo "OK: zero unexpected answers, memory flat"
exit "$FAIL"
