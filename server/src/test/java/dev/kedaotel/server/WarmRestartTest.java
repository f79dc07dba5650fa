package dev.kedaotel.server;

import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14's restart test, the way it happens in production: the service runs as its own process with a
 * data directory, a known dataset is pushed over OTLP/HTTP, then — while a pusher keeps exporting —
 * the process is killed with SIGKILL (no shutdown hook, no flush: an OOM kill or {@code kill -9}) and
 * started again on the same ports and data directory. Every query over acknowledged data answers exactly
 * as before the kill (the same JSON, byte for byte), every export acknowledged before the kill is there,
 * KEDA's GetMetrics answers at once with the same value (a restored window needs no warm-up), and a
 * KEDA-like StreamIsActive client whose stream broke reconnects on the same channel and resumes.
 *
 * <p>Evaluation times are explicit (the dataset's own timestamps), so the answers do not depend on how
 * long the restart takes; the dataset sits inside the retention window of the real clock with a margin
 * of ~90 s.
 */
class WarmRestartTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int PODS = 10;
    private static final int ROUNDS = 6;

    @TempDir
    Path tmp;

    @Test
    void killMinus9MidIngestThenRestartOnTheSameDataDirAnswersAsBefore() throws Exception {
        int http = ProcessLifecycleTest.freePort();
        int otlp = ProcessLifecycleTest.freePort();
        int keda = ProcessLifecycleTest.freePort();
        int metrics = ProcessLifecycleTest.freePort();
        Path dataDir = tmp.resolve("data");
        Path log = tmp.resolve("server.log");
        String[] args = {"--bind-address=127.0.0.1", "--rest-api-port=" + http, "--otlp-receiver-port=" + otlp,
            "--keda-external-scaler-port=" + keda, "--internal-metrics-port=" + metrics, "--no-banner",
            "--data-dir=" + dataDir, "--metric-store-warm-up-seconds=1"};

        long base = (System.currentTimeMillis() / 1000 - 30) * 1000;
        long t1 = base + (ROUNDS - 1) * 5_000L;
        List<String> queries = List.of("sum(queue_depth)", "queue_depth", "sum by (pod) (rate(requests_total[30s]))",
                "avg_over_time(queue_depth[30s])", "max_over_time(queue_depth{pod=\"p3\"}[30s])",
                "count_over_time(requests_total[30s])", "sum(increase(requests_total[30s]))");
        ScaledObjectRef so = ScaledObjectRef.newBuilder().setName("restart-me").setNamespace("ns")
                .putAllScalerMetadata(Map.of("metricQuery", "sum(queue_depth)", "targetValue", "10")).build();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", keda).usePlaintext().build();
        Map<String, String> before = new LinkedHashMap<>();
        BlockingQueue<Object> stream = new LinkedBlockingQueue<>();
        AtomicInteger lastAcknowledged = new AtomicInteger(-1);
        double valueBefore;
        try (ServerProcess first = ServerProcess.start(log, List.of(), args)) {
            first.awaitReady(HTTP, http);
            for (int r = 0; r < ROUNDS; r++) {
                assertEquals(200, export(otlp(http), dataset(base + r * 5_000L, r)).statusCode(), first.output());
            }
            for (String q : queries) {
                before.put(q, instant(http, q, t1));
            }
            before.put("range", get(http, "/api/v1/query_range?query=" + enc("sum(queue_depth)") + "&start=" + base / 1000
                    + "&end=" + t1 / 1000 + "&step=5"));
            before.put("series", get(http, "/api/v1/series?match[]=queue_depth&start=" + base / 1000 + "&end=" + t1 / 1000));
            valueBefore = getMetrics(channel, so);
            assertEquals(expectedSum(ROUNDS - 1), valueBefore, 1e-9);
            openStream(channel, so, stream);
            assertEquals(Boolean.TRUE, stream.poll(30, TimeUnit.SECONDS), "the stream's first answer");

            // Mid-ingest: a pusher exports one new series per batch; the kill lands while it runs.
            AtomicReference<Throwable> pusherStopped = new AtomicReference<>();
            Thread pusher = new Thread(() -> {
                try {
                    for (int b = 0; ; b++) {
                        HttpResponse<String> r = export(otlp(http), marker(t1 + 1 + b, b));
                        if (r.statusCode() != 200) {
                            return;
                        }
                        lastAcknowledged.set(b);
                    }
                } catch (Exception connectionLost) {
                    pusherStopped.set(connectionLost);
                }
            }, "pusher");
            pusher.start();
            while (lastAcknowledged.get() < 50 && pusher.isAlive()) {
                Thread.sleep(5);
            }
            first.kill();
            pusher.join(30_000);
            assertTrue(lastAcknowledged.get() >= 50, "the pusher ran before the kill: " + pusherStopped.get());
            Object broken = stream.poll(30, TimeUnit.SECONDS);
            assertTrue(broken instanceof Throwable, "the open stream ends when the process dies: " + broken);
        }

        try (ServerProcess second = ServerProcess.start(log, List.of(), args)) {
            second.awaitReady(HTTP, http);
            // KEDA's first call after the restart: answered at once, from the restored window.
            assertEquals(valueBefore, getMetrics(channel, so), 1e-9, second.output());
            for (String q : queries) {
                assertEquals(before.get(q), instant(http, q, t1), q);
            }
            assertEquals(before.get("range"), get(http, "/api/v1/query_range?query=" + enc("sum(queue_depth)") + "&start=" + base / 1000
                    + "&end=" + t1 / 1000 + "&step=5"));
            assertEquals(before.get("series"), get(http, "/api/v1/series?match[]=queue_depth&start=" + base / 1000 + "&end=" + t1 / 1000));
            // Every export acknowledged before the kill is there (the one in flight may or may not be).
            int acked = lastAcknowledged.get();
            String count = instant(http, "count(ingest_marker <= " + acked + ")", t1 + 1 + acked);
            assertTrue(count.contains("\"" + (acked + 1) + "\"]"), "batches 0.." + acked + " acknowledged: " + count);

            // A KEDA-like client re-opens its broken stream on the same channel and gets the same answer.
            openStream(channel, so, stream);
            assertEquals(Boolean.TRUE, stream.poll(30, TimeUnit.SECONDS), second.output());
            // The answers came from the restored window: 2 × 10 pods' series and every acknowledged marker series.
            String selfMetrics = get(metrics, "/metrics");
            java.util.regex.Matcher restored = java.util.regex.Pattern.compile("(?m)^keda_otel_scaler_store_restored_series (\\S+)$")
                    .matcher(selfMetrics);
            assertTrue(restored.find(), selfMetrics);
            assertTrue(Double.parseDouble(restored.group(1)) >= 2 * PODS + acked + 1, restored.group());
        } finally {
            channel.shutdownNow();
        }
    }

    private static double expectedSum(int round) {
        double sum = 0;
        for (int p = 0; p < PODS; p++) {
            sum += depth(p, round);
        }
        return sum;
    }

    private static double depth(int pod, int round) {
        return pod * 3 + round;
    }

    private static String otlp(int http) {
        return "http://127.0.0.1:" + http + "/v1/metrics";
    }

    /** One round: a gauge and a cumulative counter per pod, stamped {@code ts}. */
    private static ExportMetricsServiceRequest dataset(long ts, int round) {
        Gauge.Builder depth = Gauge.newBuilder();
        Sum.Builder requests = Sum.newBuilder().setIsMonotonic(true)
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        for (int p = 0; p < PODS; p++) {
            depth.addDataPoints(point(ts, depth(p, round), "pod", "p" + p));
            requests.addDataPoints(point(ts, (p + 1) * 100.0 * round, "pod", "p" + p).toBuilder()
                    .setStartTimeUnixNano(TimeUnit.MILLISECONDS.toNanos(ts - round * 5_000L - 1)).build());
        }
        return request(Metric.newBuilder().setName("queue_depth").setGauge(depth).build(),
                Metric.newBuilder().setName("requests_total").setSum(requests).build());
    }

    /** Batch {@code b} of the pusher: one new series {@code ingest_marker{batch="b"}} = b. */
    private static ExportMetricsServiceRequest marker(long ts, int b) {
        return request(Metric.newBuilder().setName("ingest_marker")
                .setGauge(Gauge.newBuilder().addDataPoints(point(ts, b, "batch", Integer.toString(b)))).build());
    }

    private static NumberDataPoint point(long ts, double value, String label, String labelValue) {
        return NumberDataPoint.newBuilder().setTimeUnixNano(TimeUnit.MILLISECONDS.toNanos(ts)).setAsDouble(value)
                .addAttributes(KeyValue.newBuilder().setKey(label).setValue(AnyValue.newBuilder().setStringValue(labelValue))).build();
    }

    private static ExportMetricsServiceRequest request(Metric... metrics) {
        ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
        for (Metric m : metrics) {
            scope.addMetrics(m);
        }
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(scope)).build();
    }

    private static HttpResponse<String> export(String url, ExportMetricsServiceRequest request) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String instant(int http, String promql, long atMs) throws Exception {
        return get(http, "/api/v1/query?query=" + enc(promql) + "&time=" + atMs / 1000.0);
    }

    private static String get(int http, String pathAndQuery) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), pathAndQuery + ": " + r.body());
        return r.body();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static double getMetrics(ManagedChannel channel, ScaledObjectRef so) {
        try {
            return ExternalScalerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(so).setMetricName("m").build())
                    .getMetricValues(0).getMetricValueFloat();
        } catch (StatusRuntimeException e) {
            throw new AssertionError("GetMetrics failed: " + e.getStatus(), e);
        }
    }

    /** What KEDA does: one StreamIsActive per ScaledObject; answers and the stream's end go to {@code into}. */
    private static void openStream(ManagedChannel channel, ScaledObjectRef so, BlockingQueue<Object> into) {
        ExternalScalerGrpc.newStub(channel).streamIsActive(so, new StreamObserver<IsActiveResponse>() {
            @Override
            public void onNext(IsActiveResponse value) {
                into.add(value.getResult());
            }

            @Override
            public void onError(Throwable t) {
                into.add(t);
            }

            @Override
            public void onCompleted() {
                into.add(Status.CANCELLED.asException());
            }
        });
    }
}
