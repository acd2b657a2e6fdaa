#!/usr/bin/env bash
# Check-in benchmark: N people (default 20,000) from bench/peoplegen,
# `outpost serve` on 127.0.0.1, then bench/checkinload starts a roll call
# over everyone in the country and sends check-ins over HTTP from many
# concurrent clients for a bounded time (default 15 s) and count, reports
# the sustained rate and p50/p99, checks that every acknowledged answer is
# in the database (and, last, that answers of one person sent from every
# client at once leave exactly one, the latest). The script then counts
# the roll call's check-ins in the audit log with sqlite3 / psql: that
# count must equal the number acknowledged.
# Runs on SQLite, then on PostgreSQL (a database it creates and drops:
# OUTPOST_BENCH_POSTGRES, default postgres:///outpost_bench_ci?host=/var/run/postgresql;
# set it empty to skip).
# Usage: bench/checkin.sh [N] [SECONDS]   (CLIENTS=64; results: docs/benchmarks-welfare.md)
# OUTPOST_BIN=path runs that outpost binary instead of building one (a
# baseline built from an older revision, measured in the same session);
# ENGINES="sqlite postgres" chooses the engines.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${1:-20000}
SECS=${2:-15}
CLIENTS=${CLIENTS:-64}
SAME=${SAME:-256}
OUT=bench/out/checkin
PORT=${OUTPOST_BENCH_PORT:-8091}
URL=http://127.0.0.1:$PORT/
PGDSN=${OUTPOST_BENCH_POSTGRES-postgres:///outpost_bench_ci?host=/var/run/postgresql}
mkdir -p "$OUT"
if [ -n "${OUTPOST_BIN:-}" ]; then
  cp "$OUTPOST_BIN" "$OUT/outpost"
else
  go build -o "$OUT/outpost" ./cmd/outpost
fi
ENGINES=${ENGINES:-sqlite postgres}
go build -o "$OUT/checkinload" ./bench/checkinload
echo "== $N people, $CLIENTS clients, ${SECS} s: $(machine)"
if [ "$(cat "$OUT/n" 2>/dev/null)" != "$N" ]; then
  go run ./bench/peoplegen -n "$N" -out "$OUT" >/dev/null
  echo "$N" >"$OUT/n"
fi

# CPU time (ticks) of each process given, as "pid ticks" lines: the
# machine may be shared and its load noisy, and CPU per check-in is less
# swayed by it than the rate.
ticks() {
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && awk -v p="$p" '{print p, $14 + $15}' "/proc/$p/stat"
  done
  return 0
}
# backends COUNT-COMMAND: the PostgreSQL backends serving the database.
backends() {
  case "$1" in psql*) $1 "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()" ;; esac
}
HZ=$(getconf CLK_TCK)

trap stop EXIT

# bench ENGINE DSN COUNT-COMMAND: loads the people, serves, loads the
# server, stops it, and compares the audit log's count with the client's.
bench() {
  local engine=$1 dsn=$2 count=$3
  O() { "$OUT/outpost" --db "$dsn" "$@"; }
  echo
  echo "== $engine"
  O import missions "$OUT/missions.csv" >/dev/null
  O import people "$OUT/people.csv" >/dev/null
  echo "bench password $RANDOM" | O user add bench-admin --role admin --password-stdin >/dev/null
  O token create bench-admin --label bench --days 1 | tail -1 >"$OUT/token"
  "$OUT/outpost" --db "$dsn" serve --addr "127.0.0.1:$PORT" >/dev/null 2>"$OUT/serve-$engine.log" &
  PID=$!
  wait_up "$URL"
  local status=0
  ticks "$PID" >"$OUT/cpu-server-0"
  ticks $(backends "$count") >"$OUT/cpu-db-0"
  "$OUT/checkinload" -url "$URL" -token-file "$OUT/token" -c "$CLIENTS" -n $((SECS * 20000)) -max "${SECS}s" -same "$SAME" \
    | tee "$OUT/load-$engine.txt" || status=$?
  ticks "$PID" >"$OUT/cpu-server-1"
  ticks $(backends "$count") >"$OUT/cpu-db-1"
  stop
  local rc acked rows
  rc=$(awk '/^rollcall / {print $2}' "$OUT/load-$engine.txt")
  acked=$(awk '/^acknowledged / {print $2}' "$OUT/load-$engine.txt")
  rows=$($count "SELECT COUNT(*) FROM audit WHERE action = 'checkin' AND entity = 'rollcall' AND entity_id = '$rc'")
  # CPU over the whole of checkinload (the load, then its checks), per
  # answer acknowledged: the server's, and its PostgreSQL backends'.
  local srv db
  srv=$(awk 'NR == FNR {b[$1] = $2; next} {t += $2 - b[$1]} END {print t + 0}' "$OUT/cpu-server-0" "$OUT/cpu-server-1")
  db=$(awk 'NR == FNR {b[$1] = $2; next} {t += $2 - b[$1]} END {print t + 0}' "$OUT/cpu-db-0" "$OUT/cpu-db-1")
  awk -v s="$srv" -v d="$db" -v hz="$HZ" -v n=$((acked + SAME)) 'BEGIN {
    printf "CPU: server %.2f s + database backends %.2f s = %.0f µs per check-in\n", s / hz, d / hz, (s + d) / hz * 1e6 / n }'
  if [ "$rows" -eq $((acked + SAME)) ]; then
    echo "audit log: $rows check-ins recorded = $acked acknowledged + $SAME of one person: none lost"
  else
    echo "audit log: $rows check-ins recorded, but $((acked + SAME)) were acknowledged: LOST"
    status=1
  fi
  return $status
}

status=0
if [[ " $ENGINES " == *" sqlite "* ]]; then
  rm -f "$OUT"/o.db*
  bench sqlite "$OUT/o.db" "sqlite3 $OUT/o.db" || status=1
  echo "database: $(du -h "$OUT/o.db" | cut -f1)"
fi

if [ -n "$PGDSN" ] && [[ " $ENGINES " == *" postgres "* ]]; then
  db=$(pg_db "$PGDSN")
  host=$(pg_host "$PGDSN")
  dropdb --if-exists -h "$host" "$db" 2>/dev/null
  createdb -h "$host" "$db"
  bench postgres "$PGDSN" "psql -h $host -d $db -Atc" || status=1
  dropdb --if-exists -h "$host" "$db"
fi
exit $status
