package dev.kedaotel.server;

import dev.kedaotel.model.ManualTimeSource;
import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KEDA forwards the whole trigger metadata, inline TLS keys included, in every RPC. With logging at the
 * most verbose level the service can be set to, a real gRPC client sends every scaler RPC — valid,
 * invalid and warning-producing metadata alike — carrying dummy secrets; none of them may appear in any
 * log line, gRPC error, self-metric or page.
 */
class SecretsNeverLeaveTest {
    private static final Map<String, String> SECRETS = Map.of(
            "caCert", "-----BEGIN CERTIFICATE-----DUMMY-CA-CERT-7c1e-----END CERTIFICATE-----",
            "tlsClientCert", "-----BEGIN CERTIFICATE-----DUMMY-CLIENT-CERT-19ab-----END CERTIFICATE-----",
            "tlsClientKey", "-----BEGIN PRIVATE KEY-----DUMMY-CLIENT-KEY-5d2f-----END PRIVATE KEY-----",
            "myPassword", "DUMMY-PASSWORD-hunter2",
            "apiToken", "DUMMY-API-TOKEN-0e9d",
            "clientSecret", "DUMMY-CLIENT-SECRET-33aa",
            "apiKey", "DUMMY-API-KEY-88bb");
    /** A fragment of each secret value that nothing else could contain. */
    private static final List<String> FRAGMENTS = List.of("DUMMY-CA-CERT", "DUMMY-CLIENT-CERT", "DUMMY-CLIENT-KEY",
            "DUMMY-PASSWORD", "hunter2", "DUMMY-API-TOKEN", "DUMMY-CLIENT-SECRET", "DUMMY-API-KEY", "PRIVATE KEY");

    private static ScaledObjectRef ref(String name, String... pairs) {
        Map<String, String> md = new LinkedHashMap<>(SECRETS);
        for (int i = 0; i < pairs.length; i += 2) {
            md.put(pairs[i], pairs[i + 1]);
        }
        return ScaledObjectRef.newBuilder().setNamespace("team").setName(name).putAllScalerMetadata(md).build();
    }

