package dev.kedaotel.receiver;

import java.util.Arrays;

/**
 * Remembers the label-name symbol of recently seen attribute keys, keyed by the key's raw bytes, so
 * the per-point path skips validating, sanitising and interning the same few keys ({@code pod},
 * {@code service.name}, …) for every data point. Direct-mapped, 64 entries; a miss just recomputes and
 * replaces the entry. Symbol ids are never reused while the symbol table lives, so a cached id stays
 * right. Not thread-safe: one per {@link NameSymbols}.
 */
final class LabelNameCache {
    private static final int SIZE = 64;
    private static final int MAX_KEY_BYTES = 64;

    private final byte[][] keys = new byte[SIZE][];
    private final int[] lengths = new int[SIZE];
    private final int[] symbols = new int[SIZE];

    /** Forgets every entry (their symbols may have been freed). */
    void clear() {
        java.util.Arrays.fill(lengths, -1);
    }

    /** The cached symbol of {@code buf[off, off+len)}, or -1. */
    int get(byte[] buf, int off, int len) {
        if (len > MAX_KEY_BYTES) {
            return -1;
        }
        int slot = slot(buf, off, len);
        byte[] k = keys[slot];
        if (k != null && lengths[slot] == len && Arrays.equals(k, 0, len, buf, off, off + len)) {
            return symbols[slot];
        }
        return -1;
    }

    void put(byte[] buf, int off, int len, int symbol) {
        if (len > MAX_KEY_BYTES) {
            return;
        }
        int slot = slot(buf, off, len);
        byte[] k = keys[slot];
        if (k == null) {
            k = new byte[MAX_KEY_BYTES]; // once per slot: the cache allocates at most 64 small arrays
            keys[slot] = k;
        }
        System.arraycopy(buf, off, k, 0, len);
        lengths[slot] = len;
        symbols[slot] = symbol;
    }

    private static int slot(byte[] buf, int off, int len) {
        int h = len;
        for (int i = off, end = off + len; i < end; i++) {
            h = h * 31 + buf[i];
        }
        h ^= h >>> 16;
        return h & (SIZE - 1);
    }
}
