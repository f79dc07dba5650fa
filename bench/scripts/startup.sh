#!/bin/sh
# Start-to-ready time and idle resident memory of the shipped jar through the shipped launcher,
# without and with an application class-data-sharing archive (trained first by the launcher itself,
# KOS_CDS_TRAIN=1, into a temporary directory).
#   [BASE_PORT=34317] bench/scripts/startup.sh [RUNS=5] [JAR=server/target/keda-otel-scaler.jar] [JAR_B]
# Start-to-ready: from just before exec of the launcher until GET /readyz answers 200 (polled every
# 5 ms). CPU: the process' user+sys time at that moment (/proc/PID/stat), steadier than wall time on a
# shared machine. Idle RSS: VmRSS 10 s after ready. The 1-minute load average is printed with each run.
# With JAR_B, the two jars alternate run by run (A B A B ...), each with its own trained archive, and
# each line starts with A or B.
# Ports: BASE_PORT .. BASE_PORT+3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root="$here/../.."
runs=${1:-5}
jar_a=${2:-$root/server/target/keda-otel-scaler.jar}
jar_b=${3:-}
base=${BASE_PORT:-34317}
http=$((base + 2))
launcher="$root/server/src/main/dist/keda-otel-scaler"
# Start-to-ready means serving, not the window's warm-up (120 s by default): no warm-up. The variable, not
# the flag, so an older build (JAR_B) ignores it.
export METRIC_STORE_WARM_UP_SECONDS=0
ports="--otlp-receiver-port=$base --keda-external-scaler-port=$((base + 1)) --rest-api-port=$http --internal-metrics-port=$((base + 3)) --no-banner=true --log-level=warn"
tick=$(getconf CLK_TCK)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ready() { # waits for /readyz of $pid; fails if the process died
  until curl -sf -o /dev/null "http://127.0.0.1:$http/readyz"; do
    kill -0 "$pid" 2>/dev/null || { echo "server exited before ready" >&2; exit 1; }
    sleep 0.005
  done
}

# Train one archive per jar: one run that serves a query and exits gracefully.
jars="$jar_a${jar_b:+ $jar_b}"
n=0
for jar in $jars; do
  n=$((n + 1))
  KOS_CDS_TRAIN=1 KOS_CDS_ARCHIVE="$tmp/kos$n.jsa" KOS_JAR="$jar" "$launcher" $ports >/dev/null 2>&1 &
  pid=$!
  ready
  curl -s -o /dev/null "http://127.0.0.1:$http/api/v1/query?query=up"
  kill $pid; wait $pid 2>/dev/null || true
done

for mode in no-cds cds; do
  for i in $(seq 1 "$runs"); do
    n=0
    for jar in $jars; do
      n=$((n + 1))
      archive="$tmp/none.jsa"; [ $mode = cds ] && archive="$tmp/kos$n.jsa"
      t0=$(date +%s%N)
      KOS_JAR="$jar" KOS_CDS_ARCHIVE="$archive" "$launcher" $ports >/dev/null 2>&1 &
      pid=$!
      ready
      t1=$(date +%s%N)
      cpu=$(sed 's/.*) //' /proc/$pid/stat | awk -v t="$tick" '{print int(($12 + $13) * 1000 / t)}')
      load=$(cut -d' ' -f1 /proc/loadavg)
      sleep 10
      rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status)
      label=""; [ -n "$jar_b" ] && { [ $n = 1 ] && label="A " || label="B "; }
      echo "${label}$mode run $i: start-to-ready $(( (t1 - t0) / 1000000 )) ms, CPU $cpu ms, idle VmRSS $(( rss / 1024 )) MiB, load $load"
      kill $pid; wait $pid 2>/dev/null || true
    done
  done
done
