package dev.kedaotel.bench;

import java.util.List;
import java.util.Map;

/**
 * The five scaling queries, {@code runs} rounds, each round asking every system each query for the
 * same evaluation time: the newest delivered round's timestamp − 2.5 s (between two ticks, so range
 * boundaries do not matter, and ≥ 5 s after the samples it reads arrived, so VictoriaMetrics' ~1 s
 * in-memory buffer has been flushed). Feeding goes on meanwhile, as it would for a scaler in use.
 * Records each system's latency (one kept-alive connection, client-side time) and compares every answer
 * with Prometheus' (the reference): label sets equal, values within a relative 1e-9 (summation order
 * differs between engines). VictoriaMetrics' {@code rate} is expected to differ (it does not
 * extrapolate to the range boundaries as Prometheus does), so its disagreements are only counted.
 */
final class PeerQueryWorkload {
    /** What each query stands for (the docs say why these five). */
    static String[] queries(PeerWorkload w) {
        String ns = PeerWorkload.namespace(Math.min(7, w.namespaces - 1));
        String sel = "namespace=\"" + ns + "\",deployment=\"app-2\"";
        return new String[] {
            "sum(rate(" + PeerWorkload.COUNTER + "{" + sel + "}[1m]))",
            "sum(last_over_time(" + PeerWorkload.GAUGE + "{" + sel + "}[1m]))",
            "sum(avg_over_time(" + PeerWorkload.GAUGE + "{" + sel + "}[1m]))",
            "histogram_quantile(0.95, sum by (le) (rate(" + PeerWorkload.HISTOGRAM + "_bucket{" + sel + "}[1m])))",
            "sum by (namespace) (rate(" + PeerWorkload.COUNTER + "[1m]))",
        };
    }

    final String[] queries;
    /** [system][query] */
    final Percentiles[][] latency;
    /** [system][query] answers that differ from Prometheus' (system 0 is the reference). */
    final int[][] disagreements;
    final String[][] firstDisagreement;
    /** [system][query] queries the system refused or failed (e.g. its query timeout), and the first answer. */
    final int[][] errors;
    final String[][] firstError;
    int rounds;

    private final List<PeerApi> systems;
    private final PeerFeeder feeder;

    PeerQueryWorkload(PeerWorkload w, List<PeerApi> systems, PeerFeeder feeder) {
        this.queries = queries(w);
        this.systems = systems;
        this.feeder = feeder;
        this.latency = new Percentiles[systems.size()][queries.length];
        this.disagreements = new int[systems.size()][queries.length];
        this.firstDisagreement = new String[systems.size()][queries.length];
        this.errors = new int[systems.size()][queries.length];
        this.firstError = new String[systems.size()][queries.length];
        for (Percentiles[] row : latency) {
            for (int q = 0; q < row.length; q++) {
                row[q] = new Percentiles();
            }
        }
    }

    /**
     * Runs up to {@code runs} rounds, stopping early after {@code budgetMs} (then {@link #rounds} says
     * how many were run). {@code compare}: system 0 is Prometheus and the others are compared with it.
     */
    void run(int runs, long budgetMs, boolean compare) throws Exception {
        long deadline = System.currentTimeMillis() + budgetMs;
        for (int r = 0; r < runs && System.currentTimeMillis() < deadline; r++) {
            feeder.check();
            long t = feeder.lastDeliveredTs() - PeerFeeder.INTERVAL_MS / 2;
            for (int q = 0; q < queries.length; q++) {
                Map<String, Double> reference = null;
                for (int s = 0; s < systems.size(); s++) {
                    long t0 = System.nanoTime();
                    String body;
                    try {
                        body = systems.get(s).query(queries[q], t);
                    } catch (java.io.IOException e) {
                        // A refused query (a limit, a timeout) is counted and reported, not timed; the session goes on.
                        errors[s][q]++;
                        if (firstError[s][q] == null) {
                            firstError[s][q] = PromJson.abbreviate(String.valueOf(e.getMessage()));
                        }
                        continue;
                    }
                    latency[s][q].record(System.nanoTime() - t0);
                    Map<String, Double> answer = PromJson.instantResult(body);
                    if (!compare) {
                        continue;
                    }
                    if (s == 0) {
                        reference = answer;
                    } else if (reference != null && !agree(reference, answer)) {
                        disagreements[s][q]++;
                        if (firstDisagreement[s][q] == null) {
                            firstDisagreement[s][q] = "at " + PeerApi.seconds(t) + ": Prometheus " + abbreviate(reference) + " vs "
                                    + systems.get(s).name + " " + abbreviate(answer);
                        }
                    }
                }
            }
            rounds = r + 1;
        }
    }

    private static String abbreviate(Map<String, Double> m) {
        return PromJson.abbreviate(m.toString());
    }

    static boolean agree(Map<String, Double> a, Map<String, Double> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, Double> e : a.entrySet()) {
            if (!close(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static boolean close(double x, double y) {
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return Double.isNaN(x) && Double.isNaN(y);
        }
        if (x == y) {
            return true;
        }
        return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
    }
}
