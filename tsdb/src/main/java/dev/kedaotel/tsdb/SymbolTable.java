package dev.kedaotel.tsdb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interns label names and values as dense int ids, so series keys are int pairs and the ingest path
 * can resolve a UTF-8 attribute straight from the request bytes without creating a String for any
 * symbol seen before.
 *
 * <p>Contract: ids are dense from 0 and never reused while the table lives. Id {@link #EMPTY} (0) is
 * the empty string, which {@link LabelSetBuilder} relies on to drop empty label values. Symbols are
 * identified by their UTF-8 bytes: {@link #intern(String)} encodes the string and goes the same way.
 *
 * <p>Index layout: an open-addressing {@link Table} of 3 longs per slot: {@code (hash << 32) | (id + 1)}
 * (0 = empty), then, for a symbol of at most {@link #INLINE_MAX} bytes, its bytes and length packed into
 * two longs. Why: on the ingest path most lookups are for label values seen before (pod names, series
 * ids) scattered over a table far bigger than the CPU caches; comparing against inline bytes costs the
 * one cache miss of the slot, where a separate {@code byte[]} per symbol cost three dependent misses.
 * Longer symbols are compared against their {@code byte[]} copy.
 *
 * <p>Concurrency: lookups are lock-free, inserts serialise on a monitor.
 * <ul>
 *   <li>The index is reached through a volatile field. The writer fills the inline words and the per-id
 *       arrays first, then stores the slot's first word with release semantics; a reader loads it with
 *       acquire semantics, so once it sees an id it sees that id's inline bytes, byte copy and string.</li>
 *   <li>Growing the index builds a complete new table and publishes it through the volatile field. A
 *       reader still probing the old table may miss a symbol inserted after the switch; it then takes the
 *       insert path, which re-checks under the monitor, so the same bytes never get two ids.</li>
 *   <li>The per-id arrays ({@code strings}, {@code utf8}) grow by copy-and-publish under the monitor;
 *       their fields are volatile and written before the release store of the slot that names the id.</li>
 * </ul>
 */
public final class SymbolTable {
    /** The id of the empty string. */
    public static final int EMPTY = 0;

    private static final VarHandle LONG_ARRAY = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int INITIAL_CAPACITY = 1024;
    /** Symbols up to this many UTF-8 bytes are compared inline (15 bytes + a length byte in two longs). */
    static final int INLINE_MAX = 15;
    private static final long NOT_INLINE = -1L;

    /** Open-addressing index from symbol bytes to id; replaced wholesale when it grows. */
    private static final class Table {
        /** Slot i: words 3i (hash << 32 | id + 1), 3i + 1 and 3i + 2 (inline bytes, see {@link #pack}). */
        final long[] words;
        final int capacity;
        final int mask;

        Table(int capacity) {
            words = new long[capacity * 3];
            this.capacity = capacity;
            mask = capacity - 1;
        }
    }

    private final Object writeLock = new Object();
    private volatile Table table = new Table(INITIAL_CAPACITY);
    private volatile String[] strings = new String[INITIAL_CAPACITY / 2];
    private volatile byte[][] utf8 = new byte[INITIAL_CAPACITY / 2][];
    private volatile int size;

    public SymbolTable() {
        int id = insert(new byte[0], 0, 0, hash(new byte[0], 0, 0), "");
        assert id == EMPTY;
    }

    /** Interns a string, returning its id. */
    public int intern(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return internUtf8(b, 0, b.length);
    }

    /** Interns UTF-8 bytes; does not allocate when the symbol already exists. */
    public int internUtf8(byte[] buf, int off, int len) {
        if (off < 0 || len < 0 || off > buf.length - len) {
            throw new IndexOutOfBoundsException("symbol bytes [" + off + ", " + (off + len) + ") outside a buffer of "
                    + buf.length + " bytes");
        }
        int h = hash(buf, off, len);
        int id = find(table, buf, off, len, h);
        return id >= 0 ? id : insert(buf, off, len, h, null);
    }

    /** The id of {@code s}, or -1 if never interned (a matcher on an unknown value then matches nothing). */
    public int lookup(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return find(table, b, 0, b.length, hash(b, 0, b.length));
    }

    public String symbol(int id) {
        if (id < 0 || id >= size) {
            throw new IllegalArgumentException("unknown symbol id " + id + " (table holds " + size + ")");
        }
        return strings[id];
    }

    public int size() {
        return size;
    }

    private int find(Table t, byte[] buf, int off, int len, int h) {
        long[] w = t.words;
        long lo = len <= INLINE_MAX ? pack(buf, off, len, 0) : NOT_INLINE;
        long hi = len <= INLINE_MAX ? pack(buf, off, len, 1) : NOT_INLINE;
        int i = h & t.mask;
        while (true) {
            long head = (long) LONG_ARRAY.getAcquire(w, i * 3);
            if (head == 0) {
                return -1;
            }
            if ((int) (head >>> 32) == h) {
                int id = (int) head - 1;
                if (lo != NOT_INLINE) {
                    if (w[i * 3 + 1] == lo && w[i * 3 + 2] == hi) {
                        return id;
                    }
                } else {
                    byte[] stored = utf8[id];
                    if (stored != null && Arrays.equals(stored, 0, stored.length, buf, off, off + len)) {
                        return id;
                    }
                }
            }
            i = (i + 1) & t.mask;
        }
    }

    /**
     * Word {@code which} (0 or 1) of a short symbol's inline form: bytes 0-7, then bytes 8-14 plus the
     * length in the top byte, little-endian, zero-padded, so equal words mean equal symbols. Inline
     * words of long symbols are never compared (they hold {@link #NOT_INLINE} in the table).
     */
    private static long pack(byte[] buf, int off, int len, int which) {
        long v = 0;
        int from = which * 8;
        int to = Math.min(len, from + (which == 0 ? 8 : 7));
        for (int i = to - 1; i >= from; i--) {
            v = (v << 8) | (buf[off + i] & 0xFF);
        }
        return which == 0 ? v : v | ((long) len << 56);
    }

    private int insert(byte[] buf, int off, int len, int h, String knownString) {
        synchronized (writeLock) {
            Table t = table;
            int existing = find(t, buf, off, len, h);
            if (existing >= 0) {
                return existing;
            }
            int id = size;
            // Grow at 75% load: with inline bytes a probe step is one more 24-byte slot (often the same
            // cache line), so a fuller table costs little time and saves ~40% of its memory.
            if ((long) (id + 1) * 4 > (long) t.capacity * 3) {
                t = grow(t);
            }
            if (id == strings.length) {
                strings = Arrays.copyOf(strings, id * 2);
                utf8 = Arrays.copyOf(utf8, id * 2);
            }
            strings[id] = knownString != null ? knownString : new String(buf, off, len, StandardCharsets.UTF_8);
            long lo = NOT_INLINE;
            long hi = NOT_INLINE;
            if (len <= INLINE_MAX) {
                lo = pack(buf, off, len, 0);
                hi = pack(buf, off, len, 1);
            } else {
                utf8[id] = Arrays.copyOfRange(buf, off, off + len); // only long symbols keep a byte copy
            }
            place(t, h, id, lo, hi);
            size = id + 1;
            return id;
        }
    }

    private Table grow(Table old) {
        Table t = new Table(old.capacity * 2);
        long[] w = old.words;
        for (int i = 0; i < old.capacity; i++) {
            long head = w[i * 3];
            if (head != 0) {
                place(t, (int) (head >>> 32), (int) head - 1, w[i * 3 + 1], w[i * 3 + 2]);
            }
        }
        table = t;
        return t;
    }

    private static void place(Table t, int h, int id, long lo, long hi) {
        long[] w = t.words;
        int i = h & t.mask;
        while (w[i * 3] != 0) {
            i = (i + 1) & t.mask;
        }
        w[i * 3 + 1] = lo;
        w[i * 3 + 2] = hi;
        LONG_ARRAY.setRelease(w, i * 3, ((long) h << 32) | ((id + 1) & 0xFFFF_FFFFL));
    }

    /** FNV-1a over the bytes, finished with a murmur3 mix so that linear probing spreads well. */
    static int hash(byte[] buf, int off, int len) {
        int h = 0x811c9dc5;
        for (int i = off, end = off + len; i < end; i++) {
            h = (h ^ (buf[i] & 0xff)) * 0x01000193;
        }
        return mix(h);
    }

    static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
