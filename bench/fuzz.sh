#!/bin/bash
# Fuzz every target briefly: each func FuzzXxx in a _test.go file, one at a
# time (go test -fuzz takes one target per run), FUZZTIME each (default
# 10s). A failure stops the script; Go writes the failing input under the
# package's testdata/fuzz/FuzzXxx/, where plain `go test` then replays it.
# usage: bench/fuzz.sh [FUZZTIME] [PACKAGE...]   (from anywhere; needs Go)
# e.g.   bench/fuzz.sh 10s
#        bench/fuzz.sh 1m ./internal/server/
# New inputs are minimized for at most FUZZMINIMIZETIME (default 5s), so
# that a short run fuzzes rather than minimizes; FUZZPARALLEL workers
# (default: one per core).
# FuzzAPIRoutes fuzzes on SQLite; its seed corpus also runs on PostgreSQL
# in plain `go test` when OUTPOST_TEST_POSTGRES is set.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-10s}
shift || true
pkgs=("$@")
if [ ${#pkgs[@]} -eq 0 ]; then
	mapfile -t pkgs < <(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u)
fi
for pkg in "${pkgs[@]}"; do
	pkg=./${pkg#./}
	for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$pkg"/*_test.go | cut -d' ' -f2 | sort -u); do
		echo "== $pkg $target ($fuzztime)"
		corpus="$pkg/testdata/fuzz/$target"
		before=$( (ls "$corpus" 2>/dev/null || true) | wc -l)
		log=$(mktemp)
		if go test -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime" \
			-fuzzminimizetime "${FUZZMINIMIZETIME:-5s}" -parallel "${FUZZPARALLEL:-$(nproc)}" "$pkg" 2>&1 | tee "$log"; then
			rm -f "$log"
			continue
		fi
		# Go 1.26's fuzzing coordinator can report its own -fuzztime
		# deadline as a failure, with no failing input written
		# (go.dev/issue/75804, fixed in Go 1.27). That one is not a
		# finding; anything else, or any input written, is.
		after=$( (ls "$corpus" 2>/dev/null || true) | wc -l)
		if [ "$after" = "$before" ] && tail -5 "$log" | grep -qx '    context deadline exceeded'; then
			echo "(the fuzzing coordinator's deadline race, go.dev/issue/75804: no failing input; not a finding)"
			rm -f "$log"
			continue
		fi
		rm -f "$log"
		exit 1
	done
done
