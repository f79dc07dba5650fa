#!/bin/sh
# Issue 11: resident memory of Prometheus 2.42, VictoriaMetrics 1.79 and keda-otel-scaler holding the
# same series (bench/README.md, "Side by side with Prometheus and VictoriaMetrics").
#   bench/scripts/side-by-side.sh [SIZES=10000,100000] [RUNS=3] [FILL_SECONDS=150] [MODE=launcher] [OUT=bench/target/side-by-side]
# MODE: launcher (ours started by server/src/main/dist/keda-otel-scaler), plain (java -jar, no flags),
# or both (each run adds a session with only ours, started plain, fed the same workload).
# Sizes from SOLO_FROM (environment, default 1000000) up are run as one session per system ("solo"):
# feeding three systems 1M samples every 5 s does not fit 2 cores, one at a time does (the same
# seeded values and timestamps relative to the first tick; answers are then not compared).
# QUERY_RUNS (default 200) and QUERY_BUDGET seconds (default 900) bound the query phase of a session.
# Every size and run uses fresh processes, started and stopped by dev.kedaotel.bench.PeerSideBySide (by PID;
# a trap here also stops the driver and the PIDs it recorded). Raw output per session goes to
# OUT/<size>-run<r>-<mode>.txt; OUT/table.md gets the medians and ratios. Run from anywhere; needs
# bench/target/benchmarks.jar and server/target/keda-otel-scaler.jar (mvn -B -q package -DskipTests -pl bench -am).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
sizes=${1:-10000,100000}
runs=${2:-3}
fill=${3:-150}
mode=${4:-launcher}
out=${5:-$repo/bench/target/side-by-side}
case "$mode" in launcher|plain|both) ;; *) echo "MODE must be launcher, plain or both" >&2; exit 64;; esac
for bin in /usr/bin/prometheus /usr/bin/victoria-metrics "$repo/bench/target/benchmarks.jar" "$repo/server/target/keda-otel-scaler.jar"; do
  [ -e "$bin" ] || { echo "missing $bin" >&2; exit 66; }
done
mkdir -p "$out"
work=$(mktemp -d /tmp/side-by-side.XXXXXX)
driver=""
cleanup() {
  [ -n "$driver" ] && kill "$driver" 2>/dev/null || true
  # The driver stops its children itself (also on SIGTERM); this is for one that could not. Only a PID
  # whose command line is still one we started (our temp dir or our jar) is signalled: a PID the kernel
  # has since given to someone else's process is left alone.
  if [ -f "$work/pids" ]; then
    sleep 2
    for pid in $(cat "$work/pids"); do
      if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -e "$work" -e "$repo/server/target/keda-otel-scaler.jar"; then
        kill "$pid" 2>/dev/null || true
      fi
    done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

query_runs=${QUERY_RUNS:-200}
query_budget=${QUERY_BUDGET:-900}
# Bounded: feeding, the query phase's budget, start and stop.
limit=$((fill + query_budget + 300))
solo_from=${SOLO_FROM:-1000000}
session() { # size run ours-mode systems label
  rm -f "$work/pids"
  file="$out/$1-run$2-$5.txt"
  echo "== $(date -u +%FT%TZ) size $1 run $2 $5; load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$file"
  (cd "$repo" && exec timeout "$limit" java -Xms256m -Xmx4g -cp bench/target/benchmarks.jar dev.kedaotel.bench.PeerSideBySide \
      --series "$1" --fill "$fill" --ours "$3" --systems "$4" --query-runs "$query_runs" --query-budget "$query_budget" --work "$work/s" --pid-file "$work/pids") >> "$file" 2>&1 &
  driver=$!
  status=0
  wait "$driver" || status=$?
  driver=""
  rm -f "$work/pids" # the driver has stopped them
  echo "== exit $status; load: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$file"
  grep -v '^RESULT' "$file" | sed 's/^/  /'
  [ "$status" -eq 0 ] || [ "$status" -eq 3 ] || echo "  session failed (exit $status), see $file"
}

for size in $(echo "$sizes" | tr ',' ' '); do
  for run in $(seq 1 "$runs"); do
    ours_mode=$([ "$mode" = plain ] && echo plain || echo launcher)
    if [ "$size" -ge "$solo_from" ]; then
      for sys in prometheus victoria-metrics ours; do session "$size" "$run" "$ours_mode" "$sys" "solo-$sys"; done
    else
      session "$size" "$run" "$ours_mode" prometheus,victoria-metrics,ours "$ours_mode"
    fi
    if [ "$mode" = both ]; then session "$size" "$run" plain ours plain-only; fi
  done
done
python3 "$here/side-by-side-table.py" "$out" | tee "$out/table.md"
