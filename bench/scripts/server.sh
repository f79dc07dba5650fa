#!/bin/sh
# Starts the server for the bench instruments from bench/target/benchmarks.jar (which shades the
# server and the tsdb/receiver built in this tree) with the launcher's JVM flags, on ports
# BASE (OTLP/gRPC), BASE+1 (KEDA scaler), BASE+2 (HTTP API), BASE+3 (self-metrics).
#   bench/scripts/server.sh [BASE=24317] [extra server flags...]
# Prints nothing itself; the server logs to stdout. Stop it with kill <pid>.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
base=${1:-24317}
[ $# -gt 0 ] && shift
# Same flags as server/src/main/dist/keda-otel-scaler, plus its KOS_CLASSPATH_FLAGS (this is a -cp run).
launcher="$here/../../server/src/main/dist/keda-otel-scaler"
# No warm-up unless the caller asks for one: the instruments measure answers from the first second
# (the variable, not the flag, so an older server build ignores it).
export METRIC_STORE_WARM_UP_SECONDS="${METRIC_STORE_WARM_UP_SECONDS:-0}"
exec java $(sed -n 's/^KOS_JVM_FLAGS="\(.*\)"$/\1/p' "$launcher") $(sed -n 's/^KOS_CLASSPATH_FLAGS="\(.*\)"$/\1/p' "$launcher") ${JAVA_OPTS:-} \
  -cp "$here/../target/benchmarks.jar" dev.kedaotel.server.Main \
  --otlp-receiver-port=$base --keda-external-scaler-port=$((base + 1)) --rest-api-port=$((base + 2)) \
  --internal-metrics-port=$((base + 3)) --no-banner=true "$@"