    @Test
    void dummySecretsInMetadataAppearInNoLogLineErrorMetricOrPage() throws Exception {
        Logger root = Logger.getLogger("");
        Handler[] savedHandlers = root.getHandlers();
        Level savedLevel = root.getLevel();
        List<String> lines = new CopyOnWriteArrayList<>();
        Logging.OneLineFormatter format = new Logging.OneLineFormatter();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(format.format(r));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        // The most verbose setting there is (LOG_LEVEL=debug is FINE); Logging keeps gRPC's and Jetty's own
        // internals where the service always keeps them.
        Logging.configure(Level.ALL, Logging.Format.TEXT);
        root.addHandler(capture);
        List<String> seen = new ArrayList<>();
        ManualTimeSource time = new ManualTimeSource(System.currentTimeMillis());
        KedaOtelScaler app = KedaOtelScaler.start(Config.load(new String[] {"--otlp-receiver-port=0", "--keda-external-scaler-port=0",
                "--rest-api-port=0", "--internal-metrics-port=0", "--no-banner", "--log-level=debug",
                "--metric-store-warm-up-seconds=0"}, Map.of()), time); // about secrets: real answers at once
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", app.scalerPort()).usePlaintext().build();
        try {
            ExternalScalerGrpc.ExternalScalerBlockingStub scaler = ExternalScalerGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS);
            ScaledObjectRef good = ref("good", "metricQuery", "sum(secret_probe)", "targetValue", "2",
                    "scalerAddress", "keda-otel-scaler.keda.svc:4318", "enableTLS", "true");
            ScaledObjectRef warned = ref("warned", "metricQuery", "sum(secret_probe)", "targetValue", "2",
                    "operationOverTime", "sum", "clampMax", "lots");
            ScaledObjectRef badQuery = ref("bad-query", "metricQuery", "sum(", "targetValue", "2");
            ScaledObjectRef badTarget = ref("bad-target", "metricQuery", "sum(secret_probe)", "targetValue", "zero");

            for (ScaledObjectRef r : List.of(good, warned, badQuery)) {
                seen.add(scaler.getMetricSpec(r).toString());
            }
            seen.add(scaler.getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(good).setMetricName("team-good").build()).toString());
            seen.add(scaler.isActive(warned).toString());
            seen.add(firstStreamed(channel, good).toString());
            seen.add(assertThrows(StatusRuntimeException.class, () -> scaler.getMetricSpec(badTarget)).getMessage());
            seen.add(assertThrows(StatusRuntimeException.class, () -> scaler.getMetrics(
                    GetMetricsRequest.newBuilder().setScaledObjectRef(badQuery).setMetricName("m").build())).getMessage());
            seen.add(assertThrows(StatusRuntimeException.class, () -> scaler.isActive(badTarget)).getMessage());
            seen.add(assertThrows(StatusRuntimeException.class, () -> firstStreamed(channel, badQuery)).getMessage());
            // A rotated key is not a change: same ScaledObject, nothing logged about it.
            ScaledObjectRef rotated = good.toBuilder().putScalerMetadata("tlsClientKey", "DUMMY-CLIENT-KEY-rotated").build();
            seen.add(scaler.isActive(rotated).toString());

            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + app.httpPort();
            for (String page : List.of("/", "/ui", "/info", "/memstore/scaledobjects", "/memstore/names", "/memstore/data",
                    "/api/v1/labels", "/api/v1/label/__name__/values", "/api/v1/series?match%5B%5D=%7B__name__%3D~%22.%2B%22%7D",
                    "/healthz", "/readyz")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + page)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), page + ": " + r.body());
                seen.add(page + " " + r.body());
            }
            String scaledObjects = seen.stream().filter(s -> s.startsWith("/memstore/scaledobjects ")).findFirst().orElseThrow();
            String redacted = "\"\\u003credacted\\u003e\""; // "<redacted>" as JSON text (Go's escaping, as Prometheus)
            assertTrue(scaledObjects.contains("\"tlsClientKey\":" + redacted) && scaledObjects.contains("\"apiToken\":" + redacted)
                    && scaledObjects.contains("\"scalerAddress\":\"keda-otel-scaler.keda.svc:4318\""), scaledObjects);
            String statusPage = seen.stream().filter(s -> s.startsWith("/ui ")).findFirst().orElseThrow();
            assertTrue(statusPage.contains("<code>tlsClientKey=&lt;redacted&gt;</code>"), "the status page shows the redacted map");
            seen.add(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            app.close();
            root.removeHandler(capture);
            for (Handler h : root.getHandlers()) {
                root.removeHandler(h);
            }
            for (Handler h : savedHandlers) {
                root.addHandler(h);
            }
            root.setLevel(savedLevel);
            Logger.getLogger("io.grpc").setLevel(null);
            Logger.getLogger("org.eclipse.jetty").setLevel(null);
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains("DEBUG")), "debug lines were captured");
        assertTrue(lines.stream().anyMatch(l -> l.contains("bad-query") && l.contains("metricQuery")),
                "the invalid ScaledObject was logged: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("warned") && l.contains("clampMax")), "warnings were logged: " + lines);
        for (String fragment : FRAGMENTS) {
            for (String line : lines) {
                assertFalse(line.contains(fragment), "log line shows a secret: " + line);
            }
            for (String s : seen) {
                assertFalse(s.contains(fragment), "answer shows a secret: " + s);
            }
        }
    }

    /** StreamIsActive's first answer; the stream is cancelled after it. */
    private static IsActiveResponse firstStreamed(ManagedChannel channel, ScaledObjectRef ref) throws Exception {
        Context.CancellableContext call = Context.current().withCancellation();
        try {
            return call.call(() -> {
                Iterator<IsActiveResponse> it = ExternalScalerGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(10, TimeUnit.SECONDS).streamIsActive(ref);
                return it.next();
            });
        } finally {
            call.cancel(null);
        }
    }
}
