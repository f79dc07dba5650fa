package dev.kedaotel.server;

import dev.kedaotel.model.ManualTimeSource;
import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The status page and the query explorer as a browser renders them: the whole service on a manual clock,
 * real OTLP/gRPC pushes, a real KEDA gRPC client (GetMetrics for one ScaledObject, a StreamIsActive stream for
 * another, and one whose name and query are markup), and headless Chromium loading {@code /ui} and
 * {@code /ui/explore}; assertions on the DOM Chromium serialises after the page loaded. Screenshots go to
 * {@code server/target/ui-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageBrowserTest {
    private static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
    private static final String HOSTILE_NAME = "<script>alert(1)</script>";
    private static final String HOSTILE_NAMESPACE = "tenant\"'&";
    private static final String HOSTILE_QUERY = "sum(vllm:num_requests_running{deployment=\"<img src=x onerror=alert(2)>\"})";

    private final ManualTimeSource time = new ManualTimeSource(START);
    private RunningServer server;
    private final LinkedBlockingQueue<IsActiveResponse> pushes = new LinkedBlockingQueue<>();
    private double llamaValue;
    /** Times (epoch ms) the mistral stream's flips were pushed: at the clock's value when each was sent. */
    private long firstPushMs;
    private long flipPushMs;

    private static final ScaledObjectRef LLAMA = ScaledObjectRef.newBuilder().setNamespace("models").setName("llama")
            .putAllScalerMetadata(Map.of("metricQuery", "sum(vllm:num_requests_running{deployment=llama})", "targetValue", "4",
                    "activationTargetValue", "1", "clampMax", "50", "operationOverTime", "last_one"))
            .build();
    private static final ScaledObjectRef MISTRAL = ScaledObjectRef.newBuilder().setNamespace("models").setName("mistral")
            .putAllScalerMetadata(Map.of("metricQuery", "sum(vllm:num_requests_running{deployment=\"mistral\"})", "targetValue", "2",
                    "activationTargetValue", "3"))
            .build();
    private static final ScaledObjectRef HOSTILE = ScaledObjectRef.newBuilder().setNamespace(HOSTILE_NAMESPACE).setName(HOSTILE_NAME)
            .putAllScalerMetadata(Map.of("metricQuery", HOSTILE_QUERY, "targetValue", "1")).build();

    @BeforeAll
    void startAndDrive() throws Exception {
        HeadlessChromium.assumeAvailable();
        server = RunningServer.on(time, OptionalLong.empty());
        advance(1_000);
        push("llama", "a", 1);
        push("mistral", "m", 1);
        server.scalerAsync().streamIsActive(MISTRAL, new StreamObserver<>() {
            @Override
            public void onNext(IsActiveResponse value) {
                pushes.add(value);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        assertFalse(nextPush().getResult(), "1 is not above the activation target 3");
        firstPushMs = time.wallMillis();
        // A load wave over 90 s: llama's two pods every 3 s; mistral rises above its activation target once.
        for (int i = 1; i <= 30; i++) {
            advance(3_000);
            push("llama", "a", 2 + (i % 6));
            push("llama", "b", i / 6.0);
            if (i == 20) {
                push("mistral", "m", 6);
                assertTrue(nextPush().getResult(), "6 is above the activation target 3: pushed at once");
                flipPushMs = time.wallMillis();
            }
        }
        // One point far ahead of the server's clock: rejected (too_far_in_future), shown under store health.
        export("llama", "c", 1, time.wallMillis() + 3_600_000);
        llamaValue = server.scaler().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(LLAMA)
                .setMetricName("models-llama").build()).getMetricValues(0).getMetricValueFloat();
        server.scaler().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(HOSTILE).setMetricName("x").build());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void advance(long ms) {
        time.advanceMillis(ms);
    }

    private IsActiveResponse nextPush() throws InterruptedException {
        IsActiveResponse r = pushes.poll(10, TimeUnit.SECONDS);
        assertNotNull(r, "no StreamIsActive push within 10 s");
        return r;
    }

    private void push(String deployment, String pod, double value) {
        export(deployment, pod, value, time.wallMillis());
    }

    private void export(String deployment, String pod, double value, long atMs) {
        NumberDataPoint dp = NumberDataPoint.newBuilder().setTimeUnixNano(atMs * 1_000_000L).setAsDouble(value)
                .addAttributes(attr("deployment", deployment)).addAttributes(attr("pod", pod)).build();
        Metric m = Metric.newBuilder().setName("vllm:num_requests_running").setGauge(Gauge.newBuilder().addDataPoints(dp)).build();
        ExportMetricsServiceResponse ignored = MetricsServiceGrpc.newBlockingStub(server.otlpChannel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .export(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(m))).build());
    }

    private static KeyValue attr(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    private String url(String pathAndQuery) {
        return server.httpBase() + pathAndQuery;
    }

    /** Occurrences of {@code needle} (none of the needles here can overlap itself). */
    private static int count(String haystack, String needle) {
        return haystack.split(Pattern.quote(needle), -1).length - 1;
    }

    @Test
    void theStatusPageShowsEveryScaledObjectItsQueryValueReplicasPushesAndTheStoreHealth() throws Exception {
        String dom = HeadlessChromium.dumpDom(url("/ui?refresh=off"));
        HeadlessChromium.screenshot(url("/ui?refresh=off"), SCREENSHOTS.resolve("status-page.png"));

        assertEquals(7.0, llamaValue, "a=2+(30%6)=2 and b=30/6=5");
        assertTrue(dom.contains("models / llama <span class=\"badge\">external</span>"), dom);
        assertTrue(dom.contains("models / mistral <span class=\"badge\">external-push</span>"), dom);
        assertTrue(dom.contains("<code class=\"promql\">sum(last_over_time(vllm:num_requests_running{deployment=\"llama\"}[2m]))</code>"),
                "the kedify query's compiled PromQL");
        assertTrue(dom.contains("<td class=\"value\">7 "), "llama's value as KEDA got it");
        assertTrue(dom.contains("ceil(7 / 4) = <b>2</b>"), "the HPA formula for llama");
        assertTrue(dom.contains("ceil(6 / 2) = <b>3</b>"), "and for mistral");
        assertTrue(dom.contains("<th>last call</th><td>" + Instant.ofEpochMilli(time.wallMillis()) + " GetMetrics</td>"), "llama was polled last now");
        assertTrue(dom.contains("<th>clamps</th><td>[-Inf, 50]</td>"));

        // mistral's pushes, newest first, at the clock's time when each was sent
        assertTrue(dom.contains("<tr><td>" + Instant.ofEpochMilli(flipPushMs) + "</td><td>true</td><td>6</td></tr><tr><td>"
                + Instant.ofEpochMilli(firstPushMs) + "</td><td>false</td><td>1</td></tr></tbody></table>"), dom);

        // a sparkline per ScaledObject: inline SVG drawn by the server
        assertEquals(3, count(dom, "<svg"), "three ScaledObjects, three sparklines");
        assertTrue(count(dom, "<polyline") >= 2, "llama's and mistral's lines");

        // store health
        assertTrue(dom.contains("<th>Series</th><td>" + server.app.store().seriesCount() + "</td>"), "series count");
        assertTrue(dom.contains("<td id=\"rejections\">too_far_in_future: 1</td>"), "rejections by reason");
        assertTrue(dom.contains("<th>Warm-up</th><td>complete"), "warm-up state");
        assertTrue(dom.contains("<th>Persistence</th><td>off (METRIC_STORE_DATA_DIR unset)</td>"));
        assertTrue(dom.contains("<th>Ingest rate</th>"));
    }

    @Test
    void markupInANameNamespaceOrQueryIsShownAsTextNeverAsElements() throws Exception {
        String dom = HeadlessChromium.dumpDom(url("/ui"));
        assertTrue(dom.contains("tenant\"'&amp; / &lt;script&gt;alert(1)&lt;/script&gt;"), "the name and namespace as text");
        assertTrue(dom.contains("deployment=\"&lt;img src=x onerror=alert(2)&gt;\""), "the query as text");
        assertEquals(1, count(dom, "<script"), "only the page's own auto-refresh script is an element");
        assertEquals(0, count(dom, "<img"), "no image element from the query");
        assertFalse(dom.contains("onerror=alert(2)>"), "no unescaped markup anywhere");
    }

    @Test
    void theExplorerCompilesAKedifyQueryAsTheScalerDoesAndShowsValueSeriesAndGraph() throws Exception {
        String q = "/ui/explore?syntax=kedify&operationOverTime=max&q="
                + RunningServer.enc("sum(vllm:num_requests_running{deployment=llama})");
        String dom = HeadlessChromium.dumpDom(url(q));
        HeadlessChromium.screenshot(url(q), SCREENSHOTS.resolve("query-explorer.png"));

        String compiled = "sum(max_over_time(vllm:num_requests_running{deployment=\"llama\"}[2m]))";
        assertTrue(dom.contains("<code id=\"compiled\">" + compiled + "</code>"), dom);
        String api = server.get("/api/v1/query?query=" + RunningServer.enc(compiled)).body();
        Matcher v = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]").matcher(api);
        assertTrue(v.find(), api);
        assertTrue(dom.contains("<b id=\"value\">" + v.group(1) + "</b>"), "the value /api/v1/query gives: " + v.group(1));
        assertTrue(dom.contains("<table id=\"series\">"));
        assertTrue(dom.contains("<div id=\"graph\"><svg"));
        assertTrue(count(dom, "<polyline") >= 1);

        String perPod = HeadlessChromium.dumpDom(url("/ui/explore?syntax=promql&q=" + RunningServer.enc("vllm:num_requests_running")));
        assertTrue(perPod.contains("<code>vllm:num_requests_running{deployment=\"llama\", pod=\"a\"}</code></td><td>2</td>"), perPod);
        assertTrue(perPod.contains("<b id=\"value\">3 series</b>"), perPod);
    }

    @Test
    void theExplorerShowsPrometheusParseErrorWithItsPositionMarked() throws Exception {
        String bad = "sum(rate(vllm:num_requests_running[5m])";
        String dom = HeadlessChromium.dumpDom(url("/ui/explore?syntax=promql&q=" + RunningServer.enc(bad)));
        Files.createDirectories(SCREENSHOTS);
        HeadlessChromium.screenshot(url("/ui/explore?syntax=promql&q=" + RunningServer.enc(bad)), SCREENSHOTS.resolve("query-error.png"));
        Matcher m = Pattern.compile("<p class=\"err\" id=\"error\">1:(\\d+): parse error: ([^<]+)</p>").matcher(dom);
        assertTrue(m.find(), dom);
        int col = Integer.parseInt(m.group(1));
        assertTrue(dom.contains("<pre id=\"position\">" + bad + "\n<span class=\"caret\">" + " ".repeat(col - 1) + "^ line 1, column " + col),
                dom);
        assertFalse(dom.contains("id=\"value\""), "no value for a query that does not parse");
    }
}
