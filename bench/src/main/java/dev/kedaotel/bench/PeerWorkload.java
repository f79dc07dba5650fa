package dev.kedaotel.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The series and values of the side-by-side memory comparison (issue 11), one definition for all three
 * protocols so Prometheus, VictoriaMetrics and we receive exactly the same series, values and timestamps.
 *
 * <p>Per namespace {@code ns-N} (10 deployments {@code app-0..app-9} × 5 pods = 50 pods), 1,290 series:
 * <ul>
 *   <li>1,000 counters {@code http_server_requests_total}: every pod × 5 routes × 4 status codes, labels
 *       {@code namespace, deployment, pod, instance, job, method, route, code};</li>
 *   <li>20 histograms {@code http_server_request_duration_seconds} (the 20 pods of app-0..app-3), each
 *       10 {@code _bucket} series (9 bounds + {@code +Inf}) + {@code _sum} + {@code _count} = 240 series
 *       (the 200 buckets, plus the 40 {@code _sum}/{@code _count} series every exporter sends);</li>
 *   <li>50 gauges {@code app_queue_depth}, one per pod.</li>
 * </ul>
 * Common labels: {@code namespace}, {@code deployment}, {@code pod} ({@code app-3-<hash>-<suffix>} like a
 * ReplicaSet's pods), {@code instance} (pod IP:8080) and {@code job} ({@code <namespace>/<deployment>}).
 * A requested size S gives the whole number of namespaces nearest to {@code S / 1290}, so "10k" holds
 * 8 × 1,290 = 10,320 series, "100k" 78 × 1,290 = 100,620 and "1M" 775 × 1,290 = 999,750 (the issue's
 * S / 1,250 namespaces would be 1,032,000 at 1M, over our default {@code --metric-store-max-series} of
 * 1,000,000: we would reject 32,000 series). Every per-series figure uses the real count.
 *
 * <p>Series ids are dense: {@code namespace * 1290 + local}, local 0..999 counters (pod × 20 + combo),
 * 1000..1239 histograms (histogram × 12 + 0..9 buckets, 10 sum, 11 count), 1240..1289 gauges (pod).
 * Values ({@link #advance}) are seeded and vary per series and round (constant increments would
 * flatter every system's compression): counters grow by a random integer around a per-series rate,
 * histograms add a random number of observations spread over the buckets, gauges random-walk.
 */
final class PeerWorkload {
    static final String COUNTER = "http_server_requests_total";
    static final String HISTOGRAM = "http_server_request_duration_seconds";
    static final String GAUGE = "app_queue_depth";
    static final int COUNTERS = 1000;
    static final int HISTOGRAMS = 20;
    static final int BUCKETS = 10;
    static final int HISTOGRAM_SERIES = BUCKETS + 2;
    static final int GAUGES = 50;
    static final int PER_NAMESPACE = COUNTERS + HISTOGRAMS * HISTOGRAM_SERIES + GAUGES;
    static final int DEPLOYMENTS = 10;
    static final int PODS_PER_DEPLOYMENT = 5;
    /** The histograms' explicit bounds; the 10th bucket is +Inf. */
    static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
    /** Their {@code le} label texts, as our receiver formats them (Go's shortest 'f' form). */
    static final String[] LE = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"};
    /** Share of observations per bucket (a latency profile peaking around 50-100 ms). */
    private static final double[] BUCKET_SHARE = {0.02, 0.05, 0.13, 0.25, 0.27, 0.17, 0.07, 0.03, 0.008, 0.002};
    /** Rough representative latency of a bucket, for {@code _sum}. */
    private static final double[] BUCKET_MID = {0.003, 0.008, 0.018, 0.04, 0.075, 0.17, 0.37, 0.75, 1.7, 4.0};
    private static final String[] ROUTES = {"/api/orders", "/api/cart", "/api/items", "/api/users", "/healthz"};
    private static final String[] METHODS = {"POST", "GET", "GET", "GET", "GET"};
    private static final String[] CODES = {"200", "404", "500", "503"};
    private static final long SEED = 0x11_5EED;

    final int namespaces;
    final int series;
    /** Current value of every series (cumulative for counters and histograms). */
    final double[] values;
    private final double[] rate;

    PeerWorkload(int requestedSeries) {
        this.namespaces = (int) Math.max(1, Math.round(requestedSeries / (double) PER_NAMESPACE));
        this.series = namespaces * PER_NAMESPACE;
        this.values = new double[series];
        this.rate = new double[series];
        for (int id = 0; id < series; id++) {
            int local = id % PER_NAMESPACE;
            long r = mix(id, -1);
            if (local < COUNTERS) {
                // Requests per second: a few busy series, many quiet ones; errors rarer than 200s.
                double busy = 0.05 + 40.0 * Math.pow((r >>> 11) * 0x1.0p-53, 3);
                int code = local % CODES.length;
                rate[id] = code == 0 ? busy : busy * 0.02;
                values[id] = Math.floor(((r >>> 20) & 0xFFFF) * rate[id]);
            } else if (local < COUNTERS + HISTOGRAMS * HISTOGRAM_SERIES) {
                rate[id] = 2 + 30.0 * ((r >>> 11) * 0x1.0p-53);
            } else {
                values[id] = (r >>> 58); // queue depth 0..63
            }
        }
    }

    /** Moves every series to the next round's value; {@code round} seeds the randomness. */
    void advance(long round) {
        for (int ns = 0; ns < namespaces; ns++) {
            int base = ns * PER_NAMESPACE;
            for (int id = base; id < base + COUNTERS; id++) {
                double u = (mix(id, round) >>> 11) * 0x1.0p-53;
                values[id] += Math.floor(rate[id] * 5 * (0.5 + u) + u); // integer, 0 now and then for quiet series
            }
            for (int h = 0; h < HISTOGRAMS; h++) {
                int first = base + COUNTERS + h * HISTOGRAM_SERIES;
                long r = mix(first, round);
                double observations = Math.floor(rate[first] * 5 * (0.5 + (r >>> 11) * 0x1.0p-53));
                double cumulative = 0;
                double sum = 0;
                for (int b = 0; b < BUCKETS; b++) {
                    double jitter = 0.7 + 0.6 * ((mix(first + b, round) >>> 11) * 0x1.0p-53);
                    double inBucket = Math.floor(observations * BUCKET_SHARE[b] * jitter + 0.5);
                    cumulative += inBucket;
                    sum += inBucket * BUCKET_MID[b] * jitter;
                    values[first + b] += cumulative;
                }
                values[first + BUCKETS] += sum;                     // _sum
                values[first + BUCKETS + 1] = values[first + BUCKETS - 1]; // _count = the +Inf bucket
            }
            for (int id = base + COUNTERS + HISTOGRAMS * HISTOGRAM_SERIES; id < base + PER_NAMESPACE; id++) {
                long r = mix(id, round);
                values[id] = Math.max(0, values[id] + (r >>> 32) % 7 - 3.0); // -3..+3 per round, never below 0
            }
        }
    }

    /** The series' labels as {name, value} pairs, sorted by name, {@code __name__} first. */
    List<String[]> labels(int id) {
        int ns = id / PER_NAMESPACE;
        int local = id % PER_NAMESPACE;
        List<String[]> l = new ArrayList<>(10);
        int pod;
        if (local < COUNTERS) {
            pod = local / 20;
            int combo = local % 20;
            int route = combo / CODES.length;
            l.add(new String[] {"__name__", COUNTER});
            l.add(new String[] {"code", CODES[combo % CODES.length]});
            common(l, ns, pod);
            l.add(new String[] {"method", METHODS[route]});
            l.add(new String[] {"route", ROUTES[route]});
        } else if (local < COUNTERS + HISTOGRAMS * HISTOGRAM_SERIES) {
            int h = (local - COUNTERS) / HISTOGRAM_SERIES;
            int part = (local - COUNTERS) % HISTOGRAM_SERIES;
            pod = h;
            String name = part < BUCKETS ? HISTOGRAM + "_bucket" : part == BUCKETS ? HISTOGRAM + "_sum" : HISTOGRAM + "_count";
            l.add(new String[] {"__name__", name});
            common(l, ns, pod);
            if (part < BUCKETS) {
                l.add(new String[] {"le", LE[part]});
            }
        } else {
            pod = local - COUNTERS - HISTOGRAMS * HISTOGRAM_SERIES;
            l.add(new String[] {"__name__", GAUGE});
            common(l, ns, pod);
        }
        // Remote write wants labels sorted by name; "__name__" sorts first ('_' < 'a').
        l.sort((a, b) -> a[0].compareTo(b[0]));
        return l;
    }

    private static void common(List<String[]> l, int ns, int pod) {
        int deployment = pod / PODS_PER_DEPLOYMENT;
        l.add(new String[] {"deployment", "app-" + deployment});
        l.add(new String[] {"instance", "10." + (ns >> 8 & 0xFF) + "." + (ns & 0xFF) + "." + (pod + 10) + ":8080"});
        l.add(new String[] {"job", namespace(ns) + "/app-" + deployment});
        l.add(new String[] {"namespace", namespace(ns)});
        l.add(new String[] {"pod", podName(ns, pod)});
    }

    static String namespace(int ns) {
        return "ns-" + ns;
    }

    /** {@code app-<d>-<replicaset hash>-<5 chars>}, stable per (namespace, pod). */
    static String podName(int ns, int pod) {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        long h = mix(ns * 64L + pod / PODS_PER_DEPLOYMENT, -7);
        long s = mix(ns * 64L + pod, -9);
        StringBuilder sb = new StringBuilder("app-").append(pod / PODS_PER_DEPLOYMENT).append('-');
        sb.append(Long.toHexString(h >>> 28 | 1L << 36), 1, 10).append('-'); // 9 hex digits, like a pod-template hash
        for (int i = 0; i < 5; i++) {
            sb.append(alphabet.charAt((int) ((s >>> (i * 8)) & 0xFF) % alphabet.length()));
        }
        return sb.toString();
    }

    static boolean isHistogramStart(int id) {
        int local = id % PER_NAMESPACE;
        return local >= COUNTERS && local < COUNTERS + HISTOGRAMS * HISTOGRAM_SERIES && (local - COUNTERS) % HISTOGRAM_SERIES == 0;
    }

    /** Expected series per metric name, for the checks: counter, _bucket, _sum, _count, gauge. */
    long[] expectedPerName() {
        return new long[] {(long) namespaces * COUNTERS, (long) namespaces * HISTOGRAMS * BUCKETS, (long) namespaces * HISTOGRAMS,
                (long) namespaces * HISTOGRAMS, (long) namespaces * GAUGES};
    }

    static final String[] NAMES = {COUNTER, HISTOGRAM + "_bucket", HISTOGRAM + "_sum", HISTOGRAM + "_count", GAUGE};

    /** A stateless, seeded pseudo-random long per (series, round) (MemoryProbe's SplitMix64 finaliser). */
    static long mix(long id, long round) {
        return MemoryProbe.Workload.mix(SEED, id, round);
    }
}
