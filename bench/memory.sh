#!/usr/bin/env bash
# Memory benchmark (docs/benchmarks.md, Memory): peak resident memory and
# wall time of `outpost supply status` over 3,650,000 usage rows and of a
# first import of N people (bench/peoplegen, default 1,000,000), on SQLite
# and on PostgreSQL (when OUTPOST_TEST_POSTGRES is set), for the revision
# BASE (default HEAD~1) and the working tree, in turns ROUNDS times
# (default 3) so that the machine's changes of pace weigh on both alike.
# Prints every run, then the median time and peak memory of each, and
# checks that both revisions print the same status.
# Usage: bench/memory.sh [BASE] [N]     (needs Go, git, /usr/bin/time;
#        createdb/dropdb for the PostgreSQL import)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
BASE=${1:-HEAD~1}
N=${2:-1000000}
ROUNDS=${ROUNDS:-3}
OUT=bench/out/memory
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
echo "== $(machine), load $(cut -d' ' -f1 /proc/loadavg)"

base=$(git rev-parse --short "$BASE")
if [ ! -x "$OUT/outpost-$base" ]; then
	tree=$(mktemp -d)
	git worktree add -q --detach "$tree" "$base"
	(cd "$tree" && go build -o "$OUT/outpost-$base" ./cmd/outpost)
	git worktree remove --force "$tree"
fi
go build -o "$OUT/outpost-new" ./cmd/outpost
revs=("$base" new)

# The ledgers of bench/supply.sh: 50 missions × 200 items, an issue a day
# for 2021, stored once by the Go benchmark and kept.
SUP=$PWD/bench/out/supply
mkdir -p "$SUP"
if [ ! -f "$SUP/supply-365.db" ]; then
	OUTPOST_BENCH_DIR=$SUP go test -run '^$' -bench '^BenchmarkSupplyStatusSQLite$' -benchtime 1x ./internal/store/ >/dev/null
fi
PG=${OUTPOST_TEST_POSTGRES:-}
if [ -n "$PG" ]; then
	go test -run '^$' -bench '^BenchmarkSupplyStatusPostgres$' -benchtime 1x ./internal/store/ >/dev/null
	sep='?'
	case $PG in *\?*) sep='&' ;; esac
	PGSUPPLY="$PG${sep}search_path=supply_bench_365"
	PGIMPORT=$(echo "$PG" | sed 's#^\(postgres\(ql\)\{0,1\}://[^/]*\)/[^?]*#\1/outpost_memory#')
fi
go run ./bench/peoplegen -n "$N" -out "$OUT" >/dev/null

: >"$OUT/runs.txt"
# run MEASURE REV COMMAND…: time and peak memory of the command.
run() {
	local what=$1 rev=$2
	shift 2
	/usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >"$OUT/out-$rev.txt"
	read -r s kb <"$OUT/time.txt"
	echo "$what $rev $s $kb" >>"$OUT/runs.txt"
	printf '  %-24s %-8s %7.2f s  peak %4.0f MB  (load %s)\n' "$what" "$rev" "$s" "$(awk -v k="$kb" 'BEGIN {print k/1024}')" "$(cut -d' ' -f1 /proc/loadavg)"
}
for round in $(seq "$ROUNDS"); do
	echo "== round $round"
	for rev in "${revs[@]}"; do
		bin=$OUT/outpost-$rev
		run "status-sqlite" "$rev" "$bin" --db "$SUP/supply-365.db" supply status --as-of 2021-12-31 --json
		cp "$OUT/out-$rev.txt" "$OUT/status-sqlite-$rev.json"
		if [ -n "$PG" ]; then
			run "status-postgres" "$rev" "$bin" --db "$PGSUPPLY" supply status --as-of 2021-12-31 --json
			cp "$OUT/out-$rev.txt" "$OUT/status-postgres-$rev.json"
		fi
		rm -f "$OUT"/import.db*
		"$bin" --db "$OUT/import.db" import missions "$OUT/missions.csv" >/dev/null
		run "import-sqlite" "$rev" "$bin" --db "$OUT/import.db" import people "$OUT/people.csv"
		rm -f "$OUT"/import.db*
		if [ -n "$PG" ]; then
			PGOPTIONS=--client-min-messages=warning dropdb --if-exists outpost_memory
			createdb outpost_memory
			"$bin" --db "$PGIMPORT" import missions "$OUT/missions.csv" >/dev/null
			run "import-postgres" "$rev" "$bin" --db "$PGIMPORT" import people "$OUT/people.csv"
			dropdb outpost_memory
		fi
	done
done
for e in sqlite postgres; do
	if [ -f "$OUT/status-$e-new.json" ]; then
		if cmp -s "$OUT/status-$e-$base.json" "$OUT/status-$e-new.json"; then
			echo "status on $e: the same output from $base and the working tree"
		else
			echo "status on $e: the outputs of $base and the working tree DIFFER" >&2
			exit 1
		fi
	fi
done

echo
echo "== medians of $ROUNDS rounds: wall time, peak resident memory (and range)"
awk '{ k = $1 " " $2; t[k] = t[k] " " $3; m[k] = m[k] " " $4 } END { for (k in t) print k "|" t[k] "|" m[k] }' "$OUT/runs.txt" | sort |
	while IFS='|' read -r key times mems; do
		mt=$(echo "$times" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[1], a[NR]}')
		mm=$(echo "$mems" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1/1024} END {printf "%.0f %.0f %.0f", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[1], a[NR]}')
		read -r t tlo thi <<<"$mt"
		read -r m mlo mhi <<<"$mm"
		printf '%-24s %7.2f s (%.2f–%.2f)   peak %4d MB (%d–%d)\n' "$key" "$t" "$tlo" "$thi" "$m" "$mlo" "$mhi"
	done
