package dev.kedaotel.server.simulate;

import java.util.Arrays;

/**
 * A recorded metric: samples in strictly increasing time order, a failed sample stored as NaN.
 *
 * <p>The value at an instant is the latest sample at or before it, for one interval of the history (the median
 * spacing of its samples, as a {@code query_range} step) after its timestamp: a point missing from a regular
 * history is therefore a failed read from its time until the next point — KEDA sees an error there — and
 * nothing is read before the first sample. Immutable.
 */
final class MetricHistory {
    private final long[] timesMs;
    private final double[] values;
    private final long intervalMs;

    MetricHistory(long[] timesMs, double[] values) {
        if (timesMs.length == 0 || timesMs.length != values.length) {
            throw new IllegalArgumentException("a history needs samples");
        }
        this.timesMs = timesMs.clone();
        this.values = values.clone();
        if (timesMs.length == 1) {
            this.intervalMs = Long.MAX_VALUE / 4;
        } else {
            long[] gaps = new long[timesMs.length - 1];
            for (int i = 1; i < timesMs.length; i++) {
                gaps[i - 1] = timesMs[i] - timesMs[i - 1];
            }
            Arrays.sort(gaps);
            this.intervalMs = gaps[gaps.length / 2];
        }
    }

    long firstMs() {
        return timesMs[0];
    }

    long lastMs() {
        return timesMs[timesMs.length - 1];
    }

    long intervalMs() {
        return intervalMs;
    }

    int size() {
        return timesMs.length;
    }

    long timeMs(int i) {
        return timesMs[i];
    }

    double value(int i) {
        return values[i];
    }

    /** The reading at {@code atMs}: the latest sample at or before it, if less than one interval old; else failed. */
    MetricReading at(long atMs) {
        int i = Arrays.binarySearch(timesMs, atMs);
        int latest = i >= 0 ? i : -i - 2;
        if (latest < 0 || atMs - timesMs[latest] >= intervalMs || Double.isNaN(values[latest])) {
            return MetricReading.failed();
        }
        return MetricReading.of(values[latest]);
    }
}
