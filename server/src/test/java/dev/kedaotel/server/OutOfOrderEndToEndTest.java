package dev.kedaotel.server;

import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Out-of-order samples end to end: two "collector replicas" (two real OpenTelemetry SDK exporters over
 * OTLP/gRPC, same resource, so the same series) deliver a series' points out of order into the started
 * service with its default 60 s window; PromQL over HTTP and a KEDA standing query see the late point in
 * timestamp order, and a point beyond the window is refused as out_of_order on the self-metrics.
 */
class OutOfOrderEndToEndTest {
    private static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new RunningServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** One replica: exports only on forceFlush, its points stamped by {@code clock}. */
    private static SdkMeterProvider replica(FakeOtelClock clock) {
        return SdkMeterProvider.builder()
                .setClock(clock)
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "queue-worker",
                        AttributeKey.stringKey("k8s.pod.name"), "worker-0")))
                .registerMetricReader(PeriodicMetricReader.builder(
                        OtlpGrpcMetricExporter.builder().setEndpoint(server.otlpEndpoint()).build())
                        .setInterval(Duration.ofDays(1)).build())
                .build();
    }

    private static void export(SdkMeterProvider replica, double value) {
        DoubleGauge depth = replica.get("e2e").gaugeBuilder("ooo.queue.depth").build();
        depth.set(value, Attributes.of(AttributeKey.stringKey("deployment"), "worker"));
        assertTrue(replica.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "OTLP export failed");
    }

    private static String query(String promql, long atMs) throws Exception {
        HttpResponse<String> r = server.get("/api/v1/query?query=" + RunningServer.enc(promql) + "&time=" + atMs / 1000.0);
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** The value string of an instant query that returns one sample. */
    private static String valueOf(String promql, long atMs) throws Exception {
        String body = query(promql, atMs);
        int v = body.lastIndexOf(",\"");
        assertTrue(v > 0 && body.indexOf("\"metric\"") == body.lastIndexOf("\"metric\""), promql + ": " + body);
        return body.substring(v + 2, body.indexOf('"', v + 2));
    }

    private static double getMetrics(ScaledObjectRef ref) {
        return server.scaler().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName("m").build())
                .getMetricValues(0).getMetricValueFloat();
    }

    private static double selfMetric(String nameAndLabels) throws Exception {
        String text = server.getMetricsPort("/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(nameAndLabels).replace("}", "\\E,?\\}\\Q") + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void lateReplicaPointsAreQueryableInOrderAndStandingQueriesSeeThem() throws Exception {
        long base = System.currentTimeMillis() - 40_000; // inside the 120 s retention, before the server's now
        FakeOtelClock fastClock = new FakeOtelClock(base + 20_000);
        FakeOtelClock slowClock = new FakeOtelClock(base + 10_000);
        ScaledObjectRef peak = ScaledObjectRef.newBuilder().setName("ooo-peak").setNamespace("ns")
                .putAllScalerMetadata(Map.of("metricQuery", "sum(ooo.queue.depth{deployment=worker})",
                        "operationOverTime", "max", "targetValue", "5"))
                .build();
        try (SdkMeterProvider fast = replica(fastClock); SdkMeterProvider slow = replica(slowClock)) {
            export(fast, 4);                 // t = base + 20 s arrives first
            assertEquals(4.0, getMetrics(peak), 1e-9);

            export(slow, 9);                 // t = base + 10 s arrives late: stored, 10 s out of order
            long at = base + 30_000;
            assertEquals("2", valueOf("count_over_time(ooo_queue_depth[1m])", at));
            assertEquals("9", valueOf("max_over_time(ooo_queue_depth[1m])", at));
            assertEquals("4", valueOf("last_over_time(ooo_queue_depth[1m])", at), "the newest is still the in-order one");
            assertEquals("9", valueOf("ooo_queue_depth", base + 15_000), "instant value between the two");
            String range = query("ooo_queue_depth[1m]", at);
            assertTrue(range.indexOf("\"9\"") < range.indexOf("\"4\""), "samples in timestamp order: " + range);
            assertEquals(9.0, getMetrics(peak), 1e-9, "the standing query's answer took the late point in");

            slowClock.advanceMs(-71_000);    // t = base - 61 s: 81 s behind the newest, beyond the window
            double before = selfMetric("keda_otel_scaler_points_rejected_total{reason=\"out_of_order\"}");
            export(slow, 100);
            // Two samples each time: the point and its resource's target_info sample, stamped with the same time.
            assertEquals(before + 2, selfMetric("keda_otel_scaler_points_rejected_total{reason=\"out_of_order\"}"));
            assertEquals("2", valueOf("count_over_time(ooo_queue_depth[2m])", at));
            assertEquals(2.0, selfMetric("keda_otel_scaler_points_out_of_order_stored_total"));
        }
    }
}
