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
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void startsReadyAndShutsDownGracefullyOnSigterm() throws Exception {
        Path log = Files.createTempFile("kos-lifecycle", ".log");
        int http = freePort();
        Process p = launch(log, "--rest-api-port=" + http, "--otlp-receiver-port=0", "--keda-external-scaler-port=0",
                "--internal-metrics-port=0");
        try {
            HttpClient client = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int status = -1;
            while (System.nanoTime() < deadline && p.isAlive()) {
                try {
                    status = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/readyz")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200) {
                        break;
                    }
                } catch (IOException notYetListening) {
                    // keep polling until the deadline
                }
                Thread.sleep(50);
            }
            assertEquals(200, status, Files.readString(log));
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "did not stop within 20 s of SIGTERM");
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(143, p.exitValue(), out); // 128 + SIGTERM after the shutdown hooks ran
            assertTrue(out.contains("ready: OTLP/gRPC") && out.contains("shutting down"), out);
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
}
