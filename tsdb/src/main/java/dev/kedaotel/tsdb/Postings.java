package dev.kedaotel.tsdb;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A sorted, duplicate-free list of series refs (the series carrying one label value, when there are at
 * least two: a value of one series is stored inline in {@link ValueRefs}). Refs mostly arrive in
 * increasing order, so adding is usually an append; the array grows by 1.25× (a shared value such as a
 * namespace holds a ref of every series, so the slack is paid per series). Guarded by
 * {@link LabelIndex}'s lock.
 */
final class Postings {
    /** Created on the second series of a value; many values keep few series. */
    private int[] refs = new int[2];
    private int size;
    /** Scratch flag for batch removal (write lock held). */
    boolean touched;

    void add(int ref) {
        if (size == refs.length) {
            refs = Arrays.copyOf(refs, size + (size >> 2) + 2);
        }
        if (size == 0 || refs[size - 1] < ref) {
            refs[size++] = ref;
            return;
        }
        int i = Arrays.binarySearch(refs, 0, size, ref);
        if (i >= 0) {
            return;
        }
        int at = -i - 1;
        System.arraycopy(refs, at, refs, at + 1, size - at);
        refs[at] = ref;
        size++;
    }

    /** Removes every ref for which {@code removed[ref]} is set (one pass, for batch removal). */
    void removeMarked(BitSet removed) {
        int w = 0;
        for (int r = 0; r < size; r++) {
            int ref = refs[r];
            if (!removed.get(ref)) {
                refs[w++] = ref;
            }
        }
        size = w;
        if (size < refs.length / 4 && refs.length > 16) {
            refs = Arrays.copyOf(refs, Math.max(16, size * 2));
        }
    }

    int size() {
        return size;
    }

    int get(int i) {
        return refs[i];
    }

    int[] array() {
        return refs;
    }
}
