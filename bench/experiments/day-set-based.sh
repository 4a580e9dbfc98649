#!/usr/bin/env bash
# Runs bench/experiments/day-set-based.sql on a fresh copy of a kept day, both halves at once, and
# prints the wall time and each half's statement times (ms). An experiment, not a product path:
# docs/performance.md, the section of 2026-11-27 07:55.
#   bench/experiments/day-set-based.sh [kept-database] [slim 0|1]
# Connects as PGHOST/PGUSER (default 127.0.0.1/postgres). The copy is dropped at the end.
set -euo pipefail
KEPT=${1:-keiyaku_bench_keep_day_100000}
SLIM=${2:-0}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
HERE=$(cd "$(dirname "$0")" && pwd)
COPY=keiyaku_bench_setbased
LOGS=$(mktemp -d)
trap 'psql -qAt -d postgres -c "drop database if exists $COPY with (force)" >/dev/null; rm -rf "$LOGS"' EXIT
psql -qAt -d postgres -c "drop database if exists $COPY with (force)" -c "create database $COPY template $KEPT strategy = file_copy"
psql -qAt -d "$COPY" -c analyze
t0=$(date +%s.%N)
psql -qAt -d "$COPY" -v ON_ERROR_STOP=1 -v half=0 -v slim="$SLIM" -f "$HERE/day-set-based.sql" > "$LOGS/0" 2>&1 &
a=$!
psql -qAt -d "$COPY" -v ON_ERROR_STOP=1 -v half=1 -v slim="$SLIM" -f "$HERE/day-set-based.sql" > "$LOGS/1" 2>&1 &
b=$!
wait $a && wait $b || { cat "$LOGS/0" "$LOGS/1"; exit 1; }
t1=$(date +%s.%N)
echo "$KEPT slim=$SLIM: $(echo "$t1 - $t0" | bc) s"
for h in 0 1; do echo "  half $h (ms): $(grep '^Time' "$LOGS/$h" | awk '{printf "%d ", $2}')"; done
