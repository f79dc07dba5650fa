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
