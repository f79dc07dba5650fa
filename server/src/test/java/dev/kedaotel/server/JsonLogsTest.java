package dev.kedaotel.server;

import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import dev.kedaotel.server.http.JsonReader;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code LOG_FORMAT=json} (and kedify's {@code --zap-encoder=json}) as a log pipeline reads it: the service
 * as a child process, everything it writes (stdout and stderr) parsed line by line. It logs its banner and
 * startup, a ScaledObject appearing on KEDA's first call (a real gRPC client) and being forgotten by the idle
 * sweep, a warning with a stack trace (a corrupt data directory moved aside at startup), and its shutdown on
 * SIGTERM. Every line must be one JSON object with the common keys, and the stack trace must be inside its line.
 */
class JsonLogsTest {
    private static final Pattern RFC3339_MILLIS_UTC = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

    @Test
    void logFormatJsonWritesOneObjectPerLine(@TempDir Path tmp) throws Exception {
        checkJsonLogs(tmp, Map.of("LOG_FORMAT", "json"));
    }

    @Test
    void kedifysZapEncoderFlagGivesTheSame(@TempDir Path tmp) throws Exception {
        checkJsonLogs(tmp, Map.of(), "--zap-encoder=json", "--zap-log-level=info");
    }

    /** A setting that stops startup is reported in JSON too: a crash-looping pod's last line must reach the pipeline. */
    @Test
    void anInvalidSettingIsReportedAsOneJsonLine(@TempDir Path tmp) throws Exception {
        for (List<String> how : List.of(List.of("LOG_FORMAT=json"), List.of("--zap-encoder", "json"))) {
            Path log = tmp.resolve("bad-" + how.size() + ".log");
            Map<String, String> env = how.size() == 1 ? Map.of("LOG_FORMAT", "json") : Map.of();
            List<String> args = new ArrayList<>(how.size() == 1 ? List.of() : how);
            args.add("--metric-store-retention-seconds=soon");
            try (ServerProcess server = ServerProcess.start(log, List.of(), env, args.toArray(new String[0]))) {
                assertTrue(server.process.waitFor(20, TimeUnit.SECONDS), "a bad setting stops startup");
                assertEquals(2, server.process.exitValue(), server.output());
                List<Map<String, Object>> lines = parse(server.output());
                assertEquals(1, lines.size(), how + ": " + server.output());
                assertEquals("error", lines.get(0).get("level"));
                assertEquals("keda-otel-scaler: METRIC_STORE_RETENTION_SECONDS must be a whole number, got 'soon'",
                        lines.get(0).get("message"));
            }
        }
    }

    private static void checkJsonLogs(Path tmp, Map<String, String> env, String... extraArgs) throws Exception {
        Path dataDir = Files.createDirectory(tmp.resolve("data"));
        Files.writeString(dataDir.resolve("MANIFEST"), "this is not a manifest\n"); // what a half-written disk leaves
        Path log = tmp.resolve("server.log");
        int http = ProcessLifecycleTest.freePort();
        int keda = ProcessLifecycleTest.freePort();
        List<String> args = new ArrayList<>(List.of("--rest-api-port=" + http, "--keda-external-scaler-port=" + keda,
                "--otlp-receiver-port=0", "--internal-metrics-port=0", "--bind-address=127.0.0.1",
                "--metric-store-warm-up-seconds=0", "--scaled-object-idle-seconds=1", "--metric-store-data-dir=" + dataDir));
        args.addAll(List.of(extraArgs));
        List<Map<String, Object>> lines;
        try (ServerProcess server = ServerProcess.start(log, List.of(), env, args.toArray(new String[0]))) {
            server.awaitReady(HttpClient.newHttpClient(), http);
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", keda).usePlaintext().build();
            try {
                ScaledObjectRef so = ScaledObjectRef.newBuilder().setNamespace("team-a").setName("checkout")
                        .putScalerMetadata("metricQuery", "sum(queue_depth)").putScalerMetadata("targetValue", "5").build();
                ExternalScalerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(so).setMetricName("m").build());
            } finally {
                channel.shutdownNow();
            }
            // The idle sweep runs every second; wait (bounded) until it has forgotten the ScaledObject.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && !server.output().contains("forgotten")) {
                Thread.sleep(50);
            }
            server.process.destroy(); // SIGTERM
            assertTrue(server.process.waitFor(20, TimeUnit.SECONDS), "did not stop within 20 s of SIGTERM");
            lines = parse(server.output());
        }
        assertTrue(lines.size() >= 5, "too few lines: " + lines);

        Map<String, Object> banner = find(lines, "the banner", l -> l.get("message").toString().startsWith("keda-otel-scaler "));
        assertEquals("info", banner.get("level"));
        find(lines, "startup", l -> l.get("message").toString().startsWith("listening: OTLP/gRPC"));
        Map<String, Object> appeared = find(lines, "the ScaledObject appearing", l -> l.get("message").toString().contains("appeared"));
        assertEquals("info", appeared.get("level"));
        assertEquals("ScaledObject team-a/checkout appeared (first call from KEDA)", appeared.get("message"));
        assertEquals("team-a", appeared.get("namespace"));
        assertEquals("checkout", appeared.get("name"));
        assertEquals("dev.kedaotel.scaler.ScaledObjects", appeared.get("logger"));
        assertTrue(appeared.get("thread").toString().startsWith("keda-grpc-"), "a KEDA port thread took the call: " + appeared);
        Map<String, Object> forgotten = find(lines, "the ScaledObject forgotten", l -> l.get("message").toString().contains("forgotten"));
        assertEquals("info", forgotten.get("level"));
        assertEquals("team-a", forgotten.get("namespace"));
        assertEquals("checkout", forgotten.get("name"));

        Map<String, Object> movedAside = find(lines, "the corrupt data directory", l -> l.containsKey("stacktrace"));
        assertEquals("warn", movedAside.get("level"));
        assertTrue(movedAside.get("message").toString().contains("cannot be restored"), movedAside.toString());
        String error = movedAside.get("error").toString();
        String trace = movedAside.get("stacktrace").toString();
        assertTrue(error.contains("MANIFEST") || error.contains("manifest"), "error says what was wrong: " + error);
        assertTrue(trace.startsWith(error) && trace.contains("\n\tat dev.kedaotel.tsdb."),
                "the whole trace, frames included, inside one line: " + trace);
        find(lines, "shutdown", l -> l.get("message").toString().contains("shutting down"));
    }

    /** Every line of the output as a JSON object with the keys every line has; fails naming the first line that is not. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> parse(String output) {
        List<Map<String, Object>> objects = new ArrayList<>();
        String[] lines = output.split("\n", -1);
        assertEquals("", lines[lines.length - 1], "the output ends with a complete line");
        for (int i = 0; i < lines.length - 1; i++) {
            Object parsed;
            try {
                parsed = JsonReader.parse(lines[i]);
            } catch (IllegalArgumentException e) {
                throw new AssertionError("line " + (i + 1) + " is not JSON (" + e.getMessage() + "): " + lines[i]);
            }
            assertTrue(parsed instanceof Map, "line " + (i + 1) + " is not a JSON object: " + lines[i]);
            Map<String, Object> line = (Map<String, Object>) parsed;
            for (String key : List.of("time", "level", "logger", "message", "thread")) {
                assertTrue(line.get(key) instanceof String, "line " + (i + 1) + " has no string " + key + ": " + lines[i]);
            }
            assertTrue(RFC3339_MILLIS_UTC.matcher(line.get("time").toString()).matches(), "RFC 3339 UTC with ms: " + lines[i]);
            assertTrue(Set.of("debug", "info", "warn", "error").contains(line.get("level")), "zap's level names: " + lines[i]);
            objects.add(line);
        }
        return objects;
    }

    private static Map<String, Object> find(List<Map<String, Object>> lines, String what, Predicate<Map<String, Object>> test) {
        return lines.stream().filter(test).findFirst().orElseGet(() -> fail("no line for " + what + " in " + lines));
    }
}
