package dev.kedaotel.conformance;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The conformance suite: the same seeded samples in a real Prometheus (backfilled) and in our service
 * (over OTLP), the generated query corpus at several evaluation times as instant queries and over a
 * window as range queries through both HTTP APIs, and identical answers required. Writes
 * {@code target/conformance-report.md} with agreement per feature. Skipped when Prometheus is not
 * installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusConformanceTest {
    /** Override with -Dconformance.seed=N to explore other datasets. */
    static final long SEED = Long.getLong("conformance.seed", 20261122L);

    private Dataset data;
    private PrometheusProcess prometheus;
    private OurService ours;
    private ApiClient promApi;
    private ApiClient ourApi;
    private long promNanos;
    private long ourNanos;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(PrometheusProcess.installed(), "prometheus/promtool not on PATH: conformance suite skipped");
        long now = System.currentTimeMillis() / 1000 * 1000;
        data = new Dataset(SEED, now);
        prometheus = PrometheusProcess.start(data, Path.of("target", "prometheus-" + now));
        ours = OurService.start();
        ours.load(data);
        promApi = new ApiClient(prometheus.base());
        ourApi = new ApiClient(ours.base());
    }

    @AfterAll
    void stop() {
        if (ours != null) {
            ours.close();
        }
        if (prometheus != null) {
            prometheus.close();
        }
    }

    /** Evaluation times: spread over the data, plus exact lookback and range boundaries on sample times. */
    private List<Long> evaluationTimes() {
        long end = data.endMs;
        return List.of(end - 20_000, end - 137_500, end - 360_000, end - 673_000, end - 1_080_000,
                data.sampleTime("gappy_metric", -1) + 300_000, data.sampleTime("node_temperature_celsius", 40) + 60_000,
                data.sampleTime("http_requests_total", 30) + 300_000);
    }

    static String seconds(long ms) {
        return ms / 1000 + "." + String.format("%03d", ms % 1000);
    }

    /** Per-feature tallies for the report. */
    private static final class Tally {
        int queries;
        int comparisons;
        int agreed;
        int known;
    }

    @Test
    void queriesAgreeWithPrometheus() throws Exception {
        List<QueryCorpus.Query> corpus = QueryCorpus.build(data);
        Map<String, Tally> byFeature = new TreeMap<>();
        List<String> disagreements = new ArrayList<>();
        List<String> knownSeen = new ArrayList<>();
        List<String> wording = new ArrayList<>();
        List<Long> times = evaluationTimes();
        long rangeStart = data.endMs - 900_000 + 250;
        long rangeEnd = data.endMs - 5_000;
        int n = 0;
        for (QueryCorpus.Query q : corpus) {
            Tally t = byFeature.computeIfAbsent(q.feature(), k -> new Tally());
            t.queries++;
            String known = KnownDifferences.reason(q.text());
            List<String[]> runs = new ArrayList<>();
            for (long time : times) {
                runs.add(new String[] {"/api/v1/query", "instant @" + seconds(time), "query", q.text(), "time", seconds(time)});
            }
            runs.add(new String[] {"/api/v1/query_range", "range", "query", q.text(), "start", seconds(rangeStart),
                "end", seconds(rangeEnd), "step", "20"});
            // A second window whose steps fall on whole minutes (Grafana's usual alignment), step as a duration.
            long alignedEnd = data.endMs / 60_000 * 60_000;
            runs.add(new String[] {"/api/v1/query_range", "range (aligned, 1m)", "query", q.text(), "start",
                seconds(alignedEnd - 12 * 60_000), "end", seconds(alignedEnd), "step", "1m"});
            for (String[] run : runs) {
                List<String> params = List.of(run).subList(2, run.length);
                long t0 = System.nanoTime();
                ApiClient.Reply p = promApi.call(run[0], false, params);
                long t1 = System.nanoTime();
                ApiClient.Reply o = ourApi.call(run[0], (n++ & 1) == 1, params);
                promNanos += t1 - t0;
                ourNanos += System.nanoTime() - t1;
                t.comparisons++;
                String diff = ResultComparison.compare(p, o, q.ordered() && run[0].endsWith("query"));
                if (diff == null && !p.success() && !p.error().equals(o.error())) {
                    if ("bad_data".equals(p.errorType())) {
                        // Parse errors are user-facing text in Grafana: their wording must match too.
                        diff = "error text: Prometheus \"" + p.error() + "\", we \"" + o.error() + "\"";
                    } else if (wording.size() < 400) {
                        wording.add("`" + q.text() + "`: Prometheus \"" + p.error() + "\", we \"" + o.error() + "\"");
                    }
                }
                if (diff == null) {
                    t.agreed++;
                } else if (known != null) {
                    t.known++;
                    if (!knownSeen.contains(q.text())) {
                        knownSeen.add(q.text());
                    }
                } else {
                    disagreements.add("[" + q.feature() + "] `" + q.text() + "` " + run[1] + ": " + diff);
                }
            }
        }
        String report = report(corpus.size(), byFeature, disagreements, knownSeen, wording, times);
        Path out = Path.of("target", "conformance-report.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        if (!disagreements.isEmpty()) {
            fail(disagreements.size() + " disagreements with Prometheus; see target/conformance-report.md. First: " + disagreements.get(0));
        }
    }

    private String report(int queries, Map<String, Tally> byFeature, List<String> disagreements, List<String> knownSeen,
            List<String> wording, List<Long> times) {
        StringBuilder sb = new StringBuilder("# PromQL conformance against Prometheus 2.42\n\n");
        sb.append("Seed ").append(data.seed).append(", ").append(data.floats.size()).append(" float series + ")
                .append(data.histograms.size()).append(" OTLP histograms, ").append(queries).append(" queries, each at ")
                .append(times.size()).append(" evaluation times (instant) and as two range queries (15 m at step 20 s; 12 m at step 1m, minute-aligned).\n\n");
        sb.append("Time in Prometheus' API ").append(promNanos / 1_000_000).append(" ms, in ours ").append(ourNanos / 1_000_000).append(" ms.\n\n");
        sb.append("| Feature | Queries | Comparisons | Agree | Known differences | Disagree |\n|---|---:|---:|---:|---:|---:|\n");
        int total = 0;
        int agreed = 0;
        for (Map.Entry<String, Tally> e : byFeature.entrySet()) {
            Tally t = e.getValue();
            total += t.comparisons;
            agreed += t.agreed;
            sb.append("| ").append(e.getKey()).append(" | ").append(t.queries).append(" | ").append(t.comparisons).append(" | ")
                    .append(t.agreed).append(" | ").append(t.known).append(" | ").append(t.comparisons - t.agreed - t.known).append(" |\n");
        }
        sb.append("| **all** | ").append(queries).append(" | ").append(total).append(" | ").append(agreed).append(" | | ")
                .append(disagreements.size()).append(" |\n\n");
        sb.append("## Known differences\n\n");
        if (knownSeen.isEmpty()) {
            sb.append("None observed.\n");
        }
        for (String q : knownSeen) {
            sb.append("- `").append(q).append("`: ").append(KnownDifferences.reason(q)).append('\n');
        }
        sb.append("\n## Disagreements\n\n");
        if (disagreements.isEmpty()) {
            sb.append("None.\n");
        }
        for (String d : disagreements) {
            sb.append("- ").append(d).append('\n');
        }
        sb.append("\n## Execution-error wording (same error type, different message; informational)\n\n");
        if (wording.isEmpty()) {
            sb.append("None.\n");
        }
        for (String w : new java.util.LinkedHashSet<>(wording)) {
            sb.append("- ").append(w).append('\n');
        }
        return sb.toString();
    }

    /** Grafana's "format query" button: /api/v1/format_query must print every corpus query as Prometheus does. */
    @Test
    void formatQueryAgrees() throws Exception {
        List<String> diffs = new ArrayList<>();
        for (QueryCorpus.Query q : QueryCorpus.build(data)) {
            if (KnownDifferences.reason(q.text()) != null) {
                continue;
            }
            ApiClient.Reply p = promApi.call("/api/v1/format_query", false, List.of("query", q.text()));
            ApiClient.Reply o = ourApi.call("/api/v1/format_query", true, List.of("query", q.text()));
            boolean same = p.success() == o.success() && (p.success() ? p.data().equals(o.data()) : p.errorType().equals(o.errorType()));
            if (!same) {
                diffs.add("`" + q.text() + "`: Prometheus " + ResultComparison.abbreviate(p.body()) + "\n   we " + ResultComparison.abbreviate(o.body()));
            }
        }
        assertTrue(diffs.isEmpty(), diffs.size() + " format_query differences:\n" + String.join("\n", diffs));
    }

    @Test
    void seriesLabelsAndLabelValuesAgree() throws Exception {
        List<List<String>> calls = List.of(
                List.of("/api/v1/series", "match[]", "http_requests_total{namespace=\"x\"}"),
                List.of("/api/v1/series", "match[]", "{__name__=~\"vllm:.*\"}", "match[]", "gappy_metric"),
                List.of("/api/v1/series", "match[]", "{pod=\"p1\"}"),
                List.of("/api/v1/labels"),
                List.of("/api/v1/labels", "match[]", "vllm:num_requests_running"),
                List.of("/api/v1/label/__name__/values"),
                List.of("/api/v1/label/pod/values"),
                List.of("/api/v1/label/le/values", "match[]", "http_request_duration_seconds_bucket"),
                List.of("/api/v1/label/nonexistent/values"),
                List.of("/api/v1/series"));
        List<String> diffs = new ArrayList<>();
        for (List<String> c : calls) {
            for (boolean post : new boolean[] {false, true}) {
                if (post && c.get(0).startsWith("/api/v1/label/")) {
                    continue; // GET only, in Prometheus too
                }
                ApiClient.Reply p = promApi.call(c.get(0), post, c.subList(1, c.size()));
                ApiClient.Reply o = ourApi.call(c.get(0), post, c.subList(1, c.size()));
                if (p.status() != o.status() || p.success() != o.success()
                        || (p.success() && !normalise(p.data()).equals(normalise(o.data())))) {
                    diffs.add(c + (post ? " POST" : " GET") + ": Prometheus " + p.status() + " " + ResultComparison.abbreviate(p.body())
                            + "\n   we " + o.status() + " " + ResultComparison.abbreviate(o.body()));
                }
            }
        }
        assertTrue(diffs.isEmpty(), String.join("\n", diffs));
    }

    /**
     * The endpoints Grafana's alerting and rule pages call, answered as Prometheus does with nothing configured
     * (no rules, alerts or scrape targets); {@code /api/v1/status/config} only in shape, since its YAML is each
     * side's own configuration.
     */
    @Test
    void unconfiguredRulesAlertsTargetsAndConfigAgree() throws Exception {
        List<List<String>> calls = List.of(List.of("/api/v1/rules"), List.of("/api/v1/rules", "type", "alert"),
                List.of("/api/v1/rules", "type", "RECORD"), List.of("/api/v1/rules", "type", "nonsense"),
                List.of("/api/v1/alerts"), List.of("/api/v1/targets"));
        List<String> diffs = new ArrayList<>();
        for (List<String> c : calls) {
            ApiClient.Reply p = promApi.call(c.get(0), false, c.subList(1, c.size()));
            ApiClient.Reply o = ourApi.call(c.get(0), false, c.subList(1, c.size()));
            if (p.status() != o.status() || !p.json().equals(o.json())) {
                diffs.add(c + ": Prometheus " + p.status() + " " + p.body() + "\n   we " + o.status() + " " + o.body());
            }
        }
        assertTrue(diffs.isEmpty(), String.join("\n", diffs));
        ApiClient.Reply p = promApi.call("/api/v1/status/config", false, List.of());
        ApiClient.Reply o = ourApi.call("/api/v1/status/config", false, List.of());
        assertEquals(p.status(), o.status(), o.body());
        assertEquals(((Map<?, ?>) p.data()).keySet(), ((Map<?, ?>) o.data()).keySet(), o.body());
        assertTrue(((Map<?, ?>) o.data()).get("yaml") instanceof String, o.body());
    }

    /** Series lists are compared as sets of label maps; everything else as is. */
    @SuppressWarnings("unchecked")
    private static Object normalise(Object data) {
        if (data instanceof List && !((List<Object>) data).isEmpty() && ((List<Object>) data).get(0) instanceof Map) {
            java.util.Set<String> s = new java.util.TreeSet<>();
            for (Object o : (List<Object>) data) {
                s.add(new TreeMap<>((Map<String, Object>) o).toString());
            }
            return s;
        }
        return data;
    }

    @Test
    void promtoolQueriesGiveTheSameOutput() throws Exception {
        String time = seconds(data.endMs - 30_000);
        List<List<String>> commands = List.of(
                List.of("instant", "--time=" + time, "sum by (namespace) (rate(http_requests_total[5m]))"),
                List.of("instant", "--time=" + time, "node_temperature_celsius{zone=\"eu\"}"),
                List.of("instant", "--time=" + time, "scalar(count(node_temperature_celsius))"),
                List.of("range", "--start=" + seconds(data.endMs - 600_000), "--end=" + time, "--step=1m",
                        "max by (pod) (vllm:num_requests_running)"));
        for (List<String> c : commands) {
            String theirs = promtool(prometheus.base(), c);
            String mine = promtool(ours.base(), c);
            Map<String, String> expected = promtoolValues(theirs);
            Map<String, String> actual = promtoolValues(mine);
            assertTrue(!expected.isEmpty(), "promtool printed nothing for " + c + ": " + theirs);
            assertEquals(expected.keySet(), actual.keySet(), "promtool query " + c + "\nPrometheus:\n" + theirs + "\nours:\n" + mine);
            for (Map.Entry<String, String> e : expected.entrySet()) {
                assertTrue(ResultComparison.sameValue(e.getValue(), actual.get(e.getKey())),
                        "promtool query " + c + " at " + e.getKey() + ": Prometheus " + e.getValue() + ", we " + actual.get(e.getKey()));
            }
        }
    }

    /**
     * promtool's text output as (series + timestamp) → value text: vector lines are
     * {@code {labels} => v @[t]}, range output is a {@code {labels} =>} header followed by {@code v @[t]}
     * lines. Order is not compared (instant vector order is unspecified), values with the suite's tolerance.
     */
    private static Map<String, String> promtoolValues(String out) {
        Map<String, String> values = new TreeMap<>();
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("^(.*?)(\\S+) @\\[(.*)\\]$");
        String header = "";
        for (String l : out.split("\n")) {
            if (l.endsWith("=>")) {
                header = l;
                continue;
            }
            java.util.regex.Matcher m = line.matcher(l);
            if (m.matches()) {
                values.put(header + "|" + m.group(1) + "@" + m.group(3), m.group(2));
            } else if (!l.isBlank()) {
                values.put(header + "|" + l, "NaN");
            }
        }
        return values;
    }

    private static String promtool(String server, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("promtool", "query", args.get(0)));
        cmd.addAll(args.subList(1, args.size() - 1));
        cmd.add(server);
        cmd.add(args.get(args.size() - 1));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd + " hung");
        }
        assertEquals(0, p.exitValue(), cmd + " → " + out);
        return out;
    }
}
