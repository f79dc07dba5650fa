package dev.kedaotel.tsdb;

import dev.kedaotel.model.SymbolLookup;

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
 * <p>Index layout: an open-addressing {@link Table} of 3 longs (24 bytes) per slot:
 * <pre>
 *   word 0: (hash << 32) | (id + 1)                     0 = empty slot
 *   word 1: short symbol (at most {@value #INLINE_MAX} UTF-8 bytes): bytes 0-7, little-endian
 *           long symbol: address of its bytes in the {@link #longBytes} arena
 *   word 2: short symbol: bytes 8-14, length in the top byte (0-15)
 *           long symbol: {@link #LONG_TAG} (top byte 0xFF) | length
 * </pre>
 * plus, per table, {@code slotOfId[id]}: the slot of each id, so {@link #symbol} finds an id's bytes.
 * Why: on the ingest path most lookups are for label values seen before (pod names, series ids)
 * scattered over a table far bigger than the CPU caches; comparing against inline bytes costs the one
 * cache miss of the slot. And no per-symbol object is kept: a symbol costs its slot (24 bytes at 37-75%
 * load) and 4 bytes of {@code slotOfId}. Strings are made on demand by {@link #symbol}, through a small
 * direct-mapped cache (by id, {@value #CACHE_SIZE} entries) so the few hot ones (label names, metric
 * names, shared values) are not decoded again and again.
 *
 * <p>Concurrency: lookups and {@link #symbol} are lock-free, inserts serialise on a monitor.
 * <ul>
 *   <li>The index is reached through a volatile field. The writer fills the inline words (and, for a
 *       long symbol, its arena bytes) and {@code slotOfId[id]} first, then stores the slot's first word
 *       with release semantics; a reader loads it with acquire semantics, so once it sees an id it sees
 *       that id's bytes. {@code size} is stored (volatile) after that, so {@link #symbol} of any id below
 *       a size it read finds the id's slot.</li>
 *   <li>Growing the index builds a complete new table (slots and {@code slotOfId}) and publishes it
 *       through the volatile field. A reader still probing the old table may miss a symbol inserted
 *       after the switch; it then takes the insert path, which re-checks under the monitor, so the same
 *       bytes never get two ids.</li>
 *   <li>The long-symbol arena's pages are published through a volatile directory before the release
 *       store of the slot that points into them, and never change once written.</li>
 *   <li>The string cache holds immutable entries (final fields) stored and loaded racily: a reader sees
 *       either a complete entry or another one, and checks the entry's id.</li>
 * </ul>
 */
public final class SymbolTable implements SymbolLookup {
    /** The id of the empty string. */
    public static final int EMPTY = 0;

    private static final VarHandle LONG_ARRAY = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int INITIAL_CAPACITY = 1024;
    /** Symbols up to this many UTF-8 bytes are compared inline (15 bytes + a length byte in two longs). */
    static final int INLINE_MAX = 15;
    /** Word 2 of a long symbol: top byte 0xFF (a short symbol's top byte is its length, at most 15). */
    private static final long LONG_TAG = 0xFFL << 56;
    private static final int CACHE_SIZE = 8192;
    private static final int ARENA_PAGE = 1 << 16;

    /** Open-addressing index from symbol bytes to id; replaced wholesale when it grows. */
    private static final class Table {
        /** Slot i: words 3i, 3i + 1 and 3i + 2 (see the class comment). */
        final long[] words;
        /** Slot of each id; ids stay below 3/4 of the capacity (the growth threshold). */
        final int[] slotOfId;
        final int capacity;

        Table(int capacity) {
            words = new long[capacity * 3];
            slotOfId = new int[(int) (capacity * 3L / 4) + 1];
            this.capacity = capacity;
        }
    }

    /** A cached decoded symbol; immutable, so racy publication through the cache array is safe. */
    private static final class Cached {
        final int id;
        final String value;

        Cached(int id, String value) {
            this.id = id;
            this.value = value;
        }
    }

    private final Object writeLock = new Object();
    private volatile Table table = new Table(INITIAL_CAPACITY);
    /** Bytes of long symbols: pages of {@value #ARENA_PAGE} bytes (a longer symbol gets a page of its own). */
    private volatile byte[][] longBytes = new byte[4][];
    private int longPages;
    private int longTop = ARENA_PAGE;
    private final Cached[] cache = new Cached[CACHE_SIZE];
    private volatile int size;

    public SymbolTable() {
        int id = insert(new byte[0], 0, 0, hash(new byte[0], 0, 0), "");
        assert id == EMPTY;
    }

    /** Interns a string, returning its id. */
    public int intern(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int h = hash(b, 0, b.length);
        int id = find(table, b, 0, b.length, h);
        return id >= 0 ? id : insert(b, 0, b.length, h, s);
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

    /** The string of an id. Decoded from the index on a cache miss (which allocates it). */
    public String symbol(int id) {
        if (id < 0 || id >= size && !insertedMeanwhile(id)) {
            throw new IllegalArgumentException("unknown symbol id " + id + " (table holds " + size + ")");
        }
        Cached c = cache[id & (CACHE_SIZE - 1)];
        if (c != null && c.id == id) {
            return c.value;
        }
        String s = decode(id);
        cache[id & (CACHE_SIZE - 1)] = new Cached(id, s);
        return s;
    }

    public int size() {
        return size;
    }

    /** The length in UTF-8 bytes of a symbol the caller knows to exist (no decoding, no allocation). */
    public int utf8Length(int id) {
        Table t = table;
        if (id >= t.slotOfId.length) {
            t = tableHolding(id);
        }
        long w2 = t.words[t.slotOfId[id] * 3 + 2];
        return (w2 & LONG_TAG) == LONG_TAG ? (int) w2 : (int) (w2 >>> 56);
    }

    /** The table after the insert of {@code id} finished (a reader may see an id before the grown table). */
    private Table tableHolding(int id) {
        synchronized (writeLock) {
            return table;
        }
    }

    /**
     * Whether {@code id} exists after all: another thread may have found it in the index while its insert
     * was still in progress (the slot is published before {@code size}); the monitor waits for that insert.
     */
    private boolean insertedMeanwhile(int id) {
        synchronized (writeLock) {
            return id < size;
        }
    }

    private String decode(int id) {
        Table t = table;
        int slot = t.slotOfId[id];
        long w1 = t.words[slot * 3 + 1];
        long w2 = t.words[slot * 3 + 2];
        if ((w2 & LONG_TAG) == LONG_TAG) {
            int len = (int) w2;
            byte[] page = longBytes[(int) (w1 >>> 32)];
            return new String(page, (int) w1, len, StandardCharsets.UTF_8);
        }
        int len = (int) (w2 >>> 56);
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            long w = i < 8 ? w1 : w2;
            b[i] = (byte) (w >>> ((i & 7) << 3));
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    private int find(Table t, byte[] buf, int off, int len, int h) {
        long[] w = t.words;
        boolean inline = len <= INLINE_MAX;
        long lo = inline ? pack(buf, off, len, 0) : 0;
        long hi = inline ? pack(buf, off, len, 1) : LONG_TAG | len;
        int i = home(h, t.capacity);
        while (true) {
            long head = (long) LONG_ARRAY.getAcquire(w, i * 3);
            if (head == 0) {
                return -1;
            }
            if ((int) (head >>> 32) == h && w[i * 3 + 2] == hi) {
                int id = (int) head - 1;
                if (inline) {
                    if (w[i * 3 + 1] == lo) {
                        return id;
                    }
                } else {
                    long a = w[i * 3 + 1];
                    byte[] page = longBytes[(int) (a >>> 32)];
                    if (Arrays.equals(page, (int) a, (int) a + len, buf, off, off + len)) {
                        return id;
                    }
                }
            }
            i = i + 1 == t.capacity ? 0 : i + 1;
        }
    }

    /**
     * Word {@code which} (0 or 1) of a short symbol's inline form: bytes 0-7, then bytes 8-14 plus the
     * length in the top byte, little-endian, zero-padded, so equal words mean equal symbols.
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
            // Grow by 1.5× at 75% load: with inline bytes a probe step is one more 24-byte slot (often the
            // same cache line), so a fuller table costs little time and saves much of its memory.
            if ((long) (id + 1) * 4 > (long) t.capacity * 3) {
                t = grow(t);
            }
            long w1;
            long w2;
            if (len <= INLINE_MAX) {
                w1 = pack(buf, off, len, 0);
                w2 = pack(buf, off, len, 1);
            } else {
                w1 = storeLong(buf, off, len);
                w2 = LONG_TAG | len;
            }
            place(t, h, id, w1, w2);
            if (knownString != null) {
                cache[id & (CACHE_SIZE - 1)] = new Cached(id, knownString);
            }
            size = id + 1;
            return id;
        }
    }

    /** Copies a long symbol's bytes into the arena; returns its address (page << 32 | offset). */
    private long storeLong(byte[] buf, int off, int len) {
        byte[][] pages = longBytes;
        if (longTop + len > ARENA_PAGE || len > ARENA_PAGE) {
            if (longPages == pages.length) {
                pages = Arrays.copyOf(pages, longPages * 2);
            }
            pages[longPages++] = new byte[Math.max(ARENA_PAGE, len)];
            longTop = 0;
        }
        int page = longPages - 1;
        System.arraycopy(buf, off, pages[page], longTop, len);
        long address = ((long) page << 32) | longTop;
        longTop = len > ARENA_PAGE ? ARENA_PAGE : longTop + len;
        longBytes = pages;
        return address;
    }

    private Table grow(Table old) {
        Table t = new Table(old.capacity / 2 * 3);
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

    /** Stores a slot and the id's slot index, the slot's first word last, with release semantics. */
    private static void place(Table t, int h, int id, long w1, long w2) {
        long[] w = t.words;
        int i = home(h, t.capacity);
        while (w[i * 3] != 0) {
            i = i + 1 == t.capacity ? 0 : i + 1;
        }
        t.slotOfId[id] = i;
        w[i * 3 + 1] = w1;
        w[i * 3 + 2] = w2;
        LONG_ARRAY.setRelease(w, i * 3, ((long) h << 32) | ((id + 1) & 0xFFFF_FFFFL));
    }
    /**
     * The home slot of hash {@code h} in a table of {@code capacity} slots (any capacity, not only powers
     * of two: the hash's 32 bits scaled to the range), so tables can grow by 1.5× instead of 2×, which
     * leaves less of them empty on average.
     */
    static int home(int h, int capacity) {
        return (int) (((h & 0xFFFF_FFFFL) * capacity) >>> 32);
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
