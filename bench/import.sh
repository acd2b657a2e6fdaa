#!/usr/bin/env bash
# Import benchmark: N people (default 1,000,000) imported by outpost, side by
# side with the baselines on the same file in the same run:
#   SQLite:     sqlite3 .import into an equivalent table with the same indexes
#   PostgreSQL: psql \copy into an equivalent table with the same indexes
# Usage: bench/import.sh [N]        (PostgreSQL part runs when psql reaches
#        OUTPOST_BENCH_POSTGRES, default the local socket; DRIVERS=all
#        adds the ncruces and mattn SQLite drivers)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
OUT=bench/out
PG=${OUTPOST_BENCH_POSTGRES:-postgres:///outpost_bench?host=/var/run/postgresql}
mkdir -p "$OUT"
go build -o "$OUT/outpost" ./cmd/outpost
go run ./bench/peoplegen -n "$N" -out "$OUT" >/dev/null
ls -l "$OUT/people.csv" | awk '{printf "file: %s bytes, ", $5}'; echo "$N people"

REPEAT=${REPEAT:-3}

timed() { # prints "seconds peak-RSS-MB" of the command, and appends the seconds to $OUT/$LOG
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >/dev/null
  awk '{print $1}' "$OUT/time.txt" >>"$OUT/$LOG"
  awk '{printf "%.2f s, peak %.0f MB", $1, $2/1024}' "$OUT/time.txt"
}
median() { sort -n "$OUT/$1" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
summary() { # baseline-log outpost-log
  local b o
  b=$(median "$1"); o=$(median "$2")
  echo "  median of $REPEAT: baseline $b s, outpost $o s, ratio $(awk -v o="$o" -v b="$b" 'BEGIN {printf "%.2f", o/b}')"
}

SCHEMA="CREATE TABLE missions (code TEXT PRIMARY KEY, name TEXT, country TEXT, kind TEXT, status TEXT, min_staff INTEGER);
CREATE TABLE people (id TEXT PRIMARY KEY, household TEXT NOT NULL, given_name TEXT NOT NULL, family_name TEXT NOT NULL,
  nationality TEXT NOT NULL, mission TEXT NOT NULL REFERENCES missions(code), category TEXT NOT NULL, birth_date TEXT,
  essential TEXT NOT NULL, medical INTEGER NOT NULL, status TEXT NOT NULL, since TEXT NOT NULL, ready TEXT, passport TEXT);
CREATE INDEX people_mission ON people (mission, id);
CREATE INDEX people_household ON people (household);"

# The machine may be shared: the baseline and outpost take turns REPEAT
# times (default 3), each into a fresh database, and the medians compare.
echo "== SQLite"
rm -f "$OUT"/sq-*.log
for i in $(seq "$REPEAT"); do
  rm -f "$OUT"/base.db* "$OUT"/o.db*
  printf 'PRAGMA journal_mode=WAL;\n%s\n.mode csv\n.import --skip 1 %s/missions.csv missions\n' "$SCHEMA" "$OUT" | sqlite3 "$OUT/base.db" >/dev/null
  LOG=sq-base.log; echo "  sqlite3 .import: $(timed sqlite3 "$OUT/base.db" ".mode csv" ".import --skip 1 $OUT/people.csv people")"
  "$OUT/outpost" --db "$OUT/o.db" import missions "$OUT/missions.csv" >/dev/null
  LOG=sq-outpost.log; echo "  outpost import:  $(timed "$OUT/outpost" --db "$OUT/o.db" import people "$OUT/people.csv")"
  # DRIVERS=all: the same import through the other SQLite drivers for
  # Go, built with their tags (mattn needs a C compiler).
  if [ "${DRIVERS:-}" = all ]; then
    for d in ncruces mattn; do
      go build -tags "sqlite_$d" -o "$OUT/outpost-$d" ./cmd/outpost
      rm -f "$OUT"/o-$d.db*
      "$OUT/outpost-$d" --db "$OUT/o-$d.db" import missions "$OUT/missions.csv" >/dev/null
      LOG=sq-$d.log; echo "  outpost import, $d driver: $(timed "$OUT/outpost-$d" --db "$OUT/o-$d.db" import people "$OUT/people.csv")"
    done
  fi
done
summary sq-base.log sq-outpost.log
if [ "${DRIVERS:-}" = all ]; then
  for d in ncruces mattn; do echo "  $d driver: $(summary sq-base.log sq-$d.log | sed 's/.*outpost/outpost/')"; done
fi

if psql "${PG%%\?*}?${PG#*\?}" -c 'select 1' >/dev/null 2>&1 || createdb outpost_bench 2>/dev/null; then
  echo "== PostgreSQL"
  rm -f "$OUT"/pg-*.log
  # The same table, with the byte-order collation outpost uses for ids.
  PGSCHEMA=$(echo "$SCHEMA" | sed 's/code TEXT PRIMARY KEY/code TEXT COLLATE "C" PRIMARY KEY/; s/id TEXT PRIMARY KEY/id TEXT COLLATE "C" PRIMARY KEY/; s/household TEXT NOT NULL/household TEXT COLLATE "C" NOT NULL/; s/mission TEXT NOT NULL/mission TEXT COLLATE "C" NOT NULL/')
  for i in $(seq "$REPEAT"); do
    dropdb --if-exists outpost_bench; createdb outpost_bench
    psql -q "$PG" -c "$PGSCHEMA" -c "\\copy missions FROM '$OUT/missions.csv' CSV HEADER"
    LOG=pg-base.log; echo "  psql \\copy:      $(timed psql -q "$PG" -c "\\copy people FROM '$OUT/people.csv' CSV HEADER")"
    dropdb outpost_bench; createdb outpost_bench
    "$OUT/outpost" --db "$PG" import missions "$OUT/missions.csv" >/dev/null
    LOG=pg-outpost.log; echo "  outpost import:  $(timed "$OUT/outpost" --db "$PG" import people "$OUT/people.csv")"
  done
  dropdb outpost_bench
  summary pg-base.log pg-outpost.log
fi
