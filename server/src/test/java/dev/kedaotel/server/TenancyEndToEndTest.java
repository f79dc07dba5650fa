package dev.kedaotel.server;

import dev.kedaotel.model.ManualTimeSource;
import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import dev.kedaotel.tsdb.Appender;
import dev.kedaotel.tsdb.SymbolTable;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCALED_OBJECT_NAMESPACE_LABEL on a started service, through its real interfaces: KEDA's gRPC
 * client, and java.net.http against the Prometheus API and kedify's /memstore endpoints with and
 * without KEDA's {@code namespace} parameter; and a service without the setting, which ignores it.
 */
class TenancyEndToEndTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final long NOW_S = System.currentTimeMillis() / 1000;
    private static final ManualTimeSource TIME = new ManualTimeSource(NOW_S * 1000);
    private static KedaOtelScaler scoped;
    private static KedaOtelScaler unscoped;

    @BeforeAll
    static void start() throws IOException {
        scoped = launch("--scaled-object-namespace-label=k8s_namespace_name");
        unscoped = launch();
    }

    private static KedaOtelScaler launch(String... extra) throws IOException {
        String[] base = {"--otlp-receiver-port=0", "--keda-external-scaler-port=0", "--rest-api-port=0",
            "--internal-metrics-port=0", "--no-banner", "--log-level=warn", "--metric-store-value-if-not-found=-7",
            "--metric-store-warm-up-seconds=0"}; // about scoping: answers at once
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        KedaOtelScaler app = KedaOtelScaler.start(Config.load(args, new HashMap<>()), TIME);
        load(app);
        return app;
    }

    /** a: x = 1 + 2, y = 10; b: x = 100 + 200, y = 1000 (with a label only b has); no namespace: x = 5000. */
    private static void load(KedaOtelScaler app) {
        SymbolTable sym = app.store().symbols();
        Appender a = app.store().newAppender();
        String[][] series = {
            {"x", "k8s_namespace_name", "a", "pod", "p1"},
            {"x", "k8s_namespace_name", "a", "pod", "p2"},
            {"x", "k8s_namespace_name", "b", "pod", "p1"},
            {"x", "k8s_namespace_name", "b", "pod", "p3"},
            {"x", "pod", "p9"},
            {"y", "k8s_namespace_name", "a", "pod", "p1"},
            {"y", "k8s_namespace_name", "b", "only_b", "secret-ish"},
        };
        double[] values = {1, 2, 100, 200, 5000, 10, 1000};
        for (int s = 0; s < series.length; s++) {
            for (int i = 6; i >= 0; i--) {
                a.labels().clear();
                a.labels().add(sym.intern("__name__"), sym.intern(series[s][0]));
                for (int l = 1; l < series[s].length; l += 2) {
                    a.labels().add(sym.intern(series[s][l]), sym.intern(series[s][l + 1]));
                }
                a.append((NOW_S - i * 10L) * 1000, values[s]);
            }
        }
        a.commit();
    }

    @AfterAll
    static void stop() {
        for (KedaOtelScaler app : new KedaOtelScaler[] {scoped, unscoped}) {
            if (app != null) {
                app.close();
            }
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(KedaOtelScaler app, String pathAndQuery) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> postJson(KedaOtelScaler app, String pathAndQuery, String json)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + pathAndQuery))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An instant query's answer body, which must be 200. */
    private static String query(KedaOtelScaler app, String promql, String namespace) throws Exception {
        HttpResponse<String> r = get(app, "/api/v1/query?query=" + enc(promql) + "&time=" + NOW_S
                + (namespace == null ? "" : "&namespace=" + enc(namespace)));
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static String oneValue(String value) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[" + NOW_S
                + ",\"" + value + "\"]}]}}";
    }

    private static final String EMPTY = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";

    @Test
    void kedaPrometheusTriggerWithNamespaceSeesOnlyThatNamespace() throws Exception {
        assertEquals(oneValue("3"), query(scoped, "sum(x)", "a"));
        assertEquals(oneValue("300"), query(scoped, "sum(x)", "b"));
        assertEquals(EMPTY, query(scoped, "sum(x)", "c"));
        assertEquals(EMPTY, query(scoped, "sum(x{k8s_namespace_name=\"b\"})", "a"));
        assertEquals(oneValue("3"), query(scoped, "sum(x{k8s_namespace_name=~\"a|b\"})", "a"));
        assertEquals(oneValue("3"), query(scoped, "sum(x) or sum(y{k8s_namespace_name=\"b\"})", "a"));
        assertEquals(oneValue("1"), query(scoped, "absent(x{k8s_namespace_name=\"b\"})", "a"));
        assertEquals(oneValue("3"),
                query(scoped, "sum(label_replace(x, \"k8s_namespace_name\", \"a\", \"k8s_namespace_name\", \".*\"))", "a"));
        assertEquals(oneValue("10"), query(scoped, "max_over_time(sum(y)[1m:10s])", "a"));
        // A POSTed form carries it too.
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + scoped.httpPort() + "/api/v1/query"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("query=" + enc("sum(x)") + "&time=" + NOW_S + "&namespace=a")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(oneValue("3"), post.body());
    }

    @Test
    void withoutTheParameterTheApiIsUnscoped() throws Exception {
        assertEquals(oneValue("5303"), query(scoped, "sum(x)", null));
        assertEquals(oneValue("300"), query(scoped, "sum(x{k8s_namespace_name=\"b\"})", null));
    }

    @Test
    void anEmptyNamespaceParameterIsBadData() throws Exception {
        HttpResponse<String> r = get(scoped, "/api/v1/query?query=sum(x)&namespace=");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("\"errorType\":\"bad_data\"") && r.body().contains("invalid parameter \\\"namespace\\\""), r.body());
        assertEquals(400, get(scoped, "/api/v1/labels?namespace=").statusCode());
    }

    @Test
    void queryRangeIsScoped() throws Exception {
        HttpResponse<String> r = get(scoped, "/api/v1/query_range?query=" + enc("sum(x)") + "&start=" + (NOW_S - 20) + "&end=" + NOW_S
                + "&step=10&namespace=a");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[["
                + (NOW_S - 20) + ",\"3\"],[" + (NOW_S - 10) + ",\"3\"],[" + NOW_S + ",\"3\"]]}]}}", r.body());
    }

    @Test
    void seriesLabelsAndLabelValuesAreScoped() throws Exception {
        String series = get(scoped, "/api/v1/series?match[]=" + enc("x") + "&match[]=" + enc("{k8s_namespace_name=\"b\"}")
                + "&namespace=a").body();
        assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"x\",\"k8s_namespace_name\":\"a\",\"pod\":\"p1\"},"
                + "{\"__name__\":\"x\",\"k8s_namespace_name\":\"a\",\"pod\":\"p2\"}]}", series);

        assertEquals("{\"status\":\"success\",\"data\":[\"__name__\",\"k8s_namespace_name\",\"pod\"]}",
                get(scoped, "/api/v1/labels?namespace=a").body());
        assertTrue(get(scoped, "/api/v1/labels").body().contains("only_b"));
        assertEquals("{\"status\":\"success\",\"data\":[\"p1\",\"p2\"]}", get(scoped, "/api/v1/label/pod/values?namespace=a").body());
        assertEquals("{\"status\":\"success\",\"data\":[\"p1\",\"p2\",\"p3\",\"p9\"]}", get(scoped, "/api/v1/label/pod/values").body());
        assertEquals("{\"status\":\"success\",\"data\":[\"a\"]}",
                get(scoped, "/api/v1/label/k8s_namespace_name/values?namespace=a").body());
        assertEquals("{\"status\":\"success\",\"data\":[\"x\"]}",
                get(scoped, "/api/v1/label/__name__/values?match[]=" + enc("{pod=\"p2\"}") + "&namespace=a").body());
        assertEquals("{\"status\":\"success\",\"data\":[]}",
                get(scoped, "/api/v1/label/only_b/values?namespace=a").body());
    }

    @Test
    void memstoreEndpointsAreScoped() throws Exception {
        HttpResponse<String> q = postJson(scoped, "/memstore/query?namespace=a", "{\"query\":\"x\",\"operationOverTime\":\"last_one\"}");
        assertEquals(200, q.statusCode(), q.body());
        assertTrue(q.body().contains("\"value\":3"), q.body());
        assertTrue(q.body().contains("\"promql\":\"sum(last_over_time(x{k8s_namespace_name=\\\"a\\\"}[2m]))\""), q.body());
        assertTrue(postJson(scoped, "/memstore/query", "{\"query\":\"x\",\"operationOverTime\":\"last_one\"}").body()
                .contains("\"value\":5303"));
        String data = get(scoped, "/memstore/data?namespace=a").body();
        assertTrue(data.contains("\"p2\"") && !data.contains("\"p3\"") && !data.contains("\"p9\"") && !data.contains("only_b"), data);
        assertEquals("[\"x\",\"y\"]", get(scoped, "/memstore/names?namespace=a").body());
        assertEquals("[]", get(scoped, "/memstore/names?namespace=c").body());
        assertEquals(400, get(scoped, "/memstore/names?namespace=").statusCode());
    }

    @Test
    void scaledObjectsAreScopedAndListedWithTheScopedQuery() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", scoped.scalerPort()).usePlaintext().build();
        try {
            ExternalScalerGrpc.ExternalScalerBlockingStub stub = ExternalScalerGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS);
            Map<String, Double> expected = Map.of(
                    "sum(x)", 3.0,
                    "sum(x{k8s_namespace_name=\"b\"})", -7.0,
                    "sum(x{k8s_namespace_name=~\".+\"}) + 0", 3.0,
                    "absent(x{k8s_namespace_name=\"b\"})", 1.0,
                    "x{k8s_namespace_name=b}", -7.0);
            int i = 0;
            for (Map.Entry<String, Double> e : expected.entrySet()) {
                ScaledObjectRef ref = ScaledObjectRef.newBuilder().setNamespace("a").setName("so" + i++)
                        .putScalerMetadata("metricQuery", e.getKey()).putScalerMetadata("targetValue", "1").build();
                double v = stub.getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName("m").build())
                        .getMetricValues(0).getMetricValueFloat();
                assertEquals(e.getValue(), v, 1e-9, e.getKey());
            }
        } finally {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
        String listed = get(scoped, "/memstore/scaledobjects").body();
        assertTrue(listed.contains("\"metricQuery\":\"sum(x)\",\"promql\":\"sum(last_over_time(x{k8s_namespace_name=\\\"a\\\"}[2m]))\""),
                listed);
        assertTrue(listed.contains("\"promql\":\"absent(x{k8s_namespace_name=\\\"a\\\",k8s_namespace_name=\\\"b\\\"})\""), listed);
    }

    @Test
    void withTheSettingOffTheParameterIsIgnored() throws Exception {
        assertEquals(oneValue("5303"), query(unscoped, "sum(x)", "a"));
        assertEquals(oneValue("5303"), query(unscoped, "sum(x)", ""));
        assertTrue(get(unscoped, "/api/v1/labels?namespace=a").body().contains("only_b"));
    }

    @Test
    void aBadLabelNameStopsStartupNamingTheSetting() {
        Config.ConfigException e = assertThrows(Config.ConfigException.class, () -> Config.load(
                new String[] {"--scaled-object-namespace-label=k8s.namespace.name"}, new HashMap<>()).get(Setting.SCALED_OBJECT_NAMESPACE_LABEL));
        assertTrue(e.getMessage().startsWith("SCALED_OBJECT_NAMESPACE_LABEL must be a Prometheus label name"), e.getMessage());
        assertTrue(e.getMessage().contains("stored as the label k8s_namespace_name"), e.getMessage());
        Config.ConfigException reserved = assertThrows(Config.ConfigException.class, () -> Config.load(
                new String[0], Map.of("SCALED_OBJECT_NAMESPACE_LABEL", "__name__")).get(Setting.SCALED_OBJECT_NAMESPACE_LABEL));
        assertTrue(reserved.getMessage().contains("SCALED_OBJECT_NAMESPACE_LABEL must not be a reserved label name"), reserved.getMessage());
        assertEquals("", Config.load(new String[0], new HashMap<>()).get(Setting.SCALED_OBJECT_NAMESPACE_LABEL));
        assertFalse(Config.helpText().isEmpty());
        assertTrue(Config.helpText().contains("--scaled-object-namespace-label"));
    }
}
