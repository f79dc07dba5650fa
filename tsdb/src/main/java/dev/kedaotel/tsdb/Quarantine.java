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
 * instead of the 16 of a (long, long) pair. A burst (every symbol of a million new series waits out its
 * grace at once) does not keep its peak arrays for the store's lifetime: after each stretch of as many
 * polls as the item ring holds, a ring whose peak during that stretch was under a quarter of its capacity
 * is shrunk to 2-4 times that peak. Judging by the peak of a whole stretch, not the current size, keeps a
 * quarantine that fills and drains in every retention pass (the block pool's) from reallocating its rings
 * each time. Capacities are powers of two (ring indexes are masked). Not thread-safe: each owner guards
 * it with its own lock.
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

    /** Polls since the last shrink check, and the most items and runs held since then. */
    private int pollsSinceCheck;
    private int peakItems;
    private int peakRuns;

    void add(long releaseAtMs, int item) {
        if (size == items.length) {
            items = resized(items, head, size, size * 2);
            head = 0;
        }
        items[(head + size) & (items.length - 1)] = item;
        size++;
        peakItems = Math.max(peakItems, size);
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
        peakRuns = Math.max(peakRuns, runs);
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
        if (++pollsSinceCheck >= items.length) {
            shrinkToPeaks();
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
        pollsSinceCheck = 0;
        peakItems = 0;
        peakRuns = 0;
    }

    /** Bytes of the rings' arrays (tests, diagnostics). */
    long capacityBytes() {
        return items.length * 4L + runAt.length * 12L;
    }

    /**
     * Shrinks both rings to 2-4× what they hold now when that is under a quarter of their capacity: for an
     * owner whose quarantine takes bursts between quiet stretches, called once per pass (the symbol
     * table, after each reclaim), so a burst's arrays go as soon as it is drained.
     */
    void trim() {
        peakItems = size;
        peakRuns = runs;
        shrinkToPeaks();
    }

    private void shrinkToPeaks() {
        if (peakItems < items.length / 4 && items.length > MIN_CAPACITY) {
            items = resized(items, head, size, capacityFor(peakItems));
            head = 0;
        }
        if (peakRuns < runAt.length / 4 && runAt.length > MIN_CAPACITY) {
            resizeRuns(capacityFor(peakRuns));
        }
        pollsSinceCheck = 0;
        peakItems = size;
        peakRuns = runs;
    }

    /** A power of two 2-4 times {@code peak}, at least the minimum. */
    private static int capacityFor(int peak) {
        return Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, peak)) << 2);
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
