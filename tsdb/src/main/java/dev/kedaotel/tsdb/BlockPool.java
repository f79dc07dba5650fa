package dev.kedaotel.tsdb;

import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One pool of equally sized off-heap sample blocks ({@link SampleCodec#BLOCK_BYTES} each) shared by all
 * series. Because every block has the same size, a freed block is reusable by any series: memory comes
 * back exactly, there are no per-size-class free lists that only some series can use.
 *
 * <p>A block is named by an int id: chunk {@code id >>> 14}, byte offset {@code (id & 0x3FFF) × BLOCK_BYTES}
 * inside it. Chunks hold 16,384 blocks (1.5 MiB) plus 16 bytes of slack at the end, so a decoder may load
 * the words just past a block's end without a bounds failure (it ignores those bits).
 *
 * <p>Freed blocks (dropped from a series' chain by retention or the per-series bound, or belonging to a
 * removed series) sit in a {@link Quarantine} for {@code reuseGraceMs} before they can be handed out
 * again, so a reader that reached a block just before it was dropped can finish decoding it; the ring's
 * read protocol detects drops and retries (see {@link SampleRings}). Chunks are never returned before
 * {@link #close()}.
 *
 * <p>Concurrency: allocation and release are rare (once per filled block) and serialise on this object's
 * monitor. Readers only call {@link #chunk(int)}, which reads the volatile chunk array; a chunk is
 * published there before any id inside it is handed out, and ids are published by the ring writer with
 * release stores.
 */
final class BlockPool implements AutoCloseable {
    static final int NO_BLOCK = -1;
    private static final int CHUNK_SHIFT = 14;
    static final int BLOCKS_PER_CHUNK = 1 << CHUNK_SHIFT;
    private static final int IN_CHUNK_MASK = BLOCKS_PER_CHUNK - 1;
    private static final int CHUNK_SLACK_BYTES = 16;
    private static final int MAX_CHUNKS = 1 << (31 - CHUNK_SHIFT);
    static final int CHUNK_BYTES = BLOCKS_PER_CHUNK * SampleCodec.BLOCK_BYTES + CHUNK_SLACK_BYTES;

    private final long reuseGraceMs;
    private final Quarantine quarantine = new Quarantine();
    private final MemorySource memory;
    private int[] free = new int[64];
    private int freeCount;

    private volatile UnsafeBuffer[] chunks = new UnsafeBuffer[8];
    /** Ids below this were handed out at least once (readers use it to reject garbage ids). */
    private volatile int limit;
    private int chunkCount;
    private boolean closed;
    /** Restore: chunks whose file was missing (no chain may reach into them). */
    private final java.util.BitSet missingChunks = new java.util.BitSet();

    BlockPool(long reuseGraceMs) {
        this(reuseGraceMs, new OffHeapMemory());
    }

    /** A pool whose chunks come from {@code memory} (closed with the pool). */
    BlockPool(long reuseGraceMs, MemorySource memory) {
        this.reuseGraceMs = reuseGraceMs;
        this.memory = memory;
    }

    UnsafeBuffer chunk(int id) {
        return chunks[id >>> CHUNK_SHIFT];
    }

    static int offset(int id) {
        return (id & IN_CHUNK_MASK) * SampleCodec.BLOCK_BYTES;
    }

    /** Whether {@code id} names a block that exists (a reader's guard against ids read from reused memory). */
    boolean isValid(int id) {
        return id >= 0 && id < limit;
    }

    /** A block whose grace period (if it was used before) is over. Its contents are undefined: zero it. */
    synchronized int allocate(long nowMs) {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
        while (quarantine.hasReleasable(nowMs)) {
            if (freeCount == free.length) {
                free = Arrays.copyOf(free, freeCount * 2);
            }
            free[freeCount++] = (int) quarantine.poll();
        }
        if (freeCount > 0) {
            return free[--freeCount];
        }
        int id = limit;
        if ((id & IN_CHUNK_MASK) == 0) {
            newChunk();
        }
        limit = id + 1;
        return id;
    }

    /** Returns a block; it becomes reusable {@code reuseGraceMs} after {@code nowMs}. */
    synchronized void release(int id, long nowMs) {
        if (id != NO_BLOCK && !closed) {
            quarantine.add(nowMs + reuseGraceMs, id);
        }
    }

    /** Bytes of chunk memory reserved so far (for self-metrics and tests). */
    synchronized long bytesReserved() {
        return (long) chunkCount * CHUNK_BYTES;
    }

    /** Blocks waiting out their grace period. */
    synchronized int quarantined() {
        return quarantine.size();
    }

    /** Distinct blocks ever handed out (reuse keeps this flat). */
    int created() {
        return limit;
    }

    /** Blocks ready for reuse (grace period over, as of the last allocation). */
    synchronized int free() {
        return freeCount;
    }

    private void newChunk() {
        if (chunkCount == MAX_CHUNKS) {
            throw new IllegalStateException("sample memory exhausted: " + chunkCount + " chunks of " + CHUNK_BYTES + " bytes");
        }
        UnsafeBuffer[] cs = chunks;
        if (chunkCount == cs.length) {
            cs = Arrays.copyOf(cs, cs.length * 2);
        }
        cs[chunkCount] = memory.chunk(chunkCount, CHUNK_BYTES);
        chunkCount++;
        chunks = cs; // volatile publish, also when the array did not grow
    }

    // ---- restore (single-threaded, before the store is published) ------------------------------------

    /**
     * Restore: chunk {@code index} is {@code buffer} (a persisted chunk mapped again), or, when null (its
     * file is missing), fresh memory whose blocks are all free. Chunks are restored in index order.
     */
    void restoreChunk(int index, UnsafeBuffer buffer) {
        UnsafeBuffer[] cs = chunks;
        if (index >= cs.length) {
            cs = Arrays.copyOf(cs, Math.max(index + 1, cs.length * 2));
        }
        cs[index] = buffer != null ? buffer : memory.chunk(index, CHUNK_BYTES);
        if (buffer == null) {
            missingChunks.set(index);
        }
        chunkCount = index + 1;
        chunks = cs;
        limit = chunkCount * BLOCKS_PER_CHUNK;
    }

    /**
     * Restore done: every block of the restored chunks that no live chain reaches ({@code reachable}) is
     * free at once (no reader of the previous process can still hold it). The free list of the previous
     * process is never trusted: it was not persisted.
     */
    synchronized void finishRestore(java.util.BitSet reachable) {
        for (int id = limit - 1; id >= 0; id--) {
            if (!reachable.get(id)) {
                if (freeCount == free.length) {
                    free = Arrays.copyOf(free, Math.max(freeCount * 2, limit - id + 64));
                }
                free[freeCount++] = id; // descending, so the lowest ids are handed out first
            }
        }
    }

    /** Whether {@code id} names a block of a chunk that was restored from its file (restore's guard). */
    boolean isRestorable(int id) {
        return id >= 0 && id < limit && !missingChunks.get(id >>> CHUNK_SHIFT);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        memory.close();
        chunkCount = 0;
        quarantine.clear();
    }
}
