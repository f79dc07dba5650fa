package dev.kedaotel.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.receiver.ReceiverStats;
import dev.kedaotel.server.http.QueryObserver;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * Durations land in the buckets they belong to, per label set; unknown names cannot create label values; and
 * recording allocates nothing (the hot paths call it once per Export, RPC and query).
 */
class LatencyMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LatencyMetrics latency = new LatencyMetrics(registry);

    private void assertSample(String series, String value) {
        String text = registry.scrape();
        assertTrue(text.contains("\n" + series + " " + value + "\n"), series + " " + value + " in\n" + text);
    }

    @Test
    void exportDurationsByTransport() {
        latency.record(ReceiverStats.Transport.GRPC, 300_000); // 0.3 ms
        latency.record(ReceiverStats.Transport.GRPC, 3_000_000); // 3 ms
        latency.record(ReceiverStats.Transport.GRPC, 2_000_000_000L); // 2 s
        latency.record(ReceiverStats.Transport.HTTP, 100_000);
        String grpc = "keda_otel_scaler_otlp_export_duration_seconds_bucket{transport=\"grpc\",le=\"";
        assertSample(grpc + "2.5E-4\"}", "0");
        assertSample(grpc + "5.0E-4\"}", "1");
        assertSample(grpc + "0.0025\"}", "1");
        assertSample(grpc + "0.005\"}", "2");
        assertSample(grpc + "1.0\"}", "2");
        assertSample(grpc + "2.5\"}", "3");
        assertSample(grpc + "+Inf\"}", "3");
        assertSample("keda_otel_scaler_otlp_export_duration_seconds_sum{transport=\"grpc\"}", "2.0033");
        assertSample("keda_otel_scaler_otlp_export_duration_seconds_bucket{transport=\"http\",le=\"2.5E-4\"}", "1");
    }

    @Test
    void rpcDurationsByRpcAndOthersIgnored() {
        latency.recordRpc("GetMetrics", 70_000); // 70 µs
        latency.recordRpc("IsActive", 40_000);
        latency.recordRpc("StreamIsActive", 40_000);
        assertSample("keda_otel_scaler_scaler_rpc_duration_seconds_bucket{rpc=\"GetMetrics\",le=\"5.0E-5\"}", "0");
        assertSample("keda_otel_scaler_scaler_rpc_duration_seconds_bucket{rpc=\"GetMetrics\",le=\"1.0E-4\"}", "1");
        assertSample("keda_otel_scaler_scaler_rpc_duration_seconds_bucket{rpc=\"IsActive\",le=\"5.0E-5\"}", "1");
        assertSample("keda_otel_scaler_scaler_rpc_duration_seconds_count{rpc=\"GetMetricSpec\"}", "0");
        assertEquals(-1, registry.scrape().indexOf("StreamIsActive"), "no label value for an RPC without a histogram");
    }

    @Test
    void queryDurationsAndFailuresByErrorType() {
        latency.onQuery(QueryObserver.Endpoint.QUERY, 700_000, null);
        latency.onQuery(QueryObserver.Endpoint.QUERY_RANGE, 40_000_000_000L, "timeout");
        latency.onQuery(QueryObserver.Endpoint.QUERY_RANGE, 1_000_000, "something new");
        assertSample("keda_otel_scaler_query_duration_seconds_bucket{endpoint=\"query\",le=\"0.001\"}", "1");
        assertSample("keda_otel_scaler_query_duration_seconds_bucket{endpoint=\"query_range\",le=\"30.0\"}", "1");
        assertSample("keda_otel_scaler_query_duration_seconds_bucket{endpoint=\"query_range\",le=\"60.0\"}", "2");
        assertSample("keda_otel_scaler_query_failures_total{endpoint=\"query_range\",error_type=\"timeout\"}", "1.0");
        assertSample("keda_otel_scaler_query_failures_total{endpoint=\"query_range\",error_type=\"internal\"}", "1.0");
        assertSample("keda_otel_scaler_query_failures_total{endpoint=\"query\",error_type=\"timeout\"}", "0.0");
    }

    @Test
    void recordingAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 20_000; i++) { // JIT and Micrometer's lazy parts first
            record(i);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 100_000; i++) {
            record(i);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        // 100,000 rounds of four recordings; a few hundred bytes of slack for the measurement itself.
        assertTrue(allocated < 4_096, "400,000 recordings allocated " + allocated + " bytes");
    }

    private void record(int i) {
        latency.record(ReceiverStats.Transport.GRPC, 1_000L * (i % 5_000));
        latency.recordRpc("GetMetrics", 1_000L * (i % 700));
        latency.onQuery(QueryObserver.Endpoint.QUERY, 10_000L * (i % 300), null);
        latency.onQuery(QueryObserver.Endpoint.QUERY_RANGE, 10_000L, "execution");
    }
}
