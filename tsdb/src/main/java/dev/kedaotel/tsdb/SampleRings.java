package dev.kedaotel.tsdb;

import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Per-series rings of (timestamp, value) samples in off-heap memory, written and read without locks.
 *
 * <h2>Memory layout</h2>
 * Every series ref owns a fixed 48-byte <em>header</em> in a header page (4096 headers per page,
 * allocated on demand, never moved). Offsets inside a header:
 * <pre>
 *   0        4            8                16               24               32               40               48
 *   +--------+------------+----------------+----------------+----------------+----------------+----------------+
 *   | lock   | generation | slot descriptor| head           | tail           | last timestamp | write intent   |
 *   | i32    | i32        | i64            | i64            | i64            | i64            | i64            |
 *   +--------+------------+----------------+----------------+----------------+----------------+----------------+
 * </pre>
 * <ul>
 *   <li><b>lock</b>: 0 free, 1 held by a writer of this series (CAS). Readers never touch it.</li>
 *   <li><b>generation</b>: the generation of the series that owns the ref (unique per creation, never 0); 0 once it was
 *       removed. Writers and readers compare it with the generation they were given, so a stale handle never writes
 *       into (or reports samples of) a later series that reuses the ref.</li>
 *   <li><b>slot descriptor</b>: which slab slot holds the samples ({@link SlabAllocator} encoding,
 *       includes the size class and hence the capacity {@code cap}).</li>
 *   <li><b>head</b>: number of samples ever appended (published); logical sample {@code i} lives at
 *       position {@code i mod cap} of the slot (layout in {@link SampleCodec}: 12 bytes per sample plus
 *       an 8-byte base timestamp per slot).</li>
 *   <li><b>tail</b>: the oldest logical index the current slot holds (set when the ring moves to another
 *       slot, whose lower positions hold nothing useful yet).</li>
 *   <li><b>last timestamp</b>: timestamp of sample {@code head - 1}, {@code Long.MIN_VALUE} when empty;
 *       read by duplicate/out-of-order checks, {@link #lastTimestamp} and retention.</li>
 *   <li><b>write intent</b>: {@code head + 1} while (and after) the writer stores sample {@code head}; it
 *       tells readers which old sample that store may be overwriting, like the version of a seqlock.</li>
 * </ul>
 *
 * <h2>Writer protocol</h2>
 * Writers of one series exclude each other by CAS on <b>lock</b> (held for a few instructions; they spin).
 * Under it: check generation, classify the timestamp against <b>last timestamp</b> and the retention
 * window. When the ring is full and its oldest sample is still inside the retention window, copy the
 * samples into a slot of the next size class, store <b>tail</b>, publish the new descriptor (release)
 * and send the old slot to quarantine; at the largest class the oldest sample is overwritten instead.
 * A sample whose timestamp is more than ±24.8 days from the slot's base timestamp (a series living that
 * long in one slot) moves the ring the same way into a fresh slot of the same class based at that
 * timestamp, dropping older samples that cannot be expressed against it. The base of a slot is written
 * before its descriptor is published and never changes while the descriptor is current.
 * Then store <b>write intent</b> = {@code head + 1}, {@link VarHandle#storeStoreFence()}, write the
 * sample at position {@code head mod cap} with plain stores, and publish {@code head + 1} and the new
 * last timestamp with release stores.
 *
 * <h2>Reader protocol</h2>
 * <ol>
 *   <li>Load generation, descriptor {@code d1}, head {@code h1} (acquire), then tail.</li>
 *   <li>Copy logical samples {@code [max(tail, h1 - cap), h1)} (binary-searching the first one inside
 *       the requested time range).</li>
 *   <li>{@link VarHandle#loadLoadFence()}, then re-load generation, descriptor {@code d2} and write intent
 *       {@code w2}.</li>
 *   <li>Generation changed: the series was removed, return nothing. {@code d2 != d1}: the ring moved,
 *       retry. Otherwise copied indices {@code >= w2 - cap} were not overwritten during the copy (a store
 *       the reader observed implies, by the writer's store-store fence and the reader's load-load fence,
 *       that the reader also observes its write intent). If any copied index is below that, retry,
 *       skipping further ahead each time, so a reader facing a very fast writer converges on a suffix of
 *       the ring instead of retrying forever.</li>
 * </ol>
 * A reader never blocks a writer and never returns a torn sample, and may read a slot that was just
 * released because released slots are not reused for {@code reuseGraceMs}.
 */
final class SampleRings implements AutoCloseable {
    static final int LOCK_OFFSET = 0;
    static final int GENERATION_OFFSET = 4;
    static final int SLOT_OFFSET = 8;
    static final int HEAD_OFFSET = 16;
    static final int TAIL_OFFSET = 24;
    static final int LAST_TS_OFFSET = 32;
    static final int WRITE_INTENT_OFFSET = 40;
    static final int HEADER_BYTES = 48;

    /** Returned by {@link #append} when the series was removed meanwhile: re-resolve and retry. */
    static final int DEAD = -1;
    static final int MODE_VALUE = 0;
    static final int MODE_DELTA = 1;

    private static final int PAGE_SHIFT = 12;
    private static final int PAGE_MASK = (1 << PAGE_SHIFT) - 1;

    private final SlabAllocator slabs;
    private final OffHeapMemory headerMemory = new OffHeapMemory();
    private final long retentionMs;
    private volatile UnsafeBuffer[] headerPages = new UnsafeBuffer[16];
    private boolean closed;

    SampleRings(StoreConfig config) {
        this.slabs = new SlabAllocator(config.maxSamplesPerSeries(), config.reuseGraceMs());
        this.retentionMs = config.retentionMs();
    }

    SlabAllocator slabs() {
        return slabs;
    }

    // ---- headers (called by the store under its write lock) ------------------------------------------

    private UnsafeBuffer headerPage(int ref) {
        int page = ref >>> PAGE_SHIFT;
        UnsafeBuffer[] pages = headerPages;
        if (page >= pages.length || pages[page] == null) {
            synchronized (this) {
                pages = headerPages;
                if (page >= pages.length) {
                    pages = Arrays.copyOf(pages, Math.max(page + 1, pages.length * 2));
                }
                if (pages[page] == null) {
                    pages[page] = headerMemory.allocate(HEADER_BYTES << PAGE_SHIFT);
                }
                headerPages = pages;
            }
        }
        return pages[page];
    }

    private static int headerOffset(int ref) {
        return (ref & PAGE_MASK) * HEADER_BYTES;
    }

    /** The header page of a ref that was created (its page exists). */
    private UnsafeBuffer header(int ref) {
        return headerPages[ref >>> PAGE_SHIFT];
    }

    /**
     * Gives the new series {@code (ref, generation)} an empty smallest ring; the generation store
     * (release) makes it live. Called by the store under its write lock.
     */
    void create(int ref, int generation, long nowMs) {
        UnsafeBuffer h = headerPage(ref);
        int o = headerOffset(ref);
        long slot = slabs.allocate(0, nowMs);
        SampleCodec.writeBase(slabs.chunk(SlabAllocator.chunkIndex(slot)), SlabAllocator.offset(slot), nowMs);
        // The lock word is left alone: it is 0 unless a stale writer of the ref's previous owner holds it
        // for a moment, and that writer will see a generation mismatch and release it.
        h.putLong(o + SLOT_OFFSET, slot);
        h.putLong(o + HEAD_OFFSET, 0);
        h.putLong(o + TAIL_OFFSET, 0);
        h.putLong(o + LAST_TS_OFFSET, Long.MIN_VALUE);
        h.putLong(o + WRITE_INTENT_OFFSET, 0);
        h.putIntRelease(o + GENERATION_OFFSET, generation);
    }

    // ---- writer side -----------------------------------------------------------------------------------

    /**
     * Appends a sample (or, in {@link #MODE_DELTA}, latest value + {@code value}) to the series' ring.
     * Returns an {@link AppendResult} code, or {@link #DEAD} when the series was removed.
     */
    int append(int ref, int generation, long timestampMs, double value, int mode, long nowMs) {
        UnsafeBuffer h = header(ref);
        int o = headerOffset(ref);
        lock(h, o);
        try {
            if (h.getInt(o + GENERATION_OFFSET) != generation) {
                return DEAD;
            }
            long last = h.getLong(o + LAST_TS_OFFSET);
            if (timestampMs == last) {
                return AppendResult.DUPLICATE;
            }
            if (timestampMs < last) {
                return AppendResult.OUT_OF_ORDER;
            }
            long minValid = nowMs - retentionMs;
            if (timestampMs < minValid) {
                return AppendResult.TOO_OLD;
            }
            long slot = h.getLong(o + SLOT_OFFSET);
            long head = h.getLong(o + HEAD_OFFSET);
            long tail = h.getLong(o + TAIL_OFFSET);
            int cap = slabs.capacityOf(SlabAllocator.sizeClass(slot));
            UnsafeBuffer data = slabs.chunk(SlabAllocator.chunkIndex(slot));
            int at = SlabAllocator.offset(slot);
            long base = SampleCodec.base(data, at);
            if (mode == MODE_DELTA) {
                value += latestValue(data, at, cap, head, tail);
            }
            int sizeClass = SlabAllocator.sizeClass(slot);
            long moved = SlabAllocator.NO_SLOT;
            if (head - tail >= cap && sizeClass < slabs.maxClass()) {
                long oldestTs = SampleCodec.timestamp(data, at, position(head - cap, cap), base);
                if (oldestTs >= minValid) {
                    int target = growthClass(sizeClass, cap, timestampMs - oldestTs);
                    moved = move(h, o, slot, head, tail, target, base, nowMs);
                }
            }
            if (!SampleCodec.fits(timestampMs, base)) {
                moved = move(h, o, moved != SlabAllocator.NO_SLOT ? moved : slot, head,
                        h.getLong(o + TAIL_OFFSET), SlabAllocator.sizeClass(moved != SlabAllocator.NO_SLOT ? moved : slot),
                        timestampMs, nowMs);
            }
            if (moved != SlabAllocator.NO_SLOT) {
                cap = slabs.capacityOf(SlabAllocator.sizeClass(moved));
                data = slabs.chunk(SlabAllocator.chunkIndex(moved));
                at = SlabAllocator.offset(moved);
                base = SampleCodec.base(data, at);
            }
            h.putLong(o + WRITE_INTENT_OFFSET, head + 1);
            VarHandle.storeStoreFence(); // readers that see any byte of the new sample also see the intent
            SampleCodec.write(data, at, cap, position(head, cap), base, timestampMs, value);
            h.putLongRelease(o + HEAD_OFFSET, head + 1);
            h.putLongRelease(o + LAST_TS_OFFSET, timestampMs);
            return AppendResult.APPENDED;
        } finally {
            h.putIntRelease(o + LOCK_OFFSET, 0);
        }
    }

    /**
     * The class a full ring of {@code cap} samples moves to: big enough for a whole retention window at
     * the rate the ring was filled ({@code cap} samples plus the new one spanning {@code spanMs}), at
     * most 4× bigger, at least the next class. Jumping straight to the needed size (8 → 24 samples for a
     * 2-minute window at 5 s) leaves one small dead slot per series instead of one per class in between,
     * which matters when many series grow together and nothing reuses the small slots.
     */
    private int growthClass(int sizeClass, int cap, long spanMs) {
        double needed = spanMs <= 0 ? Double.MAX_VALUE : Math.ceil(retentionMs * (double) cap / spanMs);
        int want = (int) Math.min(needed, 4.0 * cap);
        return Math.max(sizeClass + 1, slabs.classFor(want));
    }

    /** The value of sample {@code head - 1}, or 0 for an empty ring or a staleness marker. */
    private static double latestValue(UnsafeBuffer data, int at, int cap, long head, long tail) {
        if (head <= tail) {
            return 0;
        }
        double v = SampleCodec.value(data, at, cap, position(head - 1, cap));
        return StaleMarker.isStale(v) ? 0 : v;
    }

    /**
     * Moves the ring into a new slot of {@code newClass} based at {@code newBase}, copying the samples
     * the old slot holds (except leading ones too far from {@code newBase} to be expressed against it),
     * and returns the new descriptor, already published: tail (release), then descriptor (release).
     */
    private long move(UnsafeBuffer h, int o, long oldSlot, long head, long tail, int newClass, long newBase, long nowMs) {
        int oldCap = slabs.capacityOf(SlabAllocator.sizeClass(oldSlot));
        long newSlot = slabs.allocate(newClass, nowMs);
        int newCap = slabs.capacityOf(newClass);
        UnsafeBuffer from = slabs.chunk(SlabAllocator.chunkIndex(oldSlot));
        int fromAt = SlabAllocator.offset(oldSlot);
        long fromBase = SampleCodec.base(from, fromAt);
        UnsafeBuffer to = slabs.chunk(SlabAllocator.chunkIndex(newSlot));
        int toAt = SlabAllocator.offset(newSlot);
        SampleCodec.writeBase(to, toAt, newBase);
        long first = Math.max(tail, head - oldCap);
        while (first < head && !SampleCodec.fits(SampleCodec.timestamp(from, fromAt, position(first, oldCap), fromBase), newBase)) {
            first++;
        }
        for (long i = first; i < head; i++) {
            int p = position(i, oldCap);
            SampleCodec.write(to, toAt, newCap, position(i, newCap), newBase,
                    SampleCodec.timestamp(from, fromAt, p, fromBase), SampleCodec.value(from, fromAt, oldCap, p));
        }
        h.putLongRelease(o + TAIL_OFFSET, first);
        h.putLongRelease(o + SLOT_OFFSET, newSlot);
        slabs.release(oldSlot, nowMs);
        return newSlot;
    }

    /**
     * Marks the series removed if its newest sample is older than {@code cutoffMs} (or unconditionally
     * when {@code force}), and sends its ring slot to quarantine. Returns whether it was removed.
     */
    boolean remove(int ref, int generation, long cutoffMs, boolean force, long nowMs) {
        UnsafeBuffer h = header(ref);
        int o = headerOffset(ref);
        long slot;
        lock(h, o);
        try {
            if (h.getInt(o + GENERATION_OFFSET) != generation) {
                return false;
            }
            if (!force && h.getLong(o + LAST_TS_OFFSET) >= cutoffMs) {
                return false;
            }
            slot = h.getLong(o + SLOT_OFFSET);
            h.putIntRelease(o + GENERATION_OFFSET, 0);
        } finally {
            h.putIntRelease(o + LOCK_OFFSET, 0);
        }
        slabs.release(slot, nowMs);
        return true;
    }

    private static void lock(UnsafeBuffer h, int o) {
        while (!h.compareAndSetInt(o + LOCK_OFFSET, 0, 1)) {
            Thread.onSpinWait();
        }
    }

    // ---- reader side -----------------------------------------------------------------------------------

    /** Capacity of the series' current ring slot (diagnostics and tests). */
    int capacity(int ref) {
        return slabs.capacityOf(SlabAllocator.sizeClass(header(ref).getLongVolatile(headerOffset(ref) + SLOT_OFFSET)));
    }

    /** Newest sample's timestamp, or Long.MIN_VALUE when empty or removed. */
    long lastTimestamp(int ref, int generation) {
        UnsafeBuffer h = header(ref);
        int o = headerOffset(ref);
        long ts = h.getLongVolatile(o + LAST_TS_OFFSET);
        VarHandle.loadLoadFence();
        return h.getIntVolatile(o + GENERATION_OFFSET) == generation ? ts : Long.MIN_VALUE;
    }

    /** See the class Javadoc for the protocol. Appends samples with minTs <= t <= maxTs to {@code out}. */
    int read(int ref, int generation, long minTs, long maxTs, SampleBuffer out) {
        UnsafeBuffer h = header(ref);
        int o = headerOffset(ref);
        int start = out.size();
        long skip = 0;
        while (true) {
            if (h.getIntVolatile(o + GENERATION_OFFSET) != generation) {
                return 0;
            }
            long slot = h.getLongVolatile(o + SLOT_OFFSET);
            long head = h.getLongVolatile(o + HEAD_OFFSET);
            long tail = h.getLongVolatile(o + TAIL_OFFSET);
            int cap = slabs.capacityOf(SlabAllocator.sizeClass(slot));
            UnsafeBuffer data = slabs.chunk(SlabAllocator.chunkIndex(slot));
            int at = SlabAllocator.offset(slot);
            long base = SampleCodec.base(data, at);

            long first = Math.max(tail, Math.max(0, head - cap) + skip);
            long from = lowerBound(data, at, cap, base, first, head, minTs);
            if (from < head) {
                out.ensureCapacity(out.size() + (int) (head - from));
            }
            for (long i = from; i < head; i++) {
                int p = position(i, cap);
                long ts = SampleCodec.timestamp(data, at, p, base);
                if (ts > maxTs) {
                    break;
                }
                out.add(ts, SampleCodec.value(data, at, cap, p));
            }
            VarHandle.loadLoadFence();
            if (h.getIntVolatile(o + GENERATION_OFFSET) != generation) {
                out.truncate(start);
                return 0;
            }
            long slot2 = h.getLongVolatile(o + SLOT_OFFSET);
            long intent2 = h.getLongVolatile(o + WRITE_INTENT_OFFSET);
            if (slot2 != slot) {
                out.truncate(start);
                continue;
            }
            long validFrom = intent2 - cap;
            if (from < head && from < validFrom) {
                out.truncate(start);
                skip = Math.min(cap, Math.max(skip * 2, (intent2 - head) * 2 + 1));
                continue;
            }
            return out.size() - start;
        }
    }

    /** First logical index in [lo, hi) whose timestamp is >= minTs (hi if none). */
    private static long lowerBound(UnsafeBuffer data, int at, int cap, long base, long lo, long hi, long minTs) {
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (SampleCodec.timestamp(data, at, position(mid, cap), base) < minTs) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Position of logical sample {@code i} inside a slot of {@code cap} samples. */
    private static int position(long i, int cap) {
        return (int) ((cap & (cap - 1)) == 0 ? (i & (cap - 1)) : (i % cap));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        slabs.close();
        headerMemory.close();
    }
}
