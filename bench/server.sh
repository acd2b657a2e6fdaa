#!/usr/bin/env bash
# Server benchmark: N people (default 1,000,000) from bench/peoplegen
# imported into a SQLite file, `outpost serve` on 127.0.0.1, then
# bench/serverload requests the dashboard, the people list, a person and
# the census API a bounded number of times and prints p50/p99 per route;
# the server's resident memory is read from /proc before and after.
# Usage: bench/server.sh [N]     (results: docs/benchmarks-server.md)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${1:-1000000}
OUT=bench/out/server
ADDR=127.0.0.1:${OUTPOST_BENCH_PORT:-8090}
URL=http://$ADDR/
mkdir -p "$OUT"
go build -o "$OUT/outpost" ./cmd/outpost
go build -o "$OUT/serverload" ./bench/serverload
O() { "$OUT/outpost" --db "$OUT/o.db" "$@"; }

echo "== $N people: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(go version | cut -d' ' -f3)"
if [ "$(cat "$OUT/n" 2>/dev/null)" != "$N" ] || [ ! -f "$OUT/o.db" ]; then
  rm -f "$OUT"/o.db* "$OUT/n"
  go run ./bench/peoplegen -n "$N" -out "$OUT" >/dev/null
  O import missions "$OUT/missions.csv" >/dev/null
  /usr/bin/time -f "%e" -o "$OUT/time.txt" "$OUT/outpost" --db "$OUT/o.db" import people "$OUT/people.csv" >/dev/null
  echo "imported in $(cat "$OUT/time.txt") s"
  echo "$N" >"$OUT/n"
fi
echo "database: $(du -h "$OUT/o.db" | cut -f1)"

PW="bench password $(date +%s)"
if O user list | grep -q '^bench-admin '; then
  echo "$PW" | O user passwd bench-admin --password-stdin >/dev/null
else
  echo "$PW" | O user add bench-admin --role admin --password-stdin >/dev/null
fi
echo "$PW" >"$OUT/password"
O token create bench-admin --label bench --days 1 | tail -1 >"$OUT/token"

"$OUT/outpost" --db "$OUT/o.db" serve --addr "$ADDR" >/dev/null 2>"$OUT/serve.log" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
wait_up "$URL" 600
rss() { awk -v k="$1" '$1 == k":" {printf "%.0f MB", $2/1024}' "/proc/$PID/status"; }
echo "serving; resident memory before the census is built: $(rss VmRSS)"
# The first census request waits for the in-memory snapshot (built once,
# then only after a write).
first=$(curl -fs -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $(cat "$OUT/token")" "${URL}api/v1/census")
echo "first census request (builds the snapshot): ${first} s; $(grep -o 'census snapshot built.*' "$OUT/serve.log" | tail -1)"
echo "resident memory with the snapshot: $(rss VmRSS)"
load() {
  "$OUT/serverload" -url "$URL" -user bench-admin -password-file "$OUT/password" -token-file "$OUT/token" \
    -people "$N" -n "${REQUESTS:-400}" -c "$1" -max 60s
}
echo
echo "== one client at a time (latency = server time + loopback)"
load 1
echo
echo "== four concurrent clients on $(nproc) cores (throughput; latency includes queueing)"
load 4
echo
echo "resident memory after the load: $(rss VmRSS) (peak $(rss VmHWM))"
kill $PID; wait $PID 2>/dev/null || true
trap - EXIT
echo
echo "== server time in process (go test -bench, no network)"
OUTPOST_BENCH_DB="$PWD/$OUT/o.db" go test ./internal/server -run - -bench Pages -benchtime 100x | grep -E '^Benchmark' |
  awk '{printf "  %-36s %8.2f ms\n", $1, $3/1e6}'

