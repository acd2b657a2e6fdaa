#!/usr/bin/env bash
# The dashboard's server time before and after, in the same run:
# BenchmarkPages/dashboard (internal/server, an admin's GET / and
# GET /?as_of=2021-04-01) built at each git revision given, run in turns
# over copies of one database of N people (bench/peoplegen), ROUNDS
# times. With ROLLCALL=1 the database also has an open roll call over
# everyone in the country that no one has answered yet.
# It then measures the CPU time per request of each revision.
# Usage: bench/dashboard.sh BASE HEAD   (N=100000 ROUNDS=3 CPUOPS=200)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
[ $# -eq 2 ] || { echo "usage: bench/dashboard.sh BASE HEAD" >&2; exit 2; }
N=${N:-100000}
ROUNDS=${ROUNDS:-3}
OUT=bench/out/dashboard
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
echo "== $N people, $ROUNDS rounds, roll call: ${ROLLCALL:-0}: $(machine)"
build_revs "$OUT" "$@"
oldest=${revs[0]}
base_db "$OUT" "$N" "$oldest"
db=base.db
if [ "${ROLLCALL:-0}" = 1 ]; then
  cp "$OUT/base.db" "$OUT/rollcall.db"
  "$OUT/outpost-$oldest" --db "$OUT/rollcall.db" rollcall start "Bench check" >/dev/null
  db=rollcall.db
fi
for sha in "${revs[@]}"; do cp "$OUT/$db" "$OUT/db-$sha.db"; rm -f "$OUT/db-$sha.db-wal" "$OUT/db-$sha.db-shm"; done
: >"$OUT/runs.txt"
for round in $(seq "$ROUNDS"); do
  for sha in "${revs[@]}"; do
    OUTPOST_BENCH_DB="$OUT/db-$sha.db" "$OUT/server-$sha.test" -test.run '^$' -test.bench 'Pages/dashboard' \
      -test.cpu 2 -test.benchtime 1s -test.benchmem 2>&1 | grep -E '^Benchmark' | sed "s/^/$sha /" | tee -a "$OUT/runs.txt"
  done
done
echo
medians "$OUT/runs.txt"

# CPU per request, less sensitive than wall time to other work on the
# machine: the user+sys time of 1 and of CPUOPS requests of the "now"
# dashboard, the difference divided by CPUOPS-1 (the snapshot is built in
# both runs).
CPUOPS=${CPUOPS:-200}
echo
echo "== CPU ms per request (user+sys of $CPUOPS requests minus one)"
for sha in "${revs[@]}"; do
  for n in 1 "$CPUOPS"; do
    cp "$OUT/$db" "$OUT/cpu-$sha.db"; rm -f "$OUT/cpu-$sha.db-wal" "$OUT/cpu-$sha.db-shm"
    /usr/bin/time -f "%U %S" -o "$OUT/cpu-$sha-$n.txt" env OUTPOST_BENCH_DB="$OUT/cpu-$sha.db" "$OUT/server-$sha.test" \
      -test.run '^$' -test.bench 'Pages/dashboard$' -test.cpu 2 -test.benchtime "${n}x" >/dev/null
  done
  awk -v sha="$sha" -v n="$CPUOPS" 'NR == 1 { one = $1 + $2 } NR == 2 { all = $1 + $2 } END { printf "%s %.1f ms\n", sha, (all - one) * 1000 / (n - 1) }' \
    "$OUT/cpu-$sha-1.txt" "$OUT/cpu-$sha-$n.txt"
done
