package dev.kedaotel.tsdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Maps canonical label sets to live {@link Series} (open-addressing hash table) and series refs to
 * {@link Series} (paged directory), and hands out refs.
 *
 * <p>Concurrency: {@link #lookup} and {@link #get} are lock-free and allocation-free; every other method
 * is called by the store under its write lock (one writer at a time).
 * <ul>
 *   <li>The table ({@code slots}: Series or {@link #TOMBSTONE} or null, {@code hashes}) is reached through
 *       a volatile field. Inserts fill {@code hashes[i]} and then store the slot with release semantics;
 *       readers load slots with acquire semantics, so a visible Series is fully constructed and its
 *       header initialised. Removal overwrites the slot with the tombstone (a reader may still return
 *       the removed series; the ring's generation check then tells the appender to re-resolve).</li>
 *   <li>Growing or purging tombstones builds a new table and publishes it through the volatile field; a
 *       reader on the old table may miss a series created after the switch and then takes the locked
 *       create path, which re-checks the current table.</li>
 *   <li>The ref directory is an array of pages, grown by copy-and-publish; entries are stored with
 *       release and loaded with acquire semantics.</li>
 * </ul>
 * Refs of removed series wait {@code reuseGraceMs} in a quarantine before reuse.
 */
final class SeriesRegistry {
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Series[].class);
    private static final Series TOMBSTONE = new Series(-1, 0, 0, new int[0], Labels.EMPTY, -1);
    private static final int PAGE_SHIFT = 12;
    private static final int PAGE_SIZE = 1 << PAGE_SHIFT;

    private static final class Table {
        final Series[] slots;
        final int[] hashes;
        final int mask;

        Table(int capacity) {
            slots = new Series[capacity];
            hashes = new int[capacity];
            mask = capacity - 1;
        }
    }

    private final long reuseGraceMs;
    private volatile Table table = new Table(1024);
    private volatile Series[][] pages = new Series[16][];
    private final Quarantine quarantinedRefs = new Quarantine();
    private int[] freeRefs = new int[64];
    private int freeRefCount;
    private volatile int nextRef;
    private volatile int live;
    private int tombstones;

    SeriesRegistry(long reuseGraceMs) {
        this.reuseGraceMs = reuseGraceMs;
    }

    /** The live series with this canonical label set, or null. Lock-free, allocation-free. */
    Series lookup(LabelSetBuilder labels) {
        int h = labels.hash();
        Table t = table;
        int i = h & t.mask;
        while (true) {
            Series s = (Series) SLOTS.getAcquire(t.slots, i);
            if (s == null) {
                return null;
            }
            if (s != TOMBSTONE && t.hashes[i] == h && labels.sameAs(s.key)) {
                return s;
            }
            i = (i + 1) & t.mask;
        }
    }

    /** The live series with this ref, or null. */
    Series get(int ref) {
        if (ref < 0) {
            return null;
        }
        Series[][] p = pages;
        int page = ref >>> PAGE_SHIFT;
        if (page >= p.length || p[page] == null) {
            return null;
        }
        return (Series) SLOTS.getAcquire(p[page], ref & (PAGE_SIZE - 1));
    }

    /** Exclusive upper bound of refs handed out so far (for scans). */
    int refLimit() {
        return nextRef;
    }

    int live() {
        return live;
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
            return freeRefs[--freeRefCount];
        }
        if (nextRef == Integer.MAX_VALUE) {
            throw new IllegalStateException("series refs exhausted");
        }
        return nextRef++;
    }

    void insert(Series s) {
        Series[][] p = pages;
        int page = s.ref >>> PAGE_SHIFT;
        if (page >= p.length) {
            p = Arrays.copyOf(p, Math.max(page + 1, p.length * 2));
        }
        if (p[page] == null) {
            p[page] = new Series[PAGE_SIZE];
        }
        pages = p;
        SLOTS.setRelease(p[page], s.ref & (PAGE_SIZE - 1), s);

        Table t = table;
        if ((live + tombstones + 1) * 2 > t.slots.length) {
            t = rebuild(live + 1 > t.slots.length / 4 ? t.slots.length * 2 : t.slots.length);
        }
        place(t, s);
        live++;
    }

    void remove(Series s, long nowMs) {
        Table t = table;
        int i = s.hash & t.mask;
        while (true) {
            Series x = t.slots[i];
            if (x == null) {
                break; // not in the table (cannot happen for a live series)
            }
            if (x == s) {
                SLOTS.setRelease(t.slots, i, TOMBSTONE);
                tombstones++;
                live--;
                break;
            }
            i = (i + 1) & t.mask;
        }
        SLOTS.setRelease(pages[s.ref >>> PAGE_SHIFT], s.ref & (PAGE_SIZE - 1), null);
        quarantinedRefs.add(nowMs + reuseGraceMs, s.ref);
    }

    private Table rebuild(int capacity) {
        Table old = table;
        Table t = new Table(capacity);
        for (Series s : old.slots) {
            if (s != null && s != TOMBSTONE) {
                place(t, s);
            }
        }
        tombstones = 0;
        table = t;
        return t;
    }

    private static void place(Table t, Series s) {
        int i = s.hash & t.mask;
        while (true) {
            Series x = t.slots[i];
            if (x == null || x == TOMBSTONE) {
                break;
            }
            i = (i + 1) & t.mask;
        }
        t.hashes[i] = s.hash;
        SLOTS.setRelease(t.slots, i, s);
    }
}
