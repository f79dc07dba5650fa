package dev.kedaotel.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kedaotel.model.ManualTimeSource;
import dev.kedaotel.query.ast.Exprs;
import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import dev.kedaotel.server.http.JsonReader;
import dev.kedaotel.server.tls.TestPki;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The self-metrics port of a whole service that has seen traffic on every interface — OTLP/gRPC (over TLS, so
 * the certificate families exist) and OTLP/HTTP exports, a rejected point and a series-cap rejection, KEDA's
 * GetMetricSpec, GetMetrics, IsActive and StreamIsActive, instant and range queries and a failing one, a request
 * without the bearer token — scraped once and checked against what reads it:
 * <ul>
 *   <li>the real {@code promtool check metrics} accepts it without a complaint;</li>
 *   <li>the README's self-metrics table names exactly the families served (wildcard rows only for the JVM
 *       binders, whose families depend on the collector and JVM version);</li>
 *   <li>every PromQL expression of the chart's Grafana dashboard parses with our parser and reads only metric
 *       names this page serves;</li>
 *   <li>the latency histograms are timed on the injected clock: on a manual clock that does not move, every
 *       call lands in the first bucket with a sum of exactly 0.</li>
 * </ul>
 */
class SelfMetricsEndToEndTest {
    /** Whole seconds (the query API takes them), now: the test certificate is valid around the real time. */
    private static final long START = System.currentTimeMillis() / 1000 * 1000;
    private static final String TOKEN = "self-metrics-token";
    private static final Path README = Path.of("..", "README.md");
    static final Path DASHBOARD = Path.of("..", "helm", "keda-otel-scaler", "dashboards", "keda-otel-scaler.json");

    @TempDir
    static Path dir;
    private static KedaOtelScaler app;
    private static String scrape;

