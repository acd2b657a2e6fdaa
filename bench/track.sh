#!/usr/bin/env bash
# Tracking at gates: N people (default 1,000,000) from bench/peoplegen
# imported, `outpost serve` on 127.0.0.1, then bench/trackload records a
# "departed" checkpoint for one person after another over HTTP, paced at
# RATE events a second (default 1,000) from CLIENTS clients: first one
# POST /api/v1/people/{id}/track per event, then POST /api/v1/track
# batches of BATCH scans (every 10th batch sent twice: the second answer
# must be all duplicates). It reports the rate reached, the request
# latency (p50/p99, counted from when each request was due) and the
# census freshness measured during the load (from a write's 2xx until
# GET /api/v1/census shows it). The script then counts the run's events
# in the database with sqlite3 / psql: that count must equal the number
# acknowledged.
# Runs on SQLite, then on PostgreSQL (OUTPOST_BENCH_POSTGRES, default
# postgres:///outpost_bench_track?host=/var/run/postgresql; set it empty
# to skip; SQLITE=0 skips SQLite). The imported databases are kept in bench/out/track and
# reused by the next run (FRESH=1 imports again); each run's events carry
# their own note, so runs do not count each other's.
# PROBE=0 runs the load without the census reader (whose every GET after
# a write starts a rebuild of the census today), to measure the write
# path alone.
# BASE=COMMIT first runs the single phase against the server built from
# that commit (the baseline, in the same run, on the same database).
# Usage: bench/track.sh [N] [SECONDS]   (RATE=1000 CLIENTS=16 BATCH=100 PROBE=1 BASE=; results: docs/benchmarks.md)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${1:-1000000}
SECS=${2:-20}
RATE=${RATE:-1000}
CLIENTS=${CLIENTS:-16}
BATCH=${BATCH:-100}
OUT=bench/out/track
PORT=${OUTPOST_BENCH_PORT:-8097}
URL=http://127.0.0.1:$PORT/
PGDSN=${OUTPOST_BENCH_POSTGRES-postgres:///outpost_bench_track?host=/var/run/postgresql}
mkdir -p "$OUT"
go build -o "$OUT/outpost" ./cmd/outpost
go build -o "$OUT/trackload" ./bench/trackload
if [ -n "${BASE:-}" ]; then
  rm -rf "$OUT/base" && mkdir -p "$OUT/base"
  git archive "$BASE" | tar -x -C "$OUT/base"
  (cd "$OUT/base" && go build -o ../outpost-base ./cmd/outpost)
  rm -rf "$OUT/base"
fi
echo "== $N people, $CLIENTS clients, $RATE events/s, ${SECS} s a phase: $(machine)"
if [ "$(cat "$OUT/n" 2>/dev/null)" != "$N" ]; then
  go run ./bench/peoplegen -n "$N" -out "$OUT" >/dev/null
  echo "$N" >"$OUT/n"
  rm -f "$OUT"/loaded-*
fi

trap stop EXIT

# bench ENGINE DSN COUNT-COMMAND [BINARY PHASES]: loads the people
# (once), serves, runs the load, stops, and compares the database's count
# with the client's.
bench() {
  local engine=$1 dsn=$2 count=$3 bin=${4:-$OUT/outpost} phases=${5:-single,batch}
  O() { "$OUT/outpost" --db "$dsn" "$@"; }
  echo
  echo "== $engine ($(basename "$bin"): $phases)"
  if [ "${FRESH:-}" = 1 ] || [ "$(cat "$OUT/loaded-$engine" 2>/dev/null)" != "$N" ]; then
    O import missions "$OUT/missions.csv" >/dev/null
    /usr/bin/time -f "%e s, peak RSS %M KB" -o "$OUT/import-$engine.txt" "$OUT/outpost" --db "$dsn" import people "$OUT/people.csv" >/dev/null
    echo "imported $N people: $(cat "$OUT/import-$engine.txt")"
    echo "$N" >"$OUT/loaded-$engine"
  fi
  local pw="bench password $RANDOM$RANDOM"
  if O user list | grep -q '^bench-admin '; then
    echo "$pw" | O user passwd bench-admin --password-stdin >/dev/null
  else
    echo "$pw" | O user add bench-admin --role admin --password-stdin >/dev/null
  fi
  O token create bench-admin --label bench --days 1 | tail -1 >"$OUT/token"
  "$bin" --db "$dsn" serve --addr "127.0.0.1:$PORT" >/dev/null 2>"$OUT/serve-$engine.log" &
  PID=$!
  wait_up "$URL" 600
  local first
  first=$(curl -fs -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $(cat "$OUT/token")" "${URL}api/v1/census")
  echo "first census request (builds the snapshot): ${first} s"
  local tag status=0
  tag="trackload-$engine-$(date +%s)"
  "$OUT/trackload" -url "$URL" -token-file "$OUT/token" -people "$OUT/people.csv" -c "$CLIENTS" -rate "$RATE" \
    -batch "$BATCH" -max "${SECS}s" -tag "$tag" -phases "$phases" -probe="$([ "${PROBE:-1}" = 0 ] && echo false || echo true)" | tee "$OUT/load-$engine.txt" || status=$?
  echo "server: $(grep -c 'census snapshot built' "$OUT/serve-$engine.log" || true) census rebuilds during the run; peak RSS $(awk '$1 == "VmHWM:" {printf "%.0f MB", $2/1024}' "/proc/$PID/status")"
  stop
  local acked rows
  acked=$(awk '/^acknowledged / {print $2}' "$OUT/load-$engine.txt")
  rows=$($count "SELECT COUNT(*) FROM status_events WHERE note = '$tag'")
  if [ -n "$acked" ] && [ "$rows" -eq "$acked" ]; then
    echo "database: $rows events recorded = $acked acknowledged: none lost, none twice"
  else
    echo "database: $rows events recorded, but ${acked:-?} were acknowledged: LOST or DOUBLED"
    status=1
  fi
  return $status
}

status=0
if [ "${SQLITE:-1}" != 0 ]; then
  if [ -n "${BASE:-}" ]; then
    bench sqlite "$OUT/o.db" "sqlite3 $OUT/o.db" "$OUT/outpost-base" single || status=1
  fi
  bench sqlite "$OUT/o.db" "sqlite3 $OUT/o.db" || status=1
  echo "database: $(du -h "$OUT/o.db" | cut -f1)"
fi

if [ -n "$PGDSN" ]; then
  db=$(pg_db "$PGDSN")
  host=$(pg_host "$PGDSN")
  if [ "${FRESH:-}" = 1 ] || [ "$(cat "$OUT/loaded-postgres" 2>/dev/null)" != "$N" ]; then
    dropdb --if-exists -h "$host" "$db" 2>/dev/null
    createdb -h "$host" "$db"
    rm -f "$OUT/loaded-postgres"
  fi
  if [ -n "${BASE:-}" ]; then
    bench postgres "$PGDSN" "psql -h $host -d $db -Atc" "$OUT/outpost-base" single || status=1
  fi
  bench postgres "$PGDSN" "psql -h $host -d $db -Atc" || status=1
fi
exit $status
