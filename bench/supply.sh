#!/bin/bash
# Supply benchmark (docs/benchmarks-supply.md): `outpost supply status` for
# 50 missions × 200 items with a year of daily issues (3,650,000 rows),
# the import-time check of the same rows, and one pooling proposal; then
# the same from a SQLite file (and PostgreSQL when OUTPOST_TEST_POSTGRES is
# set), end to end.
# usage: bench/supply.sh [COUNT]      (from anywhere; needs Go, /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-3}
nproc
go test -run '^$' -bench '^Benchmark(Status|Check|Pool)$' -benchmem -benchtime 5x -count "$count" ./internal/supply/
bin=$(mktemp -d)/supply.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" ./internal/supply/
# Peak memory of one process that builds the workload (about 175 MB of
# input rows) and computes the status three times.
/usr/bin/time -v "$bin" -test.run '^$' -test.bench '^BenchmarkStatus$' -test.benchtime 3x 2>&1 |
	grep -E '^Benchmark|Maximum resident|Elapsed'

# From the database: the same ledgers stored (built once by the Go
# benchmark in bench/out/supply, kept for later runs), then `outpost
# supply status` end to end, three times, with its time and peak memory.
# Baselines in the same run: the store reading every issue instead of the
# sums of their spans (SUPPLY_BENCH_EVERY=1), and sqlite3 summing every
# issue row of the file once.
out=bench/out/supply
mkdir -p "$out"
OUTPOST_BENCH_DIR=$PWD/$out go test -run '^$' -bench '^BenchmarkSupplyStatusSQLite$' -benchmem -benchtime 3x -count "$count" ./internal/store/ | grep -E '^Benchmark'
SUPPLY_BENCH_EVERY=1 OUTPOST_BENCH_DIR=$PWD/$out go test -run '^$' -bench '^BenchmarkSupplyStatusSQLite$' -benchmem -benchtime 3x -count 1 ./internal/store/ |
	grep -E '^Benchmark' | sed 's/^/every issue: /'
go build -o "$out/outpost" ./cmd/outpost
for _ in 1 2 3; do
	/usr/bin/time -f 'outpost supply status --json, SQLite: %e s, peak %M KB' \
		"$out/outpost" --db "$out/supply-365.db" supply status --as-of 2021-12-31 --json >/dev/null
done
if command -v sqlite3 >/dev/null; then
	/usr/bin/time -f 'sqlite3, sum of every issue row: %e s' sqlite3 "$out/supply-365.db" 'SELECT COUNT(*), SUM(quantity) FROM issues'
fi
if [ -n "${OUTPOST_TEST_POSTGRES:-}" ]; then
	go test -run '^$' -bench '^BenchmarkSupplyStatusPostgres$' -benchmem -benchtime 3x -count "$count" ./internal/store/ | grep -E '^Benchmark'
	SUPPLY_BENCH_EVERY=1 go test -run '^$' -bench '^BenchmarkSupplyStatusPostgres$' -benchmem -benchtime 3x -count 1 ./internal/store/ |
		grep -E '^Benchmark' | sed 's/^/every issue: /'
	sep='?'
	case $OUTPOST_TEST_POSTGRES in *\?*) sep='&' ;; esac
	for _ in 1 2 3; do
		/usr/bin/time -f 'outpost supply status --json, PostgreSQL: %e s, peak %M KB' \
			"$out/outpost" --db "$OUTPOST_TEST_POSTGRES${sep}search_path=supply_bench_365" supply status --as-of 2021-12-31 --json >/dev/null
	done
fi
