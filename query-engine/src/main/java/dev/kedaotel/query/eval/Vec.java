package dev.kedaotel.query.eval;

import dev.kedaotel.model.Labels;

import java.util.Arrays;

/**
 * An instant vector under evaluation: parallel columns of labels, values and (for raw selector output)
 * sample timestamps. {@code dropName} defers dropping {@code __name__}: for functions such as {@code rate}
 * the evaluator only sets the flag (from the function's {@link FunctionTable} row), so
 * {@code sum(rate(x[1m]))} never builds a name-less copy of each series' labels; {@link #labels(int)}
 * materialises when a result really needs the label set. Single-threaded.
 */
final class Vec {
    private Labels[] labels;
    private double[] values;
    private long[] timestamps;
    private int size;
    boolean dropName;

    Vec(int capacity) {
        int c = Math.max(4, capacity);
        labels = new Labels[c];
        values = new double[c];
    }

    static Vec empty() {
        return new Vec(4);
    }

    int size() {
        return size;
    }

    void add(Labels l, double v) {
        if (size == labels.length) {
            grow();
        }
        labels[size] = l;
        values[size] = v;
        size++;
    }

    void addWithTimestamp(Labels l, double v, long ts) {
        if (timestamps == null) {
            timestamps = new long[labels.length];
        }
        add(l, v);
        if (timestamps.length < labels.length) {
            timestamps = Arrays.copyOf(timestamps, labels.length);
        }
        timestamps[size - 1] = ts;
    }

    private void grow() {
        int c = labels.length * 2;
        labels = Arrays.copyOf(labels, c);
        values = Arrays.copyOf(values, c);
        if (timestamps != null) {
            timestamps = Arrays.copyOf(timestamps, c);
        }
    }

    /** The element's labels as the result sees them (without {@code __name__} when dropped). */
    Labels labels(int i) {
        return dropName ? labels[i].withoutMetricName() : labels[i];
    }

    /** The stored labels, possibly still carrying a dropped {@code __name__}. */
    Labels rawLabels(int i) {
        return labels[i];
    }

    /** One label's value as the result sees it ("" when absent or dropped). */
    String labelValue(int i, String name) {
        if (dropName && Labels.METRIC_NAME.equals(name)) {
            return "";
        }
        return labels[i].get(name);
    }

    double value(int i) {
        return values[i];
    }

    void setValue(int i, double v) {
        values[i] = v;
    }

    /** The sample timestamp of a raw selector element, or -1 when this vector has none. */
    long timestamp(int i) {
        return timestamps == null ? -1 : timestamps[i];
    }

    boolean hasTimestamps() {
        return timestamps != null;
    }
}
