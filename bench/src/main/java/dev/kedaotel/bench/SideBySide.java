package dev.kedaotel.bench;

import com.sun.net.httpserver.HttpServer;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import dev.kedaotel.receiver.OtlpGrpcService;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds the same series at the same rate to Prometheus and to keda-otel-scaler and compares them:
 * it serves {@code bench_requests_total{pod,series}} (S series) and {@code bench_fresh} on a
 * {@code /metrics} endpoint that Prometheus scrapes every 5 s, and pushes the same values to our
 * server over OTLP/gRPC every 5 s. After {@code --fill} seconds (a full window) it reports, for both:
 * resident memory per series (VmRSS growth over the idle process), latency of the scaling queries
 * through each HTTP API, and sample-to-query freshness (a new {@code bench_fresh} value is published
 * on /metrics and exported over OTLP at the same instant; both APIs are then polled every 5 ms).
 * Run through {@code bench/scripts/side-by-side.sh}, which starts both servers.
 */
public final class SideBySide {
    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, "series", "metrics-port", "prom-url", "ours-url", "otlp-port", "prom-pid", "ours-pid", "fill",
                "queries", "fresh-rounds");
        int series = a.integer("series", 100_000);
        String promUrl = a.string("prom-url", "http://127.0.0.1:29090");
        String oursUrl = a.string("ours-url", "http://127.0.0.1:24319");
        long promPid = a.longValue("prom-pid", -1);
        long oursPid = a.longValue("ours-pid", -1);
        int fill = a.integer("fill", 150);
        int queryRuns = a.integer("queries", 30);
        int freshRounds = a.integer("fresh-rounds", 10);

        long promIdle = ProcStats.rssBytes(promPid);
        long oursIdle = ProcStats.rssBytes(oursPid);
        Exposition exposition = new Exposition(series);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", a.integer("metrics-port", 29100)), 16);
        http.createContext("/metrics", ex -> {
            byte[] body = exposition.current();
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        http.setExecutor(Executors.newFixedThreadPool(2));
        http.start();

        ManagedChannel otlp = NettyChannelBuilder.forAddress("127.0.0.1", a.integer("otlp-port", 24317)).usePlaintext()
                .maxInboundMessageSize(16 << 20).build();
        List<OtlpRequests> requests = OtlpRequests.covering(series, 1000);
        AtomicLong tick = new AtomicLong();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(() -> {
            long k = tick.incrementAndGet();
            double value = k * 10.0;
            exposition.update(value);
            long ts = System.currentTimeMillis();
            for (OtlpRequests r : requests) {
                r.stamp(ts, value);
                ClientCalls.blockingUnaryCall(otlp, OtlpGrpcService.EXPORT, CallOptions.DEFAULT, r.bytes());
            }
        }, 0, 5, TimeUnit.SECONDS);

        System.out.printf("feeding %d series every 5 s for %d s...%n", series, fill);
        Thread.sleep(fill * 1000L);
        long promRss = ProcStats.rssBytes(promPid);
        long oursRss = ProcStats.rssBytes(oursPid);
        HttpClient client = HttpClient.newHttpClient();
        System.out.printf("%-55s %22s %22s%n", "", "Prometheus", "keda-otel-scaler");
        System.out.printf("%-55s %22.0f %22.0f%n", "VmRSS growth per series (B)", (promRss - promIdle) / (double) series,
                (oursRss - oursIdle) / (double) series);
        System.out.printf("%-55s %22.1f %22.1f%n", "VmRSS (MiB)", promRss / 1048576.0, oursRss / 1048576.0);
        for (String q : new String[] {"sum(rate(bench_requests_total[1m]))", "sum(bench_requests_total{pod=\"pod-7\"})",
                "sum by (pod) (rate(bench_requests_total[1m]))"}) {
            Percentiles p = time(client, promUrl, q, queryRuns);
            Percentiles o = time(client, oursUrl, q, queryRuns);
            System.out.printf("%-55s %22s %22s%n", q + " p50/p99 ms",
                    String.format("%.2f / %.2f", p.quantileNanos(0.5) / 1e6, p.quantileNanos(0.99) / 1e6),
                    String.format("%.2f / %.2f", o.quantileNanos(0.5) / 1e6, o.quantileNanos(0.99) / 1e6));
        }
        Percentiles promFresh = new Percentiles();
        Percentiles oursFresh = new Percentiles();
        for (int i = 0; i < freshRounds; i++) {
            double seq = 1000 + i;
            exposition.fresh(seq);
            Gauges.export(otlp, "bench_fresh", "fresh", System.currentTimeMillis(), seq);
            long t0 = System.nanoTime();
            Thread promPoll = new Thread(() -> promFresh.record(pollUntil(client, promUrl, seq, t0)));
            promPoll.start();
            oursFresh.record(pollUntil(client, oursUrl, seq, t0));
            promPoll.join();
            Thread.sleep(700 + (i * 1234L) % 3000);
        }
        System.out.printf("%-55s %22s %22s%n", "sample-to-query freshness p50/max ms",
                String.format("%.0f / %.0f", promFresh.quantileNanos(0.5) / 1e6, promFresh.quantileNanos(1) / 1e6),
                String.format("%.1f / %.1f", oursFresh.quantileNanos(0.5) / 1e6, oursFresh.quantileNanos(1) / 1e6));
        timer.shutdownNow();
        http.stop(0);
        otlp.shutdownNow();
        System.exit(0);
    }

    private static Percentiles time(HttpClient client, String base, String q, int runs) throws Exception {
        Percentiles p = new Percentiles();
        for (int i = 0; i < runs + 5; i++) {
            long t0 = System.nanoTime();
            String body = get(client, base, q);
            if (!body.contains("\"success\"")) {
                throw new IllegalStateException(base + " answered " + body);
            }
            if (i >= 5) {
                p.record(System.nanoTime() - t0);
            }
        }
        return p;
    }

    /** Nanoseconds from t0 until max(bench_fresh) answers {@code seq}, or 30 s. */
    private static long pollUntil(HttpClient client, String base, double seq, long t0) {
        long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
        String want = "\"" + (long) seq + "\"";
        while (System.nanoTime() < deadline) {
            try {
                if (get(client, base, "max(bench_fresh)").contains(want)) {
                    return System.nanoTime() - t0;
                }
                Thread.sleep(5);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return TimeUnit.SECONDS.toNanos(30);
    }

    private static String get(HttpClient client, String base, String q) throws Exception {
        String url = base + "/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The /metrics body, rebuilt when the value changes (once per 5 s) so scrapes only copy bytes. */
    static final class Exposition {
        private final int series;
        private volatile byte[] body = new byte[0];
        private volatile double value;
        private volatile double fresh;

        Exposition(int series) {
            this.series = series;
        }

        byte[] current() {
            return body;
        }

        synchronized void update(double v) {
            value = v;
            rebuild();
        }

        synchronized void fresh(double v) {
            fresh = v;
            rebuild();
        }

        private void rebuild() {
            StringBuilder sb = new StringBuilder(series * 64);
            sb.append("# TYPE bench_requests_total counter\n");
            String v = Double.toString(value);
            for (int i = 0; i < series; i++) {
                sb.append("bench_requests_total{pod=\"pod-").append(i % 1000).append("\",series=\"s").append(i)
                        .append("\"} ").append(v).append('\n');
            }
            sb.append("# TYPE bench_fresh gauge\nbench_fresh ").append(Double.toString(fresh)).append('\n');
            body = sb.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
