package dev.kedaotel.query;

import dev.kedaotel.model.Labels;

import java.util.List;

/**
 * The value of an evaluated query. Which accessors apply depends on {@link #type()}: a vector has
 * {@link #size()}, {@link #labels(int)}, {@link #value(int)} and {@link #timestampMs()}; a scalar has
 * {@link #scalar()}; a matrix has {@link #series()}; a string has {@link #string()}. Immutable.
 */
public final class QueryResult {
    /** One series of a matrix: its labels and parallel sample columns, oldest first. */
    public static final class Series {
        private final Labels labels;
        private final long[] timestamps;
        private final double[] values;

        public Series(Labels labels, long[] timestamps, double[] values) {
            this.labels = labels;
            this.timestamps = timestamps;
            this.values = values;
        }

        public Labels labels() {
            return labels;
        }

        public long[] timestamps() {
            return timestamps;
        }

        public double[] values() {
            return values;
        }

        public int size() {
            return timestamps.length;
        }
    }

    private final ValueType type;
    private final long timestampMs;
    private final Labels[] labels;
    private final double[] values;
    private final double scalar;
    private final List<Series> series;
    private final String string;

    private QueryResult(ValueType type, long timestampMs, Labels[] labels, double[] values, double scalar,
                        List<Series> series, String string) {
        this.type = type;
        this.timestampMs = timestampMs;
        this.labels = labels;
        this.values = values;
        this.scalar = scalar;
        this.series = series;
        this.string = string;
    }

    public static QueryResult vector(long timestampMs, Labels[] labels, double[] values) {
        if (labels.length != values.length) {
            throw new IllegalArgumentException("labels and values differ in length");
        }
        return new QueryResult(ValueType.VECTOR, timestampMs, labels, values, Double.NaN, null, null);
    }

    public static QueryResult scalar(long timestampMs, double v) {
        return new QueryResult(ValueType.SCALAR, timestampMs, null, null, v, null, null);
    }

    public static QueryResult string(long timestampMs, String s) {
        return new QueryResult(ValueType.STRING, timestampMs, null, null, Double.NaN, null, s);
    }

    public static QueryResult matrix(List<Series> series) {
        return new QueryResult(ValueType.MATRIX, 0, null, null, Double.NaN, List.copyOf(series), null);
    }

    public ValueType type() {
        return type;
    }

    /** Evaluation time of a vector, scalar or string result. */
    public long timestampMs() {
        return timestampMs;
    }

    /** Number of vector elements (or matrix series). */
    public int size() {
        return type == ValueType.MATRIX ? series.size() : type == ValueType.VECTOR ? labels.length : 0;
    }

    public Labels labels(int i) {
        requireType(ValueType.VECTOR);
        return labels[i];
    }

    public double value(int i) {
        requireType(ValueType.VECTOR);
        return values[i];
    }

    public double scalar() {
        requireType(ValueType.SCALAR);
        return scalar;
    }

    public List<Series> series() {
        requireType(ValueType.MATRIX);
        return series;
    }

    public String string() {
        requireType(ValueType.STRING);
        return string;
    }

    private void requireType(ValueType t) {
        if (type != t) {
            throw new IllegalStateException("result is a " + type.apiName() + ", not a " + t.apiName());
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(type.apiName()).append(':');
        switch (type) {
            case SCALAR: return sb.append(scalar).toString();
            case STRING: return sb.append(string).toString();
            case VECTOR:
                for (int i = 0; i < labels.length; i++) {
                    sb.append(' ').append(labels[i]).append(" => ").append(values[i]);
                }
                return sb.toString();
            default:
                for (Series s : series) {
                    sb.append(' ').append(s.labels()).append(" x").append(s.size());
                }
                return sb.toString();
        }
    }
}
