#!/usr/bin/env bash
# Census freshness: N people (default 1,000,000) from bench/peoplegen, on
# SQLite and on PostgreSQL, `outpost serve` on 127.0.0.1, then
# bench/freshness records tracking events through the API one at a time
# and times, after each 2xx, how long GET /api/v1/census takes to count
# it (p50/p99), with the server's CPU per write and what its metrics say
# the census updates took. The baseline is revision BASE (default
# da60aad, the last that rebuilt the whole census after every write),
# built from git and measured on the same database in the same run, just
# before this one. Then a second server of this revision on the same
# database reads the census while the first one takes the writes.
# Usage: bench/freshness.sh [N]   (WRITES=200 BASE_WRITES=10; ENGINES="sqlite
#        postgres"; PostgreSQL at OUTPOST_BENCH_POSTGRES, default the local
#        socket's outpost_bench, in a schema of its own, dropped first)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${1:-1000000}
WRITES=${WRITES:-200}
BASE_WRITES=${BASE_WRITES:-10}
BASE=${BASE:-da60aad}
ENGINES=${ENGINES:-sqlite postgres}
PG=${OUTPOST_BENCH_POSTGRES:-postgres:///outpost_bench?host=/var/run/postgresql}
PORT=${OUTPOST_BENCH_PORT:-8093}
OUT=bench/out/freshness
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
echo "== $N people: $(machine), load $(cut -d' ' -f1 /proc/loadavg)"

head=$(git rev-parse --short HEAD)
base=$(git rev-parse --short "$BASE")
go build -o "$OUT/outpost-$head" ./cmd/outpost
go build -o "$OUT/freshness" ./bench/freshness
if [ ! -x "$OUT/outpost-$base" ]; then
  tree=$(mktemp -d)
  git worktree add -q --detach "$tree" "$base"
  (cd "$tree" && go build -o "$OUT/outpost-$base" ./cmd/outpost)
  git worktree remove --force "$tree"
fi
if [ "$(cat "$OUT/n" 2>/dev/null)" != "$N" ]; then
  go run ./bench/peoplegen -n "$N" -out "$OUT" >/dev/null
  rm -f "$OUT"/base.db*
  echo "$N" >"$OUT/n"
fi

PIDS=()
stop() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; PIDS=(); }
trap stop EXIT

# serve REV DB PORT: starts a server, waits until it answers and its
# census is built; SERVED is its pid.
serve() {
  "$OUT/outpost-$1" --db "$2" serve --addr "127.0.0.1:$3" >/dev/null 2>>"$OUT/serve-$1.log" &
  SERVED=$!
  PIDS+=("$SERVED")
  wait_up "http://127.0.0.1:$3/" 600
  local t
  t=$(curl -fs -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $(cat "$OUT/token")" "http://127.0.0.1:$3/api/v1/census")
  echo "  $1 serving; first census request (builds the snapshot): $t s"
}

token() { # DB REV: an admin token for the bench, in $OUT/token
  local O=("$OUT/outpost-$2" --db "$1")
  if ! "${O[@]}" user list | grep -q '^bench-admin '; then
    echo "bench password $(date +%s)" | "${O[@]}" user add bench-admin --role admin --password-stdin >/dev/null
  fi
  "${O[@]}" token create bench-admin --label bench --days 1 | tail -1 >"$OUT/token"
}

fresh() { # PID WRITES [args]: measures on 127.0.0.1:$PORT
  local pid=$1 n=$2
  shift 2
  "$OUT/freshness" -url "http://127.0.0.1:$PORT/" -token-file "$OUT/token" -people "$N" -n "$n" -pid "$pid" "$@" | sed 's/^/    /'
}

for engine in $ENGINES; do
  echo
  echo "== $engine"
  if [ "$engine" = sqlite ]; then
    # The database is made by the baseline, so that both can open it; each
    # run works on a copy.
    if [ ! -f "$OUT/base.db" ]; then
      "$OUT/outpost-$base" --db "$OUT/base.db" import missions "$OUT/missions.csv" >/dev/null
      "$OUT/outpost-$base" --db "$OUT/base.db" import people "$OUT/people.csv" >/dev/null
    fi
    rm -f "$OUT"/run.db*
    cp "$OUT/base.db" "$OUT/run.db"
    DB=$OUT/run.db
  else
    schema=bench_freshness
    psql -q "$PG" -c "DROP SCHEMA IF EXISTS $schema CASCADE" -c "CREATE SCHEMA $schema" 2>/dev/null
    case "$PG" in *\?*) DB="$PG&search_path=$schema" ;; *) DB="$PG?search_path=$schema" ;; esac
    "$OUT/outpost-$base" --db "$DB" import missions "$OUT/missions.csv" >/dev/null
    t0=$(date +%s)
    "$OUT/outpost-$base" --db "$DB" import people "$OUT/people.csv" >/dev/null
    echo "  imported in $(($(date +%s) - t0)) s"
  fi
  token "$DB" "$base"

  echo "  -- baseline $base: the whole census rebuilt after each write, $BASE_WRITES writes"
  serve "$base" "$DB" "$PORT"
  fresh "$SERVED" "$BASE_WRITES" -max 60s
  stop

  echo "  -- $head: the changes applied, $WRITES writes"
  serve "$head" "$DB" "$PORT"
  first=$SERVED
  fresh "$first" "$WRITES"

  echo "  -- $head, a second server on the same database reads the census (${WRITES} writes through the first)"
  serve "$head" "$DB" $((PORT + 1))
  fresh "$first" "$WRITES" -read-url "http://127.0.0.1:$((PORT + 1))/" -seed 2
  stop
done
