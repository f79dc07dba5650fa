package dev.kedaotel.tsdb;

import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Carves large off-heap chunks into ring slots by size class. Capacities go 8, 12, 16, 24, 32, 48, 64,
 * … (powers of two and 1.5× powers of two, at most 50% over-allocation instead of 100%, so e.g. a
 * 2-minute window at 5 s, 24 samples, fits a slot exactly), capped by and ending exactly at the
 * per-series maximum. Slot bytes are {@link SampleCodec#slotBytes}. A slot is named by a <em>descriptor</em>, one long, so a reader learns which memory and how
 * much of it with a single atomic load:
 * <pre>
 *   63      56 55                    32 31                              0
 *   +---------+------------------------+---------------------------------+
 *   | class   | chunk index            | byte offset inside the chunk    |
 *   +---------+------------------------+---------------------------------+
 * </pre>
 * Freed slots (series removed, or ring moved to a bigger class) sit in a quarantine for
 * {@code reuseGraceMs} before they go back on their class' free list, so a reader that loaded the old
 * descriptor can still copy from it (and then notice the move). Chunks are never returned before
 * {@link #close()}.
 *
 * <p>Concurrency: allocation and release are rare (series creation, growth, removal) and serialise on
 * this object's monitor. Readers only call {@link #chunk(int)}, which reads the volatile chunk array;
 * a chunk is published in that array before any descriptor pointing into it is handed out, and
 * descriptors themselves are published with release stores by the ring writer.
 */
final class SlabAllocator implements AutoCloseable {
    static final int MIN_SAMPLES = 8;
    static final long NO_SLOT = -1L;
    private static final int MIN_CHUNK_BYTES = 1 << 20;
    private static final int MAX_CHUNKS = 1 << 24;

    private final int[] classCapacity;
    private final int chunkBytes;
    private final long reuseGraceMs;
    private final long[][] freeSlots;
    private final int[] freeCount;
    private final Quarantine quarantine = new Quarantine();
    private final OffHeapMemory memory = new OffHeapMemory();

    private volatile UnsafeBuffer[] chunks = new UnsafeBuffer[8];
    private int chunkCount;
    private int bumpOffset;
    private long bytesAllocated;
    private boolean closed;

    SlabAllocator(int maxSamplesPerSeries, long reuseGraceMs) {
        if (maxSamplesPerSeries > SampleCodec.maxCapacity() / 2) {
            throw new IllegalArgumentException("maxSamplesPerSeries " + maxSamplesPerSeries + " is too large");
        }
        classCapacity = capacities(maxSamplesPerSeries);
        int classes = classCapacity.length;
        int maxSlotBytes = SampleCodec.slotBytes(classCapacity[classes - 1]);
        this.chunkBytes = Math.max(MIN_CHUNK_BYTES, maxSlotBytes);
        this.reuseGraceMs = reuseGraceMs;
        this.freeSlots = new long[classes][16];
        this.freeCount = new int[classes];
        this.bumpOffset = chunkBytes; // forces a chunk on first use
    }

    /** 8, 12, 16, 24, 32, …: alternately ×1.5 and ×4/3, the last one exactly {@code max}. */
    static int[] capacities(int max) {
        int[] caps = new int[64];
        int n = 0;
        long c = MIN_SAMPLES;
        while (true) {
            caps[n++] = (int) Math.min(c, max);
            if (c >= max) {
                break;
            }
            c = (n & 1) == 1 ? c * 3 / 2 : c * 4 / 3;
        }
        return Arrays.copyOf(caps, n);
    }

    /** The smallest class holding at least {@code samples}, or the largest class. */
    int classFor(int samples) {
        for (int k = 0; k < classCapacity.length; k++) {
            if (classCapacity[k] >= samples) {
                return k;
            }
        }
        return classCapacity.length - 1;
    }

    int classCount() {
        return classCapacity.length;
    }

    int maxClass() {
        return classCapacity.length - 1;
    }

    int capacityOf(int sizeClass) {
        return classCapacity[sizeClass];
    }

    static int sizeClass(long descriptor) {
        return (int) (descriptor >>> 56);
    }

    static int chunkIndex(long descriptor) {
        return (int) (descriptor >>> 32) & 0xFF_FFFF;
    }

    static int offset(long descriptor) {
        return (int) descriptor;
    }

    UnsafeBuffer chunk(int index) {
        return chunks[index];
    }

    /** A slot of {@code sizeClass}, reusing a released one whose grace period is over. */
    synchronized long allocate(int sizeClass, long nowMs) {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
        drainQuarantine(nowMs);
        if (freeCount[sizeClass] > 0) {
            return freeSlots[sizeClass][--freeCount[sizeClass]];
        }
        int bytes = SampleCodec.slotBytes(classCapacity[sizeClass]);
        if (bumpOffset + bytes > chunkBytes) {
            newChunk();
        }
        long d = ((long) sizeClass << 56) | ((long) (chunkCount - 1) << 32) | (bumpOffset & 0xFFFF_FFFFL);
        bumpOffset += bytes;
        return d;
    }

    /** Returns a slot; it becomes reusable {@code reuseGraceMs} after {@code nowMs}. */
    synchronized void release(long descriptor, long nowMs) {
        if (descriptor != NO_SLOT && !closed) {
            quarantine.add(nowMs + reuseGraceMs, descriptor);
        }
    }

    /** Bytes of chunk memory reserved so far (for self-metrics and tests). */
    synchronized long bytesReserved() {
        return bytesAllocated;
    }

    /** Slots waiting out their grace period. */
    synchronized int quarantined() {
        return quarantine.size();
    }

    private void drainQuarantine(long nowMs) {
        while (quarantine.hasReleasable(nowMs)) {
            long d = quarantine.poll();
            int k = sizeClass(d);
            if (freeCount[k] == freeSlots[k].length) {
                freeSlots[k] = Arrays.copyOf(freeSlots[k], freeCount[k] * 2);
            }
            freeSlots[k][freeCount[k]++] = d;
        }
    }

    private void newChunk() {
        if (chunkCount == MAX_CHUNKS) {
            throw new IllegalStateException("ring memory exhausted: " + chunkCount + " chunks of " + chunkBytes + " bytes");
        }
        UnsafeBuffer[] cs = chunks;
        if (chunkCount == cs.length) {
            cs = Arrays.copyOf(cs, cs.length * 2);
        }
        cs[chunkCount] = memory.allocate(chunkBytes);
        chunkCount++;
        chunks = cs; // volatile publish, also when the array did not grow
        bumpOffset = 0;
        bytesAllocated += chunkBytes;
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
