package dev.kedaotel.server;

import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OTLP_TRANSLATION_STRATEGY on a started service, through its real interfaces: the OpenTelemetry Java
 * SDK exports over OTLP/gRPC, the series names per strategy are read from the Prometheus API, KEDA's
 * gRPC client asks a kedify-syntax ScaledObject query — compiled before the metric first arrives, so a
 * standing query must find it when it does — and /api/v1/metadata answers the families' type, help and
 * unit after the export.
 */
class TranslationStrategyEndToEndTest {
    private static final AttributeKey<String> DEPLOYMENT = AttributeKey.stringKey("deployment");
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // strategy                       | counter                    | gauge in By         | histogram family (unit s)        | kedify spellings that must find the counter
        "KedifyCompatible                 | http_server_requests       | memory_usage        | http_server_duration             | http.server.requests;http_server_requests",
        "UnderscoreEscapingWithSuffixes   | http_server_requests_total | memory_usage_bytes  | http_server_duration_seconds     | http.server.requests;http_server_requests;http_server_requests_total",
        "UnderscoreEscapingWithoutSuffixes| http_server_requests       | memory_usage        | http_server_duration             | http.server.requests;http_server_requests",
        "NoUTF8EscapingWithSuffixes       | http.server.requests_total | memory.usage_bytes  | http.server.duration_seconds     | http.server.requests;http.server.requests_total",
        "NoTranslation                    | http.server.requests       | memory.usage        | http.server.duration             | http.server.requests",
    })
    void namesPerStrategyAndKedifyQueriesFindThem(String strategy, String counter, String gauge, String histogram,
                                                    String kedifyNames) throws Exception {
        try (RunningServer server = new RunningServer("--otlp-translation-strategy=" + strategy, "--log-level=warn",
                "--metric-store-value-if-not-found=-1")) {
            List<String> spellings = List.of(kedifyNames.split(";"));
            // Standing queries compiled before anything arrived.
            for (int i = 0; i < spellings.size(); i++) {
                assertEquals(-1.0, getMetrics(server, "req-" + i, "sum(" + spellings.get(i) + "{deployment=\"web\"})"));
            }
            assertEquals(-1.0, getMetrics(server, "mem", "sum(memory.usage)"));

            FakeOtelClock clock = new FakeOtelClock(System.currentTimeMillis() - 5_000);
            try (SdkMeterProvider p = SdkMeterProvider.builder().setClock(clock)
                    .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "web")))
                    .registerMetricReader(PeriodicMetricReader.builder(OtlpGrpcMetricExporter.builder()
                            .setEndpoint(server.otlpEndpoint()).build()).setInterval(Duration.ofDays(1)).build())
                    .build()) {
                Meter meter = p.get("e2e");
                meter.counterBuilder("http.server.requests").setDescription("Requests served.").build()
                        .add(3, Attributes.of(DEPLOYMENT, "web", ROUTE, "/a"));
                // Another OTLP metric whose name starts like the counter's: never part of its kedify query.
                meter.gaugeBuilder("http.server.requests.active").build().set(1000, Attributes.of(DEPLOYMENT, "web"));
                meter.gaugeBuilder("memory.usage").setUnit("By").setDescription("Memory in use.").build()
                        .set(1024, Attributes.of(DEPLOYMENT, "web"));
                meter.histogramBuilder("http.server.duration").setUnit("s").setDescription("Request duration.").build()
                        .record(0.25, Attributes.of(DEPLOYMENT, "web"));
                assertTrue(p.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "OTLP export failed");
            }

            String names = server.get("/api/v1/label/__name__/values").body();
            for (String n : new String[] {counter, gauge, histogram + "_bucket", histogram + "_count", histogram + "_sum"}) {
                assertTrue(names.contains("\"" + n + "\""), n + " in " + names);
            }
            for (int i = 0; i < spellings.size(); i++) {
                assertEquals(3.0, getMetrics(server, "req-" + i, "sum(" + spellings.get(i) + "{deployment=\"web\"})"), spellings.get(i));
            }
            // A dotted attribute key in a kedify query is named as the strategy names attribute keys.
            assertEquals(3.0, getMetrics(server, "route", "sum(http.server.requests{http.route=\"/a\"})"));
            assertEquals(1024.0, getMetrics(server, "mem", "sum(memory.usage)"));
            // kedify's REST query names the metric the same way.
            HttpResponse<String> memstore = server.postJson("/memstore/query",
                    "{\"query\":\"sum(" + spellings.get(0) + "{deployment=web})\",\"operationOverTime\":\"last_one\"}");
            assertTrue(memstore.body().contains("\"value\":3,"), memstore.body());

            // PromQL reaches every stored name: a legacy name as is, a UTF-8 one quoted or through __name__.
            boolean legacy = counter.indexOf('.') < 0;
            assertEquals("3", value(server, legacy ? "sum(" + counter + ")" : "sum({\"" + counter + "\"})"));
            assertEquals("3", value(server, "sum({__name__=\"" + counter + "\"})"));
            assertEquals("3", value(server, legacy ? "sum(" + counter + "{http_route=\"/a\"})"
                    : "sum({\"" + counter + "\", \"http.route\"=\"/a\"})"));

            assertEquals("{\"status\":\"success\",\"data\":{\"" + gauge + "\":[{\"type\":\"gauge\",\"help\":\"Memory in use.\","
                    + "\"unit\":\"bytes\"}]}}", server.get("/api/v1/metadata?metric=" + RunningServer.enc(gauge)).body());
            assertEquals("{\"status\":\"success\",\"data\":{\"" + histogram + "\":[{\"type\":\"histogram\",\"help\":\"Request duration.\","
                    + "\"unit\":\"seconds\"}]}}", server.get("/api/v1/metadata?metric=" + RunningServer.enc(histogram)).body());
            assertEquals("{\"status\":\"success\",\"data\":{\"" + counter + "\":[{\"type\":\"counter\",\"help\":\"Requests served.\","
                    + "\"unit\":\"\"}]}}", server.get("/api/v1/metadata?metric=" + RunningServer.enc(counter)).body());
            String all = server.get("/api/v1/metadata").body();
            assertTrue(all.startsWith("{\"status\":\"success\",\"data\":{\"") && all.contains("\"" + histogram + "\""), all);
            assertEquals("{\"status\":\"success\",\"data\":{}}", server.get("/api/v1/metadata?limit=0").body());
            String one = server.get("/api/v1/metadata?limit=1").body();
            assertEquals(1, one.split("\"type\"").length - 1, one);
            HttpResponse<String> bad = server.get("/api/v1/metadata?limit=some");
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("limit must be a number"), bad.body());
        }
    }

    /** With tenancy, a request carrying KEDA's namespace parameter lists only families that namespace has series of. */
    @org.junit.jupiter.api.Test
    void metadataIsScopedByTheNamespaceParameterUnderTenancy() throws Exception {
        try (RunningServer server = new RunningServer("--scaled-object-namespace-label=k8s_namespace_name", "--log-level=warn",
                "--otlp-translation-strategy=UnderscoreEscapingWithSuffixes")) {
            for (String ns : new String[] {"a", "b"}) {
                FakeOtelClock clock = new FakeOtelClock(System.currentTimeMillis() - 5_000);
                try (SdkMeterProvider p = SdkMeterProvider.builder().setClock(clock)
                        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("k8s.namespace.name"), ns)))
                        .registerMetricReader(PeriodicMetricReader.builder(OtlpGrpcMetricExporter.builder()
                                .setEndpoint(server.otlpEndpoint()).build()).setInterval(Duration.ofDays(1)).build())
                        .build()) {
                    p.get("e2e").histogramBuilder("only." + ns).setUnit("s").build().record(1);
                    assertTrue(p.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "OTLP export failed");
                }
            }
            String all = server.get("/api/v1/metadata").body();
            assertTrue(all.contains("\"only_a_seconds\"") && all.contains("\"only_b_seconds\""), all);
            // (The SDK's own otel_sdk_* self-metrics carry the same resource, so they are in namespace a too.)
            String scoped = server.get("/api/v1/metadata?namespace=a").body();
            assertTrue(scoped.contains("\"only_a_seconds\":[{\"type\":\"histogram\",\"help\":\"\",\"unit\":\"seconds\"}]")
                    && !scoped.contains("only_b"), scoped);
        }
    }

    /** POST /memstore/reset forgets the metadata with the series; the next export records it again. */
    @org.junit.jupiter.api.Test
    void resetForgetsTheMetadataAndTheNextExportRecordsItAgain() throws Exception {
        try (RunningServer server = new RunningServer("--memstore-reset-enabled=true", "--log-level=warn")) {
            Runnable export = () -> {
                FakeOtelClock clock = new FakeOtelClock(System.currentTimeMillis() - 5_000);
                try (SdkMeterProvider p = SdkMeterProvider.builder().setClock(clock)
                        .registerMetricReader(PeriodicMetricReader.builder(OtlpGrpcMetricExporter.builder()
                                .setEndpoint(server.otlpEndpoint()).build()).setInterval(Duration.ofDays(1)).build())
                        .build()) {
                    p.get("e2e").gaugeBuilder("queue.depth").setDescription("Jobs waiting.").build().set(4);
                    assertTrue(p.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "OTLP export failed");
                }
            };
            String expected = "{\"status\":\"success\",\"data\":{\"queue_depth\":[{\"type\":\"gauge\",\"help\":\"Jobs waiting.\",\"unit\":\"\"}]}}";
            export.run();
            assertEquals(expected, server.get("/api/v1/metadata?metric=queue_depth").body());
            assertEquals(200, server.postJson("/memstore/reset", "{}").statusCode());
            assertEquals("{\"status\":\"success\",\"data\":{}}", server.get("/api/v1/metadata").body());
            export.run();
            assertEquals(expected, server.get("/api/v1/metadata?metric=queue_depth").body());
        }
    }

    private static double getMetrics(RunningServer server, String name, String query) {
        ScaledObjectRef ref = ScaledObjectRef.newBuilder().setName(name).setNamespace("ns")
                .putAllScalerMetadata(Map.of("metricQuery", query, "targetValue", "1")).build();
        return server.scaler().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName("ns-" + name).build())
                .getMetricValues(0).getMetricValueFloat();
    }

    /** The value of an instant query with one sample. */
    private static String value(RunningServer server, String promql) throws Exception {
        HttpResponse<String> r = server.get("/api/v1/query?query=" + RunningServer.enc(promql));
        assertEquals(200, r.statusCode(), r.body());
        String body = r.body();
        assertTrue(body.contains("\"result\":[{"), promql + ": " + body);
        int v = body.lastIndexOf(",\"");
        return body.substring(v + 2, body.indexOf('"', v + 2));
    }
}
