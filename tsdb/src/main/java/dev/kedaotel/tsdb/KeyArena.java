package dev.kedaotel.tsdb;

import java.util.Arrays;

/**
 * Paged int storage for series keys: one entry of {@code 1 + n} ints per series (see
 * {@link SeriesRegistry} for the entry layout), addressed by an int: page {@code address >>> 16}, index
 * {@code address & 0xFFFF}. Pages hold {@value #PAGE_INTS} ints (256 KiB); an entry never crosses a page,
 * so a reader fetches the page once and indexes it. Freed entries are kept in per-length free lists and
 * handed out again to entries of the same length.
 *
 * <p>Concurrency: {@link #allocate}, {@link #free} and the writes into a new entry are the store's write
 * lock holder's. Readers reach pages through the volatile page directory; an entry's ints are written
 * before the release store that publishes its address (the registry's generation store), so a reader
 * that loaded that with acquire semantics sees them. Entries are only freed when their series' ref is
 * reused, i.e. after the ref's quarantine, so a lock-free reader still comparing a removed series' key
 * reads stable ints.
 */
final class KeyArena {
    static final int PAGE_SHIFT = 16;
    static final int PAGE_INTS = 1 << PAGE_SHIFT;
    static final int PAGE_MASK = PAGE_INTS - 1;

    private volatile int[][] pages = new int[4][];
    private int pageCount;
    private int top = PAGE_INTS; // next free int of the last page; "full" before the first page exists
    /** Free entries by length: freeLists[len] holds addresses (writer only). */
    private IntList[] freeLists = new IntList[16];

    /** An entry of {@code length} ints (contents unspecified). */
    int allocate(int length) {
        if (length <= 0 || length > PAGE_INTS) {
            throw new IllegalArgumentException("key entry of " + length + " ints (a label set of more than "
                    + (PAGE_INTS - 1) + " labels?)");
        }
        IntList free = length < freeLists.length ? freeLists[length] : null;
        if (free != null && free.size() > 0) {
            int a = free.get(free.size() - 1);
            free.removeLast();
            return a;
        }
        if (top + length > PAGE_INTS) {
            int[][] p = pages;
            if (pageCount == p.length) {
                p = Arrays.copyOf(p, pageCount * 2);
            }
            if ((long) pageCount << PAGE_SHIFT > Integer.MAX_VALUE) {
                throw new IllegalStateException("series key storage exhausted");
            }
            p[pageCount++] = new int[PAGE_INTS];
            pages = p;
            top = 0;
        }
        int a = ((pageCount - 1) << PAGE_SHIFT) | top;
        top += length;
        return a;
    }

    /** Returns an entry for reuse by a later entry of the same length. */
    void free(int address, int length) {
        if (length >= freeLists.length) {
            freeLists = Arrays.copyOf(freeLists, Math.max(length + 1, freeLists.length * 2));
        }
        IntList free = freeLists[length];
        if (free == null) {
            free = freeLists[length] = new IntList(4);
        }
        free.add(address);
    }

    /** The page holding {@code address}; index it with {@code address & PAGE_MASK}. */
    int[] page(int address) {
        return pages[address >>> PAGE_SHIFT];
    }
}
