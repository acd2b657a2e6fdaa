# Sourced by the bench/*.sh scripts: what they share to describe the
# machine, start and stop a server and name a PostgreSQL database.

# machine: the cores, their model and the Go version, for a run's header.
machine() {
  echo "$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(go version | cut -d' ' -f3)"
}

# wait_up URL [TRIES]: waits until URL's /healthz answers, polling every
# 0.1 s, at most TRIES times (default 300).
wait_up() {
  for _ in $(seq "${2:-300}"); do
    curl -fs "${1}healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
}

# PID is the server started in the background; stop interrupts it and
# waits for it to end (set as the EXIT trap).
PID=
stop() {
  if [ -n "$PID" ]; then
    kill -INT "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    PID=
  fi
}

# pg_db DSN, pg_host DSN: the database name and the socket directory of a
# postgres:///NAME?host=DIR address.
pg_db() { echo "$1" | sed -E 's#^postgres(ql)?:///?([^?]*).*#\2#'; }
pg_host() { echo "$1" | sed -nE 's#.*[?&]host=([^&]*).*#\1#p'; }

# build_revs OUT REV...: builds, once per revision into OUT, its server
# benchmarks (server-SHA.test) and its outpost (outpost-SHA), in a
# worktree of its own; revs is the short shas, in the order given.
build_revs() {
  local out=$1 rev sha tree
  shift
  revs=()
  for rev in "$@"; do
    sha=$(git rev-parse --short "$rev")
    revs+=("$sha")
    if [ ! -x "$out/server-$sha.test" ]; then
      tree=$(mktemp -d)
      git worktree add -q --detach "$tree" "$sha"
      (cd "$tree" && go test -c -o "$out/server-$sha.test" ./internal/server)
      if [ ! -x "$out/outpost-$sha" ]; then
        (cd "$tree" && go build -o "$out/outpost-$sha" ./cmd/outpost)
      fi
      git worktree remove --force "$tree"
    fi
  done
}

# base_db OUT N SHA: OUT/base.db of N people (bench/peoplegen), imported
# by outpost-SHA (the oldest revision, so that every one can migrate it);
# kept while N stays the same.
base_db() {
  if [ "$(cat "$1/n" 2>/dev/null)" != "$2" ] || [ ! -f "$1/base.db" ]; then
    rm -f "$1"/base.db*
    go run ./bench/peoplegen -n "$2" -out "$1" >/dev/null
    "$1/outpost-$3" --db "$1/base.db" import missions "$1/missions.csv" >/dev/null
    "$1/outpost-$3" --db "$1/base.db" import people "$1/people.csv" >/dev/null
    echo "$2" >"$1/n"
  fi
}

# medians RUNS: the median ns/op per benchmark and revision of RUNS's
# "SHA Benchmark... N ns/op ..." lines.
medians() {
  echo "== median ns/op"
  awk '{ key = $2 " " $1; v[key] = v[key] " " $4 } END { for (k in v) print k, v[k] }' "$1" | sort |
    while read -r bench sha values; do
      median=$(echo "$values" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
      printf '%-45s %s %12.0f\n' "$bench" "$sha" "$median"
    done
}
