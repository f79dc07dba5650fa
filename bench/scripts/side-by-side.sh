#!/bin/sh
# Issue 11: resident memory of Prometheus 2.42, VictoriaMetrics 1.79 and keda-otel-scaler holding the
# same series (bench/README.md, "Side by side with Prometheus and VictoriaMetrics").
#   bench/scripts/side-by-side.sh [SIZES=10000,100000] [RUNS=3] [FILL_SECONDS=150] [MODE=launcher] [OUT=bench/target/side-by-side]
# MODE: launcher (ours started by server/src/main/dist/keda-otel-scaler), plain (java -jar, no flags),
# or both (each run adds a session with only ours, started plain, fed the same workload).
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
  # The driver stops its children itself (also on SIGTERM); these are for a driver that was SIGKILLed.
  if [ -f "$work/pids" ]; then
    sleep 2
    for pid in $(cat "$work/pids"); do kill "$pid" 2>/dev/null || true; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Bounded: feeding, up to 900 s of queries (the driver's budget), start and stop.
limit=$((fill + 900 + 300))
session() { # size run ours peers label
  rm -f "$work/pids"
  file="$out/$1-run$2-$5.txt"
  echo "== $(date -u +%FT%TZ) size $1 run $2 $5; load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$file"
  (cd "$repo" && exec timeout "$limit" java -Xms256m -Xmx4g -cp bench/target/benchmarks.jar dev.kedaotel.bench.PeerSideBySide \
      --series "$1" --fill "$fill" --ours "$3" --peers "$4" --work "$work/s" --pid-file "$work/pids") >> "$file" 2>&1 &
  driver=$!
  status=0
  wait "$driver" || status=$?
  driver=""
  echo "== exit $status; load: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$file"
  grep -v '^RESULT' "$file" | sed 's/^/  /'
  [ "$status" -eq 0 ] || [ "$status" -eq 3 ] || echo "  session failed (exit $status), see $file"
}

for size in $(echo "$sizes" | tr ',' ' '); do
  for run in $(seq 1 "$runs"); do
    case "$mode" in
      launcher|both) session "$size" "$run" launcher true launcher ;;
      plain) session "$size" "$run" plain true plain ;;
    esac
    [ "$mode" = both ] && session "$size" "$run" plain false plain-only
  done
done
python3 "$here/side-by-side-table.py" "$out" | tee "$out/table.md"
