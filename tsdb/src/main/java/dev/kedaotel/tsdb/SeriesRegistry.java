package dev.kedaotel.tsdb;

import dev.kedaotel.model.Labels;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The live series: label set → (ref, generation) and ref → label set, hands out refs. A series has no
 * heap object of its own: it is a 12-byte record in a paged {@code int[]} indexed by ref, a key entry in
 * a {@link KeyArena} and a slot in an open-addressing {@code int[]} hash table.
 *
 * <h2>Layouts</h2>
 * <b>Record</b> of ref {@code r}: page {@code r >>> 12} (4096 records = 12,288 ints = 48 KiB), ints at
 * {@code (r & 4095) * 3}:
 * <pre>
 *   +0 generation   the live series' generation, 0 when the ref is free or its series was removed
 *   +1 key          address of the key entry in the {@link KeyArena}
 *   +2 next hint    ref of the series some appender wrote right after this one last time, or -1
 * </pre>
 * (The key's hash is in its table slot; removal recomputes it from the key.)
 * <br><b>Key entry</b> ({@code 1 + n} ints for n labels): {@code [shape id, value symbol 0, ..., value symbol
 * n-1]}, the values in key order (ascending name symbol id), the names in the {@link LabelShape}. For
 * {@code bench_requests_total{k8s_namespace_name, pod, series}} that is 20 bytes.
 * <br><b>Hash table</b>: one int per slot, {@code r} ref bits per table (enough for four times the refs
 * and slots the table was built for, at least 16, at most 31):
 * <pre>
 *   31              r r-1                  0
 *   +----------------+---------------------+
 *   | hash fragment  |       ref + 1       |     0 = empty; ref + 1 = 0 with a fragment bit set = removed
 *   +----------------+---------------------+
 *   fragment = the hash's low 32 - r bits (the home slot, {@link SymbolTable#home}, comes from its high bits)
 * </pre>
 * A probe compares the fragment before it reads a record and key (at 100k series 12 bits: one wasted read
 * in 4,096 probed slots). At 75% load (live + tombstones) the table grows by 1.5×, or is rebuilt at the
 * same size when tombstones are most of it (or, as a guard, with more ref bits should a new ref not
 * fit); a rebuild recomputes each live series' hash from its key, walking the refs in order.
 *
 * <h2>Concurrency</h2>
 * {@link #lookup}, {@link #generation}, {@link #matchGeneration}, {@link #labels} and the hint accessors
 * are lock-free and (except {@code labels}) allocation-free; every other method is called by the store
 * under its write lock (one writer at a time).
 * <ul>
 *   <li>Creation writes the key entry, then the record's key and hint fields (plain), then the
 *       generation with a release store, then the table slot with a release store. Readers load the
 *       slot and the generation with acquire semantics and read the key after that, so a visible ref has
 *       a complete key (and, since the store initialises the ring first, a live ring).</li>
 *   <li>Removal stores generation 0 (release) and overwrites the table slot with the tombstone. A reader
 *       may still be comparing the removed key; the key entry is only freed when the ref is reused,
 *       after its quarantine ({@code reuseGraceMs}), so that comparison reads stable ints, and an
 *       appender holding the old generation is refused by the ring's generation check.</li>
 *   <li>The table, the record page directory, the arena's pages and the shapes are replaced by
 *       copy-and-publish through volatile fields. A reader on an old table may miss a series created
 *       after the switch and then takes the locked create path, which re-checks the current table.</li>
 *   <li>The next hint is a plain, racy int: any appender may overwrite it; a stale or wrong one costs one
 *       failed key comparison.</li>
 * </ul>
 */
final class SeriesRegistry {
    /** Returned by {@link #lookup} when the label set has no live series. */
    static final long NONE = -1L;

    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final int MIN_REF_BITS = 16;
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    private static final int GEN = 0;
    private static final int KEY = 1;
    private static final int NEXT = 2;
    private static final int STRIDE = 3;

    private static final class Table {
        final int[] slots;
        final int capacity;
        /** r: the low bits of a slot hold ref + 1. */
        final int refBits;
        final int refMask;
        /** A removed slot: no ref, the lowest fragment bit set. */
        final int tombstone;

        Table(int capacity, int refLimit) {
            slots = new int[capacity];
            this.capacity = capacity;
            long need = Math.max((long) refLimit, capacity) * 4;
            refBits = Math.min(31, Math.max(MIN_REF_BITS, 64 - Long.numberOfLeadingZeros(need)));
            refMask = (int) ((1L << refBits) - 1);
            tombstone = 1 << refBits;
        }

        int slot(int hash, int ref) {
            return hash << refBits | (ref + 1);
        }

        boolean fits(int ref) {
            return ref + 1 <= refMask;
        }
    }

    private final long reuseGraceMs;
    private final SymbolTable symbols;
    private final LabelShapes shapes;
    private final KeyArena keys = new KeyArena();
    private volatile Table table = new Table(1024, 0);
    private volatile int[][] records = new int[16][];
    private final Quarantine quarantinedRefs = new Quarantine();
    private int[] freeRefs = new int[64];
    private int freeRefCount;
    private volatile int nextRef;
    private volatile int live;
    private int tombstones;
    /** The ref last returned by {@link #allocateRef} if it had a series before (its key entry is freed on insert), else -1. */
    private int reusedRef = -1;
    /** Refs {@link #finishRestore} freed (no key entry to free when they are reused), or null. */
    private java.util.BitSet keyless;

    SeriesRegistry(long reuseGraceMs, SymbolTable symbols) {
        this.reuseGraceMs = reuseGraceMs;
        this.symbols = symbols;
        this.shapes = new LabelShapes(symbols);
    }

    /** A (ref, generation) pair as one long: what {@link #lookup} returns and appenders hold. */
    static long handle(int ref, int generation) {
        return ((long) ref << 32) | (generation & 0xFFFF_FFFFL);
    }

    static int refOf(long handle) {
        return (int) (handle >>> 32);
    }

    static int generationOf(long handle) {
        return (int) handle;
    }

    /**
     * The handle of the live series with this canonical label set, or {@link #NONE}. Lock-free,
     * allocation-free.
     */
    long lookup(LabelSetBuilder labels) {
        int h = labels.hash();
        Table t = table;
        int[] slots = t.slots;
        int fragment = h << t.refBits;
        int i = SymbolTable.home(h, t.capacity);
        while (true) {
            int e = (int) INTS.getAcquire(slots, i);
            if (e == 0) {
                return NONE;
            }
            int refPlusOne = e & t.refMask;
            if ((e & ~t.refMask) == fragment && refPlusOne != 0) {
                int ref = refPlusOne - 1;
                int generation = matchGeneration(ref, labels);
                if (generation != 0) {
                    return handle(ref, generation);
                }
            }
            i = i + 1 == t.capacity ? 0 : i + 1;
        }
    }

    /**
     * The generation of {@code ref} if it is live and its key equals the builder's canonical form, else 0.
     * The generation is loaded (acquire) before the key is read, so the key read belongs to it.
     */
    int matchGeneration(int ref, LabelSetBuilder labels) {
        int[] page = records[ref >>> PAGE_SHIFT];
        int at = (ref & (PAGE_SIZE - 1)) * STRIDE;
        int generation = (int) INTS.getAcquire(page, at + GEN);
        if (generation == 0) {
            return 0;
        }
        int key = page[at + KEY];
        int[] kp = keys.page(key);
        int k = key & KeyArena.PAGE_MASK;
        return labels.sameAs(shapes.get(kp[k]).names, kp, k + 1) ? generation : 0;
    }

    /** The generation of a live series' ref, or 0 when the ref is not live. */
    int generation(int ref) {
        if (ref < 0) {
            return 0;
        }
        int[][] p = records;
        int page = ref >>> PAGE_SHIFT;
        if (page >= p.length || p[page] == null) {
            return 0;
        }
        return (int) INTS.getAcquire(p[page], (ref & (PAGE_SIZE - 1)) * STRIDE);
    }

    /** The hinted successor of {@code ref} (see {@link Appender}), or -1. */
    int nextHint(int ref) {
        return records[ref >>> PAGE_SHIFT][((ref & (PAGE_SIZE - 1)) * STRIDE) + NEXT];
    }

    void setNextHint(int ref, int next) {
        records[ref >>> PAGE_SHIFT][((ref & (PAGE_SIZE - 1)) * STRIDE) + NEXT] = next;
    }

    /**
     * The label set of a live series, built on demand (values decoded lazily, see {@link Labels}), or
     * null when the ref is not live.
     */
    Labels labels(int ref) {
        int generation = generation(ref);
        if (generation == 0) {
            return null;
        }
        int key = records[ref >>> PAGE_SHIFT][((ref & (PAGE_SIZE - 1)) * STRIDE) + KEY];
        int[] kp = keys.page(key);
        int k = key & KeyArena.PAGE_MASK;
        LabelShape shape = shapes.get(kp[k]);
        if (shape.size() == 0) {
            return Labels.EMPTY;
        }
        Labels labels = Labels.lazy(shape.labelNames, Arrays.copyOfRange(kp, k + 1, k + 1 + shape.size()));
        // Seqlock-style re-check: had the ref been removed and reused meanwhile (only possible with a
        // grace period shorter than this read), the copy may mix two keys; such a ref is not live for us.
        VarHandle.loadLoadFence();
        return generation(ref) == generation ? labels : null;
    }

    /** Exclusive upper bound of refs handed out so far (for scans). */
    int refLimit() {
        return nextRef;
    }

    int live() {
        return live;
    }

    /** Number of distinct label-name sets seen (diagnostics and tests). */
    int shapeCount() {
        return shapes.count();
    }

    // ---- key access for the writer side (write lock held, or the key of a ref in quarantine) --------------

    /** The shape of {@code ref}'s key (its last series' if removed). */
    LabelShape shape(int ref) {
        int key = keyAddress(ref);
        return shapes.get(keys.page(key)[key & KeyArena.PAGE_MASK]);
    }

    /** Value symbol {@code i} (key order) of {@code ref}'s key. */
    int value(int ref, int i) {
        int key = keyAddress(ref);
        return keys.page(key)[(key & KeyArena.PAGE_MASK) + 1 + i];
    }

    /** The {@code __name__} value symbol of {@code ref}'s key, or -1. */
    int metricNameSymbol(int ref) {
        LabelShape s = shape(ref);
        int at = s.labelNames.metricNameValue();
        return at < 0 ? -1 : value(ref, at);
    }

    private int keyAddress(int ref) {
        return records[ref >>> PAGE_SHIFT][((ref & (PAGE_SIZE - 1)) * STRIDE) + KEY];
    }

    /** Fills {@code out} (cleared first) with the (name, value) symbols of {@code ref}'s key (journal compaction). */
    void keyOf(int ref, LabelSetBuilder out) {
        out.clear();
        int[] names = shape(ref).names;
        for (int i = 0; i < names.length; i++) {
            out.add(names[i], value(ref, i));
        }
    }

    // ---- writer side (store write lock held) -----------------------------------------------------------

    /** A ref for a new series: a quarantined one whose grace is over, else the next fresh one. */
    int allocateRef(long nowMs) {
        while (quarantinedRefs.hasReleasable(nowMs)) {
            if (freeRefCount == freeRefs.length) {
                freeRefs = Arrays.copyOf(freeRefs, freeRefCount * 2);
            }
            freeRefs[freeRefCount++] = (int) quarantinedRefs.poll();
        }
        if (freeRefCount > 0) {
            int ref = freeRefs[--freeRefCount];
            // A ref freed by a restore never had a key in this process: nothing to free on insert.
            reusedRef = keyless != null && keyless.get(ref) ? -1 : ref;
            if (reusedRef < 0) {
                keyless.clear(ref);
            }
            return ref;
        }
        reusedRef = -1;
        if (nextRef == Integer.MAX_VALUE) {
            throw new IllegalStateException("series refs exhausted");
        }
        return nextRef++;
    }

    /** Makes {@code ref} (from {@link #allocateRef}) the live series of the builder's canonical label set. */
    void insert(int ref, int generation, LabelSetBuilder labels) {
        int[][] p = records;
        int page = ref >>> PAGE_SHIFT;
        if (page >= p.length) {
            p = Arrays.copyOf(p, Math.max(page + 1, p.length * 2));
        }
        boolean fresh = p[page] == null;
        if (fresh) {
            p[page] = new int[PAGE_SIZE * STRIDE];
        }
        records = p;
        int[] rp = p[page];
        int at = (ref & (PAGE_SIZE - 1)) * STRIDE;
        int shapeId = shapes.intern(labels);
        int n = labels.size();
        if (ref == reusedRef) {
            // Its previous series' key entry was kept through the quarantine for lock-free readers.
            int old = rp[at + KEY];
            int oldLength = 1 + shapes.get(keys.page(old)[old & KeyArena.PAGE_MASK]).size();
            keys.free(old, oldLength);
            // Orders the removal's generation 0 before the rewrite of the (possibly same) entry, for
            // readers that re-check the generation after reading a key (see labels).
            VarHandle.storeStoreFence();
        }
        int key = keys.allocate(1 + n);
        int[] kp = keys.page(key);
        int k = key & KeyArena.PAGE_MASK;
        kp[k] = shapeId;
        for (int i = 0; i < n; i++) {
            kp[k + 1 + i] = labels.value(i);
        }
        rp[at + KEY] = key;
        rp[at + NEXT] = -1;
        INTS.setRelease(rp, at + GEN, generation);

        Table t = table;
        live++;
        if ((live + tombstones) * 4L > t.slots.length * 3L) {
            // The rebuild takes the new series from its record (its generation is set above).
            rebuild(live * 2L > t.slots.length ? t.slots.length / 2 * 3 : t.slots.length);
        } else if (!t.fits(ref)) {
            // More ref bits. Not expected: a table is rebuilt after at most 3/4 of its slots in inserts, and
            // its ref bits leave room for 4× the refs and slots it was built for.
            rebuild(t.slots.length);
        } else {
            place(t, labels.hash(), ref);
        }
    }

    /**
     * Restore: makes {@code ref} the live series {@code generation} of the builder's canonical label set,
     * as it was before the restart (its header and chain are at that ref). Refs are restored in
     * ascending order; {@link #finishRestore} then frees the ones between them.
     */
    void restore(int ref, int generation, LabelSetBuilder labels) {
        if (ref >= nextRef) {
            nextRef = ref + 1;
        }
        reusedRef = -1;
        insert(ref, generation, labels);
    }

    /** Restore done: every ref below the highest restored one that is not live is free at once. */
    void finishRestore() {
        keyless = new java.util.BitSet(nextRef);
        for (int ref = nextRef - 1; ref >= 0; ref--) {
            if (generation(ref) == 0) {
                keyless.set(ref);
                if (freeRefCount == freeRefs.length) {
                    freeRefs = Arrays.copyOf(freeRefs, freeRefCount * 2);
                }
                freeRefs[freeRefCount++] = ref;
            }
        }
    }

    /**
     * Removes the live series of {@code ref}: generation 0, table slot tombstoned, ref quarantined, its
     * value symbols released (see {@link SymbolTable#release}). Its key
     * stays readable (for lock-free readers and for the label index' removal) until the ref is reused.
     */
    void remove(int ref, long nowMs) {
        int[] rp = records[ref >>> PAGE_SHIFT];
        int at = (ref & (PAGE_SIZE - 1)) * STRIDE;
        int key = rp[at + KEY];
        int[] kp = keys.page(key);
        int k = key & KeyArena.PAGE_MASK;
        LabelShape shape = shapes.get(kp[k]);
        int h = LabelSetBuilder.hash(shape.names, kp, k + 1, shape.size());
        Table t = table;
        int i = SymbolTable.home(h, t.capacity);
        int want = t.slot(h, ref);
        while (true) {
            int e = t.slots[i];
            if (e == 0) {
                break; // not in the table (cannot happen for a live series)
            }
            if (e == want) {
                INTS.setRelease(t.slots, i, t.tombstone);
                tombstones++;
                live--;
                break;
            }
            i = i + 1 == t.capacity ? 0 : i + 1;
        }
        INTS.setRelease(rp, at + GEN, 0);
        quarantinedRefs.add(nowMs + reuseGraceMs, ref);
        symbols.release(kp, k + 1, shape.size()); // its values' own quarantine starts now

    }

    /**
     * A new table holding every live series (refs walked in order, so records and keys are read as they
     * lie in memory; each hash recomputed from the key), published when complete.
     */
    private void rebuild(int capacity) {
        Table t = new Table(capacity, nextRef);
        int[][] p = records;
        for (int ref = 0, end = nextRef; ref < end; ref++) {
            int page = ref >>> PAGE_SHIFT;
            int[] rp = page < p.length ? p[page] : null;
            int at = (ref & (PAGE_SIZE - 1)) * STRIDE;
            if (rp == null || rp[at + GEN] == 0) {
                continue; // never inserted (a creation that failed after allocating its ref) or removed
            }
            int key = rp[at + KEY];
            int[] kp = keys.page(key);
            int k = key & KeyArena.PAGE_MASK;
            LabelShape shape = shapes.get(kp[k]);
            place(t, LabelSetBuilder.hash(shape.names, kp, k + 1, shape.size()), ref);
        }
        tombstones = 0;
        table = t;
    }

    private static void place(Table t, int h, int ref) {
        int[] slots = t.slots;
        int i = SymbolTable.home(h, t.capacity);
        while (true) {
            int e = slots[i];
            if (e == 0 || (e & t.refMask) == 0) {
                break;
            }
            i = i + 1 == t.capacity ? 0 : i + 1;
        }
        INTS.setRelease(slots, i, t.slot(h, ref));
    }
}
