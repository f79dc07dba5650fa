package dev.kedaotel.receiver;

import java.util.Arrays;

/**
 * A small bounded open-addressing map from long keys to int values, for per-worker caches (the bits of
 * an {@code le} bound → its label symbol). When half full it is simply cleared: entries are cheap to
 * recompute and the bound keeps memory fixed whatever clients send. Not thread-safe.
 */
final class LongIntMap {
    static final int MISSING = -1;

    private final long[] keys;
    private final int[] values;
    private final boolean[] used;
    private final int mask;
    private int size;

    LongIntMap(int capacityPowerOfTwo) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two, got " + capacityPowerOfTwo);
        }
        keys = new long[capacityPowerOfTwo];
        values = new int[capacityPowerOfTwo];
        used = new boolean[capacityPowerOfTwo];
        mask = capacityPowerOfTwo - 1;
    }

    int get(long key) {
        for (int i = slot(key); used[i]; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return values[i];
            }
        }
        return MISSING;
    }

    void put(long key, int value) {
        if (size * 2 >= keys.length) {
            clear();
        }
        int i = slot(key);
        while (used[i]) {
            if (keys[i] == key) {
                values[i] = value;
                return;
            }
            i = (i + 1) & mask;
        }
        used[i] = true;
        keys[i] = key;
        values[i] = value;
        size++;
    }

    void clear() {
        Arrays.fill(used, false);
        size = 0;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
