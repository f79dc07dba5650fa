package dev.kedaotel.server.http;

import dev.kedaotel.server.Config;
import dev.kedaotel.model.ManualTimeSource;
import dev.kedaotel.server.KedaOtelScaler;
import dev.kedaotel.tsdb.Appender;
import dev.kedaotel.tsdb.SymbolTable;
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
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Prometheus HTTP API as its clients call it, over real HTTP against a started service: GET and
 * POST forms, time formats, timeout and sample limits, {@code limit}, error shapes, and the exact calls
 * of Grafana's "Save &amp; test" and metric browser and of KEDA's prometheus trigger.
 */
class PrometheusApiTest {
    private static KedaOtelScaler app;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Whole seconds, so expected timestamps are exact. */
    private static final long NOW_S = System.currentTimeMillis() / 1000;
    /** The service's clock: stands still at NOW_S unless a test moves it. */
    private static final ManualTimeSource TIME = new ManualTimeSource(NOW_S * 1000);

    @BeforeAll
    static void start() throws IOException {
        String[] args = {"--otlp-receiver-port=0", "--keda-external-scaler-port=0", "--rest-api-port=0",
            "--internal-metrics-port=0", "--no-banner", "--log-level=warn", "--metric-store-retention-seconds=3600",
            "--lookback-delta-seconds=300", "--query-max-samples=5000"};
        app = KedaOtelScaler.start(Config.load(args, new HashMap<>()), TIME);
        SymbolTable sym = app.store().symbols();
        Appender a = app.store().newAppender();
        // http_requests_total for two namespaces x two pods, +1/s for 10 minutes, one sample per 10 s.
        for (String ns : new String[] {"x", "y"}) {
            for (String pod : new String[] {"a", "b"}) {
                for (int i = 60; i >= 0; i--) {
                    a.labels().clear();
                    a.labels().add(sym.intern("__name__"), sym.intern("http_requests_total"));
                    a.labels().add(sym.intern("namespace"), sym.intern(ns));
                    a.labels().add(sym.intern("pod"), sym.intern(pod));
                    a.append((NOW_S - i * 10L) * 1000, (60 - i) * 10.0);
                }
            }
        }
        // An old series: its only sample is 40 minutes old.
        a.labels().clear();
        a.labels().add(sym.intern("__name__"), sym.intern("old_metric"));
        a.labels().add(sym.intern("job"), sym.intern("old"));
        a.append((NOW_S - 2400) * 1000, 1);
        a.commit();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String... kv) throws IOException, InterruptedException {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            form.append(form.length() > 0 ? "&" : "").append(enc(kv[i])).append('=').append(enc(kv[i + 1]));
        }
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void grafanaSaveAndTestIsAPostedOnePlusOne() throws Exception {
        HttpResponse<String> r = post("/api/v1/query", "query", "1+1", "time", NOW_S + ".123");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[" + NOW_S + ".123,\"2\"]}}", r.body());
    }

