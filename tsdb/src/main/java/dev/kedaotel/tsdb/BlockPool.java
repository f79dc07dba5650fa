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
    private static final int BLOCKS_PER_CHUNK = 1 << CHUNK_SHIFT;
    private static final int IN_CHUNK_MASK = BLOCKS_PER_CHUNK - 1;
    private static final int CHUNK_SLACK_BYTES = 16;
    private static final int MAX_CHUNKS = 1 << (31 - CHUNK_SHIFT);

    private final int chunkBytes = BLOCKS_PER_CHUNK * SampleCodec.BLOCK_BYTES + CHUNK_SLACK_BYTES;
    private final long reuseGraceMs;
    private final Quarantine quarantine = new Quarantine();
    private final OffHeapMemory memory = new OffHeapMemory();
    private int[] free = new int[64];
    private int freeCount;

    private volatile UnsafeBuffer[] chunks = new UnsafeBuffer[8];
    /** Ids below this were handed out at least once (readers use it to reject garbage ids). */
    private volatile int limit;
    private int chunkCount;
    private boolean closed;

    BlockPool(long reuseGraceMs) {
        this.reuseGraceMs = reuseGraceMs;
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
        return (long) chunkCount * chunkBytes;
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
            throw new IllegalStateException("sample memory exhausted: " + chunkCount + " chunks of " + chunkBytes + " bytes");
        }
        UnsafeBuffer[] cs = chunks;
        if (chunkCount == cs.length) {
            cs = Arrays.copyOf(cs, cs.length * 2);
        }
        cs[chunkCount] = memory.allocate(chunkBytes);
        chunkCount++;
        chunks = cs; // volatile publish, also when the array did not grow
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
