package dev.kedaotel.server;

import dev.kedaotel.model.ManualTimeSource;
import dev.kedaotel.server.simulate.SimulateCommand;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulator's documented workflow end to end: a metric pushed over OTLP/HTTP into a running service (on a
 * manual clock), recorded through its {@code /api/v1/query_range}, and that answer replayed by
 * {@code simulate} — with two series it must be told which one to use.
 */
class SimulateRecordedHistoryTest {
    private static final long T0 = 1_796_126_400_000L; // 2026-12-01T12:00:00Z

    @TempDir
    Path dir;

    private static byte[] queueDepth(String pod, int factor) {
        Gauge.Builder gauge = Gauge.newBuilder();
        for (int i = 0; i <= 40; i++) {
            gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano((T0 + i * 15_000L) * 1_000_000L).setAsDouble(i * factor)
                    .addAttributes(KeyValue.newBuilder().setKey("pod").setValue(AnyValue.newBuilder().setStringValue(pod))));
        }
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("queue_depth").setGauge(gauge))))
                .build().toByteArray();
    }

    @Test
    void replaysWhatQueryRangeRecorded() throws Exception {
        ManualTimeSource time = new ManualTimeSource(T0 + 601_000);
        Path history = dir.resolve("history.json");
        try (RunningServer server = RunningServer.on(time, OptionalLong.empty(), "--metric-store-retention-seconds=3600")) {
            for (String pod : new String[] {"a", "b"}) {
                HttpResponse<String> r = server.http.send(HttpRequest.newBuilder(URI.create(server.httpBase() + "/v1/metrics"))
                        .header("Content-Type", "application/x-protobuf")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(queueDepth(pod, pod.equals("a") ? 1 : 2))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
            }
            HttpResponse<String> range = server.get("/api/v1/query_range?query=" + RunningServer.enc("sum by (pod) (queue_depth)")
                    + "&start=" + T0 / 1000 + "&end=" + (T0 / 1000 + 600) + "&step=15s");
            assertEquals(200, range.statusCode(), range.body());
            Files.writeString(history, range.body());
        }
        Path so = dir.resolve("so.yaml");
        Files.writeString(so, "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: q\nspec:\n  scaleTargetRef:\n"
                + "    name: q\n  minReplicaCount: 1\n  maxReplicaCount: 20\n  triggers:\n  - type: external\n    metadata:\n"
                + "      metricQuery: sum(queue_depth)\n      targetValue: \"10\"\n");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int ambiguous = SimulateCommand.run(new String[] {"--scaled-object", so.toString(), "--history", history.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, ambiguous);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("from: {pod=\"a\"} {pod=\"b\"}"), err.toString(StandardCharsets.UTF_8));

        out.reset();
        int ok = SimulateCommand.run(new String[] {"--scaled-object", so.toString(), "--history", history.toString(), "--series", "pod=b",
                        "--step", "300"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, ok, err.toString(StandardCharsets.UTF_8));
        // pod b pushed 2·i at 15·i s: 40 at 12:05:00 → ceil(40 / 10) = 4 recommended; 80 at 12:10:00 → 8.
        assertTrue(table.lines().anyMatch(l -> l.matches("12:05:00\\s+40\\s+yes\\s+-\\s+4\\s+.*")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("12:10:00\\s+80\\s+yes\\s+-\\s+8\\s+8\\s+.*")), table);
    }
}
