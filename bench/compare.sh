#!/usr/bin/env bash
# Before and after, in the same run: the server's in-process benchmarks
# (BenchmarkCheckIns, BenchmarkPages in internal/server) built at each
# git revision given, run in turns over copies of the same database of
# N people (bench/peoplegen), ROUNDS times, so that a machine that slows
# down or speeds up during the run weighs on every revision alike.
# Prints each run and the median per revision and benchmark.
# Usage: bench/compare.sh REV [REV...]   (N=100000 ROUNDS=5; e.g.
#        bench/compare.sh 25a4fef HEAD)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
[ $# -ge 1 ] || { echo "usage: bench/compare.sh REV [REV...]" >&2; exit 2; }
N=${N:-100000}
ROUNDS=${ROUNDS:-5}
OUT=bench/out/compare
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
echo "== $N people, $ROUNDS rounds: $(machine)"

build_revs "$OUT" "$@"

# The database is made by the oldest revision, so every one can migrate it.
oldest=${revs[0]}
base_db "$OUT" "$N" "$oldest"
for sha in "${revs[@]}"; do cp "$OUT/base.db" "$OUT/db-$sha.db"; rm -f "$OUT/db-$sha.db-wal" "$OUT/db-$sha.db-shm"; done

: >"$OUT/runs.txt"
for round in $(seq "$ROUNDS"); do
  for sha in "${revs[@]}"; do
    echo "== round $round $sha (load $(cut -d' ' -f1 /proc/loadavg))"
    OUTPOST_BENCH_DB="$OUT/db-$sha.db" "$OUT/server-$sha.test" -test.run '^$' -test.bench 'CheckIns|Pages' \
      -test.cpu 2 -test.benchtime 2s -test.benchmem 2>&1 | grep -E '^Benchmark' | sed "s/^/$sha /" | tee -a "$OUT/runs.txt"
  done
done

echo
medians "$OUT/runs.txt"
