package dev.kedaotel.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service as an operator runs it: a separate JVM started through {@link Main}, ready on
 * {@code /readyz}, stopped with SIGTERM (what Kubernetes sends), shutting down gracefully; and a bad
 * setting stopping startup with a message and exit code 2.
 */
class ProcessLifecycleTest {
    private static Process launch(Path log, String... args) throws IOException {
        return launchWith(List.of(), log, args);
    }

    private static Process launchWith(List<String> jvmArgs, Path log, String... args) throws IOException {
        return ServerProcess.start(log, jvmArgs, args).process;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void startsReadyAndShutsDownGracefullyOnSigterm() throws Exception {
        Path log = Files.createTempFile("kos-lifecycle", ".log");
        int http = freePort();
        // No warm-up: this is about start-to-ready and SIGTERM; WarmUpEndToEndTest covers readiness during a warm-up.
        Process p = launch(log, "--rest-api-port=" + http, "--otlp-receiver-port=0", "--keda-external-scaler-port=0",
                "--internal-metrics-port=0", "--metric-store-warm-up-seconds=0");
        try {
            ServerProcess.awaitReady(HttpClient.newHttpClient(), http, p, log);
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "did not stop within 20 s of SIGTERM");
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(143, p.exitValue(), out); // 128 + SIGTERM after the shutdown hooks ran
            assertTrue(out.contains("listening: OTLP/gRPC") && out.contains("shutting down"), out);
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    @Test
    void invalidSettingStopsStartupWithAClearMessage() throws Exception {
        Path log = Files.createTempFile("kos-badconfig", ".log");
        Process p = launch(log, "--metric-store-retention-seconds=soon");
        try {
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            assertEquals(2, p.exitValue());
            assertTrue(Files.readString(log).contains("METRIC_STORE_RETENTION_SECONDS must be a whole number, got 'soon'"), Files.readString(log));
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    /** {@code --version} prints the name and version and exits 0, whatever else is on the command line. */
    @Test
    void versionPrintsItAndExits() throws Exception {
        Path log = Files.createTempFile("kos-version", ".log");
        Process p = launch(log, "--rest-api-port=not-a-port", "--version");
        try {
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            String revision = KedaOtelScaler.revision();
            assertEquals("keda-otel-scaler " + KedaOtelScaler.version() + (revision.isEmpty() ? "" : " (" + revision + ")") + "\n", out);
            if (Files.exists(Path.of("..", ".git"))) { // built from a git checkout: the commit is known
                assertTrue(revision.matches("[0-9a-f]{12}(-dirty)?"), revision);
            }
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    /**
     * Out of memory with a plain JVM (no -XX:+ExitOnOutOfMemoryError): large exports into a 48 MiB heap.
     * The process must never be left half-alive: either it has exited with code 3 saying why, or it
     * still serves ingest and probes.
     */
    @Test
    void runningOutOfMemoryExitsInsteadOfLimpingOn() throws Exception {
        Path log = Files.createTempFile("kos-oom", ".log");
        int http = freePort();
        Process p = launchWith(List.of("-Xmx48m", "-XX:+UseSerialGC"), log, "--rest-api-port=" + http, "--otlp-receiver-port=0",
                "--keda-external-scaler-port=0", "--internal-metrics-port=0", "--otlp-max-recv-msg-size-bytes=200000000",
                "--metric-store-warm-up-seconds=0"); // about memory: ready at once
        try {
            HttpClient client = HttpClient.newHttpClient();
            ServerProcess.awaitReady(client, http, p, log);
            byte[] big = bigExport(24 << 20);
            List<java.util.concurrent.CompletableFuture<HttpResponse<Void>>> sent = new ArrayList<>();
            for (int i = 0; i < 4 && p.isAlive(); i++) {
                sent.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/v1/metrics"))
                        .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
                        HttpResponse.BodyHandlers.discarding()));
            }
            for (var f : sent) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException connectionLost) {
                    // the process went away mid-request: what the rest of the test checks
                }
            }
            if (p.waitFor(10, TimeUnit.SECONDS)) {
                String out = Files.readString(log, StandardCharsets.UTF_8);
                assertEquals(3, p.exitValue(), out);
                assertTrue(out.contains("out of memory"), out);
                System.out.println("out-of-memory outcome: exited with code 3");
            } else {
                // Still running: then it must be whole.
                System.out.println("out-of-memory outcome: survived and still serves");
                assertEquals(200, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode());
                byte[] small = bigExport(1024);
                assertEquals(200, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/v1/metrics"))
                        .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(small)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode(), Files.readString(log));
            }
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    /** An OTLP request of about {@code bytes} bytes: one gauge point whose attribute value is that long. */
    private static byte[] bigExport(int bytes) {
        io.opentelemetry.proto.common.v1.KeyValue attr = io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey("blob")
                .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("x".repeat(bytes))).build();
        io.opentelemetry.proto.metrics.v1.Metric metric = io.opentelemetry.proto.metrics.v1.Metric.newBuilder().setName("big")
                .setGauge(io.opentelemetry.proto.metrics.v1.Gauge.newBuilder().addDataPoints(
                        io.opentelemetry.proto.metrics.v1.NumberDataPoint.newBuilder().addAttributes(attr)
                                .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L).setAsDouble(1))).build();
        return io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder()
                        .addScopeMetrics(io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder().addMetrics(metric)))
                .build().toByteArray();
    }
}