    @Test
    void kedaPrometheusTriggerQueryShape() throws Exception {
        // KEDA's prometheus scaler: GET with query and an RFC 3339 time; it needs a one-element vector.
        String time = Instant.ofEpochSecond(NOW_S).toString();
        HttpResponse<String> r = get("/api/v1/query?query=" + enc("sum(rate(http_requests_total{namespace=\"x\"}[1m]))")
                + "&time=" + enc(time));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":["
                + NOW_S + ",\"2\"]}]}}", r.body());
    }

    @Test
    void kedaPrometheusTriggerFullRequestWithNamespaceAndCustomQueryParameters() throws Exception {
        // KEDA's prometheus scaler builds "<serverAddress>/api/v1/query?query=<url.QueryEscape>&time=<RFC 3339, UTC, whole
        // seconds>", appends "&namespace=<ns>" when its namespace metadata is set, then every queryParameters pair, and
        // sends customHeaders. Tenancy is off here: namespace and the custom parameters are ignored, never an error.
        String time = Instant.ofEpochSecond(NOW_S).toString(); // e.g. 2026-12-03T07:30:00Z, Go's time.RFC3339 in UTC
        String url = "/api/v1/query?query=" + enc("sum(rate(http_requests_total{namespace=\"x\"}[1m]))") + "&time=" + time
                + "&namespace=x&dedup=false&partial_response=true";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + url))
                .header("X-Scope-OrgID", "team-a").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":["
                + NOW_S + ",\"2\"]}]}}", r.body());
        // KEDA errors on more than one element; with no data at all "or vector(0)" keeps it at exactly one.
        HttpResponse<String> none = get("/api/v1/query?query=" + enc("sum(rate(no_such_metric[1m])) or vector(0)") + "&time=" + time);
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":["
                + NOW_S + ",\"0\"]}]}}", none.body());
    }

    @Test
    void timeAcceptsRfc3339AndUnixSecondsAlike() throws Exception {
        String q = "query=" + enc("http_requests_total{namespace=\"x\",pod=\"a\"}");
        String unix = get("/api/v1/query?" + q + "&time=" + (NOW_S - 95)).body();
        String rfc = get("/api/v1/query?" + q + "&time=" + enc(Instant.ofEpochSecond(NOW_S - 95).toString())).body();
        String offset = get("/api/v1/query?" + q + "&time=" + enc(Instant.ofEpochSecond(NOW_S - 95).atOffset(java.time.ZoneOffset.ofHours(2)).toString())).body();
        assertTrue(unix.contains("\"value\":[" + (NOW_S - 95) + ",\"500\"]"), unix);
        assertEquals(unix, rfc);
        assertEquals(unix, offset);
        HttpResponse<String> bad = get("/api/v1/query?" + q + "&time=yesterday");
        assertEquals(400, bad.statusCode());
        assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"time\\\": cannot parse \\\"yesterday\\\" to a valid timestamp\"}", bad.body());
    }

    @Test
    void queryRangeByGetAndPostGiveTheSameMatrix() throws Exception {
        String q = "sum by (namespace) (rate(http_requests_total[1m]))";
        String start = Long.toString(NOW_S - 120);
        String end = Long.toString(NOW_S);
        HttpResponse<String> g = get("/api/v1/query_range?query=" + enc(q) + "&start=" + start + "&end=" + end + "&step=1m");
        HttpResponse<String> p = post("/api/v1/query_range", "query", q, "start", start, "end", end, "step", "60");
        assertEquals(200, g.statusCode(), g.body());
        assertEquals(g.body(), p.body());
        assertTrue(g.body().startsWith("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"namespace\":\"x\"},\"values\":[["
                + (NOW_S - 120) + ",\"2\"],[" + (NOW_S - 60) + ",\"2\"],[" + NOW_S + ",\"2\"]]}"), g.body());
    }

    @Test
    void parseErrorsAreBadDataInPrometheusWords() throws Exception {
        HttpResponse<String> r = post("/api/v1/query", "query", "sum(");
        assertEquals(400, r.statusCode());
        assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"query\\\": 1:5: parse error: unclosed left parenthesis\"}", r.body());
        HttpResponse<String> range = post("/api/v1/query_range", "query", "sum(", "start", "1", "end", "2", "step", "1");
        assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unclosed left parenthesis\"}", range.body());
        HttpResponse<String> missing = get("/api/v1/query");
        assertEquals(400, missing.statusCode());
        assertTrue(missing.body().contains("\"errorType\":\"bad_data\""), missing.body());
        HttpResponse<String> exec = post("/api/v1/query", "query", "http_requests_total + on(namespace) http_requests_total");
        assertEquals(422, exec.statusCode());
        assertTrue(exec.body().contains("\"errorType\":\"execution\""), exec.body());
    }

    @Test
    void timeoutParameterEndsASlowQueryWith503() throws Exception {
        // Every read of the service's monotonic clock now moves it 1 s: the deadline of a 5 s timeout
        // passes at a fixed point of the evaluation, however fast or loaded the machine is.
        TIME.autoAdvanceNanos(1_000_000_000L);
        try {
            HttpResponse<String> r = post("/api/v1/query_range", "query", "count_over_time(vector(1)[4s:1ms])",
                    "start", Long.toString(NOW_S - 499), "end", Long.toString(NOW_S), "step", "1", "timeout", "5s");
            assertEquals(503, r.statusCode(), r.body());
            assertEquals("{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in query execution\"}", r.body());
        } finally {
            TIME.autoAdvanceNanos(0);
        }
        HttpResponse<String> fine = post("/api/v1/query", "query", "count_over_time(vector(1)[4s:1ms])", "timeout", "5s");
        assertEquals(200, fine.statusCode(), fine.body());
        HttpResponse<String> bad = post("/api/v1/query", "query", "1", "timeout", "soon");
        assertEquals(400, bad.statusCode());
        assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"timeout\\\": cannot parse \\\"soon\\\" to a valid duration\"}", bad.body());
    }

    /** One duration grammar for the API and PromQL, with Prometheus 2.42's verdicts and words. */
    @Test
    void durationsAreBadDataWhenMalformedOrOverflowingInEveryPlace() throws Exception {
        String[][] cases = {
            {"99999999999999y", "cannot parse \\\"99999999999999y\\\" to a valid duration"},
            {"1e15", "cannot parse \\\"1e15\\\" to a valid duration. It overflows int64"},
            {"1s1m", "cannot parse \\\"1s1m\\\" to a valid duration"},
            {"1x", "cannot parse \\\"1x\\\" to a valid duration"},
        };
        for (String[] c : cases) {
            HttpResponse<String> r = post("/api/v1/query_range", "query", "1", "start", "1", "end", "2", "step", c[0]);
            assertEquals(400, r.statusCode(), c[0] + ": " + r.body());
            assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"step\\\": " + c[1] + "\"}",
                    r.body(), c[0]);
        }
        // The same text in a range selector gets the same verdict, in the parser's words.
        HttpResponse<String> range = post("/api/v1/query", "query", "rate(http_requests_total[1s1m])");
        assertEquals(400, range.statusCode());
        assertTrue(range.body().contains("not a valid duration string: \\\"1s1m\\\""), range.body());
        HttpResponse<String> huge = post("/api/v1/query", "query", "http_requests_total offset 99999999999999y");
        assertEquals(400, huge.statusCode());
        assertTrue(huge.body().contains("duration out of range"), huge.body());
        // What Java would have read as a double is a Prometheus duration: "1d" is a day, not a second.
        HttpResponse<String> day = post("/api/v1/query_range", "query", "1", "start", Long.toString(NOW_S - 86_400),
                "end", Long.toString(NOW_S), "step", "1d");
        assertEquals(200, day.statusCode(), day.body());
        assertTrue(day.body().contains("\"values\":[[" + (NOW_S - 86_400) + ",\"1\"],[" + NOW_S + ",\"1\"]]"), day.body());
        // Far-apart bounds no longer overflow the points-per-series check.
        HttpResponse<String> wide = post("/api/v1/query_range", "query", "1", "start", "-9e15", "end", "9e15", "step", "1000000");
        assertEquals(400, wide.statusCode(), wide.body());
        assertTrue(wide.body().contains("exceeded maximum resolution of 11,000 points per timeseries"), wide.body());
    }

    @Test
    void sampleLimitIsAnExecutionError() throws Exception {
        // 4 series x 61 samples fit in 5000; a subquery holding 4 x 6000 points does not.
        assertEquals(200, post("/api/v1/query", "query", "sum(count_over_time(http_requests_total[10m]))").statusCode());
        HttpResponse<String> r = post("/api/v1/query", "query", "sum(count_over_time(http_requests_total[10m:100ms]))");
        assertEquals(422, r.statusCode(), r.body());
        assertEquals("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query processing would load too many samples into memory in query execution\"}", r.body());
    }

    @Test
    void grafanaMetricBrowserCalls() throws Exception {
        String start = Long.toString(NOW_S - 3600);
        String end = Long.toString(NOW_S);
        HttpResponse<String> names = get("/api/v1/label/__name__/values?start=" + start + "&end=" + end);
        assertEquals("{\"status\":\"success\",\"data\":[\"http_requests_total\",\"old_metric\"]}", names.body());
        HttpResponse<String> labels = post("/api/v1/labels", "start", start, "end", end, "match[]", "http_requests_total");
        assertEquals("{\"status\":\"success\",\"data\":[\"__name__\",\"namespace\",\"pod\"]}", labels.body());
        HttpResponse<String> series = post("/api/v1/series", "match[]", "http_requests_total{pod=\"a\"}", "start", start, "end", end);
        assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"http_requests_total\",\"namespace\":\"x\",\"pod\":\"a\"},"
                + "{\"__name__\":\"http_requests_total\",\"namespace\":\"y\",\"pod\":\"a\"}]}", series.body());
        assertEquals("{\"status\":\"success\",\"data\":{}}", get("/api/v1/metadata").body());
        String build = get("/api/v1/status/buildinfo").body();
        assertTrue(build.contains("\"version\""), build);
        assertFalse(build.contains("features"), "Grafana would take us for Mimir: " + build);
    }

    /** Prometheus 2.42's answers with nothing configured (captured from it; the conformance module compares live). */
    @Test
    void rulesAlertsTargetsAndConfigAnswerAsAnUnconfiguredPrometheus() throws Exception {
        assertEquals("{\"status\":\"success\",\"data\":{\"groups\":[]}}", get("/api/v1/rules").body());
        assertEquals("{\"status\":\"success\",\"data\":{\"groups\":[]}}", get("/api/v1/rules?type=ALERT").body());
        assertEquals("{\"status\":\"success\",\"data\":{\"groups\":[]}}", get("/api/v1/rules?type=record").body());
        HttpResponse<String> badType = get("/api/v1/rules?type=Foo");
        assertEquals(400, badType.statusCode());
        assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"type\\\": not supported value \\\"foo\\\"\"}",
                badType.body());
        assertEquals("{\"status\":\"success\",\"data\":{\"alerts\":[]}}", get("/api/v1/alerts").body());
        assertEquals("{\"status\":\"success\",\"data\":{\"activeTargets\":[],\"droppedTargets\":[]}}", get("/api/v1/targets").body());
        HttpResponse<String> config = get("/api/v1/status/config");
        assertEquals(200, config.statusCode());
        assertEquals("application/json", config.headers().firstValue("Content-Type").orElse(""));
        assertEquals(Map.of("yaml", PrometheusApi.CONFIG_YAML), ((Map<?, ?>) JsonReader.parse(config.body())).get("data"));
        assertTrue(PrometheusApi.CONFIG_YAML.contains("no Prometheus configuration"), PrometheusApi.CONFIG_YAML);
        assertEquals(405, post("/api/v1/rules").statusCode(), "GET only, as in Prometheus");
    }

    @Test
    void startAndEndRestrictMetadataToSeriesWithSamplesInTheWindow() throws Exception {
        String recent = "start=" + (NOW_S - 600) + "&end=" + NOW_S;
        assertEquals("{\"status\":\"success\",\"data\":[\"http_requests_total\"]}", get("/api/v1/label/__name__/values?" + recent).body());
        assertEquals("{\"status\":\"success\",\"data\":[]}", get("/api/v1/series?match[]=old_metric&" + recent).body());
        assertEquals("{\"status\":\"success\",\"data\":[\"old\"]}", get("/api/v1/label/job/values").body());
        // Prometheus' own "unbounded" markers, as client_golang formats its min/max time.
        assertEquals("{\"status\":\"success\",\"data\":[\"http_requests_total\",\"old_metric\"]}",
                get("/api/v1/label/__name__/values?start=" + enc("-292275055-05-16T16:47:04.192Z") + "&end="
                        + enc("292277025-08-18T07:12:54.999Z")).body());
        HttpResponse<String> inverted = get("/api/v1/labels?start=" + NOW_S + "&end=" + (NOW_S - 1));
        assertEquals(400, inverted.statusCode());
    }

    @Test
    void limitTruncatesWithAWarning() throws Exception {
        assertEquals("{\"status\":\"success\",\"data\":[\"x\"],\"warnings\":[\"results truncated due to limit\"]}",
                get("/api/v1/label/namespace/values?limit=1").body());
        assertEquals("{\"status\":\"success\",\"data\":[\"x\",\"y\"]}", get("/api/v1/label/namespace/values?limit=2").body());
        HttpResponse<String> series = post("/api/v1/series", "match[]", "http_requests_total", "limit", "3");
        assertTrue(series.body().endsWith("],\"warnings\":[\"results truncated due to limit\"]}"), series.body());
        assertEquals(3, series.body().split("\"__name__\"").length - 1);
        HttpResponse<String> query = post("/api/v1/query", "query", "http_requests_total", "time", Long.toString(NOW_S), "limit", "1");
        assertEquals(1, query.body().split("\"metric\"").length - 1, query.body());
        assertTrue(query.body().contains("\"warnings\":[\"results truncated due to limit\"]"), query.body());
        HttpResponse<String> negative = get("/api/v1/labels?limit=-1");
        assertEquals(400, negative.statusCode());
        assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"limit\\\": limit must be non-negative\"}", negative.body());
    }

    @Test
    void formatQueryAndExemplars() throws Exception {
        assertEquals("{\"status\":\"success\",\"data\":\"sum by (pod) (rate(x[5m]))\"}",
                post("/api/v1/format_query", "query", "sum(rate(x[5m]))by(pod)").body());
        assertEquals("{\"status\":\"success\",\"data\":[]}", get("/api/v1/query_exemplars?query=x&start=1&end=2").body());
    }
}
