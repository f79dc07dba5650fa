package dev.kedaotel.tsdb;

import java.util.Arrays;

/**
 * A small reusable set of non-negative ints (metric-name symbols touched since the last commit):
 * open addressing for membership plus a dense array of elements for handing to listeners. Not
 * thread-safe; allocation-free once grown.
 */
final class IntSet {
    private int[] slots = new int[32]; // element + 1, 0 = empty
    private int[] elements = new int[16];
    private int size;

    void add(int v) {
        int mask = slots.length - 1;
        int i = SymbolTable.mix(v) & mask;
        while (slots[i] != 0) {
            if (slots[i] == v + 1) {
                return;
            }
            i = (i + 1) & mask;
        }
        if ((size + 1) * 2 > slots.length) {
            growAndAdd(v);
            return;
        }
        slots[i] = v + 1;
        append(v);
    }

    private void growAndAdd(int v) {
        int[] old = elements;
        int n = size;
        slots = new int[slots.length * 2];
        size = 0;
        for (int i = 0; i < n; i++) {
            add(old[i]);
        }
        add(v);
    }

    private void append(int v) {
        if (size == elements.length) {
            elements = Arrays.copyOf(elements, size * 2);
        }
        elements[size++] = v;
    }

    int size() {
        return size;
    }

    /** Backing array, valid up to {@link #size()}. */
    int[] elements() {
        return elements;
    }

    void clear() {
        if (size > 0) {
            Arrays.fill(slots, 0);
            size = 0;
        }
    }
}
