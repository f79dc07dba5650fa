package dev.kedaotel.tsdb;

import java.util.Arrays;

/**
 * The label <em>names</em> of a label set, shared by every series (and every {@link Labels}) with the
 * same names: a metric's series usually differ only in their values, so a series stores a shape id and
 * its value symbols, and the names, their strings and their order live here once.
 *
 * <p>Two orders matter. Series keys are sorted by name <em>symbol id</em> ({@link #names}, the canonical
 * order of {@link LabelSetBuilder}); value symbols are stored in that order. {@link Labels} are sorted by
 * name <em>string</em>: {@link #sortedNames} is that order and {@link #valueIndex} maps it back to the
 * position of the value. Immutable (all fields final, arrays never written after construction), so
 * instances may be shared between threads freely.
 */
final class LabelShape {
    /** Id in {@link LabelShapes}, or -1 for a derived shape that is not a key shape. */
    final int id;
    /** Name symbols in key order (ascending id); null for a derived shape. */
    final int[] names;
    /** Name strings in label order (ascending string). */
    final String[] sortedNames;
    /** {@code valueIndex[i]}: position in the value array of the value of {@code sortedNames[i]}. */
    final int[] valueIndex;
    /** Position in the value array of the {@code __name__} value, or -1. */
    final int metricNameValue;
    /** The same shape without {@code __name__} (this when there is none). */
    final LabelShape withoutMetricName;
    /** The table the value symbols of this shape's label sets come from (kept here, not per {@link Labels}). */
    final SymbolTable symbols;

    private LabelShape(int id, int[] names, String[] sortedNames, int[] valueIndex, SymbolTable symbols) {
        this.id = id;
        this.symbols = symbols;
        this.names = names;
        this.sortedNames = sortedNames;
        this.valueIndex = valueIndex;
        int at = Arrays.binarySearch(sortedNames, Labels.METRIC_NAME);
        this.metricNameValue = at < 0 ? -1 : valueIndex[at];
        if (at < 0) {
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
            this.withoutMetricName = new LabelShape(-1, null, n, v, symbols);
        }
    }

    /** A key shape: {@code names} ascending by id, {@code strings[i]} the string of {@code names[i]}. */
    static LabelShape of(int id, int[] names, String[] strings, SymbolTable symbols) {
        Integer[] order = new Integer[names.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> strings[a].compareTo(strings[b]));
        String[] sorted = new String[names.length];
        int[] valueIndex = new int[names.length];
        for (int i = 0; i < order.length; i++) {
            sorted[i] = strings[order[i]];
            valueIndex[i] = order[i];
        }
        return new LabelShape(id, names, sorted, valueIndex, symbols);
    }

    int size() {
        return sortedNames.length;
    }

    /** Position in {@link #sortedNames} of {@code name}, or negative. */
    int indexOf(String name) {
        return Arrays.binarySearch(sortedNames, name);
    }
}
