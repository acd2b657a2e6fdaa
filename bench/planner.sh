#!/usr/bin/env bash
# Benchmarks the evacuation planner (internal/evac) against CBC's exact
# optimum on the same instances, then at Kabul scale against its own bound.
#
# usage: bench/planner.sh [--quick] [--no-kabul]
#   env CBC_CAP   seconds CBC may spend on one instance (default 600)
#       BENCH_DIR where instances and results go (default /tmp/planner-bench);
#                 CBC results found there are reused, delete it to re-solve.
# Needs go, python3 and cbc (Debian: apt-get install -y coinor-cbc).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
KIT=${KIT:-$ROOT/../shared/conformance}
[ -f "$KIT/gen.py" ] || { echo "the conformance kit is not at ../shared/conformance (set KIT)" >&2; exit 1; }
CAP=${CBC_CAP:-600}
W=${BENCH_DIR:-/tmp/planner-bench}
QUICK=0 KABUL=1
for a in "$@"; do
  case $a in
    --quick) QUICK=1 ;;
    --no-kabul) KABUL=0 ;;
    *) echo "usage: $0 [--quick] [--no-kabul]" >&2; exit 2 ;;
  esac
done
command -v cbc >/dev/null || { echo "needs cbc: apt-get install -y coinor-cbc" >&2; exit 1; }
mkdir -p "$W"
go build -o "$W/plannergen" ./bench/plannergen
G=$W/plannergen

# Instances: NAME and how to make it.
declare -a NAMES CMDS
add() { NAMES+=("$1"); CMDS+=("$2"); }
add gen-s1 "python3 $KIT/gen.py DIR --seed 1"
add gen-s2 "python3 $KIT/gen.py DIR --seed 2"
add gen-s3 "python3 $KIT/gen.py DIR --seed 3"
add gen-3000p-s4 "python3 $KIT/gen.py DIR --seed 4 --people 3000 --departures 40"
add hard-s1 "$G gen -kind hard -seed 1 -out DIR"
add hard-s2 "$G gen -kind hard -seed 2 -out DIR"
if [ $QUICK = 0 ]; then
  add hard-s3 "$G gen -kind hard -seed 3 -out DIR"
  add hard-2000p-s4 "$G gen -kind hard -seed 4 -people 2000 -departures 40 -seats 0.45 -out DIR"
  add tight-s5 "$G gen -kind hard -seed 5 -people 1500 -departures 25 -seats 0.35 -out DIR"
fi

printf '%-14s %6s %4s %10s %-8s %8s %10s %10s %8s %9s %8s\n' \
  instance people deps cbc_opt status cbc_s score bound score/opt planner_s speedup
for i in "${!NAMES[@]}"; do
  name=${NAMES[$i]} D=$W/${NAMES[$i]}
  if [ ! -f "$D/people.csv" ]; then
    eval "${CMDS[$i]//DIR/$D}" >/dev/null
  fi
  # The LP in gen.py's write_lp form (for gen.py instances the kit wrote
  # it too; ours must be the same file).
  if [ -f "$D/plan.lp" ] && [ ! -f "$D/.ours" ]; then
    cp "$D/plan.lp" "$D/kit.lp"
    "$G" lp "$D" >/dev/null
    cmp -s "$D/plan.lp" "$D/kit.lp" || { echo "$name: our LP differs from gen.py's" >&2; exit 1; }
  else
    "$G" lp "$D" >/dev/null
  fi
  touch "$D/.ours"
  if [ ! -f "$D/cbc.txt" ]; then
    t0=$(date +%s.%N)
    (cd "$D" && cbc plan.lp sec "$CAP" solve solu sol.txt >cbc.log 2>&1) || true
    t1=$(date +%s.%N)
    echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') $(head -1 "$D/sol.txt")" >"$D/cbc.txt"
  fi
  read -r cbc_s cbc_line <"$D/cbc.txt"
  opt=$(echo "$cbc_line" | sed -n 's/.*objective value *\([0-9.]*\).*/\1/p')
  case $cbc_line in Optimal*) status=optimal ;; *) status=capped ;; esac
  res=$("$G" solve "$D" -out "$D/plan.json" -runs 5)
  read -r people deps score bound secs < <(python3 -c "
import json,sys; r=json.loads(sys.argv[1])
print(r['people'], r['departures'], r['score'], r['bound'], r['seconds'])" "$res")
  python3 "$KIT/check.py" plan "$D" "$D/plan.json" "$opt" >"$D/check.txt" || {
    echo "$name: check.py failed: $(cat "$D/check.txt")" >&2; exit 1; }
  python3 -c "
import sys
n,p,d,opt,st,cs,sc,b,ps=sys.argv[1:]
opt,cs,sc,b,ps=float(opt),float(cs),int(sc),int(b),float(ps)
print('%-14s %6s %4s %10.0f %-8s %8.2f %10d %10d %8.4f %9.4f %7.0fx' % (n,p,d,opt,st,cs,sc,b,sc/opt,ps,cs/ps))
" "$name" "$people" "$deps" "$opt" "$status" "$cbc_s" "$score" "$bound" "$secs"
done

if [ $KABUL = 1 ]; then
  echo
  echo "Kabul scale (no CBC: the plan is checked against its own bound)"
  D=$W/kabul-s1
  [ -f "$D/people.csv" ] || "$G" gen -kind kabul -seed 1 -out "$D"
  /usr/bin/time -v "$G" solve "$D" -out "$D/plan.json" >"$D/solve.txt" 2>"$D/time.txt"
  python3 "$KIT/check.py" plan "$D" "$D/plan.json" bound | tail -1
  python3 -c "
import json,re,sys
r=json.loads(open(sys.argv[1]).read())
t=open(sys.argv[2]).read()
rss=int(re.search(r'Maximum resident set size \(kbytes\): (\d+)',t).group(1))
wall=re.search(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)',t).group(1)
print('people %d  households %d  departures %d  score %d  bound %d  score/bound %.4f  solve %.2f s  process wall %s  peak RSS %.0f MB' % (
  r['people'], r['households'], r['departures'], r['score'], r['bound'], r['ratio'], r['seconds'], wall, rss/1024))
" "$D/solve.txt" "$D/time.txt"
fi
