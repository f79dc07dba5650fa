package dev.kedaotel.conformance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The seeded samples both systems receive. Every series is a sorted run of (ms timestamp, value)
 * samples within the last ~20 minutes, 15 s apart with millisecond jitter, so evaluation windows cut
 * through samples at irregular points. Kinds: gauges (incl. negatives and repeats), counters with
 * resets, classic histograms (kept as OTLP-shaped points, see {@link HistogramSeries}), colon names,
 * series with gaps longer than the 5 m lookback, and label dimensions for grouping and matching.
 */
final class Dataset {
    static final double[] BOUNDS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** One float series: metric name, attributes (without __name__), OTLP kind, samples. */
    record FloatSeries(String name, Map<String, String> labels, boolean counter, long[] ts, double[] values) {
    }

    /** One OTLP histogram series: per point the per-bucket (non-cumulative) counts, count and sum. */
    record HistogramSeries(String name, Map<String, String> labels, long[] ts, long[][] bucketCounts, long[] count,
            double[] sum) {
    }

    final long seed;
    final long endMs;
    final long startMs;
    final List<FloatSeries> floats = new ArrayList<>();
    final List<HistogramSeries> histograms = new ArrayList<>();
    private final Random rnd;

    /** Samples from {@code endMs − 20 m} to {@code endMs}; {@code endMs} is a whole second. */
    Dataset(long seed, long endMs) {
        this.seed = seed;
        this.endMs = endMs;
        this.startMs = endMs - 20 * 60_000L;
        this.rnd = new Random(seed);
        build();
    }

    private void build() {
        for (String ns : List.of("x", "y")) {
            for (String pod : List.of("a", "b", "c")) {
                for (String code : List.of("200", "500")) {
                    counter("http_requests_total", labels("namespace", ns, "pod", pod, "code", code, "method", pod.equals("c") ? "POST" : "GET"),
                            code.equals("200") ? 10 : 1);
                }
            }
        }
        for (String zone : List.of("eu", "us")) {
            for (String inst : List.of("n1", "n2", "n3")) {
                gauge("node_temperature_celsius", labels("zone", zone, "instance", inst), -5, 40, 0.1, 0);
            }
        }
        for (String pod : List.of("p1", "p2", "p3")) {
            for (String model : List.of("llama", "mistral")) {
                gauge("vllm:num_requests_running", labels("pod", pod, "model", model), 0, 12, 1, 0.3);
            }
            gauge("pod_info", labels("pod", pod, "team", pod.equals("p3") ? "blue" : "red"), 1, 1, 1, 1);
            gauge("vllm:gpu_cache_usage_perc", labels("pod", pod), 0, 1, 0.001, 0);
        }
        for (String pod : List.of("p1", "p2")) {
            histogram("vllm:e2e_request_latency_seconds", labels("pod", pod, "model", "llama"));
        }
        histogram("http_request_duration_seconds", labels("namespace", "x", "pod", "a"));
        // A classic histogram written as plain gauges whose buckets are not monotonic in le (scraped
        // from a broken exporter): exercises histogram_quantile's monotonicity fix-up.
        for (String le : List.of("0.5", "1", "2", "+Inf")) {
            gauge("broken_latency_bucket", labels("le", le, "svc", "api"), 0, 100, 1, 0);
        }
        gappy();
        oddValues();
    }

