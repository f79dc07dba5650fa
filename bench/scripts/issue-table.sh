#!/bin/sh
# Re-measures every row of the issue-4 table in bench/README.md, one probe at a time (they must not
# share the 2 cores with each other), RUNS times each, and keeps every probe's raw output in OUT.
#   bench/scripts/issue-table.sh [RUNS=3] [OUT=bench/target/issue-table]
# Needs bench/target/benchmarks.jar and server/target/keda-otel-scaler.jar (mvn -B -q -DskipTests package).
# Takes about 15 minutes with RUNS=3 on an idle 2-core machine. The summary lines (grep'd from the raw logs) go to OUT/summary.txt.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${1:-3}
out=${2:-$root/bench/target/issue-table}
jar="$root/bench/target/benchmarks.jar"
mkdir -p "$out"
cd "$root"

load() { awk '{print $1}' /proc/loadavg; }
log() { echo "$(date -u +%H:%M:%S) load $(load): $*" | tee -a "$out/summary.txt"; }
ready() { until curl -sf -o /dev/null http://127.0.0.1:$1/readyz; do sleep 0.1; done; } # $1 = HTTP port (BASE+2)

# 1. Ingest CPU per point (server with 32-sample rings, one unmeasured warm-up run first).
bench/scripts/server.sh 24317 --metric-store-max-samples-per-series=32 >"$out/ingest-server.log" 2>&1 &
server=$!
ready 24319
gen="java -cp $jar dev.kedaotel.bench.LoadGenerator --port 24317 --series 100000 --points 1000 --concurrency 2 --warmup 5"
$gen --duration 10 >"$out/ingest-warmup.log" 2>&1
for i in $(seq 1 "$runs"); do
  $gen --duration 20 >"$out/ingest-$i.log" 2>&1
  log "ingest run $i: $(grep -E 'cpu per acknowledged point|acknowledged points/s' "$out/ingest-$i.log" | tr '\n' ' ')"
done
kill $server; wait $server 2>/dev/null || true

# 2. Push latency with and without background load, GetMetrics/IsActive (default server).
bench/scripts/server.sh 24317 >"$out/latency-server.log" 2>&1 &
server=$!
ready 24319
push="java -cp $jar dev.kedaotel.bench.PushLatencyProbe --otlp-port 24317 --scaler-port 24318 --flips 300"
for i in $(seq 1 "$runs"); do
  $push --load-rate 300000 --load-series 100000 >"$out/push-load-$i.log" 2>&1
  log "push (300k points/s load) run $i: $(grep -E 'push latency' "$out/push-load-$i.log" | tr '\n' ' ')"
done
for i in $(seq 1 "$runs"); do
  $push >"$out/push-$i.log" 2>&1
  log "push (no load) run $i: $(grep -E 'push latency' "$out/push-$i.log" | tr '\n' ' ')"
done
for i in $(seq 1 "$runs"); do
  java -cp "$jar" dev.kedaotel.bench.ScalerLatencyProbe --scaler-port 24318 --calls 20000 >"$out/scaler-$i.log" 2>&1
  log "GetMetrics/IsActive run $i: $(grep -E 'GetMetrics|IsActive' "$out/scaler-$i.log" | tr '\n' ' ')"
done
kill $server; wait $server 2>/dev/null || true

# 3. Query latency over HTTP and visibility (the probe starts its own server).
for i in $(seq 1 "$runs"); do
  java -cp "$jar" dev.kedaotel.bench.QueryLatencyProbe --runs 200 >"$out/query-$i.log" 2>&1
  log "query run $i:"; grep -E 'sum\(|histogram|count|visible' "$out/query-$i.log" | tee -a "$out/summary.txt"
done

# 4. Memory per series (the probe starts a fresh server per count).
for i in $(seq 1 "$runs"); do
  java -cp "$jar" dev.kedaotel.bench.MemoryProbe --counts 10000,100000,300000,1000000 >"$out/memory-$i.log" 2>&1
  log "memory run $i:"; tail -n 8 "$out/memory-$i.log" | tee -a "$out/summary.txt"
done

# 5. Start to ready / idle RSS through the launcher, without and with the CDS archive.
bench/scripts/startup.sh 5 >"$out/startup.log" 2>&1
log "startup:"; tee -a "$out/summary.txt" <"$out/startup.log"
