package dev.kedaotel.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable label set, sorted by name, with unique names; the metric name is the label
 * {@code __name__}. This is the heap representation handed out by the store's read side and used by
 * the query engine for results. A name that is absent reads as the empty string, as in Prometheus.
 *
 * <p>Two forms with one behaviour. A label set built from strings holds its pairs. One handed out by the
 * store ({@code TimeSeriesStore#labels}) is built on demand from the series' key and holds only shared
 * {@link LabelNames} (the names, already as strings and sorted) and a copy of the value symbol ids:
 * {@link #name}, {@link #size} and {@link #metricName} cost nothing, {@link #get} and {@link #value}
 * decode one value, and the whole pair array is decoded once, on first need ({@link #equals},
 * {@link #hashCode}, {@link #compareTo}, {@link #toMap}, {@link #toString}). Why: the store keeps no
 * strings per series, and most queries aggregate series without looking at most of their labels.
 * Thread safety: the decoded array is published with release/acquire; decoding twice in a race is harmless.
 */
public final class Labels implements Comparable<Labels> {
    public static final String METRIC_NAME = "__name__";
    public static final Labels EMPTY = new Labels(new String[0]);
    private static final VarHandle DECODED;

    static {
        try {
            DECODED = MethodHandles.lookup().findVarHandle(Labels.class, "decoded", String[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** name0, value0, name1, value1, ... sorted by name; null in the lazy form until decoded. */
    private final String[] pairs;
    /** Lazy form: the names and the symbol table (null in the eager form), the value symbols (indexed per the shape). */
    private final LabelNames shape;
    private final int[] valueIds;
    /** Lazy form: the decoded pairs once needed (accessed through {@link #DECODED}). */
    @SuppressWarnings("unused")
    private String[] decoded;
    private int hash;

    private Labels(String[] sortedPairs) {
        this.pairs = sortedPairs;
        this.shape = null;
        this.valueIds = null;
    }

    private Labels(LabelNames shape, int[] valueIds) {
        this.pairs = null;
        this.shape = shape;
        this.valueIds = valueIds;
    }

    /**
     * The lazy form, for stores: names from {@code names}, the value of label {@code i} (in label order)
     * is {@code names}' symbol lookup applied to {@code valueIds[names.valueIndex[i]]}. Not copied: the
     * caller hands over {@code valueIds}.
     */
    public static Labels lazy(LabelNames shape, int[] valueIds) {
        return new Labels(shape, valueIds);
    }

    /** The pairs, decoding them in the lazy form. */
    private String[] pairs() {
        if (pairs != null) {
            return pairs;
        }
        String[] d = (String[]) DECODED.getAcquire(this);
        if (d == null) {
            int n = shape.size();
            d = new String[n << 1];
            for (int i = 0; i < n; i++) {
                d[i << 1] = shape.sortedNames[i];
                d[(i << 1) + 1] = shape.symbols.symbol(valueIds[shape.valueIndex[i]]);
            }
            DECODED.setRelease(this, d);
        }
        return d;
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
        return pairs != null ? pairs.length >> 1 : shape.size();
    }

    public String name(int i) {
        return pairs != null ? pairs[i << 1] : shape.sortedNames[i];
    }

    public String value(int i) {
        if (pairs != null) {
            return pairs[(i << 1) + 1];
        }
        String[] d = (String[]) DECODED.getAcquire(this);
        return d != null ? d[(i << 1) + 1] : shape.symbols.symbol(valueIds[shape.valueIndex[i]]);
    }

    /** The value of {@code name}, or "" when absent. */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? "" : value(i);
    }

    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    public String metricName() {
        if (pairs == null) {
            return shape.metricNameValue < 0 ? "" : shape.symbols.symbol(valueIds[shape.metricNameValue]);
        }
        return get(METRIC_NAME);
    }

    private int indexOf(String name) {
        if (pairs == null) {
            int i = shape.indexOf(name);
            return i < 0 ? -1 : i;
        }
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
        String[] pairs = pairs();
        TreeMap<String, String> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /** A copy without {@code __name__}. */
    public Labels withoutMetricName() {
        if (pairs == null) {
            return shape.metricNameValue < 0 ? this : lazy(shape.withoutMetricName, valueIds);
        }
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
        return this == o || (o instanceof Labels && Arrays.equals(pairs(), ((Labels) o).pairs()));
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(pairs());
            hash = h;
        }
        return h;
    }

    /** Orders like Prometheus' labels.Compare: pairwise by name then value, shorter set first. */
    @Override
    public int compareTo(Labels o) {
        String[] pairs = pairs();
        String[] other = o.pairs();
        int n = Math.min(pairs.length, other.length);
        for (int i = 0; i < n; i++) {
            int c = pairs[i].compareTo(other[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pairs.length, other.length);
    }

    /** PromQL's text form: {@code name{a="b", c="d"}}, the metric name outside the braces, values Go-quoted. */
    @Override
    public String toString() {
        String[] pairs = pairs();
        StringBuilder sb = new StringBuilder();
        sb.append(get(METRIC_NAME)).append('{');
        boolean first = true;
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equals(METRIC_NAME)) {
                continue;
            }
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(pairs[i]).append('=').append(GoStrings.quote(pairs[i + 1]));
        }
        return sb.append('}').toString();
    }

    /**
     * Prometheus' {@code labels.String()}: {@code {__name__="m", a="b"}}, every label including the
     * name, values Go-quoted; the form Prometheus' error messages print label sets in.
     */
    public String prometheusString() {
        String[] pairs = pairs();
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < pairs.length; i += 2) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(pairs[i]).append('=').append(GoStrings.quote(pairs[i + 1]));
        }
        return sb.append('}').toString();
    }
}
