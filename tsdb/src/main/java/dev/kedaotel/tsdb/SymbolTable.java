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
 * <p>Concurrency: lookups are lock-free, inserts serialise on a monitor.
 * <ul>
 *   <li>The hash index is an open-addressing {@link Table} ({@code ids[i]} = id + 1, 0 = empty slot,
 *       {@code hashes[i]} = the symbol's hash) reached through a volatile field. The writer fills
 *       {@code hashes[i]} and the per-id arrays first, then stores {@code ids[i]} with release semantics;
 *       a reader loads {@code ids[i]} with acquire semantics, so once it sees an id it sees that id's
 *       hash, bytes and string.</li>
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

    private static final VarHandle INT_ARRAY = MethodHandles.arrayElementVarHandle(int[].class);
    private static final int INITIAL_CAPACITY = 1024;

    /** Open-addressing index from symbol bytes to id; replaced wholesale when it grows. */
    private static final class Table {
        final int[] ids;
        final int[] hashes;
        final int mask;

        Table(int capacity) {
            ids = new int[capacity];
            hashes = new int[capacity];
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
        int i = h & t.mask;
        while (true) {
            int idPlusOne = (int) INT_ARRAY.getAcquire(t.ids, i);
            if (idPlusOne == 0) {
                return -1;
            }
            if (t.hashes[i] == h) {
                byte[] stored = utf8[idPlusOne - 1];
                if (Arrays.equals(stored, 0, stored.length, buf, off, off + len)) {
                    return idPlusOne - 1;
                }
            }
            i = (i + 1) & t.mask;
        }
    }

    private int insert(byte[] buf, int off, int len, int h, String knownString) {
        synchronized (writeLock) {
            Table t = table;
            int existing = find(t, buf, off, len, h);
            if (existing >= 0) {
                return existing;
            }
            int id = size;
            if ((id + 1) * 2 > t.ids.length) {
                t = grow(t);
            }
            if (id == strings.length) {
                strings = Arrays.copyOf(strings, id * 2);
                utf8 = Arrays.copyOf(utf8, id * 2);
            }
            byte[] copy = Arrays.copyOfRange(buf, off, off + len);
            strings[id] = knownString != null ? knownString : new String(copy, StandardCharsets.UTF_8);
            utf8[id] = copy;
            place(t, h, id);
            size = id + 1;
            return id;
        }
    }

    private Table grow(Table old) {
        Table t = new Table(old.ids.length * 2);
        for (int i = 0; i < old.ids.length; i++) {
            int idPlusOne = old.ids[i];
            if (idPlusOne != 0) {
                place(t, old.hashes[i], idPlusOne - 1);
            }
        }
        table = t;
        return t;
    }

    private static void place(Table t, int h, int id) {
        int i = h & t.mask;
        while (t.ids[i] != 0) {
            i = (i + 1) & t.mask;
        }
        t.hashes[i] = h;
        INT_ARRAY.setRelease(t.ids, i, id + 1);
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
