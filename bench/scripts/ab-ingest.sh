#!/bin/sh
# Server CPU per ingested point, two builds alternated (A B A B) on the same machine and data: each run
# starts the server from a jar with the launcher's JVM flags and drives it with LoadGenerator
# (20k series, 1,000 points/request, 2 workers, 20 s after 5 s warm-up).
#   [EXTRA_B='--flag=value ...'] bench/scripts/ab-ingest.sh JAR_A JAR_B [grpc|http]
# The jars are benchmarks jars (bench/target/benchmarks.jar of each build), which shade the server.
# EXTRA_B: server flags for B's runs only, e.g. the same jar twice with EXTRA_B=--data-dir=DIR to measure
# what persistence costs (DIR is emptied before each B run).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root="$here/../.."
a=$1; b=$2; transport=${3:-grpc}
flags="$(sed -n 's/^KOS_JVM_FLAGS="\(.*\)"$/\1/p' "$root/server/src/main/dist/keda-otel-scaler") $(sed -n 's/^KOS_CLASSPATH_FLAGS="\(.*\)"$/\1/p' "$root/server/src/main/dist/keda-otel-scaler")"
http=""
[ "$transport" = http ] && http="--http-port 44319"
run=0
for jar in "$a" "$b" "$a" "$b"; do
  run=$((run + 1))
  extra=""
  if [ $((run % 2)) -eq 0 ] && [ -n "${EXTRA_B:-}" ]; then
    extra=$EXTRA_B
    for f in $extra; do case $f in --data-dir=*) rm -rf "${f#--data-dir=}";; esac; done
  fi
  echo "== $jar ($transport) $extra"
  # No warm-up (/readyz is awaited below); the variable, which an older build ignores, not the flag.
  METRIC_STORE_WARM_UP_SECONDS=0 java $flags -cp "$jar" dev.kedaotel.server.Main --otlp-receiver-port=44317 --keda-external-scaler-port=44318 \
    --rest-api-port=44319 --internal-metrics-port=44320 --no-banner=true --log-level=warn $extra >/dev/null 2>&1 &
  pid=$!
  i=0
  until curl -sf -o /dev/null http://127.0.0.1:44319/readyz; do i=$((i + 1)); [ $i -gt 200 ] && exit 1; sleep 0.1; done
  java -cp "$b" dev.kedaotel.bench.LoadGenerator --port 44317 $http --pid $pid \
    --series 20000 --points 1000 --concurrency 2 --duration 20 --warmup 5 | tail -3
  kill $pid; wait $pid 2>/dev/null || true
done
