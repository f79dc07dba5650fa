package dev.kedaotel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * METRIC_STORE_DATA_DIR through the running service: a sample exported over OTLP/gRPC is answered by the
 * Prometheus API after a restart on the same directory (clean shutdown here; the kill -9 cases are the
 * tsdb's KillNineTest and the lead's process test), the restore is on the self-metrics, and a directory
 * another process holds stops startup with a message naming the setting.
 */
class PersistenceServerTest {
    @TempDir
    Path dir;

    private static void export(RunningServer server, long timeMs, double value) {
        NumberDataPoint p = NumberDataPoint.newBuilder().setTimeUnixNano(timeMs * 1_000_000L).setAsDouble(value)
                .addAttributes(KeyValue.newBuilder().setKey("pod").setValue(AnyValue.newBuilder().setStringValue("p-1"))).build();
        ExportMetricsServiceRequest r = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("persisted_gauge")
                        .setGauge(Gauge.newBuilder().addDataPoints(p))))).build();
        MetricsServiceGrpc.newBlockingStub(server.otlpChannel).withDeadlineAfter(20, TimeUnit.SECONDS).export(r);
    }

    @Test
    void theWindowSurvivesARestartOnTheSameDataDirectory() throws Exception {
        long now = System.currentTimeMillis();
        try (RunningServer first = new RunningServer("--data-dir=" + dir)) {
            export(first, now - 2000, 41.5);
            assertTrue(first.getMetricsPort("/metrics").body().contains("keda_otel_scaler_store_restored_series 0.0"));
        }
        try (RunningServer second = new RunningServer("--metric-store-data-dir=" + dir)) {
            String body = second.get("/api/v1/query?query=persisted_gauge&time=" + (now / 1000.0)).body();
            assertTrue(body.contains("\"41.5\"") && body.contains("\"pod\":\"p-1\""), body);
            String metrics = second.getMetricsPort("/metrics").body();
            assertTrue(metrics.contains("keda_otel_scaler_store_restored_series 1.0"), metrics);
            assertTrue(metrics.contains("keda_otel_scaler_store_persistence_degraded 0.0"), metrics);
            assertTrue(metrics.contains("keda_otel_scaler_store_restore_duration_seconds"), metrics);

            IOException e = assertThrows(IOException.class, () -> new RunningServer("--data-dir=" + dir).close());
            assertTrue(e.getMessage().contains("METRIC_STORE_DATA_DIR") && e.getMessage().contains("in use"), e.getMessage());
        }
    }

    /** Issue 14: a corrupt data dir is moved aside, reported, and the server starts (never a crash loop). */
    @Test
    void aCorruptDataDirectoryIsMovedAsideAndTheServerStartsEmpty() throws Exception {
        long now = System.currentTimeMillis();
        try (RunningServer first = new RunningServer("--data-dir=" + dir)) {
            export(first, now - 2000, 7);
        }
        Files.writeString(dir.resolve("MANIFEST"), "this is not a manifest\n");
        try (RunningServer second = new RunningServer("--data-dir=" + dir)) {
            assertEquals(200, second.get("/readyz").statusCode());
            String metrics = second.getMetricsPort("/metrics").body();
            assertTrue(metrics.contains("keda_otel_scaler_store_moved_aside 1.0"), metrics);
            assertTrue(metrics.contains("keda_otel_scaler_store_restored_series 0.0"), metrics);
            String body = second.get("/api/v1/query?query=persisted_gauge&time=" + (now / 1000.0)).body();
            assertTrue(body.contains("\"result\":[]"), "nothing from the corrupt contents is served: " + body);
            try (var entries = Files.list(dir)) {
                Path aside = entries.filter(p -> p.getFileName().toString().startsWith("moved-aside-")).findFirst().orElseThrow();
                assertTrue(Files.readString(aside.resolve("MANIFEST")).startsWith("this is not"), "the bad contents are kept for a post-mortem");
            }
            export(second, now - 1000, 8); // and it persists again
        }
        try (RunningServer third = new RunningServer("--data-dir=" + dir)) {
            assertTrue(third.get("/api/v1/query?query=persisted_gauge&time=" + (now / 1000.0)).body().contains("\"8\""));
        }
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedStopsStartupNamingTheSetting() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        IOException e = assertThrows(IOException.class, () -> new RunningServer("--data-dir=" + file.resolve("sub")).close());
        assertTrue(e.getMessage().startsWith("METRIC_STORE_DATA_DIR / --metric-store-data-dir: cannot use data directory"), e.getMessage());
    }
}
