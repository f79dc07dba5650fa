package dev.kedaotel.tsdb;

import java.util.Arrays;

/**
 * A reusable, growable column pair of (timestamp ms, value) that readers copy samples into, so that
 * reading a series allocates nothing once the buffer has grown to the window's size. Not thread-safe:
 * one per reading thread or evaluation.
 */
public final class SampleBuffer {
    private long[] timestamps;
    private double[] values;
    private int size;
    /** Scratch of {@link #mergeRuns}, grown on demand and kept (so merging allocates nothing once warm). */
    private long[] mergeTimestamps;
    private double[] mergeValues;

    public SampleBuffer() {
        this(64);
    }

    public SampleBuffer(int initialCapacity) {
        timestamps = new long[Math.max(1, initialCapacity)];
        values = new double[Math.max(1, initialCapacity)];
    }

    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public long timestamp(int i) {
        return timestamps[i];
    }

    public double value(int i) {
        return values[i];
    }

    public void add(long timestampMs, double value) {
        if (size == timestamps.length) {
            grow(size + 1);
        }
        timestamps[size] = timestampMs;
        values[size] = value;
        size++;
    }

    /** Makes room for at least {@code capacity} samples in total. */
    public void ensureCapacity(int capacity) {
        if (capacity > timestamps.length) {
            grow(capacity);
        }
    }

    /** Drops the first {@code n} samples (used by readers that discover overwritten entries). */
    public void dropFirst(int n) {
        if (n <= 0) {
            return;
        }
        n = Math.min(n, size);
        System.arraycopy(timestamps, n, timestamps, 0, size - n);
        System.arraycopy(values, n, values, 0, size - n);
        size -= n;
    }

    /** Truncates to the first {@code n} samples. */
    public void truncate(int n) {
        size = Math.min(size, Math.max(0, n));
    }

    /**
     * Merges the two adjacent runs {@code [start, mid)} and {@code [mid, size())}, each sorted by timestamp,
     * into one sorted run in place (the store's read of a series' compressed chain followed by its
     * out-of-order samples). Timestamps are distinct across the runs; on a tie the first run's sample
     * comes first. Linear; copies only the second run, which is the short one there.
     */
    void mergeRuns(int start, int mid) {
        int n2 = size - mid;
        if (start >= mid || n2 <= 0 || timestamps[mid - 1] < timestamps[mid]) {
            return; // one run empty, or already in order
        }
        if (mergeTimestamps == null || mergeTimestamps.length < n2) {
            mergeTimestamps = new long[Math.max(n2, 16)];
            mergeValues = new double[mergeTimestamps.length];
        }
        System.arraycopy(timestamps, mid, mergeTimestamps, 0, n2);
        System.arraycopy(values, mid, mergeValues, 0, n2);
        int i = mid - 1; // last of the first run
        int j = n2 - 1;  // last of the second (in scratch)
        int w = size - 1;
        while (j >= 0) {
            if (i >= start && timestamps[i] > mergeTimestamps[j]) {
                timestamps[w] = timestamps[i];
                values[w] = values[i];
                i--;
            } else {
                timestamps[w] = mergeTimestamps[j];
                values[w] = mergeValues[j];
                j--;
            }
            w--;
        }
    }

    /** Direct access for tight loops; valid up to {@link #size()}. */
    public long[] timestampArray() {
        return timestamps;
    }

    public double[] valueArray() {
        return values;
    }

    private void grow(int min) {
        int cap = Math.max(min, timestamps.length * 2);
        timestamps = Arrays.copyOf(timestamps, cap);
        values = Arrays.copyOf(values, cap);
    }
}
