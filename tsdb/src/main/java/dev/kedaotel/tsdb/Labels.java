package dev.kedaotel.tsdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable label set, sorted by name, with unique names; the metric name is the label
 * {@code __name__}. This is the heap representation handed out by the store's read side (one
 * instance per live series, created when the series is) and used by the query engine for results.
 * A name that is absent reads as the empty string, as in Prometheus.
 */
public final class Labels implements Comparable<Labels> {
    public static final String METRIC_NAME = "__name__";
    public static final Labels EMPTY = new Labels(new String[0]);

    /** name0, value0, name1, value1, ... sorted by name. */
    private final String[] pairs;
    private int hash;

    private Labels(String[] sortedPairs) {
        this.pairs = sortedPairs;
    }

    /** Builds from alternating name, value arguments; later duplicates win; empty values are dropped. */
    public static Labels of(String... nameValues) {
        if ((nameValues.length & 1) != 0) {
            throw new IllegalArgumentException("expected name/value pairs, got " + nameValues.length + " strings");
        }
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put(nameValues[i], nameValues[i + 1]);
        }
        return fromMap(m);
    }

    /** Builds from a map; entries with empty values are dropped (Prometheus treats them as absent). */
    public static Labels fromMap(Map<String, String> map) {
        TreeMap<String, String> sorted = map instanceof TreeMap ? (TreeMap<String, String>) map : new TreeMap<>(map);
        List<String> out = new ArrayList<>(sorted.size() * 2);
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (e.getValue() != null && !e.getValue().isEmpty()) {
                out.add(e.getKey());
                out.add(e.getValue());
            }
        }
        return out.isEmpty() ? EMPTY : new Labels(out.toArray(new String[0]));
    }

    /** Wraps pairs that the caller guarantees are sorted by name, unique, and non-empty. Not copied. */
    public static Labels ofSortedPairsUnsafe(String[] sortedPairs) {
        return sortedPairs.length == 0 ? EMPTY : new Labels(sortedPairs);
    }

    public int size() {
        return pairs.length >> 1;
    }

    public String name(int i) {
        return pairs[i << 1];
    }

    public String value(int i) {
        return pairs[(i << 1) + 1];
    }

    /** The value of {@code name}, or "" when absent. */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? "" : pairs[(i << 1) + 1];
    }

    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    public String metricName() {
        return get(METRIC_NAME);
    }

    private int indexOf(String name) {
        int lo = 0;
        int hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = pairs[mid << 1].compareTo(name);
            if (c == 0) {
                return mid;
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    public Map<String, String> toMap() {
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /** A copy without {@code __name__}. */
    public Labels withoutMetricName() {
        int i = indexOf(METRIC_NAME);
        if (i < 0) {
            return this;
        }
        String[] out = new String[pairs.length - 2];
        System.arraycopy(pairs, 0, out, 0, i << 1);
        System.arraycopy(pairs, (i << 1) + 2, out, i << 1, pairs.length - (i << 1) - 2);
        return ofSortedPairsUnsafe(out);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Labels && Arrays.equals(pairs, ((Labels) o).pairs));
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(pairs);
            hash = h;
        }
        return h;
    }

    /** Orders like Prometheus' labels.Compare: pairwise by name then value, shorter set first. */
    @Override
    public int compareTo(Labels o) {
        int n = Math.min(pairs.length, o.pairs.length);
        for (int i = 0; i < n; i++) {
            int c = pairs[i].compareTo(o.pairs[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pairs.length, o.pairs.length);
    }

    /** Prometheus' text form: {@code name{a="b", c="d"}} with the metric name outside the braces. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        String metric = get(METRIC_NAME);
        sb.append(metric).append('{');
        boolean first = true;
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(METRIC_NAME)) {
                continue;
            }
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(pairs[i]).append("=\"");
            appendEscaped(sb, pairs[i + 1]);
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    private static void appendEscaped(StringBuilder sb, String v) {
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            switch (ch) {
                case '\\': sb.append("\\\\"); break;
                case '"': sb.append("\\\""); break;
                case '\n': sb.append("\\n"); break;
                default: sb.append(ch);
            }
        }
    }
}
