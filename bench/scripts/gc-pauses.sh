#!/bin/sh
# GC pauses under maximum OTLP/gRPC ingest, with the launcher's JVM flags (issue 11): a server on base port
# BASE (bench/scripts/server.sh), 100k series, two load phases — series creation plus a 10 s warm-up, then a
# measured interval — and the pause distribution of each from the JVM's own GC log (-Xlog:gc).
#   bench/scripts/gc-pauses.sh [SERIES=100000] [SECONDS=20] [BASE=34317]
# Prints count, p50, p99 and max of the pauses, and how many were full collections, per phase.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
series=${1:-100000}
secs=${2:-20}
base=${3:-34317}
jar="$here/../target/benchmarks.jar"
work=$(mktemp -d /tmp/gc-pauses.XXXXXX)
JAVA_OPTS="${JAVA_OPTS:-} -Xlog:gc:file=$work/gc.log" "$here/server.sh" "$base" --log-level=warn \
  --metric-store-max-samples-per-series=32 > "$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
i=0
until curl -sf "http://127.0.0.1:$((base + 2))/readyz" >/dev/null; do
  i=$((i + 1)); [ $i -lt 200 ] || { echo "server did not become ready" >&2; cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done
load() {
  java -cp "$jar" dev.kedaotel.bench.LoadGenerator --port "$base" --series "$series" --points 1000 --concurrency 2 \
    --duration "$1" --warmup 0 --pid "$pid"
}
summary() {
  awk '/Pause/{ms=$NF; sub("ms","",ms); print ms, ($0 ~ /Pause Full/) ? "full" : "young"}' | sort -n | awk -v phase="$1" '
    {a[NR]=$1; if ($2 == "full") f++}
    END {if (NR == 0) {print phase ": no pauses"; exit}
         i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
         printf "%s: pauses=%d full=%d p50=%.2f ms p99=%.2f ms max=%.2f ms\n", phase, NR, f + 0, a[int((NR + 1) / 2)], a[i99], a[NR]}'
}
load 10 > "$work/warmup.txt"
created=$(grep -c Pause "$work/gc.log" || true)
load "$secs" | tee "$work/measured.txt" | grep -E "acknowledged|cpu per"
head -n "$created" "$work/gc.log" | summary "series creation + warm-up"
tail -n "+$((created + 1))" "$work/gc.log" | summary "measured ${secs} s at max ingest"
echo "VmRSS at the end: $(awk '/VmRSS/{print int($2 / 1024)}' /proc/$pid/status) MiB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
