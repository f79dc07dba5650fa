package dev.kedaotel.query.eval;

import dev.kedaotel.model.Labels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code histogram_quantile} over classic {@code _bucket} series: buckets are grouped by their labels
 * without {@code le} (the metric name still tells histograms apart, as in Prometheus), sorted by bound,
 * equal bounds merged, and counts forced to be monotonic (scrapes of different buckets are not atomic,
 * so a higher bucket may briefly read lower). Each group's element keeps the group's labels; its row in
 * {@link FunctionTable} drops {@code __name__}, so two histograms differing only in name collide there.
 */
final class HistogramQuantile {
    private HistogramQuantile() {
    }

    static Vec apply(double q, Vec in) {
        Map<Labels, List<double[]>> groups = new LinkedHashMap<>();
        for (int i = 0; i < in.size(); i++) {
            Labels l = in.labels(i);
            double bound;
            try {
                bound = parseBound(l.get("le"));
            } catch (NumberFormatException e) {
                continue; // Prometheus skips series whose le is not a number
            }
            TreeMap<String, String> key = new TreeMap<>(l.toMap());
            key.remove("le");
            groups.computeIfAbsent(Labels.fromMap(key), k -> new ArrayList<>()).add(new double[] {bound, in.value(i)});
        }
        Vec out = new Vec(groups.size());
        groups.forEach((labels, buckets) -> out.add(labels, bucketQuantile(q, buckets)));
        return out;
    }

    /**
     * Go's strconv.ParseFloat, as Prometheus reads {@code le}: case-insensitive {@code inf}/{@code infinity}
     * with an optional sign and {@code nan}; no surrounding spaces, no Java-only {@code d}/{@code f}
     * suffixes. Throws NumberFormatException for what Go would reject (the bucket is then ignored).
     */
    static double parseBound(String le) {
        String body = le.startsWith("+") || le.startsWith("-") ? le.substring(1) : le;
        if (body.equalsIgnoreCase("inf") || body.equalsIgnoreCase("infinity")) {
            return le.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (le.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        if (le.isEmpty() || Character.isWhitespace(le.charAt(0)) || Character.isWhitespace(le.charAt(le.length() - 1))
                || "dDfF".indexOf(le.charAt(le.length() - 1)) >= 0 && !le.startsWith("0x") && !le.startsWith("0X")) {
            throw new NumberFormatException("not a Go float: " + le);
        }
        return Double.parseDouble(le);
    }

    static double bucketQuantile(double q, List<double[]> buckets) {
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        buckets.sort((a, b) -> Double.compare(a[0], b[0]));
        if (buckets.isEmpty() || buckets.get(buckets.size() - 1)[0] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        List<double[]> merged = new ArrayList<>(buckets.size());
        for (double[] b : buckets) {
            double[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last[0] == b[0]) {
                last[1] += b[1];
            } else {
                merged.add(new double[] {b[0], b[1]});
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double[] b : merged) {
            if (b[1] > max) {
                max = b[1];
            } else if (b[1] < max) {
                b[1] = max;
            }
        }
        int n = merged.size();
        if (n < 2) {
            return Double.NaN;
        }
        double observations = merged.get(n - 1)[1];
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        int b = 0;
        while (b < n - 1 && merged.get(b)[1] < rank) {
            b++;
        }
        if (b == n - 1) {
            return merged.get(n - 2)[0];
        }
        if (b == 0 && merged.get(0)[0] <= 0) {
            return merged.get(0)[0];
        }
        double start = 0;
        double end = merged.get(b)[0];
        double count = merged.get(b)[1];
        if (b > 0) {
            start = merged.get(b - 1)[0];
            count -= merged.get(b - 1)[1];
            rank -= merged.get(b - 1)[1];
        }
        return start + (end - start) * (rank / count);
    }
}
