package dev.kedaotel.tsdb;

import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One series' out-of-order samples: a small, uncompressed, timestamp-sorted array pair on the heap, kept
 * apart from the series' compressed chain so that in-order appends keep their lock-free, append-only
 * encoding (Prometheus' head does the same with an uncompressed out-of-order chunk per series and merges
 * it on read). Created only when a series first receives an out-of-order sample, dropped when its last
 * sample expires or the series is removed ({@link OutOfOrderBuffers}).
 *
 * <h2>Who writes, who reads</h2>
 * One writer at a time: every mutation runs under the owning series' writer lock (the CAS lock word of
 * its {@link SampleRings} header), whose acquiring CAS and releasing unlock order consecutive writers.
 * Any number of readers copy samples without a lock, validated by a sequence counter (a seqlock, the
 * protocol of {@link java.util.concurrent.locks.StampedLock#tryOptimisticRead}):
 * <ul>
 *   <li>Writer: store {@code version + 1} (odd: "writing"), {@link VarHandle#storeStoreFence()}, then
 *       mutate {@code size}, the arrays (or swap them for larger copies), then store {@code version + 2}
 *       (volatile, so it releases every mutation before it).</li>
 *   <li>Reader: load {@code version} (volatile, acquire); odd → a writer is inside, spin (yielding now
 *       and then) and retry. Read
 *       {@code size}, the arrays and the samples with plain loads (they may race with a writer and see
 *       anything, even a torn or half-shifted pair), {@link VarHandle#loadLoadFence()}, load
 *       {@code version} again: unchanged → nothing was written meanwhile, so what was copied is one
 *       consistent, sorted state; changed → discard the copy and retry.</li>
 * </ul>
 * Racy plain reads never index out of bounds: the reader clamps {@code size} to the array it loaded.
 * Writers finish in a few hundred nanoseconds (at most {@code cap} shifted samples), so readers retry
 * rarely; a reader never blocks a writer.
 */
final class OutOfOrderBuffer {
    /** Initial capacity in samples; doubles up to the per-series cap. */
    static final int INITIAL_CAPACITY = 8;
    /** Heap bytes per sample of capacity (a long timestamp and a long value). */
    static final int BYTES_PER_SAMPLE = 16;
    /** Heap bytes of the object and its two array headers (accounting, approximate). */
    static final int OVERHEAD_BYTES = 32 + 2 * 16;

    /** The generation of the series that owns it: readers of a reused ref never see a predecessor's samples. */
    final int generation;
    private volatile int version;
    private long[] timestamps;
    private long[] values;
    private int size;

    OutOfOrderBuffer(int generation) {
        this.generation = generation;
        this.timestamps = new long[INITIAL_CAPACITY];
        this.values = new long[INITIAL_CAPACITY];
    }

    /** Samples held (writer side, under the series lock). */
    int size() {
        return size;
    }

    /** Capacity in samples (writer side). */
    int capacity() {
        return timestamps.length;
    }

    /** Heap bytes this buffer holds (writer side; for the store's memory figures). */
    long bytes() {
        return OVERHEAD_BYTES + (long) BYTES_PER_SAMPLE * timestamps.length;
    }

    /** Whether a sample with exactly this timestamp is held (writer side). */
    boolean contains(long timestampMs) {
        return Arrays.binarySearch(timestamps, 0, size, timestampMs) >= 0;
    }

    /**
     * Inserts a sample in timestamp order; the caller checked that the timestamp is not held and that
     * {@code size() < maxCapacity}. Grows the arrays (doubling, at most to {@code maxCapacity}) if needed.
     * Returns the change of {@link #bytes()}.
     */
    long insert(long timestampMs, long valueBits, int maxCapacity) {
        int at = -Arrays.binarySearch(timestamps, 0, size, timestampMs) - 1;
        long before = bytes();
        int v = version;
        version = v + 1;
        VarHandle.storeStoreFence();
        if (size == timestamps.length) {
            int cap = Math.min(maxCapacity, timestamps.length * 2);
            timestamps = Arrays.copyOf(timestamps, cap);
            values = Arrays.copyOf(values, cap);
        }
        System.arraycopy(timestamps, at, timestamps, at + 1, size - at);
        System.arraycopy(values, at, values, at + 1, size - at);
        timestamps[at] = timestampMs;
        values[at] = valueBits;
        size++;
        version = v + 2;
        return bytes() - before;
    }

    /** Drops the samples older than {@code minValidMs} (writer side); returns how many were dropped. */
    int dropBefore(long minValidMs) {
        int n = 0;
        while (n < size && timestamps[n] < minValidMs) {
            n++;
        }
        if (n == 0) {
            return 0;
        }
        int v = version;
        version = v + 1;
        VarHandle.storeStoreFence();
        System.arraycopy(timestamps, n, timestamps, 0, size - n);
        System.arraycopy(values, n, values, 0, size - n);
        size -= n;
        version = v + 2;
        return n;
    }

    /**
     * Appends the samples with {@code minTs <= t <= maxTs} to {@code out}, oldest first; returns how many.
     * Lock-free, see the class Javadoc.
     */
    int read(long minTs, long maxTs, SampleBuffer out) {
        int start = out.size();
        for (int spins = 0; ; spins++) {
            int v = version;
            if ((v & 1) != 0) {
                // A writer is inside (a few hundred ns); yield now and then in case it was descheduled there.
                if ((spins & 63) == 63) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
                continue;
            }
            long[] ts = timestamps;
            long[] vs = values;
            int n = Math.min(size, Math.min(ts.length, vs.length));
            int i = Math.max(0, n == 0 ? 0 : lowerBound(ts, n, minTs));
            for (; i < n; i++) {
                long t = ts[i];
                if (t > maxTs) {
                    break;
                }
                out.add(t, Double.longBitsToDouble(vs[i]));
            }
            VarHandle.loadLoadFence();
            if (version == v) {
                return out.size() - start;
            }
            out.truncate(start);
        }
    }

    /** First index in {@code ts[0, n)} with {@code ts[i] >= key}; tolerates an unsorted racy copy. */
    private static int lowerBound(long[] ts, int n, long key) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
