package dev.kedaotel.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * PromQL latency through the HTTP API ({@code GET /api/v1/query}, instant) of a fresh server process
 * (launcher flags) holding a full 2-minute window at 5 s of: 1,000 series of {@code bench_small_total},
 * 80,000 of {@code bench_requests_total} and 1,000 histograms {@code bench_latency_seconds} with 16
 * buckets (16,000 bucket series). Each query runs {@code --runs} times (default 200) after {@code --warmup} rounds of all (default 200),
 * evaluated at the instant the fed window ends; p50/p99 are
 * client-side, HTTP round trip included, through one kept-alive connection ({@link KeepAliveHttpClient}, as
 * Grafana's and KEDA's clients keep theirs); the p50 through the JDK's {@code HttpClient} is printed beside
 * it, because that client alone adds about a millisecond per request. Also checks that a sample is visible to a query issued right after its
 * Export returned ({@code --visibility} tries).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.kedaotel.bench.QueryLatencyProbe [--runs 30]
 * </pre>
 */
public final class QueryLatencyProbe {
    static final int BUCKETS = 16;

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "runs", "visibility", "base-port", "large", "warmup");
        int runs = a.integer("runs", 200);
        int large = a.integer("large", 80_000);
        int basePort = a.integer("base-port", 15317);
        try (MemoryProbe.ServerProcess server = MemoryProbe.ServerProcess.start(MemoryProbe.launcherFlags(), basePort)) {
            long end = System.currentTimeMillis() + 20_000;
            MemoryProbe.feed(server.otlpPort, OtlpRequests.covering("bench_small_total", 1000, 1000), end);
            MemoryProbe.feed(server.otlpPort, OtlpRequests.covering(large, 1000), end);
            feedHistograms(server.otlpPort, 1000, end);
            while (System.currentTimeMillis() < end) {
                Thread.sleep(100); // evaluate at "now" with the whole window in the past
            }
            HttpClient client = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.httpPort;
            KeepAliveHttpClient keepAlive = new KeepAliveHttpClient("127.0.0.1", server.httpPort);
            String[] queries = {
                    "sum(rate(bench_small_total[1m]))",
                    "sum(rate(bench_requests_total[1m]))",
                    "sum(rate(bench_requests_total{pod=\"pod-7\"}[1m]))",
                    "histogram_quantile(0.95, sum by (le) (rate(bench_latency_seconds_bucket[1m])))",
                    "count(bench_latency_seconds_bucket)"};
            // Every timed query is evaluated at the instant the fed window ends (the API's time
            // parameter), so however long warm-up takes, each run sees the same full window; evaluating
            // at "now" let samples age out of the 1m range during a long warm-up, making later runs cheaper.
            String at = String.format(java.util.Locale.ROOT, "%.3f", end / 1000.0);
            // Warm-up: every query --warmup times, so the JIT has compiled the engine (C2, not just the
            // first tiers) before timing, as in a server that has been running for a while.
            for (int i = 0; i < a.integer("warmup", 200); i++) {
                for (String q : queries) {
                    keepAlive.query(q, at);
                    get(client, base, q, at);
                }
            }
            System.out.printf("%-75s %10s %10s %14s %14s%n", "query (instant, HTTP)", "p50 ms", "p99 ms",
                    "JDK p50 ms", "result");
            for (String q : queries) {
                Percentiles p = new Percentiles();
                Percentiles jdk = new Percentiles();
                String body = "";
                // One client at a time: interleaving them made the kept-alive figure pay for the JDK
                // client's connection handling on the server (1k series: 1.15 ms p50 vs 0.5 ms alone).
                for (int i = 0; i < runs; i++) {
                    long t0 = System.nanoTime();
                    body = keepAlive.query(q, at);
                    p.record(System.nanoTime() - t0);
                }
                for (int i = 0; i < runs; i++) {
                    long t1 = System.nanoTime();
                    get(client, base, q, at);
                    jdk.record(System.nanoTime() - t1);
                }
                String value = body.contains("\"value\"") ? body.substring(body.lastIndexOf(",\"") + 2, body.lastIndexOf('"')) : body;
                System.out.printf("%-75s %10.2f %10.2f %14.2f %14s%n", q, p.quantileNanos(0.5) / 1e6,
                        p.quantileNanos(0.99) / 1e6, jdk.quantileNanos(0.5) / 1e6, value);
            }
            keepAlive.close();
            int tries = a.integer("visibility", 100);
            int visible = 0;
            ManagedChannel otlp = NettyChannelBuilder.forAddress("127.0.0.1", server.otlpPort).usePlaintext().build();
            for (int i = 1; i <= tries; i++) {
                Gauges.export(otlp, "bench_visible", "v", System.currentTimeMillis(), i);
                if (get(client, base, "max(bench_visible)").contains("\"" + i + "\"")) {
                    visible++;
                }
            }
            otlp.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            System.out.printf("sample visible to the first query after Export returned: %d of %d%n", visible, tries);
        }
    }

    /** {@code count} cumulative histograms with 15 bounds (16 buckets), 24 rounds 5 s apart ending at {@code end}. */
    static void feedHistograms(int port, int count, long end) throws InterruptedException {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        for (int k = 0; k < 24; k++) {
            long ts = (end - (23 - k) * 5000L) * 1_000_000L;
            Histogram.Builder h = Histogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
            for (int s = 0; s < count; s++) {
                HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder().setStartTimeUnixNano(1_000_000_000L)
                        .setTimeUnixNano(ts)
                        .addAttributes(KeyValue.newBuilder().setKey("series")
                                .setValue(AnyValue.newBuilder().setStringValue("h" + s)));
                long total = 0;
                for (int b = 0; b < BUCKETS; b++) {
                    if (b < BUCKETS - 1) {
                        p.addExplicitBounds(0.005 * (1 << b));
                    }
                    long c = (long) (k + 1) * (b + 1 + s % 7);
                    p.addBucketCounts(c);
                    total += c;
                }
                p.setCount(total).setSum(total * 0.1);
                h.addDataPoints(p);
            }
            ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder()
                    .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
                            .addMetrics(Metric.newBuilder().setName("bench_latency_seconds").setHistogram(h))))
                    .build();
            io.grpc.stub.ClientCalls.blockingUnaryCall(ch, dev.kedaotel.receiver.OtlpGrpcService.EXPORT,
                    io.grpc.CallOptions.DEFAULT, req.toByteArray());
        }
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static String get(HttpClient client, String base, String q) throws Exception {
        return get(client, base, q, null);
    }

    /** {@code GET /api/v1/query} through the JDK client, at {@code time} (seconds) or at "now" when null. */
    private static String get(HttpClient client, String base, String q, String time) throws Exception {
        String url = base + "/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                + (time == null ? "" : "&time=" + time);
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
