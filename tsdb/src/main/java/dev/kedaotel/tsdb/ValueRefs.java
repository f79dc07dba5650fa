package dev.kedaotel.tsdb;

import java.util.Arrays;

/**
 * The values of one label name in the {@link LabelIndex}: value symbol → series, open addressing over two
 * parallel {@code int[]}s (8 bytes per slot; at 3/4 load grown by 1.5×, so 1/2-3/4 full: a name like
 * a series id has a value per series, so this slack is paid per series; home slot {@link SymbolTable#home}). What a value maps to is a tagged int: a
 * value carried by exactly one series (most values of a big store: series ids, pod names of single
 * series) stores that series' ref itself ({@code >= 0}); a value of several series stores
 * {@code -1 - i}, the index of its {@link Postings} in the index' pool. No object per single-series value.
 *
 * <p>Keys: 0 (the empty string's symbol, never a stored value: empty values are dropped) marks an empty
 * slot, {@link #DELETED} a removed one. Not thread-safe: guarded by {@link LabelIndex}'s lock; readers only
 * use {@link #get} and index loops over {@link #capacity()}.
 */
final class ValueRefs {
    /** Returned by {@link #get} for a value without series. */
    static final int NOT_FOUND = Integer.MIN_VALUE;
    private static final int DELETED = -1;

    private int[] keys = new int[4];
    private int[] refs = new int[4];
    private int size;
    private int used; // live + deleted slots

    static boolean isList(int tagged) {
        return tagged < 0;
    }

    static int listIndex(int tagged) {
        return -1 - tagged;
    }

    static int listTag(int listIndex) {
        return -1 - listIndex;
    }

    int size() {
        return size;
    }

    int get(int value) {
        int[] k = keys;
        int i = SymbolTable.home(SymbolTable.mix(value), k.length);
        while (true) {
            int x = k[i];
            if (x == value) {
                return refs[i];
            }
            if (x == 0) {
                return NOT_FOUND;
            }
            i = i + 1 == k.length ? 0 : i + 1;
        }
    }

    void put(int value, int tagged) {
        int i = SymbolTable.home(SymbolTable.mix(value), keys.length);
        int firstDeleted = -1;
        while (true) {
            int x = keys[i];
            if (x == value) {
                refs[i] = tagged;
                return;
            }
            if (x == 0) {
                break;
            }
            if (x == DELETED && firstDeleted < 0) {
                firstDeleted = i;
            }
            i = i + 1 == keys.length ? 0 : i + 1;
        }
        if (firstDeleted >= 0) {
            i = firstDeleted;
        } else {
            used++;
        }
        keys[i] = value;
        refs[i] = tagged;
        size++;
        if (used * 4 > keys.length * 3) {
            // Mostly live: grow (to 1/2 full); mostly removed values: rebuild at the same size.
            rehash(size * 2 > keys.length ? keys.length / 2 * 3 : keys.length);
        }
    }

    void remove(int value) {
        int i = SymbolTable.home(SymbolTable.mix(value), keys.length);
        while (true) {
            int x = keys[i];
            if (x == value) {
                keys[i] = DELETED;
                size--;
                return;
            }
            if (x == 0) {
                return;
            }
            i = i + 1 == keys.length ? 0 : i + 1;
        }
    }

    private void rehash(int capacity) {
        int[] oldKeys = keys;
        int[] oldRefs = refs;
        keys = new int[capacity];
        refs = new int[capacity];
        for (int j = 0; j < oldKeys.length; j++) {
            int x = oldKeys[j];
            if (x != 0 && x != DELETED) {
                int i = SymbolTable.home(SymbolTable.mix(x), capacity);
                while (keys[i] != 0) {
                    i = i + 1 == capacity ? 0 : i + 1;
                }
                keys[i] = x;
                refs[i] = oldRefs[j];
            }
        }
        used = size;
    }

    /** Slot count, for index loops with {@link #valueAt} / {@link #taggedAt}. */
    int capacity() {
        return keys.length;
    }

    /** The value symbol in slot {@code i}, or a value {@code <= 0} for an empty or deleted slot. */
    int valueAt(int i) {
        return keys[i];
    }

    int taggedAt(int i) {
        return refs[i];
    }

    @Override
    public String toString() {
        return "ValueRefs" + Arrays.toString(Arrays.copyOf(keys, Math.min(keys.length, 8)));
    }
}
