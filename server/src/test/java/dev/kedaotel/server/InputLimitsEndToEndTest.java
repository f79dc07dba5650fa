package dev.kedaotel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The input limits through the real OTLP/gRPC port of a running service with its default limits:
 * 10,004 labels, a 1 MiB label value, a sample an hour ahead and a full per-metric series cap each come
 * back as OTLP partial success with their reason, are counted in the self-metrics, and the service keeps
 * storing and answering.
 */
class InputLimitsEndToEndTest {
    private static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new RunningServer("--metric-store-max-series-per-metric=2");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static KeyValue attr(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    private static ExportMetricsServiceResponse export(String metric, long timeMs, KeyValue... attrs) {
        NumberDataPoint p = NumberDataPoint.newBuilder().setTimeUnixNano(timeMs * 1_000_000L).setAsDouble(1)
                .addAllAttributes(java.util.List.of(attrs)).build();
        ExportMetricsServiceRequest r = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName(metric)
                        .setGauge(Gauge.newBuilder().addDataPoints(p))))).build();
        return MetricsServiceGrpc.newBlockingStub(server.otlpChannel).withDeadlineAfter(20, TimeUnit.SECONDS).export(r);
    }

    private static void assertRejected(ExportMetricsServiceResponse r, String reason) throws Exception {
        assertEquals(1, r.getPartialSuccess().getRejectedDataPoints(), r.toString());
        assertTrue(r.getPartialSuccess().getErrorMessage().contains(reason), r.getPartialSuccess().getErrorMessage());
        assertStillServing();
    }

    private static void assertStillServing() throws Exception {
        long now = System.currentTimeMillis();
        ExportMetricsServiceResponse ok = export("limits_ok", now, attr("pod", "ok"));
        assertFalse(ok.hasPartialSuccess(), ok.toString());
        HttpResponse<String> q = server.get("/api/v1/query?query=" + RunningServer.enc("count(limits_ok)"));
        assertEquals(200, q.statusCode(), q.body());
        assertEquals(200, server.get("/readyz").statusCode());
    }

    @Test
    void tenThousandLabels() throws Exception {
        KeyValue[] attrs = new KeyValue[10_004];
        for (int i = 0; i < attrs.length; i++) {
            attrs[i] = attr("l" + i, "v" + i);
        }
        assertRejected(export("limits_wide", System.currentTimeMillis(), attrs), "too_many_labels");
        assertTrue(selfMetrics().contains("keda_otel_scaler_otlp_points_rejected_total{reason=\"too_many_labels\"}"));
    }

    @Test
    void mebibyteLabelValue() throws Exception {
        assertRejected(export("limits_big", System.currentTimeMillis(), attr("pod", "x".repeat(1 << 20))), "label_value_too_long");
    }

    @Test
    void longLabelName() throws Exception {
        assertRejected(export("limits_long_name", System.currentTimeMillis(), attr("k".repeat(2000), "v")), "label_name_too_long");
    }

    @Test
    void sampleAnHourAhead() throws Exception {
        assertRejected(export("limits_future", System.currentTimeMillis() + 3_600_000, attr("pod", "a")), "too_far_in_future");
        ExportMetricsServiceResponse now = export("limits_future", System.currentTimeMillis(), attr("pod", "a"));
        assertFalse(now.hasPartialSuccess(), "the series is not poisoned: " + now);
        assertTrue(selfMetrics().contains("keda_otel_scaler_points_rejected_total{reason=\"too_far_in_future\"}"));
    }

    @Test
    void fullPerMetricSeriesCapIsCountedPerMetric() throws Exception {
        long now = System.currentTimeMillis();
        export("limits_capped", now, attr("pod", "a"));
        export("limits_capped", now, attr("pod", "b"));
        assertRejected(export("limits_capped", now, attr("pod", "c")), "series_per_metric_limit");
        String metrics = selfMetrics();
        assertTrue(metrics.contains("keda_otel_scaler_series_limit_rejections_total{metric=\"limits_capped\"} 1.0"), metrics);
    }

    private static String selfMetrics() throws Exception {
        return server.getMetricsPort("/metrics").body();
    }
}
