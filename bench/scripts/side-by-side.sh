#!/bin/sh
# Side by side against Prometheus (Debian's /usr/bin/prometheus): same series, same 5 s rate.
#   bench/scripts/side-by-side.sh [SERIES=100000] [FILL_SECONDS=150]
# Starts Prometheus (scraping the generator's /metrics every 5 s, on 127.0.0.1:29090, TSDB in a temp
# dir) and keda-otel-scaler (bench/scripts/server.sh, base port 24317), runs dev.kedaotel.bench.SideBySide,
# then stops both.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
series=${1:-100000}
fill=${2:-150}
work=$(mktemp -d /tmp/side-by-side.XXXXXX)
cat > "$work/prometheus.yml" <<YML
global:
  scrape_interval: 5s
  scrape_timeout: 4s
scrape_configs:
  - job_name: bench
    static_configs:
      - targets: ['127.0.0.1:29100']
YML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address=127.0.0.1:29090 --log.level=warn > "$work/prometheus.log" 2>&1 &
prom=$!
"$here/server.sh" 24317 --log-level=warn > "$work/server.log" 2>&1 &
ours=$!
trap 'kill $prom $ours 2>/dev/null || true' EXIT
for i in $(seq 1 100); do
  if curl -sf http://127.0.0.1:29090/-/ready >/dev/null && curl -sf http://127.0.0.1:24319/readyz >/dev/null; then break; fi
  sleep 0.2
done
# server.sh execs java, so $ours is the JVM's pid.
java -cp "$here/../target/benchmarks.jar" dev.kedaotel.bench.SideBySide --series "$series" --fill "$fill" \
  --prom-pid "$prom" --ours-pid "$ours"
