package dev.kedaotel.model;

import java.util.Arrays;

/**
 * The label <em>names</em> shared by every lazily decoded {@link Labels} of one shape: a metric's series
 * usually differ only in their values, so a store hands out label sets as (shared names, value symbol
 * ids) and the names, their order and the symbol lookup live here once.
 *
 * <p>{@link #sortedNames} is the label order (ascending string, as {@link Labels} are sorted);
 * {@code valueIndex[i]} is the position, in a label set's value-id array, of the value of
 * {@code sortedNames[i]}, so a store may keep values in any order of its own (the tsdb keeps them in
 * name-symbol order). Immutable, so instances are shared between threads freely.
 */
public final class LabelNames {
    final String[] sortedNames;
    final int[] valueIndex;
    /** Position in the value array of the {@code __name__} value, or -1. */
    final int metricNameValue;
    /** The same names without {@code __name__} ({@code this} when there is none). */
    final LabelNames withoutMetricName;
    final SymbolLookup symbols;

    private LabelNames(String[] sortedNames, int[] valueIndex, SymbolLookup symbols, boolean derive) {
        this.sortedNames = sortedNames;
        this.valueIndex = valueIndex;
        this.symbols = symbols;
        int at = Arrays.binarySearch(sortedNames, Labels.METRIC_NAME);
        this.metricNameValue = at < 0 ? -1 : valueIndex[at];
        if (at < 0 || !derive) {
            this.withoutMetricName = this;
        } else {
            String[] n = new String[sortedNames.length - 1];
            int[] v = new int[n.length];
            for (int i = 0, w = 0; i < sortedNames.length; i++) {
                if (i != at) {
                    n[w] = sortedNames[i];
                    v[w++] = valueIndex[i];
                }
            }
            this.withoutMetricName = new LabelNames(n, v, symbols, false);
        }
    }

    /**
     * Names given in the store's value order: {@code names[i]} names the value at position {@code i} of
     * every value-id array used with the result. Neither array is modified or kept.
     */
    public static LabelNames inValueOrder(String[] names, SymbolLookup symbols) {
        Integer[] order = new Integer[names.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> names[a].compareTo(names[b]));
        String[] sorted = new String[names.length];
        int[] valueIndex = new int[names.length];
        for (int i = 0; i < order.length; i++) {
            sorted[i] = names[order[i]];
            valueIndex[i] = order[i];
        }
        return new LabelNames(sorted, valueIndex, symbols, true);
    }

    public int size() {
        return sortedNames.length;
    }

    /** Position in the value-id array of the {@code __name__} value, or -1 when there is none. */
    public int metricNameValue() {
        return metricNameValue;
    }

    /** Position in label order of {@code name}, or negative. */
    int indexOf(String name) {
        return Arrays.binarySearch(sortedNames, name);
    }
}
