package dev.kedaotel.tsdb;

import dev.kedaotel.model.StaleMarker;

import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Per-series compressed sample chains in off-heap memory, written and read without locks. Each series is
 * a chain of fixed-size blocks from one {@link BlockPool} (oldest to newest, linked by each block's
 * {@code next}), samples compressed by {@link SampleCodec} (Gorilla-style, ~2-3 bytes per sample for
 * counters and small gauges, at most ~11 for random doubles). Whole blocks drop out of the chain's old
 * end when they fall out of the retention window or exceed the per-series bound, and go back to the pool.
 *
 * <h2>Series header</h2>
 * Every series ref owns a fixed 48-byte header in a header page (4096 headers per page, allocated on
 * demand, never moved). Offsets inside a header:
 * <pre>
 *   0      4           8                 16             24             32       36       40       44       48
 *   +------+-----------+-----------------+--------------+--------------+--------+--------+--------+--------+
 *   | lock | generation| oldest          | last ts      | last value   | newest | last   | cursor | samples|
 *   |      |           | block | version |              |              |        | delta  |        |        |
 *   | i32  | i32       | i32     i32     | i64          | f64 raw bits | i32    | i32    | i32    | i32    |
 *   +------+-----------+-----------------+--------------+--------------+--------+--------+--------+--------+
 * </pre>
 * <ul>
 *   <li><b>lock</b>: 0 free, 1 held by a writer of this series (CAS). Readers never touch it.</li>
 *   <li><b>generation</b>: the generation of the series that owns the ref (unique per creation, never 0);
 *       0 once it was removed. Writers and readers compare it with the generation they were given, so a
 *       stale handle never writes into (or reports samples of) a later series that reuses the ref.</li>
 *   <li><b>oldest</b>: one i64 holding the first block of the chain (low half; -1 before the first
 *       sample) and a version (high half) incremented whenever the first block changes; release store.
 *       Readers start here and compare the whole word afterwards, so a block dropped and reused under a
 *       slow reader is noticed even when the same id came back as the first block (ABA).
 *       <b>newest</b>: the block being filled (writer only).</li>
 *   <li><b>last ts</b>: timestamp of the newest sample, {@code Long.MIN_VALUE} when empty (release store;
 *       duplicate/out-of-order checks, {@link #lastTimestamp}, retention).</li>
 *   <li><b>last value</b>, <b>last delta</b>, <b>cursor</b> (bit position and XOR window in the newest
 *       block, see {@link SampleCodec}), <b>samples</b> (in the whole chain): writer-only encoder state.</li>
 * </ul>
 * Block layout: {@link SampleCodec}.
 *
 * <h2>Writer protocol</h2>
 * Writers of one series exclude each other by CAS on <b>lock</b>. Under it: check generation, classify the
 * timestamp against <b>last ts</b> and the retention window, then either
 * <ul>
 *   <li>append the sample's bits to the newest block beyond its published ones (plain stores that only OR
 *       into zero bits), then publish it by storing the block's {@code count + 1} with release; or</li>
 *   <li>when the bits do not fit, take a block from the pool, zero it and store the sample raw as its
 *       first one (plain stores), then link it with a release store of the full block's {@code next}
 *       (the first sample is published by that store).</li>
 * </ul>
 * A block's published bits, {@code first ts/value} and, once set, {@code next} never change while it is in
 * the chain; a sealed block (one with a {@code next}) never changes at all. Then the writer drops old
 * blocks: while the second block's first timestamp is at or before {@code now - retention} (so every
 * sample of the oldest block has expired) or the chain without the oldest block still holds
 * {@code maxSamplesPerSeries} samples, store <b>oldest</b> = its {@code next} (release) and send the block
 * to the pool's quarantine. This check runs whenever a block is added, and on every other append whose
 * newest block starts at or before {@code now - retention} (reading only the block being written: in a
 * chain of two blocks that is exact; a block typically spans a few minutes, so checking less often would
 * keep a whole extra block per 5 s series).
 * Finally <b>last ts</b> is stored with release.
 *
 * <h2>Reader protocol</h2>
 * <ol>
 *   <li>Load generation (acquire); load the <b>oldest</b> word {@code o1} (acquire).</li>
 *   <li>Walk the chain from {@code o1}: for each block load {@code next} then {@code count} (acquire), so a
 *       block seen as sealed has its final count; stop at a block without {@code next}. This fixes the
 *       snapshot: its last block and that block's count, and the total sample count (samples beyond the
 *       newest {@code maxSamplesPerSeries} are skipped, so the bound is exact for readers although
 *       memory is dropped block-wise).</li>
 *   <li>Walk again and decode each block's snapshot count (skipping blocks whose successor starts at or
 *       before {@code minTs}, stopping past {@code maxTs}). Every bit decoded was published by the count
 *       or next store the reader acquired.</li>
 *   <li>{@link VarHandle#loadLoadFence()}, re-load generation and <b>oldest</b>. Generation changed: the
 *       series was removed, return nothing. {@code oldest != o1} (block or version): blocks were dropped
 *       meanwhile and one the reader decoded may, if the reader was slower than {@code reuseGraceMs}, have
 *       been reused: discard and retry. Otherwise no block the reader visited has left the chain, so none
 *       was reused.</li>
 * </ol>
 * A reader never blocks a writer and never returns a torn sample. Ids and counts read from a block that
 * was reused under a very slow reader are range-checked, so such a read ends in a retry, not a failure.
 * (Timestamps are stored in full 64 bits, so unlike the former per-slot 32-bit offsets there is no
 * ±24.8-day range to rebase.)
 *
 * <h2>Out-of-order samples</h2>
 * A chain only ever grows at its new end, which is what keeps it compressed and lock-free to read. A sample
 * older than <b>last ts</b> by at most {@link StoreConfig#outOfOrderWindowMs()} therefore does not go into
 * the chain but into the series' {@link OutOfOrderBuffer} (created on the first such sample, see
 * {@link OutOfOrderBuffers} for slots and bounds): under the same writer lock, after the generation check,
 * the writer refuses it if it is a delta append, beyond the window or retention, or if the chain (one
 * block decoded) or the buffer already holds its timestamp ({@link AppendResult#DUPLICATE}); otherwise it
 * inserts it in timestamp order with the buffer's seqlock protocol. <b>last ts</b> and the encoder state
 * do not change, so the in-order path is untouched: it only takes the {@code timestampMs < last} branch
 * it took before to refuse the sample. A reader, after its chain snapshot (steps 1-4), loads the buffer
 * slot (acquire), copies the buffer's samples in range (seqlock-validated) and merges the two sorted runs
 * in its own {@link SampleBuffer}. Both sources only gain samples between retention passes and no
 * timestamp is in both, so the result is sorted and duplicate-free; like any read racing appends, it may or
 * may not include a sample appended meanwhile. Retention ({@link #expireOutOfOrder}) drops buffered
 * samples older than {@code now - retention} under each series' lock, and the buffer once empty; removal of
 * the series drops its buffer before clearing the generation.
 */
final class SampleRings implements AutoCloseable {
    static final int LOCK_OFFSET = 0;
    static final int GENERATION_OFFSET = 4;
    static final int OLDEST_OFFSET = 8;
    static final int LAST_TS_OFFSET = 16;
    static final int LAST_VALUE_OFFSET = 24;
    static final int NEWEST_OFFSET = 32;
    static final int LAST_DELTA_OFFSET = 36;
    static final int CURSOR_OFFSET = 40;
    static final int SAMPLES_OFFSET = 44;
    static final int HEADER_BYTES = 48;

    /** Returned by {@link #append} when the series was removed meanwhile: re-resolve and retry. */
    static final int DEAD = -1;
    static final int MODE_VALUE = 0;
    static final int MODE_DELTA = 1;

    private static final int PAGE_SHIFT = 12;
    static final int HEADERS_PER_PAGE = 1 << PAGE_SHIFT;
    static final int PAGE_BYTES = HEADER_BYTES << PAGE_SHIFT;
    private static final int PAGE_MASK = (1 << PAGE_SHIFT) - 1;
    private static final int NO_BLOCK = BlockPool.NO_BLOCK;
    /** Per writer thread: the one-block decode of {@link #chainHolds} (out-of-order path only). */
    private static final ThreadLocal<SampleBuffer> CHAIN_PROBE = ThreadLocal.withInitial(() -> new SampleBuffer(4));

    private final BlockPool pool;
    private final MemorySource headerMemory;
    private final long retentionMs;
    private final int maxSamples;
    private final long outOfOrderWindowMs;
    private final OutOfOrderBuffers outOfOrder;
    private volatile UnsafeBuffer[] headerPages = new UnsafeBuffer[16];
    private boolean closed;

    SampleRings(StoreConfig config) {
        this(config, new OffHeapMemory(), new OffHeapMemory());
    }

    /** Rings whose block chunks come from {@code chunks} and header pages from {@code headers} (may be the same source). */
    SampleRings(StoreConfig config, MemorySource chunks, MemorySource headers) {
        this.headerMemory = headers;
        this.pool = new BlockPool(config.reuseGraceMs(), chunks);
        this.retentionMs = config.retentionMs();
        this.maxSamples = config.maxSamplesPerSeries();
        this.outOfOrderWindowMs = config.outOfOrderWindowMs();
        this.outOfOrder = new OutOfOrderBuffers(config.outOfOrderMaxSamplesPerSeries(), config.outOfOrderMaxSamples());
    }

    BlockPool pool() {
        return pool;
    }

    OutOfOrderBuffers outOfOrder() {
        return outOfOrder;
    }

    // ---- headers (created by the store under its write lock) ------------------------------------------

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
                    pages[page] = headerMemory.headerPage(page, PAGE_BYTES);
                }
                headerPages = pages;
            }
        }
        return pages[page];
    }

    static int headerOffset(int ref) {
        return (ref & PAGE_MASK) * HEADER_BYTES;
    }

    /** The header page of a ref that was created (its page exists). */
    UnsafeBuffer header(int ref) {
        return headerPages[ref >>> PAGE_SHIFT];
    }

    /**
     * Makes {@code (ref, generation)} a live series with no samples (its first block is taken at the first
     * append); the generation store (release) makes it live. Called by the store under its write lock.
     */
    void create(int ref, int generation, long nowMs) {
        UnsafeBuffer h = headerPage(ref);
        int o = headerOffset(ref);
        // The lock word is left alone: it is 0 unless a stale writer of the ref's previous owner holds it
        // for a moment, and that writer will see a generation mismatch and release it.
        h.putLong(o + OLDEST_OFFSET, NO_BLOCK & 0xFFFF_FFFFL);
        h.putInt(o + NEWEST_OFFSET, NO_BLOCK);
        h.putLong(o + LAST_TS_OFFSET, Long.MIN_VALUE);
        h.putLong(o + LAST_VALUE_OFFSET, 0);
        h.putInt(o + LAST_DELTA_OFFSET, 0);
        h.putInt(o + CURSOR_OFFSET, 0);
        h.putInt(o + SAMPLES_OFFSET, 0);
        h.putIntRelease(o + GENERATION_OFFSET, generation);
    }

    // ---- restore (single-threaded, before the store is published) ------------------------------------

    /** Restore outcomes of one series. */
    static final int RESTORED = 0;
    static final int AGED_OUT = 1;
    static final int DAMAGED = 2;

    /** Restore: header page {@code index} is {@code page}, a persisted page mapped again. */
    void restoreHeaderPage(int index, UnsafeBuffer page) {
        UnsafeBuffer[] pages = headerPages;
        if (index >= pages.length) {
            pages = Arrays.copyOf(pages, Math.max(index + 1, pages.length * 2));
        }
        pages[index] = page;
        headerPages = pages;
    }

    /**
     * Restores series {@code (ref, generation)} from its persisted header and chain, or says why not:
     * {@link #DAMAGED} when its header page is missing, the header's generation is not the journal's
     * (removed, or never created before the crash), or its chain is not a plausible chain of blocks
     * (an id out of range or in a missing chunk, a count out of range, timestamps not increasing, a
     * block reached twice: a cycle or a block shared with an earlier series; a newest sample after
     * {@code maxValid}, the latest timestamp an append could have accepted); {@link #AGED_OUT} when it
     * has no sample at or after {@code minValid}. A restored series' chain is first trimmed as retention
     * would (whole blocks before {@code minValid}, beyond the per-series bound), its blocks are marked in
     * {@code reachable}, its lock word cleared, and its writer-only state recomputed from the published
     * data: last timestamp, value and delta and the cursor by decoding the newest block, the sample count
     * from the block counts; bits beyond the newest block's published ones are zeroed (an append killed
     * halfway may have OR-ed some in). {@code chain} is scratch space.
     */
    int restore(int ref, int generation, long minValid, long maxValid, java.util.BitSet reachable, IntList chain, long[] end) {
        int page = ref >>> PAGE_SHIFT;
        UnsafeBuffer[] pages = headerPages;
        if (page >= pages.length || pages[page] == null) {
            return DAMAGED;
        }
        UnsafeBuffer h = pages[page];
        int o = headerOffset(ref);
        if (h.getInt(o + GENERATION_OFFSET) != generation) {
            return DAMAGED;
        }
        long word = h.getLong(o + OLDEST_OFFSET);
        chain.clear();
        long maxBlocks = (long) maxSamples + 2L * (SampleCodec.CAPACITY_BITS + 1);
        long previousFirst = Long.MIN_VALUE;
        for (int b = (int) word; b != NO_BLOCK; ) {
            if (!pool.isRestorable(b) || reachable.get(b) || chain.size() >= maxBlocks) {
                return DAMAGED;
            }
            UnsafeBuffer buf = pool.chunk(b);
            int at = BlockPool.offset(b);
            int count = buf.getInt(at + SampleCodec.COUNT_OFFSET);
            long first = buf.getLong(at + SampleCodec.FIRST_TS_OFFSET);
            // First timestamps strictly increase along a chain, so a cycle fails this check too.
            if (count < 1 || count > SampleCodec.CAPACITY_BITS + 1 || (chain.size() > 0 && first <= previousFirst)) {
                return DAMAGED;
            }
            chain.add(b);
            previousFirst = first;
            b = buf.getInt(at + SampleCodec.NEXT_OFFSET);
        }
        if (chain.size() == 0) {
            return AGED_OUT; // created, never appended to: retention would remove it
        }
        int newest = chain.get(chain.size() - 1);
        UnsafeBuffer nb = pool.chunk(newest);
        int nat = BlockPool.offset(newest);
        SampleCodec.resume(nb, nat, nb.getInt(nat + SampleCodec.COUNT_OFFSET), end);
        // A newest sample before its block's first, or beyond what an append could have accepted, is garbage
        // that would wedge the series (every later sample refused as out of order).
        if (end[SampleCodec.END_COMPLETE] == 0 || end[SampleCodec.END_TS] < previousFirst || end[SampleCodec.END_TS] > maxValid) {
            return DAMAGED;
        }
        if (end[SampleCodec.END_TS] < minValid) {
            return AGED_OUT;
        }
        long samples = 0;
        for (int i = 0; i < chain.size(); i++) {
            samples += pool.chunk(chain.get(i)).getInt(BlockPool.offset(chain.get(i)) + SampleCodec.COUNT_OFFSET);
        }
        // Trim the old end as dropOldBlocks would; the dropped blocks stay unmarked, i.e. free.
        int keep = 0;
        while (keep < chain.size() - 1) {
            int count = pool.chunk(chain.get(keep)).getInt(BlockPool.offset(chain.get(keep)) + SampleCodec.COUNT_OFFSET);
            if (firstTimestamp(chain.get(keep + 1)) > minValid && samples - count < maxSamples) {
                break;
            }
            samples -= count;
            keep++;
        }
        if (keep > 0) {
            word = nextVersion(word, chain.get(keep));
        }
        for (int i = keep; i < chain.size(); i++) {
            reachable.set(chain.get(i));
        }
        SampleCodec.clearFrom(nb, nat, SampleCodec.position((int) end[SampleCodec.END_CURSOR]));
        h.putInt(o + LOCK_OFFSET, 0);
        h.putLong(o + OLDEST_OFFSET, word);
        h.putInt(o + NEWEST_OFFSET, newest);
        h.putLong(o + LAST_TS_OFFSET, end[SampleCodec.END_TS]);
        h.putLong(o + LAST_VALUE_OFFSET, end[SampleCodec.END_BITS]);
        h.putInt(o + LAST_DELTA_OFFSET, (int) end[SampleCodec.END_DELTA]);
        h.putInt(o + CURSOR_OFFSET, (int) end[SampleCodec.END_CURSOR]);
        h.putInt(o + SAMPLES_OFFSET, (int) samples);
        return RESTORED;
    }

    /** Samples in a restored series' chain (its header's count). */
    int restoredSamples(int ref) {
        return header(ref).getInt(headerOffset(ref) + SAMPLES_OFFSET);
    }

    /**
     * Restore done: every header of a restored page gets a free lock word, and generation 0 unless its
     * ref was restored ({@code live}), so nothing of the previous process' writers or removed series
     * remains in the headers.
     */
    void finishRestore(java.util.BitSet live) {
        UnsafeBuffer[] pages = headerPages;
        for (int page = 0; page < pages.length; page++) {
            UnsafeBuffer h = pages[page];
            if (h == null) {
                continue;
            }
            for (int i = 0; i < HEADERS_PER_PAGE; i++) {
                int o = i * HEADER_BYTES;
                h.putInt(o + LOCK_OFFSET, 0);
                if (!live.get((page << PAGE_SHIFT) | i)) {
                    h.putInt(o + GENERATION_OFFSET, 0);
                }
            }
        }
    }

    MemorySource headerMemory() {
        return headerMemory;
    }

    // ---- writer side -----------------------------------------------------------------------------------

    /**
     * Appends a sample (or, in {@link #MODE_DELTA}, latest value + {@code value}) to the series.
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
                return appendOutOfOrder(h, o, ref, generation, last, timestampMs, value, mode, nowMs);
            }
            long minValid = nowMs - retentionMs;
            if (timestampMs < minValid) {
                return AppendResult.TOO_OLD;
            }
            int samples = h.getInt(o + SAMPLES_OFFSET);
            long prev = h.getLong(o + LAST_VALUE_OFFSET);
            if (mode == MODE_DELTA && samples > 0 && prev != StaleMarker.BITS) {
                value += Double.longBitsToDouble(prev);
            }
            long bits = Double.doubleToRawLongBits(value);
            int newest = h.getInt(o + NEWEST_OFFSET);
            if (newest == NO_BLOCK) {
                int first = newBlock(timestampMs, bits, nowMs);
                h.putInt(o + NEWEST_OFFSET, first);
                h.putInt(o + LAST_DELTA_OFFSET, 0);
                h.putInt(o + CURSOR_OFFSET, 0);
                h.putLongRelease(o + OLDEST_OFFSET, nextVersion(h.getLong(o + OLDEST_OFFSET), first));
                samples = 1;
            } else {
                UnsafeBuffer b = pool.chunk(newest);
                int at = BlockPool.offset(newest);
                long delta = timestampMs - last;
                long dod = delta - h.getInt(o + LAST_DELTA_OFFSET);
                int cursor = h.getInt(o + CURSOR_OFFSET);
                int pos = SampleCodec.position(cursor);
                samples++;
                // A delta beyond ±24.8 days starts a block (which restarts deltas at 0) so it fits the i32 field.
                int code = SampleCodec.valueCode(prev, bits, cursor);
                if (delta == (int) delta
                        && pos + SampleCodec.timestampBits(dod) + SampleCodec.codeBits(code) <= SampleCodec.CAPACITY_BITS) {
                    pos = SampleCodec.putTimestamp(b, at, pos, dod);
                    cursor = SampleCodec.putValue(b, at, (cursor & 0xFFFF_0000) | pos, prev, bits, code);
                    int count = b.getInt(at + SampleCodec.COUNT_OFFSET) + 1;
                    b.putIntRelease(at + SampleCodec.COUNT_OFFSET, count); // publishes the sample
                    h.putInt(o + LAST_DELTA_OFFSET, (int) delta);
                    h.putInt(o + CURSOR_OFFSET, cursor);
                    // Between block changes, look only at the (hot) newest block: in a chain of two it is the
                    // oldest block's successor, so its first timestamp decides exactly; longer chains are
                    // also trimmed whenever a block is added.
                    if (b.getLong(at + SampleCodec.FIRST_TS_OFFSET) <= minValid && newest != (int) h.getLong(o + OLDEST_OFFSET)) {
                        samples = dropOldBlocks(h, o, samples, minValid, nowMs);
                    }
                } else {
                    int next = newBlock(timestampMs, bits, nowMs);
                    b.putIntRelease(at + SampleCodec.NEXT_OFFSET, next); // publishes the new block and sample
                    h.putInt(o + NEWEST_OFFSET, next);
                    h.putInt(o + LAST_DELTA_OFFSET, 0);
                    h.putInt(o + CURSOR_OFFSET, 0);
                    samples = dropOldBlocks(h, o, samples, minValid, nowMs);
                }
            }
            h.putInt(o + SAMPLES_OFFSET, samples);
            h.putLong(o + LAST_VALUE_OFFSET, bits);
            h.putLongRelease(o + LAST_TS_OFFSET, timestampMs);
            return AppendResult.APPENDED;
        } finally {
            h.putIntRelease(o + LOCK_OFFSET, 0);
        }
    }

    /**
     * A sample older than the series' newest one (the caller holds the series lock and checked the
     * generation): into the series' out-of-order buffer if it is within the window behind the newest
     * sample, inside retention, and neither in the chain nor in the buffer already. Delta appends are never
     * buffered: their value is the newest value plus the delta, which an older sample cannot be.
     */
    private int appendOutOfOrder(UnsafeBuffer h, int o, int ref, int generation, long last, long timestampMs,
                                 double value, int mode, long nowMs) {
        long behind = last - timestampMs; // > 0; negative only on overflow, i.e. far beyond any window
        if (outOfOrderWindowMs == 0 || mode == MODE_DELTA || behind < 0 || behind > outOfOrderWindowMs) {
            return AppendResult.OUT_OF_ORDER;
        }
        long minValid = nowMs - retentionMs;
        if (timestampMs < minValid) {
            return AppendResult.TOO_OLD;
        }
        if (chainHolds(h, o, timestampMs)) {
            return AppendResult.DUPLICATE; // typically a retried export that had been stored after all
        }
        return outOfOrder.insert(ref, generation, timestampMs, Double.doubleToRawLongBits(value), minValid);
    }

    /**
     * Whether the series' compressed chain holds a sample at exactly {@code timestampMs} (writer side,
     * under the series lock, so the chain does not change meanwhile): decodes only the one block whose
     * range can contain it.
     */
    private boolean chainHolds(UnsafeBuffer h, int o, long timestampMs) {
        int b = (int) h.getLong(o + OLDEST_OFFSET);
        while (b != NO_BLOCK) {
            UnsafeBuffer buf = pool.chunk(b);
            int at = BlockPool.offset(b);
            int next = buf.getInt(at + SampleCodec.NEXT_OFFSET);
            if (next != NO_BLOCK && firstTimestamp(next) <= timestampMs) {
                b = next;
                continue;
            }
            if (buf.getLong(at + SampleCodec.FIRST_TS_OFFSET) > timestampMs) {
                return false;
            }
            SampleBuffer scratch = CHAIN_PROBE.get();
            scratch.clear();
            SampleCodec.decode(buf, at, buf.getInt(at + SampleCodec.COUNT_OFFSET), 0, timestampMs, timestampMs, scratch);
            return scratch.size() > 0;
        }
        return false;
    }

    /**
     * Drops out-of-order samples older than {@code minValidMs} from every series that buffers some, and
     * empty buffers (retention; each series under its writer lock). Returns how many samples were dropped.
     */
    long expireOutOfOrder(long minValidMs) {
        long[] dropped = new long[1];
        outOfOrder.forEach((ref, generation) -> {
            UnsafeBuffer h = header(ref);
            int o = headerOffset(ref);
            lock(h, o);
            try {
                if (h.getInt(o + GENERATION_OFFSET) == generation) {
                    dropped[0] += outOfOrder.expire(ref, generation, minValidMs);
                }
            } finally {
                h.putIntRelease(o + LOCK_OFFSET, 0);
            }
        });
        return dropped[0];
    }

    /** A zeroed block holding one sample, not yet reachable by readers. */
    private int newBlock(long timestampMs, long valueBits, long nowMs) {
        int id = pool.allocate(nowMs);
        SampleCodec.initBlock(pool.chunk(id), BlockPool.offset(id), timestampMs, valueBits);
        return id;
    }

    /**
     * Drops blocks from the old end while all of the oldest block's samples are older than
     * {@code minValid} (its successor starts at or before it) or the rest still holds the per-series
     * maximum; returns the chain's sample count afterwards. The newest block always stays.
     */
    private int dropOldBlocks(UnsafeBuffer h, int o, int samples, long minValid, long nowMs) {
        long word = h.getLong(o + OLDEST_OFFSET);
        int oldest = (int) word;
        int newest = h.getInt(o + NEWEST_OFFSET);
        while (oldest != newest) {
            UnsafeBuffer b = pool.chunk(oldest);
            int at = BlockPool.offset(oldest);
            int next = b.getInt(at + SampleCodec.NEXT_OFFSET);
            int count = b.getInt(at + SampleCodec.COUNT_OFFSET);
            long nextFirst = pool.chunk(next).getLong(BlockPool.offset(next) + SampleCodec.FIRST_TS_OFFSET);
            if (nextFirst > minValid && samples - count < maxSamples) {
                break;
            }
            word = nextVersion(word, next);
            h.putLongRelease(o + OLDEST_OFFSET, word);
            pool.release(oldest, nowMs);
            samples -= count;
            oldest = next;
        }
        return samples;
    }

    /** The oldest word naming {@code block}, with the version after {@code word}'s. */
    private static long nextVersion(long word, int block) {
        return ((word >>> 32) + 1) << 32 | (block & 0xFFFF_FFFFL);
    }

    /**
     * Marks the series removed if its newest sample is older than {@code cutoffMs} (or unconditionally
     * when {@code force}), and sends its blocks to quarantine. Returns whether it was removed.
     */
    boolean remove(int ref, int generation, long cutoffMs, boolean force, long nowMs) {
        UnsafeBuffer h = header(ref);
        int o = headerOffset(ref);
        int block;
        lock(h, o);
        try {
            if (h.getInt(o + GENERATION_OFFSET) != generation) {
                return false;
            }
            if (!force && h.getLong(o + LAST_TS_OFFSET) >= cutoffMs) {
                return false;
            }
            block = (int) h.getLong(o + OLDEST_OFFSET);
            outOfOrder.remove(ref, generation);
            h.putIntRelease(o + GENERATION_OFFSET, 0);
        } finally {
            h.putIntRelease(o + LOCK_OFFSET, 0);
        }
        // No writer touches the chain any more (generation 0), and the ref is not reused before the store's
        // grace period: walk it and quarantine every block.
        while (block != NO_BLOCK) {
            int next = pool.chunk(block).getInt(BlockPool.offset(block) + SampleCodec.NEXT_OFFSET);
            pool.release(block, nowMs);
            block = next;
        }
        return true;
    }

    private static void lock(UnsafeBuffer h, int o) {
        while (!h.compareAndSetInt(o + LOCK_OFFSET, 0, 1)) {
            Thread.onSpinWait();
        }
    }

    // ---- reader side -----------------------------------------------------------------------------------

    /** Number of blocks in the series' chain (diagnostics and tests). */
    int blocks(int ref, int generation) {
        UnsafeBuffer h = header(ref);
        int o = headerOffset(ref);
        if (h.getIntVolatile(o + GENERATION_OFFSET) != generation) {
            return 0;
        }
        int n = 0;
        for (int b = (int) h.getLongVolatile(o + OLDEST_OFFSET); b != NO_BLOCK;
             b = pool.chunk(b).getIntVolatile(BlockPool.offset(b) + SampleCodec.NEXT_OFFSET)) {
            n++;
        }
        return n;
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
        // A chain never holds more blocks than samples, and never more samples than maxSamples plus the
        // oldest and the newest block's; a longer walk means reused memory: retry.
        long maxBlocks = (long) maxSamples + 2L * (SampleCodec.CAPACITY_BITS + 1);
        while (true) {
            if (h.getIntVolatile(o + GENERATION_OFFSET) != generation) {
                return 0;
            }
            long oldestWord = h.getLongVolatile(o + OLDEST_OFFSET);
            int first = (int) oldestWord;
            // Pass 1: the snapshot (last block, its count, total samples).
            long total = 0;
            int last = NO_BLOCK;
            int lastCount = 0;
            boolean consistent = true;
            long seen = 0;
            for (int b = first; b != NO_BLOCK; ) {
                if (!pool.isValid(b) || ++seen > maxBlocks) {
                    consistent = false;
                    break;
                }
                UnsafeBuffer buf = pool.chunk(b);
                int at = BlockPool.offset(b);
                int next = buf.getIntVolatile(at + SampleCodec.NEXT_OFFSET);
                int count = buf.getIntVolatile(at + SampleCodec.COUNT_OFFSET);
                if (count < 1 || count > SampleCodec.CAPACITY_BITS + 1) {
                    consistent = false;
                    break;
                }
                total += count;
                last = b;
                lastCount = count;
                b = next;
            }
            // Pass 2: decode.
            if (consistent && last != NO_BLOCK) {
                long skip = Math.max(0, total - maxSamples);
                for (int b = first; ; ) {
                    UnsafeBuffer buf = pool.chunk(b);
                    int at = BlockPool.offset(b);
                    boolean isLast = b == last;
                    int next = isLast ? NO_BLOCK : buf.getInt(at + SampleCodec.NEXT_OFFSET);
                    int count = isLast ? lastCount : buf.getInt(at + SampleCodec.COUNT_OFFSET);
                    if (!isLast && !pool.isValid(next)) {
                        consistent = false;
                        break;
                    }
                    if (skip >= count || (!isLast && firstTimestamp(next) <= minTs)) {
                        // Wholly skipped: beyond the per-series bound, or every sample is before minTs.
                        skip = Math.max(0, skip - count);
                    } else {
                        boolean more = SampleCodec.decode(buf, at, count, (int) skip, minTs, maxTs, out);
                        skip = 0;
                        if (!more) {
                            break;
                        }
                    }
                    if (isLast) {
                        break;
                    }
                    b = next;
                }
            }
            VarHandle.loadLoadFence();
            if (h.getIntVolatile(o + GENERATION_OFFSET) != generation) {
                out.truncate(start);
                return 0;
            }
            if (h.getLongVolatile(o + OLDEST_OFFSET) != oldestWord || !consistent) {
                out.truncate(start);
                continue;
            }
            break;
        }
        // The out-of-order samples (all older than the chain's newest; none at a chain timestamp) merged in.
        OutOfOrderBuffer ooo = outOfOrder.get(ref, generation);
        if (ooo != null) {
            int mid = out.size();
            if (ooo.read(minTs, maxTs, out) > 0) {
                out.mergeRuns(start, mid);
            }
        }
        return out.size() - start;
    }

    private long firstTimestamp(int block) {
        return pool.chunk(block).getLong(BlockPool.offset(block) + SampleCodec.FIRST_TS_OFFSET);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pool.close();
        headerMemory.close();
    }
}
