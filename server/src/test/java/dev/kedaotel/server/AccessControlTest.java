package dev.kedaotel.server;

import dev.kedaotel.model.ManualTimeSource;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Access control of the HTTP API over real HTTP against the whole service on a manual clock:
 * REST_API_BEARER_TOKEN_FILE (missing / wrong / right token on every protected endpoint, open probes,
 * rotation by rewriting the file), and the state-changing endpoint's guards (MEMSTORE_RESET_ENABLED,
 * JSON only — the cross-site form POST that used to empty the store).
 */
class AccessControlTest {
    private static final String REALM = "Bearer realm=\"keda-otel-scaler\"";

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ManualTimeSource time = new ManualTimeSource(System.currentTimeMillis());
    private final List<KedaOtelScaler> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(KedaOtelScaler::close);
    }

    private KedaOtelScaler start(String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of("--otlp-receiver-port=0", "--keda-external-scaler-port=0",
                "--rest-api-port=0", "--internal-metrics-port=0", "--no-banner",
                "--metric-store-warm-up-seconds=0")); // about access, not the warm-up: probes ready at once
        args.addAll(List.of(extraArgs));
        KedaOtelScaler app = KedaOtelScaler.start(Config.load(args.toArray(new String[0]), Map.of()), time);
        started.add(app);
        return app;
    }

    private Path tokenFile(String content) throws IOException {
        Path f = dir.resolve("tokens");
        Files.writeString(f, content);
        return f;
    }

    /** One request: method, path, optional token, optional content type and body. */
    private HttpResponse<String> send(KedaOtelScaler app, String method, String path, String token, String contentType,
            byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(KedaOtelScaler app, String path, String token) throws Exception {
        return send(app, "GET", path, token, null, null);
    }

    private static byte[] form(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A real OTLP/HTTP protobuf body: one gauge point of {@code metric} at {@code timeMs}. */
    private static byte[] otlp(String metric, long timeMs) {
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName(metric)
                        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                                .setTimeUnixNano(timeMs * 1_000_000L).setAsDouble(1)))))).build().toByteArray();
    }

    /** The protected endpoints, each as one request (method, path, content type, body). */
    private record Call(String method, String path, String contentType, byte[] body) {
    }

    private List<Call> protectedCalls() {
        return List.of(
                new Call("GET", "/api/v1/query?query=1%2B1", null, null),
                new Call("POST", "/api/v1/query", "application/x-www-form-urlencoded", form("query=1%2B1")),
                new Call("GET", "/api/v1/series?match%5B%5D=up", null, null),
                new Call("POST", "/api/v1/series", "application/x-www-form-urlencoded", form("match%5B%5D=up")),
                new Call("GET", "/api/v1/labels", null, null),
                new Call("GET", "/api/v1/rules", null, null),
                new Call("GET", "/api/v1/alerts", null, null),
                new Call("GET", "/api/v1/targets", null, null),
                new Call("GET", "/api/v1/status/config", null, null),
                new Call("GET", "/memstore/names", null, null),
                new Call("GET", "/memstore/data", null, null),
                new Call("GET", "/memstore/scaledobjects", null, null),
                new Call("POST", "/memstore/query", "application/json", form("{\"query\":\"sum(x)\",\"operationOverTime\":\"last_one\"}")),
                new Call("POST", "/memstore/reset", "application/json", null),
                new Call("POST", "/v1/metrics", "application/x-protobuf", otlp("auth_probe", time.wallMillis())));
    }

    @Test
    void everyProtectedEndpointNeedsTheTokenAndProbesDoNot() throws Exception {
        KedaOtelScaler app = start("--rest-api-bearer-token-file=" + tokenFile("alpha-token\n\n   beta-token  \r\n"),
                "--memstore-reset-enabled");
        for (Call c : protectedCalls()) {
            String what = c.method + " " + c.path;
            HttpResponse<String> none = send(app, c.method, c.path, null, c.contentType, c.body);
            assertEquals(401, none.statusCode(), what + ": " + none.body());
            assertEquals(REALM, none.headers().firstValue("WWW-Authenticate").orElse(null), what);
            assertTrue(none.body().contains("Authorization: Bearer"), what + ": " + none.body());

            HttpResponse<String> wrong = send(app, c.method, c.path, "alpha-tokeX", c.contentType, c.body);
            assertEquals(401, wrong.statusCode(), what + ": " + wrong.body());
            assertEquals(REALM + ", error=\"invalid_token\"", wrong.headers().firstValue("WWW-Authenticate").orElse(null), what);
            assertTrue(wrong.body().contains("REST_API_BEARER_TOKEN_FILE"), what + ": " + wrong.body());

            for (String token : List.of("alpha-token", "beta-token")) {
                HttpResponse<String> right = send(app, c.method, c.path, token, c.contentType, c.body);
                assertEquals(200, right.statusCode(), what + " with " + token + ": " + right.body());
            }
            if (c.path.startsWith("/api/v1/")) {
                assertEquals("{\"status\":\"error\",\"errorType\":\"unauthorized\",\"error\":\"this endpoint needs an"
                        + " 'Authorization: Bearer \\u003ctoken\\u003e' header (REST_API_BEARER_TOKEN_FILE is set)\"}", none.body(), what);
            } else if (c.path.startsWith("/memstore/")) {
                assertTrue(none.body().startsWith("{\"error\":"), what + ": " + none.body());
            }
        }
        // Scheme names are case-insensitive; other schemes are no bearer token at all.
        HttpResponse<String> lower = send(app, "GET", "/memstore/names", null, null, null, "Authorization", "bearer alpha-token");
        assertEquals(200, lower.statusCode());
        HttpResponse<String> basic = send(app, "GET", "/memstore/names", null, null, null, "Authorization", "Basic YWxwaGEtdG9rZW4=");
        assertEquals(401, basic.statusCode());
        assertEquals(REALM, basic.headers().firstValue("WWW-Authenticate").orElse(null));
        // Unknown paths are not revealed to callers without a token.
        assertEquals(401, get(app, "/api/v1/nope", null).statusCode());
        assertEquals(404, get(app, "/api/v1/nope", "alpha-token").statusCode());

        for (String probe : List.of("/healthz", "/-/healthy", "/readyz", "/-/ready", "/info", "/")) {
            HttpResponse<String> r = get(app, probe, null);
            assertEquals(200, r.statusCode(), probe + ": " + r.body());
            assertEquals(200, get(app, probe, "wrong").statusCode(), probe + " ignores a wrong token");
        }

        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.metricsPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        int calls = protectedCalls().size();
        assertTrue(metrics.contains("keda_otel_scaler_http_unauthorized_requests_total{reason=\"missing\"} " + (calls + 2) + ".0"), metrics);
        assertTrue(metrics.contains("keda_otel_scaler_http_unauthorized_requests_total{reason=\"invalid\"} " + calls + ".0"), metrics);
    }

    /**
     * The gate answers before the body is read: a request announcing a 1 GB body (beyond every limit,
     * which would otherwise be a 413) gets its 401 without sending a byte of it.
     */
    @Test
    void anUnauthenticatedBodyIsNeverRead() throws Exception {
        KedaOtelScaler app = start("--rest-api-bearer-token-file=" + tokenFile("t\n"));
        try (Socket s = new Socket("127.0.0.1", app.httpPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/metrics HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
                    + "Content-Length: 1000000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = new byte[12];
            int n = 0;
            while (n < head.length) {
                int r = in.read(head, n, head.length - n);
                assertTrue(r > 0, "connection closed before an answer");
                n += r;
            }
            assertEquals("HTTP/1.1 401", new String(head, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void rewrittenTokenFileIsPickedUpOnTheNextCheckAndABrokenOneKeepsTheLastGoodTokens() throws Exception {
        Path file = tokenFile("old-token\n");
        KedaOtelScaler app = start("--rest-api-bearer-token-file=" + file);
        assertEquals(200, get(app, "/memstore/names", "old-token").statusCode());

        // Rotation, step 1: both listed.
        Files.writeString(file, "old-token\nnew-token-1\n");
        assertEquals(401, get(app, "/memstore/names", "new-token-1").statusCode(), "looked at once a second at most");
        time.advanceMillis(1_000);
        assertEquals(200, get(app, "/memstore/names", "new-token-1").statusCode());
        assertEquals(200, get(app, "/memstore/names", "old-token").statusCode());
        // Step 2: the old one dropped.
        Files.writeString(file, "new-token-1\n");
        time.advanceMillis(1_000);
        assertEquals(401, get(app, "/memstore/names", "old-token").statusCode());
        assertEquals(200, get(app, "/memstore/names", "new-token-1").statusCode());

        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("dev.kedaotel.server.http.BearerTokens");
        logger.addHandler(h);
        try {
            // A rotation gone wrong never opens the API nor locks the clients out.
            Files.writeString(file, "\n  \n");
            time.advanceMillis(1_000);
            assertEquals(200, get(app, "/memstore/names", "new-token-1").statusCode());
            assertEquals(401, get(app, "/memstore/names", null).statusCode());
            Files.delete(file);
            time.advanceMillis(1_000);
            assertEquals(200, get(app, "/memstore/names", "new-token-1").statusCode());
            time.advanceMillis(1_000);
            assertEquals(200, get(app, "/memstore/names", "new-token-1").statusCode());
            assertEquals(2, warnings.size(), "one warning per distinct problem: " + warnings.stream().map(LogRecord::getMessage).toList());
            assertTrue(warnings.get(0).getMessage().contains("REST_API_BEARER_TOKEN_FILE") && warnings.get(0).getMessage().contains("no token"),
                    warnings.get(0).getMessage());
            assertTrue(warnings.get(1).getMessage().contains("no such file"), warnings.get(1).getMessage());

            Files.writeString(file, "newest\n");
            time.advanceMillis(1_000);
            assertEquals(200, get(app, "/memstore/names", "newest").statusCode());
            assertEquals(401, get(app, "/memstore/names", "new-token-1").statusCode());
        } finally {
            logger.removeHandler(h);
        }
    }

    @Test
    void aMissingUnreadableOrEmptyTokenFileStopsStartupNamingTheSetting() throws Exception {
        for (Path bad : List.of(dir.resolve("absent"), tokenFile(" \n\n"), Files.createDirectory(dir.resolve("a-directory")))) {
            IOException e = assertThrows(IOException.class, () -> start("--rest-api-bearer-token-file=" + bad));
            assertTrue(e.getMessage().startsWith("REST_API_BEARER_TOKEN_FILE: ") && e.getMessage().contains(bad.toString()), e.getMessage());
        }
    }

    @Test
    void resetIsOffByDefault() throws Exception {
        KedaOtelScaler app = start();
        ingest(app);
        HttpResponse<String> r = send(app, "POST", "/memstore/reset", null, "application/json", null);
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.body().contains("MEMSTORE_RESET_ENABLED"), r.body());
        assertEquals(1, app.store().seriesCount(), "store intact");
    }

    /**
     * The original attack: a page on another site posts a form to /memstore/reset (no CORS pre-flight
     * for a form). Refused before anything is read; only a JSON request, which a browser would
     * pre-flight (and never gets CORS headers for), resets.
     */
    @Test
    void crossSiteFormPostsCannotResetTheStore() throws Exception {
        KedaOtelScaler app = start("--memstore-reset-enabled=true");
        ingest(app);
        String evil = "https://evil.example";
        for (String contentType : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain")) {
            HttpResponse<String> r = send(app, "POST", "/memstore/reset", null, contentType, form("a=b"), "Origin", evil);
            assertEquals(415, r.statusCode(), contentType + ": " + r.body());
            assertTrue(r.body().contains("application/json") && r.body().contains(contentType.split(";")[0]), r.body());
            assertFalse(r.headers().firstValue("Access-Control-Allow-Origin").isPresent());
        }
        HttpResponse<String> noType = send(app, "POST", "/memstore/reset", null, null, null, "Origin", evil);
        assertEquals(415, noType.statusCode(), "a body-less fetch() is a simple request too: " + noType.body());
        assertTrue(noType.body().contains("no Content-Type"), noType.body());
        HttpResponse<String> preflight = send(app, "OPTIONS", "/memstore/reset", null, null, null, "Origin", evil,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type");
        assertFalse(preflight.headers().firstValue("Access-Control-Allow-Origin").isPresent(), "no CORS, ever");
        assertEquals(1, app.store().seriesCount(), "store intact");

        // Read-only form POSTs (Grafana's queries) are untouched.
        HttpResponse<String> query = send(app, "POST", "/api/v1/query", null, "application/x-www-form-urlencoded",
                form("query=count(access_probe)"));
        assertEquals(200, query.statusCode(), query.body());

        HttpResponse<String> json = send(app, "POST", "/memstore/reset", null, "application/json; charset=utf-8", null);
        assertEquals(200, json.statusCode(), json.body());
        assertEquals(0, app.store().seriesCount());
    }

    private void ingest(KedaOtelScaler app) throws Exception {
        HttpResponse<String> r = send(app, "POST", "/v1/metrics", null, "application/x-protobuf", otlp("access_probe", time.wallMillis()));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1, app.store().seriesCount());
    }
}
