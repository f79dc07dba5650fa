package dev.kedaotel.server;

import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import dev.kedaotel.model.ManualTimeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pages over plain HTTP ({@code java.net.http}): what {@code /} answers a browser and a script, that the
 * HTML needs the bearer token when one is configured while the text listing stays open, the response
 * headers, and escaping in the raw HTML the server sends (the browser test checks what Chromium makes of it).
 */
class StatusPageHttpTest {
    @TempDir
    Path dir;

    private static HttpResponse<String> get(RunningServer s, String path, String accept, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.httpBase() + path)).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void slashSendsBrowsersToTheStatusPageAndScriptsGetTheTextListing() throws Exception {
        try (RunningServer s = new RunningServer()) {
            String browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
            HttpResponse<String> html = get(s, "/", browser, null);
            assertEquals(303, html.statusCode());
            assertEquals("/ui", html.headers().firstValue("Location").orElse(null));

            for (String accept : new String[] {null, "*/*", "text/plain", "application/json, text/html;q=0.5, */*"}) {
                HttpResponse<String> text = get(s, "/", accept, null);
                assertEquals(200, text.statusCode(), "Accept: " + accept);
                assertTrue(text.body().startsWith("keda-otel-scaler "), text.body());
                assertTrue(text.body().contains("/api/v1/query"), text.body());
                assertEquals("text/plain; charset=utf-8", text.headers().firstValue("Content-Type").orElse(""));
            }

            HttpResponse<String> page = get(s, "/ui", browser, null);
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
            String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'sha256-"), csp);
            assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
            assertTrue(page.body().contains("No ScaledObject has asked yet"), page.body());
        }
    }

    @Test
    void withABearerTokenFileTheHtmlPagesNeedTheTokenAndTheTextListingStaysOpen() throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "page-token\n");
        try (RunningServer s = new RunningServer("--rest-api-bearer-token-file=" + tokens)) {
            assertEquals(200, get(s, "/", null, null).statusCode(), "the text listing is open");
            assertEquals(303, get(s, "/", "text/html", null).statusCode(), "the redirect shows nothing");
            for (String path : new String[] {"/ui", "/ui/explore?q=up"}) {
                HttpResponse<String> none = get(s, path, "text/html", null);
                assertEquals(401, none.statusCode(), path);
                assertFalse(none.body().contains("<html"), "no page without the token: " + none.body());
                assertEquals(401, get(s, path, "text/html", "wrong").statusCode(), path);
                HttpResponse<String> ok = get(s, path, "text/html", "page-token");
                assertEquals(200, ok.statusCode(), path + ": " + ok.body());
                assertTrue(ok.body().startsWith("<!DOCTYPE html>"), ok.body());
            }
        }
    }

    @Test
    void namesAndQueriesAreEscapedInTheHtmlTheServerSends() throws Exception {
        try (RunningServer s = new RunningServer()) {
            ScaledObjectRef ref = ScaledObjectRef.newBuilder().setNamespace("a\"b").setName("<script>alert(1)</script>")
                    .putAllScalerMetadata(Map.of("metricQuery", "sum(x{y=\"<img src=x onerror=alert(2)>\"})", "targetValue", "1",
                            "caCert", "-----BEGIN CERTIFICATE----- secret-ish", "password", "hunter2"))
                    .build();
            s.scaler().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName("m").build());
            String page = get(s, "/ui", null, null).body();
            assertTrue(page.contains("a&quot;b / &lt;script&gt;alert(1)&lt;/script&gt;"), page);
            assertTrue(page.contains("y=&quot;&lt;img src=x onerror=alert(2)&gt;&quot;"), page);
            assertFalse(page.contains("<script>alert"), page);
            assertFalse(page.contains("<img"), page);
            assertFalse(page.contains("hunter2"), "secrets are shown redacted");
            assertTrue(page.contains("password=") , page);

            String q = "x{y=\"</code><script>alert(3)</script>\"} +";
            String explore = get(s, "/ui/explore?syntax=promql&q=" + RunningServer.enc(q), null, null).body();
            assertFalse(explore.contains("<script>alert(3)"), explore);
            assertTrue(explore.contains("value=\"x{y=&quot;&lt;/code&gt;&lt;script&gt;alert(3)&lt;/script&gt;&quot;} +\""), explore);
            assertTrue(explore.contains("parse error"), explore);
        }
    }

    @Test
    void theExplorerIsScopedByTheNamespaceFieldWithTenancyOn() throws Exception {
        try (RunningServer s = new RunningServer("--scaled-object-namespace-label=k8s_namespace_name")) {
            String page = get(s, "/ui/explore?syntax=kedify&namespace=models&q=" + RunningServer.enc("sum(requests{app=web})"),
                    null, null).body();
            assertTrue(page.contains("<code id=\"compiled\">sum(last_over_time(requests{app=&quot;web&quot;,"
                    + "k8s_namespace_name=&quot;models&quot;}[2m]))</code>"), page);
            String empty = get(s, "/ui/explore?syntax=promql&namespace=&q=up", null, null).body();
            assertTrue(empty.contains("invalid parameter &quot;namespace&quot;: must not be empty"), empty);
        }
    }

    @Test
    void theExplorersQueriesKeepTheQueryTimeout() throws Exception {
        ManualTimeSource time = new ManualTimeSource(1_767_225_600_000L);
        try (RunningServer s = RunningServer.on(time, OptionalLong.empty(), "--query-timeout-seconds=5")) {
            // Every read of the monotonic clock moves it 1 s: the page's 5 s deadline passes at a fixed point of the
            // evaluation, however fast the machine is (as PrometheusApiTest does for /api/v1/query_range).
            time.autoAdvanceNanos(1_000_000_000L);
            String page;
            try {
                page = get(s, "/ui/explore?syntax=promql&q=" + RunningServer.enc("count_over_time(vector(1)[4s:1ms])"), null, null).body();
            } finally {
                time.autoAdvanceNanos(0);
            }
            assertTrue(page.contains("<p class=\"err\" id=\"error\">query timed out in query execution</p>"), page);
        }
    }
}
