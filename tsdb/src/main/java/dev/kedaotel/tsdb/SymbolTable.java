package dev.kedaotel.tsdb;

import dev.kedaotel.model.SymbolLookup;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interns label names and values as int ids, so series keys are int pairs and the ingest path can
 * resolve a UTF-8 attribute straight from the request bytes without creating a String for any symbol
 * seen before; and reclaims the symbols no live series uses, so that memory follows the live series,
 * not every pod name ever seen.
 *
 * <p>Ids: {@code tag << }{@value #INDEX_BITS}{@code  | index}. The index (dense from 0) names a
 * symbol's storage; the {@value #TAG_BITS}-bit tag is bumped each time a freed index is reused, so a
 * reused index gets a new id and a stale id held past its grace period fails loudly ({@link #symbol}
 * throws {@link IllegalStateException}) instead of naming another string (unless the index was reused
 * 32 times meanwhile, i.e. 32 grace periods). Id {@link #EMPTY} (0) is the empty string, which
 * {@link LabelSetBuilder} relies on to drop empty label values. Symbols are identified by their UTF-8
 * bytes: {@link #intern(String)} encodes the string and goes the same way.
 *
 * <p>Index layout: an open-addressing {@link Table} of 2 longs (16 bytes) per slot, word 1 first in
 * importance (it is the one published last and loaded first):
 * <pre>
 *   word 1 (head):  63            32 31      24 23                 0
 *                  +----------------+----------+--------------------+
 *   short symbol   |     id + 1     |  length  |  bytes 8-10        |   at most {@value #INLINE_MAX} UTF-8 bytes
 *   long symbol    |     id + 1     |   0xFF   |  length            |
 *                  +----------------+----------+--------------------+
 *                  0 = empty slot, {@link #TOMBSTONE} (-1) = freed
 *   word 0:        short symbol: bytes 0-7, little-endian, zero-padded
 *                  long symbol:  hash (bits 32-63) | address of its bytes in the {@link #longBytes} arena
 *                                (page << 16 | offset)
 * </pre>
 * A short symbol is compared inline (both words equal: same bytes; its hash is recomputed from them
 * when the table is rebuilt); a long one by hash, then its arena bytes. Plus, per table,
 * {@code slotOfId[index]}: the slot of each index, so {@link #symbol} finds an id's bytes; and, shared
 * by all tables, paged per-index state: the index' current id (negative once freed) and one state word
 * (reference count, pending quarantine entries, pinned; see {@link #PINNED}). Why: on the ingest path most lookups are for label values seen
 * before (pod names, series ids) scattered over a table far bigger than the CPU caches; comparing
 * against inline bytes costs the one cache miss of the slot. And no per-symbol object is kept: a symbol
 * costs its slot (16 bytes at 50-75% load; a long one also its bytes, in 16-byte classes) and 8 bytes of
 * per-index ints. Strings are
 * made on demand by {@link #symbol}, through a small direct-mapped cache (by id, {@value #CACHE_SIZE}
 * entries) so the few hot ones (label names, metric names, shared values) are not decoded again and again.
 *
 * <h2>Reclamation</h2>
 * A table made by the store ({@link #SymbolTable(dev.kedaotel.model.TimeSource, long)}) counts, per
 * symbol, the live series whose key holds it as a <em>value</em>; the store changes the counts under its
 * write lock: {@link #retain} when it creates a series, {@link #release} when retention removes one.
 * Label <em>names</em> are pinned (never freed) when a series first uses them, as {@link LabelShapes}
 * keep them forever; so are constants interned by {@link #internPermanent} (the receiver's {@code le},
 * {@code +Inf}, ..., the store's {@code __name__}). A new symbol, and a symbol whose count drops to 0,
 * enter a {@link Quarantine} for {@code graceMs}; {@link #reclaim} (the store's retention pass, under its
 * write lock) frees a symbol whose last quarantine entry is over and whose count is still 0: its slot
 * becomes a tombstone that lookups skip (the table is rebuilt at the same size when tombstones
 * dominate), its index goes to a free list (reused with the next tag) and a long symbol's bytes go to a
 * free list of their 16-byte length class. {@link #freedCount()} changes with every free, so holders of
 * cached ids (the receiver's per-worker caches) drop them when it moved, once per request. The store
 * re-checks under its write lock that every id of a new series' label set is still current
 * ({@link #allCurrent}) and refuses the sample otherwise ({@link AppendResult#STALE_SYMBOL}: an ingest
 * thread that held an id across the whole grace period). A table made with {@link #SymbolTable()}
 * never frees a symbol.
 *
 * <p>Concurrency: lookups and {@link #symbol} are lock-free, inserts and every reference-count and
 * reclamation change serialise on a monitor; the per-index state is written under it.
 * <ul>
 *   <li>The index is reached through a volatile field. The writer sets the index' current id (release),
 *       fills word 0 (and, for a long symbol, its arena bytes) and {@code slotOfId[index]}, then stores
 *       the slot's head word with release semantics; a reader loads it with acquire semantics, so once it
 *       sees an id it sees that id's bytes and current id.</li>
 *   <li>Freeing stores the tombstone (release), then the negated id as the index' state (release), then
 *       a full fence, and only afterwards, in later critical sections, rewrites the index, the slot (only
 *       in a rebuilt table) or the bytes. A reader of an id checks the index' state before reading the
 *       bytes and again after them (behind a load fence): seeing reused bytes implies seeing the freed
 *       state, so it throws instead of returning them. A lookup that found its id in a table that is no
 *       longer the current one checks the index' state the same way (an old table is never
 *       tombstoned); one in the current table re-reads the slot's first word after comparing long
 *       bytes.</li>
 *   <li>Growing or rebuilding the index builds a complete new table (slots and {@code slotOfId}) and
 *       publishes it through the volatile field. A reader still probing the old table may miss a symbol
 *       inserted after the switch; it then takes the insert path, which re-checks under the monitor, so
 *       the same bytes never get two current ids. The per-index state is paged (pages never copied), so
 *       every reader sees a free whatever table it holds.</li>
 *   <li>The long-symbol arena's pages are published through a volatile directory before the release
 *       store of the slot that points into them; their bytes change only after a free, as above.</li>
 *   <li>The string cache holds immutable entries (final fields) stored and loaded racily: a reader sees
 *       either a complete entry or another one, and checks the entry's id. A free clears its id's entry
 *       after its full fence; a reader that stored an entry re-checks the id after a full fence and
 *       clears it if freed meanwhile, so no entry of a freed id survives (Dekker style).</li>
 * </ul>
 * A lazily decoded {@link dev.kedaotel.model.Labels} must be decoded within {@code graceMs} (the store's
 * {@code symbolGraceMs}, set above the query timeout by the composition root) of its
 * series' removal (as ring reads must finish within it); later it may throw, never return another string.
 */
public final class SymbolTable implements SymbolLookup {
    /** The id of the empty string. */
    public static final int EMPTY = 0;

    private static final VarHandle LONG_ARRAY = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle INT_ARRAY = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle CACHE_ARRAY = MethodHandles.arrayElementVarHandle(Cached[].class);
    private static final int INITIAL_CAPACITY = 1024;
    /** Symbols up to this many UTF-8 bytes are compared inline (8 bytes in word 0, 3 in the head word). */
    static final int INLINE_MAX = 11;
    /** Bits 24-31 of a long symbol's head word (a short symbol has its length there, at most 11). */
    private static final int LONG_TAG = 0xFF << 24;
    /** The longest symbol: its length must fit the head word's 24 bits. */
    private static final int MAX_SYMBOL_BYTES = (1 << 24) - 1;
    /** Head word of a freed slot (its id part, -1, is no id + 1). */
    private static final long TOMBSTONE = -1L;
    private static final int CACHE_SIZE = 8192;
    private static final int ARENA_PAGE = 1 << 16;
    /** Long symbols take arena space in multiples of this, so a freed chunk fits any symbol of its class. */
    private static final int LENGTH_CLASS = 16;
    static final int INDEX_BITS = 26;
    static final int TAG_BITS = 5;
    private static final int INDEX_MASK = (1 << INDEX_BITS) - 1;
    private static final int TAG_MASK = (1 << TAG_BITS) - 1;
    private static final int STATE_PAGE_SHIFT = 12;
    private static final int STATE_PAGE = 1 << STATE_PAGE_SHIFT;
    /**
     * The state word of an index (writer only):
     * <pre>
     *   31  30       29 .. 24          23 .. 0
     *   +---+--------+-----------------+-----------------------------+
     *   | 0 | pinned | pending entries | reference count             |
     *   +---+--------+-----------------+-----------------------------+
     * </pre>
     * Pinned: never freed, and its count no longer kept. A count that would pass {@link #COUNT_MASK} or
     * pending entries that would pass 63 pin the symbol instead (a value held by 16.7M series, or
     * released 63 times within one grace period: memory kept, never a symbol freed early).
     */
    private static final int PINNED = 1 << 30;
    private static final int COUNT_MASK = (1 << 24) - 1;
    private static final int PENDING_ONE = 1 << 24;
    private static final int PENDING_MASK = 63 << 24;

    /** Open-addressing index from symbol bytes to id; replaced wholesale when it grows or is rebuilt. */
    private static final class Table {
        /** Slot i: word 0 at 2i, head word at 2i + 1 (see the class comment). */
        final long[] words;
        /** Slot of each index; indexes stay below 3/4 of the capacity (the growth threshold). */
        final int[] slotOfId;
        final int capacity;

        Table(int capacity) {
            words = new long[capacity * 2];
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
    /** Freed long-symbol chunks by length class (addresses, page << 16 | offset); writer only. */
    private IntList[] freeChunks = new IntList[8];
    private final Cached[] cache = new Cached[CACHE_SIZE];

    /** Per index: the current id, or {@code -1 - id} of the last one once freed. Pages never copied. */
    private volatile int[][] idPages = new int[16][];
    /** Per index, writer only: the state word (see {@link #PINNED}). */
    private int[][] statePages = new int[16][];
    /** Exclusive bound of the indexes handed out; written under the monitor. */
    private volatile int indexTop;
    private final IntList freeIndexes = new IntList(16);
    /** Symbols in the table (live and quarantined), tombstones in the current table. */
    private volatile int size;
    private int tombstones;
    private volatile long freedCount;
    private long longBytesInUse;

    /** Null when this table never frees (no clock). */
    private final dev.kedaotel.model.TimeSource time;
    private final long graceMs;
    private final Quarantine quarantine = new Quarantine();

    /** A table that never frees a symbol. */
    public SymbolTable() {
        this(null, 0);
    }

    /**
     * A table that frees symbols no series holds {@code graceMs} after they were last released (or
     * interned), by {@code time}'s wall clock; see the class comment.
     */
    public SymbolTable(dev.kedaotel.model.TimeSource time, long graceMs) {
        this.time = time;
        this.graceMs = graceMs;
        int id = internPermanent("");
        assert id == EMPTY;
    }

    /** Interns a string, returning its id. */
    public int intern(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int h = hash(b, 0, b.length);
        int id = findCurrent(b, 0, b.length, h);
        return id >= 0 ? id : insert(b, 0, b.length, h, s);
    }

    /** Interns a string that is never freed (a constant of its caller), returning its id. */
    public int internPermanent(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int h = hash(b, 0, b.length);
        synchronized (writeLock) {
            int id = insert(b, 0, b.length, h, s);
            pin(id);
            return id;
        }
    }

    /** Interns UTF-8 bytes; does not allocate when the symbol already exists. */
    public int internUtf8(byte[] buf, int off, int len) {
        if (off < 0 || len < 0 || off > buf.length - len) {
            throw new IndexOutOfBoundsException("symbol bytes [" + off + ", " + (off + len) + ") outside a buffer of "
                    + buf.length + " bytes");
        }
        int h = hash(buf, off, len);
        int id = findCurrent(buf, off, len, h);
        return id >= 0 ? id : insert(buf, off, len, h, null);
    }

    /** The id of {@code s}, or -1 if not interned (a matcher on an unknown value then matches nothing). */
    public int lookup(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int h = hash(b, 0, b.length);
        while (true) {
            Table t = table;
            int id = find(t, b, 0, b.length, h);
            if (id < 0 || table == t || isCurrent(id)) {
                return id;
            }
        }
    }

    /** The id of the bytes in the current table, or -1 (then insert, which re-checks under the monitor). */
    private int findCurrent(byte[] buf, int off, int len, int h) {
        Table t = table;
        int id = find(t, buf, off, len, h);
        // An old table is never tombstoned: an id found there may have been freed since.
        return id < 0 || table == t || isCurrent(id) ? id : -1;
    }

    /** Whether {@code id} names a symbol now (not freed, not a stale tag). Lock-free. */
    public boolean isCurrent(int id) {
        if (id < 0) {
            return false;
        }
        int index = id & INDEX_MASK;
        int[][] pages = idPages;
        int page = index >>> STATE_PAGE_SHIFT;
        if (page >= pages.length || pages[page] == null) {
            return false;
        }
        return (int) INT_ARRAY.getAcquire(pages[page], index & (STATE_PAGE - 1)) == id;
    }

    /** Number of symbols freed so far: holders of cached ids drop them when it changed. */
    public long freedCount() {
        return freedCount;
    }

    /** UTF-8 bytes of the long symbols (over {@value #INLINE_MAX} bytes) in the table, by length class. */
    public long longSymbolBytes() {
        synchronized (writeLock) {
            return longBytesInUse;
        }
    }

    /** Bytes of the long-symbol arena's pages (what {@link #longSymbolBytes()} occupies, with free space). */
    public long arenaBytes() {
        synchronized (writeLock) {
            long n = 0;
            for (int i = 0; i < longPages; i++) {
                n += longBytes[i] == null ? 0 : longBytes[i].length;
            }
            return n;
        }
    }

    /** Slots of the current index table (its memory is 16 bytes a slot plus 3 bytes a slot of {@code slotOfId}). */
    public int tableCapacity() {
        return table.capacity;
    }

    /**
     * The string of an id. Decoded from the index on a cache miss (which allocates it). Throws
     * {@link IllegalStateException} for an id that was freed (held past its grace period) and
     * {@link IllegalArgumentException} for one never handed out.
     */
    public String symbol(int id) {
        if (id < 0) {
            throw stale(id);
        }
        int c = id & (CACHE_SIZE - 1);
        Cached cached = cache[c];
        if (cached != null && cached.id == id) {
            return cached.value;
        }
        String s = decode(id);
        Cached entry = new Cached(id, s);
        cache[c] = entry;
        VarHandle.fullFence();
        if (!isCurrent(id)) {
            CACHE_ARRAY.compareAndSet(cache, c, entry, null); // freed meanwhile: its free may have missed this entry
        }
        return s;
    }

    /** Symbols in the table: in use, pinned or still in their quarantine (freed ones are not counted). */
    public int size() {
        return size;
    }

    /** The length in UTF-8 bytes of a current symbol (no decoding, no allocation); throws for a freed id. */
    public int utf8Length(int id) {
        Table t = slotTable(id);
        int len = length(t.words[t.slotOfId[id & INDEX_MASK] * 2 + 1]);
        checkStillCurrent(id);
        return len;
    }

    /** The current table, whose slot of {@code id} holds it; throws when {@code id} is not current. */
    private Table slotTable(int id) {
        if (!isCurrent(id)) {
            throw stale(id);
        }
        Table t = table;
        long head = (long) LONG_ARRAY.getAcquire(t.words, t.slotOfId[id & INDEX_MASK] * 2 + 1);
        if ((int) (head >>> 32) != id + 1) {
            throw stale(id); // tombstoned (or rebuilt away) after the check above
        }
        return t;
    }

    private void checkStillCurrent(int id) {
        VarHandle.loadLoadFence();
        if (!isCurrent(id)) {
            throw stale(id);
        }
    }

    /** An id that is not current: never handed out (IllegalArgumentException) or freed since (IllegalStateException). */
    private RuntimeException stale(int id) {
        if (id < 0 || (id & INDEX_MASK) >= indexTop) {
            return new IllegalArgumentException("unknown symbol id " + id + " (table holds " + size + ")");
        }
        return new IllegalStateException("symbol id " + id + " was freed (held longer than the reuse grace period)");
    }

    private String decode(int id) {
        Table t = slotTable(id);
        int slot = t.slotOfId[id & INDEX_MASK];
        long w0 = t.words[slot * 2];
        long head = t.words[slot * 2 + 1];
        int len = length(head);
        String s;
        if (isLong(head)) {
            byte[] page = longBytes[(int) w0 >>> 16];
            int off = (int) w0 & 0xFFFF;
            if (page == null || off + len > page.length) {
                checkStillCurrent(id);
                throw new IllegalStateException("symbol id " + id + " points outside the arena");
            }
            s = new String(page, off, len, StandardCharsets.UTF_8);
        } else {
            byte[] b = new byte[len];
            for (int i = 0; i < len; i++) {
                b[i] = inlineByte(w0, head, i);
            }
            s = new String(b, StandardCharsets.UTF_8);
        }
        checkStillCurrent(id);
        return s;
    }

    private int find(Table t, byte[] buf, int off, int len, int h) {
        long[] w = t.words;
        boolean inline = len <= INLINE_MAX;
        // What word 0 and the head's low half hold for these bytes (for a long symbol: its hash, its length).
        long w0 = inline ? packBytes(buf, off, len) : 0;
        int tail = inline ? packTail(buf, off, len) : LONG_TAG | len;
        int i = home(h, t.capacity);
        while (true) {
            long head = (long) LONG_ARRAY.getAcquire(w, i * 2 + 1);
            if (head == 0) {
                return -1;
            }
            if ((int) head == tail && head != TOMBSTONE) {
                int id = (int) (head >>> 32) - 1;
                long v = w[i * 2];
                if (inline) {
                    if (v == w0) {
                        return id;
                    }
                } else if ((int) (v >>> 32) == h) {
                    byte[] page = longBytes[(int) v >>> 16];
                    int at = (int) v & 0xFFFF;
                    if (page != null && at + len <= page.length
                            && Arrays.equals(page, at, at + len, buf, off, off + len)) {
                        // Bytes are reused only after the slot was tombstoned: re-read it behind the compare.
                        VarHandle.loadLoadFence();
                        if ((long) LONG_ARRAY.getAcquire(w, i * 2 + 1) == head) {
                            return id;
                        }
                    }
                }
            }
            i = i + 1 == t.capacity ? 0 : i + 1;
        }
    }

    /** Word 0 of a short symbol: bytes 0-7, little-endian, zero-padded. */
    private static long packBytes(byte[] buf, int off, int len) {
        long v = 0;
        for (int i = Math.min(len, 8) - 1; i >= 0; i--) {
            v = (v << 8) | (buf[off + i] & 0xFF);
        }
        return v;
    }

    /** The head word's low half of a short symbol: bytes 8-10, then the length in bits 24-31. */
    private static int packTail(byte[] buf, int off, int len) {
        int v = 0;
        for (int i = len - 1; i >= 8; i--) {
            v = (v << 8) | (buf[off + i] & 0xFF);
        }
        return v | len << 24;
    }

    private static boolean isLong(long head) {
        return ((int) head & LONG_TAG) == LONG_TAG;
    }

    /** The UTF-8 length of the symbol of a head word. */
    private static int length(long head) {
        return isLong(head) ? (int) head & MAX_SYMBOL_BYTES : (int) head >>> 24;
    }

    /** Byte {@code i} of a short symbol stored as (word 0, head). */
    private static byte inlineByte(long w0, long head, int i) {
        return (byte) (i < 8 ? w0 >>> (i << 3) : head >>> ((i - 8) << 3));
    }

    /** {@link #hash} of a short symbol's bytes, read from its words (for rebuilding the table). */
    private static int inlineHash(long w0, long head) {
        int h = 0x811c9dc5;
        for (int i = 0, len = length(head); i < len; i++) {
            h = (h ^ (inlineByte(w0, head, i) & 0xff)) * 0x01000193;
        }
        return mix(h);
    }

    private int insert(byte[] buf, int off, int len, int h, String knownString) {
        synchronized (writeLock) {
            Table t = table;
            int existing = find(t, buf, off, len, h);
            if (existing >= 0) {
                return existing;
            }
            // Grow by 1.5x at 75% load (symbols and tombstones): with inline bytes a probe step is one more
            // 16-byte slot (often the same cache line), so a fuller table costs little time and saves
            // much of its memory. Mostly tombstones: rebuild at the same size.
            if ((long) (size + tombstones + 1) * 4 > (long) t.capacity * 3) {
                t = rebuild((long) (size + 1) * 2 > t.capacity ? t.capacity / 2 * 3 : t.capacity);
            }
            if (len > MAX_SYMBOL_BYTES) {
                throw new IllegalArgumentException("symbol of " + len + " bytes (at most " + MAX_SYMBOL_BYTES + ")");
            }
            int id = newId();
            long w0;
            int tail;
            if (len <= INLINE_MAX) {
                w0 = packBytes(buf, off, len);
                tail = packTail(buf, off, len);
            } else {
                w0 = (long) h << 32 | (storeLong(buf, off, len) & 0xFFFF_FFFFL);
                tail = LONG_TAG | len;
            }
            int index = id & INDEX_MASK;
            INT_ARRAY.setRelease(idPages[index >>> STATE_PAGE_SHIFT], index & (STATE_PAGE - 1), id);
            place(t, h, w0, (long) (id + 1) << 32 | (tail & 0xFFFF_FFFFL));
            cache[id & (CACHE_SIZE - 1)] = knownString != null ? new Cached(id, knownString) : null;
            size++;
            quarantine(index, id);
            return id;
        }
    }

    /** A fresh id: a freed index with its next tag, else the next index (monitor held). */
    private int newId() {
        if (freeIndexes.size() > 0) {
            int index = freeIndexes.get(freeIndexes.size() - 1);
            freeIndexes.removeLast();
            int last = -1 - idPages[index >>> STATE_PAGE_SHIFT][index & (STATE_PAGE - 1)];
            int tag = ((last >>> INDEX_BITS) + 1) & TAG_MASK;
            return tag << INDEX_BITS | index;
        }
        int index = indexTop;
        if (index > INDEX_MASK) {
            throw new IllegalStateException("symbol table full: " + (INDEX_MASK + 1) + " symbols in use");
        }
        int page = index >>> STATE_PAGE_SHIFT;
        if ((index & (STATE_PAGE - 1)) == 0) {
            int[][] ids = idPages;
            if (page == ids.length) {
                ids = Arrays.copyOf(ids, page * 2);
                statePages = Arrays.copyOf(statePages, page * 2);
            }
            ids[page] = new int[STATE_PAGE];
            statePages[page] = new int[STATE_PAGE];
            idPages = ids;
        }
        indexTop = index + 1;
        return index;
    }

    /** Copies a long symbol's bytes into the arena; returns its address (page << 16 | offset). */
    private int storeLong(byte[] buf, int off, int len) {
        longBytesInUse += chunk(len);
        if (len <= ARENA_PAGE) {
            int cls = chunk(len) / LENGTH_CLASS;
            IntList free = cls < freeChunks.length ? freeChunks[cls] : null;
            if (free != null && free.size() > 0) {
                int a = free.get(free.size() - 1);
                free.removeLast();
                System.arraycopy(buf, off, longBytes[a >>> 16], a & 0xFFFF, len);
                return a;
            }
        }
        byte[][] pages = longBytes;
        if (longTop + chunk(len) > ARENA_PAGE || len > ARENA_PAGE) {
            if (longPages == pages.length) {
                pages = Arrays.copyOf(pages, longPages * 2);
            }
            if (longPages == 1 << 15) {
                throw new IllegalStateException("long symbol arena exhausted");
            }
            pages[longPages++] = new byte[Math.max(ARENA_PAGE, len)];
            longTop = 0;
        }
        int page = longPages - 1;
        System.arraycopy(buf, off, pages[page], longTop, len);
        int address = page << 16 | longTop;
        longTop = len > ARENA_PAGE ? ARENA_PAGE : longTop + chunk(len);
        longBytes = pages;
        return address;
    }

    /** Arena bytes a long symbol of {@code len} bytes takes (its length class). */
    private static int chunk(int len) {
        return (len + LENGTH_CLASS - 1) / LENGTH_CLASS * LENGTH_CLASS;
    }

    private void freeLong(int address, int len) {
        longBytesInUse -= chunk(len);
        int page = address >>> 16;
        if (len > ARENA_PAGE) {
            byte[][] pages = longBytes;
            pages[page] = null; // a page of its own; readers of a freed id check for it
            return;
        }
        int cls = chunk(len) / LENGTH_CLASS;
        if (cls >= freeChunks.length) {
            freeChunks = Arrays.copyOf(freeChunks, Math.max(cls + 1, freeChunks.length * 2));
        }
        if (freeChunks[cls] == null) {
            freeChunks[cls] = new IntList(16);
        }
        freeChunks[cls].add(address);
    }

    private Table rebuild(int capacity) {
        Table old = table;
        Table t = new Table(capacity);
        long[] w = old.words;
        for (int i = 0; i < old.capacity; i++) {
            long head = w[i * 2 + 1];
            if (head != 0 && head != TOMBSTONE) {
                long w0 = w[i * 2];
                place(t, isLong(head) ? (int) (w0 >>> 32) : inlineHash(w0, head), w0, head);
            }
        }
        tombstones = 0;
        table = t;
        return t;
    }

    /** Stores a slot and its id's slot index, the head word last, with release semantics. */
    private static void place(Table t, int h, long w0, long head) {
        long[] w = t.words;
        int i = home(h, t.capacity);
        while (w[i * 2 + 1] != 0) {
            i = i + 1 == t.capacity ? 0 : i + 1;
        }
        t.slotOfId[((int) (head >>> 32) - 1) & INDEX_MASK] = i;
        w[i * 2] = w0;
        LONG_ARRAY.setRelease(w, i * 2 + 1, head);
    }

    // ---- reference counts and reclamation (the store's write lock held, except pin) ----------------

    /** Makes a current symbol permanent. */
    void pin(int id) {
        synchronized (writeLock) {
            int index = id & INDEX_MASK;
            statePages[index >>> STATE_PAGE_SHIFT][index & (STATE_PAGE - 1)] |= PINNED;
        }
    }

    /** Whether every name and value id of the canonical label set is current (store write lock held). */
    boolean allCurrent(LabelSetBuilder labels) {
        for (int i = 0; i < labels.size(); i++) {
            if (!isCurrent(labels.name(i)) || !isCurrent(labels.value(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A new series holds the label set (whose ids the caller checked with {@link #allCurrent} under the
     * store's write lock, which {@link #reclaim} also needs): pins its names, counts its values.
     */
    void retain(LabelSetBuilder labels) {
        if (time == null) {
            return;
        }
        synchronized (writeLock) {
            for (int i = 0; i < labels.size(); i++) {
                int name = labels.name(i) & INDEX_MASK;
                statePages[name >>> STATE_PAGE_SHIFT][name & (STATE_PAGE - 1)] |= PINNED;
                int value = labels.value(i) & INDEX_MASK;
                int[] states = statePages[value >>> STATE_PAGE_SHIFT];
                int at = value & (STATE_PAGE - 1);
                int state = states[at];
                if ((state & PINNED) == 0) {
                    states[at] = (state & COUNT_MASK) == COUNT_MASK ? state | PINNED : state + 1;
                }
            }
        }
    }

    /** A removed series no longer holds the values {@code key[from, from + n)}: each at 0 is quarantined. */
    void release(int[] key, int from, int n) {
        if (time == null) {
            return;
        }
        synchronized (writeLock) {
            for (int i = from; i < from + n; i++) {
                int id = key[i];
                int index = id & INDEX_MASK;
                int[] states = statePages[index >>> STATE_PAGE_SHIFT];
                int at = index & (STATE_PAGE - 1);
                int state = states[at];
                if ((state & PINNED) == 0) {
                    states[at] = --state;
                    if ((state & COUNT_MASK) == 0) {
                        quarantine(index, id);
                    }
                }
            }
        }
    }

    private void quarantine(int index, int id) {
        if (time != null) {
            int[] states = statePages[index >>> STATE_PAGE_SHIFT];
            int at = index & (STATE_PAGE - 1);
            if ((states[at] & PENDING_MASK) == PENDING_MASK) {
                states[at] |= PINNED; // see PINNED
                return;
            }
            states[at] += PENDING_ONE;
            quarantine.add(time.wallMillis() + graceMs, id);
        }
    }

    /**
     * Frees the symbols whose last quarantine is over at {@code nowMs} with no series holding them;
     * returns how many. Called by the store under its write lock (so no series is being created).
     */
    int reclaim(long nowMs) {
        int freed = 0;
        synchronized (writeLock) {
            // Strictly after the grace: a pass never frees what it (or a pass at the same instant) released,
            // so even with no grace the labels of a series just removed stay readable until the next pass.
            while (quarantine.hasReleasable(nowMs - 1)) {
                int id = quarantine.poll();
                int index = id & INDEX_MASK;
                int at = index & (STATE_PAGE - 1);
                int[] states = statePages[index >>> STATE_PAGE_SHIFT];
                states[at] -= PENDING_ONE;
                if (states[at] == 0) { // no entry left, no series, not pinned
                    free(id);
                    freed++;
                }
            }
            if (freed > 0) {
                freedCount += freed;
            }
            quarantine.trim(); // new symbols come in bursts: do not keep the rings of the last one
        }
        return freed;
    }

    private void free(int id) {
        int index = id & INDEX_MASK;
        Table t = table;
        int slot = t.slotOfId[index];
        long w0 = t.words[slot * 2];
        long head = t.words[slot * 2 + 1];
        LONG_ARRAY.setRelease(t.words, slot * 2 + 1, TOMBSTONE);
        INT_ARRAY.setRelease(idPages[index >>> STATE_PAGE_SHIFT], index & (STATE_PAGE - 1), -1 - id);
        VarHandle.fullFence();
        CACHE_ARRAY.compareAndSet(cache, id & (CACHE_SIZE - 1), cacheEntry(id), null);
        if (isLong(head)) {
            freeLong((int) w0, length(head));
        }
        tombstones++;
        size--;
        freeIndexes.add(index);
    }

    private Cached cacheEntry(int id) {
        Cached c = cache[id & (CACHE_SIZE - 1)];
        return c != null && c.id == id ? c : null;
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
