package dev.kedaotel.server;

import dev.kedaotel.server.demo.Demo;
import dev.kedaotel.server.http.JsonReader;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's examples, taken from README.md itself and run against a started server, so they cannot go
 * stale: the OTLP/JSON body of "Send your own metric with curl" posted as shown and its query answering
 * what the README shows; and every query of "Debugging with PromQL" answering with data while {@code --demo}
 * pushes its metrics — through our HTTP API and, when it is installed, through the real {@code promtool}.
 */
class ReadmeExamplesTest {
    private static final Path README = Path.of("..", "README.md");
    /** The shell's "now in nanoseconds" inside the single-quoted body. */
    private static final String NOW_PLACEHOLDER = "'\"$(date +%s)000000000\"'";

    @Test
    void sendYourOwnMetricWithCurlWorksAsWritten() throws Exception {
        String section = section("## Send your own metric with curl");
        List<String> blocks = codeBlocks(section);
        String post = blocks.stream().filter(b -> b.contains("/v1/metrics")).findFirst().orElseThrow();
        assertTrue(post.startsWith("curl -s http://localhost:9090/v1/metrics -H 'Content-Type: application/json' -d '"), post);
        String body = post.substring(post.indexOf("-d '") + 4, post.lastIndexOf('\''));
        assertTrue(body.contains(NOW_PLACEHOLDER), "the timestamp placeholder: " + body);
        String query = match(blocks.stream().filter(b -> b.contains("/api/v1/query")).findFirst().orElseThrow(),
                "--data-urlencode 'query=([^']+)'");
        String shown = blocks.stream().filter(b -> b.startsWith("{\"status\"")).findFirst().orElseThrow().trim();

        try (RunningServer server = new RunningServer()) {
            long nowSeconds = System.currentTimeMillis() / 1000;
            HttpResponse<String> pushed = server.http.send(HttpRequest.newBuilder(URI.create(server.httpBase() + "/v1/metrics"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.replace(NOW_PLACEHOLDER, nowSeconds + "000000000"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, pushed.statusCode(), pushed.body());
            assertTrue(section.contains("It answers `" + pushed.body() + "`"), "the README shows the answer " + pushed.body());
            HttpResponse<String> answer = server.postForm("/api/v1/query", Map.of("query", query));
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(withoutTimestamps(shown), withoutTimestamps(answer.body()), "the README shows what the query answers");
        }
    }

    @Test
    void debuggingQueriesFindTheDemosMetrics() throws Exception {
        String section = section("## Debugging with PromQL");
        List<String> queries = new ArrayList<>();
        Matcher curl = Pattern.compile("--data-urlencode 'query=([^']+)'").matcher(section);
        while (curl.find()) {
            queries.add(curl.group(1));
        }
        List<String> promtoolQueries = new ArrayList<>();
        Matcher promtool = Pattern.compile("promtool query instant http://localhost:9090 '([^']+)'").matcher(section);
        while (promtool.find()) {
            promtoolQueries.add(promtool.group(1));
        }
        assertFalse(queries.isEmpty() || promtoolQueries.isEmpty(), "the section's curl and promtool examples: " + section);
        queries.addAll(promtoolQueries);

        try (RunningServer server = new RunningServer();
             Demo demo = new Demo(server.app.otlpPort(), server.app.scalerPort(), new PrintStream(OutputStream.nullOutputStream()))) {
            demo.start();
            awaitDemoSeries(server);
            for (String q : queries) {
                HttpResponse<String> answer = server.postForm("/api/v1/query", Map.of("query", q));
                assertEquals(200, answer.statusCode(), q + ": " + answer.body());
                assertFalse(answer.body().contains("\"result\":[]"), "the README's query " + q + " finds nothing in the demo: " + answer.body());
            }
            if (onPath("promtool")) {
                for (String q : promtoolQueries) {
                    Process p = new ProcessBuilder("promtool", "query", "instant", server.httpBase(), q).redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
                    assertEquals(0, p.exitValue(), out);
                    assertTrue(out.contains(" => "), "promtool prints the series: " + out);
                }
            }
        }
    }

    /** Waits (bounded) until the demo's three pods have pushed. */
    private static void awaitDemoSeries(RunningServer server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String body = "";
        while (System.nanoTime() < deadline && !body.contains("\"3\"")) {
            body = server.postForm("/api/v1/query", Map.of("query", "count(vllm:num_requests_running)")).body();
            if (!body.contains("\"3\"")) {
                Thread.sleep(50);
            }
        }
        assertTrue(body.contains("\"3\""), "the demo's pods never pushed: " + body);
    }

    /** The README from {@code heading} to the next heading of the same level. */
    private static String section(String heading) throws Exception {
        String text = Files.readString(README, StandardCharsets.UTF_8);
        int start = text.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "README.md has no section " + heading);
        int end = text.indexOf("\n## ", start + heading.length() + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    private static List<String> codeBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```[a-z]*\n(.*?)```", Pattern.DOTALL).matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " not in " + text);
        return m.group(1);
    }

    /** The answer with each sample's timestamp replaced, parsed so key order and spacing do not matter. */
    private static Object withoutTimestamps(String json) {
        return JsonReader.parse(json.replaceAll("\"value\":\\[[0-9.]+,", "\"value\":[0,"));
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