    /**
     * Values that stress formatting and special-value semantics: ordinary NaNs (not staleness markers),
     * ±Inf, very large and very small magnitudes; and label values that need escaping.
     */
    private void oddValues() {
        String[] kinds = {"nan", "inf", "big", "tiny"};
        for (String kind : kinds) {
            long[] ts = times(startMs, endMs - 1000);
            double[] v = new double[ts.length];
            for (int i = 0; i < ts.length; i++) {
                double r = rnd.nextDouble();
                switch (kind) {
                    case "nan": v[i] = r < 0.3 ? Double.NaN : Math.round(r * 100) / 10.0; break;
                    case "inf": v[i] = r < 0.15 ? Double.POSITIVE_INFINITY : r > 0.9 ? Double.NEGATIVE_INFINITY : Math.round(r * 100); break;
                    case "big": v[i] = Math.round(r * 1e6) * 1e17; break;
                    default: v[i] = Math.round(r * 1e6) * 1e-15; break;
                }
            }
            floats.add(new FloatSeries("odd_values", labels("kind", kind), false, ts, v));
        }
        gauge("escaped_labels", labels("path", "C:\\dir \"quoted\" \u00e9\u00e8", "empty_looking", " "), 0, 10, 1, 0);
        // Go's '.' does not match a newline (Prometheus 2.42 compiles matchers without (?s)).
        gauge("newline_labels", labels("v", "x\ny"), 0, 10, 1, 0);
        gauge("newline_labels", labels("v", "xzy"), 0, 10, 1, 0);
    }

    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** Sample times: every 15 s from the start, each jittered by up to ±2 s, strictly increasing. */
    private long[] times(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long t = from + rnd.nextInt(15_000); t <= to; t += 15_000) {
            long j = t + rnd.nextInt(4001) - 2000;
            if (j <= to && (out.isEmpty() || j > out.get(out.size() - 1))) {
                out.add(j);
            }
        }
        long[] ts = new long[out.size()];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = out.get(i);
        }
        return ts;
    }

    private void counter(String name, Map<String, String> labels, double ratePerSample) {
        long[] ts = times(startMs, endMs - 1000);
        double[] v = new double[ts.length];
        double c = rnd.nextInt(50);
        for (int i = 0; i < ts.length; i++) {
            if (i > 0 && rnd.nextDouble() < 0.04) {
                c = rnd.nextInt(3); // counter reset (process restart)
            } else if (rnd.nextDouble() > 0.15) { // sometimes unchanged
                c += Math.round(rnd.nextDouble() * ratePerSample * 2 * 4) / 4.0;
            }
            v[i] = c;
        }
        floats.add(new FloatSeries(name, labels, true, ts, v));
    }

    /** A gauge in [lo, hi] on a grid of {@code quantum}; {@code repeat} is the chance a sample repeats. */
    private void gauge(String name, Map<String, String> labels, double lo, double hi, double quantum, double repeat) {
        long[] ts = times(startMs, endMs - 1000);
        double[] v = new double[ts.length];
        double g = lo + (hi - lo) * rnd.nextDouble();
        for (int i = 0; i < ts.length; i++) {
            if (i == 0 || rnd.nextDouble() >= repeat) {
                g = Math.max(lo, Math.min(hi, g + (hi - lo) * (rnd.nextDouble() - 0.5) * 0.3));
            }
            v[i] = Math.round(g / quantum) * quantum;
            if (quantum < 1) {
                v[i] = Double.parseDouble(String.format(java.util.Locale.ROOT, "%.3f", v[i]));
            }
        }
        floats.add(new FloatSeries(name, labels, false, ts, v));
    }

    private void histogram(String name, Map<String, String> labels) {
        long[] ts = times(startMs, endMs - 1000);
        long[][] buckets = new long[ts.length][BOUNDS.length + 1];
        long[] count = new long[ts.length];
        double[] sum = new double[ts.length];
        long[] acc = new long[BOUNDS.length + 1];
        double s = 0;
        for (int i = 0; i < ts.length; i++) {
            if (i > 0 && rnd.nextDouble() < 0.03) {
                java.util.Arrays.fill(acc, 0);
                s = 0;
            }
            int requests = rnd.nextInt(20);
            for (int r = 0; r < requests; r++) {
                double latency = Math.round(Math.exp(rnd.nextGaussian() * 1.2) * 1000) / 1000.0;
                int b = 0;
                while (b < BOUNDS.length && latency > BOUNDS[b]) {
                    b++;
                }
                acc[b]++;
                s += latency;
            }
            s = Math.round(s * 1000) / 1000.0;
            buckets[i] = acc.clone();
            long total = 0;
            for (long a : acc) {
                total += a;
            }
            count[i] = total;
            sum[i] = s;
        }
        histograms.add(new HistogramSeries(name, labels, ts, buckets, count, sum));
    }

    /** Series with holes longer than the lookback, one that ended long ago, one that starts late. */
    private void gappy() {
        long[] all = times(startMs, endMs - 1000);
        List<Long> keptTs = new ArrayList<>();
        for (long t : all) {
            boolean inHole = t > endMs - 16 * 60_000L && t < endMs - 9 * 60_000L;
            if (!inHole) {
                keptTs.add(t);
            }
        }
        series("gappy_metric", labels("job", "holes"), keptTs);
        List<Long> ended = new ArrayList<>();
        for (long t : all) {
            if (t < endMs - 8 * 60_000L) {
                ended.add(t);
            }
        }
        series("gappy_metric", labels("job", "ended"), ended);
        List<Long> late = new ArrayList<>();
        for (long t : times(startMs, endMs - 1000)) {
            if (t > endMs - 4 * 60_000L) {
                late.add(t);
            }
        }
        series("gappy_metric", labels("job", "late"), late);
    }

    private void series(String name, Map<String, String> labels, List<Long> tsList) {
        long[] ts = new long[tsList.size()];
        double[] v = new double[ts.length];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = tsList.get(i);
            v[i] = rnd.nextInt(200) - 50;
        }
        floats.add(new FloatSeries(name, labels, false, ts, v));
    }

    /** The Prometheus view of every sample: series name+labels → (ts, value), for the OpenMetrics file. */
    Map<String, List<double[]>> prometheusSamples() {
        Map<String, List<double[]>> out = new LinkedHashMap<>();
        for (FloatSeries f : floats) {
            List<double[]> l = out.computeIfAbsent(seriesKey(f.name(), f.labels(), null), k -> new ArrayList<>());
            for (int i = 0; i < f.ts().length; i++) {
                l.add(new double[] {f.ts()[i], f.values()[i]});
            }
        }
        for (HistogramSeries h : histograms) {
            List<double[]> count = out.computeIfAbsent(seriesKey(h.name() + "_count", h.labels(), null), k -> new ArrayList<>());
            List<double[]> sum = out.computeIfAbsent(seriesKey(h.name() + "_sum", h.labels(), null), k -> new ArrayList<>());
            List<List<double[]>> buckets = new ArrayList<>();
            for (int b = 0; b <= BOUNDS.length; b++) {
                String le = b == BOUNDS.length ? "+Inf" : leText(BOUNDS[b]);
                buckets.add(out.computeIfAbsent(seriesKey(h.name() + "_bucket", h.labels(), le), k -> new ArrayList<>()));
            }
            for (int i = 0; i < h.ts().length; i++) {
                count.add(new double[] {h.ts()[i], h.count()[i]});
                sum.add(new double[] {h.ts()[i], h.sum()[i]});
                long cum = 0;
                for (int b = 0; b <= BOUNDS.length; b++) {
                    cum += h.bucketCounts()[i][b];
                    buckets.get(b).add(new double[] {h.ts()[i], cum});
                }
            }
        }
        return out;
    }

    /** Go's FormatFloat(v, 'f', -1, 64), which is how Prometheus' OTLP translator writes {@code le}. */
    static String leText(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    private static String seriesKey(String name, Map<String, String> labels, String le) {
        StringBuilder sb = new StringBuilder(name).append('{');
        Map<String, String> all = new TreeMap<>(labels);
        if (le != null) {
            all.put("le", le);
        }
        boolean first = true;
        for (Map.Entry<String, String> e : all.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            String v = e.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
            sb.append(e.getKey()).append("=\"").append(v).append('"');
        }
        return sb.append('}').toString();
    }

    /** Timestamp of the {@code i}-th sample of the first series named {@code name} (for @ and boundary tests). */
    long sampleTime(String name, int i) {
        for (FloatSeries f : floats) {
            if (f.name().equals(name)) {
                return f.ts()[i < 0 ? f.ts().length + i : i];
            }
        }
        throw new IllegalArgumentException(name);
    }
}
