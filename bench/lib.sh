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
