#!/bin/bash
# Supply benchmark (docs/benchmarks-supply.md): `outpost supply status` for
# 50 missions × 200 items with a year of daily issues (3,650,000 rows),
# the import-time check of the same rows, and one pooling proposal.
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
