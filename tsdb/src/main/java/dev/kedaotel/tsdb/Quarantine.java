package dev.kedaotel.tsdb;

/**
 * A FIFO of (release time, item) pairs: things freed at time t become reusable at t + grace, so a
 * reader that picked up a series ref, symbol id or block just before it was freed can finish with it.
 * Release times are enqueued in non-decreasing order (one clock, one grace), so only the head needs
 * checking.
 *
 * <p>Layout: two rings. Items are ints (4 bytes each); release times are run-length encoded, one
 * (time, count) run per distinct release time, because whole batches are freed in the same millisecond
 * (a retention pass, a request creating thousands of series), so a quarantined item costs ~4 bytes
 * instead of the 16 of a (long, long) pair. Both rings halve when they fall to a quarter full, so a
 * burst (every symbol of a million new series waits out its grace at once) does not keep its peak
 * arrays for the store's lifetime. Capacities are powers of two (ring indexes are masked). Not thread-safe: each owner guards it with its own lock.
 */
final class Quarantine {
    private static final int MIN_CAPACITY = 64;

    private int[] items = new int[MIN_CAPACITY];
    private int head;
    private int size;

    private long[] runAt = new long[MIN_CAPACITY];
    private int[] runCount = new int[MIN_CAPACITY];
    private int runHead;
    private int runs;

    void add(long releaseAtMs, int item) {
        if (size == items.length) {
            items = resized(items, head, size, size * 2);
            head = 0;
        }
        items[(head + size) & (items.length - 1)] = item;
        size++;
        int last = (runHead + runs - 1) & (runAt.length - 1);
        if (runs > 0 && runAt[last] == releaseAtMs) {
            runCount[last]++;
            return;
        }
        if (runs == runAt.length) {
            resizeRuns(runs * 2);
        }
        int tail = (runHead + runs) & (runAt.length - 1);
        runAt[tail] = releaseAtMs;
        runCount[tail] = 1;
        runs++;
    }

    /** True when the oldest entry may be reused at {@code nowMs}. */
    boolean hasReleasable(long nowMs) {
        return size > 0 && runAt[runHead] <= nowMs;
    }

    /** Removes and returns the oldest entry; call only after {@link #hasReleasable}. */
    int poll() {
        int item = items[head];
        head = (head + 1) & (items.length - 1);
        size--;
        if (--runCount[runHead] == 0) {
            runHead = (runHead + 1) & (runAt.length - 1);
            runs--;
        }
        if (size < items.length / 4 && items.length > MIN_CAPACITY) {
            items = resized(items, head, size, items.length / 2);
            head = 0;
        }
        if (runs < runAt.length / 4 && runAt.length > MIN_CAPACITY) {
            resizeRuns(runAt.length / 2);
        }
        return item;
    }

    int size() {
        return size;
    }

    void clear() {
        items = new int[MIN_CAPACITY];
        runAt = new long[MIN_CAPACITY];
        runCount = new int[MIN_CAPACITY];
        head = 0;
        size = 0;
        runHead = 0;
        runs = 0;
    }

    /** Bytes of the rings' arrays (tests, diagnostics). */
    long capacityBytes() {
        return items.length * 4L + runAt.length * 12L;
    }

    private void resizeRuns(int capacity) {
        long[] at = new long[capacity];
        for (int i = 0; i < runs; i++) {
            at[i] = runAt[(runHead + i) & (runAt.length - 1)];
        }
        runCount = resized(runCount, runHead, runs, capacity);
        runAt = at;
        runHead = 0;
    }

    /** The ring's {@code n} elements from {@code head}, in order, in a new array of {@code capacity}. */
    private static int[] resized(int[] ring, int head, int n, int capacity) {
        int[] r = new int[capacity];
        for (int i = 0; i < n; i++) {
            r[i] = ring[(head + i) & (ring.length - 1)];
        }
        return r;
    }
}
