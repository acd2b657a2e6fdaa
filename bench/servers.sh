#!/usr/bin/env bash
# Two servers on one PostgreSQL database: N people (default 20,000) from
# bench/peoplegen, two `outpost serve` processes A and B on 127.0.0.1,
# then
#   1. revocation: an API token B has just used is revoked with the CLI
#      (a third process); how long until B refuses it (5 times);
#   2. a check-in through A: how long until the roll call read through B
#      shows it (50 times);
#   3. check-ins: bench/checkinload on A alone with 64 clients, then on A
#      and B at once with 32 clients each (each its own roll call), for
#      SECONDS (default 10): the rates side by side, and none lost.
# Uses OUTPOST_BENCH_POSTGRES (default
# postgres:///outpost_bench_servers?host=/var/run/postgresql), a database
# it creates and drops. Results: docs/benchmarks.md, "Two servers".
# Usage: bench/servers.sh [N] [SECONDS]   (OUTPOST_BIN=path: that binary)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${1:-20000}
SECS=${2:-10}
OUT=bench/out/servers
PA=${OUTPOST_BENCH_PORT:-8094}
PB=$((PA + 1))
PGDSN=${OUTPOST_BENCH_POSTGRES:-postgres:///outpost_bench_servers?host=/var/run/postgresql}
mkdir -p "$OUT"
if [ -n "${OUTPOST_BIN:-}" ]; then
  cp "$OUTPOST_BIN" "$OUT/outpost"
else
  go build -o "$OUT/outpost" ./cmd/outpost
fi
go build -o "$OUT/checkinload" ./bench/checkinload
echo "== $N people, two servers on one PostgreSQL, ${SECS} s: $(machine), load $(cut -d' ' -f1 /proc/loadavg)"
if [ "$(cat "$OUT/n" 2>/dev/null)" != "$N" ]; then
  go run ./bench/peoplegen -n "$N" -out "$OUT" >/dev/null
  echo "$N" >"$OUT/n"
fi
db=$(pg_db "$PGDSN")
host=$(pg_host "$PGDSN")
dropdb --if-exists -h "$host" "$db" 2>/dev/null
createdb -h "$host" "$db"

PIDS=()
stop() {
  for p in "${PIDS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}
trap 'stop; dropdb --if-exists -h "$host" "$db" 2>/dev/null || true' EXIT
O() { "$OUT/outpost" --db "$PGDSN" "$@"; }
O import missions "$OUT/missions.csv" >/dev/null
O import people "$OUT/people.csv" >/dev/null
echo "bench password $RANDOM" | O user add bench-admin --role admin --password-stdin >/dev/null
O token create bench-admin --label bench --days 1 | tail -1 >"$OUT/token"
TOKEN=$(cat "$OUT/token")
for port in "$PA" "$PB"; do
  "$OUT/outpost" --db "$PGDSN" serve --addr "127.0.0.1:$port" >/dev/null 2>"$OUT/serve-$port.log" &
  PIDS+=($!)
done
A=http://127.0.0.1:$PA/
B=http://127.0.0.1:$PB/
for url in "$A" "$B"; do
  wait_up "$url"
done
ms() { echo $(($(date +%s%N) / 1000000)); }

echo
echo "== 1. a token revoked with the CLI, refused by B after (ms):"
times=()
for _ in 1 2 3 4 5; do
  out=$(O token create bench-admin --label revoke --days 1)
  id=$(echo "$out" | sed -nE 's/^API token ([0-9]+) .*/\1/p')
  tk=$(echo "$out" | tail -1)
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tk" "${B}api/v1/me")
  [ "$code" = 200 ] || { echo "B refused a fresh token: $code"; exit 1; }
  O token revoke "$id" >/dev/null
  t0=$(ms)
  until [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $tk" "${B}api/v1/me")" = 401 ]; do
    sleep 0.01
    if [ $(($(ms) - t0)) -gt 10000 ]; then echo "B still accepts the revoked token after 10 s"; exit 1; fi
  done
  times+=($(($(ms) - t0)))
done
echo "${times[*]}"

echo
echo "== 2. a check-in through A, in the roll call read through B after (ms):"
rc=$(curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"title": "two servers"}' "${A}api/v1/rollcalls" | sed -nE 's/.*"id": *([0-9]+).*/\1/p' | head -1)
body=$(curl -fs -H "Authorization: Bearer $TOKEN" "${B}api/v1/rollcalls/$rc")
people=$(echo "$body" | grep -o '"person": *"[^"]*"' | sed -E 's/.*"([^"]*)"$/\1/' | awk 'NR <= 50')
times=()
reads=0
for p in $people; do
  note="n$RANDOM$RANDOM"
  curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"person\": \"$p\", \"status\": \"safe\", \"note\": \"$note\"}" "${A}api/v1/rollcalls/$rc/checkins"
  t0=$(ms)
  until reads=$((reads + 1)) && [[ $(curl -fs -H "Authorization: Bearer $TOKEN" "${B}api/v1/rollcalls/$rc") == *"$note"* ]]; do
    if [ $(($(ms) - t0)) -gt 10000 ]; then echo "not visible through B after 10 s"; exit 1; fi
  done
  times+=($(($(ms) - t0)))
done
printf '%s\n' "${times[@]}" | sort -n | awk -v reads="$reads" -v n="$N" '{a[NR] = $1} END {
  printf "%d check-ins: median %d ms, max %d ms, in %d reads through B (a read of the %s-person roll call takes that long)\n", NR, a[int((NR + 1) / 2)], a[NR], reads, n }'

echo
echo "== 3. check-ins: A alone, 64 clients"
status=0
"$OUT/checkinload" -url "$A" -token-file "$OUT/token" -c 64 -n $((SECS * 20000)) -max "${SECS}s" -same 0 \
  | grep -E 'sustained|none lost|LOST|differ' || status=1
echo "== 3. check-ins: A and B at once, 32 clients each"
"$OUT/checkinload" -url "$A" -token-file "$OUT/token" -c 32 -n $((SECS * 20000)) -max "${SECS}s" -same 0 >"$OUT/load-a.txt" &
la=$!
"$OUT/checkinload" -url "$B" -token-file "$OUT/token" -c 32 -n $((SECS * 20000)) -max "${SECS}s" -same 0 >"$OUT/load-b.txt" &
lb=$!
wait "$la" || status=1
wait "$lb" || status=1
for s in a b; do
  echo "$s: $(grep -E 'sustained' "$OUT/load-$s.txt")"
  grep -E 'none lost|LOST|differ' "$OUT/load-$s.txt" || true
done
awk '/sustained/ {for (i = 1; i <= NF; i++) if ($i == "per") r += $(i - 1)} END {printf "together: %d per second\n", r}' "$OUT/load-a.txt" "$OUT/load-b.txt"
exit $status
