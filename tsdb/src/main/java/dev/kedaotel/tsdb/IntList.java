package dev.kedaotel.tsdb;

import java.util.Arrays;

/** A reusable growable int list (series refs), so selections do not box or allocate per element. */
public final class IntList {
    private int[] data;
    private int size;

    public IntList() {
        this(16);
    }

    public IntList(int capacity) {
        data = new int[Math.max(1, capacity)];
    }

    public void add(int v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, size * 2);
        }
        data[size++] = v;
    }

    public int get(int i) {
        return data[i];
    }

    public int size() {
        return size;
    }

    /** Drops the last element. */
    public void removeLast() {
        if (size == 0) {
            throw new IllegalStateException("empty list");
        }
        size--;
    }

    public void clear() {
        size = 0;
    }

    public int[] toArray() {
        return Arrays.copyOf(data, size);
    }

    /**
     * Appends {@code n} elements written by the caller: returns the backing array, in which they go at
     * {@code [size() - n, size())} (bulk appends of the tsdb's own structures, without a call per element).
     */
    int[] extend(int n) {
        if (size + n > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + n));
        }
        size += n;
        return data;
    }

    /** Backing array; valid up to {@link #size()}. */
    public int[] array() {
        return data;
    }
}
