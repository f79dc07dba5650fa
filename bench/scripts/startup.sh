#!/bin/sh
# Start-to-ready time and idle resident memory of the shipped jar through the shipped launcher,
# without and with an application class-data-sharing archive (trained first by the launcher itself,
# KOS_CDS_TRAIN=1, into a temporary directory).
#   bench/scripts/startup.sh [RUNS=5] [JAR=server/target/keda-otel-scaler.jar]
# Start-to-ready: from just before exec of the launcher until GET /readyz answers 200 (polled every
# 5 ms). Idle RSS: VmRSS 10 s after ready.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root="$here/../.."
runs=${1:-5}
jar=${2:-$root/server/target/keda-otel-scaler.jar}
launcher="$root/server/src/main/dist/keda-otel-scaler"
ports="--otlp-receiver-port=34317 --keda-external-scaler-port=34318 --rest-api-port=34319 --internal-metrics-port=34320 --no-banner=true --log-level=warn"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

start() { # $1 = archive path (may not exist)
  KOS_JAR="$jar" KOS_CDS_ARCHIVE="$1" "$launcher" $ports >/dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null http://127.0.0.1:34319/readyz; do sleep 0.005; done
}

# Train the archive: one run that exits gracefully.
KOS_CDS_TRAIN=1 KOS_CDS_ARCHIVE="$tmp/kos.jsa" KOS_JAR="$jar" "$launcher" $ports >/dev/null 2>&1 &
pid=$!
until curl -sf -o /dev/null http://127.0.0.1:34319/readyz; do sleep 0.05; done
curl -s -o /dev/null "http://127.0.0.1:34319/api/v1/query?query=up"
kill $pid; wait $pid 2>/dev/null || true

for mode in no-cds cds; do
  archive="$tmp/none.jsa"; [ $mode = cds ] && archive="$tmp/kos.jsa"
  for i in $(seq 1 "$runs"); do
    t0=$(date +%s%N)
    start "$archive"
    t1=$(date +%s%N)
    sleep 10
    rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status)
    echo "$mode run $i: start-to-ready $(( (t1 - t0) / 1000000 )) ms, idle VmRSS $(( rss / 1024 )) MiB"
    kill $pid; wait $pid 2>/dev/null || true
  done
done
