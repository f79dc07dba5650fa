package dev.kedaotel.tsdb;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The store's out-of-order buffers, one slot per series ref ({@link OutOfOrderBuffer}), and their bounds:
 * at most {@link StoreConfig#outOfOrderMaxSamplesPerSeries()} samples per series and
 * {@link StoreConfig#outOfOrderMaxSamples()} in the whole store; a sample beyond either is refused with
 * {@link AppendResult#OUT_OF_ORDER_FULL}. Slots live in pages of 4,096 refs allocated the first time a
 * series of the page receives an out-of-order sample, so a store that never sees one holds none.
 *
 * <p>Concurrency: a slot is set and cleared only under its series' writer lock ({@link SampleRings}),
 * with release stores ({@link AtomicReferenceArray#lazySet}); readers load it with acquire semantics
 * ({@link AtomicReferenceArray#get}) and then follow the buffer's own read protocol. The page array is
 * grown under this object's monitor and published through a volatile field, as {@link SampleRings}' header
 * pages are. The totals are atomics updated by writers and read by self-metrics.
 */
final class OutOfOrderBuffers {
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = PAGE_SIZE - 1;

    private final int maxPerSeries;
    private final long maxTotal;
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final LongAdder appended = new LongAdder();
    private volatile AtomicReferenceArray<OutOfOrderBuffer>[] pages = newPages(0);

    OutOfOrderBuffers(int maxPerSeries, long maxTotal) {
        this.maxPerSeries = maxPerSeries;
        this.maxTotal = maxTotal;
    }

    @SuppressWarnings("unchecked")
    private static AtomicReferenceArray<OutOfOrderBuffer>[] newPages(int n) {
        return (AtomicReferenceArray<OutOfOrderBuffer>[]) new AtomicReferenceArray<?>[n];
    }

    /** The buffer of {@code (ref, generation)}, or null (readers and writers; lock-free). */
    OutOfOrderBuffer get(int ref, int generation) {
        AtomicReferenceArray<OutOfOrderBuffer>[] ps = pages;
        int page = ref >>> PAGE_SHIFT;
        if (page >= ps.length || ps[page] == null) {
            return null;
        }
        OutOfOrderBuffer b = ps[page].get(ref & PAGE_MASK);
        return b != null && b.generation == generation ? b : null;
    }

    /**
     * Inserts a sample into the series' buffer, creating the buffer if needed. Under the series' writer
     * lock; the caller checked the window, retention and the series' compressed chain. Returns
     * {@link AppendResult#APPENDED}, {@link AppendResult#DUPLICATE} (timestamp already buffered) or
     * {@link AppendResult#OUT_OF_ORDER_FULL}; {@code minValidMs} (now minus retention) lets a full buffer
     * first drop what has expired.
     */
    int insert(int ref, int generation, long timestampMs, long valueBits, long minValidMs) {
        OutOfOrderBuffer b = get(ref, generation);
        if (b != null) {
            if (b.contains(timestampMs)) {
                return AppendResult.DUPLICATE;
            }
            if (b.size() >= maxPerSeries) {
                samples.addAndGet(-b.dropBefore(minValidMs));
                if (b.size() >= maxPerSeries) {
                    return AppendResult.OUT_OF_ORDER_FULL;
                }
            }
        }
        if (samples.incrementAndGet() > maxTotal) {
            samples.decrementAndGet();
            return AppendResult.OUT_OF_ORDER_FULL;
        }
        if (b == null) {
            b = new OutOfOrderBuffer(generation);
            bytes.addAndGet(b.bytes());
            slots(ref).lazySet(ref & PAGE_MASK, b);
        }
        bytes.addAndGet(b.insert(timestampMs, valueBits, maxPerSeries));
        appended.increment();
        return AppendResult.APPENDED;
    }

    /**
     * Drops the series' buffered samples older than {@code minValidMs}, and the buffer once it is empty.
     * Under the series' writer lock, for a live series. Returns how many samples were dropped.
     */
    int expire(int ref, int generation, long minValidMs) {
        OutOfOrderBuffer b = get(ref, generation);
        if (b == null) {
            return 0;
        }
        int dropped = b.dropBefore(minValidMs);
        samples.addAndGet(-dropped);
        if (b.size() == 0) {
            free(ref, b);
        }
        return dropped;
    }

    /** Drops the buffer of a series being removed (under its writer lock, generation still set). */
    void remove(int ref, int generation) {
        OutOfOrderBuffer b = get(ref, generation);
        if (b != null) {
            samples.addAndGet(-b.size());
            free(ref, b);
        }
    }

    private void free(int ref, OutOfOrderBuffer b) {
        slots(ref).lazySet(ref & PAGE_MASK, null);
        bytes.addAndGet(-b.bytes());
    }

    /**
     * Calls {@code action} with (ref, generation) of every series that holds a buffer now (a racy
     * snapshot: the action re-checks under the series lock).
     */
    void forEach(RefAction action) {
        AtomicReferenceArray<OutOfOrderBuffer>[] ps = pages;
        for (int p = 0; p < ps.length; p++) {
            AtomicReferenceArray<OutOfOrderBuffer> page = ps[p];
            if (page == null) {
                continue;
            }
            for (int i = 0; i < PAGE_SIZE; i++) {
                OutOfOrderBuffer b = page.get(i);
                if (b != null) {
                    action.accept((p << PAGE_SHIFT) | i, b.generation);
                }
            }
        }
    }

    @FunctionalInterface
    interface RefAction {
        void accept(int ref, int generation);
    }

    /** Out-of-order samples stored since start (each also counted as {@link AppendResult#APPENDED}). */
    long appended() {
        return appended.sum();
    }

    /** Samples held in all buffers. */
    long samples() {
        return samples.get();
    }

    /** Heap bytes held by all buffers (arrays at their capacity plus object headers, approximate). */
    long bytes() {
        return bytes.get();
    }

    private AtomicReferenceArray<OutOfOrderBuffer> slots(int ref) {
        int page = ref >>> PAGE_SHIFT;
        AtomicReferenceArray<OutOfOrderBuffer>[] ps = pages;
        if (page < ps.length && ps[page] != null) {
            return ps[page];
        }
        synchronized (this) {
            ps = pages;
            if (page >= ps.length) {
                ps = Arrays.copyOf(ps, Math.max(page + 1, ps.length * 2));
            }
            if (ps[page] == null) {
                ps[page] = new AtomicReferenceArray<>(PAGE_SIZE);
            }
            pages = ps;
            return ps[page];
        }
    }
}
