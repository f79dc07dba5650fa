package dev.kedaotel.tsdb;

import java.util.Arrays;

/**
 * A FIFO of (release time, item) pairs: things freed at time t become reusable at t + grace, so a
 * reader that picked up a series ref or ring slot just before it was freed can finish with it. Release
 * times are enqueued in non-decreasing order (one clock, one grace), so only the head needs checking.
 * Not thread-safe: each owner guards it with its own lock.
 */
final class Quarantine {
    private long[] releaseAt = new long[64];
    private long[] items = new long[64];
    private int head;
    private int size;

    void add(long releaseAtMs, long item) {
        if (size == items.length) {
            long[] r = new long[size * 2];
            long[] it = new long[size * 2];
            for (int i = 0; i < size; i++) {
                int j = (head + i) % items.length;
                r[i] = releaseAt[j];
                it[i] = items[j];
            }
            releaseAt = r;
            items = it;
            head = 0;
        }
        int tail = (head + size) % items.length;
        releaseAt[tail] = releaseAtMs;
        items[tail] = item;
        size++;
    }

    /** True when the oldest entry may be reused at {@code nowMs}. */
    boolean hasReleasable(long nowMs) {
        return size > 0 && releaseAt[head] <= nowMs;
    }

    /** Removes and returns the oldest entry; call only after {@link #hasReleasable}. */
    long poll() {
        long item = items[head];
        head = (head + 1) % items.length;
        size--;
        return item;
    }

    int size() {
        return size;
    }

    void clear() {
        head = 0;
        size = 0;
        Arrays.fill(items, 0);
    }
}