    @BeforeAll
    static void startAndDriveEveryInterface() throws Exception {
        TestPki.Issued ca = TestPki.ca("self-metrics-ca");
        TestPki.server(ca, "EC").write(dir.resolve("tls.crt"), dir.resolve("tls.key"));
        Files.writeString(dir.resolve("tokens"), TOKEN + "\n");
        String[] args = {"--bind-address=127.0.0.1", "--otlp-receiver-port=0", "--keda-external-scaler-port=0", "--rest-api-port=0",
                "--internal-metrics-port=0", "--no-banner", "--metric-store-warm-up-seconds=5",
                "--metric-store-max-series-per-metric=1",
                "--otlp-tls-cert-file=" + dir.resolve("tls.crt"), "--otlp-tls-key-file=" + dir.resolve("tls.key"),
                "--rest-api-bearer-token-file=" + dir.resolve("tokens")};
        // A manual clock that never moves: every measured duration is exactly 0.
        ManualTimeSource time = new ManualTimeSource(START);
        app = KedaOtelScaler.start(Config.load(args, new HashMap<>()), time);

        ManagedChannel otlp = Grpc.newChannelBuilderForAddress("127.0.0.1", app.otlpPort(),
                TlsChannelCredentials.newBuilder().trustManager(TestPki.recordingTrustManager(ca.cert(),
                        new java.util.concurrent.atomic.AtomicReference<>())).build()).build();
        ManagedChannel keda = Grpc.newChannelBuilderForAddress("127.0.0.1", app.scalerPort(), InsecureChannelCredentials.create()).build();
        try {
            var exporter = MetricsServiceGrpc.newBlockingStub(otlp).withDeadlineAfter(10, TimeUnit.SECONDS);
            exporter.export(request("sm_queue", START, "a"));
            // A second series of the metric: over --metric-store-max-series-per-metric=1.
            exporter.export(request("sm_queue", START, "b"));
            // An hour ahead: rejected as too_far_in_future.
            exporter.export(request("sm_other", START + 3_600_000, "a"));
            HttpResponse<String> http = send("POST", "/v1/metrics", "application/x-protobuf",
                    request("sm_http", START, "a").toByteArray(), TOKEN);
            assertEquals(200, http.statusCode(), http.body());
            assertEquals(401, send("GET", "/api/v1/query?query=1", null, null, null).statusCode());

            var scaler = ExternalScalerGrpc.newBlockingStub(keda).withDeadlineAfter(10, TimeUnit.SECONDS);
            ScaledObjectRef ref = ScaledObjectRef.newBuilder().setNamespace("ns").setName("so")
                    .putScalerMetadata("metricQuery", "sum(sm_queue)").putScalerMetadata("targetValue", "1").build();
            scaler.getMetricSpec(ref);
            // Within the 5 s warm-up: UNAVAILABLE (scaler_unavailable_total, scaler_errors_total).
            assertEquals(io.grpc.Status.Code.UNAVAILABLE, org.junit.jupiter.api.Assertions.assertThrows(
                    io.grpc.StatusRuntimeException.class, () -> scaler.getMetrics(metrics(ref))).getStatus().getCode());
            time.advanceMillis(6_000); // between calls: every measured duration stays 0
            scaler.getMetrics(metrics(ref));
            scaler.isActive(ref);
            // An unknown operationOverTime falls back to last_one (operation_over_time_fallbacks_total).
            scaler.getMetrics(metrics(ref.toBuilder().setName("so2").putScalerMetadata("operationOverTime", "bogus").build()));
            CountDownLatch first = new CountDownLatch(1);
            Context.CancellableContext stream = Context.current().withCancellation();
            stream.run(() -> ExternalScalerGrpc.newStub(keda).streamIsActive(ref, new StreamObserver<IsActiveResponse>() {
                @Override
                public void onNext(IsActiveResponse value) {
                    first.countDown();
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            }));
            assertTrue(first.await(10, TimeUnit.SECONDS), "StreamIsActive sends its first answer");
            stream.cancel(null);

            String t = Long.toString(START / 1000);
            assertEquals(200, send("GET", "/api/v1/query?query=sum(sm_queue)&time=" + t, null, null, TOKEN).statusCode());
            assertEquals(200, send("GET", "/api/v1/query_range?query=sum(sm_queue)&start=" + t + "&end=" + t + "&step=15",
                    null, null, TOKEN).statusCode());
            assertEquals(400, send("GET", "/api/v1/query?query=sum(", null, null, TOKEN).statusCode());
            scrape = get("/metrics");
        } finally {
            otlp.shutdownNow();
            keda.shutdownNow();
        }
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static GetMetricsRequest metrics(ScaledObjectRef ref) {
        return GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName(ref.getNamespace() + "-" + ref.getName()).build();
    }

    private static ExportMetricsServiceRequest request(String metric, long timeMs, String pod) {
        NumberDataPoint p = NumberDataPoint.newBuilder().setTimeUnixNano(timeMs * 1_000_000L).setAsDouble(3)
                .addAttributes(KeyValue.newBuilder().setKey("pod").setValue(AnyValue.newBuilder().setStringValue(pod))).build();
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName(metric)
                        .setGauge(Gauge.newBuilder().addDataPoints(p))))).build();
    }

    private static HttpResponse<String> send(String method, String path, String contentType, byte[] body, String token)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .timeout(java.time.Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + app.metricsPort() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    /** Metric families by their {@code # TYPE} line (counters with {@code _total}, histograms by base name). */
    static Set<String> families(String exposition) {
        Set<String> out = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                out.add(line.split(" ")[2]);
            }
        }
        return out;
    }

    /** Every sample's metric name ({@code _bucket}, {@code _sum}, {@code _count} included): what a query can read. */
    static Set<String> sampleNames(String exposition) {
        Set<String> out = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                out.add(line.split("[{ ]", 2)[0]);
            }
        }
        return out;
    }

    @Test
    void promtoolCheckMetricsHasNoComplaint() throws Exception {
        File promtool = new File("/usr/bin/promtool");
        String onPath = promtool.canExecute() ? promtool.getPath() : "promtool";
        boolean present = promtool.canExecute() || onPath(onPath);
        assumeTrue(present || System.getenv("CI") != null,
                "promtool is not installed (package prometheus; .ci/run installs it) and CI is unset");
        Process p = new ProcessBuilder(onPath, "check", "metrics").redirectErrorStream(true).start();
        p.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool finished");
        String complaints = out.toString(StandardCharsets.UTF_8);
        assertEquals("", complaints, "promtool check metrics complained");
        assertEquals(0, p.exitValue(), complaints);
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (new File(d, exe).canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** The names in the first column of the README's self-metrics table (its first table; labels in braces stripped). */
    static List<String> readmeNames() throws Exception {
        String text = Files.readString(README);
        int from = text.indexOf("## Self-metrics (port 8080, `/metrics`)");
        assertTrue(from >= 0, "README has its self-metrics section");
        int to = text.indexOf("\n## ", from + 1);
        List<String> names = new ArrayList<>();
        Pattern code = Pattern.compile("`([a-z_:*][a-zA-Z0-9_:*]*)(\\{[^`]*\\})?`");
        boolean inTable = false;
        for (String line : text.substring(from, to < 0 ? text.length() : to).split("\n")) {
            if (!line.startsWith("|")) {
                if (inTable) {
                    break; // the first table only; the renames below name old metrics
                }
                continue;
            }
            inTable = true;
            if (!line.startsWith("| `")) {
                continue;
            }
            Matcher m = code.matcher(line.substring(0, line.indexOf(" |", 2)));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void readmeTableNamesExactlyTheFamiliesServed() throws Exception {
        Set<String> served = families(scrape);
        List<String> named = readmeNames();
        List<String> problems = new ArrayList<>();
        for (String family : served) {
            boolean listed = named.stream().anyMatch(n -> n.endsWith("*") ? family.startsWith(n.substring(0, n.length() - 1))
                    : n.equals(family));
            if (!listed) {
                problems.add("served but not in the README's self-metrics table: " + family);
            }
        }
        for (String n : named) {
            boolean exists = n.endsWith("*") ? served.stream().anyMatch(f -> f.startsWith(n.substring(0, n.length() - 1)))
                    : served.contains(n);
            if (!exists) {
                problems.add("in the README's self-metrics table but not served: " + n);
            }
        }
        assertEquals(List.of(), problems, "README.md's self-metrics table against the families of /metrics");
    }

    @Test
    void dashboardQueriesParseAndReadOnlyServedMetrics() throws Exception {
        Set<String> names = sampleNames(scrape);
        List<String> exprs = new ArrayList<>();
        collectExprs(JsonReader.parse(Files.readString(DASHBOARD)), exprs);
        assertTrue(exprs.size() >= 10, "the dashboard has its panels' queries: " + exprs);
        List<String> problems = new ArrayList<>();
        QueryEngine parser = new QueryEngine(app.store(), EngineConfig.defaults()); // its parser, as the HTTP API's
        for (String expr : exprs) {
            // Grafana's variables, as Grafana would substitute them.
            String promql = expr.replace("$__rate_interval", "1m").replace("$__interval", "1m")
                    .replace("${instance}", ".+").replace("$instance", ".+");
            try {
                Set<String> read = Exprs.referencedMetricNames(parser.parse(promql));
                if (read == null) {
                    problems.add("a selector without a metric name in: " + expr);
                    continue;
                }
                for (String n : read) {
                    if (!names.contains(n)) {
                        problems.add(n + " (in " + expr + ") is not served on /metrics");
                    }
                }
            } catch (dev.kedaotel.query.PromQLException e) {
                problems.add("does not parse: " + expr + ": " + e.getMessage());
            }
        }
        assertEquals(List.of(), problems);
    }

    /** Every {@code expr} of the dashboard's targets and the {@code query} of its query variables. */
    @SuppressWarnings("unchecked")
    private static void collectExprs(Object node, List<String> out) {
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getKey().equals("expr") && e.getValue() instanceof String s) {
                    out.add(s);
                } else {
                    collectExprs(e.getValue(), out);
                }
            }
        } else if (node instanceof List<?> l) {
            for (Object o : l) {
                collectExprs(o, out);
            }
        }
    }

    @Test
    void latencyHistogramsAreTimedOnTheInjectedClock() {
        for (String rpc : List.of("GetMetricSpec", "GetMetrics", "IsActive")) {
            String calls = rpc.equals("GetMetrics") ? "3" : "1";
            assertSample("keda_otel_scaler_scaler_rpc_duration_seconds_count{rpc=\"" + rpc + "\"}", calls);
            assertSample("keda_otel_scaler_scaler_rpc_duration_seconds_bucket{rpc=\"" + rpc + "\",le=\"5.0E-5\"}", calls);
            assertSample("keda_otel_scaler_scaler_rpc_duration_seconds_sum{rpc=\"" + rpc + "\"}", "0.0");
        }
        assertSample("keda_otel_scaler_otlp_export_duration_seconds_count{transport=\"grpc\"}", "3");
        assertSample("keda_otel_scaler_otlp_export_duration_seconds_bucket{transport=\"grpc\",le=\"2.5E-4\"}", "3");
        assertSample("keda_otel_scaler_otlp_export_duration_seconds_sum{transport=\"grpc\"}", "0.0");
        assertSample("keda_otel_scaler_otlp_export_duration_seconds_count{transport=\"http\"}", "1");
        assertSample("keda_otel_scaler_query_duration_seconds_count{endpoint=\"query\"}", "2");
        assertSample("keda_otel_scaler_query_duration_seconds_count{endpoint=\"query_range\"}", "1");
        assertSample("keda_otel_scaler_query_duration_seconds_sum{endpoint=\"query\"}", "0.0");
        assertSample("keda_otel_scaler_query_failures_total{endpoint=\"query\",error_type=\"bad_data\"}", "1.0");
        assertSample("keda_otel_scaler_query_failures_total{endpoint=\"query_range\",error_type=\"bad_data\"}", "0.0");
    }

    @Test
    void buildInfoAndProcessMetrics() {
        String version = KedaOtelScaler.version();
        assertSample("keda_otel_scaler_build_info{javaversion=\"" + System.getProperty("java.version") + "\",revision=\""
                + KedaOtelScaler.revision() + "\",version=\"" + version + "\"}", "1");
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "process metrics are read from /proc (Linux)");
        for (String name : List.of("process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
                "process_open_fds", "process_max_fds", "process_start_time_seconds")) {
            String value = sample(name);
            assertNotNull(value, name + " is served");
            assertTrue(Double.parseDouble(value) > 0 || name.equals("process_cpu_seconds_total"), name + " " + value);
        }
        assertTrue(Double.parseDouble(sample("process_resident_memory_bytes")) > 10 * 1024 * 1024, "RSS of a running JVM");
    }

    private static String sample(String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return line.substring(series.length() + 1);
            }
        }
        return null;
    }

    private static void assertSample(String series, String value) {
        assertEquals(value, sample(series), series + " in\n" + scrape);
    }
}
