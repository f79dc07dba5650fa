package dev.kedaotel.receiver;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Dense ids for the resource label sets a {@link SeriesCache} has seen (the promoted resource label pairs
 * of a {@code ResourceMetrics}, as symbol ids), so each cached key holds a 4-byte id instead of 8 bytes a
 * promoted label: a deployment promoting pod, namespace, node, service and instance pays ~40 bytes less per
 * cached series. Ids are never reused: the cache that owns these contexts starts over with new ones when
 * they are full ({@link #intern} answers -1), so a cached key's id names one label set for as long as the
 * key can be compared.
 *
 * <h2>Layout</h2>
 * <pre>
 *   bytes:   the label sets' ints, little-endian, one after another
 *   ends:    ends[id] = end of set id in bytes (its start is ends[id - 1], or 0)
 *   hashes:  hashes[id]
 *   slots:   open addressing by hash, linear probing: id + 1, 0 = empty; grown at 1/2 load
 * </pre>
 * Bounded by {@value #MAX_CONTEXTS} sets and {@value #MAX_BYTES} bytes.
 *
 * <h2>Concurrency</h2>
 * {@link #find} is lock-free; {@link #intern} is called under the owning cache's monitor. A new set's
 * bytes, end and hash are written before the release store of its slot, which readers load with acquire.
 * Arrays that fill up are replaced by bigger copies published together through the volatile
 * {@link #tables}; a reader on the old ones reads consistent data and at worst misses a set added since.
 */
final class ResourceContexts {
    static final int MAX_CONTEXTS = 1 << 16;
    static final int MAX_BYTES = 1 << 22;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(int[].class);

    private static final class Tables {
        final byte[] bytes;
        final int[] ends;
        final int[] hashes;
        final int[] slots;

        Tables(byte[] bytes, int[] ends, int[] hashes, int[] slots) {
            this.bytes = bytes;
            this.ends = ends;
            this.hashes = hashes;
            this.slots = slots;
        }
    }

    private volatile Tables tables = new Tables(new byte[256], new int[16], new int[16], new int[32]);
    // Writer side (the owning cache's monitor).
    private int count;
    private int used;

    /** The id of the label set {@code ints[0, len)} (hash from {@link CacheKeys#resourceHash}), or -1. Lock-free. */
    int find(byte[] ints, int len, int hash) {
        Tables t = tables;
        int mask = t.slots.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            int v = (int) SLOTS.getAcquire(t.slots, i);
            if (v == 0) {
                return -1;
            }
            int id = v - 1;
            if (t.hashes[id] == hash && equalsAt(t, id, ints, len)) {
                return id;
            }
        }
    }

    private static boolean equalsAt(Tables t, int id, byte[] ints, int len) {
        int start = id == 0 ? 0 : t.ends[id - 1];
        return t.ends[id] - start == len && Arrays.equals(t.bytes, start, start + len, ints, 0, len);
    }

    /** The id of the label set, adding it when new; -1 when full (the owner then starts over). Monitor held. */
    int intern(byte[] ints, int len, int hash) {
        int id = find(ints, len, hash);
        if (id >= 0) {
            return id;
        }
        if (count == MAX_CONTEXTS || used + len > MAX_BYTES) {
            return -1;
        }
        Tables t = tables;
        if (count == t.ends.length || used + len > t.bytes.length || (count + 1) * 2 > t.slots.length) {
            t = grown(t, len);
        }
        id = count;
        System.arraycopy(ints, 0, t.bytes, used, len);
        used += len;
        t.ends[id] = used;
        t.hashes[id] = hash;
        int mask = t.slots.length - 1;
        int i = hash & mask;
        while (t.slots[i] != 0) {
            i = (i + 1) & mask;
        }
        SLOTS.setRelease(t.slots, i, id + 1);
        count = id + 1;
        return id;
    }

    private Tables grown(Tables t, int len) {
        byte[] bytes = used + len > t.bytes.length
                ? Arrays.copyOf(t.bytes, Math.min(MAX_BYTES, Math.max(t.bytes.length * 2, used + len))) : t.bytes;
        int capacity = count == t.ends.length ? t.ends.length * 2 : t.ends.length;
        int[] ends = Arrays.copyOf(t.ends, capacity);
        int[] hashes = Arrays.copyOf(t.hashes, capacity);
        int[] slots = (count + 1) * 2 > t.slots.length ? new int[t.slots.length * 2] : t.slots.clone();
        if (slots.length != t.slots.length) {
            int mask = slots.length - 1;
            for (int id = 0; id < count; id++) {
                int i = hashes[id] & mask;
                while (slots[i] != 0) {
                    i = (i + 1) & mask;
                }
                slots[i] = id + 1;
            }
        }
        Tables g = new Tables(bytes, ends, hashes, slots);
        tables = g;
        return g;
    }

    /** Number of label sets (tests, diagnostics). Monitor held or racy. */
    int size() {
        return count;
    }
}
